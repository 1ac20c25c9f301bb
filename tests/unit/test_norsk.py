"""How Kompis writes days, dates and amounts in Norwegian."""

from __future__ import annotations

from datetime import date

import pytest

from domain.norsk import (
    days_until,
    format_date,
    month_number,
    months_named,
    number_named,
    time_left,
)

DEADLINE = date(2026, 12, 15)


@pytest.mark.parametrize(("today", "said"), [
    (date(2026, 12, 15), "i dag"),
    (date(2026, 12, 14), "i morgen"),
    (date(2026, 12, 13), "2 dager igjen"),
    (date(2026, 12, 1), "14 dager igjen"),
    (date(2026, 12, 16), "fristen er ute"),
])
def test_time_left_before_a_deadline(today: date, said: str) -> None:
    assert time_left(DEADLINE, today) == said
    assert "1 dager" not in time_left(DEADLINE, today)


def test_days_until_an_event() -> None:
    assert days_until(DEADLINE, date(2026, 12, 14)) == "i morgen"
    assert days_until(DEADLINE, date(2026, 12, 8)) == "om 7 dager"
    assert days_until(DEADLINE, date(2026, 12, 18)) == "for 3 dager siden"
    assert format_date(DEADLINE, weekday=True) == "tirsdag 15. desember 2026"


@pytest.mark.parametrize(("text", "months"), [
    ("frister i mars?", [3]), ("Show me the deadlines for December!", [12]),
    ("vilka frister finns i januari", [1]), ("kan du liste januar-fristene", [1]),
    ("hva skjer i mai og juni", [5, 6]),
    # a verb, Christmas and a name are no months
    ("may we send it later", []), ("før jul", []), ("spør Jan", []),
])
def test_the_months_a_text_names(text: str, months: list[int]) -> None:
    assert months_named(text) == months


def test_a_month_typed_in_english_is_read() -> None:
    assert month_number("January") == 1 and month_number("des") == 12
    assert month_number("mandag") is None


@pytest.mark.parametrize(("text", "number"), [
    ("2", 2), ("nr. 2", 2), ("nummer to", 2), ("det tredje", 3), ("fem", 5),
    ("tiltak 12 i lista", 12), ("the second one", 2),
    # no number, or a year or an amount rather than a small number
    ("", None), ("lesing på tvers", None), ("fra 2027", None), ("300000", None),
])
def test_the_small_number_a_text_names(text: str, number: int | None) -> None:
    assert number_named(text) == number
