"""Every card builder has a sample in tools/dump_cards.py, and every sample is a valid card
(the same samples `make e2e` renders with Microsoft's adaptivecards)."""

from __future__ import annotations

import re

import pytest

from cards.base import no_list_start
from cards.check import check_card
from tests.support.cards import shown_texts
from tools.dump_cards import all_cards, builders, uncovered

SAMPLES = all_cards()


def test_every_builder_has_a_sample() -> None:
    assert builders(), "no card builders found"
    assert uncovered(SAMPLES) == []


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["name"] for s in SAMPLES])
def test_sample_is_a_valid_card(sample: dict) -> None:
    check_card(sample["card"])


def test_no_text_starts_as_an_ordered_list() -> None:
    """'2. desember 2026' at the start of a text or fact is rendered by Teams as item 2 of
    a list (indented, seen in the Agents Playground); the builders escape the dot."""
    assert no_list_start("2. desember 2026") == "2\\. desember 2026"
    assert no_list_start("1.5 millioner") == "1.5 millioner"
    assert no_list_start("Frist 2. desember") == "Frist 2. desember"
    starts = [t for s in SAMPLES for t in shown_texts(s["card"]) if re.match(r"\d+\.\s", t)]
    assert starts == []
    assert any(t.startswith("2\\. desember") or re.match(r"\d+\\\.", t)
               for s in SAMPLES for t in shown_texts(s["card"]))
