"""A conversation's reference is stored when it is new or has changed, not rewritten on
every turn (each write on SQLite takes the database's single write lock)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event

from bot.app import DATABASE
from store.conversations import ConversationRepository
from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import BOB, GROUP, PERSONAL, Conv, TeamsClient


@pytest.fixture
def reference_writes(kompis: RunningKompis) -> Iterator[list[str]]:
    """The statements that write a conversation row, as the running app sends them."""
    writes: list[str] = []
    engine = kompis.app[DATABASE].engine.sync_engine

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        if " ".join(statement.split()).upper().startswith("INSERT INTO CONVERSATIONS"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    yield writes
    event.remove(engine, "before_cursor_execute", seen)


async def test_the_reference_is_stored_once_for_many_turns(
        teams: TeamsClient, connector: RecordingConnector,
        reference_writes: list[str]) -> None:
    for _ in range(5):
        assert (await teams.say("hjelp")).status == 201
    assert len(connector.cards(PERSONAL.id)) == 5
    assert len(reference_writes) == 1
    for user in (BOB, BOB):  # in a group chat, too, whoever writes
        await teams.say("hjelp", conv=GROUP, user=user)
    assert len(reference_writes) == 2


async def test_a_changed_reference_is_stored_again(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        reference_writes: list[str]) -> None:
    await teams.say("hjelp")
    moved = RecordingConnector()  # Teams serves the conversation from another serviceUrl
    await moved.start()
    try:
        await TeamsClient(teams.http, kompis.messages_url, moved.url).say("hjelp")
        assert len(moved.cards(PERSONAL.id)) == 1
    finally:
        await moved.stop()
    assert len(reference_writes) == 2
    repo = ConversationRepository(kompis.target.database())
    row = await repo.get(PERSONAL.id)
    assert row is not None and row.service_url == moved.url
    await repo._db.dispose()


async def test_the_fingerprints_kept_are_bounded(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector,
        reference_writes: list[str]) -> None:
    bot = kompis.runtime.bot
    bot.reference_cache_size = 2
    chats = [Conv(f"a:1personal-{n}", "personal") for n in range(4)]
    for conv in chats:
        await teams.say("hjelp", conv=conv)
    assert len(reference_writes) == 4 and len(bot._stored) == 2
    await teams.say("hjelp", conv=chats[3])  # still remembered: no write
    assert len(reference_writes) == 4
    await teams.say("hjelp", conv=chats[0])  # forgotten: stored once more, nothing lost
    assert len(reference_writes) == 5
    assert len(connector.cards()) == 6
