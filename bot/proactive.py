"""Proactive messages (the outbox's sends), reported as a plain SendResult.

With the pooled connector they are plain JSON through Kompis's JsonConnector, addressed
as botbuilder's continue_conversation addressed them (tests/data/wire/proactive.json);
in the stock connector mode (CONNECTOR_POOL=false) they go through continue_conversation
itself, whose errors are caught here (the adapter would swallow them).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference
from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.activity import message_activity
from bot.connector import (
    RETRY_IN_TURN,
    ConnectorError,
    JsonConnector,
    KompisAuthentication,
    _retry_after,
)
from bot.local_only import service_url_refused
from bot.wire import new_post, proactive
from dialogs.turn import Reply
from scheduler.ports import SendResult

log = logging.getLogger(__name__)

SEND_TIMEOUT = 20.0
# A send Kompis refuses to make itself: neither retried nor taken as "conversation gone".
REFUSED_STATUS = 421


def as_new_post(reference: ConversationReference) -> ConversationReference:
    """`bot.wire.new_post` for botbuilder's model (the stock connector mode)."""
    conversation = reference.conversation
    if conversation is not None and conversation.id and ";messageid=" in conversation.id \
            and conversation.conversation_type == "channel":
        conversation.id = conversation.id.split(";messageid=", 1)[0]
        reference.activity_id = None
    return reference


class BotProactiveSender:
    """The scheduler's ProactiveSender, backed by the running adapter's authentication."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id or None
        auth = adapter.bot_framework_authentication
        self._auth = auth if isinstance(auth, KompisAuthentication) and auth.pooled else None
        self._connector = JsonConnector(self._auth.session) if self._auth else None

    async def send(self, reference: dict[str, Any], payload: dict[str, Any]) -> SendResult:
        reply = Reply(text=payload.get("text"), card=payload.get("card"))
        target = new_post(reference)
        if service_url_refused(self._app_id or "", target.get("serviceUrl")):
            # not retried: the row is given up with this reason (see scheduler/delivery.py)
            return SendResult(REFUSED_STATUS, None, "anonym modus: serviceUrl er ikke lokal")
        token = RETRY_IN_TURN.set(False)  # the outbox retries durably, across restarts
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                if self._auth is None:
                    return await self._through_botbuilder(target, reply)
                return await self._as_json(target, reply)
        except TimeoutError:
            return SendResult(0, None, "timeout")
        finally:
            RETRY_IN_TURN.reset(token)

    async def _as_json(self, target: dict[str, Any], reply: Reply) -> SendResult:
        assert self._auth is not None and self._connector is not None
        # the claims continue_conversation makes for the bot (CloudAdapter.create_claims_identity)
        claims = ClaimsIdentity({AuthenticationConstants.AUDIENCE_CLAIM: self._app_id,
                                 AuthenticationConstants.APP_ID_CLAIM: self._app_id}, True)
        url, activity = proactive(target, reply, str(uuid.uuid1()))
        try:
            client = await self._auth.create_connector_factory(claims).create(
                target.get("serviceUrl") or "", None)
            await self._connector.call("POST", url, activity, client.config.credentials)
        except ConnectorError as exc:
            return SendResult(exc.status, exc.retry_after, str(exc)[:200])
        except (aiohttp.ClientError, OSError) as exc:
            return SendResult(0, None, f"{type(exc).__name__}: {exc}"[:200])
        return SendResult(200)

    async def _through_botbuilder(self, target: dict[str, Any], reply: Reply) -> SendResult:
        conversation = as_new_post(ConversationReference().deserialize(target))
        activity = message_activity(reply)
        outcome: list[SendResult] = []

        async def post(turn_context: TurnContext) -> None:
            try:
                await turn_context.send_activity(activity)
                outcome.append(SendResult(200))
            except HttpOperationError as exc:
                # msrest keeps the transport's own response: aiohttp's has `status`
                response = getattr(exc, "response", None)
                status = int(getattr(response, "status_code", None)
                             or getattr(response, "status", 0) or 0)
                headers = getattr(response, "headers", None)
                outcome.append(SendResult(status, _retry_after(headers), str(exc)[:200]))
            except (ClientRequestError, aiohttp.ClientError, OSError) as exc:
                outcome.append(SendResult(0, None, f"{type(exc).__name__}: {exc}"[:200]))

        await self._adapter.continue_conversation(conversation, post, self._app_id)
        if not outcome:
            return SendResult(0, None, "ingen svar fra sendingen")
        return outcome[0]
