"""The composition root: settings -> database -> repositories -> services -> flows ->
router, built in one place for the web app, the command line and the tests.

Nothing else wires these parts together; `compose` is the only place that knows the
whole graph, and `Runtime` is what it hands back (immutable; close it with `close`).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ActivityTypes

from bot.config import Settings
from bot.connector import JsonConnector, KompisAuthentication
from bot.handler import KompisBot, answer_invoke, undelivered
from bot.members import ConnectorMembers
from bot.personal import PersonalChats
from bot.proactive import BotProactiveSender
from cards.needs import coordinator_notice_card
from cards.network import NetworkCardMaker
from dialogs import texts
from dialogs.answers import AnswerChat, argument_words
from dialogs.coordinator import CoordinatorTools
from dialogs.cycles import Cycles
from dialogs.glossary import GlossaryChat
from dialogs.needs import NeedsFlow
from dialogs.network import NetworkFlow
from dialogs.partnerships import Partnerships
from dialogs.reminders import Reminders
from dialogs.roles import Roles
from dialogs.router import Router
from dialogs.services import Admins, ContentNetworks, MemberDirectory, NoMembers, Services
from dialogs.wheel import WheelCommands
from domain.answers.engine import Answerer
from domain.answers.loader import load_answers, load_examples
from domain.clock import Clock
from domain.glossary.loader import load_criteria, load_glossary
from domain.glossary.matcher import Matcher
from domain.needs.catalog import SchemeCatalog, load_schemes
from domain.needs.service import NeedsReports
from domain.network.service import NetworkReports
from domain.network.workbook import CompiledWorkbooks, forum_workbook
from domain.networks import NetworkCatalog, load_networks
from domain.wheel.loader import WheelSource
from scheduler.delivery import Deliverer, DeliveryPolicy
from scheduler.reminders import ReminderPlanner
from store.audit import AuditLog
from store.conversations import ConversationRepository
from store.db import Database
from store.exports import ExportRepository
from store.glossary_log import GlossaryLog
from store.needs import NeedsReportRepository, SqlNeedsStore
from store.network import SqlNetworkStore
from store.outbox import NewMessage, OutboxRepository
from store.people import PeopleRepository
from store.roles import CoordinatorChannels, RoleRepository
from store.seen import SeenActivities
from store.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)
OUTBOUND_TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)


@dataclass(frozen=True)
class Features:
    """The flows behind the router, for the parts of the app that call them directly."""

    router: Router
    coordinator: CoordinatorTools
    needs: NeedsReports
    network: NetworkReports
    answers: AnswerChat


@dataclass(frozen=True)
class Runtime:
    """What lives as long as the process: built by `compose`, closed by `close`."""

    settings: Settings
    db: Database
    session: aiohttp.ClientSession
    adapter: CloudAdapter
    services: Services
    features: Features
    bot: KompisBot
    planner: ReminderPlanner
    deliverer: Deliverer
    connector: JsonConnector  # the hot path's replies, as plain JSON over `session`

    @property
    def router(self) -> Router:
        return self.features.router

    @property
    def clock(self) -> Clock:
        return self.services.clock


def database(settings: Settings) -> Database:
    return Database(settings.database_url, schema=settings.database_schema or None)


def services(settings: Settings, db: Database, *, clock: Clock | None = None,
             members: MemberDirectory | None = None,
             networks: NetworkCatalog | None = None) -> Services:
    """The repositories and settings the flows share."""
    conversations = ConversationRepository(db)
    return Services(
        db=db, conversations=conversations, subscriptions=SubscriptionRepository(db),
        outbox=OutboxRepository(db),
        roles=RoleRepository(db, cache_seconds=settings.role_cache_seconds),
        reports=NeedsReportRepository(db), audit=AuditLog(db), glossary_log=GlossaryLog(db),
        channels=CoordinatorChannels(db), exports=ExportRepository(db),
        people=PeopleRepository(db), networks=ContentNetworks(networks or load_networks()),
        wheel=WheelSource(settings.wheel_file), clock=clock or Clock(),
        members=members or NoMembers(), admins=Admins.parse(settings.admins),
        public_url=settings.public_url.rstrip("/"), link_secret=settings.link_secret(),
        export_minutes=settings.export_link_minutes)


def features(services: Services, *, schemes: SchemeCatalog | None = None,
             networks: NetworkCatalog | None = None, learned_answers: bool = True,
             learned_cache: Path | None = None) -> Features:
    """Every feature's commands and card actions on one router; `learned_answers`: Spør
    Kompis learns from content/eksempler.yaml beside its rules (LEARNED_ANSWERS), and
    keeps the fit in `learned_cache` (LEARNED_CACHE)."""
    schemes, networks = schemes or load_schemes(), networks or load_networks()
    router = Router(audience=services.audience)
    Reminders(services).register(router)
    Roles(services).register(router)
    WheelCommands(services, services.wheel).register(router)
    glossary = load_glossary()
    matcher = Matcher(glossary, load_criteria(glossary=glossary))
    # Spør Kompis: the question engine answers free text; the matcher is one part of it
    content = load_answers(glossary=glossary)
    examples = load_examples(content, glossary).examples if learned_answers else ()
    answers = AnswerChat(services, Answerer(content, matcher, arguments=argument_words(),
                                            examples=examples, learned_cache=learned_cache))
    GlossaryChat(services, matcher, answers).register(router)
    cycles = Cycles(services.wheel, services.clock, schemes)
    needs = NeedsReports(SqlNeedsStore(services.db), schemes, networks, cycles,
                         lambda report, network: coordinator_notice_card(report,
                                                                         network=network))
    flow = NeedsFlow(services, needs, schemes, networks, cycles)
    flow.register(router)
    partnerships = Partnerships(services, needs, networks)
    partnerships.register(router)
    network = NetworkReports(SqlNetworkStore(services.db), schemes, networks, cycles,
                             NetworkCardMaker(), CompiledWorkbooks(schemes), forum_workbook)
    tools = CoordinatorTools(services, schemes, networks, cycles, own_reports=partnerships.mine,
                             network=network)
    tools.register(router)
    network_flow = NetworkFlow(services, network, tools, cycles, schemes)
    network_flow.register(router)
    tools.hand_over_history(network_flow.history)
    flow.show_network_assessment(network.shared_with_partnership)
    answers.prepare()  # every command is registered now: build the question engine
    return Features(router, tools, needs, network, answers)


async def compose(settings: Settings, *, db: Database | None = None,
                  clock: Clock | None = None) -> Runtime:
    """The whole runtime. The database is not migrated here (the app and the CLI do it
    first); pass `db` to share one (tests, benchmarks), and `clock` to fix the time."""
    db = db or database(settings)
    session = aiohttp.ClientSession(
        timeout=OUTBOUND_TIMEOUT,
        connector=aiohttp.TCPConnector(limit=100, limit_per_host=50, keepalive_timeout=30),
    )
    auth = KompisAuthentication(settings.bot_framework_config(), session,
                                pooled=settings.connector_pool,
                                reply_budget=settings.reply_budget_seconds)
    adapter = CloudAdapter(auth)
    networks = load_networks()
    shared = services(settings, db, clock=clock, networks=networks)
    shared = replace(shared, members=ConnectorMembers(auth, settings.app_id,
                                                      shared.conversations))
    adapter.on_turn_error = _turn_error_handler(shared.outbox)
    built = features(shared, networks=networks, learned_answers=settings.learned_answers,
                     learned_cache=settings.learned_cache)
    planner = ReminderPlanner(
        shared.wheel, subscriptions=shared.subscriptions, conversations=shared.conversations,
        outbox=shared.outbox, reports=shared.reports, channels=shared.channels,
        roles=shared.roles, admins=shared.admins.ids, admin_upns=shared.admins.upns,
        people=shared.people, start_report=built.router.commands.find("meld behov") is not None,
        networks_done=built.network.networks_done)
    deliverer = Deliverer(
        shared.outbox, shared.conversations, shared.subscriptions,
        BotProactiveSender(adapter, settings.app_id),
        worker=f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}",
        policy=DeliveryPolicy(lease=timedelta(seconds=settings.outbox_lease_seconds)))
    connector = JsonConnector(session, settings.reply_budget_seconds)
    bot = KompisBot(settings, built.router, shared.conversations,
                    seen=SeenActivities(db) if settings.redelivery_check else None,
                    outbox=shared.outbox,
                    personal=PersonalChats(shared.conversations, connector))
    return Runtime(settings, db, session, adapter, shared, built, bot, planner, deliverer,
                   connector)


async def close(runtime: Runtime) -> None:
    """Close what `compose` opened (the database belongs to whoever made it)."""
    await runtime.session.close()


def _turn_error_handler(outbox: OutboxRepository) -> Callable[[TurnContext, Exception],
                                                               Awaitable[None]]:
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        """Log with a trace id; tell the person in Norwegian, never with a stack trace.

        When the reply itself could not be delivered (the connector kept failing), the
        apology goes through the outbox, which keeps trying after the turn has ended.
        """
        trace_id = uuid.uuid4().hex[:12]
        activity = turn_context.activity
        unreachable = undelivered(error)
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
