"""The one clock Kompis reads: the real time, or a fixed moment in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from domain.norsk import OSLO


def utcnow() -> datetime:
    return datetime.now(UTC)


class Clock:
    """Calling it gives an aware datetime; `now()` gives it in Oslo time.

    Tests and demos move it with `set` (a moment or a function of no arguments); every
    part of the runtime shares the one instance, so they all see the same time.
    """

    def __init__(self, source: Callable[[], datetime] = utcnow) -> None:
        self._source = source

    def __call__(self) -> datetime:
        return self._source()

    def now(self) -> datetime:
        return self._source().astimezone(OSLO)

    def set(self, moment: datetime | Callable[[], datetime]) -> None:
        if isinstance(moment, datetime):
            if moment.tzinfo is None:
                raise ValueError("the clock needs an aware datetime")
            self._source = lambda: moment
        else:
            self._source = moment
