"""Roles in chat: `roller`, `gi @person rollen koordinator for Fosen`, `fjern rollen …`,
`registrer koordinatorkanal`. Only admins change roles; every change is audited, and a
refusal is audited too."""

from __future__ import annotations

import re

from dialogs.commands import Command
from dialogs.router import Router
from dialogs.services import Network, Services
from dialogs.texts import literal
from dialogs.turn import Incoming, Outcome
from domain.access import ADMIN, COORDINATOR, FORUM, Principal
from store.audit import REFUSED

SECTION = "For koordinatorer og Statsforvalteren"
ROLE_WORDS = {"koordinator": COORDINATOR, "nettverkskoordinator": COORDINATOR,
              "admin": ADMIN, "administrator": ADMIN, "samarbeidsforum": FORUM}

ONLY_ADMINS = "Bare administratorer (Statsforvalteren) kan endre roller."
WHO = "Nevn personen med @, for eksempel: gi @Kari rollen koordinator for Fosen."
WHICH_ROLE = ("Hvilken rolle? Skriv «rollen koordinator for <nettverk>», «rollen samarbeidsforum» "
              "eller «rollen admin».")
WHICH_NETWORK = "Hvilket kompetansenettverk? Skriv for eksempel «for Fosen»."
UNKNOWN_NETWORK = "Jeg finner ikke nettverket «{name}». Sjekk stavemåten."
NO_NETWORKS = "Listen over kompetansenettverk er ikke lastet, så jeg kan ikke gi den rollen nå."
NOT_FOUND = "Jeg fant ikke {name} i denne samtalen, så rollen ble ikke gitt."
GRANTED = "{name} har nå rollen {role}."
ALREADY = "{name} hadde allerede rollen {role}."
REVOKED = "{name} har ikke lenger rollen {role}."
NOT_HELD = "{name} hadde ikke rollen {role}."
NO_ROLES = "Ingen har fått roller i chatten ennå."
ROLES_HEADER = "Roller i Kompis"
ENV_ADMINS = "Administratorer fra oppsettet (KOMPIS_ADMINS): {n}"
CHANNEL_NEEDS_ROLE = "Bare koordinatorer for nettverket (eller administratorer) kan registrere " \
                     "en koordinatorkanal."
CHANNEL_REGISTERED = "Denne samtalen er nå koordinatorkanal for {network}. Her kommer varsler " \
                     "om innsendte behovsmeldinger og påminnelser til koordinatorer."
CHANNEL_WHICH = "Du er koordinator for flere nettverk. Skriv «registrer koordinatorkanal for " \
                "<nettverk>»."

_NETWORK = re.compile(r"\bfor\s+(?P<name>.+)$")


def describe(role: str, network: Network | None) -> str:
    if role == COORDINATOR and network is not None:
        return f"koordinator for {network.name}"
    if role == FORUM:
        return "samarbeidsforum (lesetilgang til alle nettverk)"
    return "administrator" if role == ADMIN else role


