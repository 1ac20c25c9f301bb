"""The Teams activity handler: activity in, flow outcome out, nothing else.

It stores where each conversation is (for proactive messages), reads the activity once
into an SDK-free `Incoming`, asks the router, and sends the `Outcome` the way Teams
expects: new messages, the card that replaces a pressed one, or the invoke answer.

Two ways in. The hot path (`turn`) takes the messages and card presses
(`adaptiveCard/action`) straight from the JSON the edge parsed, after botbuilder has
authenticated the request, and sends the replies as plain JSON through Kompis's pooled
connector (`Replier`): no msrest model on the way in or out. Every other activity
(installation, conversation updates, other invokes) and the stock connector mode go
through botbuilder's CloudAdapter and this class's ActivityHandler methods as before.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from botbuilder.core import BotAdapter, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    ChannelAccount,
)
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.activity import CARD_TYPE, message_activity
from bot.config import Settings
from bot.connector import ConnectorError, JsonConnector
from bot.personal import PersonalChats
from bot.wire import INVOKE, MESSAGE, Inbound
from dialogs import texts
from dialogs.router import Router
from dialogs.turn import Incoming, Outcome, Reply
from store.conversations import ConversationRepository
from store.outbox import NewMessage, OutboxRepository
from store.seen import SeenActivities

log = logging.getLogger(__name__)

MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
# A conversation's reference rarely changes; re-store it at most this often per process.
REFERENCE_REFRESH_SECONDS = 600.0
# Activities Teams may redeliver when the bot is slow; each is answered once. An invoke
# is not among them: its answer is the HTTP response itself, and a stale press is refused.
ONCE_ONLY = frozenset({ActivityTypes.message, ActivityTypes.conversation_update})
# How many conversations' fingerprints a process keeps (about 1 KiB each); the least
# recently seen is forgotten first, and its next turn stores the reference once more.
REFERENCE_CACHE_SIZE = 50_000
# Where the edge leaves the parsed JSON for botbuilder's path (read once, not re-parsed)
INBOUND_KEY = "kompis.inbound"
# The answer to an invoke: HTTP status and JSON body
InvokeAnswer = tuple[int, dict[str, Any]]


def fast_path(body: Mapping[str, Any]) -> bool:
    """The activities `KompisBot.turn` takes itself: messages and card presses."""
    kind = body.get("type")
    return kind == MESSAGE or (kind == INVOKE and body.get("name") == ADAPTIVE_CARD_ACTION)


class Replier:
    """Sends one turn's messages as plain JSON, addressed as botbuilder would."""

    def __init__(self, inbound: Inbound, connector: JsonConnector, credentials: Any) -> None:
        self._inbound = inbound
        self._connector = connector
        self._credentials = credentials

    @property
    def credentials(self) -> Any:
        """The bot's credentials for this turn's connector (None when anonymous)."""
        return self._credentials

    async def send(self, replies: list[Reply]) -> None:
        for reply in replies:
            url, activity = self._inbound.reply(reply)
            await self._connector.call("POST", url, activity, self._credentials)

    async def update(self, activity_id: str, card: dict[str, Any]) -> None:
        url, activity = self._inbound.update(activity_id, card)
        await self._connector.call("PUT", url, activity, self._credentials)


