"""Needs reports as data for the unit tests: a good header and measure as a partnership
types them, and reports built from them through the domain's own parsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.needs.catalog import load_catalog
from domain.needs.forms import parse_header, parse_measure
from domain.needs.models import Header, Measure, NeedsReport
from tests.support.needs import CURRENT_SCHEME

CATALOG = load_catalog()
RULES = CATALOG.cycle("2026/2027")
DEADLINE = datetime(2026, 12, 15, 23, 59, 59, tzinfo=UTC)
BEFORE = datetime(2026, 12, 10, 12, tzinfo=UTC)
AFTER = DEADLINE + timedelta(seconds=1)

GOOD_HEADER = {
    "cycle": "2026/2027", "scheme": CURRENT_SCHEME, "network_id": "fosen",
    "partnership_name": "Fosen skoler", "owners": "Åfjord kommune, Ørland kommune",
    "uh_partner": "ntnu", "contact_name": "Kari Nordmann",
    "contact_email": "kari@afjord.kommune.no",
}
GOOD_MEASURE = {
    "title": "Lesing på tvers av fag", "need": "Lesing i alle fag må styrkes.",
    "need_found": "Nasjonale prøver og kartlegging høsten 2026.", "areas": "skole",
    "staff_groups": "Lærere og ledere", "units": "Alle skolene i Åfjord og Ørland",
    "uh_role": "NTNU leder samlinger og veileder lærerteamene.",
    "inclusion": "Tillitsvalgte og PPT var med i analysen.",
    "sami": "Ikke aktuelt fordi ingen av skolene har samiske elever; vurdert med eierne.",
    "interdisciplinary": "false", "interdisciplinary_how": "", "continued": "false",
    "period_start": "2027-01-04", "period_end": "2027-12-17", "amount": "300 000",
}


def make_header(**changes: str) -> Header:
    header = parse_header({**GOOD_HEADER, **changes}, CATALOG)
    assert isinstance(header, Header), header
    return header


def make_measure(**changes: str) -> Measure:
    measure = parse_measure({**GOOD_MEASURE, **changes}, RULES)
    assert isinstance(measure, Measure), measure
    return measure


def make_report(measures: int = 0, **header: str) -> NeedsReport:
    report = NeedsReport(header=make_header(**header))
    for i in range(measures):
        report.add_measure(make_measure(title=f"Tiltak {i + 1}"), rules=RULES)
    return report
