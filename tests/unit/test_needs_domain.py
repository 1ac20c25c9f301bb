"""The needs report's rules without a bot or a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.needs.catalog import load_schemes
from domain.needs.forms import WHAT_FIELDS, parse_amount, parse_measure, parse_measure_what
from domain.needs.models import (
    Header,
    Measure,
    NeedsReport,
    PendingMeasure,
    Status,
    reference_number,
)
from domain.needs.refusals import RuleBroken
from tests.support.needs import CURRENT_SCHEME

RULES = load_schemes().cycle("2026/2027")
DEADLINE = datetime(2026, 12, 15, 23, 0, tzinfo=UTC)
BEFORE = datetime(2026, 12, 10, 12, tzinfo=UTC)
AFTER = datetime(2026, 12, 16, 8, tzinfo=UTC)

GOOD = {
    "title": "Lesing i barnehagen", "need": "Språkmiljøet må styrkes.",
    "need_found": "Kartlegging i alle enheter høsten 2026.", "areas": "barnehage",
    "staff_groups": "Barnehagelærere og fagarbeidere", "units": "Åfjord og Ørland kommune",
    "uh_role": "NTNU leder samlinger og veileder.", "inclusion": "Tillitsvalgte var med.",
    "sami": "Ikke aktuelt fordi ingen enheter har samiske barn, vurdert med eierne.",
    "interdisciplinary": "false", "continued": "false", "period_start": "2027-01-01",
    "period_end": "2027-12-31", "amount": "250 000",
}


def header() -> Header:
    return Header(cycle="2026/2027", scheme=CURRENT_SCHEME, network_id="fosen",
                  partnership_name="Fosen barnehager", owners=("Åfjord", "Ørland"),
                  uh_partner="ntnu", contact_name="Kari Nordmann",
                  contact_email="kari@afjord.kommune.no")


def measure(**changes: str) -> Measure:
    parsed = parse_measure({**GOOD, **changes}, RULES)
    assert isinstance(parsed, Measure), parsed
    return parsed


def test_a_good_measure_parses() -> None:
    m = measure()
    assert m.amount == 250_000 and m.areas == ("barnehage",) and not m.interdisciplinary


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": "x" * 134}, "title", "Tittel er 134 tegn, maks 120."),
    ({"need": "y" * 2001}, "need", "er 2001 tegn, maks 2000"),
    ({"sami": "x" * 2001}, "sami", "er 2001 tegn, maks 2000"),
    ({"interdisciplinary": "true"}, "interdisciplinary_how", "hvordan tiltaket er tverrfaglig"),
    ({"amount": "mange penger"}, "amount", "helt antall kroner"),
    ({"amount": "0"}, "amount", "helt antall kroner"),
    ({"amount": "6 000 000"}, "amount", "Høyst 5 000 000 kr per tiltak"),
    ({"period_start": "2024-01-01"}, "period_start", "innenfor syklusen"),
    ({"period_end": "2026-12-31"}, "period_end", "slutter før den starter"),
    ({"period_start": "31.12.2026"}, "period_start", "ÅÅÅÅ-MM-DD"),
    ({"areas": "universitet"}, "areas", "Velg minst ett felt"),
])
def test_each_field_rule(changes: dict, field: str, message: str) -> None:
    errors = parse_measure({**GOOD, **changes}, RULES)
    assert isinstance(errors, dict)
    assert message in errors[field]


@pytest.mark.parametrize(("typed", "amount"), [
    ("250 000", 250000), ("250000 kr", 250000), ("250.000,-", 250000), ("1\u00a0250\u00a0000",
                                                                        1250000),
    (150, 150), ("12,5", None), ("-5", None), (True, None), (None, None),
])
def test_amounts(typed: object, amount: int | None) -> None:
    assert parse_amount(typed) == amount


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=3000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
KEYS = st.one_of(st.sampled_from(sorted(GOOD)), st.text(max_size=30))


@given(st.dictionaries(KEYS, VALUES, max_size=20))
def test_garbage_never_raises(raw: dict) -> None:
    result = parse_measure(raw, RULES)
    assert isinstance(result, Measure | dict)


def test_at_most_five_measures_and_versions() -> None:
    report = NeedsReport(header=header())
    for i in range(5):
        report.add_measure(measure(title=f"Tiltak {i}"), max_measures=RULES.max_measures)
    assert report.version == 6
    with pytest.raises(RuleBroken, match="allerede 5 tiltak"):
        report.add_measure(measure(), max_measures=RULES.max_measures)
    assert len(report.measures) == 5 and report.version == 6


def test_replace_and_remove() -> None:
    report = NeedsReport(header=header())
    report.add_measure(measure(), max_measures=5)
    first = report.measures[0].id
    report.replace_measure(first, measure(title="Ny tittel"))
    assert report.measures[0].title == "Ny tittel" and report.measures[0].id == first
    report.remove_measure(first)
    assert report.measures == []
    with pytest.raises(RuleBroken, match="Fant ikke"):
        report.remove_measure(first)


def test_step_one_alone_is_checked_and_kept_until_step_two() -> None:
    what, errors = parse_measure_what({**GOOD, "amount": "", "title": ""})
    assert set(errors) == {"title"}  # step 2's fields are not asked for yet
    what, errors = parse_measure_what(GOOD)
    assert not errors and set(what) == set(WHAT_FIELDS) and what["areas"] == "barnehage"
    report = NeedsReport(header=header())
    held = report.hold_measure(PendingMeasure(id="0000abcd", what=what), max_measures=5)
    assert report.version == 2 and report.pending == [held]
    again = report.hold_measure(PendingMeasure(id="0000abcd", what={**what, "title": "Ny"}),
                                max_measures=5)  # back to step 1: the same one, replaced
    assert report.pending == [again] and report.version == 3
    made = parse_measure({**GOOD, **what}, RULES)
    assert isinstance(made, Measure)
    stored = report.add_measure(made.model_copy(update={"id": "0000abcd"}), max_measures=5)
    assert stored.id == "0000abcd" and report.pending == [] and report.version == 4
    assert NeedsReport.model_validate(report.model_dump(mode="json")) == report


def test_a_half_made_measure_can_be_dropped_and_is_bounded() -> None:
    report = NeedsReport(header=header())
    what, _ = parse_measure_what(GOOD)
    for i in range(5):
        report.hold_measure(PendingMeasure(id=f"0000000{i}", what=what), max_measures=5)
    with pytest.raises(RuleBroken, match="For mange påbegynte"):
        report.hold_measure(PendingMeasure(id="00000009", what=what), max_measures=5)
    report.drop_pending("00000000")
    assert len(report.pending) == 4 and report.version == 7
    with pytest.raises(RuleBroken, match="Fant ikke"):
        report.drop_pending("00000000")
    with pytest.raises(RuleBroken, match="Fant ikke"):  # an edit needs its measure
        report.hold_measure(PendingMeasure(id="0000dddd", edit=True, what=what),
                            max_measures=5)
    with pytest.raises(ValueError):
        PendingMeasure(id="0000abcd", what={"amount": "1"})  # only step 1's fields


def test_submit_on_time_late_and_reopen() -> None:
    report = NeedsReport(header=header())
    with pytest.raises(RuleBroken, match="minst ett tiltak"):
        report.submit(BEFORE, DEADLINE)
    report.add_measure(measure(), max_measures=5)
    assert report.submit(BEFORE, DEADLINE) == Status.SUBMITTED and not report.late
    with pytest.raises(RuleBroken, match="sendt inn"):
        report.add_measure(measure(), max_measures=5)
    report.reopen(BEFORE, DEADLINE)
    assert report.status == Status.REOPENED and report.editable
    assert report.submit(AFTER, DEADLINE) == Status.SUBMITTED_LATE and report.late
    with pytest.raises(RuleBroken, match="Fristen er ute"):
        report.reopen(AFTER, DEADLINE)


def test_a_measure_stored_with_a_target_group_reads_as_areas() -> None:
    """Reports saved before 2026/2027 (and old versions) have `target_group`."""
    stored = measure().model_dump(mode="json")
    del stored["areas"]
    for old, areas in (("barnehage", ("barnehage",)), ("skole", ("skole",)),
                       ("begge", ("barnehage", "skole"))):
        assert Measure.model_validate({**stored, "target_group": old}).areas == areas
    with pytest.raises(ValueError):
        Measure.model_validate({**stored, "target_group": "universitet"})


def test_reference_number_and_round_trip() -> None:
    assert reference_number("2026/2027", "FOS", "KKU", 7) == "BM-2026-FOS-KKU-0007"
    report = NeedsReport(header=header())
    report.add_measure(measure(), max_measures=5)
    again = NeedsReport.model_validate(report.model_dump(mode="json"))
    assert again == report
