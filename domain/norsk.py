"""Norwegian (bokmål) formatting of dates, amounts and counts, in one place.

Hand-written because the only locale library in reach (babel) is pinned to an old
version by botbuilder-dialogs, and the rules needed here are few and fixed.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


# Months as members also write them: English, Swedish and Danish names ('deadlines in
# January', 'frister i januari'). Not 'may', 'jul' or 'jan' in a message (`months_named`):
# they are also a verb, Christmas and a name.
OTHER_MONTHS = {"january": 1, "januari": 1, "february": 2, "februari": 2, "march": 3,
                "maj": 5, "june": 6, "july": 7, "augusti": 8, "october": 10,
                "december": 12}


def month_number(name: str) -> int | None:
    """1-12 for a month name (Norwegian, or as in OTHER_MONTHS) or the first three
    letters of a Norwegian one; None otherwise."""
    key = name.strip().lower().rstrip(".")
    if key in OTHER_MONTHS:
        return OTHER_MONTHS[key]
    for i, month in enumerate(MONTHS, start=1):
        if key == month or (len(key) >= 3 and month.startswith(key)):
            return i
    return None


def months_named(text: str) -> list[int]:
    """The months a text names, in order, as whole words or as the first part of a word
    joined with a hyphen ('januar-fristene'): 'frister i mars' -> [3]."""
    found: list[int] = []
    for word in text.lower().replace("-", " - ").split():
        word = word.strip(".,:;!?()«»\"'")
        number = OTHER_MONTHS.get(word) or (MONTHS.index(word) + 1 if word in MONTHS else None)
        if number is not None and number not in found:
            found.append(number)
    return found


# Small numbers as words and ordinals ('kriterium fem', 'det andre tiltaket', 'tiltak nr. 2').
NUMBER_WORDS = {
    "en": 1, "ett": 1, "ein": 1, "eitt": 1, "one": 1, "to": 2, "two": 2, "tre": 3,
    "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6, "sju": 7,
    "syv": 7, "seven": 7, "åtte": 8, "eight": 8, "ni": 9, "nine": 9, "ti": 10, "ten": 10,
}
ORDINALS = {
    "første": 1, "fyrste": 1, "first": 1, "andre": 2, "annen": 2, "second": 2, "tredje": 3,
    "third": 3, "fjerde": 4, "fourth": 4, "femte": 5, "fifth": 5, "sjette": 6, "sixth": 6,
    "sjuende": 7, "syvende": 7, "seventh": 7, "åttende": 8, "eighth": 8,
}


def number_named(text: str) -> int | None:
    """The first small number a text names, as digits (at most two), a word or an
    ordinal: 'nr. 2' -> 2, 'nummer to' -> 2, 'det tredje' -> 3; None if there is none."""
    for word in text.lower().split():
        word = word.strip(".,:;!?()«»\"'")
        if word.isdigit() and len(word) <= 2:
            return int(word)
        if word in NUMBER_WORDS or word in ORDINALS:
            return NUMBER_WORDS.get(word) or ORDINALS[word]
    return None


def format_date(day: date, *, weekday: bool = False) -> str:
    """'15. desember 2026', or 'tirsdag 15. desember 2026' with weekday=True."""
    if isinstance(day, datetime):
        day = day.date()
    text = f"{day.day}. {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def format_datetime(moment: datetime) -> str:
    """'15. desember 2026 kl. 09:00' in Oslo time (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(OSLO)
    return f"{format_date(local.date())} kl. {local:%H:%M}"


def days_until(target: date, today: date) -> str:
    """'i dag', 'i morgen', 'om 7 dager', 'i går', 'for 3 dager siden'."""
    delta = (target - today).days
    if delta == 0:
        return "i dag"
    if delta == 1:
        return "i morgen"
    if delta == -1:
        return "i går"
    if delta > 1:
        return f"om {delta} dager"
    return f"for {-delta} dager siden"


def time_left(deadline: date, today: date) -> str:
    """What is left before a deadline: 'i dag', 'i morgen', '2 dager igjen', 'fristen er ute'."""
    delta = (deadline - today).days
    if delta < 0:
        return "fristen er ute"
    return {0: "i dag", 1: "i morgen"}.get(delta, f"{delta} dager igjen")


def format_nok(amount: int) -> str:
    """'1 250 000 kr' with a non-breaking thin grouping, as Norwegians write amounts."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def and_list(items: list[str]) -> str:
    """'', 'a', 'a og b', 'a, b og c': a list as Norwegian writes it."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"
