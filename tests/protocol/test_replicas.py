"""Two Kompis processes on one database: each outbox row goes out once, whichever
replica's scheduler picks it, and a conversation seen by one is known to the other."""

from __future__ import annotations

import asyncio
from collections import Counter

import aiohttp

from store.conversations import ConversationRepository
from store.outbox import NewMessage, OutboxRepository
from tests.support.connector import RecordingConnector
from tests.support.processes import Replica
from tests.support.server import DbTarget
from tests.support.teams import CHANNEL, GROUP, PERSONAL, TeamsClient


async def test_two_replicas_share_state_and_deliver_each_reminder_once(
        target: DbTarget, connector: RecordingConnector) -> None:
    async with aiohttp.ClientSession() as http:
        a = Replica(target.url, schema=target.schema)
        b = Replica(target.url, schema=target.schema)
        await a.start(http)
        await b.start(http)
        try:
            via_a = TeamsClient(http, a.messages_url, connector.url)
            via_b = TeamsClient(http, b.messages_url, connector.url)
            await via_a.install(conv=PERSONAL)
            await via_b.install(conv=GROUP)
            await via_a.say("abonner på påminnelser", conv=CHANNEL)
            await via_b.say("mine påminnelser", conv=CHANNEL)  # B knows what A stored
            assert "får påminnelser for alle" in connector.messages(CHANNEL.id)[-1]["text"]
            connector.clear()

            db = target.database()
            convs = [PERSONAL.id, GROUP.id, CHANNEL.id]
            rows = [NewMessage(f"møte-{i}|1|{c}", c, "reminder", {"text": f"Møte {i}"})
                    for i in range(30) for c in convs]
            # both replicas' due-checks would write the same rows: the second adds none
            assert await OutboxRepository(db).enqueue(rows) == 90
            assert await OutboxRepository(db).enqueue(rows) == 0
            async with asyncio.timeout(60):
                await connector.wait_for_messages(90)
            await asyncio.sleep(1.0)  # more scheduler runs on both replicas: nothing more
            posted = Counter((m["conversation"]["id"], m["text"]) for m in connector.messages())
            assert len(posted) == 90 and set(posted.values()) == {1}
            assert await OutboxRepository(db).counts() == {"delivered": 90}
            assert await ConversationRepository(db).count() == 3
            await db.dispose()
        finally:
            await a.stop()
            await b.stop()


async def test_sigkill_mid_fanout_then_another_replica_finishes(
        target: DbTarget) -> None:
    """Every reminder arrives; a duplicate is possible only for a send the killed
    replica had begun and not seen answered (the outbox records those)."""
    connector = RecordingConnector(delay=0.05)
    await connector.start()
    lease = {"OUTBOX_LEASE_SECONDS": "1"}
    async with aiohttp.ClientSession() as http:
        a = Replica(target.url, schema=target.schema, extra_env=lease)
        await a.start(http)
        try:
            teams = TeamsClient(http, a.messages_url, connector.url)
            for conv in (PERSONAL, GROUP, CHANNEL):
                await teams.install(conv=conv)
            connector.clear()
            db = target.database()
            outbox = OutboxRepository(db)
            rows = [NewMessage(f"frist-{i}|0|{c.id}", c.id, "reminder", {"text": f"Frist {i}"})
                    for i in range(40) for c in (PERSONAL, GROUP, CHANNEL)]
            await outbox.enqueue(rows)
            async with asyncio.timeout(60):
                await connector.wait_for_messages(20)
            await a.kill()  # SIGKILL, mid fan-out
            in_doubt = set(await outbox.uncertain())
            before = len(connector.messages())
            assert before < 120

            b = Replica(target.url, schema=target.schema, extra_env=lease)
            await b.start(http)
            try:
                async with asyncio.timeout(90):
                    # the database offers no event to wait on, so poll it
                    while (await outbox.counts()).get("delivered", 0) < 120:  # noqa: ASYNC110
                        await asyncio.sleep(0.3)
            finally:
                await b.stop()
            posted = Counter((m["conversation"]["id"], m["text"]) for m in connector.messages())
            assert len(posted) == 120  # nothing lost
            duplicated = {key for key, n in posted.items() if n > 1}
            assert len(duplicated) <= len(in_doubt)
            assert await outbox.counts() == {"delivered": 120}
            await db.dispose()
        finally:
            await a.stop()
            await connector.stop()
