"""Spør Kompis at the protocol: dates from the wheel (a passed event), a disagreement shown
with both sources, a how-to whose button starts the command, small talk, commands in
plain words, a «vet ikke» that is logged, and bad input that gets a Norwegian answer."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.app import RUNTIME
from cards.check import check_card
from domain.needs.texts import ADD_WHO
from domain.norsk import OSLO
from store.models import QuestionLog
from tests.protocol.test_foundation import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import ALICE, BOB, PERSONAL, TeamsClient


@pytest.fixture
async def kompis_a(target: DbTarget):
    moment = datetime(2026, 11, 22, 12, tzinfo=OSLO)
    async with kompis_at(target, moment, admins=frozenset({ALICE.aad})) as server:
        yield server


@pytest.fixture
def client(http, kompis_a: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, kompis_a.messages_url, connector.url)


def last_card(connector: RecordingConnector, conv_id: str = PERSONAL.id) -> dict:
    card = connector.cards(conv_id)[-1]
    check_card(card)
    return card


def buttons(card: dict) -> list[dict]:
    found = list(card.get("actions", []))
    for block in card["body"]:
        if block["type"] == "ActionSet":
            found += block["actions"]
        for item in block.get("items", []):
            if item.get("type") == "ActionSet":
                found += item["actions"]
    return found


async def logged(kompis: RunningKompis) -> list[tuple[str, str]]:
    async with kompis.app[RUNTIME].services.db.sessions() as session:
        rows = await session.scalars(select(QuestionLog).order_by(QuestionLog.id))
        return [(r.text, r.outcome) for r in rows]


async def test_a_passed_event_says_so(client: TeamsClient,
                                      connector: RecordingConnector) -> None:
    await client.say("når var samlinga for samarbeidsforum og fagutvalget")
    said = card_texts(last_card(connector))
    assert said.startswith("Samling for samarbeidsforum og fagutvalg")
    assert "var 28.–29. september 2026, for 54 dager siden" in said
    assert "Årshjulet har ikke datoene for neste syklus ennå" in said
    assert "Kilde: 003, årshjulet (28. og 29. september" in said
    assert "årshjulet i Kompis" in said


async def test_the_one_event_asked_for(client: TeamsClient,
                                       connector: RecordingConnector) -> None:
    await client.say("når blir pengene utbetalt?")
    said = card_texts(last_card(connector))
    assert said.startswith("Endelig godkjenning av innstillingen, og midlene utbetales")
    assert "torsdag 15. april 2027, om 144 dager" in said
    assert "Dette skjer snart" not in said  # not the list of the next deadlines


async def test_a_disagreement_shows_both_sources(client: TeamsClient,
                                                 connector: RecordingConnector) -> None:
    await client.say("skal kompetansenettverket prioritere?")
    card = last_card(connector)
    said = card_texts(card)
    assert "Kildene er uenige" in said
    assert "003, lysarket «Kompetansenettverk»" in said
    assert "001, spørsmål 7 og 7 a (gruppe 1, 2 og 5)" in said
    feedback = [b["data"] for b in card["actions"]]
    assert {"action": "answers.feedback", "answer": "rule:nettverk-prioriterer",
            "useful": False} in feedback


async def test_who_makes_the_recommendation_is_changing(client: TeamsClient,
                                                        connector: RecordingConnector) -> None:
    await client.say("hvem lager innstillingen")
    said = card_texts(last_card(connector))
    assert "Kildene er uenige" in said and "Dette er i endring" in said
    assert "Statsforvalteren" in said and "samarbeidsforum" in said


async def test_a_rule_close_to_the_answer_is_one_press_away(
        client: TeamsClient, connector: RecordingConnector) -> None:
    """'Hvem bestemmer' and 'hvem betaler ut' sit close: the answer offers the other as its
    first follow-up, and pressing it answers that rule."""
    await client.say("hvem er det egentlig som sier ja eller nei til pengene")
    card = last_card(connector)
    pressed = [b["data"] for b in buttons(card) if b["data"].get("action") == "answers.rule"]
    assert pressed and pressed[0]["rule"] != "hvem-bestemmer"
    assert {"action": "answers.feedback", "answer": "rule:hvem-bestemmer",
            "useful": False} in [b["data"] for b in card["actions"]]
    await client.submit(pressed[0])
    other = last_card(connector)
    assert {"action": "answers.feedback", "answer": f"rule:{pressed[0]['rule']}",
            "useful": False} in [b["data"] for b in other["actions"]]


async def test_howto_button_starts_the_command(client: TeamsClient,
                                               connector: RecordingConnector) -> None:
    await client.say("hvordan får vi påminnelser om fristene?")
    card = last_card(connector)
    assert "Slik gjør du det" in card_texts(card)
    [start] = [b["data"] for b in buttons(card) if b["data"].get("action") == "say"]
    assert start == {"action": "say", "text": "abonner på påminnelser"}
    await client.submit(start)
    assert "får nå påminnelser" in connector.messages()[-1]["text"]


async def test_adding_a_measure_is_the_needs_form_not_a_colleague(
        client: TeamsClient, connector: RecordingConnector) -> None:
    """'legg til' with nobody @mentioned: a measure is added in the needs form."""
    await client.say("meld behov", user=BOB)
    form = last_card(connector)
    await client.say("legg til et nytt tiltak", user=BOB)
    assert last_card(connector) == form
    assert ADD_WHO not in [m.get("text") for m in connector.messages()]
    await client.say("hvordan legger jeg til et tiltak?", user=BOB)
    card = last_card(connector)
    assert "Slik gjør du det" in card_texts(card)
    assert [b["data"] for b in buttons(card) if b["data"].get("action") == "say"] == [
        {"action": "say", "text": "meld behov"}]
    await client.say("legg til Kari", user=BOB)  # a colleague, not @mentioned
    assert connector.messages()[-1].get("text") == ADD_WHO


async def test_how_kompis_is_used_is_answered_by_the_help_card(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("hjelp")
    help_card = last_card(connector)
    for question in ("hvordan bruker jeg kompis", "hva kan du hjelpe meg med?"):
        await client.say(question)
        assert last_card(connector) == help_card  # not a how-to with a button to press
    assert "Slik gjør du det" not in card_texts(help_card)


async def test_a_staff_command_is_explained_not_offered(
        client: TeamsClient, connector: RecordingConnector) -> None:
    from tests.support.teams import BOB
    await client.say("hvem har ikke levert ennå?", user=BOB)
    card = last_card(connector)
    assert "for koordinatorer og administratorer" in card_texts(card)
    assert not [b for b in buttons(card) if b["data"].get("action") == "say"]


async def test_small_talk(client: TeamsClient, connector: RecordingConnector,
                          kompis_a: RunningKompis) -> None:
    await client.say("tusen takk!")
    assert "Bare hyggelig" in connector.messages()[-1]["text"]
    await client.say("god morgen")  # a greeting: one line and three buttons for the role
    greeting = last_card(connector)
    assert "hjelp" in card_texts(greeting) and len(buttons(greeting)) == 3
    # ALICE is an admin: the coordinator's three (status, export, the wheel)
    assert [b["data"]["text"] for b in buttons(greeting)] == ["status", "eksporter", "årshjul"]
    await client.say("hei", user=BOB)  # a member: start a report, the next deadline, a term
    member = last_card(connector)
    assert card_texts(member).startswith(f"Hei, {BOB.name.split()[0]}!")
    assert [b["data"]["text"] for b in buttons(member)] == ["meld behov", "neste frist",
                                                             "ordliste"]
    assert "Årshjul" not in card_texts(member) and len(str(member)) < 1500  # not the help card
    assert await logged(kompis_a) == []


async def test_plain_words_are_not_taken_as_arguments(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("eksporter regnearket")  # ALICE is admin
    said = connector.messages()[-1]
    text = said.get("text") or card_texts(said["attachments"][0]["content"])
    assert "regnearket»" not in text


async def test_unknown_is_logged(client: TeamsClient, connector: RecordingConnector,
                                 kompis_a: RunningKompis) -> None:
    await client.say("hva blir været i morgen?")
    said = card_texts(last_card(connector))
    assert said.startswith("Det vet jeg ikke")
    assert await logged(kompis_a) == [("hva blir været i morgen?", "nomatch")]
    await client.submit({"action": "answers.feedback", "answer": "rule:for-sent",
                         "useful": False})
    await client.say("ubesvarte spørsmål")
    overview = connector.messages()[-1]["text"]
    assert "«hva blir været i morgen?» (1)" in overview
    assert "rule:for\\-sent: 1 ikke nyttig" in overview  # names are markdown-escaped


@pytest.mark.parametrize("text", [
    "🙂🙂🙂", "x" * 4000, "<script>alert(1)</script> <b>hei</b>", "what is the deadline?",
    "kva tid er fristen for behovsmeldinga", "når er fristen for behovsmelding i 2031?",
    "abc\ud800def", "[lenke](javascript:alert(1))",
])
async def test_bad_input_gets_a_norwegian_answer(client: TeamsClient, text: str,
                                                 connector: RecordingConnector,
                                                 kompis_a: RunningKompis) -> None:
    before = len(connector.messages())
    response = await client.say(text)
    assert response.status in (200, 201)
    [answer] = connector.messages()[before:]
    body = answer.get("text") or card_texts(answer["attachments"][0]["content"])
    assert body and "Traceback" not in body and "](javascript" not in body
    async with kompis_a.app[RUNTIME].services.db.sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(QuestionLog))
    assert stored <= 1


@pytest.mark.parametrize("learned", [True, False])
async def test_the_learned_opinion_follows_its_setting(
        target: DbTarget, http, connector: RecordingConnector, learned: bool) -> None:
    """LEARNED_ANSWERS: on (the default), what members have asked before decides where the
    rules only offer «Mente du …?»; off, the rules alone answer."""
    moment = datetime(2026, 11, 22, 12, tzinfo=OSLO)
    async with kompis_at(target, moment, learned_answers=learned) as kompis:
        client = TeamsClient(http, kompis.messages_url, connector.url)
        await client.say("hvem får pengene")
        said = card_texts(last_card(connector))
    if learned:
        assert said.startswith("Hvem betaler ut midlene?"), said
        assert "Kilde" in said
    else:
        assert "Mente du" in said


async def test_the_question_engine_is_built_at_start_not_on_the_first_question(
        kompis_a: RunningKompis) -> None:
    """The learned model takes about a second to fit: a running Kompis has done it
    before anyone asks, and knows every command."""
    answerer = kompis_a.app[RUNTIME].features.answers.answerer
    assert answerer.explain("når blir pengene utbetalt", datetime(2026, 11, 22).date())[1] \
        is not None
    assert answerer.command("meld_behov") is not None
    assert answerer.command("status") is not None
