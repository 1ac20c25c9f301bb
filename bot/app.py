"""The aiohttp application: /api/messages through botbuilder's CloudAdapter, /healthz.

The edge decides status codes itself: malformed input is a 4xx before anything is
read or stored, a missing or bad token a 401 (the stock path answers 500 to a
malformed bearer token), and no stack trace ever leaves the process.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import ClientRequestError, DeserializationError, HttpOperationError

from bot import envelope
from bot.config import Settings
from bot.connector import KompisAuthentication
from bot.handler import KompisBot, answer_invoke
from bot.members import ConnectorMembers
from bot.proactive import BotProactiveSender
from dialogs import texts
from dialogs.answers import AnswerChat, argument_words
from dialogs.coordinator import CoordinatorTools
from dialogs.glossary import GlossaryChat
from dialogs.needs import NeedsFlow
from dialogs.reminders import Reminders
from dialogs.roles import Roles
from dialogs.router import Router
from dialogs.services import ContentNetworks, Services
from dialogs.wheel import WheelCommands
from domain.answers.engine import Answerer
from domain.answers.loader import load_answers
from domain.glossary.loader import load_criteria, load_glossary
from domain.glossary.matcher import Matcher
from domain.needs.catalog import load_schemes
from domain.networks import load_networks
from domain.wheel.ical import to_ics
from domain.wheel.loader import WheelSource
from domain.wheel.models import AUDIENCES
from scheduler.delivery import Deliverer, DeliveryPolicy
from scheduler.jobs import build_scheduler
from scheduler.reminders import ReminderPlanner
from store.db import Database
from store.outbox import NewMessage, OutboxRepository

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", "Runtime")
SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
OUTBOUND_TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)


@dataclass
class Runtime:
    """What lives as long as the server: built on startup, closed on cleanup."""

    session: aiohttp.ClientSession
    adapter: CloudAdapter
    bot: KompisBot
    router: Router
    services: Services
    deliverer: Deliverer
    planner: ReminderPlanner
    coordinator: CoordinatorTools
    scheduler: AsyncIOScheduler | None = None


def create_app(settings: Settings, *, database: Database | None = None) -> web.Application:
    """The application; pass `database` to share one (tests, benchmarks)."""
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[DATABASE] = database or Database(
        settings.database_url, schema=settings.database_schema or None
    )
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/calendar/{name}.ics", calendar)
    app.router.add_get("/eksport/{export_id}.xlsx", export_download)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


def build_router(services: Services) -> Router:
    """Every feature's commands and card actions (services.wheel must be loaded)."""
    return build_features(services)[0]


def build_features(services: Services) -> tuple[Router, CoordinatorTools]:
    """The router, and the coordinator tools that also serve export downloads."""
    assert services.wheel is not None
    router = Router(is_staff=services.is_staff)
    Reminders(services).register(router)
    Roles(services).register(router)
    WheelCommands(services, services.wheel).register(router)
    glossary = load_glossary()
    matcher = Matcher(glossary, load_criteria(glossary=glossary))
    # Spør Kompis: the question engine answers free text; the matcher is one part of it
    answers = AnswerChat(services, Answerer(load_answers(glossary=glossary), matcher,
                                            arguments=argument_words()))
    GlossaryChat(services, matcher, answers).register(router)
    schemes, networks = load_schemes(), load_networks()
    needs = NeedsFlow(services, schemes, networks)
    needs.register(router)
    tools = CoordinatorTools(services, schemes, networks, own_reports=needs.mine)
    tools.register(router)
    return router, tools


async def _start(app: web.Application) -> None:
    settings, db = app[SETTINGS], app[DATABASE]
    await db.migrate()
    session = aiohttp.ClientSession(
        timeout=OUTBOUND_TIMEOUT,
        connector=aiohttp.TCPConnector(limit=100, limit_per_host=50, keepalive_timeout=30),
    )
    auth = KompisAuthentication(
        settings.bot_framework_config(), session, pooled=settings.connector_pool,
        reply_budget=settings.reply_budget_seconds,
    )
    adapter = CloudAdapter(auth)
    services = Services.from_database(db, public_url=settings.public_url,
                                      admins=settings.admins)
    services.link_secret = settings.link_secret()
    services.export_minutes = settings.export_link_minutes
    services.wheel = WheelSource(settings.wheel_file)
    services.networks = ContentNetworks(load_networks())
    adapter.on_turn_error = _turn_error_handler(services.outbox)
    services.members = ConnectorMembers(auth, settings.app_id, services.conversations)
    router, coordinator = build_features(services)
    planner = ReminderPlanner(
        services.wheel, subscriptions=services.subscriptions,
        conversations=services.conversations, outbox=services.outbox,
        reports=services.reports, channels=services.channels,
        roles=services.roles, admins=services.admins, admin_upns=services.admin_upns,
        people=services.people,
        start_report=router.commands.find("meld behov") is not None,
    )
    bot = KompisBot(settings, router, services.conversations)
    deliverer = Deliverer(
        services.outbox, services.conversations, services.subscriptions,
        BotProactiveSender(adapter, settings.app_id),
        worker=f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}",
        policy=DeliveryPolicy(lease=timedelta(seconds=settings.outbox_lease_seconds)),
    )
    runtime = Runtime(session, adapter, bot, router, services, deliverer, planner, coordinator)

    async def due_check() -> None:
        await planner.plan(services.now())
        await deliverer.run_once()

    if settings.scheduler_enabled:
        runtime.scheduler = build_scheduler({
            "due": (due_check, settings.due_interval_seconds),
            "outbox": (deliverer.run_once, settings.outbox_interval_seconds),
        })
        runtime.scheduler.start()
    app[RUNTIME] = runtime
    mode = "lokal utviklingsmodus (uten autentisering)" if settings.local_mode else "Azure Bot"
    log.info("Kompis klar: %s, database %s", mode, db.url.get_backend_name())


