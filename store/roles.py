"""Role grants (koordinator per network, admin), each change audited in its transaction."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from store import audit
from store.db import Database, rowcount
from store.models import CoordinatorChannel, RoleGrant, utcnow


class RoleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

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
        return rowcount(result) > 0

    async def of(self, aad_object_id: str) -> list[tuple[str, str]]:
        """(role, network id or '') pairs held by one person."""
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(RoleGrant.role, RoleGrant.network_id)
                .where(RoleGrant.aad_object_id == aad_object_id)
                .order_by(RoleGrant.role, RoleGrant.network_id)
            )
            return [(role, network) for role, network in rows]

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
