"""Outbound calls to the Bot Connector over one pooled aiohttp session.

The stock connector client sends through msrest's requests sender in a thread pool and
opens a new TCP connection per reply. Here every ConnectorClient the adapter creates
keeps its credentials and operations but sends through a shared keep-alive session.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    ClaimsIdentity,
    ConnectorFactory,
)
from msrest.pipeline import AsyncHTTPPolicy, AsyncPipeline
from msrest.pipeline.aiohttp import AioHTTPSender
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import ClientRequest
from msrest.universal_http.aiohttp import AioHttpClientResponse
from msrest.universal_http.async_abc import AsyncHTTPSender


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


class _BearerToken(AsyncHTTPPolicy):
    """Adds the bot's token; msal is synchronous, so it runs off the event loop."""

    def __init__(self, credentials: Any) -> None:
        super().__init__()
        self._credentials = credentials

    async def send(self, request: Any, **kwargs: Any) -> Any:
        creds = self._credentials
        if creds is not None and creds._should_set_token(None):
            token = await asyncio.to_thread(creds.get_access_token)
            request.http_request.headers["Authorization"] = f"Bearer {token}"
        return await self.next.send(request, **kwargs)


class PooledConnectorFactory(ConnectorFactory):
    """Wraps botbuilder's factory: same credentials and audience, pooled transport."""

    def __init__(self, inner: ConnectorFactory, session: aiohttp.ClientSession) -> None:
        self._inner = inner
        self._session = session

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        client = await self._inner.create(service_url, audience)
        config = client.config
        config.pipeline = AsyncPipeline(
            [
                config.user_agent_policy,
                _BearerToken(config.credentials),
                RawDeserializer(),
                config.http_logger_policy,
            ],
            AioHTTPSender(_SharedSessionDriver(self._session)),
        )
        return client


class KompisAuthentication(ConfigurationBotFrameworkAuthentication):
    """botbuilder's configuration auth, handing out pooled connector factories."""

    def __init__(self, configuration: Any, session: aiohttp.ClientSession) -> None:
        super().__init__(configuration)
        self._session = session

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = PooledConnectorFactory(
                result.connector_factory, self._session
            )
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return PooledConnectorFactory(
            super().create_connector_factory(claims_identity), self._session
        )