class KompisBot(TeamsActivityHandler):
    def __init__(
        self, settings: Settings, router: Router, conversations: ConversationRepository,
        seen: SeenActivities | None = None, outbox: OutboxRepository | None = None,
        personal: PersonalChats | None = None,
    ) -> None:
        self._settings = settings
        self._personal = personal
        self._seen = seen
        self._router = router
        self._conversations = conversations
        self._outbox = outbox
        self._stored: OrderedDict[str, tuple[tuple[Any, ...], float]] = OrderedDict()
        self.reference_cache_size = REFERENCE_CACHE_SIZE

    # --- the hot path: messages and card presses, JSON in and out -----------------------

    async def turn(self, inbound: Inbound, replier: Replier) -> InvokeAnswer | None:
        """One message or adaptiveCard/action invoke; the invoke's answer, else None.
        A failure is logged with a trace id and told in Norwegian, as on_turn_error."""
        try:
            return await self._turn(inbound, replier)
        except Exception as error:
            return await self._failed(inbound, replier, error)

    async def _turn(self, inbound: Inbound, replier: Replier) -> InvokeAnswer | None:
        if not self._settings.tenant_allowed(inbound.tenant_id()):
            log.info("refused activity from a tenant outside ALLOWED_TENANTS")
            if inbound.type == INVOKE:
                return _invoke_answer(message=texts.NOT_ALLOWED_TENANT)
            await replier.send([Reply(text=texts.NOT_ALLOWED_TENANT)])
            return None
        if await self._redelivered(inbound):
            return None
        await self._remember(inbound)
        if inbound.type == INVOKE:
            return await self._press(inbound, replier)
        if inbound.value is not None and not inbound.text.strip():
            incoming = inbound.incoming("action")
        else:
            incoming = inbound.incoming("message")
            if incoming.conversation_type != "personal" and not incoming.mentioned:
                return None  # in channels and group chats Kompis speaks when spoken to
        outcome = await self._shared(inbound, await self._router.handle(incoming),
                                     replier.credentials)
        if outcome.card is not None:
            if incoming.kind == "action" and incoming.reply_to_id:
                await replier.update(incoming.reply_to_id, outcome.card)
            else:
                await replier.send([Reply(card=outcome.card)])
        await replier.send(outcome.replies)
        return None

    async def _press(self, inbound: Inbound, replier: Replier) -> InvokeAnswer:
        incoming = inbound.incoming("action")
        if incoming.value is None:
            return _invoke_answer(message=texts.UNKNOWN_BUTTON)
        outcome = await self._shared(inbound, await self._router.handle(incoming),
                                     replier.credentials)
        if outcome.card is not None:
            await replier.send(outcome.replies)
            return _invoke_answer(card=outcome.card)
        if outcome.replies and all(r.card is None and r.text for r in outcome.replies):
            # text only (a refusal, a short answer): shown on the pressed card itself, not
            # as "Mottatt." there and the text in a separate message
            return _invoke_answer(message="\n\n".join(r.text or "" for r in outcome.replies))
        await replier.send(outcome.replies)
        return _invoke_answer(message=texts.RECEIVED)

    async def _failed(self, inbound: Inbound, replier: Replier,
                      error: Exception) -> InvokeAnswer | None:
        """Log with a trace id; tell the person in Norwegian, never with a stack trace.

        When the reply itself could not be delivered (the connector kept failing), the
        apology goes through the outbox, which keeps trying after the turn has ended."""
        trace_id = uuid.uuid4().hex[:12]
        unreachable = undelivered(error)
        log.error("turn failed trace_id=%s type=%s conversation_type=%s reply_undelivered=%s",
                  trace_id, inbound.type, inbound.conversation.get("conversationType"),
                  unreachable, exc_info=error)
        text = (texts.REPLY_UNDELIVERED if unreachable else texts.TURN_FAILED).format(
            trace_id=trace_id)
        if inbound.type == INVOKE:
            return _invoke_answer(message=text)
        if unreachable and self._outbox is not None and inbound.conversation_id:
            await self._outbox.enqueue([NewMessage(f"reply-failed|{trace_id}",
                                                   inbound.conversation_id, "notice",
                                                   {"text": text})])
            return None
        try:
            await replier.send([Reply(text=text)])
        except Exception as exc:  # the connector itself may be what failed
            log.error("could not tell the user about trace_id=%s: %s", trace_id, exc)
        return None

    async def _shared(self, inbound: Inbound, outcome: Outcome, credentials: Any) -> Outcome:
        """What a channel or group chat is shown of an outcome: the replies addressed to
        the person's personal chat are posted there (see bot.personal), and the shared
        chat gets one line instead, without them; or, when Teams will not open that
        chat, how to start it (and nothing is sent)."""
        private = [reply for reply in outcome.replies if reply.to_personal]
        if not private or inbound.conversation_type() == "personal":
            return outcome
        kept = [reply for reply in outcome.replies if not reply.to_personal]
        sent = self._personal is not None and \
            await self._personal.send(inbound, private, credentials)
        note = (outcome.shared_note or texts.SENT_PERSONALLY) if sent \
            else texts.START_PERSONAL_CHAT
        return Outcome([Reply(text=note), *kept], outcome.card)

    async def _redelivered(self, inbound: Inbound) -> bool:
        """True for an activity already taken in (here or on another replica)."""
        if self._seen is None or inbound.type not in ONCE_ONLY or not inbound.id \
                or not inbound.conversation_id:
            return False
        if await self._seen.first_time(inbound.conversation_id, inbound.id):
            return False
        log.info("redelivered activity ignored (type=%s)", inbound.type)
        return True

    async def _remember(self, inbound: Inbound) -> None:
        """Upsert the conversation reference when it is new or changed, and at least every
        REFERENCE_REFRESH_SECONDS; an unchanged one seen recently costs a tuple compare.
        The stored row is what proactive sends read, on any replica and after a restart."""
        if inbound.type == ActivityTypes.installation_update:
            return  # on_installation_update_* stores it with the installed flag
        conversation_id = inbound.conversation_id
        # the reference names the incoming activity, new on every turn: left out here, or
        # every turn would look like a changed reference and write the row again
        fingerprint = inbound.fingerprint()
        now = time.monotonic()
        seen = self._stored.get(conversation_id)
        if seen and seen[0] == fingerprint and now - seen[1] < REFERENCE_REFRESH_SECONDS:
            self._stored.move_to_end(conversation_id)
            return
        await self._conversations.upsert(inbound.record())
        self._stored[conversation_id] = (fingerprint, now)
        self._stored.move_to_end(conversation_id)
        while len(self._stored) > self.reference_cache_size:
            self._stored.popitem(last=False)

    # --- botbuilder's path: everything else, and the stock connector mode ----------------

    async def on_turn(self, turn_context: TurnContext) -> None:
        inbound = _inbound(turn_context)
        if not self._settings.tenant_allowed(inbound.tenant_id()):
            await self._refuse_tenant(turn_context)
            return
        if await self._redelivered(inbound):
            return
        await self._remember(inbound)
        await super().on_turn(turn_context)

    async def _refuse_tenant(self, turn_context: TurnContext) -> None:
        """One polite answer, nothing stored: the tenant is not among ALLOWED_TENANTS."""
        activity = turn_context.activity
        log.info("refused activity from a tenant outside ALLOWED_TENANTS")
        if activity.type == ActivityTypes.message:
            await turn_context.send_activity(texts.NOT_ALLOWED_TENANT)
        elif activity.type == ActivityTypes.invoke:
            await answer_invoke(turn_context, message=texts.NOT_ALLOWED_TENANT)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        inbound = _inbound(turn_context)
        if inbound.value is not None and not inbound.text.strip():
            incoming = inbound.incoming("action")
        else:
            incoming = inbound.incoming("message")
            if incoming.conversation_type != "personal" and not incoming.mentioned:
                return  # in channels and group chats Kompis speaks when spoken to
        outcome = await self._shared(inbound, await self._router.handle(incoming),
                                     _credentials(turn_context))
        await self._deliver(turn_context, incoming, outcome)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        # a member may arrive as null (seen from a hostile client): skip it, do not crash
        added: list[ChannelAccount] = [m for m in activity.members_added or [] if m is not None]
        if bot_id and any(getattr(member, "id", None) == bot_id for member in added):
            incoming = _inbound(turn_context).incoming("installed")
            await self._deliver(turn_context, incoming, await self._router.handle(incoming))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._conversations.upsert(_inbound(turn_context).record(installed=True))

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        inbound = _inbound(turn_context)
        await self._conversations.upsert(inbound.record(installed=False))
        self._stored.pop(inbound.conversation_id, None)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        if activity.name != ADAPTIVE_CARD_ACTION:
            return await super().on_invoke_activity(turn_context)
        inbound = _inbound(turn_context)
        incoming = inbound.incoming("action")
        if incoming.value is None:
            return _invoke_response(message=texts.UNKNOWN_BUTTON)
        outcome = await self._shared(inbound, await self._router.handle(incoming),
                                     _credentials(turn_context))
        if outcome.card is not None:
            await self._send_replies(turn_context, outcome.replies)
            return _invoke_response(card=outcome.card)
        if outcome.replies and all(r.card is None and r.text for r in outcome.replies):
            return _invoke_response(message="\n\n".join(r.text or "" for r in outcome.replies))
        await self._send_replies(turn_context, outcome.replies)
        return _invoke_response(message=texts.RECEIVED)

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


