"""The pooled connector: clients reused per service URL, tokens added off the loop."""

from __future__ import annotations

import json
from types import SimpleNamespace

import aiohttp
import pytest
from botframework.connector.auth import ClaimsIdentity

from bot.connector import (
    RETRY_IN_TURN,
    ConnectorError,
    JsonConnector,
    KompisAuthentication,
    _BearerToken,
)


class _Config:
    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


async def test_connector_clients_are_built_once_per_service_url() -> None:
    async with aiohttp.ClientSession() as session:
        auth = KompisAuthentication(_Config(), session)
        identity = ClaimsIdentity({}, True)
        factory = auth.create_connector_factory(identity)
        first = await factory.create("http://127.0.0.1:1/", None)
        again = await auth.create_connector_factory(identity).create("http://127.0.0.1:1/", None)
        other = await factory.create("http://127.0.0.1:2/", None)
        assert first is again
        assert other is not first
        token_a = await auth.create_user_token_client(identity)
        token_b = await auth.create_user_token_client(identity)
        assert token_a is token_b


async def test_stock_mode_builds_fresh_clients() -> None:
    async with aiohttp.ClientSession() as session:
        auth = KompisAuthentication(_Config(), session, pooled=False)
        identity = ClaimsIdentity({}, True)
        a = await auth.create_connector_factory(identity).create("http://127.0.0.1:1/", None)
        b = await auth.create_connector_factory(identity).create("http://127.0.0.1:1/", None)
        assert a is not b


class _Creds:
    def __init__(self, app_id: str) -> None:
        self.app_id = app_id
        self.calls = 0

    def _should_set_token(self, session: object) -> bool:
        return bool(self.app_id)

    def get_access_token(self) -> str:
        self.calls += 1
        return "tok-123"


class _Next:
    async def send(self, request, **kwargs):
        return request


async def test_bearer_token_is_added_only_with_an_app_id() -> None:
    for app_id, expected in (("app-1", "Bearer tok-123"), ("", None)):
        policy = _BearerToken(_Creds(app_id))
        policy.next = _Next()
        request = SimpleNamespace(http_request=SimpleNamespace(headers={}))
        await policy.send(request)
        assert request.http_request.headers.get("Authorization") == expected


class _Server:
    """A loopback endpoint that answers the statuses it is given and keeps the headers."""

    def __init__(self, statuses: list[tuple[int, dict[str, str]]]) -> None:
        self.statuses = statuses
        self.seen: list[tuple[str, dict[str, str], bytes]] = []

    async def __aenter__(self) -> str:
        from aiohttp import web

        async def handle(request: web.Request) -> web.Response:
            self.seen.append((request.method, dict(request.headers), await request.read()))
            status, headers = self.statuses.pop(0) if self.statuses else (200, {})
            return web.json_response({"id": "1"}, status=status, headers=headers)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}/v3/conversations/a%3A1/activities/x"

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()


async def test_json_replies_carry_the_token_and_plain_json() -> None:
    for app_id, expected in (("app-1", "Bearer tok-123"), ("", None)):
        server = _Server([])
        async with server as url, aiohttp.ClientSession() as session:
            await JsonConnector(session).call("POST", url, {"text": "Hei ø"}, _Creds(app_id))
            [(method, headers, body)] = server.seen
            assert method == "POST" and headers.get("Authorization") == expected
            assert headers["Content-Type"].startswith("application/json")
            assert json.loads(body) == {"text": "Hei ø"}


async def test_every_card_goes_out_as_the_bytes_json_dumps_gave() -> None:
    """orjson replaced json.dumps(…, ensure_ascii=False, separators=(",", ":")): the same
    bytes for every card sample, non-ASCII text and non-string keys."""
    from tools.dump_cards import all_cards

    server = _Server([])
    activities = [{"type": "message", "attachments": [{"content": s["card"]}]}
                  for s in all_cards()] + [{"text": "blåbær «ø» 👋", "value": {1: None}}]
    async with server as url, aiohttp.ClientSession() as session:
        for activity in activities:
            await JsonConnector(session).call("POST", url, activity, None)
    assert [body for _, _, body in server.seen] == [
        json.dumps(a, ensure_ascii=False, separators=(",", ":")).encode() for a in activities]


async def test_json_replies_are_retried_on_429_within_the_turn() -> None:
    server = _Server([(429, {"Retry-After": "0"}), (503, {}), (200, {})])
    async with server as url, aiohttp.ClientSession() as session:
        await JsonConnector(session, budget=5.0).call("PUT", url, {}, None)
    assert [m for m, _, _ in server.seen] == ["PUT"] * 3


async def test_json_replies_give_up_with_the_status_and_retry_after() -> None:
    server = _Server([(429, {"Retry-After": "7"})])
    token = RETRY_IN_TURN.set(False)  # the outbox retries durably: one attempt here
    try:
        async with server as url, aiohttp.ClientSession() as session:
            with pytest.raises(ConnectorError) as raised:
                await JsonConnector(session).call("POST", url, {}, None)
    finally:
        RETRY_IN_TURN.reset(token)
    assert (raised.value.status, raised.value.retry_after) == (429, 7.0)
    assert len(server.seen) == 1
    async with aiohttp.ClientSession() as session:
        with pytest.raises(ConnectorError) as raised:
            await JsonConnector(session, budget=0.5).call(
                "POST", "http://127.0.0.1:9/v3/conversations/a/activities", {}, None)
    assert raised.value.status == 0
