"""Teams activities as plain JSON: the inbound activity read once into an `Incoming`, the
conversation reference, and the outgoing activities, without msrest's models.

What goes out is what botbuilder sent before (TurnContext.send_activities ->
ConnectorClient -> msrest), field for field: tests/protocol/test_wire.py compares both
against JSON recorded from botbuilder's path. The rules copied from botbuilder 4.17:

- a reply carries the incoming activity's channelId, locale, serviceUrl and conversation,
  `from` = the incoming recipient, `recipient` = the incoming sender, `replyToId` = the
  incoming id (none for a conversationUpdate), `inputHint: acceptingInput`; it is POSTed
  to `v3/conversations/{id}/activities/{replyToId}` (or `…/activities` without one);
- accounts and conversations keep only the fields msrest's models know, with the types
  they declare; `conversation.tenantId` is not among them (msrest spells it `tenantID`);
- an update of a pressed card is PUT to `…/activities/{id}` with the card message's `id`,
  `replyToId` as above and no inputHint;
- path segments are percent-encoded with nothing kept (`quote(…, safe="")`), appended to
  the serviceUrl without its trailing slash.

Everything here takes what a hostile client may send: a field of the wrong type is left
out, never trusted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import orjson

from dialogs.turn import Incoming, Mention, Reply, TurnKind
from store.conversations import ConversationRecord

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
MESSAGE = "message"
INVOKE = "invoke"
CONVERSATION_UPDATE = "conversationUpdate"
ACCEPTING_INPUT = "acceptingInput"
_NO_REPLY_TO_CHANNELS = frozenset({"directline", "webchat"})
_AT_TAG = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_OBJECT = object  # msrest's "object": any JSON value

# msrest's ChannelAccount and ConversationAccount: the JSON key and the declared type
_ACCOUNT: tuple[tuple[str, type], ...] = (
    ("id", str), ("name", str), ("aadObjectId", str), ("role", str), ("properties", _OBJECT))
_CONVERSATION: tuple[tuple[str, type], ...] = (
    ("isGroup", bool), ("conversationType", str), ("id", str), ("name", str),
    ("aadObjectId", str), ("role", str), ("tenantID", str), ("properties", _OBJECT))


def _get(obj: Any, *path: str) -> Any:
    """Walk dicts and return None where a key is missing or a step is not a dict."""
    for key in path:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _model(value: Any, fields: tuple[tuple[str, type], ...]) -> dict[str, Any] | None:
    """The fields msrest's model keeps, each only when it has the declared JSON type."""
    if not isinstance(value, Mapping):
        return None
    kept: dict[str, Any] = {}
    for key, kind in fields:
        item = value.get(key)
        if item is None:
            continue
        if kind is _OBJECT or (type(item) is kind):
            kept[key] = item
    return kept


