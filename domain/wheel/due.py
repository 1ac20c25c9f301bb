"""Which reminders are due when, and which events to show: pure functions of the wheel
and the clock.

A reminder is an (event, offset) pair sent at the wheel's `send_at` (09:00 Europe/Oslo)
on the day `offset` days before the event starts; a day on a weekend or a listed holiday
moves to the working day before. A reminder whose moment passed while Kompis was down is
still due within the grace window, and reported as skipped after it: never sent late
without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from domain.norsk import OSLO
from domain.wheel.models import Cycle, Event, Wheel


@dataclass(frozen=True)
class Reminder:
    """One reminder of one event; the same for every conversation that gets it."""

    cycle_id: str
    event: Event
    offset: int  # days before the event's start, as configured (not after moving it)
    send_at: datetime  # aware, Europe/Oslo

    @property
    def key(self) -> str:
        """'2026/2027|frist-behovsmelding|7': stable across restarts and replicas, so the
        outbox can be unique per (key, conversation). The cycle is part of it because a
        copied cycle keeps its event ids."""
        return f"{self.cycle_id}|{self.event.id}|{self.offset}"


@dataclass(frozen=True)
class DueResult:
    """`due`: send now (the outbox makes repeats harmless); `skipped`: too old to send."""

    due: list[Reminder] = field(default_factory=list)
    skipped: list[Reminder] = field(default_factory=list)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("tidspunktet må ha tidssone (f.eks. Europe/Oslo)")
    return moment


def working_day_on_or_before(day: date, holidays: frozenset[date] = frozenset()) -> date:
    """Saturday, Sunday and listed holidays become the working day before."""
    while day.weekday() >= 5 or day in holidays:
        day -= timedelta(days=1)
    return day


def send_time(wheel: Wheel, event: Event, offset: int) -> datetime:
    """When the reminder `offset` days before `event` goes out (aware, Oslo time; the
    zone gives 09:00 both in winter and summer time)."""
    day = working_day_on_or_before(event.start - timedelta(days=offset), wheel.holidays)
    return datetime.combine(day, wheel.send_at, tzinfo=OSLO)


def reminders_for(wheel: Wheel, cycle: Cycle, event: Event) -> list[Reminder]:
    """An event's reminders; offsets that land on the same day after moving give one
    reminder, the one nearest the event (its text is the most current)."""
    found: dict[date, Reminder] = {}
    for offset in sorted(wheel.offsets(event.kind)):
        at = send_time(wheel, event, offset)
        found.setdefault(at.date(), Reminder(cycle.id, event, offset, at))
    return sorted(found.values(), key=lambda r: r.send_at)


def all_reminders(wheel: Wheel) -> list[Reminder]:
    """Every reminder of the wheel, in sending order."""
    found = [r for cycle, event in wheel.events() for r in reminders_for(wheel, cycle, event)]
    return sorted(found, key=lambda r: (r.send_at, r.event.start, r.event.id, r.offset))


def due_reminders(wheel: Wheel, now: datetime, *, since: datetime | None = None,
                  grace: timedelta | None = None) -> DueResult:
    """Reminders to send at `now`, and those whose time passed longer ago than `grace`.

    `due` holds every reminder whose moment lies in [now - grace, now], on every call:
    callers write them to an outbox unique per key and conversation, so a crash between
    two checks loses nothing and a repeat sends nothing. `grace` defaults to the wheel's
    `grace_days` (2 days).

    `since` is the moment of the previous check. With it, `skipped` holds only the
    reminders that fell due after it and are already older than the window (the bot was
    down), so each is reported once. Without it (first check after a start, no memory),
    `skipped` holds the too-old reminders of events not yet over; the outbox tells
    whether they went out before.
    """
    now = _aware(now)
    window = grace if grace is not None else timedelta(days=wheel.grace_days)
    oldest = now - window
    today = now.astimezone(OSLO).date()
    result = DueResult()
    for reminder in all_reminders(wheel):
        if reminder.send_at > now:
            break
        if reminder.send_at >= oldest:
            result.due.append(reminder)
        elif since is not None:
            if reminder.send_at > _aware(since):
                result.skipped.append(reminder)
        elif reminder.event.last_day >= today:
            result.skipped.append(reminder)
    return result


def next_reminder(wheel: Wheel, now: datetime,
                  audiences: tuple[str, ...] | list[str]) -> Reminder | None:
    """The next reminder a conversation following `audiences` will get."""
    now = _aware(now)
    for reminder in all_reminders(wheel):
        if reminder.send_at > now and any(reminder.event.for_audience(a) for a in audiences):
            return reminder
    return None


def _matches(event: Event, kind: str | None, audience: str | None) -> bool:
    return (kind is None or event.kind == kind) and event.for_audience(audience)


def next_events(wheel: Wheel, today: date, count: int = 3, *, kind: str | None = None,
                audience: str | None = None) -> list[Event]:
    """The next `count` events not yet over, today's and ongoing ones included
    (`neste frist` with kind='frist', `hva skjer nå` without)."""
    found = [e for _, e in wheel.events() if e.last_day >= today and _matches(e, kind, audience)]
    return found[:count]


def month_year(month: int, today: date) -> int:
    """The year of the coming `month`: in November, 'januar' means next January; the
    current month is this year's."""
    if not 1 <= month <= 12:
        raise ValueError(f"måned {month} finnes ikke")
    return today.year if month >= today.month else today.year + 1


def events_in_month(wheel: Wheel, month: int, today: date, *, kind: str | None = None,
                    audience: str | None = None) -> tuple[int, list[Event]]:
    """(year, events) of the coming `month` (`frister i januar`); events that span into
    or across the month are included."""
    year = month_year(month, today)
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    found = [e for _, e in wheel.events()
             if e.start <= last and e.last_day >= first and _matches(e, kind, audience)]
    return year, found


def current_cycle(wheel: Wheel, today: date) -> Cycle:
    """The cycle whose partnerships' needs-report deadline is next (a new report belongs
    to it); after the last such deadline, the latest cycle."""
    upcoming = []
    for cycle in wheel.cycles:
        deadline = cycle.deadline("behovsmelding")
        if deadline is not None and deadline.last_day >= today:
            upcoming.append((deadline.last_day, cycle))
    if upcoming:
        return min(upcoming, key=lambda dc: dc[0])[1]
    return max(wheel.cycles, key=lambda c: c.id)


def active_cycle(wheel: Wheel, today: date) -> Cycle:
    """The cycle in progress today, for showing the wheel: after 15 December the current
    cycle still has its meetings and the reporting deadline in June, even when a copied
    next cycle already has the next needs-report deadline. Between cycles, the next one;
    after the last, the latest."""
    running = [c for c in wheel.cycles if c.first_day <= today <= c.last_day]
    if running:
        return min(running, key=lambda c: c.first_day)
    coming = [c for c in wheel.cycles if c.first_day > today]
    if coming:
        return min(coming, key=lambda c: c.first_day)
    return max(wheel.cycles, key=lambda c: c.last_day)
