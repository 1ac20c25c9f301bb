"""The edge: status codes for bad requests and tokens, tenants, turn errors, health."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import DATABASE
from store.conversations import ConversationRepository
from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, isolated_settings
from tests.support.teams import PERSONAL, TeamsClient


async def stored(kompis: RunningKompis) -> int:
    db = kompis.target.database()
    try:
        return await ConversationRepository(db).count()
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("headers", "raw", "status"),
    [
        ({}, b'{"type": "message"}', 415),  # no Content-Type at all
        ({"Content-Type": ""}, b"{}", 415),
        ({"Content-Type": "text/plain"}, b"hjelp", 415),
        ({"Content-Type": "application/json"}, b"{not json", 400),
        ({"Content-Type": "application/json"}, b"\xff\xfe\x00garbage", 400),
        ({"Content-Type": "application/json"}, b"[1, 2, 3]", 400),
        ({"Content-Type": "application/json"}, b'"just a string"', 400),
        ({"Content-Type": "application/json"}, b"null", 400),
        ({"Content-Type": "application/json"}, b'{"type": "message"}', 400),
        ({"Content-Type": "application/json"}, b'{"text": "hjelp"}', 400),
    ],
)
async def test_malformed_requests_are_4xx_and_store_nothing(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        headers: dict, raw: bytes, status: int) -> None:
    answer = await teams.post(None, headers=headers, raw=raw)
    assert answer.status == status
    assert "Traceback" not in json.dumps(answer.body)
    assert await stored(kompis) == 0
    assert connector.calls == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda a: a.pop("conversation"),
        lambda a: a.update(conversation={"id": ""}),
        lambda a: a.update(conversation="a:1"),
        lambda a: a.pop("serviceUrl"),
        lambda a: a.update(serviceUrl="not a url"),
        lambda a: a.pop("type"),
        lambda a: a.update(type=""),
        lambda a: a.update(type=["message"]),
        lambda a: a.update({"from": "alice"}),
        lambda a: a.update(text={"nested": True}),
    ],
)
async def test_activities_missing_what_a_reply_needs_are_400(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        mutate) -> None:
    body = teams.activity("message", text="hjelp")
    mutate(body)
    answer = await teams.post(body)
    assert answer.status == 400
    assert await stored(kompis) == 0
    assert connector.calls == []


async def test_body_over_the_limit_is_413(teams: TeamsClient, kompis: RunningKompis) -> None:
    body = teams.activity("message", text="x" * (300 * 1024))
    answer = await teams.post(body)
    assert answer.status == 413
    assert await stored(kompis) == 0


@pytest.fixture
async def secured(target: DbTarget):
    settings = isolated_settings(target, app_id="00000000-1111-2222-3333-444444444444",
                                 app_password="hemmelig")
    server = RunningKompis(target, settings)
    await server.start()
    yield server
    await server.stop()


def _fake_jwt() -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    header = part({"alg": "RS256", "typ": "JWT", "kid": "nope"})
    claims = part({"iss": "https://api.botframework.com", "aud": "someone-else"})
    return f"{header}.{claims}.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    "auth",
    [None, "", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer a.b.c"],
)
async def test_with_app_id_bad_or_missing_token_is_401(
        teams: TeamsClient, secured: RunningKompis, connector: RecordingConnector,
        auth: str | None) -> None:
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    async with teams.http.post(secured.messages_url, json=teams.activity("message", text="hjelp"),
                               headers=headers) as resp:
        assert resp.status == 401
    assert await stored(secured) == 0
    assert connector.calls == []


async def test_with_app_id_unverifiable_token_is_401_not_500(
        teams: TeamsClient, secured: RunningKompis) -> None:
    """A well-formed token whose keys cannot be fetched (no network here) is still a 401."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {_fake_jwt()}"}
    async with teams.http.post(secured.messages_url, json=teams.activity("message", text="hjelp"),
                               headers=headers) as resp:
        assert resp.status == 401


