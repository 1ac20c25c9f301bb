"""The edge's checks read the JSON text to skip their walks: same verdicts either way."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.envelope import MAX_DEPTH, clean, problems

ACTIVITY = {"type": "message", "conversation": {"id": "a:1"},
            "serviceUrl": "http://127.0.0.1:1/", "text": "hei"}


def nested(depth: int) -> dict[str, Any]:
    """An activity whose deepest value sits at `depth` (the activity itself is 1)."""
    node: Any = 1
    for _ in range(depth - 2):
        node = {"n": node}
    return {**ACTIVITY, "deep": node}


def test_nesting_at_the_limit_is_judged_the_same_with_the_text() -> None:
    for depth in (MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2):
        body = nested(depth)
        assert problems(body, json.dumps(body)) == problems(body), depth
    assert problems(nested(MAX_DEPTH)) is None
    assert problems(nested(MAX_DEPTH + 1), json.dumps(nested(MAX_DEPTH + 1)))


def test_a_lone_surrogate_is_replaced_whether_escaped_or_decoded() -> None:
    for raw in ('{"text": "hva er \\ud800 det"}', '{"text": "hva er \\uDFFF det"}',
                '{"te\\udc00xt": "x"}', '{"text": "hva er \ud800 det"}'):
        body = json.loads(raw)
        assert clean(body, raw) == clean(body)
        assert "\ufffd" in json.dumps(clean(body, raw), ensure_ascii=False), raw
    plain = '{"text": "bl\\u00e5b\\u00e6r \\\\ud800"}'  # an escaped backslash, no surrogate
    assert clean(json.loads(plain), plain) == json.loads(plain)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.sampled_from(["\ud800", "x\udfffy", "\ud83d\ude00", "\\ud800"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=80,
)


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_any_body_gets_the_verdict_and_cleaning_it_gets_without_the_text(
        value: Any, ascii_only: bool) -> None:
    body = {**ACTIVITY, "value": value}
    raw = json.dumps(body, ensure_ascii=ascii_only)
    assert problems(body, raw) == problems(body)
    assert clean(body, raw) == clean(body)
