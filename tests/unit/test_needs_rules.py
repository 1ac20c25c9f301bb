"""Each rule of a needs report, in the domain, without a bot or a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from domain.needs import texts
from domain.needs.catalog import CycleRules
from domain.needs.forms import parse_measure
from domain.needs.models import (
    Measure,
    NeedsReport,
    Status,
    reference_number,
)
from domain.needs.refusals import RuleBroken, Stale
from tests.support.needs import CURRENT_SCHEME
from tests.support.reports import (
    AFTER,
    BEFORE,
    CATALOG,
    DEADLINE,
    GOOD_MEASURE,
    RULES,
    make_header,
    make_measure,
    make_report,
)


def refusal(field: str | None, message: str):
    """pytest.raises for a RuleBroken about `field` whose message contains `message`."""
    class Check:
        def __enter__(self):
            self.raises = pytest.raises(RuleBroken, match=message)
            self.info = self.raises.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.raises.__exit__(*exc)
            assert self.info.value.field == field
            return handled
    return Check()


# --- at most five measures -----------------------------------------------------------


def test_a_sixth_measure_is_refused_and_changes_nothing() -> None:
    report = make_report(5)
    assert report.version == 6
    with refusal("measures", "allerede 5 tiltak"):
        report.add_measure(make_measure(title="Sjette"), rules=RULES)
    assert len(report.measures) == 5 and report.version == 6
    assert "Sjette" not in [m.title for m in report.measures]


def test_the_limit_comes_from_the_cycle_settings() -> None:
    three = RULES.model_copy(update={"max_measures": 3})
    report = make_report(0)
    for i in range(3):
        report.add_measure(make_measure(title=f"T{i}"), rules=three)
    with refusal("measures", "allerede 3 tiltak"):
        report.add_measure(make_measure(), rules=three)
    with refusal("measures", "allerede 3 tiltak"):
        report.add_measure(make_measure(), max_measures=3)
    with pytest.raises(TypeError):
        report.add_measure(make_measure())


def test_removing_one_makes_room_again() -> None:
    report = make_report(5)
    report.remove_measure(report.measures[2].id)
    report.add_measure(make_measure(title="Ny"), rules=RULES)
    assert [m.title for m in report.measures][-1] == "Ny" and len(report.measures) == 5


# --- lengths, amounts, dates, Sámi perspectives, interdisciplinary -------------------


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": "x" * 134}, "title", "Tittel er 134 tegn, maks 120."),
    ({"need": "y" * 2001}, "need", "Behov tiltaket svarer på er 2001 tegn, maks 2000."),
    ({"inclusion": "z" * 2500}, "inclusion", "er 2500 tegn, maks 2000."),
    ({"interdisciplinary": "true", "interdisciplinary_how": "h" * 2001},
     "interdisciplinary_how", "er 2001 tegn, maks 2000."),
    ({"units": ""}, "units", "Enheter og eiere som deltar må fylles ut."),
])
def test_lengths_are_refused_with_counts(changes: dict, field: str, message: str) -> None:
    errors = parse_measure({**GOOD_MEASURE, **changes}, RULES)
    assert isinstance(errors, dict) and message in errors[field]


def test_exactly_the_limit_is_allowed() -> None:
    assert make_measure(title="x" * 120, need="y" * 2000).title == "x" * 120


@pytest.mark.parametrize(("typed", "ok"), [
    ("1", True), ("5 000 000", True), ("5000001", False), ("0", False), ("-300", False),
    ("12,5", False), ("tre hundre tusen", False), ("300 000 kr", True),
])
def test_amount_is_a_whole_positive_amount_within_the_cap(typed: str, ok: bool) -> None:
    result = parse_measure({**GOOD_MEASURE, "amount": typed}, RULES)
    assert isinstance(result, Measure) is ok
    if not ok:
        assert result["amount"] in (texts.BAD_AMOUNT, "Høyst 5 000 000 kr per tiltak. Det er "
                                    "regionens praksis, ikke en regel i regelverket.")


def practice(**changes: object) -> CycleRules:
    """The cycle's rules with the region's practice changed."""
    return RULES.model_copy(update={"practice": RULES.practice.model_copy(update=changes)})


def test_the_cap_is_configurable_and_said_as_the_regions_practice() -> None:
    small = practice(max_amount=100_000)
    errors = parse_measure(GOOD_MEASURE, small)
    assert errors == {"amount": "Høyst 100 000 kr per tiltak. Det er regionens praksis, "
                                "ikke en regel i regelverket."}
    with refusal("amount", "regionens praksis"):
        make_report().add_measure(make_measure(), rules=small)


def test_without_a_cap_any_whole_positive_amount_goes() -> None:
    free = practice(max_amount=None)
    measure = parse_measure({**GOOD_MEASURE, "amount": "50 000 000"}, free)
    assert isinstance(measure, Measure) and measure.amount == 50_000_000
    assert parse_measure({**GOOD_MEASURE, "amount": "0"}, free) == {"amount": texts.BAD_AMOUNT}


@pytest.mark.parametrize(("start", "end", "field", "message"), [
    ("2026-12-31", "2027-06-30", "period_start", "innenfor syklusen"),
    ("2027-01-04", "2030-01-01", "period_end", "innenfor syklusen"),
    ("2027-06-01", "2027-05-31", "period_end", "slutter før den starter"),
    ("2027-02-30", "2027-06-01", "period_start", "ÅÅÅÅ-MM-DD"),
])
def test_dates_inside_the_cycle(start: str, end: str, field: str, message: str) -> None:
    errors = parse_measure({**GOOD_MEASURE, "period_start": start, "period_end": end}, RULES)
    assert isinstance(errors, dict) and message in errors[field]


def test_the_cycle_edges_are_inside() -> None:
    m = make_measure(period_start=RULES.start.isoformat(), period_end=RULES.end.isoformat())
    assert (m.period_start, m.period_end) == (RULES.start, RULES.end)
    later = practice(start=date(2027, 6, 1))
    with refusal("period_start", "innenfor syklusen"):
        make_report().add_measure(m, rules=later)


@pytest.mark.parametrize("typed", ["", "   ", "Ikke aktuelt.", "nei"])
def test_sami_perspectives_are_encouraged_not_required(typed: str) -> None:
    """Seed 003: samarbeidsforum encourages partnerships to show the assessment; the
    field may be left empty, and what is typed is kept as typed."""
    measure = parse_measure({**GOOD_MEASURE, "sami": typed}, RULES)
    assert isinstance(measure, Measure) and measure.sami == typed.strip()


def test_a_sami_answer_has_a_length_limit() -> None:
    errors = parse_measure({**GOOD_MEASURE, "sami": "x" * 2001}, RULES)
    assert isinstance(errors, dict) and "maks 2000" in errors["sami"]


@pytest.mark.parametrize(("typed", "areas"), [
    ("barnehage", ("barnehage",)), ("skole,barnehage", ("barnehage", "skole")),
    ("ppt", ("ppt",)), ("barnehage,skole,ppt", ("barnehage", "skole", "ppt")),
    (["skole", "ppt"], ("skole", "ppt")), ("begge", ("barnehage", "skole")),
])
def test_a_measure_names_the_fields_it_covers(typed: object, areas: tuple) -> None:
    measure = parse_measure({**GOOD_MEASURE, "areas": typed}, RULES)
    assert isinstance(measure, Measure) and measure.areas == areas


@pytest.mark.parametrize("typed", ["", "universitet", "skole,universitet", None, 3])
def test_at_least_one_known_field(typed: object) -> None:
    errors = parse_measure({**GOOD_MEASURE, "areas": typed}, RULES)
    assert errors == {"areas": texts.BAD_AREAS}


def test_an_older_schemes_measure_stays_in_its_field() -> None:
    old = CATALOG.cycle("2025/2026")
    assert old is not None
    rekom = old.scheme("REKOM")
    errors = parse_measure({**GOOD_MEASURE, "areas": "skole", "period_start": "2026-02-01",
                            "period_end": "2026-12-01"}, old, rekom)
    assert errors == {"areas": "REKOM gjelder bare barnehage."}
    assert isinstance(parse_measure({**GOOD_MEASURE, "areas": "barnehage,skole,ppt"}, RULES,
                                    RULES.scheme(CURRENT_SCHEME)), Measure)


def test_interdisciplinary_needs_a_how() -> None:
    errors = parse_measure({**GOOD_MEASURE, "interdisciplinary": "true"}, RULES)
    assert errors == {"interdisciplinary_how": texts.HOW_REQUIRED}
    m = make_measure(interdisciplinary="true", interdisciplinary_how="PPT og helsesykepleier")
    assert m.interdisciplinary and m.interdisciplinary_how == "PPT og helsesykepleier"
    with pytest.raises(ValidationError, match="tverrfaglig"):  # the model holds it too
        Measure(**{**m.model_dump(), "interdisciplinary_how": ""})


# --- submit, late, reopen ------------------------------------------------------------


def test_submit_needs_a_measure() -> None:
    report = make_report(0)
    with refusal("measures", "minst ett tiltak"):
        report.submit(BEFORE, DEADLINE)
    assert report.status == Status.DRAFT and report.version == 1 and report.submitted_at is None


def test_submit_on_time_then_read_only() -> None:
    report = make_report(1)
    assert report.submit(DEADLINE, DEADLINE) == Status.SUBMITTED  # the last second counts
    assert not report.late and report.submitted_at == DEADLINE and not report.editable
    with refusal("status", "allerede sendt inn"):
        report.submit(BEFORE, DEADLINE)
    for change in (lambda: report.add_measure(make_measure(), rules=RULES),
                   lambda: report.replace_measure(report.measures[0].id, make_measure()),
                   lambda: report.remove_measure(report.measures[0].id),
                   lambda: report.update_header(make_header(partnership_name="Nytt"))):
        with refusal("status", "Gjenåpne"):
            change()
    assert report.version == 3


def test_after_the_deadline_it_goes_in_but_marked_late() -> None:
    report = make_report(1)
    assert report.submit(AFTER, DEADLINE) == Status.SUBMITTED_LATE
    assert report.late and report.status.value == "sendt inn for sent"
    no_deadline = make_report(1)
    assert no_deadline.submit(AFTER, None) == Status.SUBMITTED and not no_deadline.late


def test_reopen_only_before_the_deadline() -> None:
    report = make_report(1)
    with refusal("status", "allerede åpen"):
        report.reopen(BEFORE, DEADLINE)
    report.submit(BEFORE, DEADLINE)
    assert report.reopen(BEFORE, DEADLINE) == Status.REOPENED and report.editable
    report.add_measure(make_measure(title="Nummer to"), rules=RULES)
    assert report.submit(BEFORE, DEADLINE) == Status.SUBMITTED
    version = report.version
    with refusal("status", "Fristen er ute"):
        report.reopen(AFTER, DEADLINE)
    assert report.status == Status.SUBMITTED and report.version == version


def test_a_late_report_cannot_be_reopened() -> None:
    report = make_report(1)
    report.submit(AFTER, DEADLINE)
    with refusal("status", "Fristen er ute"):
        report.reopen(AFTER + timedelta(days=1), DEADLINE)


def test_late_reports_and_reopening_follow_the_regions_practice() -> None:
    """Neither rule is in a source: content/ordninger.yaml sets them, the refusal says so."""
    strict = practice(late_reports="avvises").practice
    report = make_report(1)
    with refusal("status", "regionens praksis"):
        report.submit(AFTER, DEADLINE, strict)
    assert report.status == Status.DRAFT and report.version == 2
    assert report.submit(BEFORE, DEADLINE, strict) == Status.SUBMITTED
    with refusal("status", "kan ikke gjenåpnes. Det er regionens praksis"):
        report.reopen(AFTER, DEADLINE, RULES.practice)
    lenient = practice(reopen_after_deadline=True).practice
    assert report.reopen(AFTER, DEADLINE, lenient) == Status.REOPENED


# --- versions ------------------------------------------------------------------------


def test_every_accepted_change_bumps_the_version_once_and_refusals_none() -> None:
    report = make_report(0)
    steps = [
        lambda: report.add_measure(make_measure(title="A"), rules=RULES),
        lambda: report.add_measure(make_measure(title="B"), rules=RULES),
        lambda: report.replace_measure(report.measures[0].id, make_measure(title="A2")),
        lambda: report.remove_measure(report.measures[1].id),
        lambda: report.update_header(make_header(partnership_name="Fosen og Ørland")),
        lambda: report.submit(BEFORE, DEADLINE),
        lambda: report.reopen(BEFORE, DEADLINE),
        lambda: report.submit(AFTER, DEADLINE),
    ]
    for expected, step in enumerate(steps, start=2):
        step()
        assert report.version == expected
    for refused in (lambda: report.submit(AFTER, DEADLINE),
                    lambda: report.reopen(AFTER, DEADLINE),
                    lambda: report.remove_measure("00000000")):
        with pytest.raises(RuleBroken):
            refused()
    assert report.version == len(steps) + 1


@pytest.mark.parametrize("pressed", [1, 3, None, "2", True, 2.0, [2]])
def test_a_stale_or_odd_version_is_refused(pressed: object) -> None:
    report = make_report(1)  # version 2
    report.check_version(2)
    with pytest.raises(Stale) as info:
        report.check_version(pressed)
    assert info.value.current is not None and info.value.current.version == 2
    assert info.value.field is None and info.value.expected == pressed
    assert "ingenting ble endret" in info.value.message


# --- measures keep their ids; the header keeps its cycle ----------------------------


def test_replace_keeps_id_and_place_remove_returns_it() -> None:
    report = make_report(3)
    ids = [m.id for m in report.measures]
    stored = report.replace_measure(ids[1], make_measure(title="Endret"))
    assert [m.id for m in report.measures] == ids and stored.id == ids[1]
    assert report.measures[1].title == "Endret" and report.measure(ids[1]) == stored
    assert report.remove_measure(ids[0]).id == ids[0]
    assert [m.id for m in report.measures] == ids[1:]
    with refusal("measure_id", "Fant ikke"):
        report.replace_measure(ids[0], make_measure())


def test_a_repeated_id_is_made_unique() -> None:
    report = make_report(0)
    m = make_measure()
    first = report.add_measure(m, rules=RULES)
    second = report.add_measure(m, rules=RULES)
    assert first.id == m.id and second.id != m.id and len({x.id for x in report.measures}) == 2


def test_update_header_keeps_the_cycle() -> None:
    report = make_report(1)
    report.update_header(make_header(partnership_name="Fosen og Ørland skoler"))
    assert report.header.partnership_name == "Fosen og Ørland skoler" and report.version == 3
    moved = make_header().model_copy(update={"cycle": "2025/2026"})
    with refusal("cycle", "Syklusen kan ikke endres"):
        report.update_header(moved)


# --- reference numbers and storage ---------------------------------------------------


def test_reference_number() -> None:
    assert reference_number("2026/2027", "FOS", "KKU", 7) == "BM-2026-FOS-KKU-0007"
    assert reference_number("2025/2026", "TRM", "DEKOM", 12345) == "BM-2025-TRM-DEKOM-12345"
    for bad in (("2026", "FOS", "KKU", 1), ("2026/2027", "FOS", "KKU", 0)):
        with pytest.raises(ValueError):
            reference_number(*bad)


def test_a_report_survives_json() -> None:
    report = make_report(2)
    report.submit(BEFORE, DEADLINE)
    report.reference = "BM-2026-FOS-KKU-0001"
    again = NeedsReport.model_validate(report.model_dump(mode="json"))
    assert again == report and again.status == Status.SUBMITTED
    assert again.total_amount == 600_000
