"""What the flows may use: repositories and settings, no SDK and no web app."""

from __future__ import annotations

from dataclasses import dataclass

from store.conversations import ConversationRepository
from store.db import Database
from store.outbox import OutboxRepository
from store.subscriptions import SubscriptionRepository


@dataclass
class Services:
    db: Database
    conversations: ConversationRepository
    subscriptions: SubscriptionRepository
    outbox: OutboxRepository
    public_url: str = "http://127.0.0.1:3978"

    @classmethod
    def from_database(cls, db: Database, *, public_url: str) -> Services:
        return cls(
            db=db,
            conversations=ConversationRepository(db),
            subscriptions=SubscriptionRepository(db),
            outbox=OutboxRepository(db),
            public_url=public_url.rstrip("/"),
        )
