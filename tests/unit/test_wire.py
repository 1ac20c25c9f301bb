"""bot/wire.py against botbuilder itself: the reference and the replies Kompis builds
from the raw JSON are what botbuilder's TurnContext and msrest made of the same activity."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import MicrosoftAppCredentials

from bot.wire import CARD_TYPE, Inbound, activities_url
from dialogs.turn import Mention, Reply

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [
    {"type": "TextBlock", "text": "Hei «Kari» ✓", "wrap": True}],
    "actions": [{"type": "Action.Execute", "verb": "say", "data": {"action": "say", "n": 1.5,
                                                                    "on": True, "x": None}}]}


def activity(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "message", "id": "1700000000123", "timestamp": "2026-10-05T08:00:00.123Z",
        "serviceUrl": "https://smba.trafficmanager.net/emea/", "channelId": "msteams",
        "from": {"id": "29:1alice", "name": "Alice", "aadObjectId": "aad-1"},
        "conversation": {"id": "a:1personal", "conversationType": "personal",
                         "tenantId": "t-1"},
        "recipient": {"id": "28:kompis", "name": "Kompis"},
        "channelData": {"tenant": {"id": "t-1"}}, "locale": "nb-NO", "text": "hjelp",
    }
    body.update(fields)
    return body


CHANNEL = {"id": "19:general@thread.tacv2;messageid=1700000000000",
           "conversationType": "channel", "isGroup": True, "tenantId": "t-1",
           "name": "Generelt"}
BODIES = {
    "personal": activity(),
    "channel": activity(conversation=CHANNEL, channelData={
        "tenant": {"id": "t-1"}, "team": {"id": "19:team"}, "channel": {"id": "19:general"}}),
    "group": activity(conversation={"id": "19:g@thread.v2", "conversationType": "groupChat",
                                    "isGroup": True}),
    "roles and properties": activity(**{
        "from": {"id": "29:1", "role": "user", "properties": {"a": [1, 2]}},
        "recipient": {"id": "28:k", "role": "bot"}}),
    "conversation update": activity(type="conversationUpdate",
                                    membersAdded=[{"id": "28:kompis"}]),
    "no locale, service url without slash": activity(
        locale=None, serviceUrl="https://smba.trafficmanager.net/amer"),
    "webchat": activity(channelId="webchat"),
}


def botbuilder_reply(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """What TurnContext.send_activities handed to msrest for this reply."""
    incoming = Activity().deserialize(copy.deepcopy(body))
    outgoing = Activity(type=ActivityTypes.message, text=reply.text)
    if reply.card is not None:
        outgoing.attachments = [Attachment(content_type=CARD_TYPE, content=reply.card)]
    outgoing = TurnContext.apply_conversation_reference(
        outgoing, TurnContext.get_conversation_reference(incoming))
    outgoing.input_hint = "acceptingInput"
    return outgoing.serialize()


@pytest.mark.parametrize("name", list(BODIES))
def test_the_reference_is_botbuilders(name: str) -> None:
    body = BODIES[name]
    expected = TurnContext.get_conversation_reference(
        Activity().deserialize(copy.deepcopy(body))).serialize()
    assert Inbound(body).reference() == expected


@pytest.mark.parametrize("name", list(BODIES))
@pytest.mark.parametrize("reply", [Reply(card=CARD), Reply(text="Hei"),
                                   Reply(text="", card=CARD)], ids=["card", "text", "both"])
def test_a_reply_is_what_botbuilder_sent(name: str, reply: Reply) -> None:
    body = BODIES[name]
    _, sent = Inbound(body).reply(reply)
    assert sent == botbuilder_reply(body, reply)


@pytest.mark.parametrize("service_url", ["http://127.0.0.1:1234/",
                                         "https://smba.trafficmanager.net/emea/",
                                         "https://smba.trafficmanager.net/amer"])
@pytest.mark.parametrize("activity_id", [None, "1700000000123", "in-1:2;3 ø/x"])
async def test_the_url_is_msrests(service_url: str, activity_id: str | None) -> None:
    conversation_id = "19:team-general@thread.tacv2;messageid=17 x/é"
    client = ConnectorClient(MicrosoftAppCredentials("", ""), base_url=service_url)
    serialize = client.conversations._serialize
    template = "/v3/conversations/{conversationId}/activities"
    args = {"conversationId": serialize.url("conversation_id", conversation_id, "str")}
    if activity_id is not None:
        template += "/{activityId}"
        args["activityId"] = serialize.url("activity_id", activity_id, "str")
    expected = client.conversations._client.format_url(template, **args)
    assert activities_url(service_url, conversation_id, activity_id) == expected


def test_the_update_of_a_pressed_card() -> None:
    url, sent = Inbound(BODIES["personal"]).update("card-7", CARD)
    assert url.endswith("/v3/conversations/a%3A1personal/activities/card-7")
    assert sent["id"] == "card-7" and sent["replyToId"] == "1700000000123"
    assert "inputHint" not in sent
    assert sent["attachments"] == [{"contentType": CARD_TYPE, "content": CARD}]


def test_incoming_reads_what_the_flows_need() -> None:
    body = activity(
        conversation=CHANNEL,
        channelData={"tenant": {"id": "t-1"}, "team": {"id": "19:team"}},
        text="<at>Kompis</at> gi <at>Bob</at> rollen&nbsp;koordinator",
        entities=[{"type": "mention", "text": "<at>Kompis</at>",
                   "mentioned": {"id": "28:kompis", "name": "Kompis"}},
                  {"type": "mention", "text": "<at>Bob</at>",
                   "mentioned": {"id": "29:bob", "name": "Bob"}},
                  {"type": "mention", "mentioned": {"id": "29:bob", "name": "Bob"}},
                  "not an entity", {"type": "clientInfo"}])
    turn = Inbound(body).incoming("message")
    assert turn.text == "gi rollen koordinator"
    assert turn.mentioned and turn.mentions == (Mention("29:bob", "Bob"),)
    assert (turn.conversation_type, turn.tenant_id, turn.team_id) == ("channel", "t-1", "19:team")
    assert (turn.user_id, turn.user_aad_id, turn.user_name) == ("29:1alice", "aad-1", "Alice")
    assert turn.received_at == datetime(2026, 10, 5, 8, 0, 0, 123000, tzinfo=UTC)


def test_a_press_reads_the_verb_and_the_inputs() -> None:
    body = activity(type="invoke", name="adaptiveCard/action", replyToId="card-1", value={
        "action": {"type": "Action.Execute", "verb": "needs.save", "data": {"x": "1"}}})
    turn = Inbound(body).incoming("action")
    assert turn.invoke and turn.value == {"x": "1", "action": "needs.save"}
    assert turn.reply_to_id == "card-1" and turn.text == ""
    submit = Inbound(activity(value={"action": "say", "text": "hjelp"}, text=None))
    assert submit.incoming("action").value == {"action": "say", "text": "hjelp"}


@pytest.mark.parametrize("broken", [
    {"from": "x"}, {"from": {"id": 5, "name": ["x"]}}, {"entities": {"a": 1}},
    {"entities": [{"type": "mention", "mentioned": "x", "text": 5}]},
    {"channelData": [1]}, {"timestamp": "i går"}, {"timestamp": 5}, {"text": 42},
    {"conversation": {"id": "a:1", "conversationType": 7, "isGroup": "ja"}},
    {"value": [1, 2]}, {"recipient": None}, {"locale": {"x": 1}},
])
def test_fields_of_the_wrong_type_are_left_out(broken: dict[str, Any]) -> None:
    inbound = Inbound(activity(**broken))
    for kind in ("message", "action"):
        turn = inbound.incoming(kind)  # type: ignore[arg-type]
        assert isinstance(turn.text, str) and turn.received_at.tzinfo is not None
    _, sent = inbound.reply(Reply(text="Hei"))
    assert sent["type"] == "message" and sent["text"] == "Hei"
    assert inbound.record().conversation_id == inbound.conversation_id


def test_a_proactive_post_to_a_channel_is_a_new_post_not_a_thread_reply() -> None:
    from bot.wire import new_post, proactive

    thread = Inbound(BODIES["channel"]).reference()
    target = new_post(thread)
    assert target["conversation"]["id"] == "19:general@thread.tacv2"
    assert "activityId" not in target
    url, sent = proactive(target, Reply(text="Påminnelse."), "c-1")
    assert url == ("https://smba.trafficmanager.net/emea/v3/conversations/"
                   "19%3Ageneral%40thread.tacv2/activities/c-1")
    assert sent["replyToId"] == "c-1" and sent["from"] == {"id": "28:kompis", "name": "Kompis"}
    assert "locale" not in sent
    personal = Inbound(BODIES["personal"]).reference()
    assert new_post(personal) == personal
    group = Inbound(BODIES["group"]).reference()
    assert new_post(group) == group


@pytest.mark.parametrize("name", ["channel", "group"])
def test_the_personal_chat_is_created_as_botbuilder_would(name: str) -> None:
    """The create call for a person's 1:1 chat is msrest's ConversationParameters as a
    Teams bot's proactive 1:1 chat is made with botbuilder (adapter.create_conversation)."""
    from botbuilder.schema import ChannelAccount, ConversationParameters

    body = BODIES[name]
    inbound = Inbound(body)
    made = inbound.create_personal()
    assert made is not None
    url, sent = made
    assert url == "https://smba.trafficmanager.net/emea/v3/conversations"
    incoming = Activity().deserialize(copy.deepcopy(body))
    expected = ConversationParameters(
        is_group=False, bot=incoming.recipient,
        members=[ChannelAccount(id=incoming.from_property.id)], tenant_id="t-1",
        channel_data={"tenant": {"id": "t-1"}}).serialize()
    assert sent == expected


def test_the_created_chat_is_stored_as_its_own_turns_would_store_it() -> None:
    """The reference kept for a created 1:1 chat is the one a message in that chat gives
    (less the activity id, which a stored reference does not need)."""
    conversation = {"id": "a:1created", "conversationType": "personal", "tenantId": "t-1"}
    there = Inbound(activity(conversation=conversation)).reference()
    del there["activityId"]
    record = Inbound(BODIES["channel"]).personal_record("a:1created")
    assert record.reference == there
    assert (record.conversation_type, record.user_aad_id, record.tenant_id, record.installed) \
        == ("personal", "aad-1", "t-1", True)
    assert record.team_id is None and record.teams_channel_id is None


def test_no_personal_chat_without_a_sender() -> None:
    assert Inbound(activity(**{"from": None})).create_personal() is None
