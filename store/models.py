"""Tables. Migrations in store/migrations are the source of truth for the schema;
these mappings must match them (a test compares the two)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    """Every conversation Kompis is in, with what a proactive message needs to reach it."""

    __tablename__ = "conversations"

    conversation_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(64))
    service_url: Mapped[str] = mapped_column(String(1024))
    tenant_id: Mapped[str | None] = mapped_column(String(64))
    conversation_type: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str | None] = mapped_column(String(512))
    teams_channel_id: Mapped[str | None] = mapped_column(String(512))
    user_aad_id: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[dict] = mapped_column(JSON)
    installed: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_conversations_tenant", "tenant_id"),)
