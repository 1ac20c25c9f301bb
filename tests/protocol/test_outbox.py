"""Proactive delivery through the outbox, at the protocol: once, retried, deactivated."""

from __future__ import annotations

import asyncio

from bot.compose import Runtime
from scheduler.delivery import Deliverer, DeliveryPolicy
from store.outbox import NewMessage, OutboxRepository
from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import CHANNEL, CHANNEL_POSTS, GROUP, PERSONAL, TeamsClient

FAST = DeliveryPolicy(base_delay=0.05, max_delay=0.2, max_attempts=4)


def runtime(kompis: RunningKompis) -> Runtime:
    return kompis.runtime


def fast_deliverer(rt: Runtime, worker: str = "test-worker") -> Deliverer:
    from bot.proactive import BotProactiveSender

    svc = rt.services
    return Deliverer(svc.outbox, svc.conversations, svc.subscriptions,
                     BotProactiveSender(rt.adapter, ""), worker=worker, policy=FAST)


def reminder(conv_id: str, key: str = "frist-behov|7") -> NewMessage:
    return NewMessage(
        dedupe_key=f"{key}|{conv_id}", conversation_id=conv_id, kind="reminder",
        payload={"text": "Påminnelse: behovsmeldingen skal leveres om 7 dager."},
    )


async def installed(teams: TeamsClient, connector: RecordingConnector, *convs) -> None:
    for conv in convs:
        await teams.install(conv=conv)
    connector.clear()


async def test_enqueued_message_is_delivered_once(teams: TeamsClient, kompis: RunningKompis,
                                                  connector: RecordingConnector) -> None:
    await installed(teams, connector, PERSONAL, CHANNEL)
    rt = runtime(kompis)
    assert await rt.services.outbox.enqueue([reminder(PERSONAL.id), reminder(CHANNEL.id)]) == 2
    assert await rt.services.outbox.enqueue([reminder(PERSONAL.id)]) == 0  # same key: nothing new
    stats = await fast_deliverer(rt).drain(max_seconds=10)
    assert stats.delivered == 2
    assert len(connector.messages(PERSONAL.id)) == 1
    # to the channel itself, a new post, not to the thread where Kompis was subscribed
    [posted] = connector.messages(CHANNEL_POSTS)
    assert posted["text"].startswith("Påminnelse")
    assert posted["conversation"]["id"] == CHANNEL_POSTS
    # a proactive post is a new activity in the conversation (the route with an activity id)
    assert all(c.route in ("send", "reply") for c in connector.calls)
    assert (await fast_deliverer(rt).drain(max_seconds=2)).delivered == 0
    assert (await rt.services.outbox.counts()) == {"delivered": 2}


async def test_restart_does_not_repeat(teams: TeamsClient, kompis: RunningKompis,
                                       connector: RecordingConnector) -> None:
    await installed(teams, connector, GROUP)
    await runtime(kompis).services.outbox.enqueue([reminder(GROUP.id)])
    await fast_deliverer(runtime(kompis)).drain(max_seconds=10)
    await kompis.restart()
    rt = runtime(kompis)
    assert await rt.services.outbox.enqueue([reminder(GROUP.id)]) == 0
    await fast_deliverer(rt).drain(max_seconds=2)
    assert len(connector.messages(GROUP.id)) == 1


async def test_429_then_200_delivers_once(teams: TeamsClient, kompis: RunningKompis,
                                          connector: RecordingConnector) -> None:
    await installed(teams, connector, PERSONAL)
    rt = runtime(kompis)
    await rt.services.outbox.enqueue([reminder(PERSONAL.id)])
    connector.fail_next(429, retry_after="0.1")
    connector.fail_next(429)  # without Retry-After: the backoff decides
    connector.fail_next(502)
    stats = await fast_deliverer(rt).drain(max_seconds=15)
    assert stats.delivered == 1 and stats.retried == 3
    assert stats.statuses == {429: 2, 502: 1, 200: 1}
    assert len(connector.messages(PERSONAL.id)) == 1


async def test_404_deactivates_the_subscription(teams: TeamsClient, kompis: RunningKompis,
                                                connector: RecordingConnector) -> None:
    await installed(teams, connector, CHANNEL)
    rt = runtime(kompis)
    await rt.services.subscriptions.subscribe(CHANNEL.id, ["koordinator"], by="aad-alice-0001")
    await rt.services.outbox.enqueue([reminder(CHANNEL.id)])
    connector.fail_next(404)
    stats = await fast_deliverer(rt).drain(max_seconds=10)
    assert stats.failed == 1 and stats.deactivated == 1
    sub = await rt.services.subscriptions.get(CHANNEL.id)
    assert sub is not None and sub.active is False and "404" in sub.reason
    assert await rt.services.subscriptions.active() == []


async def test_gives_up_after_max_attempts_with_reason(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector) -> None:
    await installed(teams, connector, PERSONAL)
    rt = runtime(kompis)
    await rt.services.outbox.enqueue([reminder(PERSONAL.id)])
    connector.fail_next(500, times=FAST.max_attempts)
    stats = await fast_deliverer(rt).drain(max_seconds=15)
    assert stats.failed == 1 and stats.delivered == 0
    assert await rt.services.outbox.counts() == {"failed": 1}
    assert connector.messages(PERSONAL.id) == []