async def _stop(app: web.Application) -> None:
    runtime = app.get(RUNTIME)
    if runtime is not None:
        if runtime.scheduler is not None:
            runtime.scheduler.shutdown(wait=False)
        await runtime.session.close()
    await app[DATABASE].dispose()


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def messages(request: web.Request) -> web.Response:
    """POST /api/messages: validate, authenticate, run the turn, answer as Teams expects."""
    if request.content_type != "application/json":
        return _error(415, "Content-Type must be application/json")
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "request body too large")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(400, "body is not valid JSON")
    reason = envelope.problems(body)
    if reason:
        return _error(400, reason)
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError):
        return _error(400, "activity has fields of the wrong type")

    runtime = request.app[RUNTIME]
    auth_header = request.headers.get("Authorization", "")
    try:
        auth = await runtime.adapter.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
    except Exception as exc:  # any failure to authenticate is the caller's 401
        log.warning("unauthorized request: %s", type(exc).__name__)
        return _error(401, "unauthorized")

    invoke_response = await runtime.adapter.process_activity(auth, activity, runtime.bot.on_turn)
    if invoke_response is None:
        return web.Response(status=201)
    return web.json_response(_serialize(invoke_response.body), status=invoke_response.status)


def _serialize(body: Any) -> Any:
    """Serialize an invoke body exactly once (msrest models or plain JSON values)."""
    if hasattr(body, "serialize"):
        return body.serialize()
    return json.loads(json.dumps(body, default=str)) if body is not None else None


async def calendar(request: web.Request) -> web.Response:
    """GET /calendar/arshjul.ics (everything) or /calendar/<audience>.ics."""
    name = request.match_info["name"]
    audience = None if name == "arshjul" else name
    if audience is not None and audience not in AUDIENCES:
        return _error(404, "unknown calendar")
    wheel = request.app[RUNTIME].services.wheel
    body = to_ics(wheel.wheel, audience)
    return web.Response(body=body, content_type="text/calendar", charset="utf-8",
                        headers={"Cache-Control": "public, max-age=900"})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def export_download(request: web.Request) -> web.Response:
    """GET /eksport/<id>.xlsx?utloper=…&sig=…: the compiled needs report of one network."""
    result = await request.app[RUNTIME].coordinator.download(request.match_info["export_id"],
                                  request.query.get("utloper", ""), request.query.get("sig", ""))
    if result.status != 200:
        return web.Response(status=result.status, text=f"Kompis: {result.reason}.",
                            headers={"Cache-Control": "no-store"})
    return web.Response(body=result.body, content_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{result.filename}"',
        "Cache-Control": "no-store"})


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers, 503 while it does not (load balancers read this)."""
    if await request.app[DATABASE].ping():
        return web.json_response({"status": "ok", "database": "ok"})
    return web.json_response({"status": "degraded", "database": "unreachable"}, status=503)


def _turn_error_handler(outbox: OutboxRepository) -> Callable[[TurnContext, Exception],
                                                               Awaitable[None]]:
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        """Log with a trace id; tell the person in Norwegian, never with a stack trace.

        When the reply itself could not be delivered (the connector kept failing), the
        apology goes through the outbox, which keeps trying after the turn has ended.
        """
        trace_id = uuid.uuid4().hex[:12]
        activity = turn_context.activity
        unreachable = isinstance(error, HttpOperationError | ClientRequestError)
        log.error(
            "turn failed trace_id=%s type=%s conversation_type=%s reply_undelivered=%s",
            trace_id,
            activity.type,
            getattr(activity.conversation, "conversation_type", None),
            unreachable,
            exc_info=error,
        )
        if activity.type not in (ActivityTypes.message, ActivityTypes.invoke):
            return
        text = (texts.REPLY_UNDELIVERED if unreachable else texts.TURN_FAILED).format(
            trace_id=trace_id)
        if activity.type == ActivityTypes.invoke:
            # The answer to the press itself: without one the adapter answers 501 with no
            # body, and Teams shows its own error on the card instead of ours.
            await answer_invoke(turn_context, message=text)
            return
        if unreachable and activity.conversation is not None:
            await outbox.enqueue([NewMessage(f"reply-failed|{trace_id}", activity.conversation.id,
                                             "notice", {"text": text})])
            return
        try:
            await turn_context.send_activity(text)
        except Exception as exc:  # the connector itself may be what failed
            log.error("could not tell the user about trace_id=%s: %s", trace_id, exc)

    return on_turn_error
