"""Command-line work that needs the whole runtime (database, wheel, sender)."""

from __future__ import annotations

from datetime import datetime

from bot import compose
from bot.config import Settings
from scheduler.reminders import PlanResult


async def due_once(at: datetime, *, send: bool,
                   settings: Settings | None = None) -> tuple[PlanResult, int]:
    """Plan the reminders due at `at`; with `send`, write them to the outbox and deliver."""
    settings = settings or Settings()
    db = compose.database(settings)
    try:
        await db.migrate()
        runtime = await compose.compose(settings, db=db)
        try:
            plan = await runtime.planner.plan(at, write=send)
            delivered = 0
            if send:
                delivered = (await runtime.deliverer.drain(max_seconds=120)).delivered
            return plan, delivered
        finally:
            await compose.close(runtime)
    finally:
        await db.dispose()