class Inbound:
    """One inbound activity, read once: the fields a turn and its replies need."""

    __slots__ = (
        "body",
        "bot",
        "channel_data",
        "channel_id",
        "conversation",
        "id",
        "locale",
        "sender",
        "service_url",
        "type",
    )

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.body = body
        self.type = _str(body.get("type")) or ""
        self.id = _str(body.get("id"))
        self.channel_id = _str(body.get("channelId"))
        self.service_url = _str(body.get("serviceUrl")) or ""
        self.locale = _str(body.get("locale"))
        self.conversation = _model(body.get("conversation"), _CONVERSATION) or {}
        self.sender = _model(body.get("from"), _ACCOUNT)
        self.bot = _model(body.get("recipient"), _ACCOUNT)
        channel_data = body.get("channelData")
        self.channel_data = channel_data if isinstance(channel_data, Mapping) else None

    # --- what the turn reads --------------------------------------------------------

    @property
    def conversation_id(self) -> str:
        return _str(self.conversation.get("id")) or ""

    @property
    def name(self) -> str | None:
        return _str(self.body.get("name"))

    @property
    def text(self) -> str:
        return _str(self.body.get("text")) or ""

    @property
    def value(self) -> Any:
        return self.body.get("value")

    @property
    def reply_to_id(self) -> str | None:
        return _str(self.body.get("replyToId"))

    @property
    def user_aad_id(self) -> str | None:
        """The sender's Entra object id."""
        return _str(self.sender.get("aadObjectId")) if self.sender else None

    @property
    def bot_id(self) -> str | None:
        return _str(self.bot.get("id")) if self.bot else None

    def tenant_id(self) -> str | None:
        """channelData.tenant.id (as bot.activity.tenant_id: msrest keeps no tenantId)."""
        value = _get(self.channel_data, "tenant", "id")
        if isinstance(value, str) and value:
            return value
        value = self.conversation.get("tenantID")
        return value if isinstance(value, str) and value else None

    def conversation_type(self) -> str:
        kind = self.conversation.get("conversationType")
        return kind if kind in ("personal", "groupChat", "channel") else "personal"

    def _mentions(self) -> list[tuple[Mapping[str, Any], Any]]:
        """(mentioned, text) of each mention entity, in order."""
        entities = self.body.get("entities")
        if not isinstance(entities, list):
            return []
        return [(entity["mentioned"], entity.get("text")) for entity in entities
                if isinstance(entity, Mapping) and entity.get("type") == "mention"
                and isinstance(entity.get("mentioned"), Mapping)]

    def bot_mentioned(self) -> bool:
        bot_id = self.bot_id
        return bool(bot_id) and any(m.get("id") == bot_id for m, _ in self._mentions())

    def other_mentions(self) -> tuple[Mention, ...]:
        """People @mentioned in the message, Kompis excepted, in order and without repeats."""
        bot_id = self.bot_id
        found: dict[str, Mention] = {}
        for mentioned, _ in self._mentions():
            user_id, name = mentioned.get("id"), mentioned.get("name")
            if isinstance(user_id, str) and user_id and user_id != bot_id:
                found.setdefault(user_id, Mention(user_id, name if isinstance(name, str) else ""))
        return tuple(found.values())

    def text_without_mentions(self) -> str:
        """The typed text with the bot's @mention (and any <at> tags) removed."""
        text = self.text
        bot_id = self.bot_id
        for mentioned, tag in self._mentions():
            if mentioned.get("id") == bot_id and isinstance(tag, str) and tag:
                text = text.replace(tag, " ")
        if "<" in text or "&" in text:
            text = _AT_TAG.sub(" ", text).replace("&nbsp;", " ")
        return " ".join(text.split())

    def card_data(self) -> dict[str, Any] | None:
        """The pressed button's data: Action.Execute (invoke) or Action.Submit (message)."""
        value = self.value
        if self.type == INVOKE:
            action = _get(value, "action")
            if not isinstance(action, Mapping):
                return None
            raw = action.get("data")
            data = dict(raw) if isinstance(raw, Mapping) else {}
            verb = action.get("verb")
            if "action" not in data and isinstance(verb, str):
                data["action"] = verb
            return data
        return dict(value) if isinstance(value, Mapping) else None

    def received_at(self) -> datetime:
        stamp = self.body.get("timestamp")
        if isinstance(stamp, str):
            try:
                parsed = datetime.fromisoformat(stamp)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                return parsed
        return datetime.now(UTC)

    def incoming(self, kind: TurnKind) -> Incoming:
        sender = self.sender or {}
        return Incoming(
            kind=kind,
            conversation_id=self.conversation_id,
            conversation_type=self.conversation_type(),
            user_id=_str(sender.get("id")) or "",
            text=self.text_without_mentions() if kind == "message" else "",
            value=self.card_data() if kind == "action" else None,
            invoke=self.type == INVOKE,
            tenant_id=self.tenant_id(),
            user_aad_id=_str(sender.get("aadObjectId")),
            user_name=_str(sender.get("name")),
            team_id=_get(self.channel_data, "team", "id"),
            mentioned=self.bot_mentioned(),
            mentions=self.other_mentions() if kind == "message" else (),
            reply_to_id=self.reply_to_id,
            received_at=self.received_at(),
        )

    # --- where a reply goes ---------------------------------------------------------

    @property
    def activity_id(self) -> str | None:
        """The id replies answer (botbuilder's ConversationReference.activity_id)."""
        if self.type == CONVERSATION_UPDATE or self.channel_id in _NO_REPLY_TO_CHANNELS:
            return None
        return self.id

    def reference(self) -> dict[str, Any]:
        """ConversationReference.serialize() of botbuilder's reference to this activity."""
        reference: dict[str, Any] = {}
        for key, value in (("activityId", self.activity_id), ("user", self.sender),
                           ("bot", self.bot), ("conversation", self.conversation),
                           ("channelId", self.channel_id), ("locale", self.locale),
                           ("serviceUrl", self.service_url or None)):
            if value is not None:
                reference[key] = value
        return reference

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything the stored row is made of, but the activity id (new every turn)."""
        return (self.service_url, self.channel_id, self.locale, self.conversation,
                self.sender, self.bot, self.tenant_id(), _get(self.channel_data, "team", "id"),
                _get(self.channel_data, "channel", "id"))

    def record(self, *, installed: bool = True) -> ConversationRecord:
        """What a later proactive message needs (as bot.activity.to_record)."""
        return ConversationRecord(
            conversation_id=self.conversation_id,
            channel_id=self.channel_id or "msteams",
            service_url=self.service_url,
            conversation_type=self.conversation_type(),
            reference=self.reference(),
            tenant_id=self.tenant_id(),
            team_id=_get(self.channel_data, "team", "id"),
            teams_channel_id=_get(self.channel_data, "channel", "id"),
            user_aad_id=_str((self.sender or {}).get("aadObjectId")),
            installed=installed,
        )

    # --- the person's personal chat (a draft or form asked for in a shared chat) ---------

    def create_personal(self) -> tuple[str, dict[str, Any]] | None:
        """The URL and body that create (or find: Teams keeps one per person and bot) the
        sender's 1:1 chat with Kompis, as Teams' proactive 1:1 chats are created:
        msrest's ConversationParameters(is_group=False, bot, members=[the sender],
        tenant_id, channel_data={"tenant": {"id": …}}). None without a sender id."""
        user_id = _str((self.sender or {}).get("id"))
        if not user_id:
            return None
        body: dict[str, Any] = {"isGroup": False, "members": [{"id": user_id}]}
        if self.bot:
            body["bot"] = self.bot
        tenant = self.tenant_id()
        if tenant:  # msrest spells it tenantID; Teams reads the tenant from channelData
            body["tenantID"] = tenant
            body["channelData"] = {"tenant": {"id": tenant}}
        return f"{self.service_url.rstrip('/')}/v3/conversations", body

    def personal_record(self, conversation_id: str) -> ConversationRecord:
        """The stored reference of the sender's 1:1 chat `conversation_id` (what the
        create call answered), as a turn in that chat would store it; proactive sends
        read it like any other."""
        tenant = self.tenant_id()
        # as a turn there stores it: Teams' conversation.tenantId is not kept (see above)
        conversation = {"conversationType": "personal", "id": conversation_id}
        url = self.service_url  # a tenant's chats share it; never taken from an answer
        reference: dict[str, Any] = {}
        for key, value in (("user", self.sender), ("bot", self.bot),
                           ("conversation", conversation), ("channelId", self.channel_id),
                           ("locale", self.locale), ("serviceUrl", url or None)):
            if value is not None:
                reference[key] = value
        return ConversationRecord(
            conversation_id=conversation_id, channel_id=self.channel_id or "msteams",
            service_url=url, conversation_type="personal", reference=reference,
            tenant_id=tenant, user_aad_id=self.user_aad_id, installed=True)

    def _addressed(self, activity: dict[str, Any]) -> dict[str, Any]:
        """botbuilder's apply_conversation_reference for an outgoing activity."""
        for key, value in (("channelId", self.channel_id), ("locale", self.locale),
                           ("serviceUrl", self.service_url or None),
                           ("conversation", self.conversation), ("from", self.bot),
                           ("recipient", self.sender), ("replyToId", self.activity_id)):
            if value is not None:
                activity[key] = value
        return activity

    def reply(self, reply: Reply) -> tuple[str, dict[str, Any]]:
        """The URL and JSON of a new message answering this activity."""
        activity = self._addressed(message(reply))
        activity["inputHint"] = ACCEPTING_INPUT
        reply_to = activity.get("replyToId")
        return activities_url(self.service_url, self.conversation_id, reply_to), activity

    def update(self, activity_id: str, card: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The URL and JSON that replace the message `activity_id` with `card`."""
        activity = self._addressed(message(Reply(card=card)))
        activity["id"] = activity_id
        return activities_url(self.service_url, self.conversation_id, activity_id), activity


def to_json(value: Any) -> bytes:
    """The UTF-8 bytes json.dumps(value, ensure_ascii=False, separators=(",", ":")) gives,
    from orjson in a tenth of the time (a card reply: 2 µs against 30)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def to_json_text(value: Any) -> str:
    """`to_json` as text (aiohttp's json_response takes a str)."""
    return to_json(value).decode()


def message(reply: Reply) -> dict[str, Any]:
    """A message with text, an Adaptive Card, or both."""
    activity: dict[str, Any] = {"type": MESSAGE}
    if reply.text is not None:
        activity["text"] = reply.text
    if reply.card is not None:
        activity["attachments"] = [{"contentType": CARD_TYPE, "content": reply.card}]
    return activity


def activities_url(service_url: str, conversation_id: str, activity_id: str | None) -> str:
    """`{serviceUrl}v3/conversations/{id}/activities[/{activity id}]`, as msrest builds it."""
    url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}" \
          "/activities"
    return f"{url}/{quote(activity_id, safe='')}" if activity_id else url


