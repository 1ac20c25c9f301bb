"""The needs-report service against a real database (SQLite, and PostgreSQL when set),
without a bot: every command, every refusal, and what commits together."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, time

import pytest
from sqlalchemy import delete, func, select

from domain.access import Principal
from domain.needs import texts
from domain.needs.catalog import load_schemes
from domain.needs.forms import parse_measure
from domain.needs.models import Header, Measure, NeedsReport, partnership_key
from domain.needs.refusals import (
    Duplicate,
    Locked,
    NotAllowed,
    NotFound,
    RuleBroken,
    Stale,
    TooLate,
)
from domain.needs.service import Actor, NeedsReports
from domain.needs.states import Status
from domain.networks import load_networks
from domain.norsk import OSLO
from store.audit import REFUSED, AuditLog
from store.db import Database
from store.models import Conversation, NeedsReportVersion, OutboxMessage, PartnershipMember
from store.needs import NeedsReportRepository, SqlNeedsStore, SqlNeedsUnit
from store.roles import CoordinatorChannels
from tests.support.needs import CURRENT_SCHEME, OLD_CYCLE
from tests.support.server import DbTarget

SCHEMES, NETWORKS = load_schemes(), load_networks()
RULES = SCHEMES.cycle("2026/2027")
ALICE = Actor("aad-alice", "Alice", personal_chat="a:alice")
BOB = Actor("aad-bob", "Bob")
COORDINATOR = Actor("aad-carol", "Carol", Principal("aad-carol",
                                                     coordinator_for=frozenset({"fosen"})))
HEADER = Header(cycle="2026/2027", scheme=CURRENT_SCHEME, network_id="fosen",
                partnership_name="Fosen skoler", owners=("Åfjord kommune",), uh_partner="ntnu",
                contact_name="Kari Nordmann", contact_email="kari@afjord.kommune.no")
# Another report of the same partnership: an earlier cycle's scheme (2026/2027 has one).
OTHER_SCHEME = HEADER.model_copy(update={"cycle": OLD_CYCLE, "scheme": "REKOM"})
TYPED = {"title": "Lesing", "need": "Lesing må styrkes.", "need_found": "Prøver.",
         "areas": "skole", "staff_groups": "Lærere", "units": "Alle",
         "uh_role": "Veileder", "inclusion": "Tillitsvalgte deltok", "sami": "Ikke aktuelt "
         "fordi ingen av skolene har samiske elever.", "interdisciplinary": "false",
         "continued": "false", "period_start": "2027-01-04", "period_end": "2027-12-17",
         "amount": "300 000"}


def measure(title: str = "Lesing") -> Measure:
    assert RULES is not None
    parsed = parse_measure({**TYPED, "title": title}, RULES)
    assert isinstance(parsed, Measure)
    return parsed


class Calendar:
    """Now, and the partnerships' deadline of 15 December 2026 (end of the day)."""

    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment

    def deadline_end(self, cycle_id: str) -> datetime | None:
        return datetime.combine(datetime(2026, 12, 15), time(23, 59, 59), OSLO)


@pytest.fixture
async def db(target: DbTarget) -> AsyncIterator[Database]:
    database = target.database()
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
def calendar() -> Calendar:
    return Calendar(datetime(2026, 12, 1, 10, tzinfo=OSLO))


def service(store: SqlNeedsStore, calendar: Calendar) -> NeedsReports:
    return NeedsReports(store, SCHEMES, NETWORKS, calendar,
                        lambda report, network: {"type": "AdaptiveCard", "network": network,
                                                 "reference": report.reference})


@pytest.fixture
def reports(db: Database, calendar: Calendar) -> NeedsReports:
    return service(SqlNeedsStore(db), calendar)


async def count(db: Database, model: type, *where: object) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where))
                   or 0)


# --- starting ------------------------------------------------------------------------