async def test_local_mode_malformed_token_is_401(teams: TeamsClient,
                                                 kompis: RunningKompis) -> None:
    headers = {"Content-Type": "application/json", "Authorization": "Bearer x.y"}
    answer = await teams.post(teams.activity("message", text="hjelp"), headers=headers)
    assert answer.status == 401


@pytest.fixture
async def one_tenant(target: DbTarget):
    settings = isolated_settings(target, allowed_tenants=frozenset({"tenant-trondelag"}))
    server = RunningKompis(target, settings)
    await server.start()
    yield server
    await server.stop()


async def test_other_tenant_gets_one_polite_refusal_and_nothing_is_stored(
        http, one_tenant: RunningKompis, connector: RecordingConnector) -> None:
    outsider = TeamsClient(http, one_tenant.messages_url, connector.url, tenant="tenant-other")
    answer = await outsider.say("hjelp")
    assert answer.status == 201
    [message] = connector.messages()
    assert "ikke tatt i bruk i organisasjonen din" in message["text"]
    assert connector.cards() == []
    invoke = await outsider.execute("say", {"action": "say", "text": "hjelp"})
    assert invoke.status == 200
    assert "ikke tatt i bruk" in invoke.body["value"]
    await outsider.install()
    assert len(connector.messages()) == 1  # no welcome card for the other tenant
    assert await stored(one_tenant) == 0

    insider = TeamsClient(http, one_tenant.messages_url, connector.url, tenant="TENANT-Trondelag")
    await insider.say("hjelp")
    assert len(connector.cards()) == 1
    assert await stored(one_tenant) == 1


async def test_turn_error_is_told_in_norwegian_with_trace_id(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    async def broken(turn):
        raise RuntimeError("database exploded at line 42")

    monkeypatch.setattr(kompis.runtime.router, "handle", broken)
    answer = await teams.say("hjelp")
    assert answer.status == 201
    [message] = connector.messages(PERSONAL.id)
    assert "noe gikk galt" in message["text"]
    assert "exploded" not in message["text"] and "Traceback" not in message["text"]
    trace_id = message["text"].split("feilkoden ")[1].split(" ")[0]
    assert any(trace_id in r.getMessage() for r in caplog.records)


async def test_failed_press_is_answered_in_norwegian_not_501(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A card press whose turn fails gets our answer on the card, not an empty 501."""
    async def broken(turn):
        raise RuntimeError("database exploded at line 42")

    monkeypatch.setattr(kompis.runtime.router, "handle", broken)
    answer = await teams.execute("say", {"action": "say", "text": "hjelp"})
    assert answer.status == 200
    assert answer.body["type"] == "application/vnd.microsoft.activity.message"
    assert "noe gikk galt" in answer.body["value"] and "Prøv igjen" in answer.body["value"]
    assert "exploded" not in answer.body["value"]
    assert connector.messages() == []  # told once, on the card


async def test_healthz_503_while_database_unreachable(
        teams: TeamsClient, kompis: RunningKompis) -> None:
    db = kompis.app[DATABASE]
    working = db.engine
    db.engine = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:9/none",
                                    connect_args={"timeout": 1})
    try:
        async with teams.http.get(kompis.url + "/healthz") as resp:
            assert resp.status == 503
            assert (await resp.json())["database"] == "unreachable"
    finally:
        await db.engine.dispose()
        db.engine = working
    async with teams.http.get(kompis.url + "/healthz") as resp:
        assert resp.status == 200


async def test_stock_connector_path_still_answers(http, target: DbTarget,
                                                  connector: RecordingConnector) -> None:
    """CONNECTOR_POOL=false (botbuilder's own sender) stays a working fallback."""
    server = RunningKompis(target, isolated_settings(target, connector_pool=False))
    await server.start()
    try:
        client = TeamsClient(http, server.messages_url, connector.url)
        assert (await client.say("hjelp")).status == 201
        assert len(connector.cards()) == 1
    finally:
        await server.stop()