def new_post(reference: Mapping[str, Any]) -> dict[str, Any]:
    """A stored reference addressed as a new post: a channel thread's conversation id
    (`…;messageid=<the thread's first post>`) loses the thread, and with it the activity
    it answered. Personal and group chats are left as they are."""
    found = dict(reference)
    conversation = _model(reference.get("conversation"), _CONVERSATION) or {}
    conversation_id = _str(conversation.get("id")) or ""
    if ";messageid=" in conversation_id and conversation.get("conversationType") == "channel":
        conversation["id"] = conversation_id.split(";messageid=", 1)[0]
        found.pop("activityId", None)
    found["conversation"] = conversation
    return found


def proactive(reference: Mapping[str, Any], reply: Reply,
              continuation_id: str) -> tuple[str, dict[str, Any]]:
    """The URL and JSON of a proactive message to a stored reference, as botbuilder's
    continue_conversation sent it: addressed from the reference's continuation activity
    (`continuation_id`, a new uuid), which the message answers; no locale."""
    conversation = _model(reference.get("conversation"), _CONVERSATION) or {}
    activity = message(reply)
    for key, value in (("channelId", _str(reference.get("channelId"))),
                       ("serviceUrl", _str(reference.get("serviceUrl"))),
                       ("conversation", conversation),
                       ("from", _model(reference.get("bot"), _ACCOUNT)),
                       ("recipient", _model(reference.get("user"), _ACCOUNT)),
                       ("replyToId", continuation_id)):
        if value is not None:
            activity[key] = value
    activity["inputHint"] = ACCEPTING_INPUT
    url = activities_url(_str(reference.get("serviceUrl")) or "",
                         _str(conversation.get("id")) or "", continuation_id)
    return url, activity
