"""The network's part in the database: assessments (a row per version) and the compiled
reports as sent (a row per version, with the spreadsheet bytes). `SqlNetworkStore.unit()`
is one transaction for `domain.network.service`; outbox rows and audit entries commit
with the change, as in store/needs.py."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from domain.needs.models import partnership_key
from domain.needs.ports import Conflict
from domain.needs.states import Status
from domain.network.compile import Current
from domain.network.models import Assessment, NetworkReport, Snapshot
from store.models import (
    CompiledReportRow,
    Conversation,
    MeasureAssessment,
    NeedsReportRow,
    NeedsReportVersion,
    OutboxMessage,
    PartnershipMember,
    Subscription,
)
from store.needs import SqlNeedsUnit, UnitStore, stored_report

FORUM = "samarbeidsforum"
# the spreadsheet bytes are read only for a download (`workbook`), never with the data
WITHOUT_WORKBOOK = defer(CompiledReportRow.workbook)


def _sent(row: CompiledReportRow) -> NetworkReport:
    return NetworkReport(row.network_id, row.cycle, row.scheme, row.version, row.reference,
                         row.sent_at, row.sent_by, row.sent_by_name, row.late,
                         Snapshot.model_validate(row.snapshot))


class SqlNetworkUnit(SqlNeedsUnit):
    """One transaction of the network service (implements `NetworkUnit`): a needs unit
    (the same reports, members, outbox and audit) with the network's own tables."""

    async def _current(self, row: NeedsReportRow) -> Current:
        report = stored_report(row.snapshot, row.version, row.reference)
        last = None
        if report.status == Status.REOPENED:
            version = await self._session.scalar(
                select(NeedsReportVersion)
                .where(NeedsReportVersion.report_id == row.id,
                       NeedsReportVersion.action == "submit")
                .order_by(NeedsReportVersion.version.desc()).limit(1))
            if version is not None:
                last = stored_report(version.snapshot, version.version, row.reference)
        return Current(report, last)

    async def report(self, report_id: str) -> Current | None:
        row = await self._session.get(NeedsReportRow, report_id)
        return await self._current(row) if row else None

    async def reports(self, network_id: str, cycle: str) -> list[Current]:
        rows = await self._session.scalars(
            select(NeedsReportRow).where(NeedsReportRow.network_id == network_id,
                                         NeedsReportRow.cycle == cycle)
            .order_by(NeedsReportRow.partnership_key))
        return [await self._current(row) for row in rows]

    async def assessments(self, report_ids: list[str]) -> dict[tuple[str, str], Assessment]:
        if not report_ids:
            return {}
        rows = await self._session.scalars(
            select(MeasureAssessment).where(MeasureAssessment.report_id.in_(report_ids))
            .order_by(MeasureAssessment.version))
        return {(r.report_id, r.measure_id): Assessment(r.report_id, r.measure_id, r.text,
                                                        r.version, r.actor, r.at)
                for r in rows}

    async def add_assessment(self, assessment: Assessment, *, network_id: str,
                             cycle: str) -> None:
        self._session.add(MeasureAssessment(
            report_id=assessment.report_id, measure_id=assessment.measure_id,
            version=assessment.version, network_id=network_id, cycle=cycle,
            text=assessment.text, actor=assessment.by, at=assessment.at))
        try:
            await self._session.flush()
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from None

    async def last_sent(self, network_id: str, cycle: str,
                        scheme: str) -> NetworkReport | None:
        row = await self._session.scalar(
            select(CompiledReportRow).options(WITHOUT_WORKBOOK).where(
                CompiledReportRow.network_id == network_id,
                                            CompiledReportRow.cycle == cycle,
                                            CompiledReportRow.scheme == scheme)
            .order_by(CompiledReportRow.version.desc()).limit(1))
        return _sent(row) if row else None

    async def add_sent(self, sent: NetworkReport, workbook: bytes) -> None:
        self._session.add(CompiledReportRow(
            network_id=sent.network_id, cycle=sent.cycle, scheme=sent.scheme,
            version=sent.version, reference=sent.reference, sent_at=sent.sent_at,
            sent_by=sent.sent_by, sent_by_name=sent.sent_by_name, late=sent.late,
            snapshot=sent.snapshot.model_dump(mode="json"), workbook=workbook))
        try:
            await self._session.flush()
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from None

    async def member_chats(self, network_id: str, partnership: str) -> list[str]:
        members = await self._session.execute(
            select(PartnershipMember.aad_object_id, PartnershipMember.conversation_id).where(
                PartnershipMember.network_id == network_id,
                PartnershipMember.partnership_key == partnership_key(partnership)))
        chats, ids = set(), set()
        for aad, conversation in members:
            ids.add(aad.lower())
            if conversation:
                chats.add(conversation)
        if ids:
            rows = await self._session.execute(
                select(Conversation.conversation_id, Conversation.user_aad_id)
                .where(Conversation.conversation_type == "personal",
                       Conversation.installed.is_(True),
                       Conversation.user_aad_id.is_not(None)))
            chats.update(cid for cid, aad in rows if aad and aad.lower() in ids)
        installed = await self._session.scalars(
            select(Conversation.conversation_id).where(
                Conversation.conversation_id.in_(chats), Conversation.installed.is_(True)))
        return sorted(installed)

    async def forum_chats(self) -> list[str]:
        rows = await self._session.execute(
            select(Subscription.conversation_id, Subscription.audiences)
            .join(Conversation, Conversation.conversation_id == Subscription.conversation_id)
            .where(Subscription.active.is_(True), Conversation.installed.is_(True))
            .order_by(Subscription.conversation_id))
        return [cid for cid, audiences in rows.tuples()
                if isinstance(audiences, list) and FORUM in audiences]

    async def queued(self, dedupe_key: str) -> bool:
        found = await self._session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key))
        return found is not None


