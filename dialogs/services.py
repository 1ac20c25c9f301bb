"""What the flows may use: repositories and settings, no SDK and no web app."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from dialogs.turn import Incoming
from domain.access import Principal
from domain.clock import Clock
from domain.networks import NetworkCatalog
from domain.wheel.loader import WheelSource
from store.audit import AuditLog
from store.conversations import ConversationRepository
from store.db import Database
from store.exports import ExportRepository
from store.glossary_log import GlossaryLog
from store.needs import NeedsReportRepository
from store.outbox import OutboxRepository
from store.people import PeopleRepository
from store.roles import CoordinatorChannels, RoleRepository
from store.subscriptions import SubscriptionRepository

UPN_RETRY_SECONDS = 600.0  # after a failed member lookup, ask the connector again this late


@dataclass(frozen=True)
class Member:
    user_id: str
    aad_object_id: str | None
    name: str | None
    upn: str | None = None
    email: str | None = None


class MemberDirectory(Protocol):
    async def lookup(self, conversation_id: str, user_id: str) -> Member | None:
        """The member of a conversation with this Teams user id, or None."""
        ...


@dataclass(frozen=True)
class Network:
    id: str
    name: str


class NetworkDirectory(Protocol):
    def find(self, text: str) -> Network | None:
        """The network a typed name means ('Fosen', 'fosen', 'Trondheim/Malvik')."""
        ...

    def get(self, network_id: str) -> Network | None: ...


class ContentNetworks:
    """The NetworkDirectory over content/nettverk.yaml."""

    def __init__(self, catalog: NetworkCatalog) -> None:
        self._catalog = catalog

    def find(self, text: str) -> Network | None:
        found = self._catalog.find(text)
        return Network(found.id, found.name) if found else None

    def get(self, network_id: str) -> Network | None:
        found = self._catalog.get(network_id)
        return Network(found.id, found.name) if found else None


class NoMembers:
    """The member directory where there is no connector to ask (the CLI): nobody found."""

    async def lookup(self, conversation_id: str, user_id: str) -> Member | None:
        return None


@dataclass(frozen=True)
class Admins:
    """The first administrators, from KOMPIS_ADMINS: Entra object ids and UPNs (lower
    case). A UPN is matched once its person's object id is known (see `principal`)."""

    ids: frozenset[str] = frozenset()
    upns: frozenset[str] = frozenset()
    _misses: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def parse(cls, names: frozenset[str]) -> Admins:
        """Anything with an @ is a UPN."""
        cleaned = {a.strip().lower() for a in names if a.strip()}
        return cls(frozenset(a for a in cleaned if "@" not in a),
                   frozenset(a for a in cleaned if "@" in a))


@dataclass(frozen=True)
class Services:
    """Everything the flows use, built once by the composition root (`bot.compose`)."""

    db: Database
    conversations: ConversationRepository
    subscriptions: SubscriptionRepository
    outbox: OutboxRepository
    roles: RoleRepository
    reports: NeedsReportRepository
    audit: AuditLog
    glossary_log: GlossaryLog
    channels: CoordinatorChannels
    exports: ExportRepository
    people: PeopleRepository
    networks: NetworkDirectory
    wheel: WheelSource
    clock: Clock
    members: MemberDirectory
    admins: Admins
    public_url: str
    link_secret: bytes = field(repr=False)
    export_minutes: float

    def now(self) -> datetime:
        """Now, in Oslo time."""
        return self.clock.now()

    async def who(self, turn: Incoming) -> Member | None:
        """The person of a turn as Teams knows them (name, e-mail, UPN), or None."""
        member = await self.members.lookup(turn.conversation_id, turn.user_id)
        if member is None or not turn.user_aad_id or member.aad_object_id != turn.user_aad_id:
            return None
        return member

    async def audience(self, turn: Incoming) -> tuple[bool, bool, bool]:
        """(staff, admin, forum) for the help card: coordinators and admins see their
        commands, only admins the role management, samarbeidsforum its overview."""
        me = await self.principal(turn.user_aad_id, turn=turn)
        return me.may_coordinate(), me.may_manage_roles(), me.forum

    async def is_staff(self, turn: Incoming) -> bool:
        """Coordinators and admins see their commands in the help card."""
        return (await self.principal(turn.user_aad_id, turn=turn)).may_coordinate()

    async def principal(self, aad_object_id: str | None, *,
                        turn: Incoming | None = None) -> Principal:
        """The person's roles, for the access checks the flows make.

        With `turn`, an admin named by UPN in KOMPIS_ADMINS is recognised: the UPN is
        looked up at the connector once and remembered (activities carry no UPN).
        """
        if not aad_object_id:
            return Principal(None)
        grants = await self.roles.of(aad_object_id)
        env_admin = aad_object_id.lower() in self.admins.ids or \
            await self._admin_by_upn(aad_object_id, turn)
        return Principal.from_grants(aad_object_id, grants, env_admin=env_admin)

    async def _admin_by_upn(self, aad_object_id: str, turn: Incoming | None) -> bool:
        if not self.admins.upns:
            return False
        person = await self.people.get(aad_object_id)
        if person is None and turn is not None and turn.user_aad_id == aad_object_id:
            missed = self.admins._misses.get(aad_object_id)
            if missed is not None and time.monotonic() - missed < UPN_RETRY_SECONDS:
                return False  # the connector could not tell us lately; do not ask every turn
            member = await self.members.lookup(turn.conversation_id, turn.user_id)
            if member is None or member.aad_object_id != aad_object_id:
                self.admins._misses[aad_object_id] = time.monotonic()
                return False
            await self.people.remember(aad_object_id, upn=member.upn, name=member.name)
            return bool(member.upn) and member.upn is not None \
                and member.upn.lower() in self.admins.upns
        return person is not None and bool(person.upn) and person.upn in self.admins.upns
