"""The wheel as iCalendar, so people can subscribe in Outlook or Teams' calendar.

UIDs are stable (cycle + event id), and DTSTAMP comes from the content, so the same
wheel gives the same bytes and calendar clients update events instead of duplicating.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as IcsEvent

from domain.norsk import OSLO
from domain.wheel import texts
from domain.wheel.models import Wheel

PRODID = "-//Kompis//Årshjul//NB"
STAMP = datetime(2026, 1, 1, tzinfo=OSLO)  # fixed: a feed must not change by itself


def to_ics(wheel: Wheel, audience: str | None = None) -> bytes:
    """All events (or those for one audience) as an iCalendar feed."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = "Årshjul – kollektiv kompetanseutvikling"
    if audience:
        name += f" ({texts.AUDIENCE[audience]})"
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    for cycle, event in wheel.events():
        if not event.for_audience(audience):
            continue
        item = IcsEvent()
        item.add("uid", f"{cycle.id.replace('/', '-')}-{event.id}@kompis")
        item.add("dtstamp", STAMP)
        item.add("summary", f"{texts.KIND[event.kind]}: {event.title}")
        if event.time:
            start = datetime.combine(event.start, event.time, tzinfo=OSLO)
            item.add("dtstart", start)
            item.add("dtend", start + timedelta(hours=1))
        else:
            item.add("dtstart", event.start)
            item.add("dtend", event.last_day + timedelta(days=1))  # exclusive, all-day
        item.add("description", f"{event.description}\n\nFor: {texts.who(event)}")
        item.add("location", texts.where(event))
        item.add("categories", [texts.KIND[event.kind]])
        cal.add_component(item)
    return cal.to_ical()
