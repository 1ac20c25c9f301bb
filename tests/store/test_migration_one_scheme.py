"""Migration 0010: 2026/2027 reports stored as KKUB or KKUS become reports of the one
scheme (KKU), unless a partnership has both; earlier cycles and versions stay."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from domain.needs.models import NeedsReport
from store.db import MIGRATIONS, Database
from store.models import NeedsReportRow, NeedsReportVersion
from tests.support.needs import CURRENT_SCHEME
from tests.support.reports import make_report
from tests.support.server import DbTarget

WHEN = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _upgrade(revision: str):
    def run(connection: Connection) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    return run


def _stored(cycle: str, scheme: str, partnership: str) -> NeedsReport:
    report = make_report(1, partnership_name=partnership)
    report.header = report.header.model_copy(update={"cycle": cycle, "scheme": scheme})
    return report


async def test_kkub_and_kkus_reports_become_kku(target: DbTarget) -> None:
    db = Database(target.url, schema=target.schema, pool_size=2)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_upgrade("0009"))
        reports = {
            "school": _stored("2026/2027", "KKUS", "Fosen skoler"),
            "kindergarten": _stored("2026/2027", "KKUB", "Fosen barnehager"),
            "both_b": _stored("2026/2027", "KKUB", "Osen oppvekst"),
            "both_s": _stored("2026/2027", "KKUS", "Osen oppvekst"),
            "older": _stored("2025/2026", "DEKOM", "Fosen skoler"),
        }
        reports["school"].submit(WHEN, None)
        reports["school"].reference = "BM-2026-FOS-KKUS-0001"
        async with db.transaction() as session:
            for report in reports.values():
                h = report.header
                session.add(NeedsReportRow(
                    id=report.id, cycle=h.cycle, scheme=h.scheme, network_id=h.network_id,
                    partnership_key=h.partnership_name.casefold(),
                    partnership_name=h.partnership_name, status=report.status.value,
                    version=report.version, reference=report.reference,
                    submitted_at=report.submitted_at, late=False, measures=1,
                    snapshot=report.model_dump(mode="json"), created_at=WHEN, updated_at=WHEN))
            session.add(NeedsReportVersion(
                report_id=reports["school"].id, version=1, action="create", actor="a", at=WHEN,
                snapshot=reports["school"].model_dump(mode="json")))
        await db.migrate()
        async with db.sessions() as session:
            rows = {r.id: r for r in await session.scalars(select(NeedsReportRow))}
            [old_version] = await session.scalars(select(NeedsReportVersion))
            head = (await session.execute(text("SELECT version_num FROM alembic_version"))) \
                .scalar_one()
        scheme = {name: rows[r.id].scheme for name, r in reports.items()}
        assert scheme == {"school": CURRENT_SCHEME, "kindergarten": CURRENT_SCHEME,
                          "both_b": "KKUB", "both_s": "KKUS", "older": "DEKOM"}
        school = NeedsReport.model_validate(rows[reports["school"].id].snapshot)
        assert school.header.scheme == CURRENT_SCHEME
        assert school.reference == "BM-2026-FOS-KKUS-0001"  # an issued number stays
        assert school.measures == reports["school"].measures  # nothing else changed
        assert old_version.snapshot["header"]["scheme"] == "KKUS"  # history as it was saved
        assert head >= "0010"
        await db.migrate()  # again (another replica): nothing changes
        async with db.sessions() as session:
            again = {r.id: r.scheme for r in await session.scalars(select(NeedsReportRow))}
        assert again == {r.id: scheme[name] for name, r in reports.items()}
    finally:
        await db.dispose()
