"""What the flows may use: repositories and settings, no SDK and no web app."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from dialogs.turn import Incoming
from domain.access import Principal
from domain.links import random_secret
from domain.networks import NetworkCatalog
from domain.norsk import OSLO
from domain.wheel.loader import WheelSource
from store.audit import AuditLog
from store.conversations import ConversationRepository
from store.db import Database
from store.exports import ExportRepository
from store.glossary_log import GlossaryLog
from store.models import utcnow
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


class _NoMembers:
    async def lookup(self, conversation_id: str, user_id: str) -> Member | None:
        return None


@dataclass
class Services:
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
    networks: NetworkDirectory | None = None
    wheel: WheelSource | None = None
    clock: Callable[[], datetime] = utcnow
    members: MemberDirectory = field(default_factory=_NoMembers)
    admins: frozenset[str] = frozenset()  # object ids, lower case
    admin_upns: frozenset[str] = frozenset()  # UPNs, lower case
    public_url: str = "http://127.0.0.1:3978"
    link_secret: bytes = field(default_factory=random_secret, repr=False)
    export_minutes: float = 15.0
    _upn_misses: dict[str, float] = field(default_factory=dict, repr=False)

    @classmethod
    def from_database(cls, db: Database, *, public_url: str,
                      admins: frozenset[str] = frozenset()) -> Services:
        """`admins` may mix object ids and UPNs (anything with an @ is a UPN)."""
        admins = frozenset(a.strip().lower() for a in admins if a.strip())
        return cls(
            db=db,
            conversations=ConversationRepository(db),
            subscriptions=SubscriptionRepository(db),
            outbox=OutboxRepository(db),
            roles=RoleRepository(db),
            reports=NeedsReportRepository(db),
            channels=CoordinatorChannels(db),
            audit=AuditLog(db),
            glossary_log=GlossaryLog(db),
            exports=ExportRepository(db),
            people=PeopleRepository(db),
            admins=frozenset(a for a in admins if "@" not in a),
            admin_upns=frozenset(a for a in admins if "@" in a),
            public_url=public_url.rstrip("/"),
        )

    def now(self) -> datetime:
        """Now, in Oslo time (the clock is replaceable in tests)."""
        return self.clock().astimezone(OSLO)

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
        env_admin = aad_object_id.lower() in self.admins or \
            await self._admin_by_upn(aad_object_id, turn)
        return Principal.from_grants(aad_object_id, grants, env_admin=env_admin)

    async def _admin_by_upn(self, aad_object_id: str, turn: Incoming | None) -> bool:
        if not self.admin_upns:
            return False
        person = await self.people.get(aad_object_id)
        if person is None and turn is not None and turn.user_aad_id == aad_object_id:
            missed = self._upn_misses.get(aad_object_id)
            if missed is not None and time.monotonic() - missed < UPN_RETRY_SECONDS:
                return False  # the connector could not tell us lately; do not ask every turn
            member = await self.members.lookup(turn.conversation_id, turn.user_id)
            if member is None or member.aad_object_id != aad_object_id:
                self._upn_misses[aad_object_id] = time.monotonic()
                return False
            await self.people.remember(aad_object_id, upn=member.upn, name=member.name)
            return bool(member.upn) and member.upn.lower() in self.admin_upns
        return bool(person and person.upn) and person.upn in self.admin_upns
