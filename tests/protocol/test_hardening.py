"""Issue #18, faults found by a hostile test of the running server: anonymous mode off
loopback, a locked SQLite file, odd input, redelivered activities, and a data directory
Kompis cannot write. Each test speaks the protocol (or runs `python -m bot`)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sqlite3
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select, update

from bot.app import DATABASE
from store.models import Conversation, QuestionLog, SeenActivity
from store.outbox import NewMessage
from tests.support.connector import RecordingConnector
from tests.support.processes import Replica
from tests.support.server import PG_URL, DbTarget, RunningKompis, db_target, isolated_settings
from tests.support.teams import BOT_ID, PERSONAL, TeamsClient

ROOT = Path(__file__).resolve().parents[2]
GUARD = 30  # seconds: a guard against hanging, never a measurement


def _outward_address() -> str | None:
    """An address of this machine that is not loopback (no packet is sent to find it)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


async def _run_bot(env: dict[str, str], *args: str) -> tuple[int, str]:
    """`python -m bot …`; a process still running after GUARD seconds is killed and
    reported as such (it started when it should have refused)."""
    with tempfile.TemporaryFile() as output:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
            stdout=output, stderr=output)
        try:
            await asyncio.wait_for(proc.wait(), GUARD)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            pytest.fail("the server started instead of refusing")
        output.seek(0)
        return proc.returncode or 0, output.read().decode("utf-8", "replace")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "MicrosoftAppId": "", "MicrosoftAppPassword": "",
            "HOST": "127.0.0.1", "PORT": "0", "SCHEDULER_ENABLED": "false",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'kompis.db'}", **extra}


# --- 1. anonymous mode is for this machine only ---------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.2"])
async def test_anonymous_mode_refuses_to_listen_beyond_loopback(tmp_path: Path,
                                                                 host: str) -> None:
    code, said = await _run_bot(_env(tmp_path, HOST=host, KOMPIS_ADMINS="aad-x",
                                     ALLOWED_TENANTS="t-1"))
    assert code != 0
    lines = [line for line in said.splitlines() if line.strip()]
    assert len(lines) == 1 and "MicrosoftAppId" in lines[0] and host in lines[0], said
    assert "Traceback" not in said


async def test_anonymous_mode_refuses_a_service_url_off_loopback(
        teams: TeamsClient, kompis: RunningKompis) -> None:
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no address beyond loopback")
    outside = RecordingConnector()
    await outside.start(host=address)  # a connector Kompis could reach, but must not
    try:
        for body in (
            teams.activity("message", text="hjelp", textFormat="plain", serviceUrl=outside.url),
            teams.activity("conversationUpdate", membersAdded=[{"id": BOT_ID}],
                           serviceUrl=outside.url),
        ):
            answer = await teams.post(body)
            assert answer.status == 403, answer
        await asyncio.sleep(0.3)  # room for a stray reply to arrive
        assert outside.arrived == 0 and outside.calls == []
        async with kompis.app[DATABASE].sessions() as session:
            assert await session.scalar(select(func.count()).select_from(Conversation)) == 0

        # a conversation stored earlier, whose serviceUrl is (now) off loopback: no member
        # lookup and no proactive send goes there either
        await teams.say("hjelp")
        runtime = kompis.runtime
        db = kompis.app[DATABASE]
        async with db.transaction() as session:
            stored = await session.get(Conversation, PERSONAL.id)
            assert stored is not None
            reference = {**stored.reference, "serviceUrl": outside.url}
            await session.execute(update(Conversation).where(
                Conversation.conversation_id == PERSONAL.id).values(
                service_url=outside.url, reference=reference))
        assert await runtime.services.members.lookup(PERSONAL.id, "29:1bob") is None
        await runtime.services.outbox.enqueue([NewMessage("harden-1", PERSONAL.id, "notice",
                                                          {"text": "Hei"})])
        await runtime.deliverer.run_once()
        assert outside.arrived == 0 and outside.calls == []
        counts = await runtime.services.outbox.counts()
        assert counts.get("failed") == 1, counts  # given up with a reason, not retried
    finally:
        await outside.stop()


# --- 5. a locked SQLite file ------------------------------------------------------------


@pytest.fixture
async def sqlite_kompis(tmp_path: Path) -> AsyncIterator[RunningKompis]:
    async with db_target("sqlite", tmp_path) as target:
        server = RunningKompis(target, isolated_settings(target))
        await server.start()
        yield server
        await server.stop()


