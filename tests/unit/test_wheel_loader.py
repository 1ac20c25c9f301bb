"""Loading the annual wheel: the shipped file, and broken edits that name file, event
and field; a running source keeps the last good wheel."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from pathlib import Path

import pytest
import yaml

from domain.content import ContentError
from domain.wheel.loader import WHEEL_FILE, WheelSource, load_wheel
from domain.wheel.models import Wheel

SHIPPED = WHEEL_FILE.read_text(encoding="utf-8")

GOOD_EVENT = """
      - id: frist-x
        title: En frist
        start: 2026-12-15
        kind: frist
        audience: partnerskap
        place: Teams
        description: Beskrivelse av fristen.
"""
ONE_CYCLE = "cycles:\n  - id: '2026/2027'\n    events:"


def write(tmp_path: Path, text: str, name: str = "arshjul.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def touch(path: Path, n: int) -> None:
    """Give the file a new modification time, as a save a moment later would."""
    os.utime(path, ns=(n * 1_000_000_000, n * 1_000_000_000))


# --- the shipped file ------------------------------------------------------------------

def test_the_shipped_wheel_holds_the_2026_2027_cycle() -> None:
    wheel = load_wheel()
    [cycle] = wheel.cycles
    assert cycle.id == "2026/2027"
    assert cycle.deadline("behovsmelding").start == date(2026, 12, 15)
    assert cycle.deadline("sammenstilt_behovsmelding").start == date(2027, 1, 13)
    assert cycle.deadline("rapportering").start == date(2027, 6, 17)
    assert cycle.first_day == date(2026, 9, 28) and cycle.last_day == date(2027, 6, 17)
    gathering = cycle.event("samling-sf-fagutvalg")
    assert (gathering.start, gathering.end) == (date(2026, 9, 28), date(2026, 9, 29))
    week_43 = cycle.event("nettverksmoter-uke-43")
    assert [d.isocalendar()[1] for d in (week_43.start, week_43.end)] == [43, 43]
    assert (week_43.start.weekday(), week_43.end.weekday()) == (0, 4)  # Monday to Friday
    assert {e.kind for e in cycle.events} <= {"frist", "møte", "periode", "milepæl"}
    assert len(cycle.events) >= 14
    # approval and payout: nobody has anything to deliver, so it is no deadline (003)
    paid = cycle.event("godkjenning-utbetaling")
    assert paid.kind == "milepæl" and not paid.is_deadline


def test_the_shipped_reminder_settings() -> None:
    wheel = load_wheel()
    assert wheel.send_at == time(9, 0) and wheel.grace_days == 2
    assert wheel.offsets("frist") == (14, 7, 2, 0)
    assert wheel.offsets("møte") == (7, 1)
    assert wheel.offsets("periode") == () and wheel.offsets("milepæl") == ()
    assert date(2026, 12, 25) in wheel.holidays and date(2027, 5, 17) in wheel.holidays


def test_settings_have_defaults_when_left_out(tmp_path: Path) -> None:
    wheel = load_wheel(write(tmp_path, ONE_CYCLE + GOOD_EVENT))
    assert wheel.send_at == time(9, 0) and wheel.grace_days == 2
    assert wheel.offsets("frist") == (14, 7, 2, 0) and wheel.offsets("møte") == (7, 1)
    assert wheel.holidays == frozenset()


def test_a_next_cycle_is_a_copy_with_new_dates(tmp_path: Path) -> None:
    """Copying a cycle one year on lands meetings and deadlines on new weekdays: the file
    is refused, naming each one; moved to working days, it loads."""
    data = yaml.safe_load(SHIPPED)
    copy = yaml.safe_load(yaml.safe_dump(data["cycles"][0]))
    copy["id"] = "2027/2028"
    for event in copy["events"]:
        for field in ("start", "end"):
            if field in event:
                event[field] = event[field].replace(year=event[field].year + 1)
    data["cycles"].append(copy)
    with pytest.raises(ContentError) as refused:
        load_wheel(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    assert "arbeidsdager" in str(refused.value)
    assert "2027/2028 events[16] (frist-rapportering): 2028-06-17 er lørdag" in str(refused.value)
    assert "(frist-behovsmelding)" not in str(refused.value)  # Wednesday 15 December 2027
    for event in copy["events"]:
        for field in ("start", "end"):
            if field in event:  # back one year, then 52 weeks on: the same weekdays
                event[field] = event[field].replace(year=event[field].year - 1) + \
                    timedelta(weeks=52)
    wheel = load_wheel(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    assert [c.id for c in wheel.cycles] == ["2026/2027", "2027/2028"]
    assert wheel.cycles[1].deadline("behovsmelding").start == date(2027, 12, 14)
    # the same event ids in both cycles are fine: they are unique per cycle
    assert {e.id for e in wheel.cycles[0].events} == {e.id for e in wheel.cycles[1].events}


# --- broken files ----------------------------------------------------------------------

def replaced(old: str, new: str) -> str:
    return ONE_CYCLE + GOOD_EVENT.replace(old, new)


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param("cycles: [\n  - id: x\n  events", "linje ", id="bad-yaml"),
    pytest.param(replaced("        title: En frist\n", ""),
                 "cycles[0] (2026/2027).events[0] (frist-x).title: Field required",
                 id="missing-title"),
    pytest.param(replaced("start: 2026-12-15", "start: 2026-12-15\n        end: 2026-12-01"),
                 "events[0] (frist-x).end: Value error, slutt (2026-12-01) er før start",
                 id="end-before-start"),
    pytest.param(ONE_CYCLE + GOOD_EVENT + GOOD_EVENT,
                 "id 'frist-x' er brukt to ganger (også events[0])", id="duplicate-id"),
    pytest.param(replaced("kind: frist", "kind: fest"), "events[0] (frist-x).kind",
                 id="unknown-kind"),
    pytest.param(replaced("audience: partnerskap", "audience: [partnerskap, rektor]"),
                 "events[0] (frist-x).audience[1]", id="unknown-audience"),
    pytest.param(replaced("audience: partnerskap", "audience: [partnerskap, partnerskap]"),
                 "samme målgruppe står flere ganger", id="audience-twice"),
    pytest.param(replaced("place: Teams", "place: Zoom"), "events[0] (frist-x).place",
                 id="unknown-place"),
    pytest.param(replaced("title: En frist", "tittel: En frist"),
                 "events[0] (frist-x).tittel: Extra inputs are not permitted", id="typo"),
    pytest.param(replaced("start: 2026-12-15", "start: 2026-13-15"),
                 "events[0] (frist-x).start", id="bad-date"),
    pytest.param(replaced("id: frist-x", "id: Frist X"), "events[0] (Frist X).id",
                 id="bad-id"),
    pytest.param(replaced("kind: frist", "kind: møte\n        deadline_for: behovsmelding"),
                 "deadline_for: Value error, deadline_for passer bare", id="deadline-for-meeting"),
    pytest.param(ONE_CYCLE + GOOD_EVENT.replace("kind: frist", "kind: frist\n        "
                                                "deadline_for: behovsmelding")
                 + GOOD_EVENT.replace("frist-x", "frist-y").replace(
                     "kind: frist", "kind: frist\n        deadline_for: behovsmelding"),
                 "events[1] (frist-y): deadline_for 'behovsmelding' har allerede fristen "
                 "'frist-x'", id="two-needs-deadlines"),
    pytest.param(replaced("start: 2026-12-15", "start: 2025-12-15"),
                 "events[0] (frist-x): datoen 2025-12-15 ligger utenfor syklusen 2026/2027",
                 id="copied-cycle-old-dates"),
    pytest.param(replaced("        place: Teams\n", "        place: Teams\n        "
                          "end_time: '12:00'\n"), "end_time krever", id="end-time-alone"),
    pytest.param("cycles:\n  - id: '2026/2028'\n    events:" + GOOD_EVENT,
                 "cycles[0] (2026/2028).id", id="cycle-years"),
    pytest.param(ONE_CYCLE + GOOD_EVENT + "  - id: '2026/2027'\n    events:" + GOOD_EVENT,
                 "syklus-id brukt to ganger: 2026/2027", id="duplicate-cycle"),
    pytest.param("reminders:\n  frist: [7, -1]\n" + ONE_CYCLE + GOOD_EVENT,
                 "reminders.frist[1]", id="negative-offset"),
    pytest.param("reminders:\n  fest: [7]\n" + ONE_CYCLE + GOOD_EVENT,
                 "reminders.fest", id="offsets-for-unknown-kind"),
    pytest.param("cycles:\n  - id: '2026/2027'\n    events: []\n",
                 "cycles[0] (2026/2027).events: Value error, syklusen har ingen hendelser",
                 id="no-events"),
    pytest.param("send_at: '09:00'\n", "cycles: Field required", id="no-cycles"),
])
def test_broken_files_name_file_event_and_field(tmp_path: Path, body: str,
                                                expected: str) -> None:
    with pytest.raises(ContentError) as error:
        load_wheel(write(tmp_path, body))
    message = str(error.value)
    assert message.startswith("arshjul.yaml:")
    assert expected in message


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    body = ONE_CYCLE + GOOD_EVENT.replace("kind: frist", "kind: fest") \
        + GOOD_EVENT.replace("frist-x", "frist-y").replace("place: Teams", "place: Zoom")
    with pytest.raises(ContentError) as error:
        load_wheel(write(tmp_path, body))
    assert len(error.value.problems) == 2
    assert "(frist-x).kind" in str(error.value) and "(frist-y).place" in str(error.value)


# --- meetings and deadlines on working days --------------------------------------------

@pytest.mark.parametrize(("start", "end", "kind", "said"), [
    pytest.param("2027-01-10", None, "frist", "2027-01-10 er søndag", id="deadline-sunday"),
    pytest.param("2027-03-12", "2027-03-13", "møte", "2027-03-13 er lørdag",
                 id="meeting-ends-saturday"),
    pytest.param("2027-05-17", None, "møte", "2027-05-17 er en fridag", id="holiday"),
])
def test_a_meeting_or_deadline_on_a_day_off_is_refused(tmp_path: Path, start: str,
                                                       end: str | None, kind: str,
                                                       said: str) -> None:
    event = GOOD_EVENT.replace("start: 2026-12-15", f"start: {start}" +
                               (f"\n        end: {end}" if end else ""))
    event = event.replace("kind: frist", f"kind: {kind}")
    text = "holidays: [2027-05-17]\n" + ONE_CYCLE + event
    with pytest.raises(ContentError) as error:
        load_wheel(write(tmp_path, text))
    assert f"2026/2027 events[0] (frist-x): {said}" in str(error.value)
    assert "arbeidsdager" in str(error.value)


def test_a_period_may_span_a_weekend_and_a_weekday_meeting_loads(tmp_path: Path) -> None:
    period = GOOD_EVENT.replace("start: 2026-12-15", "start: 2027-01-09\n"
                                "        end: 2027-01-10").replace("kind: frist", "kind: periode")
    meeting = GOOD_EVENT.replace("frist-x", "mote-y").replace("kind: frist", "kind: møte")
    wheel = load_wheel(write(tmp_path, ONE_CYCLE + period + meeting))
    assert wheel.days_off() == []
    assert not wheel.is_working_day(date(2027, 1, 9)) and wheel.is_working_day(date(2027, 1, 8))


def test_the_shipped_wheel_has_every_meeting_and_deadline_on_a_working_day() -> None:
    """Checked day by day with the calendar, not only by the validator: the five events
    that fell on a weekend when the Nordland dates were moved to 2026/2027 now sit on the
    weekday they had in Nordland's 2023/2024 wheel."""
    wheel = load_wheel()
    for _, event in wheel.events():
        if event.kind != "periode":
            for day in (event.start, event.last_day):
                assert day.weekday() < 5 and day not in wheel.holidays, (event.id, day)
    moved = {"frist-sammenstilt-behovsmelding": (date(2027, 1, 13), date(2024, 1, 10)),
             "avklaringsmoter": (date(2027, 3, 3), date(2024, 2, 28)),
             "forelopig-innstilling": (date(2027, 3, 10), date(2024, 3, 13)),
             "fagutvalg-evaluering": (date(2027, 5, 12), date(2024, 5, 15)),
             "sf-evaluering": (date(2027, 6, 10), date(2024, 6, 13))}
    for event_id, (now, nordland) in moved.items():
        event = wheel.cycles[0].event(event_id)
        assert event is not None and event.start == now
        assert now.weekday() == nordland.weekday(), event_id
        assert event.source and "flyttet" in event.source


