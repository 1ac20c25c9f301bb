"""Outbound calls to the Bot Connector: reused clients over one pooled aiohttp session.

Measured here (bench/turns.py, profiled): the stock path builds a new ConnectorClient
and a new UserTokenClient on every turn, and each build spends about 12 ms of CPU in
msrest's retry-policy set-up (a quadratic list of status codes); it then sends through
msrest's requests sender in a thread pool with a new TCP connection per reply. Here the
clients are built once per service URL and send through a shared keep-alive session.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import random
from typing import Any, cast

import aiohttp
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncHTTPPolicy, AsyncPipeline
from msrest.pipeline.aiohttp import AioHTTPSender
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse
from msrest.universal_http.aiohttp import AioHTTPSender as AioHttpDriver
from msrest.universal_http.async_abc import AsyncHTTPSender

from bot.wire import to_json

log = logging.getLogger(__name__)


class _SharedSessionDriver(AsyncHTTPSender):
    """msrest transport over a session the app owns (it outlives every client)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> _SharedSessionDriver:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def send(self, request: ClientRequest, **config: Any) -> AioHttpClientResponse:
        raw = await self._session.request(
            request.method, request.url, headers=request.headers, data=request.data
        )
        response = AioHttpClientResponse(request, raw)
        await response.load_body()
        return response


class _Policy(AsyncHTTPPolicy):
    """A step of the pipeline that hands the request on to the next one."""

    async def _forward(self, request: Any, **kwargs: Any) -> Any:
        if self.next is None:
            raise RuntimeError("the policy is not in a pipeline")
        return await self.next.send(request, **kwargs)


class _BearerToken(_Policy):
    """Adds the bot's token; msal is synchronous, so it runs off the event loop."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials

    async def send(self, request: Any, **kwargs: Any) -> Any:
        creds = self._credentials
        if creds is not None and creds._should_set_token(None):
            token = await asyncio.to_thread(creds.get_access_token)
            request.http_request.headers["Authorization"] = f"Bearer {token}"
        return await self._forward(request, **kwargs)


MAX_CACHED_CLIENTS = 256  # one per service URL and audience; Teams uses a handful


def _app_key(claims_identity: ClaimsIdentity | None) -> tuple[str, ...]:
    """The claims that decide which credentials a client gets (empty when anonymous)."""
    claims = (claims_identity.claims if claims_identity else None) or {}
    return tuple(str(claims.get(k, "")) for k in ("aud", "appid", "azp", "ver"))


RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
# Proactive sends set this: the outbox retries them durably, across restarts.
RETRY_IN_TURN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "kompis_retry_in_turn", default=True
)
REPLY_BUDGET_SECONDS = 10.0  # a turn's replies give up after this, all attempts included
MAX_RETRY_WAIT = 4.0


class _RetryWithinBudget(_Policy):
    """Retries a connector call on throttling, server errors and timeouts, with backoff
    and jitter and honouring Retry-After, as long as the turn's budget allows."""

    def __init__(self, budget: float = REPLY_BUDGET_SECONDS) -> None:
        super().__init__()
        self._budget = budget

    async def send(self, request: Any, **kwargs: Any) -> Any:
        if not RETRY_IN_TURN.get():
            return await self._forward(request, **kwargs)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._budget
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - loop.time()
            try:
                # one hung call may use a third of the budget, leaving room to retry
                async with asyncio.timeout(max(0.1, min(remaining, self._budget / 3))):
                    response = await self._forward(request, **kwargs)
                status = response.http_response.status_code
                if status not in RETRY_STATUSES:
                    return response
                wait = _retry_after(response.http_response.headers)
                failure: BaseException | None = None
            except (TimeoutError, aiohttp.ClientError) as exc:
                response, wait, failure = None, None, exc
            wait = wait if wait is not None else random.uniform(0, min(MAX_RETRY_WAIT,
                                                                       0.1 * 2 ** attempt))
            if loop.time() + wait >= deadline:
                if failure is not None:
                    raise ClientRequestError(f"connector unreachable: {failure!r}") from failure
                return response  # the last answer; the operation raises it as an error
            log.info("connector answered %s, retry %d in %.2f s",
                     type(failure).__name__ if failure else status, attempt, wait)
            await asyncio.sleep(wait)


class ConnectorError(Exception):
    """A connector call that failed for good: the last status (0 when the connector could
    not be reached at all) and its Retry-After, if any."""

    def __init__(self, status: int, retry_after: float | None = None, detail: str = "") -> None:
        super().__init__(f"connector answered {status}: {detail}" if status
                         else f"connector unreachable: {detail}")
        self.status = status
        self.retry_after = retry_after


OK_STATUSES = frozenset({200, 201, 202})  # what msrest accepts from the activity routes


