"""The outbox sender: claims due rows, keeps Teams' rate limits, retries what may succeed.

Every outcome is written back: delivered, retried later (429/412/5xx/timeouts, with
exponential backoff and jitter, honouring Retry-After), or failed with the reason.
A 403/404 means the bot was removed or the conversation is gone: the subscription is
deactivated. Nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scheduler.ports import ProactiveSender, SendResult
from scheduler.ratelimit import PER_APP, PER_CONVERSATION, SlidingLimiter, Window
from store.conversations import ConversationRepository
from store.models import utcnow
from store.outbox import Claimed, OutboxRepository
from store.subscriptions import SubscriptionRepository

log = logging.getLogger(__name__)

RETRYABLE = frozenset({0, 408, 412, 429, 500, 502, 503, 504})
GONE = frozenset({403, 404})


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard to try. Defaults follow Teams' published limits."""

    max_attempts: int = 8
    base_delay: float = 2.0
    max_delay: float = 900.0
    lease: timedelta = timedelta(minutes=2)
    batch: int = 50
    concurrency: int = 8
    per_conversation: tuple[Window, ...] = PER_CONVERSATION
    per_app: tuple[Window, ...] = PER_APP


@dataclass
class DrainStats:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    deactivated: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


class Deliverer:
    def __init__(
        self,
        outbox: OutboxRepository,
        conversations: ConversationRepository,
        subscriptions: SubscriptionRepository,
        sender: ProactiveSender,
        *,
        worker: str,
        policy: DeliveryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self._outbox = outbox
        self._conversations = conversations
        self._subscriptions = subscriptions
        self._sender = sender
        self.worker = worker
        self.policy = policy or DeliveryPolicy()
        self._sleep = sleep
        self._now = now
        self._per_conversation = SlidingLimiter(self.policy.per_conversation)
        self._per_app = SlidingLimiter(self.policy.per_app)
        self._gate = asyncio.Lock()

    async def run_once(self, stats: DrainStats | None = None) -> int:
        """Claim one batch and deliver it; returns how many rows were claimed."""
        stats = stats if stats is not None else DrainStats()
        claimed = await self._outbox.claim(self.worker, limit=self.policy.batch,
                                           lease=self.policy.lease, now=self._now())
        if not claimed:
            return 0
        slots = asyncio.Semaphore(self.policy.concurrency)
        held = {m.id: m.attempts for m in claimed}

        async def one(message: Claimed) -> None:
            try:
                async with slots:
                    await self._deliver(message, stats)
            finally:
                held.pop(message.id, None)

        keeper = asyncio.create_task(self._keep_leases(held))
        try:
            await asyncio.gather(*(one(m) for m in claimed))
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        self._per_conversation.forget_idle()
        return len(claimed)

    async def _keep_leases(self, held: dict[int, int]) -> None:
        """Renew the leases of the rows this batch still holds, every third of a lease,
        while they wait for the rate limiter or for a slow send. Only a dead sender's rows
        run out and are taken over (and only those may arrive twice)."""
        every = max(self.policy.lease.total_seconds() / 3, 0.05)
        while held:
            await asyncio.sleep(every)  # real time, also where tests move `now`
            try:
                await self._outbox.extend(list(held.items()), self.worker,
                                          self._now() + self.policy.lease)
            except Exception:  # a missed renewal costs a possible duplicate, not a loss
                log.warning("could not renew outbox leases", exc_info=True)

    async def drain(self, *, max_seconds: float = 60.0) -> DrainStats:
        """Deliver until nothing is due (retries included) or `max_seconds` have passed."""
        stats = DrainStats()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_seconds
        while loop.time() < deadline:
            if await self.run_once(stats):
                continue
            if await self._outbox.pending_count() == 0:
                break
            await self._sleep(0.2)  # rows waiting for their retry time or another sender
        return stats

    async def _deliver(self, message: Claimed, stats: DrainStats) -> None:
        conversation = await self._conversations.get(message.conversation_id)
        if conversation is None or not conversation.installed:
            await self._outbox.failed(message.id, self.worker, "samtalen er ikke lenger kjent")
            stats.failed += 1
            return
        await self._wait_for_room(message.conversation_id, conversation.tenant_id or "")
        if message.was_started:
            # its last sender died during the call: it may have arrived. Sending again
            # risks a duplicate, not sending risks a lost reminder; a lost one is worse.
            log.warning("outbox row %s: earlier send was interrupted; sending again",
                        message.id)
        if not await self._outbox.started(message.id, self.worker, message.attempts):
            return  # the lease ran out and another claim has it now
        try:
            result = await self._sender.send(conversation.reference, message.payload)
        except Exception as exc:  # a sender bug must not lose the row
            log.exception("sender raised for outbox row %s", message.id)
            result = SendResult(0, error=f"{type(exc).__name__}")
        stats.statuses[result.status] = stats.statuses.get(result.status, 0) + 1
        if result.ok:
            await self._outbox.delivered(message.id, self.worker)
            stats.delivered += 1
        elif result.status in GONE:
            reason = f"HTTP {result.status}: boten er fjernet eller samtalen finnes ikke"
            if await self._subscriptions.deactivate(message.conversation_id, reason):
                stats.deactivated += 1
            await self._outbox.failed(message.id, self.worker, reason)
            stats.failed += 1
            log.warning("outbox row %s: %s; subscription deactivated", message.id, reason)
        elif result.status in RETRYABLE and message.attempts < self.policy.max_attempts:
            delay = self._backoff(message.attempts, result.retry_after)
            error = f"HTTP {result.status} {result.error or ''}".strip()
            await self._outbox.retry(message.id, self.worker,
                                     self._now() + timedelta(seconds=delay), error)
            stats.retried += 1
            log.info("outbox row %s: %s, retry in %.1f s", message.id, error, delay)
        else:
            error = f"HTTP {result.status} {result.error or ''} etter {message.attempts} forsøk"
            await self._outbox.failed(message.id, self.worker, error.strip())
            stats.failed += 1
            log.error("outbox row %s failed: %s", message.id, error)

    async def _wait_for_room(self, conversation_id: str, tenant: str) -> None:
        async with self._gate:
            while True:
                wait = max(self._per_conversation.wait_time(conversation_id),
                           self._per_app.wait_time(tenant))
                if wait <= 0:
                    break
                await self._sleep(wait)
            self._per_conversation.record(conversation_id)
            self._per_app.record(tenant)

    def _backoff(self, attempts: int, retry_after: float | None) -> float:
        """Exponential with full jitter; Retry-After from the connector wins when longer."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2 ** max(0, attempts - 1))
        delay = random.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay
