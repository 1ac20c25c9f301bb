"""What a member does with the partnership itself: `mine behovsmeldinger` lists its
reports, and `legg til @Kari [i <partnerskap>]` brings a colleague in.

Membership is what gives access to a partnership's needs reports, so it is the needs
service that decides (`NeedsReports.partnership_for` and `add_member`); this flow reads the
mention, asks Teams who the person is, and says what happened.
"""

from __future__ import annotations

from cards import needs as cards
from dialogs.commands import Command, normalize
from dialogs.needs import network_name
from dialogs.router import Router
from dialogs.services import Services
from dialogs.turn import Incoming, Outcome
from domain.markdown import escape_markdown
from domain.needs import texts
from domain.needs.refusals import Refused
from domain.needs.service import Actor, NeedsReports
from domain.networks import NetworkCatalog

SECTION = "Behovsmelding"


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
                     "endre et tiltak vi har sendt inn", "åpne behovsmeldingen vår")))
        router.commands.add(Command(
            "legg_til", ("legg til",), self.add_member, SECTION,
            "Ta med en kollega i partnerskapets behovsmeldinger", "legg til @Kari",
            intents=("legge til en kollega", "ta med en kollega i partnerskapet",
                     "invitere en medarbeider til behovsmeldingen")))

    async def mine(self, turn: Incoming, rest: str) -> Outcome:
        rows = await self._s.reports.for_member(turn.user_aad_id or "") \
            if turn.user_aad_id else []
        return Outcome.say(card=cards.reports_card(
            [(r.report, network_name(self._networks, r.report)) for r in rows],
            updated={r.id: r.updated_at for r in rows}))

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
