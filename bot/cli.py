"""Command-line work that needs the whole composition (database, wheel, sender)."""

from __future__ import annotations

from datetime import datetime

import aiohttp
from botbuilder.integration.aiohttp import CloudAdapter

from bot.config import Settings
from bot.connector import KompisAuthentication
from bot.proactive import BotProactiveSender
from dialogs.services import Services
from domain.wheel.loader import WheelSource
from scheduler.delivery import Deliverer
from scheduler.reminders import PlanResult, ReminderPlanner
from store.db import Database


async def due_once(at: datetime, *, send: bool,
                   settings: Settings | None = None) -> tuple[PlanResult, int]:
    """Plan the reminders due at `at`; with `send`, write them to the outbox and deliver."""
    settings = settings or Settings()
    db = Database(settings.database_url, schema=settings.database_schema or None)
    try:
        await db.migrate()
        services = Services.from_database(db, public_url=settings.public_url)
        planner = ReminderPlanner(
            WheelSource(settings.wheel_file), subscriptions=services.subscriptions,
            conversations=services.conversations, outbox=services.outbox,
            reports=services.reports, channels=services.channels)
        plan = await planner.plan(at, write=send)
        delivered = 0
        if send:
            async with aiohttp.ClientSession() as session:
                auth = KompisAuthentication(settings.bot_framework_config(), session)
                sender = BotProactiveSender(CloudAdapter(auth), settings.app_id)
                deliverer = Deliverer(services.outbox, services.conversations,
                                      services.subscriptions, sender, worker="cli")
                delivered = (await deliverer.drain(max_seconds=120)).delivered
        return plan, delivered
    finally:
        await db.dispose()
