"""PostgreSQL becomes unreachable in the middle of a submit.

A real Kompis process talks to PostgreSQL through a TCP proxy the test controls: the
connection is either reset (`cut`: the network drops, the server is gone) or silently
held (`stall`: packets dropped without a reset, nothing ever answers). Both come after
the submit's UPDATE and before its version row and commit. PostgreSQL only (the failure
is a lost network connection, which a SQLite file does not have); without
TEST_DATABASE_URL the tests are skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from store.db import Database
from store.models import AuditEntry, OutboxMessage
from store.needs import NeedsReportRepository
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.needs import MEASURE, button, fill_measure, press, start_report
from tests.support.pgproxy import CuttableProxy
from tests.support.processes import Replica, running
from tests.support.server import PG_URL, DbTarget, db_target
from tests.support.teams import ALICE, Answer, TeamsClient

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")


@pytest.fixture
async def pg(tmp_path) -> AsyncIterator[DbTarget]:
    async with db_target("postgresql", tmp_path) as found:
        yield found


@pytest.mark.parametrize("failure", ["cut", "stall"])
async def test_database_lost_in_the_middle_of_a_submit(
        pg: DbTarget, connector: RecordingConnector, failure: str) -> None:
    """The person is told to try again while the database is still gone, nothing is
    half-written, /healthz answers 503 until the database is back, and the same press
    then goes through."""
    upstream = make_url(PG_URL)
    proxy = await CuttableProxy(upstream.host or "127.0.0.1", upstream.port or 5432).start()
    via_proxy = make_url(pg.url).set(host="127.0.0.1", port=proxy.port,
                                     query={"ssl": "disable"})
    kompis = Replica(via_proxy.render_as_string(hide_password=False), schema=pg.schema)
    db = pg.database()  # the test's own view, straight to PostgreSQL
    try:
        async with aiohttp.ClientSession() as http, running(http, kompis):
            client = TeamsClient(http, kompis.messages_url, connector.url)
            review = await start_report(client, connector)
            form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
            review = await fill_measure(client, form, {**MEASURE})
            confirm = await press(client, "needs.submit", button(review, "Send inn"))
            reports = NeedsReportRepository(db)
            [before] = await reports.for_member(ALICE.aad)
            audit_before = await _count(db, AuditEntry)

            arm = proxy.cut_before if failure == "cut" else proxy.stall_before
            arm("INSERT INTO needs_report_versions")
            connector.clear()
            press_data = {"action": "needs.submit.confirm", **button(confirm, "Send inn")}
            async with asyncio.timeout(60):  # a guard against hanging, not a measurement
                first = await client.execute("needs.submit.confirm", press_data)
            assert proxy.tripped.is_set()  # it really went in the middle of the transaction
            assert not proxy.up if failure == "cut" else proxy.stalled.is_set()  # still gone
            _assert_told_to_try_again(first, connector)

            # still gone: another press, and the health check
            connector.clear()
            async with asyncio.timeout(60):
                second = await client.execute("needs.submit.confirm", press_data)
            _assert_told_to_try_again(second, connector)
            for _ in range(3):
                async with http.get(kompis.url + "/healthz") as resp:
                    assert resp.status == 503
                    assert (await resp.json())["database"] == "unreachable"

            # nothing of the submit reached the database
            [after] = await reports.for_member(ALICE.aad)
            assert (after.version, after.meta.status, after.reference) == \
                (before.version, "utkast", None)
            assert after.snapshot == before.snapshot
            assert [v.action for v in await reports.versions(after.id)] == \
                ["create", "measure.step", "measure.add"]
            assert await _count(db, AuditEntry) == audit_before
            assert await _count(db, OutboxMessage) == 0

            await proxy.restore()
            async with asyncio.timeout(30):
                while True:
                    async with http.get(kompis.url + "/healthz") as resp:
                        if resp.status == 200:
                            break
                        assert resp.status == 503
                    await asyncio.sleep(0.2)
            receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
            assert "Kvittering" in card_texts(receipt)
            [done] = await reports.for_member(ALICE.aad)
            assert done.meta.status == "sendt inn" and done.reference.endswith("-0001")
            assert [v.action for v in await reports.versions(done.id)] == \
                ["create", "measure.step", "measure.add", "submit"]
    finally:
        await db.dispose()
        await proxy.stop()


def _assert_told_to_try_again(answer: Answer, connector: RecordingConnector) -> None:
    """A clear Norwegian answer, no status 500 and nothing of the stack trace."""
    assert answer.status < 500, answer
    said = " ".join([str(answer.body or "")]
                    + [m.get("text") or "" for m in connector.messages()])
    assert "Prøv igjen" in said, said
    for leak in ("Traceback", "asyncpg", "sqlalchemy", "Error", "Exception"):
        assert leak not in said


async def _count(db: Database, model: type) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)
