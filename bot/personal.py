"""The person's personal chat with Kompis, for what must not be shown to a whole channel
or group chat.

Replies the flows address `to_personal` (a draft, a form, a report asked for in a shared
chat; see `dialogs.turn.personal`) go to the sender's 1:1 chat with Kompis: the one
already stored (every conversation's reference is), or one created through the Bot
Connector (`POST {serviceUrl}/v3/conversations` with the sender as the only member, as
Teams' proactive 1:1 chats are made), whose reference is then stored like any other, for
the presses that follow there and for proactive sends. Teams refuses the create (403 or
404) when the person has not installed Kompis for themselves: then nothing is sent, and
the caller says in the shared chat how to start the chat.

Plain JSON through Kompis's JsonConnector (the turn's token, retries, 429 handling).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from bot.connector import ConnectorError, JsonConnector
from bot.wire import Inbound, proactive
from dialogs.turn import Reply
from store.conversations import ConversationRepository

log = logging.getLogger(__name__)

# What Teams answers when the bot may not talk to the person one to one (the app is not
# installed for them, or the user is unknown to the tenant's roster)
NOT_INSTALLED = frozenset({403, 404})


class PersonalChats:
    def __init__(self, conversations: ConversationRepository,
                 connector: JsonConnector) -> None:
        self._conversations = conversations
        self._connector = connector

    async def send(self, inbound: Inbound, replies: list[Reply], credentials: Any) -> bool:
        """Post `replies` in the sender's personal chat; False when Teams will not open
        one (nothing was sent). Other connector failures raise, as a reply's would."""
        stored = await self._stored(inbound)
        if stored is not None:
            conversation_id, reference = stored
            try:
                await self._post(reference, replies, credentials)
                return True
            except ConnectorError as exc:
                if exc.status not in NOT_INSTALLED:
                    raise
                log.info("stored personal chat refused (%s): creating it anew", exc.status)
                await self._conversations.set_installed(conversation_id, False)
        created = await self._create(inbound, credentials)
        if created is None:
            return False
        await self._post(created, replies, credentials)
        return True

    async def _stored(self, inbound: Inbound) -> tuple[str, dict[str, Any]] | None:
        """The personal chat Kompis already has with the sender (by Entra object id)."""
        person = inbound.user_aad_id
        if not person:
            return None
        for conversation_id in await self._conversations.personal_chats_of({person}):
            row = await self._conversations.get(conversation_id)
            if row is not None and isinstance(row.reference, dict):
                return conversation_id, row.reference
        return None

    async def _create(self, inbound: Inbound, credentials: Any) -> dict[str, Any] | None:
        """Create (or find) the 1:1 chat and store its reference; None when refused."""
        made = inbound.create_personal()
        if made is None:
            return None
        url, body = made
        try:
            answer = await self._connector.call("POST", url, body, credentials)
        except ConnectorError as exc:
            if exc.status not in NOT_INSTALLED:
                raise
            log.info("personal chat not created: the connector answered %s", exc.status)
            return None
        conversation_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(conversation_id, str) or not conversation_id:
            log.warning("personal chat not created: the answer named no conversation")
            return None
        record = inbound.personal_record(conversation_id)
        await self._conversations.upsert(record)
        log.info("personal chat opened through the connector for a request in a shared chat")
        return record.reference

    async def _post(self, reference: dict[str, Any], replies: list[Reply],
                    credentials: Any) -> None:
        """As the outbox's proactive sends are addressed (bot.wire.proactive)."""
        for reply in replies:
            url, activity = proactive(reference, Reply(text=reply.text, card=reply.card),
                                      str(uuid.uuid1()))
            await self._connector.call("POST", url, activity, credentials)
