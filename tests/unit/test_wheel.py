"""The annual wheel without a bot: loading, due reminders, calendar feed, cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from cards.check import check_card
from cards.wheel import (
    PendingPartnership,
    month_card,
    next_card,
    reminder_card,
    thanks_card,
    wheel_card,
)
from domain.content import ContentError
from domain.norsk import OSLO
from domain.wheel.due import (
    all_reminders,
    current_cycle,
    due_reminders,
    events_in_month,
    next_events,
    next_reminder,
    send_time,
)
from domain.wheel.ical import to_ics
from domain.wheel.loader import WHEEL_FILE, WheelSource, load_wheel
from domain.wheel.texts import when

WHEEL = load_wheel()


def event(event_id: str):
    return next(e for _, e in WHEEL.events() if e.id == event_id)


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


# --- loading ---------------------------------------------------------------------------

def test_the_shipped_wheel_covers_the_cycle() -> None:
    [cycle] = WHEEL.cycles
    assert cycle.id == "2026/2027"
    assert cycle.deadline("behovsmelding").start == date(2026, 12, 15)
    assert cycle.deadline("sammenstilt_behovsmelding").start == date(2027, 1, 10)
    assert cycle.deadline("rapportering").start == date(2027, 6, 17)
    assert len(cycle.events) >= 14
    assert WHEEL.offsets("frist") == (14, 7, 2, 0) and WHEEL.offsets("møte") == (7, 1)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "arshjul.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_EVENT = """
      - id: frist-x
        title: En frist
        start: 2026-12-15
        kind: frist
        audience: partnerskap
        place: Teams
        description: Beskrivelse av fristen.
