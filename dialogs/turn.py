"""The contract between the Teams edge and the flows: one turn in, replies out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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
    """A message to post: text, a card, or both (text is shown above the card).

    `to_personal`: the message goes to the person's personal chat with Kompis, not to the
    channel or group chat the turn came from (see `personal`)."""

    text: str | None = None
    card: dict[str, Any] | None = None
    to_personal: bool = False


@dataclass
class Outcome:
    """What a turn produces.

    `card` replaces the pressed card (the invoke answer, or an update of the pressed
    message for Action.Submit); `replies` are new messages in the conversation.
    """

    replies: list[Reply] = field(default_factory=list)
    card: dict[str, Any] | None = None
    # Said in the channel or group chat when replies went to the personal chat instead
    shared_note: str | None = None

    @property
    def shows_card(self) -> bool:
        return self.card is not None or any(r.card is not None for r in self.replies)

    @classmethod
    def say(cls, text: str | None = None, card: dict[str, Any] | None = None) -> Outcome:
        return cls(replies=[Reply(text=text, card=card)])


def personal(turn: Incoming, outcome: Outcome, note: str) -> Outcome:
    """In a channel or group chat, an outcome that shows a card (a draft, a form, a
    report, personal data) goes to the person's personal chat with Kompis instead, and the
    shared chat is told `note` (one line, nothing personal). The pressed card, if any, is
    left as it is. An outcome of text alone (a refusal, a short answer) stays where it was
    asked, and so does everything in a personal chat."""
    if turn.conversation_type == "personal" or not outcome.shows_card:
        return outcome
    replies = [Reply(card=outcome.card)] if outcome.card is not None else []
    replies += outcome.replies
    return Outcome([replace(r, to_personal=True) for r in replies], shared_note=note)
