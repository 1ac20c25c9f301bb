"""The contract between the Teams edge and the flows: one turn in, replies out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

TurnKind = Literal["message", "action", "installed"]


@dataclass(frozen=True)
class Mention:
    """Someone other than Kompis @mentioned in the message (Teams user id and name)."""

    user_id: str
    name: str


@dataclass(frozen=True)
class Incoming:
    """One inbound turn, as the flows need it (no SDK types).

    `value` is the data of a pressed card button: from an Action.Submit message or an
    Action.Execute invoke (`invoke=True`, whose answer replaces the pressed card).
    """

    kind: TurnKind
    conversation_id: str
    conversation_type: str
    user_id: str
    text: str = ""
    value: Mapping[str, Any] | None = None
    invoke: bool = False
    tenant_id: str | None = None
    user_aad_id: str | None = None
    user_name: str | None = None
    team_id: str | None = None
    mentioned: bool = False
    mentions: tuple[Mention, ...] = ()
    reply_to_id: str | None = None
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def action(self) -> str | None:
        """The `action` a pressed button carries, when it is a string."""
        if self.value is None:
            return None
        name = self.value.get("action")
        return name if isinstance(name, str) else None


@dataclass(frozen=True)
class Reply:
    """A message to post: text, a card, or both (text is shown above the card)."""

    text: str | None = None
    card: dict[str, Any] | None = None


@dataclass
class Outcome:
    """What a turn produces.

    `card` replaces the pressed card (the invoke answer, or an update of the pressed
    message for Action.Submit); `replies` are new messages in the conversation.
    """

    replies: list[Reply] = field(default_factory=list)
    card: dict[str, Any] | None = None

    @classmethod
    def say(cls, text: str | None = None, card: dict[str, Any] | None = None) -> Outcome:
        return cls(replies=[Reply(text=text, card=card)])
