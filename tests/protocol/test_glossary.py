"""The glossary at the protocol: answers, «Mente du», unknowns logged, feedback stored,
comparisons, criteria, dates from the wheel, listings and the coordinators' overview."""

from __future__ import annotations

from datetime import datetime

import pytest

from cards.check import check_card
from domain.norsk import OSLO
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import ALICE, BOB, CHANNEL, PERSONAL, TeamsClient


@pytest.fixture
async def kompis_g(target: DbTarget):
    moment = datetime(2026, 11, 22, 12, tzinfo=OSLO)
    async with kompis_at(target, moment, admins=frozenset({ALICE.aad})) as server:
        yield server


@pytest.fixture
def client(http, kompis_g: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, kompis_g.messages_url, connector.url)


def last_card(connector: RecordingConnector, conv_id: str = PERSONAL.id) -> dict:
    card = connector.cards(conv_id)[-1]
    check_card(card)
    return card


async def test_answer_card(client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("hva er innstilling?")
    card = last_card(connector)
    said = card_texts(card)
    assert said.startswith("innstilling")
    assert "Dette er i endring" in said and "Statsforvalteren" in said
    assert "Kilde:" in said
    related = [a["data"]["entry"] for s in card["body"] if s["type"] == "ActionSet"
               for a in s["actions"]]
    assert "vedtak" in related
    feedback = [a["data"] for a in card["actions"]]
    assert {"action": "glossary.feedback", "entry": "innstilling", "useful": True} in feedback


async def test_related_term_press_and_feedback(client: TeamsClient, kompis_g: RunningKompis,
                                               connector: RecordingConnector) -> None:
    await client.submit({"action": "glossary.show", "entry": "vedtak"})
    assert card_texts(last_card(connector)).startswith("vedtak")
    answer = await client.execute("glossary.feedback",
                                  {"action": "glossary.feedback", "entry": "vedtak",
                                   "useful": False})
    assert answer.status == 200
    assert "ikke hjalp" in answer.body["value"]  # the thanks is shown on the card
    await client.execute("glossary.feedback", {"action": "glossary.feedback",
                                               "entry": "vedtak", "useful": False}, user=BOB)
    # a second press by the same person changes the vote, never doubles it
    await client.execute("glossary.feedback", {"action": "glossary.feedback",
                                               "entry": "vedtak", "useful": True})
    log = kompis_g.services.glossary_log
    [tally] = await log.least_useful()
    assert (tally.entry_id, tally.useful, tally.not_useful) == ("vedtak", 1, 1)


async def test_did_you_mean(client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("plan")
    card = last_card(connector)
    assert "Mente du" in card_texts(card)
    assert {a["data"].get("entry") for a in card["actions"]} >= {"langsiktig-plan"}


async def test_unknown_question_is_logged_without_personal_data(
        client: TeamsClient, kompis_g: RunningKompis, connector: RecordingConnector) -> None:
    await client.say("hva er kvantefysikk", conv=CHANNEL)
    card = last_card(connector, CHANNEL.id)
    assert "Jeg har ikke noe godt svar på «hva er kvantefysikk»" in card_texts(card)
    await client.say("hva er kvantefysikk")
    log = kompis_g.services.glossary_log
    [frequent] = await log.frequent_unanswered()
    assert (frequent.text, frequent.count) == ("hva er kvantefysikk", 2)
    from sqlalchemy import select

    from store.models import QuestionLog
    async with kompis_g.services.db.sessions() as session:
        rows = list(await session.scalars(select(QuestionLog)))
    assert {r.conversation_type for r in rows} == {"channel", "personal"}
    assert not any(hasattr(r, "user_id") or hasattr(r, "aad_object_id") for r in rows)


async def test_two_terms_side_by_side(client: TeamsClient,
                                      connector: RecordingConnector) -> None:
    await client.say("hva er forskjellen på innstilling og vedtak?")
    card = last_card(connector)
    [columns] = [b for b in card["body"] if b["type"] == "ColumnSet"]
    assert [c["items"][0]["text"] for c in columns["columns"]] == ["innstilling", "vedtak"]


async def test_criterion_questions(client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("hva sier kriterium 5?")
    assert "Kriterium 5: Samiske perspektiver" in card_texts(last_card(connector))
    await client.say("kriterier")
    assert "Tildelingskriteriene" in card_texts(last_card(connector))
    await client.submit({"action": "glossary.criterion", "number": 6})
    assert "Kriterium 6: Tverrfaglige tiltak" in card_texts(last_card(connector))
    await client.say("kriterium 42")
    assert "Det finnes ikke noe kriterium 42" in connector.messages()[-1]["text"]


async def test_date_question_is_answered_from_the_wheel(client: TeamsClient,
                                                        connector: RecordingConnector) -> None:
    await client.say("når er fristen for behovsmelding?")
    said = card_texts(last_card(connector))
    assert "Partnerskapene leverer behovsmeldingen" in said
    assert "tirsdag 15. desember 2026, om 23 dager" in said


async def test_ordliste_pages(client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("ordliste")
    first = last_card(connector)
    assert "Side 1 av 4" in card_texts(first)
    [next_page] = [a["data"] for a in first["actions"]]
    await client.submit(next_page)
    assert "Side 2 av 4" in card_texts(last_card(connector))


async def test_unanswered_overview_is_for_staff(client: TeamsClient,
                                                connector: RecordingConnector) -> None:
    await client.say("hva er kvantefysikk")
    await client.say("ubesvarte spørsmål", user=BOB, conv=CHANNEL)
    assert "for koordinatorer og administratorer" in connector.messages()[-1]["text"]
    await client.say("ubesvarte spørsmål")
    assert "«hva er kvantefysikk» (1)" in connector.messages()[-1]["text"]


async def test_channel_answers_only_when_mentioned(client: TeamsClient,
                                                   connector: RecordingConnector) -> None:
    await client.say("hva er innstilling", conv=CHANNEL, mention=False)
    assert connector.messages(CHANNEL.id) == []
    await client.say("hva er innstilling", conv=CHANNEL)
    assert card_texts(last_card(connector, CHANNEL.id)).startswith("innstilling")
