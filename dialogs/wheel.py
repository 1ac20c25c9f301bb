"""The annual wheel in chat: `årshjul`, `neste frist`, `hva skjer nå`, `frister i januar`."""

from __future__ import annotations

from datetime import date

from cards.wheel import month_card, next_card, wheel_card
from dialogs.commands import Command
from dialogs.router import Router
from dialogs.services import Services
from dialogs.turn import Incoming, Outcome
from domain.norsk import month_number
from domain.wheel.due import active_cycle, events_in_month, next_events
from domain.wheel.loader import WheelSource

SECTION = "Årshjul og påminnelser"
WHICH_MONTH = "Hvilken måned? Skriv for eksempel **frister i januar**."


class WheelCommands:
    def __init__(self, services: Services, source: WheelSource) -> None:
        self._services = services
        self._source = source

    def calendar_url(self, audience: str | None = None) -> str:
        return f"{self._services.public_url}/calendar/{audience or 'arshjul'}.ics"

    def picture_url(self, today: date) -> str:
        """The wheel drawn as a wheel; the day in the address gives each day its own URL,
        so a client's image cache never shows yesterday's hand (the server always draws
        its own today, whatever the address says)."""
        return f"{self._services.public_url}/arshjul.png?dag={today.isoformat()}"

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("årshjul", ("årshjul", "årshjulet", "arshjul", "årshjulet vårt"),
                    self.wheel, SECTION, "Se hele årshjulet med frister og møter", "årshjul",
                    intents=("vis årshjulet", "kalender for hele året", "alle møter og frister",
                             "årsplan med datoer", "vis meg hele året", "kalenderen med møtene",
                             "the annual calendar", "oversikt over året",
                             "show the wheel")))
        add(Command("neste_frist", ("neste frist", "neste frister", "når er neste frist",
                                    "hva er neste frist"),
                    self.next_deadline, SECTION, "Se de neste fristene", "neste frist",
                    intents=("kommende frister", "hvilken frist kommer nå",
                             "frister fremover", "de neste fristene", "next deadlines",
                             "upcoming deadlines", "neste fristar")))
        add(Command("hva_skjer", ("hva skjer nå", "hva skjer", "hva skjer snart",
                                  "kva skjer no"),
                    self.whats_on, SECTION, "Se hva som skjer snart", "hva skjer nå",
                    intents=("hva skjer fremover", "kommende møter og frister",
                             "hva står på programmet", "what is coming up", "kva skjer framover",
                             "what is next", "what happens soon",
                             "hva har vi foran oss", "hva skjer de neste ukene")))
        add(Command("frister_i", ("frister i", "frist i", "hendelser i"),
                    self.in_month, SECTION, "Se fristene i en måned", "frister i januar",
                    intents=("frister og møter i en måned", "hva skjer i måneden",
                             "fristene i en bestemt måned",
                             "deadlines in a month", "møter i måneden")))

    async def wheel(self, turn: Incoming, rest: str) -> Outcome:
        today = self._services.now().date()
        cycle = active_cycle(self._source.wheel, today)
        return Outcome.say(card=wheel_card(cycle, today, self.calendar_url(),
                                           self.picture_url(today)))

    async def next_deadline(self, turn: Incoming, rest: str) -> Outcome:
        today = self._services.now().date()
        events = next_events(self._source.wheel, today, 3, kind="frist")
        return Outcome.say(card=next_card(events, today, self.calendar_url()))

    async def whats_on(self, turn: Incoming, rest: str) -> Outcome:
        if rest.startswith("i "):
            return await self._month(rest[2:], deadlines_only=False)
        today = self._services.now().date()
        events = next_events(self._source.wheel, today, 4)
        return Outcome.say(card=next_card(events, today, self.calendar_url()))

    async def in_month(self, turn: Incoming, rest: str) -> Outcome:
        return await self._month(rest, deadlines_only=True)

    async def _month(self, words: str, *, deadlines_only: bool) -> Outcome:
        month = month_number(words.split()[0]) if words.split() else None
        if month is None:
            return Outcome.say(WHICH_MONTH)
        today = self._services.now().date()
        year, events = events_in_month(self._source.wheel, month, today,
                                       kind="frist" if deadlines_only else None)
        return Outcome.say(card=month_card(events, month, year, today,
                                           deadlines_only=deadlines_only))
