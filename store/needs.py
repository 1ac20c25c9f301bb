"""Needs reports in the database: the service's unit of work, and the read side.

The aggregate (rules, measures) lives in the domain and is stored here as a JSON
snapshot beside the columns queries need. `SqlNeedsStore.unit()` is one transaction for
the needs-report service (`domain.needs.service`): a save names the version it was based
on, and a save based on an older version is refused (`Stale`), never merged; reference
numbers come from a counter row in the same transaction; audit entries and outbox rows
commit with the change. One report per partnership, scheme and cycle is a unique
constraint, so two people starting at once still get one report (`Conflict`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.needs.models import NeedsReport, partnership_key
from domain.needs.ports import Conflict, Outgoing
from domain.needs.refusals import Stale
from domain.needs.states import Status
from store import audit
from store.db import Database, rowcount
from store.models import (
    CoordinatorChannel,
    NeedsReportRow,
    NeedsReportVersion,
    OutboxMessage,
    PartnershipMember,
    ReferenceCounter,
    utcnow,
)
from store.outbox import PENDING

U = TypeVar("U", bound="SqlNeedsUnit")
SUBMITTED_STATUSES = (Status.SUBMITTED.value, Status.SUBMITTED_LATE.value)


@dataclass(frozen=True)
class ReportMeta:
    cycle: str
    scheme: str
    network_id: str
    partnership_name: str
    status: str
    measures: int = 0
    submitted_at: datetime | None = None
    late: bool = False


@dataclass(frozen=True)
class StoredReport:
    id: str
    version: int
    reference: str | None
    meta: ReportMeta
    snapshot: dict[str, Any]
    created_by: str | None
    updated_at: datetime

    @classmethod
    def of(cls, row: NeedsReportRow) -> StoredReport:
        meta = ReportMeta(row.cycle, row.scheme, row.network_id, row.partnership_name,
                          row.status, row.measures, row.submitted_at, row.late)
        return cls(row.id, row.version, row.reference, meta, row.snapshot, row.created_by,
                   row.updated_at)

    @property
    def report(self) -> NeedsReport:
        """The aggregate this row holds (parsed on each call; keep the result)."""
        return stored_report(self.snapshot, self.version, self.reference)


def stored_report(snapshot: dict[str, Any], version: int,
                  reference: str | None) -> NeedsReport:
    """The aggregate from a stored snapshot, with the version and reference of its row."""
    report = NeedsReport.model_validate(snapshot)
    report.version, report.reference = version, reference
    return report


def _meta(report: NeedsReport) -> ReportMeta:
    h = report.header
    return ReportMeta(h.cycle, h.scheme, h.network_id, h.partnership_name,
                      report.status.value, len(report.measures), report.submitted_at,
                      report.late)


def _meta_columns(meta: ReportMeta) -> dict[str, Any]:
    return {
        "cycle": meta.cycle,
        "scheme": meta.scheme,
        "network_id": meta.network_id,
        "partnership_key": partnership_key(meta.partnership_name),
        "partnership_name": meta.partnership_name[:200],
        "status": meta.status,
        "measures": meta.measures,
        "submitted_at": meta.submitted_at,
        "late": meta.late,
    }


class NeedsReportRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, report_id: str) -> StoredReport | None:
        async with self._db.sessions() as session:
            row = await session.get(NeedsReportRow, report_id)
            return StoredReport.of(row) if row else None

    async def find(self, cycle: str, scheme: str, network_id: str,
                   partnership_name: str) -> StoredReport | None:
        async with self._db.sessions() as session:
            row = await session.scalar(
                select(NeedsReportRow).where(
                    NeedsReportRow.cycle == cycle, NeedsReportRow.scheme == scheme,
                    NeedsReportRow.network_id == network_id,
                    NeedsReportRow.partnership_key == partnership_key(partnership_name))
            )
            return StoredReport.of(row) if row else None

    async def versions(self, report_id: str) -> list[NeedsReportVersion]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(NeedsReportVersion).where(NeedsReportVersion.report_id == report_id)
                .order_by(NeedsReportVersion.version))
            return list(rows)

    async def for_network(self, network_id: str, cycle: str | None = None) -> list[StoredReport]:
        query = select(NeedsReportRow).where(NeedsReportRow.network_id == network_id)
        if cycle:
            query = query.where(NeedsReportRow.cycle == cycle)
        async with self._db.sessions() as session:
            rows = await session.scalars(query.order_by(NeedsReportRow.scheme,
                                                        NeedsReportRow.partnership_key))
            return [StoredReport.of(r) for r in rows]

    async def all_submitted(self, aad_object_id: str, cycle: str) -> bool:
        """True when the person's partnerships have reports in `cycle` and every one of
        them is submitted (then a deadline reminder becomes a thank-you)."""
        mine = [r for r in await self.for_member(aad_object_id) if r.meta.cycle == cycle]
        return bool(mine) and all(r.meta.status in SUBMITTED_STATUSES for r in mine)

    async def by_reference(self, reference: str) -> StoredReport | None:
        async with self._db.sessions() as session:
            row = await session.scalar(
                select(NeedsReportRow).where(NeedsReportRow.reference == reference))
            return StoredReport.of(row) if row else None

    async def partnerships(self, network_id: str) -> list[str]:
        """The partnerships known in a network: every one that has had a report there."""
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(NeedsReportRow.partnership_key,
                       func.max(NeedsReportRow.partnership_name))
                .where(NeedsReportRow.network_id == network_id)
                .group_by(NeedsReportRow.partnership_key)
                .order_by(NeedsReportRow.partnership_key))
            return [name for _, name in rows]

    async def last_submitted(self, report_id: str) -> NeedsReportVersion | None:
        """The newest submitted version (what a reopened report last sent in)."""
        async with self._db.sessions() as session:
            return await session.scalar(
                select(NeedsReportVersion)
                .where(NeedsReportVersion.report_id == report_id,
                       NeedsReportVersion.action == "submit")
                .order_by(NeedsReportVersion.version.desc()).limit(1))

    async def for_member(self, aad_object_id: str) -> list[StoredReport]:
        """Every report of every partnership this person works on."""
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(NeedsReportRow)
                .join(PartnershipMember,
                      (PartnershipMember.network_id == NeedsReportRow.network_id)
                      & (PartnershipMember.partnership_key == NeedsReportRow.partnership_key))
                .where(PartnershipMember.aad_object_id == aad_object_id)
                .order_by(NeedsReportRow.cycle.desc(), NeedsReportRow.scheme))
            return [StoredReport.of(r) for r in rows]

    async def is_member(self, network_id: str, partnership_name: str,
                        aad_object_id: str) -> bool:
        async with self._db.sessions() as session:
            found = await session.get(
                PartnershipMember, (network_id, partnership_key(partnership_name), aad_object_id))
            return found is not None

    async def members(self, network_id: str, partnership_name: str) -> list[PartnershipMember]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(PartnershipMember).where(
                    PartnershipMember.network_id == network_id,
                    PartnershipMember.partnership_key == partnership_key(partnership_name)))
            return list(rows)


class SqlNeedsUnit:
    """One transaction of the needs-report service (implements `NeedsUnit`)."""

    def __init__(self, session: AsyncSession, *, is_sqlite: bool) -> None:
        self._session = session
        self._dialect: Any = sqlite if is_sqlite else postgresql
        self._outgoing: list[Outgoing] = []

    async def get(self, report_id: str) -> NeedsReport | None:
        row = await self._session.get(NeedsReportRow, report_id)
        return stored_report(row.snapshot, row.version, row.reference) if row else None

    async def find(self, cycle: str, schemes: Sequence[str], network_id: str,
                   partnership: str) -> NeedsReport | None:
        rows = {row.scheme: row for row in await self._session.scalars(
            select(NeedsReportRow).where(
                NeedsReportRow.cycle == cycle, NeedsReportRow.scheme.in_(schemes),
                NeedsReportRow.network_id == network_id,
                NeedsReportRow.partnership_key == partnership_key(partnership)))}
        row = next((rows[s] for s in schemes if s in rows), None)
        return stored_report(row.snapshot, row.version, row.reference) if row else None

    async def add(self, report: NeedsReport, *, actor: str) -> None:
        now = utcnow()
        snapshot = report.model_dump(mode="json")
        self._session.add(NeedsReportRow(id=report.id, version=report.version,
                                         reference=report.reference, snapshot=snapshot,
                                         created_by=actor, created_at=now, updated_at=now,
                                         **_meta_columns(_meta(report))))
        try:
            await self._session.flush()
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from None
        self._session.add(NeedsReportVersion(report_id=report.id, version=report.version,
                                             action="create", actor=actor, at=now,
                                             snapshot=snapshot))

    async def save(self, report: NeedsReport, *, expected: int, actor: str,
                   action: str) -> None:
        now = utcnow()
        snapshot = report.model_dump(mode="json")
        result = await self._session.execute(
            update(NeedsReportRow)
            .where(NeedsReportRow.id == report.id, NeedsReportRow.version == expected)
            .values(**_meta_columns(_meta(report)), snapshot=snapshot, updated_at=now,
                    version=report.version, reference=report.reference)
            .execution_options(synchronize_session=False))
        if rowcount(result) != 1:
            self._session.expire_all()
            raise Stale(await self.get(report.id), expected=expected)
        self._session.add(NeedsReportVersion(report_id=report.id, version=report.version,
                                             action=action, actor=actor or None, at=now,
                                             snapshot=snapshot))

    async def next_reference(self, cycle: str, network_id: str, scheme: str) -> int:
        stmt = self._dialect.insert(ReferenceCounter).values(
            cycle=cycle, network_id=network_id, scheme=scheme, last=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["cycle", "network_id", "scheme"],
            set_={"last": ReferenceCounter.last + 1}).returning(ReferenceCounter.last)
        return int((await self._session.execute(stmt)).scalar_one())

    async def members(self, network_id: str, partnership: str) -> frozenset[str]:
        rows = await self._session.scalars(select(PartnershipMember.aad_object_id).where(
            PartnershipMember.network_id == network_id,
            PartnershipMember.partnership_key == partnership_key(partnership)))
        return frozenset(rows)

    async def partnership_known(self, network_id: str, partnership: str) -> bool:
        return bool(await self._session.scalar(select(exists().where(
            NeedsReportRow.network_id == network_id,
            NeedsReportRow.partnership_key == partnership_key(partnership)))))

    async def partnership_names(self, network_id: str) -> list[str]:
        rows = await self._session.execute(
            select(func.max(NeedsReportRow.partnership_name))
            .where(NeedsReportRow.network_id == network_id)
            .group_by(NeedsReportRow.partnership_key))
        return [name for (name,) in rows]

    async def partnerships_of(self, aad_object_id: str) -> list[tuple[str, str]]:
        rows = await self._session.execute(
            select(NeedsReportRow.network_id, func.max(NeedsReportRow.partnership_name))
            .join(PartnershipMember,
                  (PartnershipMember.network_id == NeedsReportRow.network_id)
                  & (PartnershipMember.partnership_key == NeedsReportRow.partnership_key))
            .where(PartnershipMember.aad_object_id == aad_object_id)
            .group_by(NeedsReportRow.network_id, NeedsReportRow.partnership_key)
            .order_by(NeedsReportRow.network_id, NeedsReportRow.partnership_key))
        return [(network_id, name) for network_id, name in rows]

    async def add_member(self, network_id: str, partnership: str, aad_object_id: str, *,
                         name: str | None, conversation_id: str | None) -> None:
        await self._session.execute(_member_upsert(
            self._dialect, network_id, partnership, aad_object_id, name=name,
            conversation_id=conversation_id))

    async def reports_of(self, network_id: str, partnership: str) -> list[NeedsReport]:
        rows = await self._session.scalars(
            select(NeedsReportRow).where(
                NeedsReportRow.network_id == network_id,
                NeedsReportRow.partnership_key == partnership_key(partnership))
            .order_by(NeedsReportRow.cycle, NeedsReportRow.scheme))
        return [stored_report(r.snapshot, r.version, r.reference) for r in rows]

    async def move_members(self, network_id: str, partnership: str, renamed: str) -> None:
        old, new = partnership_key(partnership), partnership_key(renamed)
        if old == new:
            return
        await self._session.execute(
            update(PartnershipMember)
            .where(PartnershipMember.network_id == network_id,
                   PartnershipMember.partnership_key == old)
            .values(partnership_key=new)
            .execution_options(synchronize_session=False))

    async def coordinator_channel(self, network_id: str) -> str | None:
        row = await self._session.get(CoordinatorChannel, network_id)
        return row.conversation_id if row else None

    def audit(self, *, actor: str | None, action: str, object_type: str,
              object_id: str | None, detail: Mapping[str, Any] | None = None) -> None:
        audit.record(self._session, actor=actor, action=action, object_type=object_type,
                     object_id=object_id, detail=dict(detail) if detail else None)

    def send(self, message: Outgoing) -> None:
        self._outgoing.append(message)

    async def flush_outgoing(self) -> None:
        """The outbox rows, written in this transaction just before it commits."""
        now = utcnow()
        for m in self._outgoing:
            await self._session.execute(
                self._dialect.insert(OutboxMessage).values(
                    dedupe_key=m.dedupe_key, conversation_id=m.conversation_id, kind=m.kind,
                    payload=dict(m.payload), status=PENDING, attempts=0,
                    next_attempt_at=now, created_at=now)
                .on_conflict_do_nothing(index_elements=["dedupe_key"]))
        self._outgoing.clear()


def _member_upsert(dialect: Any, network_id: str, partnership: str, aad_object_id: str, *,
                   name: str | None, conversation_id: str | None) -> Any:
    values = {"network_id": network_id, "partnership_key": partnership_key(partnership),
              "aad_object_id": aad_object_id, "name": name,
              "conversation_id": conversation_id, "joined_at": utcnow()}
    stmt = dialect.insert(PartnershipMember).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=["network_id", "partnership_key", "aad_object_id"],
        set_={"conversation_id": func.coalesce(stmt.excluded.conversation_id,
                                               PartnershipMember.conversation_id),
              "name": stmt.excluded.name})


class UnitStore(Generic[U]):
    """A service's store: `unit()` is one transaction of `unit_type` (its outbox rows
    written just before the commit), and a refusal is audited in its own transaction."""

    unit_type: type[U]

    def __init__(self, db: Database) -> None:
        self._db = db

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[U]:
        try:
            async with self._db.transaction() as session:
                unit = self.unit_type(session, is_sqlite=self._db.is_sqlite)
                yield unit
                await unit.flush_outgoing()
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from None

    async def refused(self, *, actor: str | None, action: str, object_type: str,
                      object_id: str | None, detail: Mapping[str, Any] | None = None) -> None:
        async with self._db.transaction() as session:
            audit.record(session, actor=actor, action=action, object_type=object_type,
                         object_id=object_id, outcome=audit.REFUSED,
                         detail=dict(detail) if detail else None)


class SqlNeedsStore(UnitStore[SqlNeedsUnit]):
    """The needs-report service's store (implements `NeedsStore`)."""

    unit_type = SqlNeedsUnit
