"""Conversation references: upserted on every inbound activity, read for proactive sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from store.db import Database
from store.models import Conversation, utcnow


@dataclass(frozen=True)
class ConversationRecord:
    """What the edge knows about a conversation after one activity (no botbuilder types)."""

    conversation_id: str
    channel_id: str
    service_url: str
    conversation_type: str
    reference: dict[str, Any]
    tenant_id: str | None = None
    team_id: str | None = None
    teams_channel_id: str | None = None
    user_aad_id: str | None = None
    installed: bool = True
    seen_at: datetime = field(default_factory=utcnow)


class ConversationRepository:
    """Idempotent storage of where Kompis can post."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(self, record: ConversationRecord) -> None:
        """Insert, or refresh the reference (service URLs change) keeping created_at."""
        values = {
            "conversation_id": record.conversation_id,
            "channel_id": record.channel_id,
            "service_url": record.service_url,
            "tenant_id": record.tenant_id,
            "conversation_type": record.conversation_type,
            "team_id": record.team_id,
            "teams_channel_id": record.teams_channel_id,
            "user_aad_id": record.user_aad_id,
            "reference": record.reference,
            "installed": record.installed,
            "created_at": record.seen_at,
            "updated_at": record.seen_at,
        }
        dialect = postgresql if not self._db.is_sqlite else sqlite
        stmt = dialect.insert(Conversation).values(**values)
        fixed = ("conversation_id", "created_at")
        changes = {k: stmt.excluded[k] for k in values if k not in fixed}
        # Keep what an earlier activity knew when this one does not carry it.
        for key in ("tenant_id", "team_id", "teams_channel_id", "user_aad_id"):
            changes[key] = func.coalesce(stmt.excluded[key], getattr(Conversation, key))
        stmt = stmt.on_conflict_do_update(index_elements=["conversation_id"], set_=changes)
        async with self._db.transaction() as session:
            await session.execute(stmt)

    async def set_installed(self, conversation_id: str, installed: bool) -> None:
        """Mark a conversation as (un)reachable, e.g. when the app is uninstalled."""
        async with self._db.transaction() as session:
            await session.execute(
                update(Conversation)
                .where(Conversation.conversation_id == conversation_id)
                .values(installed=installed, updated_at=utcnow())
            )

    async def get(self, conversation_id: str) -> Conversation | None:
        async with self._db.sessions() as session:
            return await session.get(Conversation, conversation_id)

    async def count(self) -> int:
        async with self._db.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(Conversation)) or 0)

    async def personal_chats_of(self, aad_object_ids: set[str]) -> list[str]:
        """Personal conversations Kompis has with these people (object ids, any case)."""
        if not aad_object_ids:
            return []
        wanted = {a.lower() for a in aad_object_ids}
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(Conversation.conversation_id, Conversation.user_aad_id)
                .where(Conversation.conversation_type == "personal",
                       Conversation.installed.is_(True),
                       Conversation.user_aad_id.is_not(None)))
            return sorted(cid for cid, aad in rows if aad is not None and aad.lower() in wanted)
