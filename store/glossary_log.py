"""What people asked that Kompis could not answer, and how useful its answers were."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from store.db import Database
from store.models import AnswerFeedback, QuestionLog, utcnow


@dataclass(frozen=True)
class FrequentQuestion:
    text: str
    count: int
    best_guess: str | None


@dataclass(frozen=True)
class FeedbackTally:
    entry_id: str
    useful: int
    not_useful: int


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(value: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (JSON `"\\ud800"`) becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", value)


class GlossaryLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def unanswered(self, text: str, conversation_type: str, outcome: str,
                         best_guess: str | None) -> None:
        async with self._db.transaction() as session:
            session.add(QuestionLog(at=utcnow(), text=_storable(text[:500]), outcome=outcome,
                                    conversation_type=conversation_type[:32],
                                    best_guess=best_guess and _storable(best_guess)))

    async def feedback(self, entry_id: str, voter: str, useful: bool) -> None:
        """Store a vote; a second press by the same person changes it, never doubles it."""
        values = {"entry_id": entry_id[:64], "voter": voter[:64], "useful": useful,
                  "at": utcnow()}
        dialect = sqlite if self._db.is_sqlite else postgresql
        stmt = dialect.insert(AnswerFeedback).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["entry_id", "voter"],
            set_={"useful": stmt.excluded.useful, "at": stmt.excluded.at},
        )
        async with self._db.transaction() as session:
            await session.execute(stmt)

    async def frequent_unanswered(self, limit: int = 10) -> list[FrequentQuestion]:
        key = func.lower(QuestionLog.text)
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(func.min(QuestionLog.text), func.count(), func.max(QuestionLog.best_guess))
                .group_by(key)
                .order_by(func.count().desc(), func.min(QuestionLog.text))
                .limit(limit)
            )
            return [FrequentQuestion(text, int(n), guess) for text, n, guess in rows]

    async def least_useful(self, limit: int = 10) -> list[FeedbackTally]:
        not_useful = func.sum(case((AnswerFeedback.useful.is_(False), 1), else_=0))
        useful = func.sum(case((AnswerFeedback.useful.is_(True), 1), else_=0))
        async with self._db.sessions() as session:
            rows = await session.execute(
                select(AnswerFeedback.entry_id, useful, not_useful)
                .group_by(AnswerFeedback.entry_id)
                .having(not_useful > 0)
                .order_by(not_useful.desc(), AnswerFeedback.entry_id)
                .limit(limit)
            )
            return [FeedbackTally(e, int(u or 0), int(n or 0)) for e, u, n in rows]
