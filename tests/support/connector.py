"""A recording Bot Connector: the serviceUrl Kompis talks to in tests and benchmarks.

It accepts the v3 conversation routes Teams' connector serves, records every call, and
can be told to fail (status codes, Retry-After, delays) to exercise retries.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    method: str
    route: str  # send, reply, update, delete, create, members, member, paged_members
    conversation_id: str | None
    activity_id: str | None
    body: Any
    status: int


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class RecordingConnector:
    def __init__(self, *, limit_per_second: float | None = None, share_429: float = 0.0,
                 seed: int = 7, delay: float = 0.0) -> None:
        """`limit_per_second`: answer 429 (Retry-After: 1) to posts over that rate;
        `share_429`: answer 429 to that share of posts at random, as Teams may."""
        self.limit_per_second = limit_per_second
        self.share_429 = share_429
        self.delay = delay  # seconds every call is held before it is answered
        self._random = random.Random(seed)
        self._recent: deque[float] = deque()
        self.calls: list[Call] = []
        self.members: dict[str, dict[str, Any]] = {}  # user id -> TeamsChannelAccount JSON
        # POST /v3/conversations for a 1:1 chat: Teams keeps one per person and bot, and
        # answers 403 for a person who has not installed the app (these user ids)
        self.personal_chats: dict[str, str] = {}  # user id -> their 1:1 conversation id
        self.not_installed: set[str] = set()
        self.arrived = 0  # requests received, counted before any injected delay
        self.first_arrival = asyncio.Event()
        self._faults: deque[Fault] = deque()
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- lifecycle ------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1") -> str:
        """Listen on `host` (loopback unless a test needs a connector Kompis must refuse)."""
        app = web.Application(client_max_size=4 * 1024 * 1024)
        conv = "/v3/conversations/{cid}"
        app.router.add_post("/v3/conversations", self._handler("create"))
        app.router.add_post(conv + "/activities", self._handler("send"))
        app.router.add_post(conv + "/activities/{aid}", self._handler("reply"))
        app.router.add_put(conv + "/activities/{aid}", self._handler("update"))
        app.router.add_delete(conv + "/activities/{aid}", self._handler("delete"))
        app.router.add_get(conv + "/members", self._handler("members"))
        app.router.add_get(conv + "/members/{mid}", self._handler("member"))
        app.router.add_get(conv + "/pagedmembers", self._handler("paged_members"))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind((host, 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://{host}:{sock.getsockname()[1]}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- faults ---------------------------------------------------------------------

    def fail_next(self, status: int, *, times: int = 1, retry_after: str | None = None,
                  delay: float = 0.0) -> None:
        """The next `times` calls answer `status` (e.g. 429 with Retry-After) instead."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        for _ in range(times):
            self._faults.append(Fault(status, headers, delay))

    # --- reading what arrived -------------------------------------------------------

    def messages(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Activities posted as new messages or replies (successful ones)."""
        return [
            c.body for c in self.calls
            if c.route in ("send", "reply") and c.status < 300 and isinstance(c.body, dict)
            and (conversation_id is None or c.conversation_id == conversation_id)
        ]

    def updates(self, conversation_id: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.route == "update"
                and (conversation_id is None or c.conversation_id == conversation_id)]

    def cards(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Adaptive Cards in posted messages, in order."""
        found = []
        for activity in self.messages(conversation_id):
            for attachment in activity.get("attachments") or []:
                if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                    found.append(attachment["content"])
        return found

    def clear(self) -> None:
        self.calls.clear()

    async def wait_for_messages(self, count: int, *,
                                conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Wait (callers bound it with asyncio.timeout) until `count` messages arrived."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self.messages(conversation_id)) >= count)
        return self.messages(conversation_id)

    # --- the routes -----------------------------------------------------------------

    def _handler(self, route: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            body: Any = None
            if request.can_read_body:
                try:
                    body = await request.json()
                except ValueError:
                    body = await request.text()
            self.arrived += 1
            self.first_arrival.set()
            fault = self._faults.popleft() if self._faults else self._throttle(route)
            if fault is None and route == "create" and self._member(body) in self.not_installed:
                fault = Fault(403)
            status = fault.status if fault else 200
            if fault and fault.delay:
                await asyncio.sleep(fault.delay)
            elif self.delay:
                await asyncio.sleep(self.delay)
            call = Call(
                method=request.method,
                route=route,
                conversation_id=request.match_info.get("cid"),
                activity_id=request.match_info.get("aid"),
                body=body,
                status=status,
            )
            async with self._changed:
                self.calls.append(call)
                self._changed.notify_all()
            if fault:
                return web.json_response(
                    {"error": {"code": "Fault", "message": f"injected {status}"}},
                    status=status, headers=fault.headers,
                )
            return web.json_response(self._answer(route, request, body))

        return handle

    def _throttle(self, route: str) -> Fault | None:
        """A 429 when posting over the configured rate, or for the random share."""
        if route not in ("send", "reply"):
            return None
        now = time.monotonic()
        if self.limit_per_second:
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.limit_per_second:
                return Fault(429, {"Retry-After": "1"})
        if self.share_429 and self._random.random() < self.share_429:
            return Fault(429)
        if self.limit_per_second:
            self._recent.append(now)
        return None

    @staticmethod
    def _member(body: Any) -> str | None:
        """The one member of a 1:1 chat a create call asks for (None for anything else)."""
        if not isinstance(body, dict) or body.get("isGroup") is not False:
            return None
        members = body.get("members")
        if isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict):
            member = members[0].get("id")
            return member if isinstance(member, str) else None
        return None

    def personal_messages(self, user_id: str) -> list[dict[str, Any]]:
        """What arrived in the 1:1 chat a create call made for `user_id`."""
        chat = self.personal_chats.get(user_id)
        return self.messages(chat) if chat else []

    def _answer(self, route: str, request: web.Request, request_body: Any = None) -> Any:
        if route == "create":
            member = self._member(request_body)
            if member is not None:  # a 1:1 chat: the same one every time, no activity
                return {"id": self.personal_chats.setdefault(member, f"a:1chat-{member}")}
            return {"id": f"a:created-{next(self._ids)}", "activityId": f"act-{next(self._ids)}"}
        if route in ("send", "reply", "update"):
            return {"id": f"act-{next(self._ids)}"}
        if route == "members":
            return []
        if route == "paged_members":
            return {"members": []}
        if route == "member":
            member = self.members.get(request.match_info["mid"])
            if member is None:
                raise web.HTTPNotFound(text='{"error": {"code": "MemberNotFound"}}',
                                       content_type="application/json")
            return member
        return {}
