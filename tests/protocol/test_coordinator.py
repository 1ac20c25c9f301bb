"""Coordinator tools at the protocol, with three people trying each other's data:
Alice (partnership Fosen skoler), Bob (partnership Ørland oppvekst, same network) and
Carol (coordinator for Fosen). Every cross-access is refused and audited; Carol sees both
partnerships in `status`, and the export link gives the workbook only while it is valid.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta

import openpyxl
import pytest

from cards.check import check_card
from domain.needs.service import Actor
from domain.norsk import OSLO
from tests.support.cards import card_texts, executes
from tests.support.connector import RecordingConnector
from tests.support.needs import (
    CURRENT_SCHEME,
    HEADER,
    MEASURE,
    button,
    fill_measure,
    press,
    seed_report,
)
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import ALICE, BOB, CAROL, GROUP, PERSONAL, Conv, TeamsClient

MOMENT = datetime(2026, 12, 8, 10, tzinfo=OSLO)
BOB_HEADER = {**HEADER, "partnership_name": "Ørland oppvekst", "owners": "Ørland kommune",
              "contact_name": "Bob Namdal", "contact_email": "bob@orland.kommune.no"}
BOBS_CHAT = Conv("a:1personal-bob", "personal")
CAROLS_CHAT = Conv("a:1personal-carol", "personal")


@pytest.fixture
async def kompis_c(target: DbTarget):
    async with kompis_at(target, MOMENT) as server:
        services = server.services
        await services.roles.grant(CAROL.aad, "koordinator", "fosen", display_name=CAROL.name,
                                   by=None)
        yield server


@pytest.fixture
def client(http, kompis_c: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, lambda: kompis_c.messages_url, connector.url)


async def report(client: TeamsClient, connector: RecordingConnector, user, conv, header,
                 titles: list[str], *, submit: bool) -> dict:
    """A report made through the cards; the last card shown (review or receipt)."""
    await client.say("meld behov", user=user, conv=conv)
    form = connector.cards(conv.id)[-1]
    card = await press(client, "needs.header.save",
                       {**button(form, "Lagre og gå videre"), **header}, user=user, conv=conv)
    for i, title in enumerate(titles):
        form = await press(client, "needs.measure.add", button(card, "Legg til tiltak"),
                           user=user, conv=conv)
        card = await fill_measure(client, form, {**MEASURE, "title": title,
                            "amount": str(100_000 * (i + 1))}, user=user, conv=conv)
    if submit:
        confirm = await press(client, "needs.submit", button(card, "Send inn"), user=user,
                              conv=conv)
        card = await press(client, "needs.submit.confirm", button(confirm, "Send inn"),
                           user=user, conv=conv)
    return card


async def said(client: TeamsClient, connector: RecordingConnector, text: str, user,
               conv) -> str:
    before = len(connector.messages(conv.id))
    answer = await client.say(text, user=user, conv=conv)
    assert answer.status == 201
    new = connector.messages(conv.id)[before:]
    assert new, f"no answer to {text!r}"
    for message in new:
        for attachment in message.get("attachments") or []:
            check_card(attachment["content"])
    return " ".join((m.get("text") or "") + " " + " ".join(
        card_texts(a["content"]) for a in m.get("attachments") or []) for m in new)


@pytest.fixture
async def two_partnerships(client: TeamsClient, connector: RecordingConnector) -> dict:
    alice = await report(client, connector, ALICE, PERSONAL, HEADER, ["Lesing", "Regning"],
                         submit=True)
    bob = await report(client, connector, BOB, BOBS_CHAT, BOB_HEADER, ["Språk"], submit=False)
    return {"alice_receipt": alice, "bob_review": bob,
            "reference": re.search(rf"BM-2026-FOS-{CURRENT_SCHEME}-\d{{4}}", str(alice)).group(0)}


async def test_every_cross_access_is_refused(client: TeamsClient, kompis_c: RunningKompis,
                                             connector: RecordingConnector,
                                             two_partnerships: dict) -> None:
    services = kompis_c.services
    alice_open = button(two_partnerships["alice_receipt"], "Åpne behovsmeldingen")
    bob_add = button(two_partnerships["bob_review"], "Legg til tiltak")
    reference = two_partnerships["reference"]
    refusals_before = len(await services.audit.refusals())

    # Bob, with a crafted press on Alice's report: neither read nor write
    for verb in ("needs.open", "needs.reopen", "needs.measure.add"):
        answer = await client.execute(verb, {**alice_open, "action": verb}, user=BOB,
                                      conv=BOBS_CHAT)
        assert answer.status == 200
        assert "ikke tilgang" in answer.body["value"]  # shown on the pressed card
    # Alice on Bob's draft
    answer = await client.execute("needs.measure.add", bob_add, user=ALICE)
    assert "ikke tilgang" in answer.body["value"]
    # Bob claiming Alice's partnership by typing its name (as written and respelled)
    await client.say("meld behov ny", user=BOB, conv=BOBS_CHAT)
    form = connector.cards(BOBS_CHAT.id)[-1]
    for name in ("Fosen skoler", "fosen  SKOLER"):
        refused = await press(client, "needs.header.save",
                              {**button(form, "Lagre og gå videre"), **HEADER,
                               "partnership_name": name}, user=BOB, conv=BOBS_CHAT)
        assert "er allerede i Kompis, og du er ikke med i det" in card_texts(refused)
    assert not await services.reports.is_member("fosen", "Fosen skoler", BOB.aad)
    # Bob and Alice on the coordinator's commands and on each other's history
    own = await said(client, connector, "status", BOB, BOBS_CHAT)
    assert "Her er deres egne behovsmeldinger" in own and "Ørland oppvekst" in own
    assert "Fosen skoler" not in own
    assert "Bare nettverkskoordinatorer" in await said(client, connector, "status for Fosen",
                                                       BOB, BOBS_CHAT)
    assert "Bare nettverkskoordinatorer" in await said(client, connector, "eksporter", ALICE,
                                                       PERSONAL)
    assert "som du har tilgang til" in await said(client, connector,
                                                  f"historikk {reference}", BOB, BOBS_CHAT)
    # Carol coordinates Fosen: she reads, never writes, and only her network
    opened = await press(client, "needs.open", alice_open, user=CAROL, conv=CAROLS_CHAT)
    assert "Fosen skoler" in str(opened) and "Legg til tiltak" not in str(opened)
    answer = await client.execute("needs.reopen", {**alice_open, "action": "needs.reopen"},
                                  user=CAROL, conv=CAROLS_CHAT)
    assert "ikke tilgang" in answer.body["value"]
    assert "ikke koordinator for Gauldal" in await said(client, connector, "status Gauldal",
                                                        CAROL, CAROLS_CHAT)
    assert "ikke koordinator for Gauldal" in await said(client, connector,
                                                        "eksporter for gauldal", CAROL,
                                                        CAROLS_CHAT)
    refusals = (await services.audit.refusals())[refusals_before:]
    by_actor = {actor: sum(1 for r in refusals if r.actor == actor)
                for actor in (ALICE.aad, BOB.aad, CAROL.aad)}
    assert by_actor == {ALICE.aad: 2, BOB.aad: 7, CAROL.aad: 3}
    # nothing of Alice's changed
    stored = await services.reports.by_reference(reference)
    assert stored.meta.status == "sendt inn" and stored.meta.measures == 2


async def test_coordinator_sees_both_in_status(client: TeamsClient, connector: RecordingConnector,
                                               two_partnerships: dict) -> None:
    text = await said(client, connector, "status", CAROL, CAROLS_CHAT)
    assert "Status for Fosen, 2026/2027" in text
    assert "Partnerskapenes frist: tirsdag 15. desember 2026 (7 dager igjen)" in text
    assert "13. januar 2027" in text
    assert "Sendt inn (1)" in text and "Under arbeid (1)" in text
    assert "2 partnerskap i nettverket, hvert talt én gang: 1 har sendt inn." in text
    assert "Gjelder barnehage" not in text  # one scheme for every field: no field note
    assert re.search(rf"Fosen skoler: BM-2026-FOS-{CURRENT_SCHEME}-0001, 8\. desember 2026 "
                     r"kl\. 10:00 · "
                     r"2 tiltak · 300\xa0000\xa0kr", text)
    assert "Ørland oppvekst: utkast, 1 tiltak" in text
    # every line opens its report, read-only for the coordinator; for Bob, nothing
    overview = connector.cards(CAROLS_CHAT.id)[-1]
    opens = [a["data"] for a in executes(overview) if a["data"]["action"] == "needs.open"]
    assert len(opens) == 2
    opened = await press(client, "needs.open", opens[1], user=CAROL, conv=CAROLS_CHAT)
    assert "Ørland oppvekst" in str(opened) and "Legg til tiltak" not in str(opened)
    back = await press(client, "coordinator.status", button(opened, "Tilbake til status"),
                       user=CAROL, conv=CAROLS_CHAT)  # the status card, in place of the report
    assert "Sendt inn (1)" in card_texts(back) and "Under arbeid (1)" in card_texts(back)
    refused = await client.execute("coordinator.status", button(opened, "Tilbake til status"),
                                   user=ALICE)  # a member of the partnership, no coordinator
    assert "Sendt inn (1)" not in json.dumps(refused.body)
    answer = await client.execute("needs.open", opens[1], user=ALICE)
    assert "ikke tilgang" in answer.body["value"]
    # an older name of the one scheme gives its status; another cycle's scheme is named
    for older in ("KKUB", "dekom"):
        shown = await said(client, connector, f"status {older}", CAROL, CAROLS_CHAT)
        assert f"{CURRENT_SCHEME}: Tilskuddsordning" in shown and "Sendt inn (1)" in shown
        assert "Ikke startet (0)" in shown
    assert f"KOMPL er ikke med i syklusen 2026/2027. Velg {CURRENT_SCHEME}" in await said(
        client, connector, "status kompl", CAROL, CAROLS_CHAT)


async def export_url(client: TeamsClient, connector: RecordingConnector, text: str = "eksporter",
                     user=CAROL, conv=CAROLS_CHAT) -> str:
    await client.say(text, user=user, conv=conv)
    card = connector.cards(conv.id)[-1]
    check_card(card)
    [action] = card["actions"]
    assert action["type"] == "Action.OpenUrl"
    return action["url"]


async def test_export_gives_the_compiled_workbook(client: TeamsClient, http,
                                                  kompis_c: RunningKompis,
                                                  connector: RecordingConnector,
                                                  two_partnerships: dict) -> None:
    url = await export_url(client, connector)
    assert url.startswith("http://127.0.0.1:3978/eksport/")  # PUBLIC_URL, as Teams opens it
    local = kompis_c.url + url.removeprefix("http://127.0.0.1:3978")
    async with http.get(local) as resp:
        assert resp.status == 200
        assert resp.content_type.endswith("spreadsheetml.sheet")
        assert 'filename="behovsmeldinger-fosen-2026-2027.xlsx"' in \
            resp.headers["Content-Disposition"]
        body = await resp.read()
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["Oversikt", CURRENT_SCHEME]
    kkus = wb[CURRENT_SCHEME]
    assert kkus.freeze_panes == "A2"
    header = [c.value for c in kkus[1]]
    assert header[:6] == ["Referanse", "Partnerskap", "Eiere", "UH-partner", "Tiltak nr.",
                          "Tittel"]
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in kkus.iter_rows(min_row=2)]
    assert [r["Tittel"] for r in rows] == ["Lesing", "Regning"]  # Bob's draft is not in it
    assert [r["Beløp (kr)"] for r in rows] == [100_000, 200_000]
    assert rows[0]["Partnerskap"] == "Fosen skoler"
    assert rows[0]["Eiere"] == "Åfjord kommune, Ørland kommune"
    assert rows[0]["UH-partner"].startswith("Norges teknisk-naturvitenskapelige")
    assert rows[0]["Referanse"] == f"BM-2026-FOS-{CURRENT_SCHEME}-0001"
    assert rows[0]["Felt tiltaket gjelder"] == "skole"
    # created, two measures in two steps each, submitted
    assert rows[0]["For sent"] == "Nei" and rows[0]["Versjon"] == 6
    assert rows[0]["Sendt inn"] == datetime(2026, 12, 8, 10, 0)
    amount = kkus.cell(row=2, column=header.index("Beløp (kr)") + 1)
    assert amount.data_type == "n" and "kr" in amount.number_format
    assert kkus.max_row == 3
    summary = [[c.value for c in row] for row in wb["Oversikt"].iter_rows(min_row=2)]
    assert [CURRENT_SCHEME, "Fosen skoler", "sendt inn", f"BM-2026-FOS-{CURRENT_SCHEME}-0001",
            2, 300_000] in [r[:6] for r in summary]
    assert [CURRENT_SCHEME, f"Sum {CURRENT_SCHEME}", None, None, 2, 300_000] in \
        [r[:6] for r in summary]
    assert [None, "Sum alle ordninger", None, None, 2, 300_000] in [r[:6] for r in summary]
    services = kompis_c.services
    trail = await services.audit.for_object("network", "fosen")
    assert [e.action for e in trail][-2:] == ["export.create", "export.download"]
    assert all(e.actor == CAROL.aad for e in trail[-2:])


async def test_export_link_refusals(client: TeamsClient, http, kompis_c: RunningKompis,
                                    connector: RecordingConnector,
                                    two_partnerships: dict) -> None:
    url = kompis_c.url + (await export_url(client, connector)).removeprefix(
        "http://127.0.0.1:3978")
    export_id = re.search(r"/eksport/([0-9a-f]{32})\.xlsx", url).group(1)
    expires = int(re.search(r"utloper=(\d+)", url).group(1))
    sig = re.search(r"sig=([0-9a-f]+)", url).group(1)

    async def status(link: str) -> tuple[int, str]:
        async with http.get(link) as resp:
            body = await resp.read()
            return resp.status, body.decode("utf-8", "replace")

    flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    assert (await status(url.replace(sig, flipped)))[0] == 403
    assert (await status(url.replace(f"utloper={expires}", f"utloper={expires + 3600}")))[0] \
        == 403
    assert (await status(url.split("?")[0]))[0] == 403
    assert (await status(url.replace(export_id, "f" * 32)))[0] == 404
    assert (await status(kompis_c.url + "/eksport/..%2F..%2Fetc.xlsx"))[0] == 404
    code, text = await status(url)
    assert code == 200 and text.startswith("PK")  # the untouched link still works (a zip)
    services = kompis_c.services
    services.clock.set(MOMENT + timedelta(minutes=16))
    code, text = await status(url)
    assert code == 403 and "utløpt" in text and "Traceback" not in text
    # a fresh link stops working when the role is revoked
    services.clock.set(MOMENT)
    fresh = kompis_c.url + (await export_url(client, connector)).removeprefix(
        "http://127.0.0.1:3978")
    await services.roles.revoke(CAROL.aad, "koordinator", "fosen", by=None)
    assert (await status(fresh))[0] == 403
    refused = [e for e in await services.audit.refusals() if e.action == "export.download"]
    assert len(refused) == 5


async def test_history_shows_who_changed_what(client: TeamsClient, connector: RecordingConnector,
                                              two_partnerships: dict) -> None:
    reference = two_partnerships["reference"]
    text = await said(client, connector, f"historikk {reference.lower()}", CAROL, CAROLS_CHAT)
    text = text.replace("\\", "")  # typed text is shown markdown-escaped
    assert f"Historikk for {reference}" in text
    assert "Versjon 4" in text and "Alice Fosen sendte inn" in text
    assert "La til tiltaket «Regning» (200\xa0000\xa0kr)" in text
    assert "Status: utkast → sendt inn" in text and f"Fikk referansen {reference}" in text
    assert f"Opprettet for {CURRENT_SCHEME} 2026/2027" in text
    # the partnership's own member may read it too; an unknown reference is said so
    assert "Historikk for" in await said(client, connector, f"historikk {reference}", ALICE,
                                         PERSONAL)
    assert f"ingen behovsmelding med referansen BM-2026-FOS-{CURRENT_SCHEME}-0099" in await said(
        client, connector, f"historikk BM-2026-FOS-{CURRENT_SCHEME}-0099", CAROL, CAROLS_CHAT)
    # in plain words, the reference is the command's argument: the history, not a how-to
    text = await said(client, connector, f"kan du vise meg endringene i {reference} ?", CAROL,
                      CAROLS_CHAT)
    assert f"Historikk for {reference}" in text.replace("\\", "")
    assert "Slik gjør du det" not in text


async def test_history_without_a_reference_is_of_ones_own_reports(
        client: TeamsClient, kompis_c: RunningKompis, connector: RecordingConnector,
        two_partnerships: dict) -> None:
    """«vis historikken til behovsmeldingen vår»: a member's only sent report at once, a
    list to pick from when there are several; a draft has no history to show yet."""
    reference = two_partnerships["reference"]
    text = await said(client, connector, "vis historikken til behovsmeldingen vår", ALICE,
                      PERSONAL)
    assert f"Historikk for {reference}" in text.replace("\\", "")
    assert "Slik gjør du det" not in text
    assert "ingen innsendte behovsmeldinger" in await said(client, connector, "historikk", BOB,
                                                            BOBS_CHAT)
    assert "Skriv referansen" in await said(client, connector, "historikk", CAROL, CAROLS_CHAT)
    # a second partnership's sent report: Alice picks which
    other = await seed_report(kompis_c, Actor(ALICE.aad, ALICE.name),
                              partnership="Fosen barnehager", submit=True)
    await client.say("historikk", user=ALICE, conv=PERSONAL)
    listed = connector.cards(PERSONAL.id)[-1]
    check_card(listed)
    assert "Hvilken behovsmelding vil du se endringene i?" in card_texts(listed)
    assert "Fosen barnehager" in card_texts(listed) and "Fosen skoler" in card_texts(listed)
    picks = [a for a in executes(listed) if a["data"].get("action") == "coordinator.history"]
    assert sorted(a["data"]["reference"] for a in picks) == sorted([reference, other.reference])
    shown = await press(client, "coordinator.history", picks[0]["data"], user=ALICE)
    assert f"Historikk for {picks[0]['data']['reference']}" in card_texts(shown)
    # the press is checked as the typed command: Bob may not read Alice's, a forged
    # reference is an unknown button
    answer = await client.execute("coordinator.history", picks[0]["data"], user=BOB,
                                  conv=BOBS_CHAT)
    assert answer.status == 200 and "som du har tilgang til" in json.dumps(
        answer.body, ensure_ascii=False)
    answer = await client.execute("coordinator.history",
                                  {**picks[0]["data"], "reference": "DROP TABLE"}, user=ALICE)
    assert answer.status == 200 and "Historikk for" not in json.dumps(answer.body)


async def test_a_member_brings_a_colleague_in(client: TeamsClient, kompis_c: RunningKompis,
                                              connector: RecordingConnector,
                                              two_partnerships: dict) -> None:
    services = kompis_c.services
    connector.members[CAROL.id] = {"id": CAROL.id, "name": CAROL.name, "aadObjectId": CAROL.aad}
    connector.members[ALICE.id] = {"id": ALICE.id, "name": ALICE.name, "aadObjectId": ALICE.aad}
    # Bob is no member of Fosen skoler, so he cannot bring anyone into it
    await client.say_mentioning("legg til @ i Fosen skoler", CAROL, user=BOB, conv=GROUP)
    assert "Du er ikke med i partnerskapet «fosen skoler»" in \
        connector.messages(GROUP.id)[-1]["text"]
    assert not await services.reports.is_member("fosen", "Fosen skoler", CAROL.aad)
    # Alice can; twice is said so
    await client.say_mentioning("legg til @ i Fosen skoler", CAROL, user=ALICE, conv=GROUP)
    assert "er nå med i partnerskapet Fosen skoler" in connector.messages(GROUP.id)[-1]["text"]
    await client.say_mentioning("legg til @", CAROL, user=ALICE, conv=GROUP)
    assert "var allerede med" in connector.messages(GROUP.id)[-1]["text"]
    assert await services.reports.is_member("fosen", "Fosen skoler", CAROL.aad)
    # Bob is a member of Ørland oppvekst only: adding Alice there makes her a member of it
    await client.say_mentioning("legg til @", ALICE, user=BOB, conv=GROUP)
    assert await services.reports.is_member("fosen", "Ørland oppvekst", ALICE.aad)
    assert not await services.reports.is_member("fosen", "Fosen skoler", BOB.aad)


async def test_history_answers_alike_for_unknown_and_refused(
        client: TeamsClient, connector: RecordingConnector, two_partnerships: dict) -> None:
    """Issue #18: a different answer for a refused reference would tell which exist."""
    reference, unknown = two_partnerships["reference"], f"BM-2026-FOS-{CURRENT_SCHEME}-0099"
    refused = await said(client, connector, f"historikk {reference}", BOB, BOBS_CHAT)
    missing = await said(client, connector, f"historikk {unknown}", BOB, BOBS_CHAT)
    assert "Historikk for" not in refused
    assert refused.replace(reference, "<ref>") == missing.replace(unknown, "<ref>")
