"""The wire format of Kompis's replies, pinned against what botbuilder's own reply path
(TurnContext.send_activities -> ConnectorClient -> msrest) sent before Kompis posted
plain JSON itself: tests/data/wire/*.json were recorded from that path.

Each case posts one Teams activity and compares, call by call, what reached the
recording connector (method, route, conversation, activity id, JSON body) and what the
HTTP answer to the activity was. What legitimately differs between runs is normalised
explicitly: the connector's port, the incoming activity ids the client makes up, the
uuid a proactive send names, and timestamps. The fixtures keep the cards and texts as
recorded, but the comparison reads each card only as "an Adaptive Card" and each of
Kompis's own sentences by its name in dialogs/texts.py: the flows' wording and cards
change with the product (tests/unit/test_wire.py compares card content, None values
included, with msrest's serialisation); the wire format may not.

To record anew (only ever from a commit whose replies still went through botbuilder):
KOMPIS_RECORD_WIRE=1 .venv/bin/python -m pytest tests/protocol/test_wire.py
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dialogs import texts
from scheduler.delivery import Deliverer, DeliveryPolicy
from store.outbox import NewMessage
from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, isolated_settings
from tests.support.teams import CHANNEL, GROUP, PERSONAL, Answer, TeamsClient

WIRE = Path(__file__).resolve().parents[1] / "data" / "wire"
RECORD = os.environ.get("KOMPIS_RECORD_WIRE") == "1"
# Monday in the autumn term: the needs report's cards name a cycle, fixed by this clock
MOMENT = datetime(2026, 10, 5, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INCOMING = re.compile(r"in-[0-9a-f]{8}-(\d+)")
TIMESTAMPS = frozenset({"timestamp", "localTimestamp"})


def normalised(value: Any, service_url: str) -> Any:
    """The recorded JSON with the run-dependent parts replaced by fixed markers."""
    if isinstance(value, dict):
        return {k: "<timestamp>" if k in TIMESTAMPS and isinstance(v, str)
                else normalised(v, service_url) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v, service_url) for v in value]
    if isinstance(value, str):
        value = value.replace(service_url, "<serviceUrl>/")
        value = INCOMING.sub(r"in-<client>-\1", value)
        return UUID.sub("<uuid>", value)
    return value


def transcript(answer: Answer | None, connector: RecordingConnector) -> dict[str, Any]:
    calls = [{"method": c.method, "route": c.route, "conversation_id": c.conversation_id,
              "activity_id": c.activity_id, "body": c.body} for c in connector.calls]
    found = {"answer": None if answer is None else {"status": answer.status,
                                                    "body": answer.body},
             "calls": calls}
    return normalised(found, connector.url.rstrip("/") + "/")


async def personal_card(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.say("hjelp")


async def channel_thread(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.say("hjelp", conv=CHANNEL)


async def group_text(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.submit({"action": "finnes.ikke"}, conv=GROUP)


async def invoke_card(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.execute("needs.start", {"action": "needs.start"})


async def invoke_message(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.execute("finnes.ikke", {"x": 1})


async def invoke_with_reply(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.execute("say", {"action": "say", "text": "hjelp"}, conv=CHANNEL)


async def submit_update(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.submit({"action": "needs.start"})


async def welcome(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    return await teams.install(conv=GROUP)


async def channel_personal(teams: TeamsClient, kompis: RunningKompis) -> Answer:
    """A form asked for in a channel: the 1:1 chat is created, the form posted there, one
    line in the channel (#19). Recorded from Kompis's own path, since botbuilder's never
    made these calls; the create body is pinned against msrest's ConversationParameters
    in tests/unit/test_wire.py, the post in the 1:1 chat is the proactive shape."""
    return await teams.say("meld behov", conv=CHANNEL)


CASES: dict[str, Callable[[TeamsClient, RunningKompis], Awaitable[Answer]]] = {
    "personal_card": personal_card, "channel_thread": channel_thread,
    "group_text": group_text, "invoke_card": invoke_card,
    "invoke_message": invoke_message, "invoke_with_reply": invoke_with_reply,
    "submit_update": submit_update, "welcome": welcome,
    "channel_personal": channel_personal,
}


SENTENCES = {value: f"<texts.{name}>" for name, value in vars(texts).items()
             if name.isupper() and isinstance(value, str) and "{" not in value}


def envelope_only(value: Any) -> Any:
    """The transcript with each card as a marker and Kompis's sentences by name."""
    if isinstance(value, dict):
        if value.get("type") == "AdaptiveCard" and "version" in value:
            return "<adaptive card>"
        return {k: envelope_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [envelope_only(v) for v in value]
    if isinstance(value, str):
        return SENTENCES.get(value, value)
    return value


def compare(name: str, found: dict[str, Any]) -> None:
    path = WIRE / f"{name}.json"
    if RECORD:
        path.write_text(json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert envelope_only(found) == envelope_only(expected)


@pytest.mark.parametrize("name", list(CASES))
async def test_reply_on_the_wire_as_botbuilder_sent_it(
        name: str, teams: TeamsClient, kompis: RunningKompis,
        connector: RecordingConnector) -> None:
    kompis.clock.set(MOMENT)
    answer = await CASES[name](teams, kompis)
    compare(name, transcript(answer, connector))


@pytest.mark.parametrize("pooled", [True, False], ids=["json", "stock"])
async def test_proactive_sends_on_the_wire_as_botbuilder_sent_them(
        pooled: bool, http, target: DbTarget, connector: RecordingConnector,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Through Kompis's JSON sender, and through botbuilder's continue_conversation in
    the stock connector mode: the same calls."""
    from bot.proactive import BotProactiveSender

    server = RunningKompis(target, isolated_settings(target, connector_pool=pooled))
    await server.start()
    try:
        teams = TeamsClient(http, server.messages_url, connector.url)
        for conv in (PERSONAL, CHANNEL):
            await teams.install(conv=conv)
        connector.clear()
        rt = server.runtime
        if pooled:  # botbuilder's proactive path is not taken at all
            monkeypatch.setattr(rt.adapter, "continue_conversation", None)
        card = {"type": "AdaptiveCard", "version": "1.5", "body": [
            {"type": "TextBlock", "text": "Påminnelse", "wrap": True}]}
        await rt.services.outbox.enqueue([
            NewMessage(f"wire|{PERSONAL.id}", PERSONAL.id, "reminder", {"text": "Påminnelse."}),
            NewMessage(f"wire|{CHANNEL.id}", CHANNEL.id, "notice", {"card": card}),
        ])
        svc = rt.services
        deliverer = Deliverer(svc.outbox, svc.conversations, svc.subscriptions,
                              BotProactiveSender(rt.adapter, ""), worker="wire",
                              policy=DeliveryPolicy(base_delay=0.05, max_delay=0.2))
        assert (await deliverer.drain(max_seconds=10)).delivered == 2
    finally:
        await server.stop()
    connector.calls.sort(key=lambda c: c.conversation_id or "")
    compare("proactive", transcript(None, connector))
