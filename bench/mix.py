"""Many people at once: a mix of help, glossary questions and needs-report steps against
one Kompis process, beside the stock echo bot measured in the same run.

Each simulated person has their own personal chat and waits for each answer before the
next turn (no think time, so the figures are what one process can take). A person's
turn is `hjelp`, a question from tests/data/questions.yaml, or the next step of their
needs report (meld behov, header, 2 x (add, save), submit, confirm), drawn at random
with weights 1 : 2 : 3. Prints p50/p95/p99 and turns/s per kind, errors, the ratio to
the echo bot at the same concurrency, and the submitted reports counted in the database
against the confirmations sent.

Then the deadline rush (the last hour before 15 December): N partnerships across three
networks, each with a ready draft (one measure, the confirmation card shown), all press
«Send inn» at the same moment. Prints the failures (must be 0), whether the reference
numbers in the database are unique and gap-free in every series, and p50/p99 submit time.

Then the network's part on those reports: each network's coordinator at once opens
`status`, assesses every measure of every submitted report, and sends the compiled report
after its checklist; samarbeidsforum opens `oversikt`. Prints p50/p99 per step, errors, and
the compiled reports and assessments in the database.

    .venv/bin/python bench/mix.py [--database sqlite|postgresql] [--users 10,20]
                                  [--seconds 20] [--database-url URL]
                                  [--phase all|mix|rush] [--rush 60] [--rush-networks 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.turns import cpu_seconds, start  # noqa: E402
from domain.networks import load_networks  # noqa: E402
from store.db import Database  # noqa: E402
from store.models import CoordinatorChannel, NeedsReportRow, OutboxMessage  # noqa: E402
from tests.support.connector import Call, RecordingConnector  # noqa: E402
from tests.support.needs import HEADER, STEP1, STEP2, button  # noqa: E402
from tests.support.processes import free_port, wait_healthy  # noqa: E402
from tests.support.teams import Conv, TeamsClient, User  # noqa: E402

PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
FUTURE_WHEEL = ROOT / "tests" / "data" / "arshjul-fremtid.yaml"  # nothing falls due
KINDS = ("hjelp", "ordliste", "behovsmelding")
WEIGHTS = (1, 2, 3)
MEASURES_PER_REPORT = 2
QUESTIONS = [q["q"] for q in yaml.safe_load(
    (ROOT / "tests" / "data" / "questions.yaml").read_text(encoding="utf-8"))["questions"]]
NETWORKS = [n.id for n in load_networks().networks]
NETWORK_NAMES = {n.id: n.name for n in load_networks().networks}
COORDINATOR = User("29:bench-coordinator", "aad-bench-coordinator", "Koordinator")


# --- a connector that keeps only what the benchmark reads -----------------------------

class _Replies(list):
    """Stands in for RecordingConnector.calls: per conversation, the number of messages
    and the last card, so a long run neither grows without bound nor scans."""

    def __init__(self) -> None:
        super().__init__()
        self.count: dict[str, int] = defaultdict(int)
        self.last_card: dict[str, dict] = {}

    def append(self, call: Call) -> None:
        if call.route not in ("send", "reply") or call.status >= 300 \
                or not isinstance(call.body, dict) or call.conversation_id is None:
            return
        self.count[call.conversation_id] += 1
        for attachment in call.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                self.last_card[call.conversation_id] = attachment["content"]

    def clear(self) -> None:
        self.count.clear()
        self.last_card.clear()


def lean_connector() -> tuple[RecordingConnector, _Replies]:
    connector = RecordingConnector()
    replies = _Replies()
    connector.calls = replies
    return connector, replies


# --- figures ----------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered \
        else float("nan")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    causes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    confirms_sent: int = 0
    receipts: int = 0
    wall: float = 0.0
    cpu: float = 0.0

    @property
    def turns(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def all_latencies(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]

    def row(self, name: str, values: list[float], errors: int) -> str:
        return (f"  {name:<15} {len(values):6d} turns  {len(values) / self.wall:7.1f} turns/s"
                f"  p50 {pct(values, 50):7.1f}  p95 {pct(values, 95):7.1f}"
                f"  p99 {pct(values, 99):7.1f} ms  errors {errors}")


# --- simulated people -------------------------------------------------------------------

class Person:
    def __init__(self, client: TeamsClient, replies: _Replies, n: int, run: str,
                 tally: Tally, *, measures: int = MEASURES_PER_REPORT) -> None:
        self.client = client
        self.replies = replies
        self.user = User(f"29:bench-{run}-{n}", f"aad-bench-{run}-{n}", f"Bruker {n}")
        self.conv = Conv(f"a:bench-{run}-{n}", "personal")
        self.n = n
        self.run = run
        self.tally = tally
        self.random = random.Random(n)
        self.reports = 0
        self.receipts = 0  # this person's, of the tally's
        self.step: Callable[[], Awaitable[bool]] = self._meld_behov
        self.card: dict[str, Any] = {}
        self.measures = 0
        self.measures_per_report = measures
        self.fresh = False  # after an error: `meld behov ny`
        self.last: str | None = None  # what went wrong in the last turn
        self.network = NETWORKS[n % len(NETWORKS)]

    async def turn(self, kind: str) -> None:
        begin = time.perf_counter()
        step = self.step.__name__.strip("_") if kind == "behovsmelding" else kind
        self.last = None
        try:
            ok = await self._turn(kind)
        except (aiohttp.ClientError, TimeoutError, KeyError, AssertionError, TypeError) as exc:
            ok, self.last = False, f"{type(exc).__name__}: {str(exc)[:80]}"
        self.tally.latencies[kind].append(time.perf_counter() - begin)
        if not ok:
            self.tally.errors[kind] += 1
            self.tally.causes[f"{step}: {self.last}"] += 1
            if kind == "behovsmelding":
                self.step, self.fresh = self._meld_behov, True

    async def _turn(self, kind: str) -> bool:
        if kind == "echo":
            return await self._said("hei")
        if kind == "hjelp":
            return await self._said("hjelp")
        if kind == "ordliste":
            return await self._said(self.random.choice(QUESTIONS))
        return await self.step()

    async def _said(self, text: str) -> bool:
        before = self.replies.count[self.conv.id]
        answer = await self.client.say(text, user=self.user, conv=self.conv)
        return answer.status == 201 and self.replies.count[self.conv.id] > before

    async def _press(self, verb: str, data: dict[str, Any]) -> dict[str, Any] | None:
        answer = await self.client.execute(verb, {"action": verb, **data}, user=self.user,
                                           conv=self.conv)
        if answer.status != 200 or not isinstance(answer.body, dict) \
                or answer.body.get("type") != "application/vnd.microsoft.card.adaptive":
            body = answer.body.get("value") if isinstance(answer.body, dict) else answer.body
            self.last = f"HTTP {answer.status} {str(body)[:100]}"
            return None
        return answer.body["value"]

    async def _meld_behov(self) -> bool:
        text = "meld behov ny" if self.fresh else "meld behov"
        if not await self._said(text):
            return False
        self.card = self.replies.last_card[self.conv.id]
        self.step, self.fresh = self._header, False
        return True

    async def _header(self) -> bool:
        self.reports += 1
        header = {**HEADER, "network_id": self.network,
                  "partnership_name": f"Partnerskap {self.run}-{self.n}-{self.reports}"}
        card = await self._press("needs.header.save",
                                 {**button(self.card, "Lagre og gå videre"), **header})
        return self._next(card, "Legg til tiltak", self._add)

    async def _add(self) -> bool:
        card = await self._press("needs.measure.add", button(self.card, "Legg til tiltak"))
        return self._next(card, "Neste", self._what)

    async def _what(self) -> bool:
        """Step 1 of the measure (what and who), then step 2."""
        self.measures += 1
        card = await self._press("needs.measure.next",
                                 {**button(self.card, "Neste"), **STEP1,
                                  "title": f"Tiltak {self.measures}"})
        return self._next(card, "Lagre tiltaket", self._save)

    async def _save(self) -> bool:
        card = await self._press("needs.measure.save",
                                 {**button(self.card, "Lagre tiltaket"), **STEP2})
        more = self.measures % self.measures_per_report != 0
        return self._next(card, "Legg til tiltak" if more else "Send inn",
                          self._add if more else self._submit)

    async def _submit(self) -> bool:
        card = await self._press("needs.submit", button(self.card, "Send inn"))
        return self._next(card, "Send inn", self._confirm)

    async def _confirm(self) -> bool:
        self.tally.confirms_sent += 1
        card = await self._press("needs.submit.confirm", button(self.card, "Send inn"))
        if card is None or "Kvittering" not in str(card):
            return False
        self.tally.receipts += 1
        self.receipts += 1
        # the next `meld behov` would offer this report again: ask for a new one
        self.step, self.fresh = self._meld_behov, True
        return True

    def _next(self, card: dict[str, Any] | None, expected_button: str,
              step: Callable[[], Awaitable[bool]]) -> bool:
        if card is None:
            return False
        button(card, expected_button)  # AssertionError when the card is not the next one
        self.card, self.step = card, step
        return True


async def drive(people: list[Person], seconds: float, kinds: tuple[str, ...],
                weights: tuple[int, ...], pid: int) -> None:
    deadline = time.perf_counter() + seconds

    async def live(person: Person) -> None:
        while time.perf_counter() < deadline:
            await person.turn(person.random.choices(kinds, weights)[0])

    tally = people[0].tally
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(live(p) for p in people))
    tally.wall, tally.cpu = time.perf_counter() - wall0, cpu_seconds(pid) - cpu0


# --- the deadline rush ------------------------------------------------------------------

@dataclass
class Rush:
    prepared: int = 0
    prepare_failures: int = 0
    burst: float = 0.0  # seconds from the release to the last answer
    tally: Tally = field(default_factory=Tally)


async def deadline_rush(client: TeamsClient, replies: _Replies, n: int,
                        networks: int) -> Rush:
    """N partnerships, each with a ready draft, all confirm «Send inn» at once."""
    result = Rush()
    for network_id in NETWORKS[:networks]:  # each network's coordinator channel is told
        team = f"19:bench-{network_id}@thread.tacv2"
        channel = Conv(team, "channel", team_id=team, channel_id=team)
        await client.install(conv=channel, user=COORDINATOR)
        await client.say(f"registrer koordinatorkanal for {NETWORK_NAMES[network_id]}",
                         conv=channel, user=COORDINATOR)
    people = [Person(client, replies, i, "rush", result.tally, measures=1) for i in range(n)]
    for person in people:
        person.network = NETWORKS[person.n % networks]
    gate = asyncio.Semaphore(10)

    async def prepare(person: Person) -> None:
        async with gate:  # meld behov, header, add, save, submit: the confirmation card
            for _ in range(5):
                await person.turn("behovsmelding")
        if person.step == person._confirm:
            result.prepared += 1
        else:
            result.prepare_failures += 1

    await asyncio.gather(*(prepare(p) for p in people))
    result.tally = Tally()
    ready = [p for p in people if p.step == p._confirm]
    for person in ready:
        person.tally = result.tally
    release = asyncio.Event()

    async def confirm(person: Person) -> None:
        await release.wait()
        await person.turn("behovsmelding")

    pressing = [asyncio.create_task(confirm(p)) for p in ready]
    await asyncio.sleep(0.2)  # every press waiting at the gate
    begin = time.perf_counter()
    release.set()
    await asyncio.gather(*pressing)
    result.burst = time.perf_counter() - begin
    result.tally.wall = result.burst
    return result


async def reference_series(db_url: str, schema: str) -> tuple[int, int, list[str], int, int]:
    """(references, distinct references, series that are not 1..k, coordinator channels,
    submit notices queued) in the database."""
    db = Database(db_url, schema=schema or None, pool_size=1)
    try:
        async with db.sessions() as session:
            references = list((await session.scalars(
                select(NeedsReportRow.reference)
                .where(NeedsReportRow.reference.is_not(None)))).all())
            channels = int(await session.scalar(
                select(func.count()).select_from(CoordinatorChannel)) or 0)
            notices = int(await session.scalar(
                select(func.count()).select_from(OutboxMessage)
                .where(OutboxMessage.dedupe_key.like("submitted|%"))) or 0)
    finally:
        await db.dispose()
    series: dict[str, list[int]] = defaultdict(list)
    for reference in references:
        prefix, number = str(reference).rsplit("-", 1)
        series[prefix].append(int(number))
    broken = [f"{prefix}: {sorted(numbers)}" for prefix, numbers in sorted(series.items())
              if sorted(numbers) != list(range(1, len(numbers) + 1))]
    return len(references), len(set(references)), broken, channels, notices


def report_rush(n: int, networks: int, rush: Rush,
                references: tuple[int, int, list[str], int, int]) -> None:
    tally = rush.tally
    times = tally.latencies["behovsmelding"]
    failures = sum(tally.errors.values())
    total, distinct, broken, channels, notices = references
    print(f"\ndeadline rush: {n} partnerships in {networks} networks, {rush.prepared} drafts "
          f"ready ({rush.prepare_failures} failed to prepare), all confirming at once")
    print(f"  failures {failures} (must be 0); receipts {tally.receipts} of "
          f"{tally.confirms_sent} confirmations; all answered within {rush.burst:.2f} s")
    print(f"  submit time p50 {pct(times, 50):.1f} ms  p99 {pct(times, 99):.1f} ms  "
          f"max {pct(times, 100):.1f} ms")
    print(f"  references in the database: {total}, unique {distinct == total}, "
          f"gap-free in every series {not broken}")
    for line in broken:
        print(f"  gap or doubles in {line}")
    print(f"  coordinator channels {channels}; submit notices in the outbox {notices}")
    for cause, count in sorted(tally.causes.items(), key=lambda c: -c[1])[:5]:
        print(f"  failure x{count}: {cause}")
    print("", flush=True)


# --- the network's part ------------------------------------------------------------------

NETWORK_KINDS = ("status", "vurder", "lagre vurdering", "sjekkliste", "send", "oversikt")


@dataclass
class NetworkRun:
    tally: Tally = field(default_factory=Tally)
    coordinators: int = 0
    reports: int = 0
    measures: int = 0


def _buttons(card: Any, verb: str) -> list[dict[str, Any]]:
    """The data of every Action.Execute with `verb` on a card (nested ones too)."""
    found: list[dict[str, Any]] = []
    if isinstance(card, dict):
        if card.get("type") == "Action.Execute" and card.get("verb") == verb:
            found.append(card["data"])
        for value in card.values():
            found += _buttons(value, verb)
    elif isinstance(card, list):
        for value in card:
            found += _buttons(value, verb)
    return found


async def network_phase(client: TeamsClient, replies: _Replies, db_url: str, schema: str,
                        networks: int) -> NetworkRun:
    """After the rush: each network's coordinator opens `status`, assesses every measure of
    every submitted report, checks and sends the compiled report, all networks at once;
    then samarbeidsforum (the bench admin) opens `oversikt`."""
    from store.roles import RoleRepository

    result = NetworkRun()
    db = Database(db_url, schema=schema or None, pool_size=1)
    try:
        roles = RoleRepository(db)
        coordinators = []
        for network_id in NETWORKS[:networks]:
            user = User(f"29:bench-koord-{network_id}", f"aad-bench-koord-{network_id}",
                        f"Koordinator {NETWORK_NAMES[network_id]}")
            await roles.grant(user.aad, "koordinator", network_id, display_name=user.name,
                              by=None)
            coordinators.append((network_id, user, Conv(f"a:bench-koord-{network_id}",
                                                        "personal")))
    finally:
        await db.dispose()
    result.coordinators = len(coordinators)
    tally = result.tally

    async def timed(kind: str, call: Awaitable[Any]) -> Any:
        begin = time.perf_counter()
        try:
            answer = await call
        except (aiohttp.ClientError, TimeoutError) as exc:
            tally.errors[kind] += 1
            tally.causes[f"{kind}: {type(exc).__name__}"] += 1
            return None
        finally:
            tally.latencies[kind].append(time.perf_counter() - begin)
        if answer.status not in (200, 201):
            tally.errors[kind] += 1
            tally.causes[f"{kind}: HTTP {answer.status}"] += 1
        return answer

    async def card_after(kind: str, text: str, user: User, conv: Conv) -> dict[str, Any]:
        await timed(kind, client.say(text, user=user, conv=conv))
        return replies.last_card.get(conv.id, {})

    async def pressed(kind: str, verb: str, data: dict[str, Any], user: User,
                      conv: Conv) -> dict[str, Any]:
        answer = await timed(kind, client.execute(verb, data, user=user, conv=conv))
        body = answer.body if answer is not None else None
        if not isinstance(body, dict) or not isinstance(body.get("value"), dict):
            tally.errors[kind] += 1
            tally.causes[f"{kind}: {str(body)[:80]}"] += 1
            return {}
        return body["value"]

    async def coordinate(network_id: str, user: User, conv: Conv) -> None:
        status = await card_after("status", "status", user, conv)
        for data in _buttons(status, "network.assess"):
            card = await pressed("vurder", "network.assess", data, user, conv)
            fields = {key: f"Nettverket ser felles behov ({network_id})." for key in
                      _inputs(card) if key.startswith("assessment_")}
            save = _buttons(card, "network.assess.save")
            if save:
                await pressed("lagre vurdering", "network.assess.save",
                              {**save[0], **fields}, user, conv)
                result.reports += 1
                result.measures += len(fields)
        checklist = await card_after("sjekkliste", "send sammenstilt behovsmelding", user, conv)
        for data in _buttons(checklist, "network.send"):
            receipt = await pressed("send", "network.send", data, user, conv)
            if "Sammenstilt behovsmelding sendt" not in str(receipt):
                tally.errors["send"] += 1
                tally.causes[f"send: {str(receipt)[:80]}"] += 1

    begin = time.perf_counter()
    await asyncio.gather(*(coordinate(*c) for c in coordinators))
    forum = Conv("a:bench-samarbeidsforum", "personal")
    overview = await card_after("oversikt", "oversikt", COORDINATOR, forum)
    if "Felles tiltak" not in str(overview):
        tally.errors["oversikt"] += 1
        tally.causes["oversikt: no overview card"] += 1
    tally.wall = time.perf_counter() - begin
    return result


def _inputs(card: Any) -> list[str]:
    if isinstance(card, dict):
        own = [card["id"]] if str(card.get("type", "")).startswith("Input.") else []
        return own + [i for value in card.values() for i in _inputs(value)]
    if isinstance(card, list):
        return [i for value in card for i in _inputs(value)]
    return []


async def compiled_in_db(db_url: str, schema: str) -> tuple[int, int, int]:
    """(compiled reports, of them version 1, assessments) in the database."""
    from store.models import CompiledReportRow, MeasureAssessment

    db = Database(db_url, schema=schema or None, pool_size=1)
    try:
        async with db.sessions() as session:
            total = int(await session.scalar(
                select(func.count()).select_from(CompiledReportRow)) or 0)
            first = int(await session.scalar(
                select(func.count()).select_from(CompiledReportRow)
                .where(CompiledReportRow.version == 1)) or 0)
            assessments = int(await session.scalar(
                select(func.count()).select_from(MeasureAssessment)) or 0)
            return total, first, assessments
    finally:
        await db.dispose()


def report_network(run: NetworkRun, in_db: tuple[int, int, int]) -> None:
    tally = run.tally
    total, first, assessments = in_db
    print(f"\nthe network's part: {run.coordinators} coordinators at once, each assessing "
          f"{run.reports} reports ({run.measures} measures) in all, then sending; "
          f"{tally.wall:.1f} s")
    for kind in NETWORK_KINDS:
        print(tally.row(kind, tally.latencies[kind], tally.errors[kind]))
    print(f"  compiled reports in the database {total} (version 1: {first}); "
          f"assessments {assessments}")
    for cause, n in sorted(tally.causes.items(), key=lambda c: -c[1])[:5]:
        print(f"  error x{n}: {cause}")
    print("", flush=True)


# --- processes and databases ------------------------------------------------------------

@contextlib.asynccontextmanager
async def database(kind: str, url: str, tmp: str) -> AsyncIterator[tuple[str, str]]:
    """(DATABASE_URL, DATABASE_SCHEMA): a fresh SQLite file or a fresh PostgreSQL schema."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp}/bench.db", ""
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, schema
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@contextlib.asynccontextmanager
async def process(http: aiohttp.ClientSession, cmd: list[str],
                  env: dict[str, str]) -> AsyncIterator[tuple[str, int]]:
    """A bot process on a free port: (its URL, its pid)."""
    port = free_port()
    if cmd[-1] == "bot":
        env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
    else:
        cmd = [*cmd, "--port", str(port)]
    proc = start(cmd, env)
    try:
        url = f"http://127.0.0.1:{port}"
        await wait_healthy(http, url, lambda: proc.poll() is None)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except Exception:
            proc.kill()


