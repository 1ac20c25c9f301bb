"""Sliding-window rate limits, as Teams applies them per bot and conversation.

Teams allows a bot, per conversation, 7 messages a second, 8 per 2 s, 60 per 30 s and
1,800 per hour, and about 50 requests a second per app and tenant. The limiter answers
how long to wait before the next send; the caller sleeps, so the clock is injectable.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float


PER_CONVERSATION = (Window(7, 1.0), Window(8, 2.0), Window(60, 30.0), Window(1800, 3600.0))
PER_APP = (Window(50, 1.0),)


class SlidingLimiter:
    """Several windows per key; a send is allowed when every window has room."""

    def __init__(self, windows: tuple[Window, ...],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._windows = windows
        self._clock = clock
        self._sent: dict[str, deque[float]] = {}
        self._horizon = max(w.seconds for w in windows)

    def wait_time(self, key: str) -> float:
        """Seconds until a send for `key` fits in every window (0 when it fits now)."""
        now = self._clock()
        sent = self._sent.get(key)
        if not sent:
            return 0.0
        while sent and now - sent[0] >= self._horizon:
            sent.popleft()
        wait = 0.0
        times = list(sent)  # ascending
        for window in self._windows:
            start = bisect.bisect_right(times, now - window.seconds)
            in_window = len(times) - start
            if in_window >= window.limit:
                # the send that must leave the window before one more fits
                leaving = times[start + in_window - window.limit]
                wait = max(wait, leaving + window.seconds - now)
        return wait

    def record(self, key: str) -> None:
        self._sent.setdefault(key, deque()).append(self._clock())

    def forget_idle(self) -> None:
        """Drop keys with nothing in the longest window (keeps memory flat in a fan-out)."""
        now = self._clock()
        for key in [k for k, v in self._sent.items() if not v or now - v[-1] >= self._horizon]:
            del self._sent[key]
