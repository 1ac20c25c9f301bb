"""The aiohttp application: /api/messages through botbuilder's CloudAdapter, /healthz.

The edge decides status codes itself: malformed input is a 4xx before anything is
read or stored, a missing or bad token a 401 (the stock path answers 500 to a
malformed bearer token), and no stack trace ever leaves the process.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Literal

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.schema import Activity, ChannelAccount, ConversationReference
from msrest.exceptions import DeserializationError

from bot import compose, envelope
from bot.compose import Runtime
from bot.config import Settings
from bot.handler import INBOUND_KEY, Replier, fast_path
from bot.health import readyz_handler
from bot.local_only import REFUSED_SERVICE_URL, service_url_refused
from bot.wire import Inbound, to_json_text
from domain.clock import Clock
from domain.wheel.due import active_cycle
from domain.wheel.ical import to_ics
from domain.wheel.models import AUDIENCES
from pictures.wheel import WheelPictures
from scheduler.jobs import build_scheduler
from store.db import Database

log = logging.getLogger(__name__)

RUNTIME = web.AppKey("runtime", Runtime)
SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
CLOCK = web.AppKey("clock", Clock)
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
PICTURES = web.AppKey("pictures", WheelPictures)


def create_app(settings: Settings, *, database: Database | None = None,
               clock: Clock | None = None) -> web.Application:
    """The application; pass `database` to share one and `clock` to fix the time (tests,
    benchmarks). The runtime itself is built by `bot.compose` on startup."""
    app = web.Application(client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[DATABASE] = database or compose.database(settings)
    app[CLOCK] = clock or Clock()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz_handler(DATABASE))
    app.router.add_get("/calendar/{name}.ics", calendar)
    app.router.add_get("/eksport/{export_id}.xlsx", export_download)
    app[PICTURES] = WheelPictures()
    app.router.add_get("/arshjul.png", wheel_picture)
    app.router.add_get("/arshjul.svg", wheel_picture)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    return app


async def _start(app: web.Application) -> None:
    settings, db = app[SETTINGS], app[DATABASE]
    await db.migrate()
    runtime = await compose.compose(settings, db=db, clock=app[CLOCK])
    app[RUNTIME] = runtime
    if settings.scheduler_enabled:
        async def due_check() -> None:
            await runtime.planner.plan(runtime.services.now())
            await runtime.deliverer.run_once()

        scheduler = build_scheduler({
            "due": (due_check, settings.due_interval_seconds),
            "outbox": (runtime.deliverer.run_once, settings.outbox_interval_seconds),
        })
        scheduler.start()
        app[SCHEDULER] = scheduler
    mode = "lokal utviklingsmodus (uten autentisering)" if settings.local_mode else "Azure Bot"
    log.info("Kompis klar: %s, database %s", mode, db.url.get_backend_name())


async def _stop(app: web.Application) -> None:
    scheduler = app.get(SCHEDULER)
    if scheduler is not None:
        scheduler.shutdown(wait=False)
    runtime = app.get(RUNTIME)
    if runtime is not None:
        await compose.close(runtime)
    await app[DATABASE].dispose()


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


async def messages(request: web.Request) -> web.Response:
    """POST /api/messages: validate, authenticate, run the turn, answer as Teams expects."""
    if request.content_type != "application/json":
        return _error(415, "Content-Type must be application/json")
    try:
        raw = await request.text()
        body = json.loads(raw)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "request body too large")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _error(400, "body is not valid JSON")
    reason = envelope.problems(body, raw)
    if reason:
        return _error(400, reason)
    body = envelope.clean(body, raw)
    if service_url_refused(request.app[SETTINGS].app_id, body.get("serviceUrl")):
        return _error(403, REFUSED_SERVICE_URL)
    runtime = request.app[RUNTIME]
    if runtime.settings.connector_pool and fast_path(body):
        return await _fast_turn(runtime, body, request.headers.get("Authorization", ""))
    try:
        activity = Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError):
        return _error(400, "activity has fields of the wrong type")

    auth_header = request.headers.get("Authorization", "")
    try:
        auth = await runtime.adapter.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
    except Exception as exc:  # any failure to authenticate is the caller's 401
        log.warning("unauthorized request: %s", type(exc).__name__)
        return _error(401, "unauthorized")

    inbound = Inbound(body)

    async def logic(turn_context: Any) -> None:
        turn_context.turn_state[INBOUND_KEY] = inbound  # read once, not from the model
        await runtime.bot.on_turn(turn_context)

    invoke_response = await runtime.adapter.process_activity(auth, activity, logic)
    if invoke_response is None:
        return web.Response(status=201)
    return web.json_response(_serialize(invoke_response.body), status=invoke_response.status)


def _for_authentication(body: dict[str, Any]) -> Activity:
    """What botbuilder's authentication reads of an activity (channelId, serviceUrl, the
    recipient's role, relatesTo), without validating the rest through msrest."""
    recipient = body.get("recipient")
    relates_to = body.get("relatesTo")
    return Activity(
        type=body.get("type"), channel_id=body.get("channelId"),
        service_url=body.get("serviceUrl"),
        recipient=ChannelAccount(id=recipient.get("id"), role=recipient.get("role"))
        if isinstance(recipient, dict) else None,
        relates_to=ConversationReference().deserialize(relates_to)
        if isinstance(relates_to, dict) else None,
    )


