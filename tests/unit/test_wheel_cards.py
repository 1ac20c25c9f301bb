"""Every card of the annual wheel, checked as Teams renders it, and what a person reads
on it: passed events grey, deadlines marked, the reminder's what/when/where/who, the
coordinator's list and the thank-you."""

from __future__ import annotations

from datetime import date

import pytest

from cards.check import check_card
from cards.wheel import (
    PendingPartnership,
    month_card,
    next_card,
    reminder_card,
    thanks_card,
    wheel_card,
)
from domain.wheel.due import events_in_month, next_events
from domain.wheel.loader import load_wheel

WHEEL = load_wheel()
CYCLE = WHEEL.cycles[0]
URL = "https://kompis.example.no/calendar/arshjul.ics"
DEC_8 = date(2026, 12, 8)
DEADLINE = CYCLE.event("frist-behovsmelding")


def texts_of(card: dict) -> list[str]:
    """Every TextBlock's text and every fact as 'title: value', in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            if node.get("type") == "FactSet":
                found.extend(f"{f['title']}: {f['value']}" for f in node["facts"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def row(card: dict, title_part: str) -> dict:
    """The first TextBlock of the event row whose headline mentions `title_part`."""
    return next(c["items"][0] for c in card["body"]
                if c.get("type") == "Container" and title_part in c["items"][0]["text"])


def actions(card: dict) -> list[dict]:
    return card.get("actions", [])


def says(card: dict) -> list[str]:
    """What the card's 'say' buttons would type for the person."""
    return [a["data"]["text"] for a in actions(card) if a.get("data", {}).get("action") == "say"]


def test_the_whole_wheel() -> None:
    card = check_card(wheel_card(CYCLE, DEC_8, URL))
    said = texts_of(card)
    assert said[0] == "Årshjulet 2026/2027"
    assert said[2] == ("Bygger på Statsforvalteren i Nordlands årshjul for 2023/2024, flyttet "
                       "til 2026/2027, og Trøndelags frist for beslutningsgrunnlag 1. februar "
                       "(2021); kildene er uenige om nettverkenes frist, så begge fristene står "
                       "her; datoene i ditt fylke kan være andre.")
    assert sum(1 for b in card["body"] if b.get("type") == "Container") == len(CYCLE.events)
    september = row(card, "Samling for samarbeidsforum")
    assert september.get("isSubtle") is True  # passed
    deadline = row(card, "Partnerskapene leverer behovsmeldingen")
    assert deadline["text"].startswith("**Frist:**")
    assert deadline.get("color") == "Attention" and not deadline.get("isSubtle")
    meeting = row(card, "Endelig innstilling")
    assert "color" not in meeting and not meeting.get("isSubtle")
    assert any("tirsdag 15. desember 2026, om 7 dager" in t for t in said)
    assert any("pågår nå" in t for t in said)  # the planning period runs until 15 December
    [link] = [a for a in actions(card) if a["type"] == "Action.OpenUrl"]
    assert link["url"] == URL
    unsourced = CYCLE.model_copy(update={"based_on": None})
    assert not any(t.startswith("Bygger på") for t in texts_of(wheel_card(unsourced, DEC_8, URL)))


def test_a_passed_deadline_is_grey_not_red() -> None:
    card = check_card(wheel_card(CYCLE, date(2026, 12, 16), URL))
    passed = row(card, "Partnerskapene leverer behovsmeldingen")
    assert passed.get("isSubtle") is True and "color" not in passed


def test_next_events_and_an_empty_list() -> None:
    card = check_card(next_card(next_events(WHEEL, DEC_8, 3, kind="frist"), DEC_8, URL))
    said = "\n".join(texts_of(card))
    assert "Dette skjer snart" in said and "sammenstilt behovsmelding" in said
    assert "Samling for samarbeidsforum" not in said
    assert says(card) == ["årshjul"]
    assert any(a["type"] == "Action.OpenUrl" and a["url"] == URL for a in actions(card))
    empty = check_card(next_card([], date(2027, 7, 1), URL))
    assert "Det er ingen flere hendelser i årshjulet." in texts_of(empty)


