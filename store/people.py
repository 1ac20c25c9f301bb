"""People Kompis has looked up at the connector (object id -> UPN, name)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from store.db import Database
from store.models import Person, utcnow


class PeopleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, aad_object_id: str) -> Person | None:
        async with self._db.sessions() as session:
            return await session.get(Person, aad_object_id)

    async def remember(self, aad_object_id: str, *, upn: str | None, name: str | None) -> None:
        values = {"aad_object_id": aad_object_id, "upn": upn.lower() if upn else None,
                  "name": name, "seen_at": utcnow()}
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(Person).values(**values)
        stmt = stmt.on_conflict_do_update(index_elements=["aad_object_id"],
                                          set_={k: stmt.excluded[k]
                                                for k in ("upn", "name", "seen_at")})
        async with self._db.transaction() as session:
            await session.execute(stmt)

    async def named(self, upns: frozenset[str]) -> list[str]:
        """Object ids of the people known by one of these UPNs (lower case)."""
        if not upns:
            return []
        async with self._db.sessions() as session:
            rows = await session.scalars(select(Person.aad_object_id)
                                         .where(Person.upn.in_(sorted(upns))))
            return list(rows)
