"""Start the real Kompis aiohttp app on a free loopback port, against a test database."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import RUNTIME, create_app
from bot.compose import Runtime
from bot.config import Settings
from dialogs.services import Services
from domain.clock import Clock
from store.db import Database

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
# The wheel moved ten years ahead: a scheduler running in a test finds nothing due.
FUTURE_WHEEL = Path(__file__).resolve().parents[1] / "data" / "arshjul-fremtid.yaml"


@dataclass(frozen=True)
class DbTarget:
    """Where a test's data lives: a SQLite file, or its own schema in PostgreSQL."""

    url: str
    schema: str | None = None

    def database(self) -> Database:
        return Database(self.url, schema=self.schema, pool_size=5)


@asynccontextmanager
async def db_target(kind: str, tmp_path: Path) -> AsyncIterator[DbTarget]:
    if kind == "sqlite":
        yield DbTarget(f"sqlite+aiosqlite:///{tmp_path / 'kompis.db'}")
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = Settings(DATABASE_URL=PG_URL).database_url  # normalizes to the asyncpg driver
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield DbTarget(url, schema)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def isolated_settings(target: DbTarget, **overrides: Any) -> Settings:
    """Settings isolated from the developer's .env and environment."""
    values: dict[str, Any] = {
        "app_id": "",
        "app_password": "",
        "database_url": target.url,
        "allowed_tenants": frozenset(),
        "host": "127.0.0.1",
        "port": 0,
        "scheduler_enabled": False,  # tests that want it turn it on
        "wheel_file": FUTURE_WHEEL,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class RunningKompis:
    """One running server; `restart()` stops it and starts a fresh process-equivalent."""

    def __init__(self, target: DbTarget, settings: Settings) -> None:
        self.target = target
        self.settings = settings
        self.clock = Clock()  # tests move it with `kompis.clock.set(moment)`
        self.app: web.Application | None = None
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> RunningKompis:
        self.app = create_app(self.settings, database=self.target.database(), clock=self.clock)
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=5)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def messages_url(self) -> str:
        return self.url + "/api/messages"

    @property
    def runtime(self) -> Runtime:
        """What the running app was composed of (repositories, features, outbox sender)."""
        assert self.app is not None, "the server is not running"
        return self.app[RUNTIME]

    @property
    def services(self) -> Services:
        return self.runtime.services


@asynccontextmanager
async def kompis_at(target: DbTarget, moment: datetime | None = None,
                    **overrides: Any) -> AsyncIterator[RunningKompis]:
    """A running Kompis on the real annual wheel, its clock fixed at `moment` (Oslo)."""
    from domain.wheel.loader import WHEEL_FILE

    overrides.setdefault("wheel_file", WHEEL_FILE)
    server = RunningKompis(target, isolated_settings(target, **overrides))
    if moment is not None:
        server.clock.set(moment)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