async def test_start_makes_the_report_and_its_first_member_together(
        db: Database, reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    assert report.version == 1 and report.status is Status.DRAFT
    [member] = await NeedsReportRepository(db).members("fosen", "FOSEN  skoler")
    assert (member.aad_object_id, member.conversation_id) == ("aad-alice", "a:alice")
    trail = await AuditLog(db).for_object("needs_report", report.id)
    assert [e.action for e in trail] == ["report.create"]


async def test_a_crash_before_commit_leaves_neither_report_nor_member(
        db: Database, calendar: Calendar) -> None:
    with pytest.raises(RuntimeError):
        await service(CrashBeforeCommit(db), calendar).start(ALICE, HEADER)
    assert await count(db, PartnershipMember) == 0
    assert await NeedsReportRepository(db).for_member("aad-alice") == []
    # and the partnership is still free to start
    assert (await service(SqlNeedsStore(db), calendar).start(ALICE, HEADER)).version == 1


async def test_no_stable_id_no_report(db: Database, reports: NeedsReports) -> None:
    with pytest.raises(NotAllowed) as refused:
        await reports.start(Actor(None, "Anonym"), HEADER)
    assert refused.value.message == texts.NO_IDENTITY
    assert await count(db, PartnershipMember) == 0


async def test_someone_elses_partnership_is_refused_and_audited(
        db: Database, reports: NeedsReports) -> None:
    await reports.start(ALICE, HEADER)
    with pytest.raises(NotAllowed) as refused:
        await reports.start(BOB, OTHER_SCHEME)
    assert refused.value.field == "partnership_name" and "legg til @Bob" in refused.value.message
    [entry] = await AuditLog(db).refusals()
    assert (entry.actor, entry.action, entry.outcome) == ("aad-bob", "needs.header.save", REFUSED)


async def test_a_partnership_without_members_is_never_open(
        db: Database, reports: NeedsReports) -> None:
    await reports.start(ALICE, HEADER)
    async with db.transaction() as session:  # a member list lost, however it happened
        await session.execute(delete(PartnershipMember))
    with pytest.raises(NotAllowed):
        await reports.start(BOB, OTHER_SCHEME)
    assert await count(db, PartnershipMember) == 0


@pytest.mark.parametrize("name", ["Fosen sko\u200bler", "Fosen skоler", "Fοsen skoler",
                                  "Fosen\u202eskoler"])
async def test_look_alike_names_are_refused_naming_the_real_one(
        reports: NeedsReports, name: str) -> None:
    await reports.start(ALICE, HEADER)
    with pytest.raises(NotAllowed) as refused:
        await reports.start(BOB, Header.model_validate({**HEADER.model_dump(),
                                                          "partnership_name": name}))
    assert "Fosen skoler" in refused.value.message


async def test_invisible_characters_are_gone_before_storing() -> None:
    header = Header.model_validate({**HEADER.model_dump(), "partnership_name": "Ørland\u200b"})
    assert header.partnership_name == "Ørland" and partnership_key("Ørland\u2060") == "ørland"


async def test_a_second_report_for_the_same_scheme_is_the_first(
        reports: NeedsReports) -> None:
    first = await reports.start(ALICE, HEADER)
    with pytest.raises(Duplicate) as duplicate:
        await reports.start(ALICE, HEADER.model_copy(update={"partnership_name": "fosen SKOLER"}))
    assert duplicate.value.existing.id == first.id


async def test_a_report_under_an_older_code_of_the_scheme_is_offered(
        reports: NeedsReports) -> None:
    """A 2026/2027 report stored as KKUB (before there was one scheme) is the
    partnership's report: starting a KKU one shows it instead of making a second."""
    older = await reports.start(ALICE, HEADER.model_copy(update={"scheme": "KKUB"}))
    with pytest.raises(Duplicate) as duplicate:
        await reports.start(ALICE, HEADER)
    assert duplicate.value.existing.id == older.id


async def test_five_starts_at_once_give_one_report(db: Database,
                                                   reports: NeedsReports) -> None:
    await reports.start(ALICE, OTHER_SCHEME)
    results = await asyncio.gather(*(reports.start(ALICE, HEADER) for _ in range(5)),
                                   return_exceptions=True)
    made = [r for r in results if isinstance(r, NeedsReport)]
    assert len(made) == 1, results
    assert all(isinstance(r, Duplicate) and r.existing.id == made[0].id
               for r in results if not isinstance(r, NeedsReport))


# --- who may read and change ------------------------------------------------------------


async def test_unknown_reports_are_not_found(reports: NeedsReports) -> None:
    for report_id in ("nope", "x" * 40, ""):
        with pytest.raises(NotFound):
            await reports.open(ALICE, report_id)
        with pytest.raises(NotFound):
            await reports.add_measure(ALICE, report_id, 1, measure())


async def test_readers_and_strangers(db: Database, reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    assert (await reports.open(ALICE, report.id)).member
    assert not (await reports.open(COORDINATOR, report.id)).member
    assert reports.allowed(report, member=False) == frozenset()
    with pytest.raises(NotAllowed):
        await reports.open(BOB, report.id)
    with pytest.raises(NotAllowed):
        await reports.add_measure(COORDINATOR, report.id, 1, measure())
    with pytest.raises(NotAllowed):
        await reports.add_member(BOB, "fosen", "Fosen skoler", "aad-bob", "Bob")
    assert [e.actor for e in await AuditLog(db).refusals()] == ["aad-bob", "aad-carol",
                                                                 "aad-bob"]
    assert await reports.add_member(ALICE, "fosen", "Fosen skoler", "aad-bob", "Bob")
    assert not await reports.add_member(ALICE, "fosen", "fosen skoler", "aad-bob", "Bob")
    assert (await reports.add_measure(BOB, report.id, 1, measure())).version == 2


# --- versions --------------------------------------------------------------------------


async def test_a_stale_press_changes_nothing_and_shows_what_is(db: Database,
                                                               reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    await reports.add_measure(ALICE, report.id, 1, measure("Første"))
    for pressed in (1, None, "2", True):
        with pytest.raises(Stale) as stale:
            await reports.add_measure(ALICE, report.id, pressed, measure("Andre"))
        assert stale.value.current is not None and stale.value.current.version == 2
    assert await count(db, NeedsReportVersion) == 2


async def test_concurrent_presses_on_one_version_one_wins(reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    outcomes = await asyncio.gather(*(reports.add_measure(ALICE, report.id, 1, measure(f"T{i}"))
                                      for i in range(4)), return_exceptions=True)
    assert sum(isinstance(o, NeedsReport) for o in outcomes) == 1
    assert sum(isinstance(o, Stale) for o in outcomes) == 3
    opened = await reports.open(ALICE, report.id)
    assert opened.report.version == 2 and len(opened.report.measures) == 1


# --- rules -----------------------------------------------------------------------------


async def test_rules_of_the_report(reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    with pytest.raises(RuleBroken, match="minst ett tiltak"):
        await reports.submit(ALICE, report.id, 1)
    version = 1
    for i in range(5):
        version = (await reports.add_measure(ALICE, report.id, version, measure(f"T{i}"))).version
    with pytest.raises(RuleBroken, match="allerede 5 tiltak"):
        await reports.add_measure(ALICE, report.id, version, measure("Sjette"))
    with pytest.raises(RuleBroken, match="Fant ikke"):
        await reports.remove_measure(ALICE, report.id, version, "00000000")
    sent = await reports.submit(ALICE, report.id, version)
    with pytest.raises(RuleBroken, match="Gjenåpne"):
        await reports.remove_measure(ALICE, report.id, sent.version, sent.measures[0].id)
    with pytest.raises(RuleBroken, match="allerede sendt inn"):
        await reports.submit(ALICE, report.id, sent.version)


async def test_a_started_report_keeps_scheme_network_and_partnership(
        reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    moved = HEADER.model_copy(update={"scheme": "DEKOM", "network_id": "gauldal",
                                      "partnership_name": "Andre skoler"})
    with pytest.raises(Locked) as locked:
        await reports.save_header(ALICE, report.id, 1, moved)
    assert set(locked.value.errors) == {"scheme", "network_id", "partnership_name"}
    fixed = await reports.save_header(ALICE, report.id, 1, HEADER.model_copy(
        update={"owners": ("Åfjord kommune", "Ørland kommune")}))
    assert fixed.version == 2 and fixed.header.owners[1] == "Ørland kommune"


async def test_late_submit_is_marked_and_reopening_needs_the_deadline(
        calendar: Calendar, reports: NeedsReports) -> None:
    report = await reports.start(ALICE, HEADER)
    report = await reports.add_measure(ALICE, report.id, 1, measure())
    sent = await reports.submit(ALICE, report.id, report.version)
    reopened = await reports.reopen(ALICE, report.id, sent.version)
    assert reopened.status is Status.REOPENED and reopened.reference == sent.reference
    calendar.moment = datetime(2026, 12, 16, 8, tzinfo=OSLO)
    late = await reports.submit(ALICE, report.id, reopened.version)
    assert late.status is Status.SUBMITTED_LATE and late.late
    assert late.reference == sent.reference  # a resubmission keeps its number
    with pytest.raises(TooLate):
        await reports.reopen(ALICE, report.id, late.version)


# --- submitting: numbers and the coordinator's notice ------------------------------------


async def test_sixty_submits_at_once_all_succeed_with_gap_free_numbers(
        reports: NeedsReports) -> None:
    networks = ("fosen", "gauldal", "varnes")
    drafts = []
    for network in networks:
        for i in range(20):
            actor = Actor(f"aad-{network}-{i}", f"Person {i}")
            header = HEADER.model_copy(update={"network_id": network,
                                               "partnership_name": f"Partnerskap {i:02d}"})
            made = await reports.start(actor, header)
            made = await reports.add_measure(actor, made.id, 1, measure())
            drafts.append((actor, made))
    results = await asyncio.gather(*(reports.submit(actor, made.id, made.version)
                                     for actor, made in drafts), return_exceptions=True)
    failures = [r for r in results if not isinstance(r, NeedsReport)]
    assert failures == []
    for network in networks:
        code = NETWORKS.get(network).code  # type: ignore[union-attr]
        numbers = sorted(r.reference for r in results if isinstance(r, NeedsReport)
                         and r.header.network_id == network)
        assert numbers == [f"BM-2026-{code}-{CURRENT_SCHEME}-{n:04d}" for n in range(1, 21)]


async def test_the_coordinator_notice_commits_with_the_submit(
        db: Database, calendar: Calendar, reports: NeedsReports) -> None:
    async with db.transaction() as session:
        session.add(Conversation(conversation_id="19:koordinatorer", channel_id="msteams",
                                 service_url="http://127.0.0.1:1/", tenant_id=None,
                                 conversation_type="channel", team_id=None,
                                 teams_channel_id=None, user_aad_id=None, reference={}))
    await CoordinatorChannels(db).register("fosen", "19:koordinatorer", by="aad-carol")
    report = await reports.start(ALICE, HEADER)
    report = await reports.add_measure(ALICE, report.id, 1, measure())
    with pytest.raises(RuntimeError):  # the process dies between the writes and COMMIT
        await service(CrashBeforeCommit(db), calendar).submit(ALICE, report.id, report.version)
    assert await count(db, OutboxMessage) == 0
    assert (await reports.open(ALICE, report.id)).report.status is Status.DRAFT
    sent = await reports.submit(ALICE, report.id, report.version)
    # the crashed submit took no number
    assert sent.reference == f"BM-2026-FOS-{CURRENT_SCHEME}-0001"
    async with db.sessions() as session:
        [row] = (await session.scalars(select(OutboxMessage))).all()
    assert row.conversation_id == "19:koordinatorer"
    assert row.payload["card"]["reference"] == sent.reference


class CrashBeforeCommit(SqlNeedsStore):
    """Does all the writes of a unit, then fails where a killed process would: before
    COMMIT."""

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[SqlNeedsUnit]:
        async with self._db.transaction() as session:
            unit = SqlNeedsUnit(session, is_sqlite=self._db.is_sqlite)
            yield unit
            await unit.flush_outgoing()
            await session.flush()
            raise RuntimeError("killed before commit")
