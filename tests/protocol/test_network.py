"""The network's part at the protocol: Carol (coordinator for Fosen) assesses Alice's
measures, asks her a question, checks and sends the compiled report; Erin
(samarbeidsforum) is told and opens `oversikt`; Dave (coordinator for Gauldal) and Alice
try what is not theirs and are refused, with nothing changed."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import datetime, time, timedelta

import openpyxl
import pytest

from cards.check import check_card
from domain.needs.catalog import load_schemes
from domain.needs.forms import parse_measure
from domain.needs.models import Header, Measure, NeedsReport
from domain.needs.service import Actor
from domain.norsk import OSLO
from domain.wheel.due import reminders_for
from domain.wheel.loader import load_wheel
from store.audit import REFUSED
from tests.support.cards import card_texts, walk
from tests.support.connector import RecordingConnector
from tests.support.needs import HEADER, MEASURE, button, press
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import (
    ALICE,
    BOB,
    CAROL,
    CHANNEL,
    CHANNEL_POSTS,
    GROUP,
    PERSONAL,
    Conv,
    TeamsClient,
    User,
)

MOMENT = datetime(2026, 12, 18, 10, tzinfo=OSLO)  # after the partnerships' deadline
CYCLE = "2026/2027"
SCHEME = HEADER["scheme"]
DAVE = User("29:1dave", "aad-dave-0004", "Dave Gauldal")
ERIN = User("29:1erin", "aad-erin-0005", "Erin Forum")
CAROLS_CHAT = Conv("a:1personal-carol", "personal")
DAVES_CHAT = Conv("a:1personal-dave", "personal")
ERINS_CHAT = Conv("a:1personal-erin", "personal")
BOBS_CHAT = Conv("a:1personal-bob", "personal")


def network_deadline() -> datetime:
    cycle = next(c for c in load_wheel().cycles if c.id == CYCLE)
    event = cycle.deadline("sammenstilt_behovsmelding")
    assert event is not None
    return datetime.combine(event.start, time(12), OSLO)


@pytest.fixture
async def kompis_n(target: DbTarget):
    async with kompis_at(target, MOMENT) as server:
        roles = server.services.roles
        await roles.grant(CAROL.aad, "koordinator", "fosen", display_name=CAROL.name, by=None)
        await roles.grant(DAVE.aad, "koordinator", "gauldal", display_name=DAVE.name, by=None)
        await roles.grant(ERIN.aad, "samarbeidsforum", None, display_name=ERIN.name, by=None)
        yield server


@pytest.fixture
def client(http, kompis_n: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, lambda: kompis_n.messages_url, connector.url)


async def seed(kompis: RunningKompis, user: User, chat: Conv, partnership: str,
               measures: list[tuple[str, str]], *, network_id: str = "fosen",
               submit: bool = True) -> NeedsReport:
    """A report made through the needs service, as the cards would (titles, needs)."""
    service = kompis.runtime.features.needs
    actor = Actor(user.aad, user.name, personal_chat=chat.id)
    header = Header.model_validate({
        **{k: v for k, v in HEADER.items() if k != "owners"}, "owners": ("Åfjord kommune",),
        "cycle": CYCLE, "network_id": network_id, "partnership_name": partnership})
    report = await service.start(actor, header)
    rules = load_schemes().cycle(CYCLE)
    assert rules is not None
    for title, need in measures:
        measure = parse_measure({**MEASURE, "title": title, "need": need}, rules)
        assert isinstance(measure, Measure), measure
        report = await service.add_measure(actor, report.id, report.version, measure)
    if submit:
        report = await service.submit(actor, report.id, report.version)
    return report


@pytest.fixture
async def fosen(client: TeamsClient, kompis_n: RunningKompis) -> dict:
    """Alice's report submitted (two measures), Bob's a draft, Carol's channel set up,
    Erin following samarbeidsforum in a group chat."""
    await client.say("hei", user=ALICE)  # Kompis knows Alice's personal chat
    alice = await seed(kompis_n, ALICE, PERSONAL, "Fosen skoler", [
        ("Lesing i alle fag", "Leseforståelsen er svak på mellomtrinnet."),
        ("Inkluderende læringsmiljø", "Mobbetallene har økt to år på rad.")])
    bob = await seed(kompis_n, BOB, BOBS_CHAT, "Ørland oppvekst",
                     [("Språk i barnehagen", "Flere barn trenger språkstøtte.")], submit=False)
    await client.say("registrer koordinatorkanal", user=CAROL, conv=CHANNEL)
    await client.say("abonner på påminnelser for samarbeidsforum", user=ERIN, conv=GROUP)
    return {"alice": alice, "bob": bob}


async def said(client: TeamsClient, connector: RecordingConnector, text: str, user: User,
               conv: Conv) -> list[dict]:
    before = len(connector.messages(conv.id))
    answer = await client.say(text, user=user, conv=conv)
    assert answer.status == 201
    new = connector.messages(conv.id)[before:]
    assert new, f"no answer to {text!r}"
    cards = [a["content"] for m in new for a in m.get("attachments") or []]
    for card in cards:
        check_card(card)
    return new


def text_of(messages: list[dict]) -> str:
    return " ".join((m.get("text") or "") + " " + " ".join(
        card_texts(a["content"]) for a in m.get("attachments") or []) for m in messages)


async def assessment_card(client: TeamsClient, report: NeedsReport, user: User = CAROL,
                          conv: Conv = CAROLS_CHAT) -> dict:
    return await press(client, "network.assess", {"report_id": report.id}, user=user,
                       conv=conv)


def inputs(card: dict) -> dict[str, str]:
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found[node["id"]] = node.get("value", "")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(card)
    return found


async def assess(client: TeamsClient, card: dict, texts: dict[str, str], *,
                 user: User = CAROL, conv: Conv = CAROLS_CHAT) -> dict:
    data = {**button(card, "Lagre vurderingene"), **texts}
    return await press(client, "network.assess.save", data, user=user, conv=conv)


def measure_inputs(card: dict) -> list[str]:
    return [k for k in inputs(card) if k.startswith("assessment_")]


async def checklist(client: TeamsClient, connector: RecordingConnector, *,
                    user: User = CAROL, conv: Conv = CAROLS_CHAT) -> dict:
    messages = await said(client, connector, f"send sammenstilt behovsmelding {SCHEME}", user,
                          conv)
    cards = [a["content"] for m in messages for a in m.get("attachments") or []]
    assert len(cards) == 1, text_of(messages)
    return cards[0]


async def send(client: TeamsClient, connector: RecordingConnector, **kw) -> dict:
    card = await checklist(client, connector, **kw)
    return await press(client, "network.send", button(card, "Send inn"), **kw)


# --- the assessment ------------------------------------------------------------------------


async def test_assessment_is_saved_versioned_and_in_the_spreadsheet(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict, http) -> None:
    card = await assessment_card(client, fosen["alice"])
    check_card(card)
    shown = card_texts(card)
    assert "Lesing i alle fag" in shown and "Inkluderende læringsmiljø" in shown
    assert "er kildene uenige" in shown and "kilde 003" in shown  # no ranking, and why
    first, second = measure_inputs(card)
    saved = await assess(client, card, {first: "Felles behov med Ørland; NTNU har kapasitet."})
    assert "Lagret" in card_texts(saved)
    assert inputs(saved)[first] == "Felles behov med Ørland; NTNU har kapasitet."
    again = await assess(client, saved, {first: "Felles behov med Ørland og Indre Fosen."})
    assert "Sist endret" in card_texts(again) and "versjon 2" in card_texts(again)
    entries = [e for e in await kompis_n.services.audit.for_object(
        "needs_report", fosen["alice"].id) if e.action == "assessment.save"]
    assert len(entries) == 2

    messages = await said(client, connector, "eksporter", CAROL, CAROLS_CHAT)
    url = re.search(r"https?://[^\s'\"]+\.xlsx\?[^\s'\"]+", str(messages)).group(0)
    local = url.replace(kompis_n.settings.public_url.rstrip("/"), kompis_n.url)
    async with http.get(local) as response:
        assert response.status == 200, await response.text()
        book = openpyxl.load_workbook(io.BytesIO(await response.read()))
    sheet = book[SCHEME]
    header = [c.value for c in sheet[1]]
    column = header.index("Nettverkets vurdering")
    values = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert "Felles behov med Ørland og Indre Fosen." in values
    del second


@pytest.mark.parametrize("typed", ["vurder", "vurder tiltakene", "vurder tiltakene i Fosen",
                                   "jeg vil vurdere tiltakene"])
async def test_assess_without_a_reference_lists_the_reports_to_assess(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict, typed: str) -> None:
    """«vurder» with no reference, or asked for in plain words («jeg vil vurdere
    tiltakene»): the coordinator gets the network's status,
    where the submitted report has «Vurder» and the draft has not; pressing it opens the
    assessment. A partnership member is told how it is written."""
    messages = await said(client, connector, typed, CAROL, CAROLS_CHAT)
    assert "Trykk «Vurder» ved behovsmeldingen" in text_of(messages)
    status = [a["content"] for m in messages for a in m.get("attachments") or []][-1]
    assess_buttons = [b for b in walk(status) if b.get("title") == "Vurder"]
    assert [b["data"]["report_id"] for b in assess_buttons] == [fosen["alice"].id]
    card = await press(client, "network.assess", assess_buttons[0]["data"], user=CAROL,
                       conv=CAROLS_CHAT)
    assert "Lesing i alle fag" in card_texts(card)
    member = text_of(await said(client, connector, "vurder", ALICE, PERSONAL))
    assert "Skriv referansen til behovsmeldingen" in member and "Vurder»" not in member


async def test_bad_assessments_get_a_clear_answer_and_change_nothing(
        client: TeamsClient, kompis_n: RunningKompis, fosen: dict) -> None:
    card = await assessment_card(client, fosen["alice"])
    first, _ = measure_inputs(card)
    empty = await assess(client, card, {first: "   "})
    assert "Skriv vurderingen" in card_texts(empty)
    long = await assess(client, card, {first: "x" * 5000})
    assert "Korte den ned" in card_texts(long) and "5000 tegn" in card_texts(long)
    assert not [e for e in await kompis_n.services.audit.for_object(
        "needs_report", fosen["alice"].id) if e.action == "assessment.save"]
    # a draft is not assessed: there is nothing sent in to assess
    draft = await assessment_card(client, fosen["bob"])
    assert "har ikke sendt inn" in str(draft)


async def test_two_coordinators_on_one_assessment_do_not_overwrite(
        client: TeamsClient, kompis_n: RunningKompis, fosen: dict) -> None:
    await kompis_n.services.roles.grant("aad-frank-0006", "koordinator", "fosen",
                                        display_name="Frank", by=None)
    frank = User("29:1frank", "aad-frank-0006", "Frank Fosen")
    franks = Conv("a:1personal-frank", "personal")
    carols = await assessment_card(client, fosen["alice"])
    franks_card = await assessment_card(client, fosen["alice"], user=frank, conv=franks)
    first, _ = measure_inputs(carols)
    await assess(client, carols, {first: "Carols vurdering."})
    late = await assess(client, franks_card, {first: "Franks vurdering."}, user=frank,
                        conv=franks)
    assert "endret vurderingen" in card_texts(late)
    assert inputs(late)[first] == "Carols vurdering."


async def test_a_question_reaches_the_partnership_once(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    card = await assessment_card(client, fosen["alice"])
    first, _ = measure_inputs(card)
    measure_id = first.removeprefix("assessment_")
    ask = {"action": "network.ask", "report_id": fosen["alice"].id, "measure_id": measure_id,
           f"question_{measure_id}": "Hvor mange skoler er med på lesetiltaket?"}
    answered = await press(client, "network.ask", ask, user=CAROL, conv=CAROLS_CHAT)
    assert "Spørsmålet er sendt til Fosen skoler (1 chat)" in card_texts(answered)
    await press(client, "network.ask", ask, user=CAROL, conv=CAROLS_CHAT)  # pressed twice
    before = len(connector.messages(PERSONAL.id))
    await kompis_n.runtime.deliverer.drain(max_seconds=10)
    await kompis_n.runtime.deliverer.drain(max_seconds=2)
    arrived = connector.messages(PERSONAL.id)[before:]
    assert len(arrived) == 1
    question = arrived[0]["attachments"][0]["content"]
    check_card(question)
    assert "Hvor mange skoler" in card_texts(question)
    assert fosen["alice"].reference in card_texts(question)
    assert button(question, "Åpne behovsmeldingen")["report_id"] == fosen["alice"].id
    empty = await press(client, "network.ask", {**ask, f"question_{measure_id}": ""},
                        user=CAROL, conv=CAROLS_CHAT)
    assert "Skriv spørsmålet" in card_texts(empty)


# --- the compiled report ---------------------------------------------------------------------


async def test_checklist_send_receipt_and_samarbeidsforum_told(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    # Avbryt on the checklist: nothing sent, and the way back to status (#19)
    cancelled = await press(client, "network.cancel",
                            button(await checklist(client, connector), "Avbryt"), user=CAROL,
                            conv=CAROLS_CHAT)
    back = await press(client, "coordinator.status", button(cancelled, "Tilbake til status"),
                       user=CAROL, conv=CAROLS_CHAT)
    assert "Status for Fosen" in card_texts(back)
    card = await checklist(client, connector)
    shown = card_texts(card)
    assert "Sendt inn (1)" in shown and "Fosen skoler" in shown
    assert "Utkast som ikke er sendt inn (1)" in shown and "Ørland oppvekst" in shown
    assert "Tiltak uten vurdering fra nettverket (2)" in shown
    assert "Ikke sendt" in str(card)  # sent before: never
    receipt = await press(client, "network.send", button(card, "Send inn"), user=CAROL,
                          conv=CAROLS_CHAT)
    check_card(receipt)
    text = card_texts(receipt)
    network = kompis_n.runtime.features.network
    reference = re.search(r"SBM-\d{4}-FOS-[A-Z]+", str(receipt)).group(0)
    assert "Sammenstilt behovsmelding sendt" in text and "etter fristen" not in text
    assert button(receipt, "Tilbake til status")["network_id"] == "fosen"
    await kompis_n.runtime.deliverer.drain(max_seconds=10)
    posted = text_of(connector.messages(CHANNEL_POSTS))
    assert reference in posted and "Sammenstilt behovsmelding sendt" in posted
    told = text_of(connector.messages(GROUP.id))
    assert "Fosen har sendt sammenstilt behovsmelding" in told and "Første versjon" in told
    # frozen: Alice reopens and changes; the sent version does not move
    sent = (await network.sent_of("fosen", CYCLE))[SCHEME]
    assert [i.report.id for i in sent.snapshot.items] == [fosen["alice"].id]
    service = kompis_n.runtime.features.needs
    alice = Actor(ALICE.aad, ALICE.name)
    kompis_n.clock.set(datetime(2026, 12, 14, 10, tzinfo=OSLO))  # before the deadline
    reopened = await service.reopen(alice, fosen["alice"].id, fosen["alice"].version)
    await service.remove_measure(alice, reopened.id, reopened.version,
                                 reopened.measures[1].id)
    again = (await network.sent_of("fosen", CYCLE))[SCHEME]
    assert again.version == 1 and again.snapshot.measures == 2
    # status shows it, with the button to send a new version
    status = text_of(await said(client, connector, "status", CAROL, CAROLS_CHAT))
    assert "Sammenstilt behovsmelding sendt: versjon 1" in status


async def test_resend_makes_a_version_with_history_and_says_what_changed(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict, http) -> None:
    first = await send(client, connector, user=CAROL, conv=CAROLS_CHAT)
    reference = re.search(r"SBM-\d{4}-FOS-[A-Z]+", str(first)).group(0)
    card = await assessment_card(client, fosen["alice"])
    await assess(client, card, {measure_inputs(card)[0]: "Deles med Gauldal."})
    await seed(kompis_n, BOB, BOBS_CHAT, "Rissa oppvekst",
               [("Språkløft", "Språkmiljøet i barnehagene må styrkes.")])
    second = await send(client, connector, user=CAROL, conv=CAROLS_CHAT)
    assert "Ny med: Rissa oppvekst" in card_texts(second)
    assert "vurdering er endret for 1 tiltak" in card_texts(second)
    await kompis_n.runtime.deliverer.drain(max_seconds=10)
    told = text_of(connector.messages(GROUP.id))
    assert "Ny med: Rissa oppvekst" in told
    history = text_of(await said(client, connector, f"historikk {reference}", CAROL,
                                 CAROLS_CHAT))
    assert "Versjon 1" in history and "Versjon 2" in history and "Ny med" in history
    # the spreadsheet of version 1 is the one sent then
    messages = await said(client, connector, f"historikk {reference}", ERIN, ERINS_CHAT)
    urls = re.findall(r"https?://[^\s'\"]+\.xlsx\?[^\s'\"]+", str(messages))
    assert len(urls) == 2
    local = urls[0].replace(kompis_n.settings.public_url.rstrip("/"), kompis_n.url)
    async with http.get(local) as response:
        assert response.status == 200
        book = openpyxl.load_workbook(io.BytesIO(await response.read()))
    partnerships = {row[1].value for row in book[SCHEME].iter_rows(min_row=2)}
    assert partnerships == {"Fosen skoler"}
    # Dave (another network) cannot read it: the reference is unknown to him
    refused = text_of(await said(client, connector, f"historikk {reference}", DAVE,
                                 DAVES_CHAT))
    assert "finner ingen sammenstilt" in refused


async def test_sent_after_the_network_deadline_is_marked_late(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    kompis_n.clock.set(network_deadline() + timedelta(days=2))
    receipt = await send(client, connector, user=CAROL, conv=CAROLS_CHAT)
    assert "(etter fristen)" in str(receipt)
    sent = (await kompis_n.runtime.features.network.sent_of("fosen", CYCLE))[SCHEME]
    assert sent.late


async def test_two_coordinators_sending_at_once_make_one_version(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    await kompis_n.services.roles.grant("aad-frank-0006", "koordinator", "fosen",
                                        display_name="Frank", by=None)
    frank = User("29:1frank", "aad-frank-0006", "Frank Fosen")
    franks = Conv("a:1personal-frank", "personal")
    carols = await checklist(client, connector)
    franks_card = await checklist(client, connector, user=frank, conv=franks)
    results = await asyncio.gather(
        press(client, "network.send", button(carols, "Send inn"), user=CAROL,
              conv=CAROLS_CHAT),
        press(client, "network.send", button(franks_card, "Send inn"), user=frank,
              conv=franks))
    said_texts = [card_texts(r) for r in results]
    assert sum("Sammenstilt behovsmelding sendt" in t for t in said_texts) == 1
    assert sum("ble nettopp sendt" in t for t in said_texts) == 1
    network = kompis_n.runtime.features.network
    versions = await network.history(Actor(CAROL.aad, principal=await kompis_n.services
                                           .principal(CAROL.aad)),
                                     (await network.sent_of("fosen", CYCLE))[SCHEME].reference)
    assert [v.version for v in versions] == [1]


async def test_wrong_role_or_network_is_refused_and_audited(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    services = kompis_n.services
    refusals = len(await services.audit.refusals())
    card = await assessment_card(client, fosen["alice"])
    first, _ = measure_inputs(card)
    crafted = {**button(card, "Lagre vurderingene"), first: "Overtatt."}
    for user, conv in ((ALICE, PERSONAL), (DAVE, DAVES_CHAT), (ERIN, ERINS_CHAT)):
        answer = await client.execute("network.assess.save", crafted, user=user, conv=conv)
        assert answer.status == 200
        assert "Bare koordinatorene for Fosen" in str(answer.body)
    checklist_card = await checklist(client, connector)
    for user, conv in ((ALICE, PERSONAL), (DAVE, DAVES_CHAT)):
        answer = await client.execute("network.send", button(checklist_card, "Send inn"),
                                      user=user, conv=conv)
        assert "Bare koordinatorene for Fosen" in str(answer.body)
        text = text_of(await said(client, connector, "send sammenstilt behovsmelding for Fosen",
                                  user, conv))
        assert "Sammenstilt behovsmelding: Fosen" not in text
    assert not await kompis_n.runtime.features.network.sent_of("fosen", CYCLE)
    assert not [e for e in await services.audit.for_object("needs_report", fosen["alice"].id)
                if e.action == "assessment.save" and e.outcome != REFUSED]
    assert len(await services.audit.refusals()) >= refusals + 5
    # samarbeidsforum's overview is not for partnerships or coordinators of one network
    said_alice = text_of(await said(client, connector, "oversikt", ALICE, PERSONAL))
    assert "for samarbeidsforum og Statsforvalteren" in said_alice
    # garbage presses: a clear answer, never a 500
    for data in ({"report_id": 7}, {"network_id": "fosen", "cycle": "x", "scheme": "KKU"},
                 {"report_id": fosen["alice"].id, "versions": {"nope": "x"}}):
        for verb in ("network.assess.save", "network.send", "network.ask"):
            answer = await client.execute(verb, {"action": verb, **data}, user=CAROL,
                                          conv=CAROLS_CHAT)
            assert answer.status == 200


async def test_nothing_to_send_gets_a_clear_answer(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector) -> None:
    card = await checklist(client, connector)
    assert "ingenting å sende" in card_texts(card)
    assert "Send inn" not in str(card.get("actions"))
    # a former name (Dekom) means today's scheme; a word that is no scheme is a network
    former = await said(client, connector, "send sammenstilt behovsmelding DEKOM", CAROL,
                        CAROLS_CHAT)
    assert SCHEME in str(former) and "Sammenstilt behovsmelding: Fosen" in text_of(former)
    unknown = text_of(await said(client, connector, "send sammenstilt behovsmelding Narnia",
                                 CAROL, CAROLS_CHAT))
    assert "finner ikke nettverket «narnia»" in unknown


# --- the partnership sees the assessment once the network has sent -----------------------------


async def test_partnership_sees_the_assessment_after_the_network_sent(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    card = await assessment_card(client, fosen["alice"])
    await assess(client, card, {measure_inputs(card)[0]: "Sterkt felles behov i Fosen."})
    opened = {"action": "needs.open", "report_id": fosen["alice"].id}
    before = len(connector.messages(PERSONAL.id))
    await client.execute("needs.open", opened, user=ALICE)
    assert "Sterkt felles behov" not in text_of(connector.messages(PERSONAL.id)[before:])
    await send(client, connector, user=CAROL, conv=CAROLS_CHAT)
    answer = await client.execute("needs.open", opened, user=ALICE)
    shown = text_of(connector.messages(PERSONAL.id)[before:]) + str(answer.body)
    assert "Nettverkets vurdering av tiltakene" in shown and "Sterkt felles behov" in shown


# --- reminders follow the work ----------------------------------------------------------------


async def test_the_network_deadline_reminds_only_networks_that_have_not_sent(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    gauldal = Conv("19:gauldal-koord@thread.v2", "groupChat")
    await client.say("registrer koordinatorkanal", user=DAVE, conv=gauldal)
    await send(client, connector, user=CAROL, conv=CAROLS_CHAT)
    rt = kompis_n.runtime
    wheel = load_wheel()
    cycle = next(c for c in wheel.cycles if c.id == CYCLE)
    event = cycle.deadline("sammenstilt_behovsmelding")
    assert event is not None
    first = reminders_for(wheel, cycle, event)[0]
    plan = await rt.planner.plan(first.send_at, write=False)
    compiled = [r for r in plan.rows if "frist-sammenstilt" in r.dedupe_key]
    targets = {r.conversation_id for r in compiled}
    assert gauldal.id in targets
    channel = await kompis_n.services.channels.of("fosen")
    assert channel not in targets  # Fosen has sent


# --- samarbeidsforum ----------------------------------------------------------------------------


async def test_oversikt_shows_every_network_and_the_common_themes(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict, http) -> None:
    await seed(kompis_n, DAVE, DAVES_CHAT, "Gauldal skolene", [
        ("Lesing og skriving", "Leseferdighetene i Gauldal er lave."),
        ("Realfag", "Matematikkresultatene faller.")], network_id="gauldal")
    await send(client, connector, user=CAROL, conv=CAROLS_CHAT)
    await send(client, connector, user=DAVE, conv=DAVES_CHAT)
    messages = await said(client, connector, "oversikt", ERIN, ERINS_CHAT)
    shown = text_of(messages)
    assert "2 av 10 nettverk har sendt" in shown
    assert "Fosen: sendt" in shown and "Gauldal: sendt" in shown
    assert "Innherred: ikke sendt" in shown
    assert "Felles tiltak" in shown
    theme = re.search(r"«(lesing)»[^«]*Fosen, Gauldal", shown, re.IGNORECASE)
    assert theme, shown
    # eksporter alle: one link, overview + one sheet per network + the themes
    export = await said(client, connector, f"eksporter alle {SCHEME}", ERIN, ERINS_CHAT)
    url = re.search(r"https?://[^\s'\"]+\.xlsx\?[^\s'\"]+", str(export)).group(0)
    local = url.replace(kompis_n.settings.public_url.rstrip("/"), kompis_n.url)
    async with http.get(local) as response:
        assert response.status == 200
        book = openpyxl.load_workbook(io.BytesIO(await response.read()))
    assert book.sheetnames[0] == "Oversikt" and "Fosen" in book.sheetnames
    assert "Gauldal" in book.sheetnames and "Felles tiltak" in book.sheetnames
    themes = [row[0].value for row in book["Felles tiltak"].iter_rows(min_row=2)]
    assert any(str(t).lower() == "lesing" for t in themes)
    # a coordinator saying «oversikt» gets their own network's status
    status = text_of(await said(client, connector, "oversikt", CAROL, CAROLS_CHAT))
    assert "Status for Fosen" in status
    # the help card shows samarbeidsforum its commands, and not the coordinators'
    helped = text_of(await said(client, connector, "hjelp", ERIN, ERINS_CHAT))
    assert "eksporter alle" in helped and "send sammenstilt" not in helped


# --- «Send påminnelse nå» -------------------------------------------------------------------------


async def test_send_reminder_now_reaches_those_behind_once_a_day(
        client: TeamsClient, kompis_n: RunningKompis, connector: RecordingConnector,
        fosen: dict) -> None:
    kompis_n.clock.set(datetime(2026, 12, 8, 10, tzinfo=OSLO))  # a week before the deadline
    await client.say("hei", user=BOB, conv=BOBS_CHAT)  # Kompis knows Bob's chat
    status = [a["content"] for m in await said(client, connector, "status", CAROL, CAROLS_CHAT)
              for a in m.get("attachments") or []][-1]
    assert "får automatisk påminnelse" in card_texts(status)
    confirm = await press(client, "network.nudge", button(status, "Send påminnelse nå"),
                          user=CAROL, conv=CAROLS_CHAT)
    check_card(confirm)
    shown = card_texts(confirm)
    assert "Ørland oppvekst: 1 person i chat med Kompis" in shown
    assert "Fosen skoler" not in shown  # submitted: no reminder
    refused = await client.execute("network.nudge.send", button(confirm, "Send påminnelse"),
                                   user=ALICE)
    assert "Bare koordinatorene for Fosen" in str(refused.body)
    done = await press(client, "network.nudge.send", button(confirm, "Send påminnelse"),
                       user=CAROL, conv=CAROLS_CHAT)
    assert "Påminnelse sendt til 1 partnerskap (1 person): Ørland oppvekst." in card_texts(done)
    again = await press(client, "network.nudge.send", button(confirm, "Send påminnelse"),
                        user=CAROL, conv=CAROLS_CHAT)
    assert "Fikk allerede påminnelse i dag: Ørland oppvekst." in card_texts(again)
    before = len(connector.messages(BOBS_CHAT.id))
    await kompis_n.runtime.deliverer.drain(max_seconds=10)
    arrived = connector.messages(BOBS_CHAT.id)[before:]
    assert len(arrived) == 1
    reminder = arrived[0]["attachments"][0]["content"]
    check_card(reminder)
    assert "Påminnelse fra Fosen" in card_texts(reminder)
    assert "i morgen" not in card_texts(reminder) and "7 dager igjen" in card_texts(reminder)
    assert button(reminder, "Fortsett på behovsmeldingen")["report_id"] == fosen["bob"].id
    audited = await kompis_n.services.audit.for_object("network", "fosen")
    assert [e.detail["sent"] for e in audited if e.action == "nudge.send"
            and e.outcome != REFUSED] == [["Ørland oppvekst"], []]
