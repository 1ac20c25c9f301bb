"""Proactive messages through botbuilder's continue_conversation, with the outcome
reported as a plain SendResult (the adapter itself would swallow the error)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ConversationReference
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.activity import message_activity
from bot.connector import RETRY_IN_TURN, _retry_after
from bot.local_only import service_url_refused
from dialogs.turn import Reply
from scheduler.ports import SendResult

log = logging.getLogger(__name__)

SEND_TIMEOUT = 20.0
# A send Kompis refuses to make itself: neither retried nor taken as "conversation gone".
REFUSED_STATUS = 421


def as_new_post(reference: ConversationReference) -> ConversationReference:
    """A reminder or notice to a Teams channel is a new post in the channel, not a reply in
    the thread where someone once wrote to Kompis: the stored conversation id of a channel
    message ends in `;messageid=<the thread's first post>`, which is dropped (with the
    activity it answered). Personal and group chats are left as they are."""
    conversation = reference.conversation
    if conversation is not None and conversation.id and ";messageid=" in conversation.id \
            and conversation.conversation_type == "channel":
        conversation.id = conversation.id.split(";messageid=", 1)[0]
        reference.activity_id = None
    return reference


class BotProactiveSender:
    """The scheduler's ProactiveSender, backed by the running adapter."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id or None

    async def send(self, reference: dict[str, Any], payload: dict[str, Any]) -> SendResult:
        conversation = as_new_post(ConversationReference().deserialize(reference))
        if service_url_refused(self._app_id or "", conversation.service_url):
            # not retried: the row is given up with this reason (see scheduler/delivery.py)
            return SendResult(REFUSED_STATUS, None, "anonym modus: serviceUrl er ikke lokal")
        activity = message_activity(Reply(text=payload.get("text"), card=payload.get("card")))
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

        token = RETRY_IN_TURN.set(False)
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await self._adapter.continue_conversation(conversation, post, self._app_id)
        except TimeoutError:
            return SendResult(0, None, "timeout")
        finally:
            RETRY_IN_TURN.reset(token)
        if not outcome:
            return SendResult(0, None, "ingen svar fra sendingen")
        return outcome[0]
