"""The Teams activity handler: activity in, flow outcome out, nothing else.

It stores where each conversation is (for proactive messages), turns the activity into
an SDK-free `Incoming`, asks the router, and sends the `Outcome` the way Teams expects:
new messages, the card that replaces a pressed one, or the invoke answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
)

from bot.activity import CARD_TYPE, message_activity, tenant_id, to_incoming, to_record
from bot.config import Settings
from dialogs import texts
from dialogs.router import Router
from dialogs.turn import Incoming, Outcome, Reply
from store.conversations import ConversationRepository
from store.seen import SeenActivities

log = logging.getLogger(__name__)

MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
# A conversation's reference rarely changes; re-store it at most this often per process.
REFERENCE_REFRESH_SECONDS = 600.0
# Activities Teams may redeliver when the bot is slow; each is answered once. An invoke
# is not among them: its answer is the HTTP response itself, and a stale press is refused.
ONCE_ONLY = frozenset({ActivityTypes.message, ActivityTypes.conversation_update})
# How many conversations' fingerprints a process keeps (about 0.25 KiB each); the least
# recently seen is forgotten first, and its next turn stores the reference once more.
REFERENCE_CACHE_SIZE = 50_000


class KompisBot(TeamsActivityHandler):
    def __init__(
        self, settings: Settings, router: Router, conversations: ConversationRepository,
        seen: SeenActivities | None = None,
    ) -> None:
        self._settings = settings
        self._seen = seen
        self._router = router
        self._conversations = conversations
        self._stored: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self.reference_cache_size = REFERENCE_CACHE_SIZE

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if not self._settings.tenant_allowed(tenant_id(activity)):
            await self._refuse_tenant(turn_context)
            return
        if await self._redelivered(activity):
            return
        await self._remember(activity)
        await super().on_turn(turn_context)

    async def _refuse_tenant(self, turn_context: TurnContext) -> None:
        """One polite answer, nothing stored: the tenant is not among ALLOWED_TENANTS."""
        activity = turn_context.activity
        log.info("refused activity from a tenant outside ALLOWED_TENANTS")
        if activity.type == ActivityTypes.message:
            await turn_context.send_activity(texts.NOT_ALLOWED_TENANT)
        elif activity.type == ActivityTypes.invoke:
            await answer_invoke(turn_context, message=texts.NOT_ALLOWED_TENANT)

    async def _redelivered(self, activity: Activity) -> bool:
        """True for an activity already taken in (here or on another replica)."""
        if self._seen is None or activity.type not in ONCE_ONLY or not activity.id \
                or activity.conversation is None or not activity.conversation.id:
            return False
        if await self._seen.first_time(activity.conversation.id, activity.id):
            return False
        log.info("redelivered activity ignored (type=%s)", activity.type)
        return True

    async def _remember(self, activity: Activity) -> None:
        """Upsert the conversation reference, skipping unchanged ones seen recently."""
        if activity.type == ActivityTypes.installation_update:
            return  # on_installation_update_* stores it with the installed flag
        record = to_record(activity)
        # The reference names the incoming activity, new on every turn: leave it out, or
        # every turn would look like a changed reference and write the row again.
        reference = {k: v for k, v in record.reference.items() if k != "activityId"}
        fingerprint = hashlib.blake2b(
            json.dumps(
                [reference, record.tenant_id, record.user_aad_id, record.team_id],
                sort_keys=True,
                default=str,
            ).encode(),
            digest_size=16,
        ).hexdigest()
        now = time.monotonic()
        seen = self._stored.get(record.conversation_id)
        if seen and seen[0] == fingerprint and now - seen[1] < REFERENCE_REFRESH_SECONDS:
            self._stored.move_to_end(record.conversation_id)
            return
        await self._conversations.upsert(record)
        self._stored[record.conversation_id] = (fingerprint, now)
        self._stored.move_to_end(record.conversation_id)
        while len(self._stored) > self.reference_cache_size:
            self._stored.popitem(last=False)

    # --- what Teams sends ---------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.value is not None and not (activity.text or "").strip():
            incoming = to_incoming(activity, "action")
        else:
            incoming = to_incoming(activity, "message")
            if incoming.conversation_type != "personal" and not incoming.mentioned:
                return  # in channels and group chats Kompis speaks when spoken to
        outcome = await self._router.handle(incoming)
        await self._deliver(turn_context, incoming, outcome)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        # a member may arrive as null (seen from a hostile client): skip it, do not crash
        added: list[ChannelAccount] = [m for m in activity.members_added or [] if m is not None]
        if bot_id and any(getattr(member, "id", None) == bot_id for member in added):
            incoming = to_incoming(activity, "installed")
            await self._deliver(turn_context, incoming, await self._router.handle(incoming))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._conversations.upsert(to_record(turn_context.activity, installed=True))

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._conversations.upsert(to_record(activity, installed=False))
        self._stored.pop(activity.conversation.id, None)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != ADAPTIVE_CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        incoming = to_incoming(activity, "action")
        if incoming.value is None:
            return _invoke_response(message=texts.UNKNOWN_BUTTON)
        outcome = await self._router.handle(incoming)
        if outcome.card is not None:
            await self._send_replies(turn_context, outcome.replies)
            return _invoke_response(card=outcome.card)
        if outcome.replies and all(r.card is None and r.text for r in outcome.replies):
            # text only (a refusal, a short answer): shown on the pressed card itself, not
            # as "Mottatt." there and the text in a separate message
            return _invoke_response(message="\n\n".join(r.text or "" for r in outcome.replies))
        await self._send_replies(turn_context, outcome.replies)
        return _invoke_response(message=texts.RECEIVED)

    # --- sending --------------------------------------------------------------------

    async def _deliver(
        self, turn_context: TurnContext, incoming: Incoming, outcome: Outcome
    ) -> None:
        """Action.Submit path: replace the pressed card by updating its message, then reply."""
        if outcome.card is not None:
            if incoming.kind == "action" and incoming.reply_to_id:
                update = message_activity(Reply(card=outcome.card))
                update.id = incoming.reply_to_id
                await turn_context.update_activity(update)
            else:
                await turn_context.send_activity(message_activity(Reply(card=outcome.card)))
        await self._send_replies(turn_context, outcome.replies)

    @staticmethod
    async def _send_replies(turn_context: TurnContext, replies: list[Reply]) -> None:
        if replies:
            await turn_context.send_activities([message_activity(reply) for reply in replies])


def _invoke_response(*, card: dict | None = None, message: str | None = None) -> InvokeResponse:
    """The adaptiveCard/action answer. The body stays a model: the edge serializes once
    (botbuilder 4.17's stock path serializes twice and fails)."""
    if card is not None:
        body = AdaptiveCardInvokeResponse(status_code=200, type=CARD_TYPE, value=card)
        return InvokeResponse(status=200, body=body)
    # the model types `value` as an object; a message answer carries a string
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": MESSAGE_TYPE, "value": message}
    )


async def answer_invoke(turn_context: TurnContext, *, message: str) -> None:
    """Answer an invoke with a message the pressed card shows (outside on_invoke_activity)."""
    await turn_context.send_activity(
        Activity(type=ActivityTypes.invoke_response, value=_invoke_response(message=message))
    )
