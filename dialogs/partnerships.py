"""`legg til @Kari [i <partnerskap>]`: a member of a partnership brings a colleague in.

Membership is what gives access to a partnership's needs reports, so it is the needs
service that decides (`NeedsReports.partnership_for` and `add_member`); this flow reads the
mention, asks Teams who the person is, and says what happened.
"""

from __future__ import annotations

from dialogs.commands import Command, normalize
from dialogs.router import Router
from dialogs.services import Services
from dialogs.turn import Incoming, Outcome
from domain.markdown import escape_markdown
from domain.needs import texts
from domain.needs.refusals import Refused
from domain.needs.service import Actor, NeedsReports

SECTION = "Behovsmelding"


class PartnershipMembers:
    def __init__(self, services: Services, reports: NeedsReports) -> None:
        self._s = services
        self._reports = reports

    def register(self, router: Router) -> None:
        router.commands.add(Command(
            "legg_til", ("legg til",), self.add_member, SECTION,
            "Ta med en kollega i partnerskapets behovsmeldinger", "legg til @Kari",
            intents=("legge til en kollega", "ta med en kollega i partnerskapet",
                     "invitere en medarbeider til behovsmeldingen")))

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
