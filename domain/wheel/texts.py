"""Norwegian texts for the annual wheel."""

from __future__ import annotations

from datetime import date

from domain.norsk import MONTHS, days_until, format_date
from domain.wheel.models import Event

KIND = {"frist": "Frist", "møte": "Møte", "periode": "Periode"}
AUDIENCE = {"partnerskap": "partnerskap", "koordinator": "nettverkskoordinatorer",
            "samarbeidsforum": "samarbeidsforum", "alle": "alle"}
PLACE = {"Teams": "på Teams", "fysisk": "fysisk møte", "digital løsning": "digitalt"}
DEADLINE_FOR = {
    "behovsmelding": "behovsmeldingen",
    "sammenstilt_behovsmelding": "den sammenstilte behovsmeldingen",
    "beslutningsgrunnlag": "beslutningsgrunnlaget",
    "rapportering": "rapporteringen",
}
WHEEL_TITLE = "Årshjulet {cycle}"
WHEEL_INTRO = "Frister og møter i kollektiv kompetanseutvikling. Passerte hendelser er grå."
NEXT_TITLE = "Dette skjer snart"
NOTHING_NEXT = "Det er ingen flere hendelser i årshjulet."
MONTH_TITLE = "{what} i {month} {year}"
MONTH_NONE = "Ingen {what} i {month} {year}."
CALENDAR_BUTTON = "Legg i kalenderen"
WHEEL_BUTTON = "Hele årshjulet"
START_REPORT_BUTTON = "Start eller fortsett behovsmeldingen"
REMINDER_TITLE = "Påminnelse: {kind_lower} {when_short}"
THANKS = "Takk, dere har levert behovsmeldingen for {schemes}. Ingen flere påminnelser om den."
NOT_SUBMITTED_HEADER = "Ikke levert ennå ({n}):"
ALL_SUBMITTED = "Alle partnerskapene i nettverket har levert."
DRAFT_LINE = "utkast med {n} tiltak"
NOT_STARTED = "ikke startet"


def when(event: Event, today: date) -> str:
    """'tirsdag 15. desember 2026, om 7 dager' or '28.–29. september 2026, om 3 dager'."""
    if event.end and event.end != event.start:
        if event.start.month == event.end.month:
            span = f"{event.start.day}.–{format_date(event.end)}"
        else:
            span = f"{event.start.day}. {MONTHS[event.start.month - 1]} – {format_date(event.end)}"
    else:
        span = format_date(event.start, weekday=True)
    if event.time:
        span += f" kl. {event.time:%H:%M}"
    return f"{span}, {days_until(event.start, today)}"


def where(event: Event) -> str:
    place = PLACE[event.place]
    return f"{place}, {event.where}" if event.where else place


def who(event: Event) -> str:
    return ", ".join(AUDIENCE[a] for a in event.audience)
