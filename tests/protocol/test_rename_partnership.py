"""Renaming a partnership (#19): a typo in the name is not locked for the whole cycle.

Members may rename until the first submission of any of the partnership's reports, a
coordinator of the network also after that; the name is cleaned and checked against the
network's other partnerships (taken or look-alike), the old name stays in each report's
history, and the audit log has the rename and every refusal.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from bot.app import DATABASE
from cards.check import check_card
from domain.needs.service import Actor
from domain.norsk import OSLO
from store.models import AuditEntry
from tests.support.cards import card_texts, walk
from tests.support.connector import RecordingConnector
from tests.support.needs import button, press, seed_report, titles
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import ALICE, BOB, CAROL, PERSONAL, Conv, TeamsClient, User

MOMENT = datetime(2026, 12, 8, 10, tzinfo=OSLO)
TYPO, FIXED = "Fosen barnehgaer", "Fosen barnehager"
BOBS_CHAT = Conv("a:1personal-bob", "personal")
CAROLS_CHAT = Conv("a:1personal-carol", "personal")
CHATS = {ALICE: PERSONAL, BOB: BOBS_CHAT, CAROL: CAROLS_CHAT}


@pytest.fixture
async def kompis_r(target: DbTarget):
    async with kompis_at(target, MOMENT) as server:
        await server.services.roles.grant(CAROL.aad, "koordinator", "fosen",
                                          display_name=CAROL.name, by=None)
        yield server


@pytest.fixture
def client(http, kompis_r: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, lambda: kompis_r.messages_url, connector.url)


def actor(user: User) -> Actor:
    return Actor(user.aad, user.name)


async def said(client: TeamsClient, connector: RecordingConnector, text: str,
               user: User) -> str:
    conv = CHATS[user]
    before = len(connector.messages(conv.id))
    answer = await client.say(text, user=user, conv=conv)
    assert answer.status == 201
    new = connector.messages(conv.id)[before:]
    assert new, f"no answer to {text!r}"
    for message in new:
        for attachment in message.get("attachments") or []:
            check_card(attachment["content"])
    text = " ".join((m.get("text") or "") + " " + " ".join(
        card_texts(a["content"]) for a in m.get("attachments") or []) for m in new)
    return text.replace("\\", "").replace("**", "")  # escaped names, bold


async def audit(kompis: RunningKompis) -> list[AuditEntry]:
    async with kompis.app[DATABASE].sessions() as session:  # type: ignore[index]
        rows = await session.scalars(select(AuditEntry).where(
            AuditEntry.action == "partnership.rename").order_by(AuditEntry.id))
        return list(rows)


async def names(kompis: RunningKompis, user: User) -> set[str]:
    rows = await kompis.services.reports.for_member(user.aad)
    return {r.meta.partnership_name for r in rows}


async def test_a_member_renames_before_the_first_submission(
        client: TeamsClient, connector: RecordingConnector, kompis_r: RunningKompis) -> None:
    first = await seed_report(kompis_r, actor(ALICE), scheme="KKUS", partnership=TYPO)
    await seed_report(kompis_r, actor(ALICE), scheme="KKUB", partnership=TYPO)
    text = await said(client, connector, f"gi partnerskapet nytt navn «{FIXED}»", ALICE)
    assert f"Partnerskapet heter nå {FIXED} (før: {TYPO})" in text
    assert "2 behovsmeldinger fikk det nye navnet" in text
    # both reports carry the new name, and Alice is still a member under it
    assert await names(kompis_r, ALICE) == {FIXED}
    stored = await kompis_r.services.reports.get(first.id)
    assert stored is not None and stored.report.header.partnership_name == FIXED
    versions = await kompis_r.services.reports.versions(first.id)
    assert versions[-1].action == "rename"
    assert versions[-2].snapshot["header"]["partnership_name"] == TYPO  # the old name kept
    mine = await said(client, connector, "mine behovsmeldinger", ALICE)
    assert FIXED in mine and TYPO not in mine
    [entry] = await audit(kompis_r)
    assert entry.outcome == "ok" and entry.actor == ALICE.aad
    assert entry.detail == {"old": TYPO, "new": FIXED, "reports": 2, "as": "member"}


async def test_after_a_submission_a_member_is_refused_and_the_coordinator_may(
        client: TeamsClient, connector: RecordingConnector, kompis_r: RunningKompis) -> None:
    report = await seed_report(kompis_r, actor(ALICE), scheme="KKUS", partnership=TYPO,
                               submit=True)
    refused = await said(client, connector, f"gi partnerskapet nytt navn {FIXED}", ALICE)
    assert "har allerede sendt inn en behovsmelding" in refused
    assert "bare en koordinator i Fosen" in refused
    assert await names(kompis_r, ALICE) == {TYPO}
    [entry] = await audit(kompis_r)
    assert entry.outcome != "ok" and entry.actor == ALICE.aad

    # Carol coordinates Fosen: she names the partnership, since she is in none herself
    text = await said(client, connector, f"gi partnerskapet {TYPO} nytt navn {FIXED}", CAROL)
    assert f"Partnerskapet heter nå {FIXED}" in text
    assert await names(kompis_r, ALICE) == {FIXED}
    assert (await audit(kompis_r))[-1].detail == {
        "old": TYPO, "new": FIXED, "reports": 1, "as": "coordinator"}
    # the history of the submitted report shows the old name, as a version of its own
    # (historikk names members only, so the coordinator shows as «ukjent» there; the
    # audit entry above has her id)
    assert report.reference is not None
    history = await said(client, connector, f"historikk {report.reference}", CAROL)
    assert f"Nytt navn på partnerskapet: «{TYPO}» → «{FIXED}»" in history
    assert "Versjon 4" in history and "ga partnerskapet nytt navn" in history


async def test_a_name_taken_or_looking_like_another_is_refused(
        client: TeamsClient, connector: RecordingConnector, kompis_r: RunningKompis) -> None:
    await seed_report(kompis_r, actor(ALICE), scheme="KKUS", partnership=TYPO)
    await seed_report(kompis_r, actor(BOB), scheme="KKUS", partnership="Ørland oppvekst")
    cyrillic = "Ørl\u0430nd oppvekst"  # a Cyrillic а in Ørland
    text = await said(client, connector, f"gi partnerskapet nytt navn {cyrillic}", ALICE)
    assert "ligner for mye på «Ørland oppvekst» i Fosen" in text
    text = await said(client, connector, "gi partnerskapet nytt navn ørland  OPPVEKST", ALICE)
    assert "har allerede et partnerskap som heter «Ørland oppvekst»" in text
    text = await said(client, connector, f"gi partnerskapet nytt navn {TYPO}", ALICE)
    assert f"«{TYPO}» heter det allerede" in text
    assert await names(kompis_r, ALICE) == {TYPO}
    assert await names(kompis_r, BOB) == {"Ørland oppvekst"}
    assert [e.outcome for e in await audit(kompis_r)] == ["refused"] * 3
    # a zero-width space is cleaned away before the checks and the store
    text = await said(client, connector, "gi partnerskapet nytt navn Fosen\u200b barnehager",
                      ALICE)
    assert f"Partnerskapet heter nå {FIXED}" in text
    assert await names(kompis_r, ALICE) == {FIXED}


async def test_someone_elses_partnership_cannot_be_renamed(
        client: TeamsClient, connector: RecordingConnector, kompis_r: RunningKompis) -> None:
    await seed_report(kompis_r, actor(ALICE), scheme="KKUS", partnership=TYPO)
    await seed_report(kompis_r, actor(BOB), scheme="KKUS", partnership="Ørland oppvekst")
    text = await said(client, connector, f"gi partnerskapet {TYPO} nytt navn Bobs navn", BOB)
    assert f"Du kan ikke gi «{TYPO}» nytt navn" in text
    assert await names(kompis_r, ALICE) == {TYPO}
    # without a new name, the command says how it is written
    assert "Skriv det nye navnet etter nytt navn" in (
        await said(client, connector, "gi partnerskapet", ALICE)).replace("*", "")


@pytest.mark.parametrize("text", [f"bytt navn på partnerskapet vårt til «{FIXED}»",
                                  f"partnerskapet skal hete {FIXED}."])
async def test_a_rename_in_plain_words_asks_first(
        client: TeamsClient, connector: RecordingConnector, kompis_r: RunningKompis,
        text: str) -> None:
    """Asked for in other words than the command's, the rename is not done on Kompis'
    reading of them: the name card comes with the new name filled in, and only «Lagre
    navnet» renames (through the same service, audited)."""
    await seed_report(kompis_r, actor(ALICE), partnership=TYPO)
    await said(client, connector, text, ALICE)
    form = connector.cards(PERSONAL.id)[-1]
    field = next(el for el in walk(form) if el.get("id") == "new_name")
    assert field["value"] == FIXED
    assert TYPO in str(form)  # the name now, beside the field
    assert await names(kompis_r, ALICE) == {TYPO} and await audit(kompis_r) == []
    done = await press(client, "partnership.rename.save",
                       {**button(form, "Lagre navnet"), "new_name": field["value"]},
                       user=ALICE)
    assert f"Partnerskapet heter nå {FIXED}" in card_texts(done).replace("**", "")
    assert await names(kompis_r, ALICE) == {FIXED}
    # someone in no partnership is told so; nothing is offered
    assert "ikke med i noe partnerskap" in await said(client, connector, text, BOB)


@pytest.mark.parametrize("user", [ALICE, CAROL], ids=["member", "coordinator"])
async def test_help_offers_the_rename(client: TeamsClient, connector: RecordingConnector,
                                      kompis_r: RunningKompis, user: User) -> None:
    await seed_report(kompis_r, actor(ALICE), scheme="KKUS", partnership=TYPO)
    assert "gi partnerskapet nytt navn Fosen barnehager" in await said(
        client, connector, "hjelp", user)


async def test_the_rename_button_on_the_review_and_on_status(
        client: TeamsClient, connector: RecordingConnector, kompis_r: RunningKompis) -> None:
    """«Endre navn» on a report's review while the members may rename (until the first
    submission) and on the coordinator's status per partnership: a small card with the
    name prefilled; the service's rules apply (look-alike refused under the field, a
    member refused after a submission, audited as member or coordinator)."""
    report = await seed_report(kompis_r, actor(ALICE), partnership=TYPO)
    await seed_report(kompis_r, actor(BOB), partnership="Ørland oppvekst")
    await said(client, connector, "mine behovsmeldinger", ALICE)
    listed = connector.cards(PERSONAL.id)[-1]
    review = await press(client, "needs.open", button(listed, "Åpne"), user=ALICE)
    form = await press(client, "partnership.rename", button(review, "Endre navn"), user=ALICE)
    field = next(el for el in walk(form) if el.get("id") == "new_name")
    assert field["value"] == TYPO and field["isRequired"] is True
    assert "Medlemmene kan rette navnet" in card_texts(form)
    save = button(form, "Lagre navnet")
    refused = await press(client, "partnership.rename.save",
                          {**save, "new_name": "Ørl\u0430nd oppvekst"}, user=ALICE)
    assert "ligner for mye på «Ørland oppvekst»" in card_texts(refused)
    assert next(el for el in walk(refused) if el.get("id") == "new_name")["value"] == \
        "Ørl\u0430nd oppvekst"  # what was typed is kept
    assert await names(kompis_r, ALICE) == {TYPO}
    done = await press(client, "partnership.rename.save",
                       {**button(refused, "Lagre navnet"), "new_name": FIXED}, user=ALICE)
    assert f"Partnerskapet heter nå {FIXED}" in card_texts(done).replace("**", "")
    review = await press(client, "needs.open", button(done, "Åpne behovsmeldingen"), user=ALICE)
    assert FIXED in str(review) and "Endre navn" in titles(review)
    assert [e.outcome for e in await audit(kompis_r)] == ["refused", "ok"]
    assert (await audit(kompis_r))[-1].detail["as"] == "member"

    # submitted: the members' review no longer offers it, and a card from before is refused
    stale = await press(client, "partnership.rename", button(review, "Endre navn"), user=ALICE)
    stored = await kompis_r.services.reports.get(report.id)
    assert stored is not None
    await kompis_r.runtime.features.needs.submit(actor(ALICE), report.id, stored.version)
    review = await press(client, "needs.open", button(review, "Endre navn"), user=ALICE)
    assert "Endre navn" not in titles(review)
    refused = await press(client, "partnership.rename.save",
                          {**button(stale, "Lagre navnet"), "new_name": "Fosen bhg"},
                          user=ALICE)
    assert "bare en koordinator i Fosen" in card_texts(refused)
    assert await names(kompis_r, ALICE) == {FIXED}

    # the coordinator: «Endre navn» on the partnership's line in status
    await said(client, connector, "status for Fosen", CAROL)
    status = connector.cards(CAROLS_CHAT.id)[-1]
    rename = next(b for b in walk(status) if b.get("title") == "Endre navn"
                  and b["data"]["partnership"] == FIXED)
    form = await press(client, "partnership.rename", rename["data"], user=CAROL,
                       conv=CAROLS_CHAT)
    done = await press(client, "partnership.rename.save",
                       {**button(form, "Lagre navnet"), "new_name": "Fosen barnehager og PPT"},
                       user=CAROL, conv=CAROLS_CHAT)
    assert "Partnerskapet heter nå" in card_texts(done)
    status = await press(client, "coordinator.status", button(done, "Tilbake til status"),
                         user=CAROL, conv=CAROLS_CHAT)
    assert "Fosen barnehager og PPT" in card_texts(status)
    assert await names(kompis_r, ALICE) == {"Fosen barnehager og PPT"}
    assert (await audit(kompis_r))[-1].detail == {
        "old": FIXED, "new": "Fosen barnehager og PPT", "reports": 1, "as": "coordinator"}