def undelivered(error: BaseException) -> bool:
    """True when the error is the connector's: the reply could not be delivered."""
    return isinstance(error, ConnectorError | HttpOperationError | ClientRequestError)


def _credentials(turn_context: TurnContext) -> Any:
    """The credentials of the connector client botbuilder made for this turn."""
    client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    config = getattr(client, "config", None)
    return getattr(config, "credentials", None)


def _inbound(turn_context: TurnContext) -> Inbound:
    """The JSON the edge parsed (or, for a turn made elsewhere, the activity's own)."""
    found = turn_context.turn_state.get(INBOUND_KEY)
    if isinstance(found, Inbound):
        return found
    inbound = Inbound(turn_context.activity.serialize())
    turn_context.turn_state[INBOUND_KEY] = inbound
    return inbound


def _invoke_answer(*, card: dict | None = None, message: str | None = None) -> InvokeAnswer:
    """The adaptiveCard/action answer as JSON: the card that replaces the pressed one, or a
    message the pressed card shows."""
    if card is not None:
        return 200, {"statusCode": 200, "type": CARD_TYPE, "value": card}
    return 200, {"statusCode": 200, "type": MESSAGE_TYPE, "value": message}


def _invoke_response(*, card: dict | None = None, message: str | None = None) -> InvokeResponse:
    """The adaptiveCard/action answer on botbuilder's path. The body stays a model: the
    edge serializes once (botbuilder 4.17's stock path serializes twice and fails)."""
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
