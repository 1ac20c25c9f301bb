"""Which conversations get reminders, for which audiences."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from store.db import Database, rowcount
from store.models import Conversation, PartnershipMember, Subscription, utcnow


@dataclass(frozen=True)
class ActiveSubscription:
    conversation_id: str
    conversation_type: str
    audiences: tuple[str, ...]


class SubscriptionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, conversation_id: str, audiences: Iterable[str],
                        by: str | None) -> None:
        """Start (or change) reminders for a conversation; idempotent."""
        now = utcnow()
        values = {
            "conversation_id": conversation_id,
            "audiences": sorted(set(audiences)),
            "active": True,
            "created_by": by,
            "reason": None,
            "created_at": now,
            "updated_at": now,
        }
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(Subscription).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["conversation_id"],
            set_={k: stmt.excluded[k] for k in ("audiences", "active", "reason", "updated_at")},
        )
        async with self._db.transaction() as session:
            await session.execute(stmt)

    async def effective(self, conversation_id: str) -> ActiveSubscription | None:
        """What this conversation gets: its subscription, or a member's implicit one."""
        return next((s for s in await self.active() if s.conversation_id == conversation_id),
                    None)

    async def stop(self, conversation_id: str, by: str | None) -> bool:
        """Stop every reminder here, implicit ones too (a stopped row is remembered);
        True when something was running."""
        running = await self.effective(conversation_id) is not None
        now = utcnow()
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(Subscription).values(
            conversation_id=conversation_id, audiences=[], active=False, created_by=by,
            reason="stoppet i chatten", created_at=now, updated_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=["conversation_id"],
            set_={"active": False, "reason": "stoppet i chatten", "updated_at": now})
        async with self._db.transaction() as session:
            await session.execute(stmt)
        return running

    async def deactivate(self, conversation_id: str, reason: str) -> bool:
        """Stop reminders (asked to, or the conversation is gone); True when one was active."""
        async with self._db.transaction() as session:
            result = await session.execute(
                update(Subscription)
                .where(Subscription.conversation_id == conversation_id,
                       Subscription.active.is_(True))
                .values(active=False, reason=reason[:256], updated_at=utcnow())
            )
            return rowcount(result) > 0

    async def get(self, conversation_id: str) -> Subscription | None:
        async with self._db.sessions() as session:
            return await session.get(Subscription, conversation_id)

    async def active(self) -> list[ActiveSubscription]:
        """Every conversation that gets reminders, where Kompis is still installed: the
        explicit subscriptions, and the personal chats of partnership members (they get
        the partnership reminders unless they said `stopp påminnelser`)."""
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(Subscription.conversation_id, Conversation.conversation_type,
                       Subscription.audiences)
                .join(Conversation,
                      Conversation.conversation_id == Subscription.conversation_id)
                .where(Subscription.active.is_(True), Conversation.installed.is_(True))
                .order_by(Subscription.conversation_id)
            )
            found = {cid: ActiveSubscription(cid, ctype, tuple(aud))
                     for cid, ctype, aud in rows.tuples()}
            members = await session.execute(
                select(PartnershipMember.conversation_id).distinct()
                .join(Conversation,
                      Conversation.conversation_id == PartnershipMember.conversation_id)
                .outerjoin(Subscription,
                           Subscription.conversation_id == PartnershipMember.conversation_id)
                .where(Conversation.installed.is_(True),
                       Conversation.conversation_type == "personal",
                       Subscription.conversation_id.is_(None))
            )
            for (cid,) in members:
                if cid is not None:
                    found.setdefault(cid, ActiveSubscription(cid, "personal", ("partnerskap",)))
            return sorted(found.values(), key=lambda s: s.conversation_id)
