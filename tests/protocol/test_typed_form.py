"""The needs form's buttons typed as words («send inn», «endre tiltak 2», «slett tiltak 2»,
«avbryt», «start på nytt»), at the protocol. A typed word shows the card its button
would show and changes nothing itself: what changes a report is still a press."""

from __future__ import annotations

from datetime import datetime

import pytest

from dialogs.texts import SENT_FORM
from domain.needs import texts
from domain.needs.service import Actor
from domain.norsk import OSLO
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.needs import (
    CURRENT_SCHEME,
    MEASURE,
    button,
    fill_measure,
    press,
    seed_report,
    start_report,
    titles,
)
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import ALICE, BOB, CAROL, GROUP, PERSONAL, TeamsClient


@pytest.fixture
async def kompis_t(target: DbTarget):
    moment = datetime(2026, 12, 1, 10, tzinfo=OSLO)
    async with kompis_at(target, moment, admins=frozenset({CAROL.aad})) as server:
        yield server


@pytest.fixture
def client(http, kompis_t: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, lambda: kompis_t.messages_url, connector.url)


async def _two_measures(client: TeamsClient, connector: RecordingConnector) -> dict:
    review = await start_report(client, connector)
    for title in ("Lesing på tvers", "Språk i barnehagen"):
        form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(client, form, {**MEASURE, "title": title})
    assert "2 av 5 tiltak brukt" in card_texts(review)
    return review


async def _said(client: TeamsClient, connector: RecordingConnector, words: str,
                **kw) -> dict:
    """Type `words`; return the one new message (a card or a text) in the personal chat."""
    before = len(connector.messages(PERSONAL.id))
    await client.say(words, **kw)
    new = connector.messages(PERSONAL.id)[before:]
    assert len(new) == 1, new
    return new[0]


def _card(message: dict) -> dict:
    [attachment] = message["attachments"]
    return attachment["content"]


async def test_words_with_no_report_say_so_and_store_nothing(
        client: TeamsClient, kompis_t: RunningKompis, connector: RecordingConnector) -> None:
    for words in ("endre tiltak 2", "slett tiltak 1"):
        message = await _said(client, connector, words, user=BOB)
        assert message["text"] == texts.TYPED_NO_DRAFT.format(cycle="2026/2027"), words
    message = await _said(client, connector, "avbryt", user=BOB)
    assert message["text"] == texts.CANCEL_NOTHING
    for words in ("send inn", "lever behovsmeldingen"):  # nothing to send: the form
        before = len(connector.messages(PERSONAL.id))
        await client.say(words, user=BOB)
        told, form = connector.messages(PERSONAL.id)[before:]
        assert told["text"] == texts.TYPED_START
        assert "Lagre og gå videre" in titles(_card(form))
    assert await kompis_t.services.reports.for_member(BOB.aad) == []


async def test_send_inn_typed_shows_the_confirmation_and_sends_nothing(
        client: TeamsClient, kompis_t: RunningKompis, connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    empty = _card(await _said(client, connector, "send inn"))
    assert texts.NO_MEASURES in card_texts(empty)  # refused as the button is: why, on the report
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    await fill_measure(client, form, {**MEASURE})
    confirm = _card(await _said(client, connector, "send inn behovsmeldingen"))
    assert f"Send inn behovsmeldingen for {CURRENT_SCHEME}, 1 tiltak?" in card_texts(confirm)
    [stored] = await kompis_t.services.reports.for_member(ALICE.aad)
    assert stored.meta.status == "utkast"  # nothing sent by the word
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    assert "BM-2026-FOS-KKU-0001" in str(receipt)
    # sent: the word says why not, on the report, with the way to reopen it
    again = _card(await _said(client, connector, "send inn"))
    assert texts.ALREADY_SUBMITTED in card_texts(again)
    assert "Gjenåpne for endringer" in titles(again)


async def test_endre_tiltak_typed_opens_that_measure(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await _two_measures(client, connector)
    for words in ("endre tiltak 2", "endre tiltak nummer to", "Rett tiltak nr. 2"):
        form = _card(await _said(client, connector, words))
        assert any(el.get("id") == "title" and el.get("value") == "Språk i barnehagen"
                   for el in form["body"]), words
    review = await fill_measure(client, form, {**MEASURE, "title": "Språk i hele barnehagen"})
    assert "Språk i hele barnehagen" in card_texts(review)
    which = _card(await _said(client, connector, "endre tiltak"))
    assert texts.TYPED_WHICH_MEASURE.format(command="endre tiltak") in card_texts(which)
    none = _card(await _said(client, connector, "endre tiltak 4"))
    assert texts.TYPED_NO_MEASURE.format(count=2, n=4) in card_texts(none)


async def test_slett_tiltak_typed_points_at_the_button_and_removes_nothing(
        client: TeamsClient, kompis_t: RunningKompis, connector: RecordingConnector) -> None:
    await _two_measures(client, connector)
    shown = _card(await _said(client, connector, "slett tiltak 1"))
    said = card_texts(shown)
    assert texts.TYPED_REMOVE.format(n=1, title="Lesing på tvers") in said
    assert "2 av 5 tiltak brukt" in said
    [stored] = await kompis_t.services.reports.for_member(ALICE.aad)
    assert len(stored.report.measures) == 2
    removed = await press(client, "needs.measure.remove", button(shown, "Fjern"))
    assert "1 av 5 tiltak brukt" in card_texts(removed)


async def test_avbryt_says_what_is_kept(client: TeamsClient, connector: RecordingConnector
                                        ) -> None:
    await start_report(client, connector)
    message = await _said(client, connector, "avbryt")
    assert message["text"] == texts.CANCEL_DRAFT


async def test_start_paa_nytt_offers_the_draft_first(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await start_report(client, connector)
    offer = _card(await _said(client, connector, "start på nytt"))
    assert "Fortsett" in titles(offer) and "Start en ny" in titles(offer)


async def test_several_drafts_are_offered_and_a_scheme_picks_one(
        client: TeamsClient, kompis_t: RunningKompis, connector: RecordingConnector) -> None:
    alice = Actor(ALICE.aad, ALICE.name)
    await seed_report(kompis_t, alice, partnership="Fosen skoler")
    await seed_report(kompis_t, alice, partnership="Fosen barnehager")
    before = len(connector.messages(PERSONAL.id))
    await client.say("send inn")
    new = connector.messages(PERSONAL.id)[before:]
    assert new[0]["text"] == texts.TYPED_WHICH
    assert card_texts(_card(new[1])).count("Fosen") >= 2


async def test_in_a_group_chat_the_card_goes_to_the_personal_chat(
        client: TeamsClient, connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    await fill_measure(client, form, {**MEASURE})
    before = len(connector.messages(PERSONAL.id))
    await client.say("send inn", conv=GROUP)
    assert [m["text"] for m in connector.messages(GROUP.id)][-1] == SENT_FORM
    [confirm] = connector.messages(PERSONAL.id)[before:]
    assert "Send inn behovsmeldingen" in card_texts(_card(confirm))
