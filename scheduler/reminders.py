"""Turn due reminders into outbox rows, for the right conversations and with the right card.

Rows are keyed by reminder (cycle, event, offset) and conversation, so running this on
every replica, every minute, after restarts, writes each reminder once. Targeting:
subscribed chats get what their audiences cover; a partnership member's personal chat
whose reports are all submitted gets a thank-you instead of a nag; each network's
coordinator channel gets the needs-report deadline with the partnerships not yet done, and
the compiled report's deadline only while the network has not sent it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from cards.wheel import PendingPartnership, reminder_card, thanks_card
from domain.access import ADMIN
from domain.content import ContentError
from domain.wheel.due import Reminder, due_reminders
from domain.wheel.loader import WheelSource
from store.conversations import ConversationRepository
from store.needs import SUBMITTED_STATUSES, NeedsReportRepository
from store.outbox import NewMessage, OutboxRepository
from store.people import PeopleRepository
from store.roles import CoordinatorChannels, RoleRepository
from store.subscriptions import ActiveSubscription, SubscriptionRepository

log = logging.getLogger(__name__)
NETWORKS = "sammenstilt_behovsmelding"  # the wheel's deadline for the compiled report

WHEEL_BROKEN = (
    "Årshjulet (content/arshjul.yaml) ble endret, men filen har feil, så jeg bruker fortsatt "
    "forrige versjon. Dette må rettes:\n{problems}"
)


@dataclass
class PlanResult:
    due: list[Reminder] = field(default_factory=list)
    skipped: list[Reminder] = field(default_factory=list)
    rows: list[NewMessage] = field(default_factory=list)
    inserted: int = 0


class ReminderPlanner:
    def __init__(self, source: WheelSource, *, subscriptions: SubscriptionRepository,
                 conversations: ConversationRepository, outbox: OutboxRepository,
                 reports: NeedsReportRepository, channels: CoordinatorChannels,
                 roles: RoleRepository | None = None, admins: frozenset[str] = frozenset(),
                 admin_upns: frozenset[str] = frozenset(), people: PeopleRepository | None = None,
                 start_report: bool = False,
                 networks_done: Callable[[str], Awaitable[set[str]]] | None = None) -> None:
        """`networks_done(cycle)`: the networks that have sent their compiled report for
        every scheme of the cycle; their coordinator channels get no reminder of it."""
        self._source = source
        self._subscriptions = subscriptions
        self._conversations = conversations
        self._outbox = outbox
        self._reports = reports
        self._channels = channels
        self._start_report = start_report
        self._roles = roles
        self._admins = admins
        self._admin_upns = admin_upns
        self._people = people
        self._networks_done = networks_done
        self._last: datetime | None = None

    async def plan(self, now: datetime, *, write: bool = True) -> PlanResult:
        """What is due at `now` and, with `write`, the outbox rows for it."""
        reload = self._source.reload()
        result = due_reminders(self._source.wheel, now, since=self._last)
        plan = PlanResult(due=result.due, skipped=result.skipped)
        if reload.error is not None:
            plan.rows += await self._tell_admins(reload.error)
        for reminder in result.skipped:
            log.warning("påminnelse %s ble ikke sendt: tidspunktet %s er eldre enn "
                        "nådetiden", reminder.key, reminder.send_at.isoformat())
        if result.due:
            subscriptions = await self._subscriptions.active()
            channels = await self._channels.all()
            for reminder in result.due:
                plan.rows += await self._rows(reminder, now, subscriptions, channels)
        if write:
            plan.inserted = await self._outbox.enqueue(plan.rows)
            self._last = now
        return plan

    async def _rows(self, reminder: Reminder, now: datetime,
                    subscriptions: list[ActiveSubscription],
                    channels: list[tuple[str, str]]) -> list[NewMessage]:
        event, today = reminder.event, now.date()
        rows = []
        coordinator_channels = {conv: network for network, conv in channels}
        compiled = event.deadline_for == NETWORKS and self._networks_done is not None
        for sub in subscriptions:
            if not any(event.for_audience(a) for a in sub.audiences):
                continue
            if compiled and sub.conversation_id in coordinator_channels:
                continue  # the network's own reminder below, only while it has work to do
            card = await self._card_for(reminder, today, sub)
            rows.append(NewMessage(f"{reminder.key}|{sub.conversation_id}", sub.conversation_id,
                                   "reminder", {"card": card}))
        if event.deadline_for == "behovsmelding":
            for conv, network in coordinator_channels.items():
                pending = await self._pending(network, reminder.cycle_id)
                card = reminder_card(event, today, pending=pending)
                rows.append(NewMessage(f"{reminder.key}|koordinator|{conv}", conv, "reminder",
                                       {"card": card}))
        if compiled and self._networks_done is not None:
            done = await self._networks_done(reminder.cycle_id)
            for conv, network in coordinator_channels.items():
                if network not in done:
                    rows.append(NewMessage(f"{reminder.key}|koordinator|{conv}", conv,
                                           "reminder", {"card": reminder_card(event, today)}))
        return rows

    async def _card_for(self, reminder: Reminder, today, sub: ActiveSubscription) -> dict:
        event = reminder.event
        if event.deadline_for == "behovsmelding" and sub.conversation_type == "personal":
            conversation = await self._conversations.get(sub.conversation_id)
            aad = conversation.user_aad_id if conversation else None
            if aad and await self._reports.all_submitted(aad, reminder.cycle_id):
                schemes = {r.meta.scheme for r in await self._reports.for_member(aad)
                           if r.meta.cycle == reminder.cycle_id}
                return thanks_card(event, today, sorted(schemes))
        return reminder_card(event, today, start_report=self._start_report)

    async def _tell_admins(self, error: ContentError) -> list[NewMessage]:
        """A broken wheel file is kept out; the admins hear about it once per error."""
        admins = set(self._admins)
        if self._roles is not None:
            admins.update(await self._roles.holders(ADMIN))
        if self._people is not None:  # admins named by UPN, once Kompis has seen them
            admins.update(await self._people.named(self._admin_upns))
        digest = hashlib.sha256(str(error).encode()).hexdigest()[:16]
        text = WHEEL_BROKEN.format(problems="\n".join(f"- {p}" for p in error.problems[:10]))
        return [NewMessage(f"wheel-error|{digest}|{conv}", conv, "notice", {"text": text})
                for conv in await self._conversations.personal_chats_of(admins)]

    async def _pending(self, network_id: str, cycle_id: str) -> list[PendingPartnership]:
        reports = await self._reports.for_network(network_id, cycle_id)
        return [PendingPartnership(f"{r.meta.partnership_name} ({r.meta.scheme})",
                                   r.meta.measures)
                for r in reports if r.meta.status not in SUBMITTED_STATUSES]
