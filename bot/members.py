"""Who a Teams user is: their Entra ID object id and UPN, from the Bot Connector.

An @mention carries only the Teams user id and a display name; granting a role needs
the object id, which the connector's member lookup gives.
"""

from __future__ import annotations

import logging

from botframework.connector.auth import AuthenticationConstants, ClaimsIdentity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.connector import KompisAuthentication
from bot.local_only import service_url_refused
from dialogs.services import Member
from store.conversations import ConversationRepository

log = logging.getLogger(__name__)


class ConnectorMembers:
    """The flows' MemberDirectory, backed by the connector of the conversation."""

    def __init__(self, auth: KompisAuthentication, app_id: str,
                 conversations: ConversationRepository) -> None:
        self._auth = auth
        self._app_id = app_id
        self._conversations = conversations

    async def lookup(self, conversation_id: str, user_id: str) -> Member | None:
        conversation = await self._conversations.get(conversation_id)
        if conversation is None:
            return None
        if service_url_refused(self._app_id, conversation.service_url):
            log.warning("member lookup refused: anonymous mode, serviceUrl not on loopback")
            return None
        claims = {}
        if self._app_id:
            claims = {AuthenticationConstants.AUDIENCE_CLAIM: self._app_id,
                      AuthenticationConstants.APP_ID_CLAIM: self._app_id}
        factory = self._auth.create_connector_factory(ClaimsIdentity(claims, True))
        client = await factory.create(conversation.service_url, None)
        try:
            account = await client.conversations.get_conversation_member(
                conversation_id, user_id
            )
        except (HttpOperationError, ClientRequestError) as exc:
            log.warning("member lookup failed: %s", type(exc).__name__)
            return None
        extra = getattr(account, "additional_properties", None) or {}
        return Member(
            user_id=account.id or user_id,
            aad_object_id=(account.aad_object_id or extra.get("aadObjectId") or None),
            name=account.name,
            upn=extra.get("userPrincipalName") or extra.get("email"),
            email=extra.get("email") or None,
        )
