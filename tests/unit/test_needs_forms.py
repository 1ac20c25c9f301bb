"""Card input in, a model or field messages out: never an exception, whatever arrives."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.needs import texts
from domain.needs.forms import (
    HEADER_FIELDS,
    MEASURE_FIELDS,
    TYPED_MAX,
    clean_text,
    header_values,
    measure_values,
    parse_amount,
    parse_date,
    parse_flag,
    parse_header,
    parse_list,
    parse_measure,
    typed_values,
)
from domain.needs.models import Header, Measure
from tests.support.needs import CURRENT_SCHEME
from tests.support.reports import CATALOG, GOOD_HEADER, GOOD_MEASURE, RULES

MB = 1024 * 1024
KNOWN = {*MEASURE_FIELDS, *HEADER_FIELDS, "form"}


# --- single values -------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "amount"), [
    ("150 000", 150_000), ("150000 kr", 150_000), ("150000kr", 150_000),
    ("kr 150 000", 150_000), ("150.000,-", 150_000), ("150 000,00", 150_000),
    ("NOK 1 250 000", 1_250_000), ("1\u00a0250\u00a0000", 1_250_000),
    ("1\u202f250\u202f000 kr", 1_250_000), (" 42 ", 42), (150, 150), (150.0, 150),
    ("12,5", None), ("1e6", None), ("-5", None), ("tusen", None), ("", None),
    ("١٢٣", None), ("1" * 41, None), (True, None), (None, None), ([150], None),
    (12.5, None), (float("nan"), None), (float("inf"), None),
])
def test_amounts(typed: object, amount: int | None) -> None:
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(("typed", "day"), [
    ("2027-01-04", date(2027, 1, 4)), (" 2027-01-04 ", date(2027, 1, 4)),
    ("20270104", None), ("2027-W01-1", None), ("04.01.2027", None), ("2027-1-4", None),
    ("2027-02-30", None), ("٢٠٢٧-٠١-٠٤", None), ("2027-01-04T00:00", None), (20270104, None),
    (None, None), ("x" * 1000, None),
])
def test_dates(typed: object, day: date | None) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize(("typed", "flag"), [
    ("true", True), ("false", False), ("TRUE", True), ("ja", True), ("nei", False),
    (True, True), (False, False), ("kanskje", None), (1, None), (None, None),
])
def test_toggles(typed: object, flag: bool | None) -> None:
    assert parse_flag(typed) is flag


@pytest.mark.parametrize(("typed", "items"), [
    ("a,b", ("a", "b")), (" Åfjord kommune , Ørland kommune ", ("Åfjord kommune",
                                                               "Ørland kommune")),
    ("a;b\nc", ("a", "b", "c")), ("a,A,a", ("a",)), (",,", ()), (["a", "b", 3], ("a", "b")),
    (None, ()), (42, ()),
])
def test_multi_select_and_comma_lists(typed: object, items: tuple[str, ...]) -> None:
    assert parse_list(typed) == items


def test_a_huge_list_is_read_only_so_far() -> None:
    assert len(parse_list(",".join(f"eier {i}" for i in range(100_000)), limit=40)) == 41


def test_clean_text_drops_control_characters_and_normalises() -> None:
    assert clean_text("  Lesing\x00 og\x1b skriving\r\n") == "Lesing og skriving"
    assert clean_text("e\u0301") == "\u00e9" and len(clean_text("e\u0301")) == 1
    assert clean_text("linje 1\r\nlinje 2") == "linje 1\nlinje 2"
    assert clean_text(["ikke", "tekst"]) == ""


# --- the header ----------------------------------------------------------------------


def test_a_good_header() -> None:
    header = parse_header({**GOOD_HEADER, "owners": "Åfjord kommune, Ørland kommune, "
                                                    "åfjord kommune"}, CATALOG)
    assert isinstance(header, Header)
    assert header.owners == ("Åfjord kommune", "Ørland kommune")
    assert header.cycle == "2026/2027" and header.scheme == CURRENT_SCHEME


def test_the_cycle_can_come_from_the_flow() -> None:
    raw = {k: v for k, v in GOOD_HEADER.items() if k != "cycle"}
    assert isinstance(parse_header(raw, CATALOG, cycle="2026/2027"), Header)
    assert parse_header(raw, CATALOG) == {"cycle": texts.UNKNOWN_CYCLE}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"scheme": "DEKOM"}, "scheme", "Velg en ordning for 2026/2027"),
    ({"cycle": "2024/2025", "scheme": "DEKOM"}, "cycle", "tar ikke imot nye"),
    ({"cycle": "1999/2000"}, "cycle", texts.UNKNOWN_CYCLE),
    ({"network_id": "atlantis"}, "network_id", texts.UNKNOWN_NETWORK),
    ({"uh_partner": "harvard"}, "uh_partner", texts.UNKNOWN_UH),
    ({"partnership_name": "F"}, "partnership_name", "minst 2 tegn"),
    ({"partnership_name": "p" * 130}, "partnership_name", "Partnerskapets navn er 130 tegn"),
    ({"owners": " , "}, "owners", "Eiere som deltar må fylles ut."),
    ({"owners": ",".join(f"Eier {i}" for i in range(41))}, "owners", "Høyst 40 eiere"),
    ({"owners": "o" * 121}, "owners", "høyst 120 tegn"),
    ({"owners": "o," * 1500}, "owners", "Eiere som deltar er 3000 tegn, maks 2000."),
    ({"contact_email": "kari at afjord"}, "contact_email", texts.BAD_EMAIL),
    ({"contact_email": "kari@afjord"}, "contact_email", texts.BAD_EMAIL),
    ({"contact_name": ""}, "contact_name", "Kontaktperson må fylles ut."),
])
def test_header_refusals(changes: dict, field: str, message: str) -> None:
    errors = parse_header({**GOOD_HEADER, **changes}, CATALOG)
    assert isinstance(errors, dict) and message in errors[field], errors


def test_an_old_report_can_keep_its_closed_cycle() -> None:
    raw = {**GOOD_HEADER, "cycle": "2025/2026", "scheme": "REKOM"}
    assert "cycle" in parse_header(raw, CATALOG)
    assert isinstance(parse_header(raw, CATALOG, require_open=False), Header)


def test_header_values_fill_the_form_again() -> None:
    header = parse_header(GOOD_HEADER, CATALOG)
    values = header_values(header)
    assert values["owners"] == "Åfjord kommune, Ørland kommune"
    assert parse_header(values, CATALOG) == header


# --- the measure ---------------------------------------------------------------------


def test_measure_values_fill_the_form_again() -> None:
    measure = parse_measure({**GOOD_MEASURE, "interdisciplinary": "true",
                             "interdisciplinary_how": "Med PPT"}, RULES)
    values = measure_values(measure)
    assert values["interdisciplinary"] == "true" and values["amount"] == "300 000"
    again = parse_measure(values, RULES)
    assert again.model_dump(exclude={"id"}) == measure.model_dump(exclude={"id"})


def test_a_wrong_toggle_value_is_named() -> None:
    errors = parse_measure({**GOOD_MEASURE, "continued": "kanskje"}, RULES)
    assert errors == {"continued": "Velg et av alternativene for Videreføres fra tidligere år."}


def test_a_missing_toggle_means_no() -> None:
    raw = {k: v for k, v in GOOD_MEASURE.items() if k not in ("continued",
                                                                "interdisciplinary")}
    measure = parse_measure(raw, RULES)
    assert isinstance(measure, Measure) and not measure.continued


def test_markdown_and_html_are_kept_literally_as_typed() -> None:
    title = "<script>alert(1)</script> **Lesing** [lenke](http://x)"
    measure = parse_measure({**GOOD_MEASURE, "title": title}, RULES)
    assert isinstance(measure, Measure) and measure.title == title


# --- garbage in ------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, [], "tekst", 42, 3.5, True, object(), {"x": 1},
                                 {None: "x"}, {1: 2}, {"title": ["a"]}, {"amount": {}}])
def test_garbage_gives_messages_not_exceptions(raw: object) -> None:
    measure = parse_measure(raw, RULES)
    header = parse_header(raw, CATALOG)
    assert isinstance(measure, dict) and measure["title"] == "Tittel må fylles ut."
    assert isinstance(header, dict) and set(header) <= KNOWN


def test_megabyte_strings_are_counted_not_stored() -> None:
    huge = "å" * MB
    errors = parse_measure({f: huge for f in MEASURE_FIELDS}, RULES)
    assert errors["title"] == f"Tittel er {MB} tegn, maks 120."
    assert errors["sami"] == f"Samiske perspektiver er {MB} tegn, maks 2000."
    assert errors["amount"] == texts.BAD_AMOUNT and "ÅÅÅÅ-MM-DD" in errors["period_start"]
    errors = parse_header({f: huge for f in HEADER_FIELDS}, CATALOG)
    assert errors["partnership_name"].startswith(f"Partnerskapets navn er {MB} tegn")
    assert errors["contact_email"] == texts.BAD_EMAIL


def test_markdown_and_html_everywhere_with_keys_missing() -> None:
    raw = {"title": "**fet** <b>html</b>", "need": "<img src=x onerror=alert(1)>",
           "amount": "<b>100</b>", "period_start": "<i>2027-01-04</i>",
           "areas": "<script>"}
    errors = parse_measure(raw, RULES)
    assert isinstance(errors, dict)
    assert errors["amount"] == texts.BAD_AMOUNT
    assert errors["areas"] == texts.BAD_AREAS
    assert "title" not in errors and "need" not in errors
    assert "sami" not in errors  # encouraged, not required


def test_typed_values_keep_what_was_typed_within_bounds() -> None:
    raw = {"title": "x" * 134, "amount": 150, "continued": True, "units": ["a", "b", 3],
           "need": "n" * MB, "sami": "med\x00null", "unknown": "ignored", "need_found": None}
    kept = typed_values(raw)
    assert kept["title"] == "x" * 134 and kept["amount"] == "150"
    assert kept["continued"] == "true" and kept["units"] == "a,b"
    assert len(kept["need"]) == TYPED_MAX and kept["sami"] == "mednull"
    assert "unknown" not in kept and "need_found" not in kept
    assert typed_values(None) == {} and typed_values("x") == {}


ANY = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=300),
              st.sampled_from(["true", "false", "2027-01-04", "2030-01-01", "300 000",
                               "skole", "barnehage,ppt", "KKU", "fosen", "ntnu", "2026/2027",
                               "**x**",
                               "<script>", "a,b"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=2),
    max_leaves=6,
)
KEYS = st.one_of(st.sampled_from(sorted({*MEASURE_FIELDS, *HEADER_FIELDS})),
                 st.text(max_size=20))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, ANY, max_size=25))
def test_property_any_dict_gives_a_model_or_messages(raw: dict) -> None:
    for result, model in ((parse_measure(raw, RULES), Measure),
                          (parse_header(raw, CATALOG), Header)):
        assert isinstance(result, model | dict)
        if isinstance(result, dict):
            assert result and set(result) <= KNOWN
            assert all(isinstance(m, str) and 0 < len(m) < 200 for m in result.values())
    kept = typed_values(raw)
    assert all(isinstance(v, str) and len(v) <= TYPED_MAX for v in kept.values())


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({f: st.text(max_size=40) for f in GOOD_MEASURE}))
def test_property_strings_in_every_field_never_raise(raw: dict) -> None:
    result = parse_measure(raw, RULES)
    if isinstance(result, Measure):  # whatever got through obeys every rule
        assert RULES.start <= result.period_start <= result.period_end <= RULES.end
        assert 1 <= result.amount <= RULES.max_amount
