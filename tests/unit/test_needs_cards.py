"""Every needs-report card, with representative data, against the Teams card rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cards import needs as cards
from cards.check import check_card
from domain.needs.catalog import load_schemes
from domain.needs.forms import parse_measure
from domain.needs.models import Header, Measure, NeedsReport
from tests.unit.test_needs_domain import GOOD

RULES = load_schemes().cycle("2026/2027")


def report(measures: int) -> NeedsReport:
    r = NeedsReport(header=Header(
        cycle="2026/2027", scheme="KKUS", network_id="fosen",
        partnership_name="Fosen [lenke](http://x) skoler", owners=("Åfjord", "Ørland"),
        uh_partner="ntnu", contact_name="Kari", contact_email="kari@afjord.kommune.no"))
    for i in range(measures):
        m = parse_measure({**GOOD, "title": f"Tiltak {i} *viktig*"}, RULES)
        assert isinstance(m, Measure)
        r.add_measure(m, max_measures=5)
    return r


def test_every_needs_card() -> None:
    choices = [("a", "A"), ("b", "B")]
    full, empty = report(5), report(0)
    submitted = report(2)
    submitted.submit(datetime(2026, 12, 20, tzinfo=UTC), datetime(2026, 12, 15, tzinfo=UTC))
    submitted.reference = "BM-2026-FOS-KKUS-0003"
    built = {
        "header": cards.header_card(cycle="2026/2027", schemes=choices, networks=choices,
                                    uh_partners=choices),
        "header_errors": cards.header_card(cycle="2026/2027", schemes=choices, networks=choices,
                                           uh_partners=choices, values={"scheme": "a"},
                                           errors={"partnership_name": "Må fylles ut."}),
        "measure": cards.measure_card(empty),
        "measure_edit": cards.measure_card(full, values=cards.measure_values(full.measures[0]),
                                           measure_id=full.measures[0].id,
                                           errors={"amount": "Beløpet må være …"}),
        "review_empty": cards.review_card(empty, max_measures=5, deadline=date(2026, 12, 15),
                                          today=date(2026, 12, 1), network="Fosen", uh="NTNU"),
        "review_full": cards.review_card(full, max_measures=5, deadline=None,
                                         today=date(2026, 12, 1), network="Fosen", uh="NTNU",
                                         notice="Lagret."),
        "review_submitted": cards.review_card(submitted, max_measures=5, deadline=None,
                                              today=date(2026, 12, 1), network="Fosen",
                                              uh="NTNU"),
        "review_read_only": cards.review_card(full, max_measures=5, deadline=None,
                                              today=date(2026, 12, 1), network="Fosen",
                                              uh="NTNU", read_only=True),
        "confirm": cards.confirm_card(full),
        "receipt": cards.receipt_card(submitted, network="Fosen"),
        "notice": cards.coordinator_notice_card(submitted, network="Fosen"),
        "list": cards.reports_card([(full, "Fosen"), (submitted, "Fosen")],
                                   updated={full.id: datetime(2026, 12, 1, tzinfo=UTC)}),
        "list_empty": cards.reports_card([], updated={}),
    }
    for card in built.values():
        check_card(card)
    assert "Legg til tiltak" not in str(built["review_full"])
    assert "Legg til tiltak" in str(built["review_empty"])
    assert "Endre" not in str(built["review_read_only"])
    assert "for sent" in str(built["receipt"])
    assert "[lenke](http" not in str(built["review_full"])  # typed markdown shown literally
    assert "Beløpet må være" in str(built["measure_edit"])
