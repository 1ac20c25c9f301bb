"""Replies when the connector throttles, fails or hangs: retried within the turn's
budget; when they truly cannot be delivered, an apology waits in the outbox."""

from __future__ import annotations

import pytest

from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, isolated_settings
from tests.support.teams import PERSONAL, TeamsClient


@pytest.fixture
async def quick(target: DbTarget):
    server = RunningKompis(target, isolated_settings(target, reply_budget_seconds=2.0))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def client(http, quick: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, quick.messages_url, connector.url)


@pytest.mark.parametrize("faults", [
    [(429, "0.2")], [(429, None)], [(412, None)], [(500, None), (502, None), (504, None)],
])
async def test_reply_retried_until_accepted(client: TeamsClient, connector: RecordingConnector,
                                            faults) -> None:
    for status, retry_after in faults:
        connector.fail_next(status, retry_after=retry_after)
    answer = await client.say("hjelp")
    assert answer.status == 201
    assert len(connector.cards(PERSONAL.id)) == 1  # delivered once
    assert [c.status for c in connector.calls] == [s for s, _ in faults] + [200]


async def test_reply_that_hangs_is_retried(client: TeamsClient,
                                           connector: RecordingConnector) -> None:
    connector.fail_next(200, delay=5.0)  # held past the budget's per-attempt share
    answer = await client.say("hjelp")
    assert answer.status == 201
    assert len(connector.cards(PERSONAL.id)) >= 1


async def test_undeliverable_reply_leaves_an_apology_in_the_outbox(
        client: TeamsClient, quick: RunningKompis, connector: RecordingConnector,
        caplog: pytest.LogCaptureFixture) -> None:
    connector.fail_next(503, times=100)
    answer = await client.say("hjelp")
    assert answer.status == 201
    assert connector.messages() == []
    assert any("reply_undelivered=True" in r.getMessage() for r in caplog.records)
    runtime = quick.runtime
    assert await runtime.services.outbox.counts() == {"pending": 1}
    # the connector recovers: the outbox delivers the apology
    connector._faults.clear()
    await runtime.deliverer.drain(max_seconds=5)
    [apology] = connector.messages(PERSONAL.id)
    assert "svaret mitt kom ikke fram" in apology["text"]
