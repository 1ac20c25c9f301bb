"""Cards of the annual wheel: the whole cycle, what is next, a month, and reminders.

Pure builders: events and the day in, an Adaptive Card out. The day is passed in (not
read from a clock) so a card says "om 7 dager" the same way in a test and in January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cards.base import Card, Element, card, container, facts, heading, open_url, submit, text
from domain.norsk import MONTHS, and_list, format_date
from domain.wheel import texts
from domain.wheel.models import Cycle, Event

SAY_WHEEL = "årshjul"  # the command the "Hele årshjulet" button sends
SAY_START_REPORT = "meld behov"  # starts a report, or offers the drafts to continue

_INLINE = re.compile(r"([\\`*_\[\]~<>])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)")


def _plain(value: str) -> str:
    """A name typed by a person, shown literally in a markdown TextBlock: escapes what
    Teams would turn into emphasis, links or list markers, and keeps '(KKUS)' readable."""
    escaped = _INLINE.sub(r"\\\1", " ".join(value.split()))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _event_row(event: Event, today: date) -> Element:
    """One event: deadlines bold and red until they have passed; passed events grey."""
    past = event.last_day < today
    label = texts.KIND[event.kind]
    headline = f"**{label}:** {event.title}" if event.is_deadline else f"{label}: {event.title}"
    return container(
        [
            text(headline, subtle=past,
                 color="Attention" if event.is_deadline and not past else None),
            text(f"{texts.when(event, today)} · {texts.where(event)} · {texts.who(event)}",
                 size="Small", subtle=True, spacing="None"),
        ],
        spacing="Small",
    )


PICTURE_ALT = "Årshjulet {cycle} tegnet som et hjul med månedene rundt."
PICTURE_NEXT = "Neste: {events}."
PICTURE_DONE = "Alle hendelsene er passert."


def picture_alt(cycle: Cycle, today: date, count: int = 3) -> str:
    """The wheel picture's alt text: what it is, and the next `count` events."""
    coming = sorted((e for e in cycle.events if e.last_day >= today),
                    key=lambda e: (e.start, e.last_day, e.id))[:count]
    head = PICTURE_ALT.format(cycle=cycle.id)
    if not coming:
        return f"{head} {PICTURE_DONE}"
    listed = "; ".join(f"{e.start.day}. {MONTHS[e.start.month - 1]}: "
                       f"{texts.KIND[e.kind].lower()}, {e.title}" for e in coming)
    return f"{head} {PICTURE_NEXT.format(events=listed)}"


def wheel_card(cycle: Cycle, today: date, calendar_url: str,
               picture_url: str | None = None) -> Card:
    """Every event of the cycle in date order, under what its dates build on; passed ones
    dimmed, deadlines marked, and a button to subscribe to the calendar feed at
    `calendar_url`. With `picture_url`, the wheel drawn as a wheel (`/arshjul.png`) at the
    top, its alt text naming what is next."""
    body: list[Element] = []
    if picture_url:
        body.append({"type": "Image", "url": picture_url, "altText": picture_alt(cycle, today),
                     "size": "Stretch"})
    body += [heading(texts.WHEEL_TITLE.format(cycle=cycle.id)), text(texts.WHEEL_INTRO)]
    if cycle.based_on:
        body.append(text(texts.WHEEL_BASED_ON.format(based_on=_plain(cycle.based_on)),
                         size="Small", subtle=True, spacing="None"))
    events = sorted(cycle.events, key=lambda e: (e.start, e.last_day, e.id))
    body += [_event_row(e, today) for e in events]
    return card(body, [open_url(texts.CALENDAR_BUTTON, calendar_url)])


def next_card(events: list[Event], today: date, calendar_url: str) -> Card:
    """`neste frist` / `hva skjer nå`: the events given (see due.next_events)."""
    body = [heading(texts.NEXT_TITLE)]
    body += [_event_row(e, today) for e in events] or [text(texts.NOTHING_NEXT)]
    return card(body, [submit(texts.WHEEL_BUTTON, "say", text=SAY_WHEEL),
                       open_url(texts.CALENDAR_BUTTON, calendar_url)])


def month_card(events: list[Event], month: int, year: int, today: date, *,
               deadlines_only: bool) -> Card:
    """`frister i januar` (deadlines_only) or `hva skjer i januar`."""
    what = "Frister" if deadlines_only else "Hendelser"
    name = MONTHS[month - 1]
    body = [heading(texts.MONTH_TITLE.format(what=what, month=name, year=year))]
    if events:
        body += [_event_row(e, today) for e in events]
    else:
        body.append(text(texts.MONTH_NONE.format(what=what.lower(), month=name, year=year)))
    return card(body, [submit(texts.WHEEL_BUTTON, "say", text=SAY_WHEEL)])


@dataclass(frozen=True)
class PendingPartnership:
    """A partnership the coordinator's reminder lists as not submitted: `measures` in
    its draft, or None when it has not started one."""

    name: str
    measures: int | None


def _reminder_head(event: Event, today: date) -> list[Element]:
    pairs = [(texts.LABEL_WHEN, texts.when(event, today)),
             (texts.LABEL_WHERE, texts.where(event)),
             (texts.LABEL_WHO, texts.who(event))]
    about = texts.deadline_for(event)
    if about:
        pairs.append((texts.LABEL_DEADLINE_FOR, about[0].upper() + about[1:]))
    return [
        text(texts.REMINDER_KICKER.format(kind=texts.KIND[event.kind].lower(),
                                          relative=texts.relative(event, today)),
             size="Small", subtle=True),
        heading(texts.REMINDER_TITLE.format(kind=texts.KIND[event.kind], title=event.title),
                level=2),
        facts(pairs),
    ]


def reminder_card(event: Event, today: date, *,
                  pending: list[PendingPartnership] | None = None,
                  start_report: bool = False) -> Card:
    """The reminder sent on `today`: what, when ('om 7 dager'), where, who.

    `pending` makes it the coordinator's version: the partnerships in the network that
    have not submitted, with how far their drafts are (an empty list: all have).
    `start_report` adds the button that starts or continues the needs report, on the
    needs-report deadline only and never on the coordinator's version.
    """
    body = _reminder_head(event, today)
    body.append(text(event.description, subtle=True))
    if pending is not None:
        if pending:
            lines = [f"- {_plain(p.name)}: {texts.pending_line(p.measures)}" for p in pending]
            body.append(text(texts.NOT_SUBMITTED_HEADER.format(n=len(pending)),
                             weight="Bolder"))
            body.append(text("\n".join(lines), spacing="None"))
        else:
            body.append(text(texts.ALL_SUBMITTED, color="Good"))
    actions = []
    if start_report and event.deadline_for == "behovsmelding" and pending is None:
        actions.append(submit(texts.START_REPORT_BUTTON, "say", text=SAY_START_REPORT))
    actions.append(submit(texts.WHEEL_BUTTON, "say", text=SAY_WHEEL))
    return card(body, actions)


def thanks_card(event: Event, today: date, schemes: list[str]) -> Card:
    """Instead of a nag, for a partnership that has already submitted for `schemes`."""
    listed = and_list([_plain(s) for s in schemes])
    return card([
        text(texts.THANKS_KICKER, size="Small", subtle=True),
        heading(texts.THANKS_TITLE.format(schemes=listed), level=2),
        text(texts.THANKS.format(date=format_date(event.start, weekday=True))),
        text(event.title, subtle=True, size="Small"),
    ])