def kompis_env(db_url: str, schema: str) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "DATABASE_SCHEMA": schema, "MicrosoftAppId": "",
            "ALLOWED_TENANTS": "", "WHEEL_FILE": str(FUTURE_WHEEL),
            "KOMPIS_ADMINS": COORDINATOR.aad}


async def submitted_in_db(db_url: str, schema: str) -> int:
    db = Database(db_url, schema=schema or None, pool_size=1)
    try:
        async with db.sessions() as session:
            return int(await session.scalar(
                select(func.count()).select_from(NeedsReportRow)
                .where(NeedsReportRow.status.like("sendt inn%"))) or 0)
    finally:
        await db.dispose()


def machine() -> str:
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    gib = int(mem.split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores, {gib:.0f} GiB, load {os.getloadavg()[0]:.2f} at start"


# --- the run ----------------------------------------------------------------------------

async def warm(people: list[Person], kinds: tuple[str, ...]) -> None:
    for person in people[:2]:
        for kind in kinds:
            if kind != "behovsmelding":
                await person.turn(kind)
    people[0].tally.latencies.clear()
    people[0].tally.errors.clear()
    people[0].tally.causes.clear()


async def run(args: argparse.Namespace) -> None:
    levels = [int(x) for x in str(args.users).split(",")]
    url = args.database_url or os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    print(f"machine: {machine()}; database {args.database}; {args.seconds:.0f} s per level; "
          f"weights hjelp:ordliste:behovsmelding = {':'.join(map(str, args.weights))}",
          flush=True)
    connector, replies = lean_connector()
    await connector.start()
    total_confirms = total_receipts = 0
    with tempfile.TemporaryDirectory() as tmp:
        async with database(args.database, url, tmp) as (db_url, schema), \
                aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=500)) as http, \
                process(http, [sys.executable, "bench/echo_bot.py"], {}) as (echo_url, echo_pid), \
                process(http, [sys.executable, "-m", "bot"], kompis_env(db_url, schema)) \
                as (kompis_url, kompis_pid):
            for level, users in enumerate(levels if args.phase != "rush" else []):
                echo = Tally()
                client = TeamsClient(http, echo_url + "/api/messages", connector.url)
                people = [Person(client, replies, n, f"e{level}", echo) for n in range(users)]
                await warm(people, ("echo",))
                await drive(people, args.seconds, ("echo",), (1,), echo_pid)

                tally = Tally()
                client = TeamsClient(http, kompis_url + "/api/messages", connector.url)
                people = [Person(client, replies, n, f"k{level}", tally) for n in range(users)]
                await warm(people, KINDS)
                await drive(people, args.seconds, KINDS, args.weights, kompis_pid)
                total_confirms += tally.confirms_sent
                total_receipts += tally.receipts
                report(users, tally, echo)
            if args.phase != "mix":
                client = TeamsClient(http, kompis_url + "/api/messages", connector.url)
                rush = await deadline_rush(client, replies, args.rush, args.rush_networks)
                total_confirms += rush.tally.confirms_sent
                total_receipts += rush.tally.receipts
                report_rush(args.rush, args.rush_networks, rush,
                            await reference_series(db_url, schema))
                network = await network_phase(client, replies, db_url, schema,
                                              args.rush_networks)
                report_network(network, await compiled_in_db(db_url, schema))
            in_db = await submitted_in_db(db_url, schema)
    await connector.stop()
    print(f"\nsubmits: {total_confirms} confirmations sent, {total_receipts} receipts, "
          f"{in_db} reports submitted in the database; lost writes "
          f"{total_receipts - in_db}", flush=True)