def test_the_shipped_wheel_separates_the_two_first_of_february_events() -> None:
    cycle = load_wheel().cycles[0]
    basis, sf = cycle.event("frist-beslutningsgrunnlag"), cycle.event("sf-starter-arbeidet")
    assert basis is not None and sf is not None
    assert basis.start == sf.start == date(2027, 2, 1)
    assert basis.source and basis.source.startswith("000") and "001" in basis.source
    assert "ta begrepet" in basis.description and "samarbeidsforum" not in basis.audience
    assert sf.source and sf.source.startswith("003") and sf.kind == "periode"
    extra = cycle.event("sf-ekstra-tildeling")
    assert extra is not None and extra.start == date(2026, 9, 29)
    report = cycle.event("frist-rapportering")
    assert report is not None and "året før" in report.description
    assert cycle.based_on and "Nordland" in cycle.based_on


def test_a_copy_moved_to_working_days_is_reported_until_fixed(tmp_path: Path) -> None:
    """A running source keeps the last good wheel when an edit puts a meeting on a
    Sunday, and hands the admins the event and the date."""
    path = write(tmp_path, SHIPPED)
    source = WheelSource(path)
    good = source.wheel
    path.write_text(SHIPPED.replace("start: 2027-06-10", "start: 2027-06-13"),
                    encoding="utf-8")
    touch(path, 30)
    reload = source.reload()
    assert reload.error is not None and source.wheel is good
    assert "(sf-evaluering): 2027-06-13 er søndag" in str(reload.error)


