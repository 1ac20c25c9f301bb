"""The pooled connector: clients reused per service URL, tokens added off the loop."""

from __future__ import annotations

from types import SimpleNamespace

import aiohttp
from botframework.connector.auth import ClaimsIdentity

from bot.connector import KompisAuthentication, _BearerToken


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
