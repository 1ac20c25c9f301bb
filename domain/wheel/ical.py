"""The wheel as iCalendar, so people can subscribe in Outlook or Teams' calendar.

Calendar clients match events by UID, so a UID must never change while the event is the
same: it is made of the cycle and the event id (a copied cycle keeps its event ids, so
the cycle must be part of it). DTSTAMP is taken from the cycle, not the clock, so the
same wheel always gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, vDuration
from icalendar import Event as IcsEvent

from domain.norsk import OSLO
from domain.wheel import texts
from domain.wheel.models import AUDIENCES, Cycle, Event, Wheel

PRODID = "-//Kompis//Årshjul//NB"
DOMAIN = "kompis"
REFRESH = timedelta(hours=12)  # how often subscribed clients should fetch the feed again
DEFAULT_DURATION = timedelta(hours=1)  # a timed event without end_time


def uid(cycle: Cycle, event: Event) -> str:
    """'2026-2027-frist-behovsmelding@kompis': stable for as long as the ids are."""
    return f"{cycle.id.replace('/', '-')}-{event.id}@{DOMAIN}"


def stamp(cycle: Cycle) -> datetime:
    """1 January of the cycle's first year, 00:00 UTC: from the content, never the clock."""
    return datetime(int(cycle.id[:4]), 1, 1, tzinfo=UTC)


def _component(cycle: Cycle, event: Event) -> IcsEvent:
    item = IcsEvent()
    item.add("uid", uid(cycle, event))
    item.add("dtstamp", stamp(cycle))
    item.add("summary", f"{texts.KIND[event.kind]}: {event.title}")
    if event.time:
        start = datetime.combine(event.start, event.time, tzinfo=OSLO)
        if event.end_time:
            end = datetime.combine(event.last_day, event.end_time, tzinfo=OSLO)
        else:
            end = datetime.combine(event.last_day, event.time, tzinfo=OSLO) + DEFAULT_DURATION
        item.add("dtstart", start)
        item.add("dtend", end)
    else:
        item.add("dtstart", event.start)
        item.add("dtend", event.last_day + timedelta(days=1))  # exclusive, all-day
    item.add("description", f"{event.description}\n\n{texts.ICS_WHO.format(who=texts.who(event))}")
    item.add("location", texts.where(event))
    item.add("categories", [texts.KIND[event.kind]])
    # a deadline or a period does not make anyone busy; a meeting does
    item.add("transp", "OPAQUE" if event.kind == "møte" else "TRANSPARENT")
    return item


def to_ics(wheel: Wheel, audience: str | None = None) -> bytes:
    """Every cycle's events (or those for one audience, 'alle' included) as a feed.

    Raises ValueError for an unknown audience, so a web route can answer 404."""
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"ukjent målgruppe {audience!r}")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = texts.calendar_name(audience)
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("x-wr-caldesc", texts.CALENDAR_DESCRIPTION)
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for cycle, event in wheel.events():
        if event.for_audience(audience):
            cal.add_component(_component(cycle, event))
    cal.add_missing_timezones()  # a VTIMEZONE for Europe/Oslo when an event has a time
    return cal.to_ical()
