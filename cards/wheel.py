"""Cards of the annual wheel: the whole cycle, what is next, a month, and reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cards.base import Card, card, container, facts, heading, open_url, submit, text
from domain.norsk import MONTHS, days_until, format_date
from domain.wheel import texts
from domain.wheel.models import Cycle, Event


def _event_row(event: Event, today: date) -> dict:
    """One event: deadlines bold and red until they have passed, passed events grey."""
    past = event.last_day < today
    deadline = event.kind == "frist"
    label = f"**{texts.KIND[event.kind]}:**" if deadline else f"{texts.KIND[event.kind]}:"
    return container(
        [
            text(f"{label} {event.title}", subtle=past,
                 color="Attention" if deadline and not past else None),
            text(f"{texts.when(event, today)} · {texts.where(event)} · {texts.who(event)}",
                 size="Small", subtle=True, spacing="None"),
        ],
        spacing="Small",
    )


def wheel_card(cycle: Cycle, today: date, calendar_url: str) -> Card:
    """Every event of the cycle; passed ones dimmed, deadlines marked."""
    body = [heading(texts.WHEEL_TITLE.format(cycle=cycle.id)), text(texts.WHEEL_INTRO)]
    body += [_event_row(e, today) for e in sorted(cycle.events, key=lambda e: e.start)]
    return card(body, [open_url(texts.CALENDAR_BUTTON, calendar_url)])


def next_card(events: list[Event], today: date, calendar_url: str) -> Card:
    body = [heading(texts.NEXT_TITLE)]
    body += [_event_row(e, today) for e in events] or [text(texts.NOTHING_NEXT)]
    return card(body, [submit(texts.WHEEL_BUTTON, "say", text="årshjul"),
                       open_url(texts.CALENDAR_BUTTON, calendar_url)])


def month_card(events: list[Event], month: int, year: int, today: date, *,
               deadlines_only: bool) -> Card:
    what = "Frister" if deadlines_only else "Hendelser"
    body = [heading(texts.MONTH_TITLE.format(what=what, month=MONTHS[month - 1], year=year))]
    if events:
        body += [_event_row(e, today) for e in events]
    else:
        body.append(text(texts.MONTH_NONE.format(what=what.lower(), month=MONTHS[month - 1],
                                                 year=year)))
    return card(body, [submit(texts.WHEEL_BUTTON, "say", text="årshjul")])


@dataclass(frozen=True)
class PendingPartnership:
    """A partnership the coordinator's reminder lists as not submitted."""

    name: str
    measures: int | None  # None: not started


def reminder_card(event: Event, today: date, *,
                  pending: list[PendingPartnership] | None = None,
                  start_report: bool = False) -> Card:
    """The reminder: what, when, where, who. Needs-report deadlines get a start button;
    a coordinator's version lists the partnerships that have not submitted.
    `start_report` adds the button that starts or continues the needs report."""
    when_short = days_until(event.start, today)
    body = [
        heading(texts.REMINDER_TITLE.format(kind_lower=texts.KIND[event.kind].lower(),
                                            when_short=when_short), level=2),
        text(f"**{event.title}**"),
        facts([("Når", texts.when(event, today)), ("Hvor", texts.where(event)),
               ("For", texts.who(event))]),
        text(event.description, subtle=True),
    ]
    if pending is not None:
        if pending:
            lines = [f"- {p.name}: " + (texts.NOT_STARTED if p.measures is None
                                        else texts.DRAFT_LINE.format(n=p.measures))
                     for p in pending]
            body.append(text(texts.NOT_SUBMITTED_HEADER.format(n=len(pending)) + "\n"
                             + "\n".join(lines)))
        else:
            body.append(text(texts.ALL_SUBMITTED))
    actions = []
    if start_report and event.deadline_for == "behovsmelding" and pending is None:
        actions.append(submit(texts.START_REPORT_BUTTON, "say", text="meld behov"))
    actions.append(submit(texts.WHEEL_BUTTON, "say", text="årshjul"))
    return card(body, actions)


def thanks_card(event: Event, today: date, schemes: list[str]) -> Card:
    """Instead of a nag: the partnership has already submitted."""
    return card([
        heading(texts.REMINDER_TITLE.format(kind_lower=texts.KIND[event.kind].lower(),
                                            when_short=days_until(event.start, today)),
                level=2),
        text(texts.THANKS.format(schemes=", ".join(schemes))),
        text(f"{event.title}: {format_date(event.start, weekday=True)}", subtle=True),
    ])
