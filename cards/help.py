"""The help and welcome cards: what Kompis does, with phrases to try and buttons for them."""

from __future__ import annotations

from dataclasses import dataclass

from cards.base import Card, card, container, heading, submit, text
from domain.markdown import escape_markdown

TITLE = "Kompis"
HELP_INTRO = (
    "Jeg hjelper partnerskap, kompetansenettverk og samarbeidsforum med kollektiv "
    "kompetanseutvikling i barnehage og skole. Skriv til meg med vanlige ord, eller trykk "
    "på en knapp."
)
NOT_UNDERSTOOD = "Det skjønte jeg ikke helt. Her er det jeg kan hjelpe med:"
WELCOME_TITLE = "Hei, jeg er Kompis 👋"
WELCOME_INTRO = (
    "Jeg er en assistent for kollektiv kompetanseutvikling (Dekom, Rekom, Kompetanseløftet "
    "og den nye ordningen for kollektiv kompetanseutvikling)."
)
WELCOME_JOBS = (
    "**Behovsmelding:** partnerskapet fyller ut behovsmeldingen her i Teams, tiltak for tiltak.",
    "**Årshjul:** jeg minner om frister og møter i riktig chat eller kanal.",
    "**Ordliste og kriterier:** spør meg for eksempel «hva er innstilling?».",
)
WELCOME_PERSONAL = "Skriv **hjelp** når som helst for å se hva du kan spørre om."
WELCOME_SHARED = (
    "Her svarer jeg når noen nevner meg med **@Kompis**, for eksempel «@Kompis hjelp»."
)
HELP_BUTTON = "Vis hjelp"
SUBSCRIBE_OFFER = (
    "Vil dere ha påminnelser om frister og møter fra årshjulet her? Jeg poster ingenting "
    "i denne samtalen før noen ber om det."
)
SUBSCRIBE_BUTTON = "Ja, abonner på påminnelser"


@dataclass(frozen=True)
class HelpItem:
    """One thing Kompis understands, as the help card shows it."""

    section: str
    summary: str
    example: str


def help_card(items: list[HelpItem], *, not_understood: bool = False) -> Card:
    """The help card: items grouped by section, each example a button that sends it."""
    body = [heading(TITLE)]
    body.append(text(NOT_UNDERSTOOD if not_understood else HELP_INTRO))
    sections: dict[str, list[HelpItem]] = {}
    for item in items:
        sections.setdefault(item.section, []).append(item)
    for section, members in sections.items():
        lines = "\n".join(f"- {m.summary}: «{m.example}»" for m in members)
        body.append(
            container(
                [heading(section, level=2), text(lines)],
                separator=True,
                spacing="Medium",
            )
        )
    examples: list[str] = []
    for item in items:
        if item.example not in examples:
            examples.append(item.example)
    actions = [submit(example, "say", text=example) for example in examples[:6]]
    return card(body, actions)


GREETING = "Hei, {name}! Hva vil du gjøre?"
GREETING_NO_NAME = "Hei! Hva vil du gjøre?"
GREETING_MORE = "Eller skriv **hjelp** for alt jeg kan."
# (button title, what it sends): what a partnership member and a coordinator do most.
MEMBER_STARTS = (("Meld behov", "meld behov"), ("Neste frist", "neste frist"),
                 ("Spør om et begrep", "ordliste"))
STAFF_STARTS = (("Status", "status"), ("Eksporter", "eksporter"), ("Årshjul", "årshjul"))


def greeting_card(name: str | None, *, staff: bool) -> Card:
    """A greeting gets one friendly line and three buttons for the person's role."""
    line = GREETING.format(name=escape_markdown(name)) if name else GREETING_NO_NAME
    starts = STAFF_STARTS if staff else MEMBER_STARTS
    return card([text(line, weight="Bolder"), text(GREETING_MORE, subtle=True, spacing="None")],
                [submit(title, "say", text=said) for title, said in starts])


def welcome_card(*, shared: bool, offer_reminders: bool = False) -> Card:
    """Sent once when Kompis is added to a personal chat, a group chat or a team; in a
    team or group chat it offers reminders, but subscribes nobody by itself."""
    body = [heading(WELCOME_TITLE), text(WELCOME_INTRO)]
    body.append(text("\n".join(f"- {job}" for job in WELCOME_JOBS)))
    body.append(text(WELCOME_SHARED if shared else WELCOME_PERSONAL, spacing="Medium"))
    actions = [submit(HELP_BUTTON, "say", text="hjelp")]
    if shared and offer_reminders:
        body.append(text(SUBSCRIBE_OFFER, spacing="Medium"))
        actions.insert(0, submit(SUBSCRIBE_BUTTON, "say", text="abonner på påminnelser"))
    return card(body, actions)
