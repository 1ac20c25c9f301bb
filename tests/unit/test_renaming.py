"""The rules of renaming a partnership, without a bot or a database."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.needs.models import Header, NeedsReport
from domain.needs.renaming import ever_submitted, name_problem, reports_phrase

HEADER = Header(cycle="2026/2027", scheme="KKUS", network_id="fosen",
                partnership_name="Fosen barnehgaer", owners=("Åfjord kommune",),
                uh_partner="ntnu", contact_name="Kari Nordmann",
                contact_email="kari@afjord.kommune.no")
OTHERS = ["Ørland oppvekst", "Indre Fosen skoler"]


def test_a_new_name_that_is_free_is_accepted() -> None:
    assert name_problem("Fosen barnehager", "Fosen barnehgaer", OTHERS, "Fosen") is None
    # capitals only: the same partnership, a new spelling
    assert name_problem("Fosen Barnehgaer", "Fosen barnehgaer", OTHERS, "Fosen") is None


def test_taken_lookalike_same_and_length_are_refused() -> None:
    taken = name_problem("ørland OPPVEKST", "Fosen barnehgaer", OTHERS, "Fosen")
    assert taken is not None and "«Ørland oppvekst»" in taken
    cyrillic = name_problem("Ørl\u0430nd oppvekst", "Fosen barnehgaer", OTHERS, "Fosen")
    assert cyrillic is not None and "ligner for mye på «Ørland oppvekst»" in cyrillic
    same = name_problem("Fosen barnehgaer", "Fosen barnehgaer", OTHERS, "Fosen")
    assert same is not None and "heter det allerede" in same
    assert name_problem("F", "Fosen barnehgaer", OTHERS, "Fosen") is not None
    shown = name_problem("Ørland oppvekst", "x y", OTHERS, "Fosen", lambda n: f"<{n}>")
    assert shown is not None and "«<Ørland oppvekst>»" in shown


def test_submitted_once_counts_also_when_reopened() -> None:
    draft = NeedsReport(header=HEADER)
    assert not ever_submitted([draft])
    sent = NeedsReport(header=HEADER, status="sendt inn",
                       submitted_at=datetime(2026, 12, 1, tzinfo=UTC))
    reopened = NeedsReport(header=HEADER, status="gjenåpnet", reference="BM-2026-FOS-KKUS-0001")
    assert ever_submitted([draft, sent]) and ever_submitted([reopened])


def test_rename_bumps_the_version_and_cleans_the_name() -> None:
    report = NeedsReport(header=HEADER)
    report.rename_partnership("Fosen\u200b barnehager ")
    assert report.header.partnership_name == "Fosen barnehager" and report.version == 2
    assert reports_phrase(0) == "Ingen behovsmeldinger" and reports_phrase(3).startswith("3 ")
