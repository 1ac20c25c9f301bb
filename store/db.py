"""The database handle: engine, sessions, health check and migrations on start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Result, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed number works; replicas that start together take turns migrating under it.
_MIGRATION_LOCK = 7_164_205
PING_SECONDS = 3.0
# PostgreSQL: how long one statement may take, and a new connection. Teams waits about
# 15 s for a turn; a network that silently drops packets would otherwise hold the turn
# (and its pooled connection) for as long as the connection stays open.
QUERY_SECONDS = 5.0
CONNECT_SECONDS = 5.0
# SQLite: how long one statement waits for a lock another connection holds (a writer in
# another process, a backup, an operator's sqlite3 shell). A turn ends at its first
# failed statement with "prøv igjen om litt", so this keeps a locked file's turn well
# inside Teams' ~15 s; the pool waits no longer than that for a free connection either.
BUSY_SECONDS = 3.0
# /readyz: a write (rolled back) must get through within this.
WRITE_PROBE_SECONDS = 5.0


class Database:
    """One engine per process; repositories borrow sessions from it."""

    def __init__(self, url: str, *, schema: str | None = None, pool_size: int = 10) -> None:
        self.url = make_url(url)
        self.schema = schema
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": BUSY_SECONDS}
            if self.url.database and self.url.database != ":memory:":
                kwargs["pool_timeout"] = BUSY_SECONDS  # a queue pool (:memory: has none)
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800)
            settings = {"application_name": "kompis"}
            if schema:
                settings["search_path"] = schema
            kwargs["connect_args"] = {"server_settings": settings, "timeout": CONNECT_SECONDS,
                                      "command_timeout": QUERY_SECONDS}
        self._connect_args: dict[str, Any] = kwargs["connect_args"]
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on any error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        """True when a trivial query answers within PING_SECONDS."""
        try:
            async with asyncio.timeout(PING_SECONDS), self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # any driver error means "not reachable" to a health check
            log.warning("database ping failed: %s", type(exc).__name__)
            return False

    async def writable(self) -> bool:
        """True when a write gets through: takes the write lock (SQLite) or a row lock
        (PostgreSQL; refused on a read-only server) on the schema version row, then rolls
        back. SELECT 1 answers on a locked SQLite file or a read-only replica; this does not."""
        try:
            async with asyncio.timeout(WRITE_PROBE_SECONDS), self.engine.connect() as conn:
                transaction = await conn.begin()
                try:
                    await conn.execute(text(
                        "UPDATE alembic_version SET version_num = version_num"))
                finally:
                    await transaction.rollback()
            return True
        except Exception as exc:  # any failure means "cannot write" to a readiness check
            log.warning("database write probe failed: %s", type(exc).__name__)
            return False

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe with replicas starting at once)."""
        if self.is_sqlite:
            async with self.engine.begin() as conn:
                await conn.run_sync(_upgrade)
            return
        # Its own connection without QUERY_SECONDS: a migration, or waiting for another
        # replica's migration under the lock, may rightly take longer than a turn's query.
        engine = create_async_engine(self.url, poolclass=NullPool, connect_args={
            **self._connect_args, "command_timeout": None})
        try:
            async with engine.begin() as conn:
                await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
                await conn.run_sync(_upgrade)
        finally:
            await engine.dispose()

    async def dispose(self) -> None:
        await self.engine.dispose()


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE touched (its result is a CursorResult)."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count on {type(result).__name__}")
    return result.rowcount


def _upgrade(connection: Connection) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, "head")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL lets readers work beside a writer; foreign keys are off by default in SQLite."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
    cur.close()
