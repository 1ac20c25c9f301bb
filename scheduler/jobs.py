"""The in-process scheduler (APScheduler 3, AsyncIOScheduler) and the jobs it runs.

Every replica runs one with a memory job store: APScheduler job stores must never be
shared between schedulers, and they need not be, since the outbox rows in the database
are what keeps a reminder from being sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]


def build_scheduler(jobs: dict[str, tuple[Job, float]]) -> AsyncIOScheduler:
    """One interval job per entry (name -> (coroutine function, seconds)), each also run
    once right at start, never overlapping itself, missed runs coalesced."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    for name, (job, seconds) in jobs.items():
        scheduler.add_job(
            _guarded(name, job),
            IntervalTrigger(seconds=seconds),
            id=name,
            name=name,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(seconds)),
        )
    return scheduler


def _guarded(name: str, job: Job) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await job()
        except Exception:  # a failing run is logged; the next interval tries again
            log.exception("scheduled job %s failed", name)

    return run
