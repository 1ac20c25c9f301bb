"""Export links: created by `eksporter`, read and counted when the link is opened."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import update

from store import audit
from store.db import Database
from store.models import Export, utcnow


class ExportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, *, network_id: str, cycle: str, scheme: str, requested_by: str,
                     expires_at: datetime) -> Export:
        """A new link id (unguessable, 128 bits), audited with what it gives."""
        row = Export(id=secrets.token_hex(16), network_id=network_id, cycle=cycle,
                     scheme=scheme, requested_by=requested_by, created_at=utcnow(),
                     expires_at=expires_at, downloads=0)
        async with self._db.transaction() as session:
            session.add(row)
            audit.record(session, actor=requested_by, action="export.create",
                         object_type="network", object_id=network_id,
                         detail={"export": row.id, "cycle": cycle, "scheme": scheme or None,
                                 "expires_at": expires_at.isoformat()})
        return row

    async def get(self, export_id: str) -> Export | None:
        async with self._db.sessions() as session:
            return await session.get(Export, export_id)

    async def downloaded(self, export: Export) -> None:
        async with self._db.transaction() as session:
            await session.execute(update(Export).where(Export.id == export.id)
                                  .values(downloads=Export.downloads + 1))
            audit.record(session, actor=export.requested_by, action="export.download",
                         object_type="network", object_id=export.network_id,
                         detail={"export": export.id})
