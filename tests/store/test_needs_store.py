"""The needs-report store against a real database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from store.audit import AuditLog
from store.db import Database
from store.needs import (
    DuplicateReport,
    NeedsReportRepository,
    ReportMeta,
    StaleVersion,
    partnership_key,
)
from tests.support.server import DbTarget

META = ReportMeta(cycle="2026/2027", scheme="KKUS", network_id="fosen",
                  partnership_name="Fosen barnehagepartnerskap", status="utkast")


@pytest.fixture
async def db(target: DbTarget) -> AsyncIterator[Database]:
    database = target.database()
    await database.migrate()
    yield database
    await database.dispose()


def ref(seq: int) -> str:
    return f"BM-2026-FOS-KKUS-{seq:04d}"


def test_partnership_key_normalizes() -> None:
    assert partnership_key("  Fosen   Barnehagepartnerskap ") == "fosen barnehagepartnerskap"
    assert partnership_key("ÅFJORD") == partnership_key("åfjord")


async def test_create_then_duplicate_is_refused(db: Database) -> None:
    repo = NeedsReportRepository(db)
    first = await repo.create(META, {"measures": []}, actor="aad-a")
    assert first.version == 1
    same = replace(META, partnership_name="fosen  BARNEHAGEPARTNERSKAP")
    with pytest.raises(DuplicateReport) as refused:
        await repo.create(same, {}, actor="aad-b")
    assert refused.value.existing_id == first.id
    other_scheme = await repo.create(replace(META, scheme="KKUB"), {}, actor="aad-a")
    assert other_scheme.id != first.id


async def test_two_people_starting_at_once_get_one_report(db: Database) -> None:
    repo = NeedsReportRepository(db)
    results = await asyncio.gather(*(repo.create(META, {}, actor=f"aad-{i}") for i in range(5)),
                                   return_exceptions=True)
    created = [r for r in results if not isinstance(r, Exception)]
    assert len(created) == 1
    assert all(isinstance(r, DuplicateReport) for r in results if isinstance(r, Exception))


async def test_stale_save_is_refused_and_nothing_is_lost(db: Database) -> None:
    repo = NeedsReportRepository(db)
    report = await repo.create(META, {"n": 0}, actor="aad-a")
    saved = await repo.save(report.id, 1, replace(META, measures=1), {"n": 1},
                            actor="aad-a", action="measure.add")
    assert saved.version == 2 and saved.snapshot == {"n": 1}
    with pytest.raises(StaleVersion) as stale:
        await repo.save(report.id, 1, META, {"n": "overwrite"}, actor="aad-b",
                        action="measure.add")
    assert stale.value.current == 2
    assert (await repo.get(report.id)).snapshot == {"n": 1}
    history = await repo.versions(report.id)
    assert [(v.version, v.action, v.actor) for v in history] == [
        (1, "create", "aad-a"), (2, "measure.add", "aad-a")]
    trail = await AuditLog(db).for_object("needs_report", report.id)
    assert [e.action for e in trail] == ["report.create", "report.measure.add"]


async def test_concurrent_saves_of_one_version_one_wins(db: Database) -> None:
    repo = NeedsReportRepository(db)
    report = await repo.create(META, {}, actor="aad-a")
    outcomes = await asyncio.gather(
        *(repo.save(report.id, 1, META, {"by": i}, actor=f"aad-{i}", action="header.save")
          for i in range(4)), return_exceptions=True)
    wins = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(wins) == 1
    assert sum(isinstance(o, StaleVersion) for o in outcomes) == 3
    assert (await repo.get(report.id)).snapshot == wins[0].snapshot


async def test_reference_numbers_are_sequential_per_network_and_scheme(db: Database) -> None:
    repo = NeedsReportRepository(db)
    reports = [await repo.create(replace(META, partnership_name=f"Partnerskap {i}"), {},
                                 actor="aad-a") for i in range(4)]
    submitted = await asyncio.gather(*(
        repo.save(r.id, 1, replace(r.meta, status="sendt inn"), {}, actor="aad-a",
                  action="submit", reference_for=ref) for r in reports))
    assert sorted(s.reference for s in submitted) == [ref(1), ref(2), ref(3), ref(4)]
    # a resubmission keeps its number
    again = await repo.save(submitted[0].id, 2, submitted[0].meta, {}, actor="aad-a",
                            action="submit", reference_for=ref)
    assert again.reference == submitted[0].reference


async def test_membership(db: Database) -> None:
    repo = NeedsReportRepository(db)
    report = await repo.create(META, {}, actor="aad-a")
    await repo.add_member("fosen", META.partnership_name, "aad-a", name="Alice",
                          conversation_id="a:1")
    await repo.add_member("fosen", "FOSEN barnehagepartnerskap", "aad-a", name="Alice",
                          conversation_id=None)
    assert await repo.is_member("fosen", META.partnership_name, "aad-a")
    assert not await repo.is_member("fosen", META.partnership_name, "aad-b")
    assert [r.id for r in await repo.for_member("aad-a")] == [report.id]
    [member] = await repo.members("fosen", META.partnership_name)
    assert member.conversation_id == "a:1"
    assert await repo.for_member("aad-b") == []
