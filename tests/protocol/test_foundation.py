"""The foundation at the protocol: Teams-shaped activities in, connector calls out."""

from __future__ import annotations

import asyncio

import pytest

from cards.check import check_card
from store.conversations import ConversationRepository
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import RunningKompis
from tests.support.teams import ALICE, BOB, CHANNEL, GROUP, PERSONAL, TENANT, TeamsClient


async def test_healthz_reports_database(teams: TeamsClient, kompis: RunningKompis) -> None:
    async with teams.http.get(kompis.url + "/healthz") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok", "database": "ok"}


async def test_hjelp_answers_with_help_card(teams: TeamsClient,
                                            connector: RecordingConnector) -> None:
    answer = await teams.say("hjelp")
    assert answer.status == 201
    [message] = connector.messages(PERSONAL.id)
    [card] = connector.cards(PERSONAL.id)
    check_card(card)
    assert "Kompis" in card_texts(card)
    # the reply goes to the incoming activity, in the same conversation
    [call] = [c for c in connector.calls if c.route == "reply"]
    assert call.activity_id.startswith("in-")
    assert message["replyToId"] == call.activity_id
    buttons = [a["data"] for a in card["actions"]]
    assert {"action": "say", "text": "hjelp"} in buttons


@pytest.mark.parametrize("typed", ["Hjelp!", "  HJELP ", "help", "hjelp?"])
async def test_hjelp_variants(teams: TeamsClient, connector: RecordingConnector,
                              typed: str) -> None:
    await teams.say(typed)
    [card] = connector.cards()
    assert "Her er det jeg kan hjelpe med" not in card_texts(card)


async def test_unknown_text_gets_help_card_that_says_so(teams: TeamsClient,
                                                        connector: RecordingConnector) -> None:
    await teams.say("kan du bestille pizza til oss på fredag etter møtet i kantina")
    [card] = connector.cards()
    check_card(card)
    assert "Det skjønte jeg ikke helt" in card_texts(card)


async def test_unknown_word_is_an_honest_glossary_answer(teams: TeamsClient,
                                                         connector: RecordingConnector) -> None:
    await teams.say("blåbærsyltetøy")
    [card] = connector.cards()
    check_card(card)
    assert "Jeg har ikke noe godt svar på «blåbærsyltetøy»" in card_texts(card)


async def test_help_button_press_as_submit(teams: TeamsClient,
                                           connector: RecordingConnector) -> None:
    answer = await teams.submit({"action": "say", "text": "hjelp"})
    assert answer.status == 201
    [card] = connector.cards()
    assert "Det skjønte jeg ikke helt" not in card_texts(card)


async def test_help_button_press_as_execute_invoke(teams: TeamsClient,
                                                   connector: RecordingConnector) -> None:
    answer = await teams.execute("say", {"action": "say", "text": "hjelp"})
    assert answer.status == 200
    assert answer.body["statusCode"] == 200
    # no card replaces the pressed one, the help card comes as a new message
    assert answer.body["type"] == "application/vnd.microsoft.activity.message"
    [card] = connector.cards()
    check_card(card)


async def test_unknown_button_is_answered_in_norwegian(teams: TeamsClient,
                                                       connector: RecordingConnector) -> None:
    await teams.submit({"action": "finnes.ikke", "x": 1})
    [message] = connector.messages()
    assert "knappen kjenner jeg ikke igjen" in message["text"]
    answer = await teams.execute("finnes.ikke", {"garbage": [1, 2, 3]})
    assert answer.status == 200


@pytest.mark.parametrize("conv", [PERSONAL, GROUP, CHANNEL], ids=lambda c: c.type)
async def test_welcome_card_on_install(teams: TeamsClient, connector: RecordingConnector,
                                       conv) -> None:
    answer = await teams.install(conv=conv)
    assert answer.status == 201
    [card] = connector.cards(conv.id)
    check_card(card)
    said = card_texts(card)
    assert "Hei, jeg er Kompis" in said
    if conv.type == "personal":
        assert "Skriv **hjelp**" in said
    else:
        assert "@Kompis" in said


async def test_someone_else_joining_gets_no_welcome(teams: TeamsClient,
                                                    connector: RecordingConnector) -> None:
    body = teams.activity("conversationUpdate", conv=GROUP, membersAdded=[{"id": BOB.id}])
    assert (await teams.post(body)).status == 201
    assert connector.messages() == []


async def test_channel_answers_only_when_mentioned(teams: TeamsClient,
                                                   connector: RecordingConnector) -> None:
    await teams.say("hjelp", conv=CHANNEL, mention=False)
    assert connector.messages() == []
    await teams.say("hjelp", conv=CHANNEL, mention=True)
    [card] = connector.cards(CHANNEL.id)
    # the mention was stripped before reading the command
    assert "Det skjønte jeg ikke helt" not in card_texts(card)


async def test_group_chat_mention_is_stripped(teams: TeamsClient,
                                              connector: RecordingConnector) -> None:
    await teams.say("hjelp", conv=GROUP)
    [card] = connector.cards(GROUP.id)
    assert "Det skjønte jeg ikke helt" not in card_texts(card)


async def test_conversation_reference_stored_with_teams_details(
        teams: TeamsClient, kompis: RunningKompis, connector: RecordingConnector) -> None:
    await teams.say("hjelp", conv=CHANNEL)
    repo = ConversationRepository(kompis.target.database())
    row = await repo.get(CHANNEL.id)
    assert row is not None
    assert row.tenant_id == TENANT  # from channelData, not the dropped conversation.tenantId
    assert row.conversation_type == "channel"
    assert row.team_id == CHANNEL.team_id
    assert row.teams_channel_id == CHANNEL.channel_id
    assert row.user_aad_id == ALICE.aad
    assert row.service_url == connector.url
    assert row.reference["conversation"]["id"] == CHANNEL.id
    assert row.reference["bot"]["id"] == "28:kompis-bot"
    await repo._db.dispose()


async def test_reference_upsert_is_idempotent(teams: TeamsClient,
                                              kompis: RunningKompis) -> None:
    for _ in range(3):
        await teams.say("hjelp")
    await teams.say("hjelp", user=BOB, conv=GROUP)
    db = kompis.target.database()
    assert await ConversationRepository(db).count() == 2
    await db.dispose()


async def test_references_survive_restart(teams: TeamsClient, kompis: RunningKompis,
                                          connector: RecordingConnector) -> None:
    await teams.install(conv=GROUP)
    await kompis.restart()
    db = kompis.target.database()
    row = await ConversationRepository(db).get(GROUP.id)
    await db.dispose()
    assert row is not None and row.installed
    # and the restarted server still answers
    await teams.say("hjelp")
    assert len(connector.cards()) == 2


async def test_uninstall_marks_conversation(teams: TeamsClient, kompis: RunningKompis) -> None:
    await teams.installation_update("add", conv=GROUP)
    await teams.installation_update("remove", conv=GROUP)
    db = kompis.target.database()
    row = await ConversationRepository(db).get(GROUP.id)
    await db.dispose()
    assert row is not None and row.installed is False


async def test_concurrent_turns_all_answered(teams: TeamsClient,
                                             connector: RecordingConnector) -> None:
    answers = await asyncio.gather(*(teams.say("hjelp") for _ in range(20)))
    assert {a.status for a in answers} == {201}
    assert len(connector.cards()) == 20
