"""Fixtures: a recording connector, a running Kompis on SQLite (and PostgreSQL when
TEST_DATABASE_URL is set), and a Teams-shaped client posting to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.support.connector import RecordingConnector
from tests.support.server import PG_URL, DbTarget, RunningKompis, db_target, isolated_settings
from tests.support.teams import TeamsClient

DATABASES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(params=DATABASES)
async def target(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[DbTarget]:
    async with db_target(request.param, tmp_path) as found:
        yield found


@pytest.fixture
async def connector() -> AsyncIterator[RecordingConnector]:
    recording = RecordingConnector()
    await recording.start()
    yield recording
    await recording.stop()


@pytest.fixture
async def kompis(target: DbTarget) -> AsyncIterator[RunningKompis]:
    server = RunningKompis(target, isolated_settings(target))
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def teams(http: aiohttp.ClientSession, kompis: RunningKompis,
          connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, lambda: kompis.messages_url, connector.url)
