"""Drafts and forms asked for in a channel or group chat go to the person's personal chat
with Kompis (#19): a 1:1 chat created through the Bot Connector (POST /v3/conversations)
or the one already stored, with one short line without personal data in the shared chat.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from dialogs import texts
from domain.needs.service import Actor
from domain.norsk import OSLO
from tests.support.cards import card_texts
from tests.support.connector import Call, RecordingConnector
from tests.support.needs import (
    HEADER,
    MEASURE,
    button,
    fill_measure,
    press,
    seed_report,
    titles,
)
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import (
    ALICE,
    BOB,
    BOT_ID,
    CAROL,
    CHANNEL,
    GROUP,
    PERSONAL,
    TENANT,
    Conv,
    TeamsClient,
    User,
)

ALICE_EMAIL = "alice.fosen@afjord.kommune.no"


@pytest.fixture(params=[True, False], ids=["json", "stock"])
async def kompis_p(request: pytest.FixtureRequest, target: DbTarget):
    """Through Kompis's JSON path, and botbuilder's (CONNECTOR_POOL=false): the same."""
    moment = datetime(2026, 12, 1, 10, tzinfo=OSLO)
    async with kompis_at(target, moment, admins=frozenset({CAROL.aad}),
                         connector_pool=request.param) as server:
        yield server


@pytest.fixture
def client(http, kompis_p: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    for user in (ALICE, BOB):  # Teams knows their e-mail: the form is pre-filled with it
        connector.members[user.id] = {"id": user.id, "name": user.name, "aadObjectId": user.aad,
                                      "email": f"{user.name.split()[0].lower()}.fosen@"
                                               "afjord.kommune.no"}
    return TeamsClient(http, lambda: kompis_p.messages_url, connector.url)


def creates(connector: RecordingConnector) -> list[Call]:
    return [c for c in connector.calls if c.route == "create"]


def chat_of(connector: RecordingConnector, user: User) -> Conv:
    return Conv(connector.personal_chats[user.id], "personal")


def only_the_line(connector: RecordingConnector, conv: Conv, *lines: str) -> None:
    """The shared chat got one short line (per turn): no card, no e-mail, no amount, no
    form."""
    said = connector.messages(conv.id)
    assert [m.get("text") for m in said] == list(lines)
    assert all(not m.get("attachments") for m in said)
    shown = " ".join(m.get("text") or "" for m in said) + json.dumps(
        [{k: v for k, v in m.items() if k not in ("conversation", "from", "recipient")}
         for m in said], ensure_ascii=False)
    for private in ("@", "\xa0kr", "Input.", "Action.", HEADER["partnership_name"]):
        assert private not in shown
    assert not connector.updates(conv.id)


async def test_channel_meld_behov_is_answered_in_the_personal_chat(
        client: TeamsClient, kompis_p: RunningKompis, connector: RecordingConnector) -> None:
    await client.say("meld behov", conv=CHANNEL)
    only_the_line(connector, CHANNEL, texts.SENT_FORM)
    [create] = creates(connector)
    assert create.method == "POST" and create.conversation_id is None
    assert create.body == {"isGroup": False, "members": [{"id": ALICE.id}],
                           "bot": {"id": BOT_ID, "name": "Kompis"}, "tenantID": TENANT,
                           "channelData": {"tenant": {"id": TENANT}}}
    chat = chat_of(connector, ALICE)
    [form] = connector.cards(chat.id)
    assert ALICE_EMAIL in json.dumps(form)  # the contact, pre-filled, only here
    assert connector.messages(chat.id)[0]["recipient"]["id"] == ALICE.id
    # stored as every conversation is: later turns and proactive sends find it
    row = await kompis_p.services.conversations.get(chat.id)
    assert row is not None and row.conversation_type == "personal" and row.installed
    assert row.user_aad_id == ALICE.aad and row.tenant_id == TENANT
    assert await kompis_p.services.conversations.personal_chats_of({ALICE.aad}) == [chat.id]

    # a press on the form in the personal chat continues as it always has
    review = await press(client, "needs.header.save",
                         {**button(form, "Lagre og gå videre"), **HEADER}, conv=chat)
    measure = await press(client, "needs.measure.add", button(review, "Legg til tiltak"),
                          conv=chat)
    review = await fill_measure(client, measure, MEASURE, conv=chat)
    assert "1 av 5 tiltak brukt" in card_texts(review)
    assert "300\xa0000\xa0kr" in card_texts(review)
    assert len(await kompis_p.services.reports.for_member(ALICE.aad)) == 1
    [member] = await kompis_p.services.reports.members("fosen", "Fosen skoler")
    assert member.conversation_id == chat.id  # where «Be om avklaring» reaches her
    only_the_line(connector, CHANNEL, texts.SENT_FORM)  # nothing more in the channel

    # the next time, the stored chat is used: no second create, and the draft is offered
    await client.say("meld behov", conv=CHANNEL)
    assert len(creates(connector)) == 1
    assert "Vil du fortsette" in card_texts(connector.cards(chat.id)[-1])
    assert [m["text"] for m in connector.messages(CHANNEL.id)] == [texts.SENT_FORM] * 2


async def test_not_installed_personally_says_how_to_start_the_chat(
        client: TeamsClient, kompis_p: RunningKompis, connector: RecordingConnector) -> None:
    connector.not_installed.add(ALICE.id)
    await client.say("meld behov", conv=CHANNEL)
    [create] = creates(connector)
    assert create.status == 403
    only_the_line(connector, CHANNEL, texts.START_PERSONAL_CHAT)
    assert connector.cards() == []
    # nothing else changed: only the channel is stored, no report, no personal chat
    assert await kompis_p.services.conversations.count() == 1
    assert await kompis_p.services.conversations.personal_chats_of({ALICE.aad}) == []
    assert await kompis_p.services.reports.for_member(ALICE.aad) == []
    # once she has installed Kompis, the same words work
    connector.not_installed.clear()
    await client.say("meld behov", conv=CHANNEL)
    assert connector.messages(CHANNEL.id)[-1]["text"] == texts.SENT_FORM
    assert connector.cards(chat_of(connector, ALICE).id)


async def test_a_stored_chat_that_is_gone_is_created_anew(
        client: TeamsClient, kompis_p: RunningKompis, connector: RecordingConnector) -> None:
    await client.say("hjelp")  # Alice's own chat with Kompis is stored
    connector.clear()
    connector.fail_next(403)  # she has removed Kompis since: the stored chat refuses
    await client.say("mine behovsmeldinger", conv=CHANNEL)
    assert [(c.route, c.status) for c in connector.calls][:2] == [("reply", 403),
                                                                   ("create", 200)]
    assert connector.messages(CHANNEL.id)[-1]["text"] == texts.SENT_PERSONALLY
    assert connector.cards(chat_of(connector, ALICE).id)
    assert not (await kompis_p.services.conversations.get(PERSONAL.id)).installed


async def test_in_a_group_chat_likewise(client: TeamsClient,
                                        connector: RecordingConnector) -> None:
    await client.say("meld behov", conv=GROUP, user=BOB)
    only_the_line(connector, GROUP, texts.SENT_FORM)
    [form] = connector.cards(chat_of(connector, BOB).id)
    assert "bob.fosen@afjord.kommune.no" in json.dumps(form)
    assert ALICE.id not in connector.personal_chats


async def test_in_the_personal_chat_nothing_changes(client: TeamsClient,
                                                    connector: RecordingConnector) -> None:
    await client.say("meld behov")
    [form] = connector.cards(PERSONAL.id)
    assert button(form, "Lagre og gå videre")
    assert ALICE_EMAIL in json.dumps(form)
    assert creates(connector) == [] and connector.personal_chats == {}


async def test_a_press_in_a_channel_opens_the_form_in_the_personal_chat(
        client: TeamsClient, connector: RecordingConnector) -> None:
    """«Meld behov» on a card in the channel (the greeting's button): the pressed card
    stays, the press is answered with the line, the form arrives in the personal chat."""
    answer = await client.execute("say", {"action": "say", "text": "meld behov"},
                                  conv=CHANNEL)
    assert answer.status == 200
    assert answer.body == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                           "value": texts.SENT_FORM}
    assert connector.messages(CHANNEL.id) == []
    assert button(connector.cards(chat_of(connector, ALICE).id)[0], "Lagre og gå videre")


async def test_reports_asked_for_in_a_channel_go_to_the_personal_chat(
        client: TeamsClient, kompis_p: RunningKompis, connector: RecordingConnector) -> None:
    """`mine behovsmeldinger`, and `status` from a member (their own reports), and a
    report opened from an older card in the channel."""
    report = await seed_report(kompis_p, Actor(ALICE.aad, ALICE.name),
                               partnership="Fosen skoler")
    await client.say("mine behovsmeldinger", conv=CHANNEL)
    await client.say("status", conv=CHANNEL)
    answer = await client.execute("needs.open", {"action": "needs.open",
                                                 "report_id": report.id}, conv=CHANNEL)
    assert answer.body["value"] == texts.SENT_FORM
    only_the_line(connector, CHANNEL, texts.SENT_PERSONALLY, texts.SENT_PERSONALLY)
    listing, own_text, own_status, opened = connector.messages(chat_of(connector, ALICE).id)
    assert "Fosen skoler" in card_texts(listing["attachments"][0]["content"])
    assert own_text["text"].startswith("Oversikten over hele nettverket er for koordinatorene")
    assert "Fosen skoler" in card_texts(own_status["attachments"][0]["content"])
    assert button(opened["attachments"][0]["content"], "Legg til tiltak")
    assert len(creates(connector)) == 1


async def test_refusals_and_answers_without_personal_data_stay_in_the_channel(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("hjelp", conv=CHANNEL)
    await client.say("historikk", conv=CHANNEL)  # asks which: text, no data
    assert creates(connector) == []
    [card] = connector.cards(CHANNEL.id)
    assert card["type"] == "AdaptiveCard"
    assert connector.messages(CHANNEL.id)[-1]["text"] != texts.SENT_PERSONALLY


async def test_a_coordinators_reports_and_links_go_to_the_personal_chat(
        client: TeamsClient, kompis_p: RunningKompis, connector: RecordingConnector) -> None:
    """In the coordinators' channel: `status` is a summary and stays there; the export link,
    a report's history and the assessment form (contacts, amounts) go to Carol's chat."""
    connector.members[CAROL.id] = {"id": CAROL.id, "name": CAROL.name,
                                   "aadObjectId": CAROL.aad}
    report = await seed_report(kompis_p, Actor(ALICE.aad, ALICE.name),
                               partnership="Fosen skoler", submit=True)
    assert report.reference
    await client.say("status for Fosen", conv=CHANNEL, user=CAROL)
    [status] = connector.cards(CHANNEL.id)
    assert "Fosen skoler" in card_texts(status)
    assert "@" not in json.dumps(status) and creates(connector) == []
    for asked in ("eksporter for Fosen", f"historikk {report.reference}",
                  f"vurder {report.reference}"):
        await client.say(asked, conv=CHANNEL, user=CAROL)
    said = [m.get("text") for m in connector.messages(CHANNEL.id)][1:]
    assert said == [texts.SENT_PERSONALLY, texts.SENT_PERSONALLY, texts.SENT_FORM]
    assert connector.cards(CHANNEL.id) == [status]
    assert "/eksport/" not in json.dumps(connector.messages(CHANNEL.id))
    export, history, assessment = connector.cards(chat_of(connector, CAROL).id)
    assert "/eksport/" in json.dumps(export)
    assert report.reference in json.dumps(history)
    assert "kari@afjord.kommune.no" not in json.dumps(connector.messages(CHANNEL.id))
    assert "Lagre vurderingene" in titles(assessment)

