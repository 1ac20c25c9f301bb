"""botbuilder's Activity for the paths that still go through the SDK (the stock
connector mode, installation and conversation updates, proactive sends). The hot path
reads and writes plain JSON instead (bot/wire.py)."""

from __future__ import annotations

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.wire import CARD_TYPE
from dialogs.turn import Reply

__all__ = ["CARD_TYPE", "message_activity"]


def message_activity(reply: Reply) -> Activity:
    """A message with text, an Adaptive Card, or both."""
    activity = Activity(type=ActivityTypes.message, text=reply.text)
    if reply.card is not None:
        activity.attachments = [Attachment(content_type=CARD_TYPE, content=reply.card)]
    return activity
