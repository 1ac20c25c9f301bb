"""Which inbound activities were already taken in, so a redelivery is answered once.

The memory is in the database, not in the process: Teams may send the retry to another
replica. One row per (conversation, activity id); the insert that creates the row wins,
any later insert of the same pair (a retry, here or on another replica) finds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from store.db import Database
from store.models import SeenActivity, utcnow

# Teams retries within minutes; a day leaves a wide margin and a small table.
KEEP = timedelta(days=1)
# Prune at most this often per process (one DELETE by the `at` index).
PRUNE_EVERY_SECONDS = 600.0
MAX_ID = 256


def _key(value: str, limit: int) -> str:
    """Ids longer than the column are kept as a digest (still unique in practice)."""
    if len(value) <= limit:
        return value
    return "h:" + hashlib.blake2b(value.encode("utf-8", "surrogatepass"),
                                  digest_size=32).hexdigest()


class SeenActivities:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._pruned_at = float("-inf")
        # SQLite has one writer at a time, and a connection that finds the lock taken
        # sleeps in growing steps (up to 100 ms): concurrent turns of this process take
        # turns here instead, in order (measured in bench/turns.py).
        self._one_writer = asyncio.Lock() if db.is_sqlite else None

    async def first_time(self, conversation_id: str, activity_id: str) -> bool:
        """Record the activity; True when this is the first delivery of it."""
        now = utcnow()
        values = {"conversation_id": _key(conversation_id, 512),
                  "activity_id": _key(activity_id, MAX_ID), "at": now}
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(SeenActivity).values(**values).on_conflict_do_nothing(
            index_elements=["conversation_id", "activity_id"])
        # a Core connection, not an ORM session: this runs on every turn
        async with self._one_writer or contextlib.nullcontext(), \
                self._db.engine.begin() as conn:
            result = await conn.execute(stmt)
            if time.monotonic() - self._pruned_at > PRUNE_EVERY_SECONDS:
                self._pruned_at = time.monotonic()
                await conn.execute(delete(SeenActivity).where(
                    SeenActivity.at < now - KEEP))
        return bool(result.rowcount)

    async def count(self) -> int:
        async with self._db.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(SeenActivity))
                       or 0)
