"""What a member does with the partnership itself: `mine behovsmeldinger` lists its
reports, `legg til @Kari [i <partnerskap>]` brings a colleague in, and `gi partnerskapet
[<navn>] nytt navn <nytt navn>` renames it (members until the first submission, a
coordinator of the network after that).

Membership is what gives access to a partnership's needs reports, so it is the needs
service that decides (`NeedsReports.partnership_for` and `add_member`); this flow reads the
mention, asks Teams who the person is, and says what happened.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from cards import needs as cards
from dialogs.commands import Command, normalize
from dialogs.needs import network_name, not_owner, owned
from dialogs.router import Router
from dialogs.services import Services
from dialogs.texts import SENT_PERSONALLY
from dialogs.turn import Incoming, Outcome, personal
from domain.markdown import escape_markdown
from domain.needs import renaming, texts
from domain.needs.refusals import Refused
from domain.needs.service import Actor, NeedsReports
from domain.networks import NetworkCatalog
from domain.phrases import new_name

SECTION = "Behovsmelding"
# `gi partnerskapet [Fosen barnehgaer] nytt navn Fosen barnehager`, as typed (the name keeps
# its capitals; the command table sees only the normalised text)
RENAME = re.compile(r"^.*?partnerskap(?:et)?\s*(?P<old>.*?)\s*\bnytt\s+navn\b\s*[:\-–]?\s*"
                    r"(?P<new>.*)$", re.IGNORECASE | re.DOTALL)
QUOTES = "«»\"'“”‘’ "


class RenamePress(BaseModel):
    """«Endre navn» and «Lagre navnet»: which partnership (network and name as the card
    showed it), the report the card came from (empty: from status), and the typed name."""

    model_config = ConfigDict(extra="ignore")

    network_id: Annotated[str, Field(min_length=1, max_length=64)]
    partnership: Annotated[str, Field(min_length=1, max_length=200)]
    report_id: Annotated[str, Field(max_length=36)] = ""
    version: StrictInt | None = None
    new_name: str = ""  # checked by the service (cleaned, 2–120 characters, look-alikes)


class Partnerships:
    def __init__(self, services: Services, reports: NeedsReports,
                 networks: NetworkCatalog) -> None:
        self._s = services
        self._reports = reports
        self._networks = networks

    def register(self, router: Router) -> None:
        router.commands.add(Command("mine_behovsmeldinger", (
            "mine behovsmeldinger", "våre behovsmeldinger", "mine behovsmeldingar"),
            self.mine, SECTION, "Se behovsmeldingene deres", "mine behovsmeldinger",
            intents=("se behovsmeldingene våre", "hva har vi sendt inn",
                     "endre et tiltak vi har sendt inn", "åpne behovsmeldingen vår",
                     "endre behovsmeldingen vår", "det vi har levert",
                     "behovsmeldingen vi leverte", "show our needs reports",
                     "kva har me sendt inn", "status på behovsmeldingen vår",
                     "se om behovsmeldingen vår er sendt")))
        router.commands.add(Command(
            "legg_til", ("legg til",), self.add_member, SECTION,
            "Ta med en kollega i partnerskapets behovsmeldinger", "legg til @Kari",
            mentions=True, intents=("legge til en kollega", "ta med en kollega i partnerskapet",
                     "invitere en medarbeider til behovsmeldingen", "add a colleague",
                     "få med en kollega på behovsmeldingen", "legge til en person")))
        router.commands.add(Command(
            "nytt_navn", ("gi partnerskapet", "gi partnerskapet nytt navn", "gi partnerskap"),
            self.rename, SECTION,
            "Rett navnet på partnerskapet (før første innsending; etterpå gjør koordinatoren det)",
            "gi partnerskapet nytt navn Fosen barnehager",
            intents=("skrivefeil i navnet på partnerskapet", "endre navnet på partnerskapet",
                     "partnerskapet har feil navn", "navnet på partnerskapet er feil",
                     "rename the partnership", "feil i partnerskapsnavnet",
                     "bytte navn på partnerskapet")))
        router.on_action("partnership", self.press)

    async def mine(self, turn: Incoming, rest: str) -> Outcome:
        rows = await self._s.reports.for_member(turn.user_aad_id or "") \
            if turn.user_aad_id else []
        return personal(turn, Outcome.say(card=cards.reports_card(
            [(r.report, network_name(self._networks, r.report)) for r in rows],
            updated={r.id: r.updated_at for r in rows})), SENT_PERSONALLY)

    async def add_member(self, turn: Incoming, rest: str) -> Outcome:
        """`legg til @Kari [i <partnerskap>]`: a member brings a colleague in."""
        if not turn.mentions:
            return Outcome.say(texts.ADD_WHO)
        mention, actor = turn.mentions[0], Actor(turn.user_aad_id, turn.user_name)
        named = rest.replace(normalize(mention.name or ""), " ").split()
        try:
            network_id, partnership = await self._reports.partnership_for(
                actor, " ".join(named[1:]) if named[:1] == ["i"] else "")
            member = await self._s.members.lookup(turn.conversation_id, mention.user_id)
            if member is None or not member.aad_object_id:
                return Outcome.say(texts.ADD_NOT_FOUND.format(
                    name=escape_markdown(mention.name or "personen")))
            name = member.name or mention.name
            added = await self._reports.add_member(actor, network_id, partnership,
                                                   member.aad_object_id, name)
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return Outcome.say((texts.ADDED if added else texts.ALREADY_ADDED).format(
            name=escape_markdown(name or ""), partnership=escape_markdown(partnership)))

    async def _rename_form(self, turn: Incoming, new: str) -> Outcome:
        """A rename asked for in plain words: the name card with the new name filled in,
        so nothing is changed before «Lagre navnet» (Kompis read the words, not a command)."""
        actor = Actor(turn.user_aad_id, turn.user_name,
                      await self._s.principal(turn.user_aad_id, turn=turn))
        try:
            network_id, partnership = await self._reports.partnership_to_rename(actor)
        except Refused as refusal:
            return Outcome.say(refusal.message)
        network = self._networks.get(network_id)
        return owned(turn, Outcome(card=cards.rename_card(
            network_id=network_id, partnership=partnership,
            network=network.name if network else network_id, typed=new)))

    async def press(self, turn: Incoming) -> Outcome:
        """«Endre navn» opens the name card; «Lagre navnet» renames through the same
        service as the typed command (the same rules, look-alike check and audit)."""
        if not_owner(turn):
            return Outcome.say(texts.NOT_YOUR_FORM)
        try:
            press = RenamePress.model_validate(turn.value or {})
        except ValidationError:
            return Outcome.say(renaming.UNKNOWN)
        network = self._networks.get(press.network_id)
        if network is None or turn.action not in (cards.RENAME_ACTION,
                                                  cards.RENAME_SAVE_ACTION):
            return Outcome.say(renaming.UNKNOWN)

        def form(typed: str | None = None, error: str | None = None) -> dict[str, Any]:
            return cards.rename_card(
                network_id=network.id, partnership=press.partnership, network=network.name,
                report_id=press.report_id, version=press.version, typed=typed, error=error)

        if turn.action == cards.RENAME_ACTION:
            return owned(turn, Outcome(card=form()))
        actor = Actor(turn.user_aad_id, turn.user_name,
                      await self._s.principal(turn.user_aad_id, turn=turn))
        typed = press.new_name[:1000]
        try:
            stored, count = await self._reports.rename_partnership(
                actor, network.id, press.partnership, typed)
        except Refused as refusal:
            return owned(turn, Outcome(card=form(typed, refusal.message)))
        return owned(turn, Outcome(card=cards.renamed_card(renaming.DONE.format(
            new=escape_markdown(stored), old=escape_markdown(press.partnership),
            reports=renaming.reports_phrase(count)), network_id=network.id,
            report_id=press.report_id)))

    async def rename(self, turn: Incoming, rest: str) -> Outcome:
        """`gi partnerskapet [<navn>] nytt navn <nytt navn>`: the name as typed, checked
        and stored by the needs service."""
        typed = " ".join(turn.text.split())
        found = RENAME.match(typed)
        new = found.group("new").strip(QUOTES) if found else ""
        if not new:
            asked = new_name(typed)  # asked in plain words: '… skal hete Fosen'
            return await self._rename_form(turn, asked) if asked else \
                Outcome.say(renaming.HOW)
        old = found.group("old").strip(QUOTES) if found else ""
        actor = Actor(turn.user_aad_id, turn.user_name,
                      await self._s.principal(turn.user_aad_id, turn=turn))
        try:
            network_id, partnership = await self._reports.partnership_to_rename(actor, old)
            stored, count = await self._reports.rename_partnership(
                actor, network_id, partnership, new)
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return Outcome.say(renaming.DONE.format(
            new=escape_markdown(stored), old=escape_markdown(partnership),
            reports=renaming.reports_phrase(count)))