def test_month_cards() -> None:
    year, january = events_in_month(WHEEL, 1, DEC_8, kind="frist")
    card = check_card(month_card(january, 1, year, DEC_8, deadlines_only=True))
    said = texts_of(card)
    assert said[0] == "Frister i januar 2027"
    assert any("Nettverkene leverer sammenstilt behovsmelding" in t for t in said)
    assert any("onsdag 13. januar 2027, om 36 dager" in t for t in said)
    empty = check_card(month_card([], 8, 2027, DEC_8, deadlines_only=False))
    assert "Ingen hendelser i august 2027." in texts_of(empty)


def test_the_partnership_reminder() -> None:
    card = check_card(reminder_card(DEADLINE, DEC_8, start_report=True))
    said = texts_of(card)
    assert said[:2] == [
        "Påminnelse: frist om 7 dager",
        "Frist: Partnerskapene leverer behovsmeldingen til kompetansenettverket"]
    assert "Når: tirsdag 15. desember 2026, om 7 dager" in said
    assert "Hvor: Digital løsning, Kompis i Teams" in said
    assert "Hvem: partnerskap" in said
    assert "Gjelder: Behovsmeldingen" in said
    start = actions(card)[0]
    assert start["type"] == "Action.Submit"
    assert start["title"] == "Start eller fortsett behovsmeldingen"
    assert start["data"] == {"action": "say", "text": "meld behov"}


def test_on_the_day_and_without_the_start_button() -> None:
    card = check_card(reminder_card(DEADLINE, date(2026, 12, 15)))
    assert "Påminnelse: frist i dag" in texts_of(card)
    assert "meld behov" not in says(card)


@pytest.mark.parametrize("event_id", ["endelig-innstilling", "frist-rapportering"])
def test_other_reminders_never_offer_the_needs_report(event_id: str) -> None:
    event = CYCLE.event(event_id)
    card = check_card(reminder_card(event, date(2027, 3, 11), start_report=True))
    assert says(card) == ["årshjul"]
    assert texts_of(card)[1].startswith(f"{'Møte' if event.kind == 'møte' else 'Frist'}: ")


def test_a_meeting_reminder_says_where_and_who() -> None:
    event = CYCLE.event("sf-gjennomgang-behovsmeldinger")
    said = texts_of(check_card(reminder_card(event, date(2027, 1, 15))))
    assert "Påminnelse: møte om 3 dager" in said
    assert "Når: mandag 18. januar 2027, om 3 dager" in said
    assert "Hvor: Fysisk oppmøte, Statsforvalteren" in said
    assert "Hvem: samarbeidsforum" in said
    assert not any(t.startswith("Gjelder:") for t in said)


def test_the_coordinator_reminder_lists_who_has_not_submitted() -> None:
    pending = [PendingPartnership("Fosen skolepartnerskap (KKU)", 2),
               PendingPartnership("Åfjord barnehager (KKU)", None),
               PendingPartnership("Ørland (KKU)", 0),
               PendingPartnership("*Indre* [Fosen](https://x) (KKU)", 1)]
    card = check_card(reminder_card(DEADLINE, DEC_8, pending=pending, start_report=True))
    said = texts_of(card)
    assert "Ikke levert ennå (4):" in said
    [listing] = [t for t in said if t.startswith("- ")]
    assert listing.splitlines() == [
        "- Fosen skolepartnerskap (KKU): utkast med 2 tiltak",
        "- Åfjord barnehager (KKU): ikke startet",
        "- Ørland (KKU): utkast uten tiltak",
        r"- \*Indre\* \[Fosen\](https://x) (KKU): utkast med 1 tiltak",
    ]
    assert "meld behov" not in says(card)  # the coordinator does not fill in the report


def test_the_coordinator_reminder_when_everyone_has_submitted() -> None:
    card = check_card(reminder_card(DEADLINE, DEC_8, pending=[]))
    assert "Alle partnerskapene i nettverket har levert. Takk!" in texts_of(card)
    assert not any(t.startswith("Ikke levert") for t in texts_of(card))


def test_thanks_instead_of_a_nag() -> None:
    card = check_card(thanks_card(DEADLINE, DEC_8, ["KKU", "DEKOM"]))
    said = texts_of(card)
    assert "Takk, dere har levert behovsmeldingen for KKU og DEKOM!" in said
    assert "Fristen er tirsdag 15. desember 2026. Dere får ingen flere påminnelser om den." \
        in said
    assert not actions(card)