async def _fast_turn(runtime: Runtime, body: dict[str, Any], auth_header: str) -> web.Response:
    """A message or card press: authenticated by botbuilder exactly as every activity is,
    then read once from the JSON and answered through Kompis's own connector."""
    try:
        auth = await runtime.adapter.bot_framework_authentication.authenticate_request(
            _for_authentication(body), auth_header
        )
    except Exception as exc:  # any failure to authenticate is the caller's 401
        log.warning("unauthorized request: %s", type(exc).__name__)
        return _error(401, "unauthorized")
    inbound = Inbound(body)
    if auth.connector_factory is None:
        raise RuntimeError("authentication gave no connector factory")
    client = await auth.connector_factory.create(inbound.service_url, auth.audience)
    replier = Replier(inbound, runtime.connector, client.config.credentials)
    answer = await runtime.bot.turn(inbound, replier)
    if answer is None:
        return web.Response(status=201)
    status, payload = answer
    return web.json_response(payload, status=status, dumps=to_json_text)


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


async def wheel_picture(request: web.Request) -> web.Response:
    """GET /arshjul.png or /arshjul.svg: the cycle in progress drawn as a wheel with
    today's hand. Drawn once per cycle, day and format (in a worker thread) and kept; the
    ETag answers a revalidation with 304. A `?dag=` in the address only versions the URL
    for image caches: the server draws its own today."""
    fmt: Literal["png", "svg"] = "svg" if request.path.endswith(".svg") else "png"
    runtime = request.app[RUNTIME]
    today = runtime.services.now().date()
    cycle = active_cycle(runtime.services.wheel.wheel, today)
    pictures = request.app[PICTURES]
    picture = pictures.cached(cycle, today, fmt)
    if picture is None:
        picture = await asyncio.to_thread(pictures.get, cycle, today, fmt)
    headers = {"ETag": picture.etag, "Cache-Control": "public, max-age=900"}
    tags = _etags(request.headers.get("If-None-Match", ""))
    if picture.etag in tags or "*" in tags:
        return web.Response(status=304, headers=headers)
    return web.Response(body=picture.body, content_type=picture.content_type,
                        headers=headers)


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header (weak ones compared as strong)."""
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def export_download(request: web.Request) -> web.Response:
    """GET /eksport/<id>.xlsx?utloper=…&sig=…: the compiled needs report of one network."""
    coordinator = request.app[RUNTIME].features.coordinator
    result = await coordinator.download(request.match_info["export_id"],
                                        request.query.get("utloper", ""),
                                        request.query.get("sig", ""))
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
