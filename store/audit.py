"""The audit log: appended in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import Database
from store.models import AuditEntry, utcnow

ALLOWED, REFUSED, FAILED = "ok", "refused", "failed"


def record(session: AsyncSession, *, actor: str | None, action: str, object_type: str,
           object_id: str | None, outcome: str = ALLOWED,
           detail: dict[str, Any] | None = None) -> None:
    """Add an entry to `session`; it commits (or rolls back) with the change itself."""
    session.add(AuditEntry(at=utcnow(), actor=actor, action=action, object_type=object_type,
                           object_id=object_id, outcome=outcome, detail=detail))


class AuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def append(self, **entry: Any) -> None:
        """A standalone entry, e.g. a refused access where nothing else is written."""
        async with self._db.transaction() as session:
            record(session, **entry)

    async def for_object(self, object_type: str, object_id: str) -> list[AuditEntry]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
                .order_by(AuditEntry.id)
            )
            return list(rows)

    async def refusals(self) -> list[AuditEntry]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(AuditEntry).where(AuditEntry.outcome == REFUSED).order_by(AuditEntry.id)
            )
            return list(rows)
