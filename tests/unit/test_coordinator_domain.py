"""The coordinator's pure parts: the overview, the history lines, the workbook, the links."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl

from domain.links import derive_secret, signature, valid
from domain.needs.catalog import load_schemes
from domain.needs.history import changes
from domain.needs.models import Header, Measure, NeedsReport
from domain.needs.overview import network_status, pick_scheme
from domain.needs.workbook import CompiledReport, compiled_workbook

RULES = load_schemes().cycles[0]
WHEN = datetime(2026, 12, 10, 8, 30, tzinfo=UTC)


def header(name: str, scheme: str = "KKUS") -> Header:
    return Header(cycle=RULES.id, scheme=scheme, network_id="fosen", partnership_name=name,
                  owners=("Åfjord kommune",), uh_partner="ntnu", contact_name="Kari Nordmann",
                  contact_email="kari@afjord.kommune.no")


def measure(title: str, amount: int = 100_000, **extra) -> Measure:
    fields = dict(title=title, need="Lesing", need_found="Kartlegging", target_group="skole",
                  staff_groups="Lærere", units="Alle", uh_role="Veileder", inclusion="Ja",
                  sami="Vurdert med eierne", interdisciplinary=False, continued=False,
                  period_start=date(2027, 1, 1), period_end=date(2027, 12, 31), amount=amount)
    return Measure(**{**fields, **extra})


def report(name: str, titles: list[str], *, submitted: bool, scheme: str = "KKUS",
           late: bool = False) -> NeedsReport:
    made = NeedsReport(header=header(name, scheme))
    for i, title in enumerate(titles):
        made.add_measure(measure(title, 100_000 * (i + 1)), rules=RULES)
    if submitted:
        made.submit(WHEN, datetime(2026, 12, 1 if late else 15, tzinfo=UTC))
        made.reference = f"BM-2026-FOS-{scheme}-000{len(titles)}"
    return made


def test_overview_groups_each_scheme() -> None:
    done = report("Fosen skoler", ["A", "B"], submitted=True)
    late = report("Osen", ["C"], submitted=True, late=True)
    draft = report("Ørland oppvekst", ["D"], submitted=False)
    other_cycle = report("Gammel", ["E"], submitted=False)
    other_cycle.header = other_cycle.header.model_copy(update={"cycle": "2025/2026"})
    status = network_status(
        network="Fosen", cycle=RULES.id, schemes=RULES.schemes,
        reports=[(done, WHEN), (late, WHEN), (draft, WHEN), (other_cycle, WHEN)],
        partnerships=["fosen  SKOLER", "Bjugn barnehager"], deadline=date(2026, 12, 15),
        today=date(2026, 12, 8))
    kkub, kkus = status.schemes
    assert (kkub.code, kkus.code) == ("KKUB", "KKUS")
    assert [x.partnership for x in kkus.submitted] == ["Fosen skoler", "Osen"]
    assert kkus.submitted[1].late and kkus.total_submitted == 400_000
    assert [x.partnership for x in kkus.in_progress] == ["Ørland oppvekst"]
    assert kkus.not_started == ("Bjugn barnehager",)  # "fosen  SKOLER" is Fosen skoler
    assert set(kkub.not_started) == {"Bjugn barnehager", "fosen  SKOLER", "Osen",
                                     "Ørland oppvekst"}
    assert "Gammel" not in str(status)


def test_pick_scheme() -> None:
    assert pick_scheme("kkus", RULES.schemes).code == "KKUS"
    assert pick_scheme("Fosen", RULES.schemes) is None
    assert pick_scheme("", RULES.schemes) is None


def test_history_lines() -> None:
    first = report("Fosen skoler", [], submitted=False)
    assert changes(None, first) == ["Opprettet for KKUS 2026/2027"]
    second = first.model_copy(deep=True)
    added = second.add_measure(measure("Lesing"), rules=RULES)
    assert changes(first, second) == ["La til tiltaket «Lesing» (100\xa0000\xa0kr)"]
    third = second.model_copy(deep=True)
    third.replace_measure(added.id, measure("Lesing", 150_000, sami="Samisk språk"),
                          rules=RULES)
    assert changes(second, third) == ["Endret tiltaket «Lesing»: samiske perspektiver, "
                                      "beløp (kr)"]
    fourth = third.model_copy(deep=True)
    fourth.submit(WHEN, None)
    fourth.reference = "BM-2026-FOS-KKUS-0001"
    assert changes(third, fourth) == ["Status: utkast → sendt inn",
                                      "Fikk referansen BM-2026-FOS-KKUS-0001"]
    fifth = fourth.model_copy(deep=True)
    fifth.reopen(WHEN, None)
    fifth.remove_measure(added.id)
    assert changes(fourth, fifth) == ["Fjernet tiltaket «Lesing»",
                                      "Status: sendt inn → gjenåpnet"]


def workbook(items: list[CompiledReport]) -> openpyxl.Workbook:
    body = compiled_workbook(items, schemes=RULES.schemes, network="Fosen", cycle=RULES.id,
                             uh_names={"ntnu": "NTNU"}, generated_at=WHEN)
    return openpyxl.load_workbook(io.BytesIO(body))


def test_workbook_sheets_rows_and_totals() -> None:
    kkus = report("Fosen skoler", ["A", "B", "C"], submitted=True)
    kkub = report("Fosen barnehager", ["D"], submitted=True, scheme="KKUB", late=True)
    reopened = report("Osen", ["E"], submitted=True)
    wb = workbook([CompiledReport(kkus, 5), CompiledReport(kkub, 3),
                   CompiledReport(reopened, 2, reopened=True)])
    assert wb.sheetnames == ["Oversikt", "KKUB", "KKUS"]
    sheet = wb["KKUS"]
    head = [c.value for c in sheet[1]]
    assert head[-1] == "Nettverkets vurdering" and "Samiske perspektiver" in head
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert [(r["Partnerskap"], r["Tittel"]) for r in rows] == [
        ("Fosen skoler", "A"), ("Fosen skoler", "B"), ("Fosen skoler", "C"), ("Osen", "E")]
    assert [r["Tiltak nr."] for r in rows] == [1, 2, 3, 1]
    assert rows[0]["UH-partner"] == "NTNU" and rows[0]["Periode fra"] == datetime(2027, 1, 1)
    assert rows[3]["Status"] == "sendt inn (gjenåpnet, endringer pågår)"
    assert rows[0]["Sendt inn"] == datetime(2026, 12, 10, 9, 30)  # Oslo wall time
    assert wb["KKUB"]["W2"].value == "Ja"  # late
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(head)).column_letter}5"
    summary = [[c.value for c in r][:6] for r in wb["Oversikt"].iter_rows(min_row=2)]
    assert ["KKUS", "Sum KKUS", None, None, 4, 700_000] in summary
    assert ["KKUB", "Sum KKUB", None, None, 1, 100_000] in summary
    assert [None, "Sum alle ordninger", None, None, 5, 800_000] in summary
    assert wb["Oversikt"].column_dimensions["B"].width == 28


def test_typed_text_stays_text_in_the_workbook() -> None:
    hostile = report("=HYPERLINK(\"http://x\")", [], submitted=False)
    hostile.add_measure(measure("=1+1", need="@SUM(A1)\x07"), rules=RULES)
    hostile.submit(WHEN, None)
    wb = workbook([CompiledReport(hostile, 3)])
    row = wb["KKUS"][2]
    cells = {c.value: c.data_type for c in row if isinstance(c.value, str)}
    assert cells["=1+1"] == "s" and cells["=HYPERLINK(\"http://x\")"] == "s"
    assert "@SUM(A1)" in cells  # the control character is dropped, not a crash


def test_links_detect_any_change() -> None:
    key = derive_secret("hemmelig", "kompis-export-link")
    assert key != derive_secret("hemmelig", "other") and len(key) == 32
    sig = signature(key, "export", "abc", "fosen", "2026/2027", "", "1700000000")
    assert valid(key, sig, "export", "abc", "fosen", "2026/2027", "", "1700000000")
    assert not valid(key, sig, "export", "abc", "gauldal", "2026/2027", "", "1700000000")
    assert not valid(key, sig, "export", "abc", "fosen", "2026/2027", "", "1700003600")
    # parts cannot shift into each other
    assert signature(key, "ab", "c") != signature(key, "a", "bc")
    assert not valid(derive_secret("annen", "kompis-export-link"), sig, "export", "abc",
                     "fosen", "2026/2027", "", "1700000000")
    assert not valid(key, "ø" * 64, "export")
