"""What the scheduler needs from the edge, as plain types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class SendResult:
    """How one proactive send went. `status` is the connector's HTTP status (0: no answer)."""

    status: int
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class ProactiveSender(Protocol):
    async def send(self, reference: dict[str, Any], payload: dict[str, Any]) -> SendResult:
        """Post `payload` ({"text": ..., "card": ...}) into the conversation of `reference`."""
        ...
