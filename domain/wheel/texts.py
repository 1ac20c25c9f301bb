"""Norwegian texts of the annual wheel: labels, card lines, calendar names, in one place."""

from __future__ import annotations

from datetime import date

from domain.norsk import MONTHS, and_list, days_until, format_date
from domain.wheel.models import Event

KIND = {"frist": "Frist", "møte": "Møte", "periode": "Periode", "milepæl": "Milepæl"}
AUDIENCE = {"partnerskap": "partnerskap", "koordinator": "nettverkskoordinatorer",
            "samarbeidsforum": "samarbeidsforum", "alle": "alle"}
PLACE = {"Teams": "Teams", "fysisk": "Fysisk oppmøte", "digital løsning": "Digital løsning"}
DEADLINE_FOR = {
    "behovsmelding": "behovsmeldingen",
    "sammenstilt_behovsmelding": "den sammenstilte behovsmeldingen",
    "beslutningsgrunnlag": "beslutningsgrunnlaget",
    "rapportering": "rapporteringen",
}

# The whole wheel, the next events, a month
WHEEL_TITLE = "Årshjulet {cycle}"
WHEEL_INTRO = "Frister og møter i kollektiv kompetanseutvikling. Det som er passert, er grått."
# Where the dates come from (the cycle's `based_on` in content/arshjul.yaml)
WHEEL_BASED_ON = "Bygger på {based_on}; datoene i ditt fylke kan være andre."
NEXT_TITLE = "Dette skjer snart"
NOTHING_NEXT = "Det er ingen flere hendelser i årshjulet."
MONTH_TITLE = "{what} i {month} {year}"
MONTH_NONE = "Ingen {what} i {month} {year}."
CALENDAR_BUTTON = "Legg i kalenderen"
WHEEL_BUTTON = "Hele årshjulet"
DONE = "ferdig"

# Reminders
REMINDER_KICKER = "Påminnelse: {kind} {relative}"
THANKS_KICKER = "Påminnelse fra årshjulet"
REMINDER_TITLE = "{kind}: {title}"
LABEL_WHEN = "Når"
LABEL_WHERE = "Hvor"
LABEL_WHO = "Hvem"
LABEL_DEADLINE_FOR = "Gjelder"
START_REPORT_BUTTON = "Start eller fortsett behovsmeldingen"
THANKS_TITLE = "Takk, dere har levert behovsmeldingen for {schemes}!"
THANKS = "Fristen er {date}. Dere får ingen flere påminnelser om den."
NOT_SUBMITTED_HEADER = "Ikke levert ennå ({n}):"
ALL_SUBMITTED = "Alle partnerskapene i nettverket har levert. Takk!"
DRAFT_LINE = "utkast med {n} tiltak"
DRAFT_EMPTY = "utkast uten tiltak"
NOT_STARTED = "ikke startet"

# Calendar feed
CALENDAR_NAME = "Årshjul – kollektiv kompetanseutvikling"
CALENDAR_NAME_FOR = "Årshjul – kollektiv kompetanseutvikling ({audience})"
CALENDAR_DESCRIPTION = "Frister og møter fra årshjulet, publisert av Kompis."
ICS_WHO = "Hvem: {who}"


def _span(event: Event) -> str:
    """'tirsdag 15. desember 2026', '28.–29. september 2026',
    '20. oktober – 15. desember 2026', '28. desember 2026 – 2. januar 2027'."""
    start, end = event.start, event.last_day
    if end == start:
        return format_date(start, weekday=True)
    if start.year != end.year:
        return f"{format_date(start)} – {format_date(end)}"
    if start.month == end.month:
        return f"{start.day}.–{format_date(end)}"
    return f"{start.day}. {MONTHS[start.month - 1]} – {format_date(end)}"


def relative(event: Event, today: date) -> str:
    """'om 7 dager', 'i dag', 'pågår nå', 'for 3 dager siden' (after the last day)."""
    if event.start <= today <= event.last_day and event.start != event.last_day:
        return "pågår nå"
    if event.last_day < today:
        return days_until(event.last_day, today)
    return days_until(event.start, today)


def when(event: Event, today: date) -> str:
    """'tirsdag 15. desember 2026, om 7 dager', with 'kl. 10:00–12:00' when timed."""
    span = _span(event)
    if event.time:
        span += f" kl. {event.time:%H:%M}"
        if event.end_time:
            span += f"–{event.end_time:%H:%M}"
    return f"{span}, {relative(event, today)}"


def where(event: Event) -> str:
    """'Teams', 'Fysisk oppmøte, Statsforvalteren', 'Digital løsning, Kompis i Teams'."""
    place = PLACE[event.place]
    return f"{place}, {event.where}" if event.where else place


def who(event: Event) -> str:
    """'partnerskap', 'nettverkskoordinatorer og samarbeidsforum', 'alle'."""
    return and_list([AUDIENCE[a] for a in event.audience])


def deadline_for(event: Event) -> str | None:
    """'behovsmeldingen' for a deadline that is for something; None otherwise."""
    return DEADLINE_FOR.get(event.deadline_for) if event.deadline_for else None


def calendar_name(audience: str | None) -> str:
    return CALENDAR_NAME_FOR.format(audience=AUDIENCE[audience]) if audience else CALENDAR_NAME


def pending_line(measures: int | None) -> str:
    """What a partnership that has not submitted has so far."""
    if measures is None:
        return NOT_STARTED
    return DRAFT_LINE.format(n=measures) if measures > 0 else DRAFT_EMPTY
