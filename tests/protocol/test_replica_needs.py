"""Needs reports across two real Kompis processes on one PostgreSQL: a report started
through one replica is finished through the other, and two edits of one draft made at
once through both are told apart (one stored, the other person told, nothing lost).

PostgreSQL only: replicas share a database server, which a SQLite file is not. Without
TEST_DATABASE_URL these tests are skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from store.needs import NeedsReportRepository
from tests.support.cards import card_texts
from tests.support.connector import RecordingConnector
from tests.support.needs import MEASURE, button, fill_measure, press, start_report, titles
from tests.support.processes import Replica, running
from tests.support.server import PG_URL, DbTarget, db_target
from tests.support.teams import ALICE, BOB, GROUP, Conv, TeamsClient

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)")

BOBS_CHAT = Conv("a:1personal-bob", "personal")


@pytest.fixture
async def pg(tmp_path) -> AsyncIterator[DbTarget]:
    async with db_target("postgresql", tmp_path) as found:
        yield found


async def test_a_report_started_on_one_replica_is_finished_on_the_other(
        pg: DbTarget, connector: RecordingConnector) -> None:
    a, b = Replica(pg.url, schema=pg.schema), Replica(pg.url, schema=pg.schema)
    async with aiohttp.ClientSession() as http, running(http, a, b):
        via_a = TeamsClient(http, a.messages_url, connector.url)
        via_b = TeamsClient(http, b.messages_url, connector.url)
        review = await start_report(via_a, connector)  # `meld behov` and the header, on A
        form = await press(via_a, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(via_a, form, {**MEASURE, "title": "Lesing"})
        assert "1 av 5 tiltak brukt" in card_texts(review)

        # the next presses land on B, as a load balancer may send them
        form = await press(via_b, "needs.measure.add", button(review, "Legg til tiltak"))
        review = await fill_measure(via_b, form, {**MEASURE, "title": "Regning"})
        said = card_texts(review)
        assert "2 av 5 tiltak brukt" in said and "Lesing" in said and "Regning" in said
        confirm = await press(via_b, "needs.submit", button(review, "Send inn"))
        assert "2 tiltak?" in card_texts(confirm)
        receipt = await press(via_b, "needs.submit.confirm", button(confirm, "Send inn"))
        assert "Kvittering" in card_texts(receipt)

        db = pg.database()
        try:
            reports = NeedsReportRepository(db)
            [stored] = await reports.for_member(ALICE.aad)
            assert stored.meta.status == "sendt inn" and stored.meta.measures == 2
            assert stored.reference and stored.reference.endswith("-0001")
            assert stored.reference in str(receipt)
            assert [m["title"] for m in stored.snapshot["measures"]] == ["Lesing", "Regning"]
            actions = [v.action for v in await reports.versions(stored.id)]
            # each measure: its first step, then the whole measure
            assert actions == ["create", "measure.step", "measure.add", "measure.step",
                               "measure.add", "submit"]
        finally:
            await db.dispose()
        await via_a.say("mine behovsmeldinger")  # and A shows what B stored
        assert "sendt inn · 2 tiltak" in card_texts(connector.cards()[-1])


async def test_concurrent_edits_of_one_draft_on_two_replicas(
        pg: DbTarget, connector: RecordingConnector) -> None:
    """Alice on A and Bob on B change the same measure from the same version at once:
    one change is stored, the other person is told and shown it, and can redo theirs."""
    a, b = Replica(pg.url, schema=pg.schema), Replica(pg.url, schema=pg.schema)
    async with aiohttp.ClientSession() as http, running(http, a, b):
        via_a = TeamsClient(http, a.messages_url, connector.url)
        via_b = TeamsClient(http, b.messages_url, connector.url)
        review = await start_report(via_a, connector)
        form = await press(via_a, "needs.measure.add", button(review, "Legg til tiltak"))
        alices = await fill_measure(via_a, form, {**MEASURE, "title": "Første"})
        # Alice brings Bob in through A; Bob continues the same report through B
        connector.members[BOB.id] = {"id": BOB.id, "name": BOB.name, "aadObjectId": BOB.aad}
        await via_a.say_mentioning("legg til @", BOB, user=ALICE, conv=GROUP)
        assert "er nå med i partnerskapet" in connector.messages(GROUP.id)[-1]["text"]
        await via_b.say("meld behov", user=BOB, conv=BOBS_CHAT)
        offer = connector.cards(BOBS_CHAT.id)[-1]
        bobs = await press(via_b, "needs.continue", button(offer, "Fortsett"), user=BOB,
                           conv=BOBS_CHAT)
        assert button(bobs, "Endre")["version"] == button(alices, "Endre")["version"]

        alice_form = await press(via_a, "needs.measure.edit", button(alices, "Endre"))
        bob_form = await press(via_b, "needs.measure.edit", button(bobs, "Endre"),
                               user=BOB, conv=BOBS_CHAT)
        edits = {"Alices tittel": (via_a, alice_form, {}),
                 "Bobs tittel": (via_b, bob_form, {"user": BOB, "conv": BOBS_CHAT})}
        cards = await asyncio.gather(*(
            fill_measure(client, form, {**MEASURE, "title": title}, **who)
            for title, (client, form, who) in edits.items()))
        answers = dict(zip(edits, cards, strict=True))
        told = [t for t, card in answers.items() if "utdatert" in card_texts(card)]
        applied = [t for t, card in answers.items() if "utdatert" not in card_texts(card)]
        assert len(told) == 1 and len(applied) == 1, answers
        [winner], [loser] = applied, told
        assert winner in card_texts(answers[loser])  # the one told sees what is stored now
        assert loser not in card_texts(answers[loser])

        db = pg.database()
        try:
            reports = NeedsReportRepository(db)
            [stored] = await reports.for_member(BOB.aad)
            assert [m["title"] for m in stored.snapshot["measures"]] == [winner]
            actions = [v.action for v in await reports.versions(stored.id)]
            # one or both first steps are kept, as the race fell; one whole edit
            assert [a for a in actions if a != "measure.step"] == \
                ["create", "measure.add", "measure.edit"]
            assert actions[:3] == ["create", "measure.step", "measure.add"]
            assert actions[-1] == "measure.edit" and "measure.step" in actions[3:]

            # the one told redoes the change on the card it was shown; when that card went
            # stale too (the race ended after it was drawn), on the newest one
            client, _, who = edits[loser]
            form = await press(client, "needs.measure.edit", button(answers[loser], "Endre"),
                               **who)
            if "Neste" not in titles(form):
                assert "utdatert" in card_texts(form)
                form = await press(client, "needs.measure.edit", button(form, "Endre"), **who)
            again = await fill_measure(client, form, {**MEASURE, "title": loser}, **who)
            assert "utdatert" not in card_texts(again) and loser in card_texts(again)
            history = [(v.action, [m["title"] for m in v.snapshot["measures"]])
                       for v in await reports.versions(stored.id)
                       if v.action != "measure.step"]
            assert history[2:] == [("measure.edit", [winner]), ("measure.edit", [loser])]
        finally:
            await db.dispose()
