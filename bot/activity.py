"""Translate botbuilder activities into the SDK-free types the flows and store use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment

from dialogs.turn import Incoming, Mention, Reply, TurnKind
from store.conversations import ConversationRecord

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
_AT_TAG = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


def _get(obj: Any, *path: str) -> Any:
    """Walk dicts (channelData arrives as a plain dict) and return None where a key is missing."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def tenant_id(activity: Activity) -> str | None:
    """The tenant from channelData.tenant.id (botbuilder drops conversation.tenantId)."""
    value = _get(activity.channel_data, "tenant", "id")
    if isinstance(value, str) and value:
        return value
    conversation = activity.conversation
    value = getattr(conversation, "tenant_id", None) if conversation else None
    return value if isinstance(value, str) and value else None


def conversation_type(activity: Activity) -> str:
    kind = getattr(activity.conversation, "conversation_type", None)
    return kind if kind in ("personal", "groupChat", "channel") else "personal"


def bot_mentioned(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        if entity.type == "mention":
            mentioned = entity.additional_properties.get("mentioned")
            if bot_id and isinstance(mentioned, Mapping) and mentioned.get("id") == bot_id:
                return True
    return False


def other_mentions(activity: Activity) -> tuple[Mention, ...]:
    """People @mentioned in the message, Kompis excepted, in order and without repeats."""
    bot_id = activity.recipient.id if activity.recipient else None
    found: dict[str, Mention] = {}
    for entity in activity.entities or []:
        if entity.type != "mention":
            continue
        mentioned = entity.additional_properties.get("mentioned")
        if not isinstance(mentioned, Mapping):
            continue
        user_id, name = mentioned.get("id"), mentioned.get("name")
        if isinstance(user_id, str) and user_id and user_id != bot_id:
            found.setdefault(user_id, Mention(user_id, name if isinstance(name, str) else ""))
    return tuple(found.values())


def text_without_mentions(activity: Activity) -> str:
    """The typed text with the bot's @mention (and any <at> tags) removed."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        if entity.type != "mention":
            continue
        mentioned = entity.additional_properties.get("mentioned")
        tag = entity.additional_properties.get("text")
        if (isinstance(mentioned, Mapping) and mentioned.get("id") == bot_id
                and isinstance(tag, str) and tag):
            text = text.replace(tag, " ")
    text = _AT_TAG.sub(" ", text).replace("&nbsp;", " ")
    return " ".join(text.split())


def card_data(activity: Activity) -> dict[str, Any] | None:
    """The pressed button's data: Action.Execute (invoke) or Action.Submit (message value)."""
    value = activity.value
    if activity.type == ActivityTypes.invoke:
        action = _get(value, "action")
        if not isinstance(action, Mapping):
            return None
        data = dict(action.get("data") or {}) if isinstance(action.get("data"), Mapping) else {}
        verb = action.get("verb")
        if "action" not in data and isinstance(verb, str):
            data["action"] = verb
        return data
    return dict(value) if isinstance(value, Mapping) else None


def to_incoming(activity: Activity, kind: TurnKind) -> Incoming:
    sender = activity.from_property
    timestamp = activity.timestamp if isinstance(activity.timestamp, datetime) else None
    return Incoming(
        kind=kind,
        conversation_id=activity.conversation.id,
        conversation_type=conversation_type(activity),
        user_id=(sender.id if sender else None) or "",
        text=text_without_mentions(activity) if kind == "message" else "",
        value=card_data(activity) if kind == "action" else None,
        invoke=activity.type == ActivityTypes.invoke,
        tenant_id=tenant_id(activity),
        user_aad_id=getattr(sender, "aad_object_id", None) if sender else None,
        user_name=getattr(sender, "name", None) if sender else None,
        team_id=_get(activity.channel_data, "team", "id"),
        mentioned=bot_mentioned(activity),
        mentions=other_mentions(activity) if kind == "message" else (),
        reply_to_id=activity.reply_to_id,
        received_at=timestamp or datetime.now(UTC),
    )


def to_record(activity: Activity, *, installed: bool = True) -> ConversationRecord:
    """What a later proactive message needs: the serialized conversation reference and more."""
    reference = TurnContext.get_conversation_reference(activity).serialize()
    sender = activity.from_property
    return ConversationRecord(
        conversation_id=activity.conversation.id,
        channel_id=activity.channel_id or "msteams",
        service_url=activity.service_url,
        conversation_type=conversation_type(activity),
        reference=reference,
        tenant_id=tenant_id(activity),
        team_id=_get(activity.channel_data, "team", "id"),
        teams_channel_id=_get(activity.channel_data, "channel", "id"),
        user_aad_id=getattr(sender, "aad_object_id", None) if sender else None,
        installed=installed,
    )


def message_activity(reply: Reply) -> Activity:
    """A message with text, an Adaptive Card, or both."""
    activity = Activity(type=ActivityTypes.message, text=reply.text)
    if reply.card is not None:
        activity.attachments = [Attachment(content_type=CARD_TYPE, content=reply.card)]
    return activity
