"""Export links: created by `eksporter`, read and counted when the link is opened."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import update

from store import audit
from store.db import Database
from store.models import Export, utcnow

ALL_NETWORKS = "*"


class ExportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, *, network_id: str, cycle: str, scheme: str, requested_by: str,
                     expires_at: datetime, now: datetime | None = None,
                     compiled_version: int | None = None) -> Export:
        """A new link id (unguessable, 128 bits), audited with what it gives.
        `network_id` ALL_NETWORKS is samarbeidsforum's workbook of every network;
        `compiled_version` a compiled report's spreadsheet exactly as it was sent."""
        # in UTC: SQLite keeps the wall time and drops the zone
        row = Export(id=secrets.token_hex(16), network_id=network_id, cycle=cycle,
                     scheme=scheme, requested_by=requested_by,
                     compiled_version=compiled_version,
                     created_at=(now or utcnow()).astimezone(UTC),
                     expires_at=expires_at.astimezone(UTC), downloads=0)
        async with self._db.transaction() as session:
            session.add(row)
            audit.record(session, actor=requested_by, action="export.create",
                         object_type="network", object_id=network_id,
                         detail={"export": row.id, "cycle": cycle, "scheme": scheme or None,
                                 "compiled_version": compiled_version,
                                 "expires_at": expires_at.isoformat()})
        return row

    async def get(self, export_id: str) -> Export | None:
        async with self._db.sessions() as session:
            row = await session.get(Export, export_id)
        if row is not None and row.expires_at.tzinfo is None:  # SQLite keeps no zone
            row.expires_at = row.expires_at.replace(tzinfo=UTC)
        return row

    async def downloaded(self, export: Export) -> None:
        async with self._db.transaction() as session:
            await session.execute(update(Export).where(Export.id == export.id)
                                  .values(downloads=Export.downloads + 1))
            audit.record(session, actor=export.requested_by, action="export.download",
                         object_type="network", object_id=export.network_id,
                         detail={"export": export.id})