# --- the running source ----------------------------------------------------------------

def test_a_broken_edit_keeps_the_last_good_wheel_and_reports_once(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED)
    source = WheelSource(path)
    good = source.wheel
    assert source.reload().changed is False  # nothing changed on disk

    path.write_text(SHIPPED.replace("start: 2026-12-15", "start: 2026-12-15\n"
                                    "        end: 2026-12-01"), encoding="utf-8")
    touch(path, 10)
    reload = source.reload()
    assert reload.changed is False and reload.error is not None
    assert "frist-behovsmelding" in str(reload.error) and "end" in str(reload.error)
    assert source.wheel is good and source.error is reload.error
    assert source.reload().error is None  # the same broken file is reported once

    path.write_text(SHIPPED.replace("title: Endelig innstilling",
                                    "title: Endelig innstilling i samarbeidsforum"),
                    encoding="utf-8")
    touch(path, 20)
    reload = source.reload()
    assert reload.changed is True and reload.error is None and source.error is None
    assert source.wheel.cycles[0].event("endelig-innstilling").title == \
        "Endelig innstilling i samarbeidsforum"


def test_a_deleted_file_keeps_the_last_good_wheel(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED)
    source = WheelSource(path)
    path.unlink()
    reload = source.reload()
    assert reload.error is not None and "kan ikke leses" in str(reload.error)
    assert isinstance(source.wheel, Wheel) and source.wheel == load_wheel()


def test_saving_the_same_content_is_not_a_change(tmp_path: Path) -> None:
    path = write(tmp_path, SHIPPED)
    source = WheelSource(path)
    touch(path, 30)
    reload = source.reload()
    assert reload.changed is False and reload.error is None


def test_a_source_does_not_start_on_a_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError):
        WheelSource(write(tmp_path, "cycles: [ broken"))
