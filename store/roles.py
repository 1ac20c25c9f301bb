"""Role grants (koordinator per network, admin), each change audited in its transaction.

Every turn asks for the person's roles (the help card, every access check), and the
database round trip was most of a turn's CPU. Grants are therefore kept in the process
for `cache_seconds` (ROLE_CACHE_SECONDS, default 10): a grant or revoke made through
this process is seen at once; one made on another replica within that many seconds.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from store import audit
from store.db import Database, rowcount
from store.models import CoordinatorChannel, RoleGrant, utcnow


class RoleRepository:
    def __init__(self, db: Database, *, cache_seconds: float = 0.0) -> None:
        self._db = db
        self._ttl = cache_seconds
        self._cache: dict[str, tuple[float, list[tuple[str, str]]]] = {}

    async def grant(self, aad_object_id: str, role: str, network_id: str | None, *,
                    display_name: str | None, by: str | None) -> bool:
        """True when the grant is new (granting twice changes nothing)."""
        values = {"aad_object_id": aad_object_id, "role": role, "network_id": network_id or "",
                  "display_name": display_name, "granted_by": by, "granted_at": utcnow()}
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = (dialect.insert(RoleGrant).values(**values)
                .on_conflict_do_nothing().returning(RoleGrant.role))
        async with self._db.transaction() as session:
            new = (await session.execute(stmt)).first() is not None
            audit.record(session, actor=by, action="role.grant", object_type="role",
                         object_id=aad_object_id,
                         detail={"role": role, "network": network_id, "new": new})
        self._cache.pop(aad_object_id, None)
        return new

    async def revoke(self, aad_object_id: str, role: str, network_id: str | None, *,
                     by: str | None) -> bool:
        async with self._db.transaction() as session:
            result = await session.execute(
                delete(RoleGrant).where(RoleGrant.aad_object_id == aad_object_id,
                                        RoleGrant.role == role,
                                        RoleGrant.network_id == (network_id or ""))
            )
            audit.record(session, actor=by, action="role.revoke", object_type="role",
                         object_id=aad_object_id,
                         detail={"role": role, "network": network_id,
                                 "removed": rowcount(result) > 0})
        self._cache.pop(aad_object_id, None)
        return rowcount(result) > 0

    async def of(self, aad_object_id: str) -> list[tuple[str, str]]:
        """(role, network id or '') pairs held by one person."""
        if self._ttl > 0:
            kept = self._cache.get(aad_object_id)
            if kept is not None and kept[0] > time.monotonic():
                return list(kept[1])
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(RoleGrant.role, RoleGrant.network_id)
                .where(RoleGrant.aad_object_id == aad_object_id)
                .order_by(RoleGrant.role, RoleGrant.network_id)
            )
            found = [(role, network) for role, network in rows]
        if self._ttl > 0:
            if len(self._cache) > 10_000:  # people come and go; never grow without bound
                self._cache.clear()
            self._cache[aad_object_id] = (time.monotonic() + self._ttl, found)
        return list(found)

    async def holders(self, role: str) -> list[str]:
        """The object ids of everyone granted `role` (any network)."""
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(RoleGrant.aad_object_id).where(RoleGrant.role == role).distinct())
            return list(rows)

    async def all(self) -> list[RoleGrant]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(RoleGrant).order_by(RoleGrant.role, RoleGrant.network_id,
                                           RoleGrant.display_name)
            )
            return list(rows)


class CoordinatorChannels:
    """Which conversation is a network's coordinator channel (one per network)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def register(self, network_id: str, conversation_id: str, *, by: str | None) -> None:
        values = {"network_id": network_id, "conversation_id": conversation_id,
                  "registered_by": by, "registered_at": utcnow()}
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(CoordinatorChannel).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["network_id"],
            set_={k: stmt.excluded[k] for k in ("conversation_id", "registered_by",
                                                "registered_at")})
        async with self._db.transaction() as session:
            await session.execute(stmt)
            audit.record(session, actor=by, action="coordinator_channel.register",
                         object_type="network", object_id=network_id,
                         detail={"conversation": conversation_id})

    async def of(self, network_id: str) -> str | None:
        async with self._db.sessions() as session:
            row = await session.get(CoordinatorChannel, network_id)
            return row.conversation_id if row else None

    async def all(self) -> list[tuple[str, str]]:
        """(network id, conversation id) for every registered coordinator channel."""
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(CoordinatorChannel.network_id, CoordinatorChannel.conversation_id)
                .order_by(CoordinatorChannel.network_id))
            return [(n, c) for n, c in rows]