def report(users: int, tally: Tally, echo: Tally) -> None:
    everything = tally.all_latencies()
    echo_all = echo.all_latencies()
    errors = sum(tally.errors.values())
    print(f"\n{users} people at once, {tally.wall:.0f} s: Kompis cpu "
          f"{tally.cpu / max(1, tally.turns) * 1000:.1f} ms/turn, echo cpu "
          f"{echo.cpu / max(1, echo.turns) * 1000:.1f} ms/turn")
    for kind in KINDS:
        print(tally.row(kind, tally.latencies[kind], tally.errors[kind]))
    print(tally.row("kompis, all", everything, errors))
    print(echo.row("echo (stock)", echo_all, sum(echo.errors.values())))
    for cause, n in sorted(tally.causes.items(), key=lambda c: -c[1])[:5]:
        print(f"  error x{n}: {cause}")
    print(f"  kompis / echo: p50 x{pct(everything, 50) / pct(echo_all, 50):.2f}  "
          f"p99 x{pct(everything, 99) / pct(echo_all, 99):.2f}  "
          f"turns/s x{len(everything) / tally.wall / (len(echo_all) / echo.wall):.2f}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default="",
                        help=f"PostgreSQL server (default TEST_DATABASE_URL or {PG_DEFAULT})")
    parser.add_argument("--users", default="10", help="people at once; a list runs each")
    parser.add_argument("--seconds", type=float, default=20.0, help="per level")
    parser.add_argument("--weights", default=",".join(map(str, WEIGHTS)),
                        type=lambda v: tuple(int(x) for x in v.split(",")),
                        help="hjelp,ordliste,behovsmelding (default 1,2,3)")
    parser.add_argument("--phase", choices=("all", "mix", "rush"), default="all",
                        help="the mixed levels, the deadline rush, or both (default)")
    parser.add_argument("--rush", type=int, default=60,
                        help="partnerships confirming at once in the deadline rush")
    parser.add_argument("--rush-networks", type=int, default=3,
                        help="networks the rush's partnerships are spread over")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
