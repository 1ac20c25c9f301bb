"""The needs report at the protocol, as Teams sends it (Action.Execute invokes)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from cards.check import check_card
from dialogs.texts import SENT_FORM
from domain.needs.forms import WHAT_FIELDS
from domain.norsk import OSLO
from tests.support.cards import card_texts, walk
from tests.support.connector import RecordingConnector
from tests.support.needs import (
    CURRENT_SCHEME,
    HEADER,
    MEASURE,
    button,
    fill_measure,
    join,
    press,
    start_report,
    titles,
)
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import (
    ALICE,
    BOB,
    CAROL,
    CHANNEL,
    CHANNEL_POSTS,
    GROUP,
    PERSONAL,
    TeamsClient,
)


@pytest.fixture
async def kompis_n(target: DbTarget):
    moment = datetime(2026, 12, 1, 10, tzinfo=OSLO)
    async with kompis_at(target, moment, admins=frozenset({CAROL.aad})) as server:
        yield server


@pytest.fixture
def client(http, kompis_n: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, lambda: kompis_n.messages_url, connector.url)


async def test_the_whole_flow(client: TeamsClient, kompis_n: RunningKompis,
                              connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    assert "0 av 5 tiltak brukt" in card_texts(review)
    for n in range(2):  # two measures
        form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(client, form, {**MEASURE,
                              "title": f"Tiltak {n + 1}"})
    assert "2 av 5 tiltak brukt" in card_texts(review)
    # edit the first
    form = await press(client, "needs.measure.edit", button(review, "Endre"))
    assert any(el.get("value") == "Tiltak 1" for el in form["body"] if el.get("id") == "title")
    review = await fill_measure(client, form, {**MEASURE, "title": "Lesing 2.0"})
    assert "Lesing 2\\.0" in card_texts(review)
    # remove one, add two more
    review = await press(client, "needs.measure.remove", button(review, "Fjern"))
    for n in range(2):
        form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(client, form, {**MEASURE, "title": f"Ny {n}"})
    assert "3 av 5 tiltak brukt" in card_texts(review)
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    assert f"Send inn behovsmeldingen for {CURRENT_SCHEME}, 3 tiltak?" in card_texts(confirm)
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    said = card_texts(receipt)
    assert "Kvittering" in said
    assert "BM-2026-FOS-KKU-0001" in str(receipt)
    assert "for sent" not in said
    # a double press of the confirm button changes nothing
    again = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    assert "utdatert" in card_texts(again)
    stored = (await kompis_n.services.reports.for_member(ALICE.aad))[0]
    assert stored.meta.status == "sendt inn" and stored.reference == "BM-2026-FOS-KKU-0001"
    await client.say("mine behovsmeldinger")
    assert "sendt inn · 3 tiltak" in card_texts(connector.cards()[-1])


async def test_amend_after_submit_keeps_versions(client: TeamsClient, kompis_n: RunningKompis,
                                                 connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    review = await fill_measure(client, form, {**MEASURE})
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    review = await press(client, "needs.open", button(receipt, "Åpne behovsmeldingen"))
    review = await press(client, "needs.reopen", button(review, "Gjenåpne for endringer"))
    assert "gjenåpnet" in str(review)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    review = await fill_measure(client, form, {**MEASURE, "title": "Tillegg"})
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    assert "BM-2026-FOS-KKU-0001" in str(receipt)  # the same reference number
    services = kompis_n.services
    [stored] = await services.reports.for_member(ALICE.aad)
    actions = [v.action for v in await services.reports.versions(stored.id)]
    assert actions == ["create", "measure.step", "measure.add", "submit", "reopen",
                       "measure.step", "measure.add", "submit"]


async def test_rules_refusals_keep_what_was_typed(client: TeamsClient,
                                                  connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    bad = {**MEASURE, "title": "x" * 130, "areas": "", "amount": "masse"}
    again = await fill_measure(client, form, {**bad})
    said = card_texts(again)
    assert "Tittel er 130 tegn, maks 120." in said
    assert "Velg minst ett felt tiltaket gjelder." in said
    assert any(el.get("id") == "need" and el.get("value") == MEASURE["need"]
               for el in again["body"])


def fix_here(card: dict) -> str:
    """The line beside the pressed button that names the fields to fix."""
    last = card["body"][-1]
    assert last.get("style") == "attention", last
    return last["items"][0]["text"]


async def test_a_measure_in_two_steps_survives_a_restart_and_is_edited_in_both(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector) -> None:
    """Step 1 (what and who) is checked on its own and kept in the report; step 2
    (money, period, criteria) is checked on its own; each refusal names the fields beside
    the button pressed; step 1 survives a restart; an edit is prefilled in both steps."""
    what = {k: v for k, v in MEASURE.items() if k in WHAT_FIELDS}
    money = {k: v for k, v in MEASURE.items() if k not in WHAT_FIELDS}
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    assert "Steg 1 av 2" in card_texts(form) and "amount" not in str(form)
    refused = await press(client, "needs.measure.next",
                          {**button(form, "Neste"), **what, "title": "", "areas": ""})
    assert "Steg 1 av 2" in card_texts(refused)
    assert fix_here(refused) == "Ikke lagret. Rett Tittel og Felt tiltaket gjelder."
    assert titles(refused)[0] == "Neste"
    step2 = await press(client, "needs.measure.next", {**button(refused, "Neste"), **what})
    assert "Steg 2 av 2" in card_texts(step2) and MEASURE["title"] in str(step2)
    refused = await press(client, "needs.measure.save",
                          {**button(step2, "Lagre tiltaket"), **money, "amount": "masse",
                           "period_end": "2026-01-01"})
    assert "Steg 2 av 2" in card_texts(refused)
    assert fix_here(refused) == "Ikke lagret. Rett Periode til og Beløp (kr)."
    assert any(el.get("id") == "amount" and el.get("value") == "masse"
               for el in walk(refused))
    # the person leaves; Kompis restarts; what they typed in step 1 is still there
    await kompis_n.restart()
    await client.say("meld behov")
    offer = connector.cards()[-1]
    review = await press(client, "needs.open", button(offer, "Fortsett"))
    assert "steg 2 mangler" in card_texts(review) and MEASURE["title"] in card_texts(review)
    step2 = await press(client, "needs.measure.resume", button(review, "Fortsett"))
    back = await press(client, "needs.measure.back", button(step2, "Tilbake til steg 1"))
    assert any(el.get("id") == "need" and el.get("value") == MEASURE["need"]
               for el in walk(back))
    step2 = await press(client, "needs.measure.next", {**button(back, "Neste"), **what,
                                                       "title": "Lesing i alle fag"})
    review = await press(client, "needs.measure.save",
                         {**button(step2, "Lagre tiltaket"), **money})
    assert "1 av 5 tiltak brukt" in card_texts(review) and "Lesing i alle fag" in \
        card_texts(review) and "steg 2 mangler" not in card_texts(review)
    # an edit: both steps prefilled with what is stored
    form = await press(client, "needs.measure.edit", button(review, "Endre"))
    values = {el["id"]: el.get("value") for el in walk(form) if "id" in el}
    assert values["title"] == "Lesing i alle fag" and values["areas"] == "skole"
    assert "Endre tiltak" in card_texts(form)
    step2 = await press(client, "needs.measure.next",
                        {**button(form, "Neste"), **{k: values[k] for k in WHAT_FIELDS}})
    values = {el["id"]: el.get("value") for el in walk(step2) if "id" in el}
    assert values["amount"] == "300 000" and values["period_start"] == "2027-01-04"
    review = await press(client, "needs.measure.save",
                         {**button(step2, "Lagre tiltaket"), **values, "amount": "250 000"})
    assert "1 av 5 tiltak brukt" in card_texts(review)
    assert "250\xa0000\xa0kr" in card_texts(review)


async def test_sixth_measure_and_second_report_are_refused(
        client: TeamsClient, connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    for n in range(5):
        form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(client, form, {**MEASURE, "title": f"T{n}"})
    assert "5 av 5 tiltak brukt" in card_texts(review)
    assert "Legg til tiltak" not in str(review)
    # a crafted press for a sixth
    data = {**button(review, "Send inn"), **MEASURE, "action": "needs.measure.save"}
    refused = await press(client, "needs.measure.save", data)
    assert "allerede 5 tiltak" in card_texts(refused)
    # a second report for the same partnership, scheme and cycle
    await client.say("meld behov ny")
    header = connector.cards()[-1]
    dup = await press(client, "needs.header.save",
                      {**button(header, "Lagre og gå videre"), **HEADER,
                       "partnership_name": "FOSEN  skoler"})
    assert f"har allerede en behovsmelding for {CURRENT_SCHEME}" in card_texts(dup)


async def test_stale_press_and_concurrent_edit(client: TeamsClient,
                                               connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    bobs = await join(client, connector, BOB)
    add = button(review, "Legg til tiltak")
    alice_form = await press(client, "needs.measure.add", add)
    bob_form = await press(client, "needs.measure.add", button(bobs, "Legg til tiltak"),
                           user=BOB)
    saved = await fill_measure(client, alice_form, {**MEASURE, "title": "Alices"})
    assert "1 av 5" in card_texts(saved)
    # Bob's step 1 was made before Alice saved: what he typed is kept, on the new version
    saved = await fill_measure(client, bob_form, {**MEASURE, "title": "Bobs"}, user=BOB)
    assert "2 av 5" in card_texts(saved) and "Alices" in card_texts(saved)
    # Step 2 is strict: Alice's step 2 card is older than Bob's next save, so it is refused
    # and changes nothing, but her step 1 is kept in the report, to go on with
    what = {k: v for k, v in MEASURE.items() if k in WHAT_FIELDS}
    money = {k: v for k, v in MEASURE.items() if k not in WHAT_FIELDS}
    form = await press(client, "needs.measure.add", button(saved, "Legg til tiltak"))
    step2 = await press(client, "needs.measure.next",
                        {**button(form, "Neste"), **what, "title": "Alices andre"})
    assert "Steg 2 av 2" in card_texts(step2)
    bobs = await press(client, "needs.open", button(saved, "Legg til tiltak"), user=BOB)
    bob_form = await press(client, "needs.measure.add", button(bobs, "Legg til tiltak"),
                           user=BOB)
    await fill_measure(client, bob_form, {**MEASURE, "title": "Bobs andre"}, user=BOB)
    lost = await press(client, "needs.measure.save", {**button(step2, "Lagre tiltaket"),
                                                      **money})
    said = card_texts(lost)
    assert "utdatert" in said and "Bobs andre" in said and "3 av 5" in said
    assert "Alices andre" in said and "steg 2 mangler" in said
    again = await press(client, "needs.measure.resume", button(lost, "Fortsett"))
    assert "Steg 2 av 2" in card_texts(again) and "Alices andre" in str(again)
    saved = await press(client, "needs.measure.save", {**button(again, "Lagre tiltaket"),
                                                       **money})
    assert "4 av 5" in card_texts(saved) and "steg 2 mangler" not in card_texts(saved)


async def test_other_partnership_cannot_touch_it(client: TeamsClient, kompis_n: RunningKompis,
                                                 connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    data = button(review, "Legg til tiltak")
    refused = await press(client, "needs.measure.add", data, user=BOB)
    assert "ikke tilgang" in refused["message"]  # on the pressed card, not a new message
    refusals = await kompis_n.services.audit.refusals()
    assert refusals and refusals[-1].actor == BOB.aad
    # the coordinator's channel hears about submissions
    await client.install(conv=CHANNEL)
    await kompis_n.services.channels.register("fosen", CHANNEL.id, by=CAROL.aad)
    form = await press(client, "needs.measure.add", data)
    review = await fill_measure(client, form, {**MEASURE})
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    await kompis_n.runtime.deliverer.drain(max_seconds=5)
    notice = connector.cards(CHANNEL_POSTS)[-1]  # a new post in the channel
    assert f"Fosen skoler har sendt inn behovsmeldingen for {CURRENT_SCHEME}" in \
        card_texts(notice)


async def test_resume_after_restart(client: TeamsClient, kompis_n: RunningKompis,
                                    connector: RecordingConnector) -> None:
    await start_report(client, connector)
    await kompis_n.restart()
    kompis_n.clock.set(datetime(2026, 12, 2, tzinfo=OSLO))
    await client.say("meld behov", user=ALICE, conv=PERSONAL)
    offer = connector.cards()[-1]
    assert "Vil du fortsette" in card_texts(offer)
    review = await press(client, "needs.continue", button(offer, "Fortsett"))
    assert "Fosen skoler" in str(review) and "0 av 5 tiltak brukt" in card_texts(review)


async def test_a_form_from_before_in_a_group_chat_answers_only_its_owner(
        client: TeamsClient, connector: RecordingConnector) -> None:
    """Forms go to the personal chat now (tests/protocol/test_personal_chat.py); a form
    posted in a group chat before that, stamped with its owner, still answers only her."""
    await client.say("meld behov")
    data = {**button(connector.cards(PERSONAL.id)[-1], "Lagre og gå videre"),
            "owner": ALICE.aad}
    answer = await press(client, "needs.header.save", {**data, **HEADER}, conv=GROUP, user=BOB)
    # told to the presser on the card, not posted to the whole group
    assert "laget for en annen" in answer["message"]
    answer = await press(client, "needs.header.save", {**data, **HEADER}, conv=GROUP)
    assert answer["message"] == SENT_FORM  # her draft, in her (stored) personal chat
    review = connector.cards(PERSONAL.id)[-1]
    assert button(review, "Legg til tiltak") and connector.messages(GROUP.id) == []


async def test_late_submission_is_marked(client: TeamsClient, kompis_n: RunningKompis,
                                         connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    review = await fill_measure(client, form, {**MEASURE})
    on_time = await press(client, "needs.submit", button(review, "Send inn"))
    assert "for sent" not in card_texts(on_time)
    kompis_n.clock.set(datetime(2026, 12, 16, 9, tzinfo=OSLO))
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    assert "Fristen er ute, så den blir merket som sendt for sent" in card_texts(confirm)
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    assert "merket som sendt for sent" in card_texts(receipt)
    [stored] = await kompis_n.services.reports.for_member(ALICE.aad)
    assert stored.meta.status == "sendt inn for sent" and stored.meta.late
    opened = await press(client, "needs.open", button(receipt, "Åpne behovsmeldingen"))
    assert "Gjenåpne for endringer" not in titles(opened)  # the deadline has passed
    crafted = {"report_id": stored.id, "version": stored.version}
    reopened = await press(client, "needs.reopen", crafted)
    assert "Fristen er ute" in card_texts(reopened)
    [after] = await kompis_n.services.reports.for_member(ALICE.aad)
    assert after.version == stored.version and after.meta.status == "sendt inn for sent"


async def test_action_submit_path_updates_the_pressed_card(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await client.say("meld behov")
    header = connector.cards()[-1]
    answer = await client.submit({**button(header, "Lagre og gå videre"), **HEADER},
                                 reply_to="card-42")
    assert answer.status == 201
    [update] = connector.updates()
    assert update.activity_id == "card-42"
    card = update.body["attachments"][0]["content"]
    check_card(card)
    assert "0 av 5 tiltak brukt" in card_texts(card)


async def test_header_can_be_corrected_but_not_moved(client: TeamsClient, kompis_n: RunningKompis,
                                                     connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.header.edit", button(review, "Endre opplysninger"))
    assert not any(el.get("id") == "partnership_name" for el in form["body"])
    assert "Fosen skoler" in str(form)  # shown as a fact
    save = button(form, "Lagre og gå videre")
    assert save["partnership_name"] == "Fosen skoler" and save["scheme"] == CURRENT_SCHEME
    # moving the report to another partnership, or to a scheme the cycle does not have,
    # by a crafted press is refused
    moved = await press(client, "needs.header.save",
                        {**save, **HEADER, "partnership_name": "Andre skoler"})
    assert "Partnerskapets navn kan ikke endres" in card_texts(moved)
    moved = await press(client, "needs.header.save", {**save, **HEADER, "scheme": "KKUB"})
    assert "Velg en ordning for 2026/2027 fra listen." in card_texts(moved)
    bad = await press(client, "needs.header.save", {**save, **HEADER, "contact_email": "kari"})
    assert "Skriv en e-postadresse" in card_texts(bad)
    assert any(el.get("id") == "contact_email" and el.get("value") == "kari"
               for el in bad["body"])
    fixed = await press(client, "needs.header.save",
                        {**save, **HEADER, "contact_email": "kari.nordmann@afjord.kommune.no",
                         "owners": "Åfjord kommune, Ørland kommune, Osen kommune"})
    assert "Osen kommune" in str(fixed) and "kari\\\\.nordmann" in str(fixed)
    services = kompis_n.services
    [stored] = await services.reports.for_member(ALICE.aad)
    assert stored.meta.partnership_name == "Fosen skoler" and stored.meta.scheme == CURRENT_SCHEME
    assert [v.action for v in await services.reports.versions(stored.id)] == \
        ["create", "header.edit"]
    # the old form is stale now
    stale = await press(client, "needs.header.save", {**save, **HEADER})
    assert "utdatert" in card_texts(stale)
    # from the offer on `meld behov`, «Start en ny» gives an empty header form
    await client.say("meld behov")
    offer = connector.cards()[-1]
    fresh = await press(client, "needs.start", button(offer, "Start en ny"))
    assert any(el.get("id") == "partnership_name" for el in fresh["body"])


REFUSALS = ("utdatert", "ikke tilgang", "Fant ikke", "kan ikke", "allerede", "Fristen er ute",
            "Legg til minst", "Gjenåpne den")


async def test_every_button_a_card_offers_is_accepted(client: TeamsClient,
                                                      kompis_n: RunningKompis,
                                                      connector: RecordingConnector) -> None:
    """State by state, every button on the review card is pressed; none is refused, and
    the buttons are exactly those the state allows."""
    async def press_all(card: dict, skip: tuple[str, ...] = ()) -> None:
        for title in titles(card):
            if title in skip:
                continue
            answer = await press(client, button(card, title)["action"], button(card, title))
            said = card_texts(answer) if "body" in answer else str(answer)
            assert not any(r in said for r in REFUSALS), (title, said)

    review = await start_report(client, connector)
    assert set(titles(review)) == {"Legg til tiltak", "Endre opplysninger", "Lagre og avslutt",
                                   "Endre navn"}
    await press_all(review)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    step2 = await press(client, "needs.measure.next", {
        **button(form, "Neste"), **{k: v for k, v in MEASURE.items() if k in WHAT_FIELDS}})
    assert "Høyst 5\xa0000\xa0000\xa0kr per tiltak" in card_texts(step2)  # limits, where typed
    dates = {el["id"]: el for el in step2["body"] if el.get("type") == "Input.Date"}
    assert dates["period_start"]["min"] == "2027-01-01"
    review = await press(client, "needs.open", button(step2, "Avbryt"))
    assert set(titles(review)) >= {"Fortsett", "Forkast"}
    await press_all(review, skip=("Forkast",))
    review = await press(client, "needs.measure.discard", button(review, "Forkast"))
    assert "Det påbegynte tiltaket er forkastet." in card_texts(review)
    assert "Fortsett" not in titles(review)
    for i in range(5):
        form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(client, form, {**MEASURE, "title": f"T{i}"})
    assert "Legg til tiltak" not in titles(review)  # five of five
    await press_all(review, skip=("Fjern",))
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    opened = await press(client, "needs.open", button(receipt, "Åpne behovsmeldingen"))
    assert titles(opened) == ["Gjenåpne for endringer"]
    reopened = await press(client, "needs.reopen", button(opened, "Gjenåpne for endringer"))
    assert "Send inn" in titles(reopened) and "Gjenåpne for endringer" not in titles(reopened)
    await press_all(reopened, skip=("Fjern",))


@pytest.mark.parametrize("name", ["Fosen sko\u200bler", "Fosen skоler", "Fosen\u202eskoler"])
async def test_a_look_alike_partnership_name_is_refused(client: TeamsClient,
                                                        kompis_n: RunningKompis,
                                                        connector: RecordingConnector,
                                                        name: str) -> None:
    await start_report(client, connector)  # Alice's «Fosen skoler»
    await client.say("meld behov", user=BOB)
    form = connector.cards()[-1]
    refused = await press(client, "needs.header.save",
                          {**button(form, "Lagre og gå videre"), **HEADER,
                           "partnership_name": name}, user=BOB)
    assert "Fosen skoler" in card_texts(refused)  # named, so Bob can ask to be added
    assert await kompis_n.services.reports.for_member(BOB.aad) == []
    assert await kompis_n.services.reports.partnerships("fosen") == ["Fosen skoler"]


async def test_a_reopened_report_says_its_changes_are_not_sent(
        client: TeamsClient, connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    review = await fill_measure(client, form, {**MEASURE})
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    said = card_texts(receipt)  # what happens next, with the dates from the wheel
    assert "Hva skjer nå" in said and re.search(r"innen \d+\. januar 2027", said)
    assert "fram til fristen 15. desember 2026" in said
    opened = await press(client, "needs.open", button(receipt, "Åpne behovsmeldingen"))
    assert "ikke sendt inn" not in card_texts(opened)
    reopened = await press(client, "needs.reopen", button(opened, "Gjenåpne for endringer"))
    edit = await press(client, "needs.measure.edit", button(reopened, "Endre"))
    step2 = await press(client, "needs.measure.next", {
        **button(edit, "Neste"), **{k: v for k, v in MEASURE.items() if k in WHAT_FIELDS}})
    changed = await press(client, "needs.measure.save", {
        **button(step2, "Lagre tiltaket"),
        **{k: v for k, v in MEASURE.items() if k not in WHAT_FIELDS}, "amount": "250 000"})
    header = await press(client, "needs.header.edit", button(changed, "Endre opplysninger"))
    saved = await press(client, "needs.save_exit", button(changed, "Lagre og avslutt"))
    for card in (reopened, edit, step2, changed, header, saved):  # on every card
        assert "Endringene er ikke sendt inn. Send inn før fristen 15. desember 2026" \
            in card_texts(card)
    await client.say("mine behovsmeldinger")
    assert "endringene er ikke sendt inn" in card_texts(connector.cards()[-1])
    await client.say("meld behov")
    assert "endringene er ikke sendt inn" in card_texts(connector.cards()[-1])


async def test_meld_behov_after_submitting_offers_the_report_first(
        client: TeamsClient, connector: RecordingConnector) -> None:
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    review = await fill_measure(client, form, {**MEASURE})
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    await client.say("meld behov")
    offer = connector.cards()[-1]
    assert "Dere har allerede behovsmeldinger" in card_texts(offer)
    assert titles(offer) == ["Åpne", "Start en ny"]
    opened = await press(client, "needs.open", button(offer, "Åpne"))
    assert "Gjenåpne for endringer" in titles(opened)
    blank = await press(client, "needs.start", button(offer, "Start en ny"))
    assert "Lagre og gå videre" in titles(blank)


async def test_the_contact_is_filled_in_from_teams(client: TeamsClient,
                                                   connector: RecordingConnector) -> None:
    connector.members[ALICE.id] = {"id": ALICE.id, "name": ALICE.name, "aadObjectId": ALICE.aad,
                                   "email": "alice@afjord.kommune.no",
                                   "userPrincipalName": "alice@afjord.onmicrosoft.com"}
    await client.say("meld behov")
    inputs = {el["id"]: el for el in walk(connector.cards()[-1]) if "id" in el}
    assert inputs["contact_name"]["value"] == ALICE.name
    assert inputs["contact_email"]["value"] == "alice@afjord.kommune.no"
    await client.say("meld behov", user=BOB)  # Teams does not know Bob here: left empty
    inputs = {el["id"]: el for el in walk(connector.cards()[-1]) if "id" in el}
    assert inputs["contact_name"]["value"] == "" and inputs["contact_email"]["value"] == ""


async def test_names_in_the_legg_til_answer_are_shown_literally(
        client: TeamsClient, connector: RecordingConnector) -> None:
    link = "[Logg inn](https://phish.example)"
    await start_report(client, connector)
    await client.say("hjelp", conv=GROUP)  # the group chat is known
    connector.members[BOB.id] = {"id": BOB.id, "name": link, "aadObjectId": BOB.aad}
    await client.say_mentioning("legg til @", BOB, user=ALICE, conv=GROUP)
    said = connector.messages(GROUP.id)[-1]["text"]
    assert "er nå med i partnerskapet Fosen skoler" in said
    assert link not in said and r"\[Logg inn\]\(https://phish\.example\)" in said


async def test_a_measure_across_fields_has_a_place(client: TeamsClient, kompis_n: RunningKompis,
                                                   connector: RecordingConnector) -> None:
    """One scheme in 2026/2027: a measure for kindergarten, school and PPT together is
    chosen on the form and shown on the review, the receipt and in the stored report."""
    review = await start_report(client, connector)
    form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"))
    areas = next(el for el in walk(form) if el.get("id") == "areas")
    assert areas["isMultiSelect"] and [c["value"] for c in areas["choices"]] == [
        "barnehage", "skole", "ppt"]
    review = await fill_measure(client, form, {**MEASURE, "areas": "ppt,barnehage,skole"})
    assert "barnehage, skole og PPT/tjenester rundt barna" in card_texts(review)
    confirm = await press(client, "needs.submit", button(review, "Send inn"))
    receipt = await press(client, "needs.submit.confirm", button(confirm, "Send inn"))
    assert "(felt: barnehage, skole og PPT/tjenester rundt barna)" in card_texts(receipt)
    [stored] = await kompis_n.services.reports.for_member(ALICE.aad)
    assert stored.snapshot["measures"][0]["areas"] == ["barnehage", "skole", "ppt"]


@pytest.mark.parametrize("older", ["Dekom", "rekom", "KKUB"])
async def test_an_older_scheme_name_is_explained_once(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        older: str) -> None:
    """`meld behov Dekom`: the form for the scheme that replaced it, with one line saying
    what it is called now, the first time this person writes that name (and never
    again, also after a restart)."""
    await client.say(f"meld behov {older}")
    form = connector.cards()[-1]
    said = card_texts(form)
    assert f"{older.capitalize() if older != 'KKUB' else older} heter ikke lenger det." in said
    assert f"meldes behov til Tilskuddsordning for kollektiv kompetanseutvikling " \
           f"({CURRENT_SCHEME})" in said
    assert button(form, "Lagre og gå videre")["scheme"] == CURRENT_SCHEME
    await kompis_n.restart()
    await client.say(f"meld behov {older}")
    again = connector.cards()[-1]
    assert "heter ikke lenger det" not in card_texts(again)
    assert button(again, "Lagre og gå videre")["scheme"] == CURRENT_SCHEME
    await client.say(f"meld behov {older}", user=BOB)  # another person is told too
    assert "heter ikke lenger det" in card_texts(connector.cards()[-1])
    told = await kompis_n.services.audit.for_object("person", ALICE.aad)
    assert [e.action for e in told] == ["needs.former_name_told"]


async def test_an_older_name_is_explained_before_the_reports_on_offer(
        client: TeamsClient, connector: RecordingConnector) -> None:
    await start_report(client, connector)
    await client.say("meld behov for Dekom")
    said = " ".join(m.get("text") or "" for m in connector.messages(PERSONAL.id)[-2:])
    assert "Dekom heter ikke lenger det." in said
    assert "Vil du fortsette den?" in card_texts(connector.cards()[-1])
