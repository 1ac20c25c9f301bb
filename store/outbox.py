"""The outbox: proactive messages written before they are sent, claimed by one sender.

Rows are unique per dedupe key, so computing the same due reminders again (after a
restart, or on a second replica) inserts nothing. A sender claims rows with a lease:
`FOR UPDATE SKIP LOCKED` on PostgreSQL, a single atomic UPDATE on SQLite; a row whose
lease ran out (its sender died) can be claimed again; a live sender renews the leases of
the rows it is still sending (`extend`), so a slow send is not taken over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from store.db import Database, rowcount
from store.models import OutboxMessage, utcnow

PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"


@dataclass(frozen=True)
class NewMessage:
    dedupe_key: str
    conversation_id: str
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Claimed:
    id: int
    dedupe_key: str
    conversation_id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    was_started: bool = False


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, messages: list[NewMessage]) -> int:
        """Insert what is not there yet; returns how many rows were new."""
        if not messages:
            return 0
        now = utcnow()
        rows = [
            {
                "dedupe_key": m.dedupe_key,
                "conversation_id": m.conversation_id,
                "kind": m.kind,
                "payload": m.payload,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for m in messages
        ]
        dialect = sqlite if self._db.is_sqlite else postgresql
        inserted = 0
        async with self._db.transaction() as session:
            for start in range(0, len(rows), 500):
                stmt = (
                    dialect.insert(OutboxMessage)
                    .values(rows[start:start + 500])
                    .on_conflict_do_nothing(index_elements=["dedupe_key"])
                    .returning(OutboxMessage.id)
                )
                inserted += len((await session.execute(stmt)).all())
        return inserted

    async def claim(self, worker: str, *, limit: int, lease: timedelta,
                    now: datetime | None = None) -> list[Claimed]:
        """Take up to `limit` due rows for `worker`; no two workers get the same row."""
        now = now or utcnow()
        due = or_(
            and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
            and_(OutboxMessage.status == SENDING, OutboxMessage.claimed_until < now),
        )
        picked = (
            select(OutboxMessage.id)
            .where(due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        stmt = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(picked))
            .values(status=SENDING, claimed_by=worker, claimed_until=now + lease,
                    attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id, OutboxMessage.dedupe_key,
                       OutboxMessage.conversation_id, OutboxMessage.kind,
                       OutboxMessage.payload, OutboxMessage.attempts,
                       OutboxMessage.started_at)
            .execution_options(synchronize_session=False)
        )
        async with self._db.transaction() as session:
            rows = (await session.execute(stmt)).all()
        return sorted((Claimed(row[0], row[1], row[2], row[3], row[4], row[5],
                               was_started=row[6] is not None) for row in rows),
                      key=lambda c: c.id)

    async def extend(self, claims: Sequence[tuple[int, int]], worker: str,
                     until: datetime) -> int:
        """Renew the lease of claims (id, attempt) `worker` still holds, while their sends
        are under way: a send slower than the lease is not taken over by another sender
        (or by this one's next run) and posted twice. Returns how many were renewed."""
        if not claims:
            return 0
        async with self._db.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(tuple_(OutboxMessage.id, OutboxMessage.attempts).in_(list(claims)),
                       OutboxMessage.claimed_by == worker, OutboxMessage.status == SENDING)
                .values(claimed_until=until)
            )
            return rowcount(result)

    async def started(self, message_id: int, worker: str, attempt: int) -> bool:
        """Mark the send as begun; False when this claim was lost: the lease ran out and
        another sender, or this same one in a later claim (`attempt` counts claims), has
        the row now. Without the attempt, a sender whose row waited out its lease in the
        rate limiter and was claimed again by its own next run would send it twice."""
        async with self._db.transaction() as session:
            result = await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
                       OutboxMessage.attempts == attempt, OutboxMessage.status == SENDING)
                .values(started_at=utcnow())
            )
            return rowcount(result) == 1

    async def uncertain(self) -> list[int]:
        """Rows whose send began but was never answered (their sender died mid-call)."""
        async with self._db.sessions() as session:
            rows = await session.scalars(
                select(OutboxMessage.id).where(OutboxMessage.status == SENDING,
                                               OutboxMessage.started_at.is_not(None))
            )
            return list(rows)

    async def delivered(self, message_id: int, worker: str) -> None:
        await self._finish(message_id, worker, status=DELIVERED, delivered_at=utcnow(),
                           claimed_until=None, last_error=None)

    async def retry(self, message_id: int, worker: str, at: datetime, error: str) -> None:
        """Back to pending; the failed call was answered, so nothing is in doubt."""
        await self._finish(message_id, worker, status=PENDING, next_attempt_at=at,
                           claimed_until=None, started_at=None, last_error=error[:500])

    async def failed(self, message_id: int, worker: str, error: str) -> None:
        await self._finish(message_id, worker, status=FAILED, claimed_until=None,
                           last_error=error[:500])

    async def _finish(self, message_id: int, worker: str, **values: Any) -> None:
        async with self._db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
                       OutboxMessage.status == SENDING)
                .values(**values)
            )

    async def counts(self) -> dict[str, int]:
        """Rows per status, for operators and tests."""
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            )
            return {status: int(n) for status, n in rows}

    async def pending_count(self) -> int:
        counts = await self.counts()
        return counts.get(PENDING, 0) + counts.get(SENDING, 0)
