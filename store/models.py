"""Tables. Migrations in store/migrations are the source of truth for the schema;
these mappings must match them (a test compares the two)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
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


class Subscription(Base):
    """A conversation that asked for reminders, and for which audiences."""

    __tablename__ = "subscriptions"

    conversation_id: Mapped[str] = mapped_column(
        String(512), ForeignKey("conversations.conversation_id", ondelete="CASCADE"),
        primary_key=True,
    )
    audiences: Mapped[list] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxMessage(Base):
    """A proactive message, written before it is sent; unique per dedupe key.

    The key (e.g. reminder event x offset x conversation) is what makes a restart or a
    second replica find the row instead of sending again.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedupe_key: Mapped[str] = mapped_column(String(700), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(512))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set just before the HTTP call: a row whose sender died after this may have been
    # delivered; one without it certainly was not.
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class AuditEntry(Base):
    """Append-only: who did what to which object, and how it ended (also refusals)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(128))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)


class RoleGrant(Base):
    """A role a person holds: koordinator for a network, or admin (network empty)."""

    __tablename__ = "role_grants"

    aad_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    display_name: Mapped[str | None] = mapped_column(String(200))
    granted_by: Mapped[str | None] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionLog(Base):
    """Questions the glossary could not answer well, to improve it (no personal data)."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(String(500))
    conversation_type: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))  # nomatch, ambiguous
    best_guess: Mapped[str | None] = mapped_column(String(64))


class AnswerFeedback(Base):
    """Nyttig / Ikke nyttig on a glossary answer; one vote per person and answer."""

    __tablename__ = "answer_feedback"

    entry_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    voter: Mapped[str] = mapped_column(String(64), primary_key=True)
    useful: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NeedsReportRow(Base):
    """A needs report (behovsmelding): the aggregate as a JSON snapshot, plus the columns
    that queries, uniqueness and optimistic concurrency need."""

    __tablename__ = "needs_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    cycle: Mapped[str] = mapped_column(String(16))
    scheme: Mapped[str] = mapped_column(String(16))
    network_id: Mapped[str] = mapped_column(String(64))
    partnership_key: Mapped[str] = mapped_column(String(200))
    partnership_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    measures: Mapped[int] = mapped_column(Integer, default=0)
    snapshot: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("cycle", "scheme", "network_id", "partnership_key",
                         name="uq_needs_report_per_partnership"),
        Index("ix_needs_reports_network", "network_id", "cycle"),
    )


class NeedsReportVersion(Base):
    """Every saved version of a report: who, when, what action, and the whole snapshot."""

    __tablename__ = "needs_report_versions"

    report_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("needs_reports.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    snapshot: Mapped[dict] = mapped_column(JSON)


class PartnershipMember(Base):
    """Who works on a partnership's reports (they started or joined one)."""

    __tablename__ = "partnership_members"

    network_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    partnership_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    aad_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(512))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_partnership_members_aad", "aad_object_id"),)


class CoordinatorChannel(Base):
    """The chat or channel where a network's coordinators get notifications."""

    __tablename__ = "coordinator_channels"

    network_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        String(512), ForeignKey("conversations.conversation_id", ondelete="CASCADE")
    )
    registered_by: Mapped[str | None] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Export(Base):
    """A download link a coordinator asked for: what it gives, to whom, until when.

    The link itself carries a signature over these values; the row makes an unknown
    link recognisable (404) and lets every download be checked against the requester's
    role at the time of download.
    """

    __tablename__ = "exports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(64))
    cycle: Mapped[str] = mapped_column(String(16))
    scheme: Mapped[str] = mapped_column(String(16), default="")  # empty: every scheme
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    # a compiled report's spreadsheet as sent (that version), instead of the live one
    compiled_version: Mapped[int | None] = mapped_column(Integer)


class Person(Base):
    """What the connector told about a Teams user: their UPN, so KOMPIS_ADMINS may name
    admins by UPN (an activity carries only the object id)."""

    __tablename__ = "people"

    aad_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    upn: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReferenceCounter(Base):
    """The last reference number taken in a series (cycle, network, scheme): taken by
    an atomic increment in the submit's own transaction, so numbers never collide and a
    rolled-back submit leaves no gap."""

    __tablename__ = "reference_counters"

    cycle: Mapped[str] = mapped_column(String(16), primary_key=True)
    network_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class SeenActivity(Base):
    """An inbound activity already taken in: Teams redelivers an activity (same id) when
    the bot is slow, possibly to another replica; each is answered once. Pruned after
    a day (Teams retries within minutes)."""

    __tablename__ = "seen_activities"

    conversation_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_seen_activities_at", "at"),)


class MeasureAssessment(Base):
    """The network's assessment of one measure, one row per version (append-only): the
    newest version is the assessment, the rows before it its history. Saving version n
    twice is refused by the key, so two coordinators never overwrite each other."""

    __tablename__ = "measure_assessments"

    report_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("needs_reports.id", ondelete="CASCADE"), primary_key=True)
    measure_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[str] = mapped_column(String(64))
    cycle: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CompiledReportRow(Base):
    """A sent version of a network's compiled needs report (sammenstilt behovsmelding):
    the data as JSON and the spreadsheet as sent, frozen. One row per version; the key
    makes two coordinators sending at once give one version."""

    __tablename__ = "compiled_reports"

    network_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cycle: Mapped[str] = mapped_column(String(16), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_by: Mapped[str | None] = mapped_column(String(64))
    sent_by_name: Mapped[str | None] = mapped_column(String(200))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    snapshot: Mapped[dict] = mapped_column(JSON)
    workbook: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_compiled_reports_reference", "reference"),
                      Index("ix_compiled_reports_cycle", "cycle"))
