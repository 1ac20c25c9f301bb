"""Hostile and broken input at the protocol: never a 5xx, never a stack trace, and what
Kompis says stays Norwegian and well-formed."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards.check import check_card
from tests.support.connector import RecordingConnector
from tests.support.teams import GROUP, PERSONAL, TeamsClient

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.text(max_size=200),
    st.sampled_from(["say", "needs.submit", "glossary.show", "<script>alert(1)</script>",
                     "[lenke](http://evil.example)", "' OR 1=1 --", "\u0000", "𝔎𝔬𝔪𝔭𝔦𝔰"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.text(max_size=20), children, max_size=5)),
    max_leaves=30,
)
card_data = st.one_of(
    json_values,
    st.fixed_dictionaries({"action": scalars}, optional={"text": json_values,
                                                          "report_id": json_values,
                                                          "version": json_values}),
)


def deeply_nested(depth: int) -> dict:
    node: dict = {"x": 1}
    for _ in range(depth):
        node = {"n": node}
    return node


def assert_sane(connector: RecordingConnector) -> None:
    for message in connector.messages():
        assert "Traceback" not in json.dumps(message)
    for card in connector.cards():
        check_card(card)


@SETTINGS
@given(data=card_data)
async def test_random_submit_values(teams: TeamsClient, connector: RecordingConnector,
                                    data: object) -> None:
    answer = await teams.submit(data)  # type: ignore[arg-type]
    assert answer.status < 500
    assert_sane(connector)


@SETTINGS
@given(data=json_values, verb=scalars)
async def test_random_execute_invokes(teams: TeamsClient, connector: RecordingConnector,
                                      data: object, verb: object) -> None:
    body = teams.activity("invoke", name="adaptiveCard/action",
                          value={"action": {"type": "Action.Execute", "verb": verb,
                                            "data": data}})
    answer = await teams.post(body)
    assert answer.status < 500
    assert_sane(connector)


@SETTINGS
@given(text=st.text(max_size=3000), conv=st.sampled_from([PERSONAL, GROUP]))
async def test_random_text(teams: TeamsClient, connector: RecordingConnector, text: str,
                           conv) -> None:
    answer = await teams.say(text, conv=conv)
    assert answer.status < 500
    assert_sane(connector)


@SETTINGS
@given(mutation=st.dictionaries(
    st.sampled_from(["type", "from", "recipient", "entities", "channelData", "value",
                     "attachments", "timestamp", "replyToId", "name", "locale", "text"]),
    json_values, min_size=1, max_size=4))
async def test_random_fields_in_an_activity(teams: TeamsClient, connector: RecordingConnector,
                                            mutation: dict) -> None:
    body = teams.activity("message", text="hjelp")
    body.update(mutation)
    answer = await teams.post(body)
    assert answer.status < 500
    assert_sane(connector)


async def test_megabyte_strings_and_deep_nesting(teams: TeamsClient,
                                                 connector: RecordingConnector) -> None:
    huge = "å" * (1024 * 1024)
    assert (await teams.submit({"action": "say", "text": huge})).status == 413
    answer = await teams.submit({"action": "say", "text": "hjelp", "deep": deeply_nested(900)})
    assert answer.status == 400
    answer = await teams.submit({"action": "say", "text": "hjelp", "deep": deeply_nested(40)})
    assert answer.status == 201
    answer = await teams.submit({"action": "say", "text": "x" * 100_000})
    assert answer.status < 500
    assert_sane(connector)


async def test_invalid_utf8_and_odd_encodings(teams: TeamsClient) -> None:
    for raw in (b'{"type": "message", "text": "\xff\xfe"}', b"\xef\xbb\xbf{}",
                "{\"type\": \"message\"}".encode("utf-16")):
        answer = await teams.post(None, raw=raw)
        assert 400 <= answer.status < 500


async def test_nesting_deeper_than_the_parser_allows(teams: TeamsClient) -> None:
    raw = ('{"type": "message", "v": ' + "[" * 50_000 + "]" * 50_000 + "}").encode()
    answer = await teams.post(None, raw=raw)
    assert answer.status == 400