class Roles:
    def __init__(self, services: Services) -> None:
        self._services = services

    def register(self, router: Router) -> None:
        router.commands.add(Command("roller", ("roller", "vis roller"), self.list,
                                    SECTION, "Se hvem som har hvilke roller", "roller",
                                    staff=True, admin=True,
                                    intents=("hvem har hvilke roller", "vis rollene",
                                             "hvem er koordinator og administrator",
                                             "hvem er koordinatorer", "liste over rollene",
                                             "show the roles", "who are the coordinators",
                                             "hvilke roller har folk")))
        router.commands.add(Command("gi_rolle", ("gi",), self.grant, SECTION,
                                    "Gi en rolle", "gi @Kari rollen koordinator for Fosen",
                                    requires="rollen", staff=True, admin=True, mentions=True,
                                    intents=("gjøre en person til koordinator",
                                             "gi noen en rolle", "tildele rolle",
                                             "sette noen som koordinator",
                                             "make someone coordinator",
                                             "give someone a role")))
        router.commands.add(Command("fjern_rolle", ("fjern",), self.revoke,
                                    SECTION, "Ta bort en rolle",
                                    "fjern rollen koordinator for Fosen fra @Kari",
                                    requires="rollen", staff=True, admin=True, mentions=True,
                                    intents=("ta bort rollen til en person",
                                             "fjerne noen som koordinator",
                                             "skal ikke være koordinator lenger",
                                             "frata rollen som koordinator",
                                             "remove a role", "fjerne en rolle")))
        router.commands.add(Command("koordinatorkanal",
                                    ("registrer koordinatorkanal", "registrer kanal"),
                                    self.register_channel, SECTION,
                                    "Gjør denne samtalen til nettverkets koordinatorkanal",
                                    "registrer koordinatorkanal", staff=True,
                                    intents=("gjør denne kanalen til koordinatorkanal",
                                             "bruk denne samtalen for koordinatorene",
                                             "sette opp koordinatorkanalen",
                                             "use this channel for coordinators")))

    async def _refuse(self, turn: Incoming, action: str, reason: str) -> Outcome:
        await self._services.audit.append(actor=turn.user_aad_id, action=action,
                                          object_type="role", object_id=None,
                                          outcome=REFUSED, detail={"reason": reason})
        return Outcome.say(reason)

    def _parse(self, rest: str) -> tuple[str | None, str | None]:
        """('rollen koordinator for fosen') -> ('koordinator', 'fosen')."""
        words = rest.replace("rollen", " ").replace(" fra ", " ").split()
        role = next((ROLE_WORDS[w] for w in words if w in ROLE_WORDS), None)
        match = _NETWORK.search(rest)
        name = match.group("name").strip() if match else None
        if name:
            name = re.sub(r"\s+fra\s*$", "", name).strip() or None
        return role, name

    def _network(self, name: str | None) -> Network | str:
        if not name:
            return WHICH_NETWORK
        if self._services.networks is None:
            return NO_NETWORKS
        found = self._services.networks.find(name)
        return found if found else UNKNOWN_NETWORK.format(name=literal(name[:60]))

    async def _change(self, turn: Incoming, rest: str, *, grant: bool) -> Outcome:
        action = "role.grant" if grant else "role.revoke"
        me = await self._services.principal(turn.user_aad_id, turn=turn)
        if not me.may_manage_roles():
            return await self._refuse(turn, action, ONLY_ADMINS)
        if not turn.mentions:
            return Outcome.say(WHO)
        role, name = self._parse(rest)
        if role is None:
            return Outcome.say(WHICH_ROLE)
        network: Network | None = None
        if role == COORDINATOR:
            found = self._network(name)
            if isinstance(found, str):
                return Outcome.say(found)
            network = found
        mention = turn.mentions[0]
        member = await self._services.members.lookup(turn.conversation_id, mention.user_id)
        if member is None or not member.aad_object_id:
            return Outcome.say(NOT_FOUND.format(
                name=literal(mention.name) if mention.name else "personen"))
        display = member.name or mention.name
        network_id = network.id if network else None
        if grant:
            new = await self._services.roles.grant(member.aad_object_id, role, network_id,
                                                   display_name=display, by=me.aad_object_id)
            text = GRANTED if new else ALREADY
        else:
            removed = await self._services.roles.revoke(member.aad_object_id, role, network_id,
                                                        by=me.aad_object_id)
            text = REVOKED if removed else NOT_HELD
        return Outcome.say(text.format(name=literal(display or ""), role=describe(role, network)))

    async def grant(self, turn: Incoming, rest: str) -> Outcome:
        return await self._change(turn, rest, grant=True)

    async def revoke(self, turn: Incoming, rest: str) -> Outcome:
        return await self._change(turn, rest, grant=False)

    async def list(self, turn: Incoming, rest: str) -> Outcome:
        me = await self._services.principal(turn.user_aad_id, turn=turn)
        if not me.may_manage_roles():
            return await self._refuse(turn, "role.list", ONLY_ADMINS)
        grants = await self._services.roles.all()
        configured = len(self._services.admins.ids) + len(self._services.admins.upns)
        lines = [ENV_ADMINS.format(n=configured)]
        for grant in grants:
            network = (self._services.networks.get(grant.network_id)
                       if self._services.networks and grant.network_id else None)
            lines.append(f"{literal(grant.display_name or grant.aad_object_id)}: "
                         f"{describe(grant.role, network)}")
        if not grants:
            lines.append(NO_ROLES)
        # a Markdown list: Teams joins plain lines into one paragraph
        return Outcome.say("\n".join([f"**{ROLES_HEADER}**", *(f"- {x}" for x in lines)]))

    async def register_channel(self, turn: Incoming, rest: str) -> Outcome:
        me: Principal = await self._services.principal(turn.user_aad_id, turn=turn)
        _, name = self._parse(rest)
        if name:
            found = self._network(name)
            if isinstance(found, str):
                return Outcome.say(found)
            network_id = found.id
        elif len(me.coordinator_for) == 1:
            network_id = next(iter(me.coordinator_for))
        elif me.coordinator_for or me.admin:
            return Outcome.say(CHANNEL_WHICH if me.coordinator_for else WHICH_NETWORK)
        else:
            return await self._refuse(turn, "coordinator_channel.register", CHANNEL_NEEDS_ROLE)
        if not me.may_coordinate(network_id):
            return await self._refuse(turn, "coordinator_channel.register", CHANNEL_NEEDS_ROLE)
        await self._services.channels.register(network_id, turn.conversation_id,
                                               by=me.aad_object_id)
        network = self._services.networks.get(network_id) if self._services.networks else None
        return Outcome.say(CHANNEL_REGISTERED.format(
            network=literal(network.name if network else network_id)))
