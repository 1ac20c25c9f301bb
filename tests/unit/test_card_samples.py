"""Every card builder has a sample in tools/dump_cards.py, and every sample is a valid card
(the same samples `make e2e` renders with Microsoft's adaptivecards)."""

from __future__ import annotations

import pytest

from cards.check import check_card
from tools.dump_cards import all_cards, builders, uncovered

SAMPLES = all_cards()


def test_every_builder_has_a_sample() -> None:
    assert builders(), "no card builders found"
    assert uncovered(SAMPLES) == []


@pytest.mark.parametrize("sample", SAMPLES, ids=[s["name"] for s in SAMPLES])
def test_sample_is_a_valid_card(sample: dict) -> None:
    check_card(sample["card"])