class JsonConnector:
    """Posts Kompis's activities as plain JSON through the pooled session: the bot's
    bearer token, retries within the turn's budget (429 with Retry-After, 412, 5xx,
    timeouts; none when RETRY_IN_TURN is off) and a ConnectorError when it gives up, as
    the msrest pipeline above does for botbuilder's own calls."""

    def __init__(self, session: aiohttp.ClientSession,
                 budget: float = REPLY_BUDGET_SECONDS) -> None:
        self._session = session
        self._budget = budget

    async def call(self, method: str, url: str, activity: dict[str, Any],
                   credentials: Any) -> Any:
        """Send `activity` (or any JSON body); the connector's JSON answer (None when it
        sent none, or no JSON)."""
        data = to_json(activity)
        if not RETRY_IN_TURN.get():
            status, headers, failure, body = await self._once(method, url, data, credentials,
                                                              None)
            self._check(status, headers, failure)
            return _json(body)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._budget
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline - loop.time()
            # one hung call may use a third of the budget, leaving room to retry
            timeout = max(0.1, min(remaining, self._budget / 3))
            status, headers, failure, body = await self._once(method, url, data, credentials,
                                                              timeout)
            if failure is None and status not in RETRY_STATUSES:
                self._check(status, headers, None)
                return _json(body)
            wait = _retry_after(headers) if failure is None else None
            wait = wait if wait is not None else random.uniform(0, min(MAX_RETRY_WAIT,
                                                                       0.1 * 2 ** attempt))
            if loop.time() + wait >= deadline:
                self._check(status, headers, failure)
                return _json(body)
            log.info("connector answered %s, retry %d in %.2f s",
                     type(failure).__name__ if failure else status, attempt, wait)
            await asyncio.sleep(wait)

    async def _once(self, method: str, url: str, data: bytes, credentials: Any,
                    limit: float | None) -> tuple[int, Any, BaseException | None, bytes]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if credentials is not None and credentials._should_set_token(None):
            token = await asyncio.to_thread(credentials.get_access_token)
            headers["Authorization"] = f"Bearer {token}"
        try:
            async with asyncio.timeout(limit):
                async with self._session.request(method, url, data=data,
                                                  headers=headers) as response:
                    body = await response.read()
                    return response.status, response.headers, None, body
        except (TimeoutError, aiohttp.ClientError) as exc:
            return 0, None, exc, b""

    @staticmethod
    def _check(status: int, headers: Any, failure: BaseException | None) -> None:
        if failure is not None:
            raise ConnectorError(0, None, repr(failure)) from failure
        if status not in OK_STATUSES:
            raise ConnectorError(status, _retry_after(headers), "the activity was refused")


def _json(body: bytes) -> Any:
    """The connector's answer as JSON, or None (an empty body, or not JSON)."""
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to the backoff


class PooledConnectorFactory(ConnectorFactory):
    """Wraps botbuilder's factory: same credentials and audience, cached client, pooled
    transport."""

    def __init__(
        self,
        inner: ConnectorFactory,
        session: aiohttp.ClientSession,
        cache: dict[tuple[str, ...], ConnectorClient],
        app_key: tuple[str, ...],
        reply_budget: float = REPLY_BUDGET_SECONDS,
    ) -> None:
        self._inner = inner
        self._session = session
        self._reply_budget = reply_budget
        self._cache = cache
        self._app_key = app_key

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience or "", *self._app_key)
        client = self._cache.get(key)
        if client is None:
            client = await self._build(service_url, audience)
            if len(self._cache) >= MAX_CACHED_CLIENTS:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = client
        return client

    async def _build(self, service_url: str, audience: str | None) -> ConnectorClient:
        client = await self._inner.create(service_url, audience)
        config = client.config
        config.pipeline = AsyncPipeline(
            [
                config.user_agent_policy,
                _RetryWithinBudget(self._reply_budget),
                _BearerToken(config.credentials),
                RawDeserializer(),
                config.http_logger_policy,
            ],
            # msrest annotates the driver as its own AioHTTPSender; any AsyncHTTPSender works
            AioHTTPSender(cast(AioHttpDriver, _SharedSessionDriver(self._session))),
        )
        return client


class KompisAuthentication(ConfigurationBotFrameworkAuthentication):
    """botbuilder's configuration auth, handing out pooled connector factories."""

    def __init__(
        self, configuration: Any, session: aiohttp.ClientSession, *, pooled: bool = True,
        reply_budget: float = REPLY_BUDGET_SECONDS,
    ) -> None:
        super().__init__(configuration)
        self._session = session
        self._reply_budget = reply_budget
        self._pooled = pooled
        self._clients: dict[tuple[str, ...], ConnectorClient] = {}
        self._token_clients: dict[tuple[str, ...], UserTokenClient] = {}

    @property
    def pooled(self) -> bool:
        """False in the stock connector mode (botbuilder's own clients and sender)."""
        return self._pooled

    @property
    def session(self) -> aiohttp.ClientSession:
        """The pooled session every outbound call shares."""
        return self._session

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if self._pooled and result.connector_factory is not None:
            result.connector_factory = self._wrap(
                result.connector_factory, result.claims_identity
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        factory = super().create_connector_factory(claims_identity)
        return self._wrap(factory, claims_identity) if self._pooled else factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """Built once per app identity: Kompis uses no OAuth cards, yet the adapter asks
        for one on every turn."""
        if not self._pooled:
            return await super().create_user_token_client(claims_identity)
        key = _app_key(claims_identity)
        client = self._token_clients.get(key)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            self._token_clients[key] = client
        return client

    def _wrap(self, factory: ConnectorFactory, claims: ClaimsIdentity | None) -> ConnectorFactory:
        return PooledConnectorFactory(factory, self._session, self._clients, _app_key(claims),
                                      self._reply_budget)
