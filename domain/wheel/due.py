"""Which reminders are due when: pure functions of the wheel and the clock.

A reminder is an (event, offset) pair sent at `send_at` on the day `offset` days before
the event; a day on a Saturday or Sunday moves to the Friday before. A reminder whose
time passed while Kompis was down is still sent within the grace window, and reported
as skipped after it, never sent late without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.norsk import OSLO
from domain.wheel.models import Cycle, Event, Wheel


@dataclass(frozen=True)
class Reminder:
    cycle_id: str
    event: Event
    offset: int
    send_at: datetime  # aware, Europe/Oslo

    @property
    def key(self) -> str:
        """Stable across restarts and replicas: the outbox's dedupe key starts with it."""
        return f"{self.cycle_id}|{self.event.id}|{self.offset}"


@dataclass(frozen=True)
class DueResult:
    due: list[Reminder]
    skipped: list[Reminder]


def working_day_on_or_before(day: date) -> date:
    """Saturday and Sunday become the Friday before."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def send_time(wheel: Wheel, event: Event, offset: int) -> datetime:
    day = working_day_on_or_before(event.start - timedelta(days=offset))
    return datetime.combine(day, wheel.send_at, tzinfo=OSLO)


def all_reminders(wheel: Wheel) -> list[Reminder]:
    """Every reminder of the wheel, in sending order; one per event and sending day."""
    found: list[Reminder] = []
    for cycle, event in wheel.events():
        days: set[date] = set()
        for offset in sorted(wheel.offsets(event.kind)):  # nearest first wins a shared day
            at = send_time(wheel, event, offset)
            if at.date() in days:
                continue
            days.add(at.date())
            found.append(Reminder(cycle.id, event, offset, at))
    return sorted(found, key=lambda r: (r.send_at, r.event.id, r.offset))


def due_reminders(wheel: Wheel, now: datetime, *, grace: timedelta | None = None,
                  since: datetime | None = None) -> DueResult:
    """Reminders to send at `now` (within the grace window) and those too old to send.

    `since` limits the skipped list to reminders after that moment (e.g. the last check),
    so the same skipped reminder is not reported on every check.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    window = grace if grace is not None else timedelta(days=wheel.grace_days)
    due, skipped = [], []
    for reminder in all_reminders(wheel):
        if reminder.send_at > now:
            break
        if reminder.send_at >= now - window:
            due.append(reminder)
        elif since is None or reminder.send_at > since - window:
            skipped.append(reminder)
    return DueResult(due, skipped)


def next_reminder(wheel: Wheel, now: datetime, audiences: tuple[str, ...]) -> Reminder | None:
    """The next reminder a conversation following `audiences` will get."""
    for reminder in all_reminders(wheel):
        if reminder.send_at > now and any(reminder.event.for_audience(a) for a in audiences):
            return reminder
    return None


def next_events(wheel: Wheel, today: date, count: int = 3, *,
                kind: str | None = None) -> list[Event]:
    """The next events not yet over (today's included)."""
    found = [e for _, e in wheel.events()
             if e.last_day >= today and (kind is None or e.kind == kind)]
    return found[:count]


def events_in_month(wheel: Wheel, month: int, today: date, *,
                    kind: str | None = None) -> tuple[int, list[Event]]:
    """(year, events) for the next `month` from today: 'frister i januar' in November
    means next January. Events spanning the month are included."""
    year = today.year if month >= today.month else today.year + 1
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    found = [e for _, e in wheel.events()
             if e.start <= last and e.last_day >= first and (kind is None or e.kind == kind)]
    return year, found


def current_cycle(wheel: Wheel, today: date) -> Cycle:
    """The cycle whose needs-report deadline is next; after the last one, the last cycle."""
    upcoming = []
    for cycle in wheel.cycles:
        deadline = cycle.deadline("behovsmelding")
        if deadline is not None and deadline.start >= today:
            upcoming.append((deadline.start, cycle))
    if upcoming:
        return min(upcoming, key=lambda dc: dc[0])[1]
    return max(wheel.cycles, key=lambda c: c.id)