async def test_a_locked_database_is_told_in_time_and_not_ready(
        http: aiohttp.ClientSession, sqlite_kompis: RunningKompis,
        connector: RecordingConnector, tmp_path: Path) -> None:
    teams = TeamsClient(http, sqlite_kompis.messages_url, connector.url)
    await teams.say("hjelp")  # the conversation is known
    async with http.get(sqlite_kompis.url + "/readyz") as resp:
        assert resp.status == 200, await resp.text()
    connector.clear()

    holder = sqlite3.connect(tmp_path / "kompis.db", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        holder.execute("DELETE FROM subscriptions")
        # The answer must come while the lock is still held, well inside Teams' ~15 s:
        # the guard is generous, the point is that the turn is not hung on the lock.
        async with asyncio.timeout(10):
            answer = await teams.say("abonner på påminnelser")  # a turn that writes
            await connector.wait_for_messages(1)
        assert answer.status == 201
        said = connector.messages()[-1].get("text") or ""
        assert "Prøv igjen om litt" in said, said
        async with http.get(sqlite_kompis.url + "/readyz") as resp:
            assert resp.status == 503
            assert (await resp.json())["database"] == "not writable"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    async with http.get(sqlite_kompis.url + "/readyz") as resp:
        assert resp.status == 200


# --- 8. odd input ---------------------------------------------------------------------


async def test_a_lone_surrogate_in_a_question_gets_the_normal_answer(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector) -> None:
    body = teams.activity("message", text="PLACEHOLDER", textFormat="plain")
    raw = json.dumps(body).replace('"PLACEHOLDER"', '"hva er \\ud800 blorgfjes?"').encode()
    answer = await teams.post(None, raw=raw)
    assert answer.status == 201
    said = json.dumps(connector.calls[-1].body, ensure_ascii=False)
    assert "noe gikk galt" not in said
    async with kompis.app[DATABASE].sessions() as session:
        logged = (await session.scalars(select(QuestionLog.text))).all()
    assert logged == ["hva er \ufffd blorgfjes?"]


async def test_null_members_added_are_skipped(teams: TeamsClient,
                                              connector: RecordingConnector) -> None:
    answer = await teams.post(teams.activity("conversationUpdate", membersAdded=[None]))
    assert answer.status == 201
    assert connector.calls == []
    answer = await teams.post(teams.activity("conversationUpdate",
                                             membersAdded=[None, {"id": BOT_ID}]))
    assert answer.status == 201
    assert len(connector.cards()) == 1  # the welcome, as for a plain install
    assert "noe gikk galt" not in json.dumps(connector.calls[-1].body, ensure_ascii=False)


# --- 9. a redelivered activity is answered once ------------------------------------------


async def test_a_redelivered_activity_is_answered_once(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector) -> None:
    body = teams.activity("message", text="hjelp", textFormat="plain")
    for _ in range(3):
        assert (await teams.post(body)).status == 201
    assert len(connector.calls) == 1
    # three deliveries at the same moment, too
    again = teams.activity("message", text="hjelp", textFormat="plain")
    answers = await asyncio.gather(*(teams.post(again) for _ in range(3)))
    assert [a.status for a in answers] == [201, 201, 201]
    assert len(connector.calls) == 2
    # the same id in another conversation is another activity
    other = {**body, "conversation": {"id": "a:1personal-other", "conversationType": "personal"}}
    assert (await teams.post(other)).status == 201
    assert len(connector.calls) == 3
    if not kompis.app[DATABASE].is_sqlite:  # replicas share the memory in PostgreSQL
        async with kompis.app[DATABASE].sessions() as session:
            assert await session.scalar(select(func.count()).select_from(SeenActivity)) == 3


@pytest.fixture
async def pg(tmp_path: Path) -> AsyncIterator[DbTarget]:
    """Replicas share a PostgreSQL server (on SQLite, the one process remembers itself)."""
    if not PG_URL:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    async with db_target("postgresql", tmp_path) as found:
        yield found


async def test_a_redelivery_to_another_replica_is_not_answered_again(
        pg: DbTarget, connector: RecordingConnector) -> None:
    target = pg
    async with aiohttp.ClientSession() as http:
        replicas = [Replica(target.url, schema=target.schema,
                            extra_env={"SCHEDULER_ENABLED": "false"}) for _ in range(2)]
        try:
            for replica in replicas:
                await replica.start(http)
            via = [TeamsClient(http, r.messages_url, connector.url) for r in replicas]
            body = via[0].activity("message", text="hjelp", textFormat="plain")
            assert (await via[0].post(body)).status == 201
            assert (await via[1].post(body)).status == 201  # Teams' retry, on the other
            assert len(connector.calls) == 1
            again = via[0].activity("message", text="hjelp", textFormat="plain")
            answers = await asyncio.gather(*(v.post(again) for v in via * 2))
            assert [a.status for a in answers] == [201] * 4
            assert len(connector.calls) == 2
        finally:
            for replica in replicas:
                await replica.stop()


# --- also seen: a data directory Kompis cannot write --------------------------------------


@pytest.mark.parametrize("command", [[], ["migrate"]])
async def test_an_unwritable_data_directory_is_one_clear_line(tmp_path: Path,
                                                              command: list[str]) -> None:
    # a file where the data directory should be: even root cannot create the database
    (tmp_path / "data").write_text("ikke en mappe")
    code, said = await _run_bot(_env(tmp_path), *command)
    assert code != 0
    lines = [line for line in said.splitlines() if line.strip()]
    assert len(lines) == 1 and "datamappen" in lines[0], said
    assert "Traceback" not in said

