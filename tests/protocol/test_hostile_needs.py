"""Hostile input on a real needs report, at the protocol: whatever is typed into a measure
(markdown, HTML, script, control characters, 5 000 characters), the press is answered
without a 5xx, the report changes only as a valid press could have changed it (the
domain's own parser is the oracle), and what was typed is shown as text, never as a link.
Presses naming other people's reports, unknown ids or wrong versions change nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cards.check import check_card
from domain.needs.catalog import load_schemes
from domain.needs.forms import parse_measure
from domain.needs.models import Measure
from domain.norsk import OSLO
from tests.support.cards import shown_texts
from tests.support.connector import RecordingConnector
from tests.support.needs import HEADER, MEASURE, button, fill_measure, press
from tests.support.server import DbTarget, RunningKompis, kompis_at
from tests.support.teams import ALICE, BOB, PERSONAL, Conv, TeamsClient

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
RULES = load_schemes().cycles[0]
BOBS_CHAT = Conv("a:1personal-bob", "personal")
LINK = "[lenke](http://evil.example)"

hostile_text = st.one_of(
    st.sampled_from([LINK, "<b>fet</b><script>alert(1)</script>", "**x** _y_ `z`",
                     "=HYPERLINK(\"http://x\")", "a\u0000b\u0007c", "  ", "", "x" * 5000,
                     "𝔎𝔬𝔪𝔭𝔦𝔰 ✓", "1. desember", "#overskrift", "|a|b|"]),
    st.text(max_size=300),
)
field_values = st.one_of(hostile_text, st.integers(), st.booleans(), st.none(),
                         st.lists(st.text(max_size=10), max_size=3))
measure_input = st.dictionaries(st.sampled_from(sorted(MEASURE)), field_values, max_size=6)


@pytest.fixture
async def kompis_h(target: DbTarget):
    async with kompis_at(target, datetime(2026, 12, 1, 10, tzinfo=OSLO)) as server:
        yield server


@pytest.fixture
async def reports(http, kompis_h: RunningKompis, connector: RecordingConnector) -> dict:
    """Alice's draft with one measure, and Bob's own draft in another partnership."""
    client = TeamsClient(http, lambda: kompis_h.messages_url, connector.url)
    made = {"client": client}
    for who, conv, name in ((ALICE, PERSONAL, "Fosen skoler"), (BOB, BOBS_CHAT, "Ørland")):
        await client.say("meld behov", user=who, conv=conv)
        review = await press(client, "needs.header.save",
                             {**button(connector.cards(conv.id)[-1], "Lagre og gå videre"),
                              **HEADER, "partnership_name": name}, user=who, conv=conv)
        form = await press(client, "needs.measure.add", button(review, "Legg til tiltak"),
                           user=who, conv=conv)
        review = await fill_measure(client, form, {**MEASURE}, user=who, conv=conv)
        made[who.aad] = button(review, "Endre")
    return made


@SETTINGS
@given(typed=measure_input)
@example(typed={"title": LINK, "units": "<b>fet</b><script>alert(1)</script>"})
@example(typed={"title": "x" * 5000, "sami": LINK})
async def test_whatever_is_typed_into_a_measure(kompis_h: RunningKompis,
                                                connector: RecordingConnector, reports: dict,
                                                typed: dict) -> None:
    services = kompis_h.services
    client: TeamsClient = reports["client"]
    edit = reports[ALICE.aad]
    [before] = await services.reports.for_member(ALICE.aad)
    data = {**MEASURE, **typed, "action": "needs.measure.save", "report_id": edit["report_id"],
            "version": before.version, "measure_id": edit["measure_id"]}
    answer = await client.execute("needs.measure.save", data)
    assert answer.status == 200
    assert "Traceback" not in json.dumps(answer.body)
    card = answer.body["value"]
    check_card(card)
    [after] = await services.reports.for_member(ALICE.aad)
    expected = parse_measure(data, RULES)
    if isinstance(expected, Measure):
        assert after.version == before.version + 1
        [stored] = after.snapshot["measures"]
        assert Measure.model_validate(stored).model_dump(exclude={"id"}) == \
            expected.model_dump(exclude={"id"})
        assert stored["id"] == edit["measure_id"]
    else:
        assert after.version == before.version and after.snapshot == before.snapshot
    # typed markdown is shown as text, never as a link, in the form and in the review
    assert not any(LINK in said for said in shown_texts(card))


@SETTINGS
@given(report_id=st.one_of(st.just("bob"), st.text(max_size=40), st.integers(), st.none(),
                           st.just("00000000-0000-0000-0000-000000000000")),
       version=st.one_of(st.integers(-3, 50), st.text(max_size=5), st.none(), st.booleans()),
       action=st.sampled_from(["needs.measure.save", "needs.measure.remove", "needs.submit.confirm",
                               "needs.reopen", "needs.header.save", "needs.open"]))
@example(report_id="bob", version=None, action="needs.measure.remove")
@example(report_id="bob", version=None, action="needs.measure.save")
async def test_presses_on_reports_that_are_not_yours(kompis_h: RunningKompis,
                                                     connector: RecordingConnector,
                                                     reports: dict, report_id: object,
                                                     version: object, action: str) -> None:
    services = kompis_h.services
    client: TeamsClient = reports["client"]
    bobs = reports[BOB.aad]
    [before] = await services.reports.for_member(BOB.aad)
    target = bobs["report_id"] if report_id == "bob" else report_id
    data = {**MEASURE, **HEADER, "action": action, "report_id": target,
            "version": before.version if version is None else version,
            "measure_id": bobs["measure_id"]}
    answer = await client.execute(action, data, user=ALICE)  # Alice, on Bob's report
    assert answer.status == 200
    [after] = await services.reports.for_member(BOB.aad)
    assert after.version == before.version and after.snapshot == before.snapshot
    mine = await services.reports.for_member(ALICE.aad)
    assert all(r.id != bobs["report_id"] for r in mine)
    for card in connector.cards():
        check_card(card)
