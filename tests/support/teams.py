"""Teams-shaped activities, posted to a running Kompis the way Teams posts them."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

BOT_ID = "28:kompis-bot"
BOT_NAME = "Kompis"
TENANT = "72f988bf-0000-4000-8000-000000000001"


@dataclass(frozen=True)
class User:
    id: str
    aad: str
    name: str


@dataclass(frozen=True)
class Conv:
    id: str
    type: str  # personal, groupChat, channel
    team_id: str | None = None
    channel_id: str | None = None


ALICE = User("29:1alice", "aad-alice-0001", "Alice Fosen")
BOB = User("29:1bob", "aad-bob-0002", "Bob Namdal")
CAROL = User("29:1carol", "aad-carol-0003", "Carol Koordinator")

PERSONAL = Conv("a:1personal-alice", "personal")
GROUP = Conv("19:group-fosen@thread.v2", "groupChat")
TEAM = "19:team-general@thread.tacv2"
CHANNEL = Conv(f"{TEAM};messageid=1700000000000", "channel", team_id=TEAM, channel_id=TEAM)
# Where Kompis's own posts to that channel arrive (reminders, notices): new posts in the
# channel, not replies in the thread above.
CHANNEL_POSTS = TEAM


@dataclass
class Answer:
    status: int
    body: Any


class TeamsClient:
    """Builds and posts activities; what Kompis replies arrives at the recording connector."""

    def __init__(self, http: aiohttp.ClientSession, bot_url: str | Callable[[], str],
                 service_url: str, tenant: str = TENANT) -> None:
        self.http = http
        self._bot_url = bot_url
        self.service_url = service_url
        self.tenant = tenant
        self._ids = itertools.count(1)
        # Teams' activity ids are unique; two clients in one test must not share them
        # (Kompis answers an id once per conversation, as a redelivery)
        self._prefix = uuid.uuid4().hex[:8]

    @property
    def bot_url(self) -> str:
        """Read on every post, so a restarted server on a new port is found."""
        return self._bot_url() if callable(self._bot_url) else self._bot_url

    def activity(self, type_: str, *, conv: Conv = PERSONAL, user: User = ALICE,
                 **fields: Any) -> dict[str, Any]:
        channel_data: dict[str, Any] = {"tenant": {"id": self.tenant}}
        if conv.team_id:
            channel_data["team"] = {"id": conv.team_id, "name": "Kompetansenettverk Fosen"}
            channel_data["channel"] = {"id": conv.channel_id, "name": "Generelt"}
        body: dict[str, Any] = {
            "type": type_,
            "id": f"in-{self._prefix}-{next(self._ids)}",
            "timestamp": datetime.now(UTC).isoformat(),
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": user.id, "name": user.name, "aadObjectId": user.aad},
            "conversation": {
                "id": conv.id,
                "conversationType": conv.type,
                "tenantId": self.tenant,
                **({"isGroup": True} if conv.type != "personal" else {}),
            },
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "channelData": channel_data,
            "locale": "nb-NO",
        }
        body.update(fields)
        return body

    async def post(self, body: Any, *, headers: dict[str, str] | None = None,
                   raw: bytes | None = None) -> Answer:
        sent_headers = {"Content-Type": "application/json"} if headers is None else headers
        kwargs: dict[str, Any] = {"data": raw} if raw is not None else {"json": body}
        async with self.http.post(self.bot_url, headers=sent_headers, **kwargs) as resp:
            text = await resp.text()
            try:
                parsed: Any = await resp.json(content_type=None) if text else None
            except ValueError:
                parsed = text
            return Answer(resp.status, parsed)

    async def say(self, text: str, *, conv: Conv = PERSONAL, user: User = ALICE,
                  mention: bool | None = None) -> Answer:
        """A typed message; in group chats and channels it @mentions Kompis by default."""
        mention = conv.type != "personal" if mention is None else mention
        fields: dict[str, Any] = {"text": text, "textFormat": "plain"}
        if mention:
            tag = f"<at>{BOT_NAME}</at>"
            fields["text"] = f"{tag} {text}"
            fields["entities"] = [{
                "type": "mention",
                "text": tag,
                "mentioned": {"id": BOT_ID, "name": BOT_NAME},
            }]
        return await self.post(self.activity("message", conv=conv, user=user, **fields))

    async def say_mentioning(self, text: str, who: User, *, user: User = ALICE,
                             conv: Conv = GROUP) -> Answer:
        """'gi @ rollen …' as Teams sends it: Kompis and `who` both mentioned; the first
        '@' in `text` is where `who`'s name goes."""
        body = self.activity(
            "message", conv=conv, user=user,
            text=f"<at>{BOT_NAME}</at> {text.replace('@', f'<at>{who.name}</at> ', 1)}",
            entities=[
                {"type": "mention", "text": f"<at>{BOT_NAME}</at>",
                 "mentioned": {"id": BOT_ID, "name": BOT_NAME}},
                {"type": "mention", "text": f"<at>{who.name}</at>",
                 "mentioned": {"id": who.id, "name": who.name}},
            ])
        return await self.post(body)

    async def submit(self, data: dict[str, Any], *, conv: Conv = PERSONAL, user: User = ALICE,
                     reply_to: str = "card-1") -> Answer:
        """An Action.Submit press: a message with `value` and no text."""
        return await self.post(self.activity(
            "message", conv=conv, user=user, value=data, replyToId=reply_to,
        ))

    async def execute(self, verb: str, data: dict[str, Any], *, conv: Conv = PERSONAL,
                      user: User = ALICE, reply_to: str = "card-1") -> Answer:
        """An Action.Execute press: the adaptiveCard/action invoke Teams sends."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data},
                 "trigger": "manual"}
        return await self.post(self.activity(
            "invoke", conv=conv, user=user, name="adaptiveCard/action", value=value,
            replyToId=reply_to,
        ))

    async def install(self, *, conv: Conv = PERSONAL, user: User = ALICE) -> Answer:
        """What Teams sends when Kompis is added: conversationUpdate with the bot as member."""
        fields: dict[str, Any] = {"membersAdded": [{"id": BOT_ID}]}
        if conv.team_id:
            fields["channelData"] = {
                "tenant": {"id": self.tenant}, "eventType": "teamMemberAdded",
                "team": {"id": conv.team_id, "name": "Kompetansenettverk Fosen"},
            }
        return await self.post(self.activity("conversationUpdate", conv=conv, user=user,
                                             **fields))

    async def installation_update(self, action: str, *, conv: Conv = PERSONAL,
                                  user: User = ALICE) -> Answer:
        return await self.post(self.activity("installationUpdate", conv=conv, user=user,
                                             action=action))