class SqlNetworkStore(UnitStore[SqlNetworkUnit]):
    """The network service's store (implements `NetworkStore`)."""

    unit_type = SqlNetworkUnit

    async def sent_versions(self, reference: str) -> list[NetworkReport]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(CompiledReportRow).options(WITHOUT_WORKBOOK)
                .where(CompiledReportRow.reference == reference)
                .order_by(CompiledReportRow.version))
            return [_sent(r) for r in rows]

    async def workbook(self, network_id: str, cycle: str, scheme: str,
                       version: int) -> bytes | None:
        async with self._db.sessions() as session:
            return await session.scalar(
                select(CompiledReportRow.workbook).where(
                    CompiledReportRow.network_id == network_id,
                    CompiledReportRow.cycle == cycle, CompiledReportRow.scheme == scheme,
                    CompiledReportRow.version == version))

    async def latest_sent(self, cycle: str,
                          network_id: str | None = None) -> list[NetworkReport]:
        newest = (select(CompiledReportRow.network_id, CompiledReportRow.scheme,
                         func.max(CompiledReportRow.version).label("version"))
                  .where(CompiledReportRow.cycle == cycle)
                  .group_by(CompiledReportRow.network_id, CompiledReportRow.scheme))
        if network_id is not None:
            newest = newest.where(CompiledReportRow.network_id == network_id)
        latest = newest.subquery()
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(CompiledReportRow).options(WITHOUT_WORKBOOK).join(
                    latest, (CompiledReportRow.network_id == latest.c.network_id)
                    & (CompiledReportRow.scheme == latest.c.scheme)
                    & (CompiledReportRow.version == latest.c.version))
                .where(CompiledReportRow.cycle == cycle)
                .order_by(CompiledReportRow.network_id))
            return [_sent(r) for r in rows]

    async def current_assessments(self, network_id: str, cycle: str) -> dict[str, str]:
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(MeasureAssessment).where(MeasureAssessment.network_id == network_id,
                                                MeasureAssessment.cycle == cycle)
                .order_by(MeasureAssessment.version))
            return {f"{r.report_id}/{r.measure_id}": r.text for r in rows}

    async def submitted_schemes(self, cycle: str) -> dict[str, set[str]]:
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(NeedsReportRow.network_id, NeedsReportRow.scheme).where(
                    NeedsReportRow.cycle == cycle, NeedsReportRow.reference.is_not(None))
                .distinct())
            found: dict[str, set[str]] = {}
            for network_id, scheme in rows.tuples():
                found.setdefault(network_id, set()).add(scheme)
            return found
