"""When reminders are due: offsets, weekends and holidays, the grace window and what is
skipped, the year boundary, 09:00 Oslo in winter and summer; and the event queries
behind `neste frist`, `hva skjer nå` and `frister i januar`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import yaml

from domain.norsk import OSLO
from domain.wheel.due import (
    active_cycle,
    all_reminders,
    current_cycle,
    due_reminders,
    events_in_month,
    next_events,
    next_reminder,
    reminders_for,
    send_time,
    working_day_on_or_before,
)
from domain.wheel.loader import WHEEL_FILE, load_wheel
from domain.wheel.models import Wheel

WHEEL = load_wheel()


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def event(event_id: str, wheel: Wheel = WHEEL):
    return next(e for _, e in wheel.events() if e.id == event_id)


def sends(event_id: str, wheel: Wheel = WHEEL) -> dict[int, datetime]:
    return {r.offset: r.send_at for r in all_reminders(wheel) if r.event.id == event_id}


def make_wheel(*events: dict[str, Any], **settings: Any) -> Wheel:
    """A small wheel with no holidays unless given, for rules the shipped one lacks."""
    base = {"kind": "frist", "audience": "partnerskap", "place": "Teams",
            "description": "Noe som skjer."}
    cycles: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        start = date.fromisoformat(e["start"])
        first = start.year if start.month >= 8 else start.year - 1
        cycles.setdefault(f"{first}/{first + 1}", []).append(
            {**base, "title": e["id"].replace("-", " "), **e})
    return Wheel.model_validate(
        {**settings, "cycles": [{"id": c, "events": ev} for c, ev in cycles.items()]})


def keys(reminders) -> list[str]:
    return [r.key for r in reminders]


# --- offsets, weekends, holidays ---------------------------------------------------------

def test_offsets_for_the_needs_report_deadline_on_tuesday_15_december() -> None:
    assert event("frist-behovsmelding").start.weekday() == 1  # a Tuesday
    # 2 days before is Sunday 13th: it goes out on Friday 11th
    assert sends("frist-behovsmelding") == {
        14: oslo(2026, 12, 1, 9), 7: oslo(2026, 12, 8, 9),
        2: oslo(2026, 12, 11, 9), 0: oslo(2026, 12, 15, 9)}


def test_meetings_get_their_own_offsets() -> None:
    # 18 January 2027 is a Monday: 7 days before is Monday 11th, 1 day before a Sunday
    assert sends("sf-gjennomgang-behovsmeldinger") == {
        7: oslo(2027, 1, 11, 9), 1: oslo(2027, 1, 15, 9)}
    assert sends("partnerskap-planlegger") == {}  # a period is shown, never reminded
    # approval and payout: nobody has anything to deliver, so nobody is reminded of it
    assert sends("godkjenning-utbetaling") == {}
    assert "godkjenning-utbetaling" not in {
        e.id for e in next_events(WHEEL, date(2027, 4, 1), 5, kind="frist")}


def test_offsets_come_from_the_content() -> None:
    wheel = make_wheel({"id": "frist-a", "start": "2026-12-15"},
                       {"id": "mote-a", "start": "2026-12-16", "kind": "møte"},
                       reminders={"frist": [3, 1], "møte": []})
    assert sends("frist-a", wheel) == {3: oslo(2026, 12, 11, 9), 1: oslo(2026, 12, 14, 9)}
    assert sends("mote-a", wheel) == {}


def test_send_time_comes_from_the_content() -> None:
    wheel = make_wheel({"id": "frist-a", "start": "2026-12-15"}, send_at="07:30",
                       reminders={"frist": [0]})
    assert sends("frist-a", wheel) == {0: oslo(2026, 12, 15, 7, 30)}


def test_weekend_days_move_to_friday_and_one_day_sends_once() -> None:
    # Monday 11 January 2027 (no holidays here): 2 days before is Saturday and 1 day
    # before Sunday; both move to Friday 8th, where one reminder goes out: the nearer one
    wheel = make_wheel({"id": "frist-a", "start": "2027-01-11"},
                       reminders={"frist": [14, 2, 1, 0]})
    assert sends("frist-a", wheel) == {
        14: oslo(2026, 12, 28, 9), 1: oslo(2027, 1, 8, 9), 0: oslo(2027, 1, 11, 9)}


def test_listed_holidays_move_to_the_working_day_before() -> None:
    # with the shipped wheel's holidays (Christmas and New Year), a deadline on Friday
    # 8 January 2027 has its 14- and 7-day reminders on holidays: they move to the
    # Wednesdays before, past the holiday Thursdays
    wheel = make_wheel({"id": "frist-a", "start": "2027-01-08"},
                       holidays=sorted(WHEEL.holidays))
    assert sends("frist-a", wheel) == {
        14: oslo(2026, 12, 23, 9), 7: oslo(2026, 12, 30, 9), 2: oslo(2027, 1, 6, 9),
        0: oslo(2027, 1, 8, 9)}
    assert working_day_on_or_before(date(2027, 5, 17), WHEEL.holidays) == date(2027, 5, 14)
    assert working_day_on_or_before(date(2027, 5, 18), WHEEL.holidays) == date(2027, 5, 18)


def test_nine_oclock_oslo_in_winter_and_summer() -> None:
    winter = send_time(WHEEL, event("frist-behovsmelding"), 0)
    summer = send_time(WHEEL, event("frist-rapportering"), 0)
    assert winter.astimezone(UTC).hour == 8
    assert summer.astimezone(UTC).hour == 7


def test_nine_oclock_on_the_mondays_after_the_clocks_change() -> None:
    wheel = make_wheel({"id": "etter-vintertid", "start": "2026-11-02"},
                       {"id": "etter-sommertid", "start": "2027-04-05"},
                       reminders={"frist": [7]})
    # clocks go back on 25 October 2026 and forward on 28 March 2027
    assert sends("etter-vintertid", wheel)[7].astimezone(UTC) == \
        datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert sends("etter-sommertid", wheel)[7].astimezone(UTC) == \
        datetime(2027, 3, 29, 7, tzinfo=UTC)


def test_keys_are_stable_and_unique() -> None:
    reminders = all_reminders(WHEEL)
    assert len(set(keys(reminders))) == len(reminders)
    assert "2026/2027|frist-behovsmelding|7" in keys(reminders)
    assert keys(all_reminders(load_wheel())) == keys(reminders)


def test_a_copied_cycle_keeps_event_ids_but_not_keys() -> None:
    data = yaml.safe_load(WHEEL_FILE.read_text(encoding="utf-8"))
    copy = yaml.safe_load(yaml.safe_dump(data["cycles"][0]))
    copy["id"] = "2027/2028"
    for e in copy["events"]:
        for field in ("start", "end"):
            if field in e:  # 52 weeks on: the same weekdays, so no meeting lands on a weekend
                e[field] = e[field] + timedelta(weeks=52)
    data["cycles"].append(copy)
    wheel = Wheel.model_validate(data)
    both = [r for r in all_reminders(wheel) if r.event.id == "frist-behovsmelding"
            and r.offset == 7]
    assert keys(both) == ["2026/2027|frist-behovsmelding|7", "2027/2028|frist-behovsmelding|7"]
    assert [r.send_at for r in both] == [oslo(2026, 12, 8, 9), oslo(2027, 12, 7, 9)]


# --- what is due at a moment -------------------------------------------------------------

def test_due_at_nine_and_not_a_second_before() -> None:
    before = due_reminders(WHEEL, oslo(2026, 12, 8, 8, 59, 59))
    assert "2026/2027|frist-behovsmelding|7" not in keys(before.due)
    at = due_reminders(WHEEL, oslo(2026, 12, 8, 9, 0), since=oslo(2026, 12, 8, 8, 59))
    assert keys(at.due) == ["2026/2027|frist-behovsmelding|7"]
    assert at.skipped == []  # the 14-day one of 1 December went out a week ago


def test_the_moment_may_be_given_in_any_zone_but_not_naive() -> None:
    utc = due_reminders(WHEEL, datetime(2026, 12, 8, 8, 0, tzinfo=UTC))
    assert "2026/2027|frist-behovsmelding|7" in keys(utc.due)
    with pytest.raises(ValueError):
        due_reminders(WHEEL, datetime(2026, 12, 8, 9, 0))


def test_grace_window_catches_up_and_then_skips() -> None:
    friday = "2026/2027|frist-behovsmelding|2"  # Friday 11 December 09:00
    on_sunday = due_reminders(WHEEL, oslo(2026, 12, 13, 9, 0))
    assert friday in keys(on_sunday.due)  # exactly two days late: still sent
    later = due_reminders(WHEEL, oslo(2026, 12, 13, 9, 0, 1))
    assert friday not in keys(later.due) and friday in keys(later.skipped)
    short = due_reminders(WHEEL, oslo(2026, 12, 11, 10, 30), grace=timedelta(hours=1))
    assert friday not in keys(short.due) and friday in keys(short.skipped)


def test_the_default_grace_comes_from_the_content() -> None:
    wheel = make_wheel({"id": "frist-a", "start": "2026-12-15"}, grace_days=0,
                       reminders={"frist": [0]})
    assert keys(due_reminders(wheel, oslo(2026, 12, 15, 9)).due) == ["2026/2027|frist-a|0"]
    assert due_reminders(wheel, oslo(2026, 12, 15, 9, 1)).due == []


def test_down_for_days_sends_the_recent_and_reports_the_old_once() -> None:
    last_check = oslo(2026, 12, 10, 12, 0)  # then the bot was down until Tuesday
    back = due_reminders(WHEEL, oslo(2026, 12, 15, 10, 0), since=last_check)
    assert keys(back.due) == ["2026/2027|frist-behovsmelding|0"]
    assert keys(back.skipped) == ["2026/2027|frist-behovsmelding|2"]
    # the 7-day reminder of 8 December fell due before the last check: not reported
    again = due_reminders(WHEEL, oslo(2026, 12, 15, 10, 1), since=oslo(2026, 12, 15, 10, 0))
    assert again.skipped == [] and keys(again.due) == keys(back.due)


def test_running_without_a_break_never_reports_anything_skipped() -> None:
    seen: set[str] = set()
    moment, since = oslo(2026, 11, 25, 0, 0), None
    while moment < oslo(2027, 1, 20):
        result = due_reminders(WHEEL, moment, since=since)
        assert result.skipped == [], moment
        seen.update(keys(result.due))
        since, moment = moment, moment + timedelta(minutes=37)
    expected = {r.key for r in all_reminders(WHEEL)
                if oslo(2026, 11, 25) <= r.send_at < oslo(2027, 1, 20)}
    assert seen == expected and len(expected) == 11


def test_without_memory_the_old_reminders_of_coming_events_are_reported() -> None:
    result = due_reminders(WHEEL, oslo(2026, 12, 15, 10, 0))
    assert keys(result.skipped) == ["2026/2027|frist-behovsmelding|14",
                                    "2026/2027|frist-behovsmelding|7",
                                    "2026/2027|frist-behovsmelding|2"]
    # reminders of events already over (October's meetings) are not dragged up again
    assert not any(r.event.id == "sf-regional-andel" for r in result.skipped)


def test_across_the_year_boundary() -> None:
    wheel = make_wheel({"id": "frist-januar", "start": "2027-01-08"},
                       {"id": "frist-desember", "start": "2026-12-31"},
                       reminders={"frist": [7, 0]})
    # Friday 1 January 2027 (no holidays here): down from 31 December 10:00
    result = due_reminders(wheel, oslo(2027, 1, 2, 8, 0), since=oslo(2026, 12, 31, 10, 0))
    assert keys(result.due) == ["2026/2027|frist-desember|0", "2026/2027|frist-januar|7"]
    assert result.skipped == []
    far = due_reminders(wheel, oslo(2027, 1, 4, 9, 0), since=oslo(2026, 12, 31, 10, 0))
    assert keys(far.skipped) == ["2026/2027|frist-januar|7"]
    # the shipped wheel: the last reminder of 2026 and the first of 2027 in order
    shipped = due_reminders(WHEEL, oslo(2027, 1, 1, 9, 0))
    assert keys(shipped.due) == ["2026/2027|frist-sammenstilt-behovsmelding|14"]
    assert send_time(WHEEL, event("frist-sammenstilt-behovsmelding"), 14).year == 2026


def test_reminders_for_one_event_in_sending_order() -> None:
    cycle = WHEEL.cycles[0]
    found = reminders_for(WHEEL, cycle, event("frist-rapportering"))
    assert [r.offset for r in found] == [14, 7, 2, 0]
    assert [r.send_at for r in found] == sorted(r.send_at for r in found)


def test_next_reminder_for_the_audiences_a_chat_follows() -> None:
    now = oslo(2026, 11, 22, 12)
    assert next_reminder(WHEEL, now, ("partnerskap",)).key == \
        "2026/2027|frist-behovsmelding|14"
    forum = next_reminder(WHEEL, now, ("samarbeidsforum",))
    assert forum.key == "2026/2027|sf-gjennomgang-behovsmeldinger|7"
    assert next_reminder(WHEEL, oslo(2027, 6, 18), ("partnerskap",)) is None


# --- events for the commands -------------------------------------------------------------

def test_next_events_include_what_is_going_on() -> None:
    today = date(2026, 11, 22)
    assert [e.id for e in next_events(WHEEL, today, 2)] == [
        "partnerskap-planlegger", "frist-behovsmelding"]
    assert [e.id for e in next_events(WHEEL, today, 2, kind="frist")] == [
        "frist-behovsmelding", "frist-sammenstilt-behovsmelding"]
    assert [e.id for e in next_events(WHEEL, today, 2, audience="koordinator")] == [
        "frist-sammenstilt-behovsmelding", "frist-beslutningsgrunnlag"]
    # on the deadline day itself it is still next; the day after it is gone
    assert next_events(WHEEL, date(2026, 12, 15), 1, kind="frist")[0].id == \
        "frist-behovsmelding"
    assert next_events(WHEEL, date(2026, 12, 16), 1, kind="frist")[0].id == \
        "frist-sammenstilt-behovsmelding"
    assert next_events(WHEEL, date(2027, 6, 18), 3) == []


def test_events_in_a_month_from_today() -> None:
    november = date(2026, 11, 22)
    year, january = events_in_month(WHEEL, 1, november, kind="frist")
    assert year == 2027 and [e.id for e in january] == ["frist-sammenstilt-behovsmelding"]
    year, all_january = events_in_month(WHEEL, 1, november)
    assert [e.id for e in all_january] == ["frist-sammenstilt-behovsmelding",
                                           "sf-gjennomgang-behovsmeldinger"]
    # this month is this year, passed days included; a period reaching in is included
    year, december = events_in_month(WHEEL, 12, date(2026, 12, 20))
    assert year == 2026
    assert [e.id for e in december] == ["partnerskap-planlegger", "frist-behovsmelding"]
    # a month already behind us means next year's
    year, october = events_in_month(WHEEL, 10, november)
    assert year == 2027 and october == []
    with pytest.raises(ValueError):
        events_in_month(WHEEL, 13, november)


def test_current_cycle_is_the_one_whose_needs_deadline_is_next() -> None:
    wheel = make_wheel(
        {"id": "frist-behovsmelding", "start": "2026-12-15", "deadline_for": "behovsmelding"},
        {"id": "frist-rapportering", "start": "2027-06-17", "deadline_for": "rapportering"},
        {"id": "frist-behovsmelding", "start": "2027-12-15", "deadline_for": "behovsmelding"},
        {"id": "frist-rapportering", "start": "2028-06-16", "deadline_for": "rapportering"})
    assert current_cycle(wheel, date(2026, 11, 1)).id == "2026/2027"
    assert current_cycle(wheel, date(2026, 12, 15)).id == "2026/2027"
    assert current_cycle(wheel, date(2026, 12, 16)).id == "2027/2028"
    assert current_cycle(wheel, date(2029, 1, 1)).id == "2027/2028"
    # showing the wheel: in January the 2026/2027 cycle is still running
    assert active_cycle(wheel, date(2027, 1, 10)).id == "2026/2027"
    assert active_cycle(wheel, date(2027, 8, 1)).id == "2027/2028"
    assert active_cycle(wheel, date(2029, 1, 1)).id == "2027/2028"
    assert current_cycle(WHEEL, date(2026, 11, 22)).id == "2026/2027"
