"""Which inbound activities were already taken in, so a redelivery is answered once.

On PostgreSQL the memory is in the database, not in the process: Teams may send the retry
to another replica. One row per (conversation, activity id); the insert that creates the
row wins, any later insert of the same pair (a retry, here or on another replica) finds it.

On SQLite the memory is in the process. SQLite serves one process (replicas need
PostgreSQL), and a write on every turn made every turn queue for SQLite's single write
lock: in bench/turns.py (`hjelp`, 10 at once) 35 turns/s with the row against 121 without
it, in the same run.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from datetime import timedelta

from sqlalchemy import DateTime, String, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql

from store.db import Database, rowcount
from store.models import SeenActivity, utcnow

# Teams retries within minutes; a day leaves a wide margin and a small table.
KEEP = timedelta(days=1)
# Prune at most this often per process (one DELETE by the `at` index).
PRUNE_EVERY_SECONDS = 600.0
MAX_ID = 256
# How many activities a process remembers on SQLite (about 0.2 KiB each).
MEMORY_SIZE = 100_000


# One statement, one round trip, outside a transaction block (autocommit): the commit
# need not wait for the disk (synchronous_commit off for this statement's own
# transaction): a row lost in a server crash costs at most one reply given twice, while
# waiting for the flush is paid on every turn. (BEGIN, SET LOCAL, INSERT and COMMIT were
# four round trips.)
_SYNC_OFF = select(func.set_config("synchronous_commit", "off", True).label("off")).cte(
    "sync_off")
_FIRST_TIME = postgresql.insert(SeenActivity).from_select(
    ["conversation_id", "activity_id", "at"],
    select(bindparam("conversation_id", type_=String(512)),
           bindparam("activity_id", type_=String(MAX_ID)),
           bindparam("at", type_=DateTime(timezone=True))).select_from(_SYNC_OFF),
).on_conflict_do_nothing(index_elements=["conversation_id", "activity_id"])


def _key(value: str, limit: int) -> str:
    """Ids longer than the column are kept as a digest (still unique in practice)."""
    if len(value) <= limit:
        return value
    return "h:" + hashlib.blake2b(value.encode("utf-8", "surrogatepass"),
                                  digest_size=32).hexdigest()


class SeenActivities:
    def __init__(self, db: Database, *, remembered: int = MEMORY_SIZE) -> None:
        self._db = db
        self._autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._pruned_at = float("-inf")
        self._size = remembered
        self._memory: OrderedDict[tuple[str, str], float] | None = \
            OrderedDict() if db.is_sqlite else None

    async def first_time(self, conversation_id: str, activity_id: str) -> bool:
        """Record the activity; True when this is the first delivery of it."""
        if self._memory is not None:
            return self._first_in_memory((conversation_id, activity_id))
        now = utcnow()
        values = {"conversation_id": _key(conversation_id, 512),
                  "activity_id": _key(activity_id, MAX_ID), "at": now}
        # a Core connection, not an ORM session: this runs on every turn
        async with self._autocommit.connect() as conn:
            result = await conn.execute(_FIRST_TIME, values)
            if time.monotonic() - self._pruned_at > PRUNE_EVERY_SECONDS:
                self._pruned_at = time.monotonic()
                await conn.execute(delete(SeenActivity).where(
                    SeenActivity.at < now - KEEP))
        return rowcount(result) > 0

    def _first_in_memory(self, key: tuple[str, str]) -> bool:
        """The process's own memory (SQLite): the newest MEMORY_SIZE activities of a day."""
        assert self._memory is not None
        now = time.monotonic()
        seen = self._memory.pop(key, None)
        first = seen is None or now - seen >= KEEP.total_seconds()
        self._memory[key] = now if first or seen is None else seen
        while len(self._memory) > self._size:
            self._memory.popitem(last=False)
        return first

    async def count(self) -> int:
        async with self._db.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(SeenActivity))
                       or 0)
