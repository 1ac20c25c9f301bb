"""#17 at the protocol: the three questions where the sources disagree get answers that
show the disagreement and the sources of both sides, and the wheel says what it builds on.
The real app on loopback; what arrives at the recording Bot Connector is read."""

from __future__ import annotations

from datetime import datetime

import pytest

from cards.check import check_card
from domain.disputes import load_disputes
from domain.norsk import OSLO
from tests.protocol.test_foundation import card_texts
from tests.support.connector import RecordingConnector
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import BOB, PERSONAL, TeamsClient

DISPUTES = load_disputes()


@pytest.fixture
async def kompis_a(target: DbTarget):
    async with kompis_at(target, datetime(2026, 11, 22, 12, tzinfo=OSLO)) as server:
        yield server


@pytest.fixture
def client(http, kompis_a: RunningKompis, connector: RecordingConnector) -> TeamsClient:
    return TeamsClient(http, kompis_a.messages_url, connector.url)


async def ask(client: TeamsClient, connector: RecordingConnector, question: str) -> str:
    """A member (not staff) asks in a personal chat; the text of the card that comes back."""
    before = len(connector.cards(PERSONAL.id))
    await client.say(question, user=BOB)
    cards = connector.cards(PERSONAL.id)
    assert len(cards) == before + 1, question
    card = cards[-1]
    check_card(card)
    said = card_texts(card)
    assert DISPUTES.unmarked(said) == [], (question, said)
    return said


async def test_should_the_network_prioritise(client: TeamsClient,
                                             connector: RecordingConnector) -> None:
    said = await ask(client, connector, "skal nettverket prioritere?")
    assert said.startswith("Skal kompetansenettverket prioritere")
    assert "Kildene er uenige" in said and "Kompis velger ikke side" in said
    assert "003, lysarket «Kompetansenettverk»" in said  # Nordland: shall not prioritise
    assert "IKKE prioritere" in said
    assert "001, spørsmål 7 og 7 a (gruppe 1, 2 og 5)" in said  # Trøndelag's groups
    assert "helhetlig vurdering i nettverkene" in said


async def test_who_makes_the_recommendation(client: TeamsClient,
                                            connector: RecordingConnector) -> None:
    said = await ask(client, connector, "hvem lager innstillingen?")
    assert said.startswith("Hvem lager innstillingen?")
    assert "Kildene er uenige" in said and "Kompis velger ikke side" in said
    # samarbeidsforum: Nordland's wheel and Udir; Statsforvalteren: groups 4 and 6
    assert "003, årshjulet (13.–14. og 18. mars); Udirs tre steg, lest 03.12.2026" in said
    assert "001, spørsmål 10 (gruppe 4 og 6)" in said
    assert "Statsforvalterens innstilling (forslag til fordeling)" in said
    assert "001, spørsmål 10 (gruppe 5)" in said  # and the group that still says SF decides
    assert "Dette er i endring" in said


async def test_when_are_the_funds_paid_out(client: TeamsClient,
                                           connector: RecordingConnector) -> None:
    said = await ask(client, connector, "når blir midlene utbetalt?")
    assert said.startswith("Endelig godkjenning av innstillingen, og midlene utbetales")
    assert "torsdag 15. april 2027, om 144 dager" in said
    # what «SF» means in the source is not known, and the card says so
    assert "«SF endelig godkjenning av innstilling og midler utbetalt»" in said
    assert "sier ikke om SF her er samarbeidsforum eller Statsforvalteren" in said
    assert ("Kilde: 003, årshjulet (15. april); Udir, tilskuddsordningene for lokal "
            "kompetanseutvikling (tre steg), lest 2026-12-03") in said
    assert "datoene i ditt fylke kan være andre" in said


async def test_who_pays_out_shows_both_readings(client: TeamsClient,
                                                connector: RecordingConnector) -> None:
    said = await ask(client, connector, "hvem betaler ut pengene?")
    assert said.startswith("Hvem betaler ut midlene?")
    assert "Kildene er uenige" in said
    assert "Udirs tre steg for tilskuddsordningene, lest 03.12.2026" in said
    assert "003, årshjulet (15. april)" in said and "kilden forklarer ikke SF" in said


async def test_the_wheel_says_what_it_builds_on(client: TeamsClient,
                                                connector: RecordingConnector) -> None:
    said = await ask(client, connector, "årshjul")
    assert "Bygger på Statsforvalteren i Nordlands årshjul for 2023/2024" in said
    assert "datoene i ditt fylke kan være andre" in said
    assert "onsdag 13. januar 2027" in said  # 10 January 2027 is a Sunday
    assert "Samarbeidsforum starter arbeidet" in said and "Beslutningsgrunnlag" in said
    assert "Samarbeidsforum møtes om ekstra tildeling" in said