async def test_two_senders_deliver_each_row_once(teams: TeamsClient, kompis: RunningKompis,
                                                 connector: RecordingConnector) -> None:
    convs = [PERSONAL, GROUP, CHANNEL]
    await installed(teams, connector, *convs)
    rt = runtime(kompis)
    keys = [f"møte-{i}|1" for i in range(20)]
    await rt.services.outbox.enqueue([reminder(c.id, k) for c in convs for k in keys])
    second = OutboxRepository(kompis.target.database())
    a = fast_deliverer(rt, "replica-a")
    b = Deliverer(second, rt.services.conversations, rt.services.subscriptions, a._sender,
                  worker="replica-b", policy=FAST)
    sa, sb = await asyncio.gather(a.drain(max_seconds=60), b.drain(max_seconds=60))
    await second._db.dispose()
    assert sa.delivered + sb.delivered == 60
    texts = [(m["conversation"]["id"]) for m in connector.messages()]
    assert len(texts) == 60
    assert await rt.services.outbox.counts() == {"delivered": 60}


async def test_the_running_scheduler_delivers_the_outbox(
        http, target, connector: RecordingConnector) -> None:
    from tests.support.server import isolated_settings

    settings = isolated_settings(target, scheduler_enabled=True, outbox_interval_seconds=0.2)
    server = RunningKompis(target, settings)
    await server.start()
    try:
        teams = TeamsClient(http, server.messages_url, connector.url)
        await installed(teams, connector, PERSONAL)
        await runtime(server).services.outbox.enqueue([reminder(PERSONAL.id)])
        async with asyncio.timeout(10):
            await connector.wait_for_messages(1, conversation_id=PERSONAL.id)
        await asyncio.sleep(0.5)  # further runs find nothing more to send
        assert len(connector.messages(PERSONAL.id)) == 1
    finally:
        await server.stop()


async def test_claim_tells_whether_an_earlier_send_had_begun(kompis: RunningKompis) -> None:
    from datetime import timedelta

    outbox = runtime(kompis).services.outbox
    await outbox.enqueue([reminder("a:1"), reminder("a:2")])
    first = await outbox.claim("w1", limit=10, lease=timedelta(seconds=-1))
    assert [c.was_started for c in first] == [False, False]
    assert await outbox.started(first[0].id, "w1", first[0].attempts)
    # both leases have run out: w2 takes them over; only the first had begun sending
    again = await outbox.claim("w2", limit=10, lease=timedelta(minutes=1))
    assert {c.id: c.was_started for c in again} == {first[0].id: True, first[1].id: False}
    assert await outbox.uncertain() == [first[0].id]
    assert not await outbox.started(first[0].id, "w1", first[0].attempts)  # w1 lost it


async def test_a_sender_never_sends_twice_what_it_claimed_twice(kompis: RunningKompis) -> None:
    """A row that waited out its lease (in the rate limiter) and was claimed again by the
    same sender's next run: only the newer claim may send it (seen in CI as duplicates
    beyond the in-doubt rows after a SIGKILL fan-out)."""
    from datetime import timedelta

    outbox = runtime(kompis).services.outbox
    await outbox.enqueue([reminder("a:1")])
    [old] = await outbox.claim("w1", limit=10, lease=timedelta(seconds=-1))
    [new] = await outbox.claim("w1", limit=10, lease=timedelta(minutes=1))
    assert new.id == old.id and new.attempts == old.attempts + 1
    assert not await outbox.started(old.id, "w1", old.attempts)
    assert await outbox.started(new.id, "w1", new.attempts)


async def test_a_send_slower_than_the_lease_is_not_taken_over(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector) -> None:
    """The sender renews its leases while a send is under way: a second sender finds
    nothing to claim, and the slow message arrives once (seen in CI: a live replica's slow
    send taken over and posted twice)."""
    from datetime import timedelta

    await installed(teams, connector, PERSONAL)
    rt = runtime(kompis)
    await rt.services.outbox.enqueue([reminder(PERSONAL.id)])
    short = DeliveryPolicy(base_delay=0.05, max_delay=0.2, lease=timedelta(seconds=0.3))
    a = fast_deliverer(rt, "replica-a")
    a.policy = short
    b = Deliverer(rt.services.outbox, rt.services.conversations, rt.services.subscriptions,
                  a._sender, worker="replica-b", policy=short)
    connector.delay = 1.2  # the connector answers after four leases
    connector.first_arrival.clear()
    sending = asyncio.create_task(a.run_once())
    async with asyncio.timeout(10):
        await connector.first_arrival.wait()
    await asyncio.sleep(0.6)  # two leases later, the send still under way
    assert await b.run_once() == 0
    assert await sending == 1
    assert len(connector.messages(PERSONAL.id)) == 1
    assert await rt.services.outbox.counts() == {"delivered": 1}