"""


@pytest.mark.parametrize(("body", "expected"), [
    ("cycles: [", "ugyldig YAML"),
    ("cycles:\n  - id: '2026/2027'\n    events:\n      - id: x1\n        title: Hei\n",
     "events[0] (x1).start"),
    ("cycles:\n  - id: '2026/2027'\n    events:" + GOOD_EVENT.replace(
        "start: 2026-12-15", "start: 2026-12-15\n        end: 2026-12-01"), "er før start"),
    ("cycles:\n  - id: '2026/2027'\n    events:" + GOOD_EVENT + GOOD_EVENT,
     "brukt to ganger"),
    ("cycles:\n  - id: '2026/2027'\n    events:" + GOOD_EVENT.replace("kind: frist",
                                                                      "kind: fest"),
     "events[0] (frist-x).kind"),
    ("cycles:\n  - id: '2026/2027'\n    events:" + GOOD_EVENT.replace(
        "audience: partnerskap", "audience: [rektor]"), "events[0] (frist-x).audience"),
])
def test_broken_files_name_file_event_and_field(tmp_path: Path, body: str,
                                                expected: str) -> None:
    with pytest.raises(ContentError) as error:
        load_wheel(write(tmp_path, body))
    assert "arshjul.yaml" in str(error.value)
    assert expected in str(error.value)


def test_a_broken_edit_keeps_the_last_good_wheel(tmp_path: Path) -> None:
    path = write(tmp_path, WHEEL_FILE.read_text(encoding="utf-8"))
    source = WheelSource(path)
    path.write_text("cycles: [ broken", encoding="utf-8")
    import os
    os.utime(path, (1, 1))
    reload = source.reload()
    assert reload.error is not None and not reload.changed
    assert source.wheel == WHEEL
    path.write_text(WHEEL_FILE.read_text(encoding="utf-8").replace(
        "title: Endelig innstilling", "title: Endelig innstilling i samarbeidsforum"),
        encoding="utf-8")
    os.utime(path, (2, 2))
    assert source.reload().changed
    assert any(e.title == "Endelig innstilling i samarbeidsforum"
               for _, e in source.wheel.events())


# --- when reminders go out -------------------------------------------------------------

def test_offsets_for_the_needs_report_deadline() -> None:
    sends = {r.offset: r.send_at for r in all_reminders(WHEEL)
             if r.event.id == "frist-behovsmelding"}
    assert sends == {14: oslo(2026, 12, 1, 9), 7: oslo(2026, 12, 8, 9),
                     2: oslo(2026, 12, 11, 9), 0: oslo(2026, 12, 15, 9)}
    # 2 days before Tuesday 15 December is Sunday 13th: it goes out on Friday 11th


def test_weekend_deadline_moves_to_friday_and_is_sent_once_that_day() -> None:
    sends = sorted((r.offset, r.send_at) for r in all_reminders(WHEEL)
                   if r.event.id == "frist-sammenstilt-behovsmelding")
    # 10 January 2027 is a Sunday: day 0 and day 2 both fall on Friday 8th -> one reminder
    assert sends == [(0, oslo(2027, 1, 8, 9)), (7, oslo(2027, 1, 1, 9)),
                     (14, oslo(2026, 12, 25, 9))]


def test_nine_oclock_oslo_in_winter_and_summer() -> None:
    winter = send_time(WHEEL, event("frist-behovsmelding"), 0)
    summer = send_time(WHEEL, event("frist-rapportering"), 0)
    assert winter.astimezone(UTC).hour == 8
    assert summer.astimezone(UTC).hour == 7


def test_due_at_the_moment_and_not_before() -> None:
    before = due_reminders(WHEEL, oslo(2026, 12, 8, 8, 59))
    assert all(r.key != "2026/2027|frist-behovsmelding|7" for r in before.due)
    at = due_reminders(WHEEL, oslo(2026, 12, 8, 9, 0))
    assert "2026/2027|frist-behovsmelding|7" in [r.key for r in at.due]


def test_grace_window_and_skipped() -> None:
    # down from Friday to Tuesday: Friday's reminder is older than two days
    result = due_reminders(WHEEL, oslo(2026, 12, 15, 10), grace=timedelta(days=2))
    keys = [r.key for r in result.due]
    assert "2026/2027|frist-behovsmelding|0" in keys
    assert "2026/2027|frist-behovsmelding|2" not in keys
    assert "2026/2027|frist-behovsmelding|2" in [r.key for r in result.skipped]
    # a later check does not report the same skipped reminder again
    later = due_reminders(WHEEL, oslo(2026, 12, 15, 10, 1), since=oslo(2026, 12, 15, 10))
    assert later.skipped == []


def test_across_the_year_boundary() -> None:
    result = due_reminders(WHEEL, oslo(2027, 1, 1, 9, 30))
    assert [r.key for r in result.due] == ["2026/2027|frist-sammenstilt-behovsmelding|7"]


def test_next_reminder_for_an_audience() -> None:
    now = oslo(2026, 11, 22, 12)
    partnership = next_reminder(WHEEL, now, ("partnerskap",))
    assert partnership.key == "2026/2027|frist-behovsmelding|14"
    forum = next_reminder(WHEEL, now, ("samarbeidsforum",))
    assert forum.event.id == "sf-gjennomgang-behovsmeldinger" or forum.send_at > now


def test_next_events_month_and_cycle() -> None:
    today = date(2026, 11, 22)
    assert [e.id for e in next_events(WHEEL, today, 2)] == [
        "partnerskap-planlegger", "frist-behovsmelding"]
    assert [e.id for e in next_events(WHEEL, today, 2, kind="frist")] == [
        "frist-behovsmelding", "frist-sammenstilt-behovsmelding"]
    year, in_january = events_in_month(WHEEL, 1, today, kind="frist")
    assert year == 2027 and [e.id for e in in_january] == ["frist-sammenstilt-behovsmelding"]
    year, in_december = events_in_month(WHEEL, 12, today)
    assert year == 2026 and "partnerskap-planlegger" in [e.id for e in in_december]
    assert current_cycle(WHEEL, today).id == "2026/2027"


def test_when_text() -> None:
    today = date(2026, 12, 8)
    assert when(event("frist-behovsmelding"), today) == "tirsdag 15. desember 2026, om 7 dager"
    assert when(event("forelopig-innstilling"), date(2027, 3, 10)) == \
        "13.–14. mars 2027, om 3 dager"


# --- calendar feed ---------------------------------------------------------------------

def test_ics_parses_back_with_stable_uids_and_bytes() -> None:
    first, again = to_ics(WHEEL), to_ics(load_wheel())
    assert first == again
    calendar = Calendar.from_ical(first)
    events = calendar.walk("VEVENT")
    assert len(events) == len(WHEEL.cycles[0].events)
    uids = {str(e["UID"]) for e in events}
    assert "2026-2027-frist-behovsmelding@kompis" in uids
    deadline = next(e for e in events if str(e["UID"]).startswith("2026-2027-frist-behov"))
    assert deadline.decoded("DTSTART") == date(2026, 12, 15)
    assert deadline.decoded("DTEND") == date(2026, 12, 16)


def test_ics_per_audience() -> None:
    koordinator = Calendar.from_ical(to_ics(WHEEL, "koordinator")).walk("VEVENT")
    summaries = " ".join(str(e["SUMMARY"]) for e in koordinator)
    assert "sammenstilt" in summaries
    assert "Endelig innstilling" not in summaries  # samarbeidsforum only
    assert "godkjenning" in summaries.lower()  # audience 'alle'


# --- cards -----------------------------------------------------------------------------

def test_every_wheel_card_is_valid() -> None:
    today = date(2026, 12, 8)
    deadline = event("frist-behovsmelding")
    cards = [
        wheel_card(WHEEL.cycles[0], today, "https://kompis.example.no/calendar/arshjul.ics"),
        next_card(next_events(WHEEL, today), today, "https://x/calendar/arshjul.ics"),
        next_card([], today, "https://x/calendar/arshjul.ics"),
        month_card(events_in_month(WHEEL, 1, today)[1], 1, 2027, today, deadlines_only=True),
        month_card([], 8, 2027, today, deadlines_only=False),
        reminder_card(deadline, today, start_report=True),
        reminder_card(event("endelig-innstilling"), date(2027, 3, 11)),
        reminder_card(deadline, today, pending=[PendingPartnership("Fosen (KKUS)", 2),
                                                PendingPartnership("Åfjord (KKUB)", None)]),
        reminder_card(deadline, today, pending=[]),
        thanks_card(deadline, today, ["KKUB", "KKUS"]),
    ]
    for built in cards:
        check_card(built)
    assert any(a.get("data", {}).get("text") == "meld behov" for a in cards[5]["actions"])
    assert not any(a.get("data", {}).get("text") == "meld behov" for a in cards[7]["actions"])
    assert "ikke startet" in str(cards[7]) and "utkast med 2 tiltak" in str(cards[7])
