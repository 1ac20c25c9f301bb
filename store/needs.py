"""Needs reports in the database: optimistic concurrency, versions, members, audit.

The aggregate itself (rules, measures) lives in the domain and is stored here as a JSON
snapshot; a save names the version it was based on, and a save based on an older
version is refused (StaleVersion), never merged. One report per partnership, scheme and
cycle is a unique constraint, so two people starting at once still get one report.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from domain.needs.models import Status, partnership_key
from store import audit
from store.db import Database
from store.models import NeedsReportRow, NeedsReportVersion, PartnershipMember, utcnow

SUBMITTED_STATUSES = (Status.SUBMITTED.value, Status.SUBMITTED_LATE.value)


class StaleVersion(Exception):
    """The report changed since the card was built (another person, or an older card)."""

    def __init__(self, current: int | None) -> None:
        super().__init__(f"current version is {current}")
        self.current = current


class DuplicateReport(Exception):
    """The partnership already has a report for this scheme and cycle."""

    def __init__(self, existing_id: str) -> None:
        super().__init__(existing_id)
        self.existing_id = existing_id


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

    async def create(self, meta: ReportMeta, snapshot: dict[str, Any], *,
                     actor: str | None, report_id: str | None = None) -> StoredReport:
        """Version 1 of a new report; DuplicateReport when the partnership has one."""
        now = utcnow()
        row = NeedsReportRow(id=report_id or str(uuid.uuid4()), version=1, reference=None,
                             snapshot=snapshot, created_by=actor, created_at=now,
                             updated_at=now, **_meta_columns(meta))
        try:
            async with self._db.transaction() as session:
                session.add(row)
                await session.flush()
                session.add(NeedsReportVersion(report_id=row.id, version=1, action="create",
                                               actor=actor, at=now, snapshot=snapshot))
                audit.record(session, actor=actor, action="report.create",
                             object_type="needs_report", object_id=row.id,
                             detail={"scheme": meta.scheme, "cycle": meta.cycle,
                                     "network": meta.network_id})
        except IntegrityError as exc:
            existing = await self.find(meta.cycle, meta.scheme, meta.network_id,
                                       meta.partnership_name)
            if existing is None:
                raise
            raise DuplicateReport(existing.id) from exc
        return StoredReport.of(row)

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

    async def save(self, report_id: str, expected_version: int, meta: ReportMeta,
                   snapshot: dict[str, Any], *, actor: str | None, action: str,
                   reference_for: Callable[[int], str] | None = None) -> StoredReport:
        """Write version expected+1, or raise StaleVersion. With `reference_for`, a report
        without a reference number gets the next one for its cycle, network and scheme."""
        for _ in range(5):  # a reference taken by a concurrent submit: take the next
            try:
                return await self._save(report_id, expected_version, meta, snapshot,
                                        actor=actor, action=action, reference_for=reference_for)
            except IntegrityError:
                other = await self.find(meta.cycle, meta.scheme, meta.network_id,
                                        meta.partnership_name)
                if other is not None and other.id != report_id:
                    raise DuplicateReport(other.id) from None
                if reference_for is None:
                    raise
        raise RuntimeError("could not assign a reference number")

    async def _save(self, report_id: str, expected_version: int, meta: ReportMeta,
                    snapshot: dict[str, Any], *, actor: str | None, action: str,
                    reference_for: Callable[[int], str] | None) -> StoredReport:
        now = utcnow()
        async with self._db.transaction() as session:
            current = await session.get(NeedsReportRow, report_id)
            if current is None:
                raise StaleVersion(None)
            values = {**_meta_columns(meta), "snapshot": snapshot, "updated_at": now,
                      "version": expected_version + 1}
            if reference_for is not None and current.reference is None:
                taken = await session.scalar(
                    select(func.count()).select_from(NeedsReportRow).where(
                        NeedsReportRow.cycle == meta.cycle,
                        NeedsReportRow.network_id == meta.network_id,
                        NeedsReportRow.scheme == meta.scheme,
                        NeedsReportRow.reference.is_not(None)))
                values["reference"] = reference_for(int(taken or 0) + 1)
                snapshot = {**snapshot, "reference": values["reference"]}
                values["snapshot"] = snapshot
            result = await session.execute(
                update(NeedsReportRow)
                .where(NeedsReportRow.id == report_id,
                       NeedsReportRow.version == expected_version)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise StaleVersion(current.version)
            session.add(NeedsReportVersion(report_id=report_id, version=expected_version + 1,
                                           action=action, actor=actor, at=now,
                                           snapshot=snapshot))
            audit.record(session, actor=actor, action=f"report.{action}",
                         object_type="needs_report", object_id=report_id,
                         detail={"version": expected_version + 1})
        saved = await self.get(report_id)
        assert saved is not None
        return saved

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

    async def add_member(self, network_id: str, partnership_name: str, aad_object_id: str, *,
                         name: str | None, conversation_id: str | None) -> None:
        values = {"network_id": network_id, "partnership_key": partnership_key(partnership_name),
                  "aad_object_id": aad_object_id, "name": name,
                  "conversation_id": conversation_id, "joined_at": utcnow()}
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(PartnershipMember).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["network_id", "partnership_key", "aad_object_id"],
            set_={"conversation_id": func.coalesce(stmt.excluded.conversation_id,
                                                   PartnershipMember.conversation_id),
                  "name": stmt.excluded.name})
        async with self._db.transaction() as session:
            await session.execute(stmt)

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
