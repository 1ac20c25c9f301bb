"""The coordinator's pure parts: the overview, the history lines, the workbook, the links."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl

from domain.links import derive_secret, signature, valid
from domain.needs.catalog import load_schemes
from domain.needs.history import changes
from domain.needs.models import Header, Measure, NeedsReport
from domain.needs.overview import network_status, partnership_areas, pick_scheme
from domain.needs.workbook import CompiledReport, compiled_workbook
from tests.support.needs import CURRENT_SCHEME, OLD_CYCLE

CATALOG = load_schemes()
RULES = CATALOG.cycles[0]
OLD = CATALOG.cycle(OLD_CYCLE)
WHEN = datetime(2026, 12, 10, 8, 30, tzinfo=UTC)


def header(name: str, scheme: str = CURRENT_SCHEME, cycle: str = RULES.id) -> Header:
    return Header(cycle=cycle, scheme=scheme, network_id="fosen", partnership_name=name,
                  owners=("Åfjord kommune",), uh_partner="ntnu", contact_name="Kari Nordmann",
                  contact_email="kari@afjord.kommune.no")


def measure(title: str, amount: int = 100_000, **extra) -> Measure:
    fields = dict(title=title, need="Lesing", need_found="Kartlegging", areas=("skole",),
                  staff_groups="Lærere", units="Alle", uh_role="Veileder", inclusion="Ja",
                  sami="Vurdert med eierne", interdisciplinary=False, continued=False,
                  period_start=date(2027, 1, 1), period_end=date(2027, 12, 31), amount=amount)
    return Measure(**{**fields, **extra})


def report(name: str, titles: list[str], *, submitted: bool, scheme: str = CURRENT_SCHEME,
           late: bool = False, cycle: str = RULES.id, areas: tuple = ("skole",)) -> NeedsReport:
    made = NeedsReport(header=header(name, scheme, cycle))
    for i, title in enumerate(titles):
        made.add_measure(measure(title, 100_000 * (i + 1), areas=areas),
                         rules=CATALOG.cycle(cycle))
    if submitted:
        made.submit(WHEN, datetime(2026, 12, 1 if late else 15, tzinfo=UTC))
        made.reference = f"BM-2026-FOS-{scheme}-000{len(titles)}"
    return made


def test_one_scheme_counts_each_partnership_once() -> None:
    """2026/2027: a kindergarten, a school and a PPT partnership all report to the one
    scheme; each is counted once, and none is missing for a scheme it has no part in."""
    done = report("Fosen skoler", ["A", "B"], submitted=True)
    late = report("Osen", ["C"], submitted=True, late=True, areas=("barnehage", "skole"))
    draft = report("Ørland oppvekst", ["D"], submitted=False, areas=("ppt",))
    other_cycle = report("Gammel", ["E"], submitted=False, cycle=OLD_CYCLE, scheme="DEKOM")
    status = network_status(
        network="Fosen", cycle=RULES.id, schemes=RULES.schemes,
        reports=[(done, WHEN), (late, WHEN), (draft, WHEN), (other_cycle, WHEN)],
        partnerships=["fosen  SKOLER", "Bjugn barnehager"], deadline=date(2026, 12, 15),
        today=date(2026, 12, 8))
    (kku,) = status.schemes
    assert kku.code == CURRENT_SCHEME and not status.by_field and status.field_unknown == ()
    assert [x.partnership for x in kku.submitted] == ["Fosen skoler", "Osen"]
    assert kku.submitted[1].late and kku.total_submitted == 400_000
    assert [x.partnership for x in kku.in_progress] == ["Ørland oppvekst"]
    assert kku.not_started == ("Bjugn barnehager",)  # "fosen  SKOLER" is Fosen skoler
    assert (status.partnerships, status.submitted_partnerships) == (4, 2)
    assert "Gammel" not in str(status)


def test_reports_under_kkub_or_kkus_count_as_the_one_scheme() -> None:
    """A report stored as KKUB or KKUS before the change (migration 0010 leaves a pair
    of them) is shown under KKU, and its partnership is counted once."""
    kkub = report("Fosen oppvekst", ["A"], submitted=True, scheme="KKUB")
    kkus = report("Fosen oppvekst", ["B"], submitted=False, scheme="KKUS")
    status = network_status(
        network="Fosen", cycle=RULES.id, schemes=RULES.schemes,
        reports=[(kkub, WHEN), (kkus, WHEN)], partnerships=["Fosen oppvekst", "Osen"],
        deadline=None, today=date(2026, 12, 8))
    (kku,) = status.schemes
    assert [x.report_id for x in kku.submitted] == [kkub.id]
    assert [x.report_id for x in kku.in_progress] == [kkus.id]
    assert kku.not_started == ("Osen",) and status.partnerships == 2


def test_several_schemes_list_a_partnership_only_where_its_field_belongs() -> None:
    """2025/2026 had Dekom (skole), Rekom (barnehage) and Kompetanseløftet (all): a
    kindergarten partnership is not missing under Dekom, and one whose field no report
    shows is listed once, on its own."""
    history = [report("Fosen barnehager", ["A"], submitted=True, scheme="REKOM",
                      cycle="2024/2025", areas=("barnehage",)),
               report("Fosen skoler", ["B"], submitted=True, scheme="DEKOM",
                      cycle="2024/2025"),
               report("Osen PPT", ["C"], submitted=True, scheme="KOMPL", cycle="2024/2025",
                      areas=("ppt",)),
               report("Ukjent", [], submitted=False, scheme="KOMPL", cycle="2024/2025")]
    started = report("Fosen skoler", ["D"], submitted=False, scheme="DEKOM", cycle=OLD_CYCLE)
    areas = partnership_areas([*history, started], CATALOG.cycles)
    assert areas["fosen barnehager"] == {"barnehage"} and areas["ukjent"] == frozenset()
    status = network_status(
        network="Fosen", cycle=OLD_CYCLE, schemes=OLD.schemes, reports=[(started, WHEN)],
        partnerships=[r.header.partnership_name for r in history], deadline=None,
        today=date(2026, 1, 8), areas=areas)
    dekom, rekom, kompl = status.schemes
    assert status.by_field and status.field_unknown == ("Ukjent",)
    assert dekom.not_started == () and [x.partnership for x in dekom.in_progress] == [
        "Fosen skoler"]
    assert rekom.not_started == ("Fosen barnehager",)
    assert kompl.not_started == ("Fosen barnehager", "Fosen skoler", "Osen PPT")
    assert status.partnerships == 4
    only_rekom = network_status(
        network="Fosen", cycle=OLD_CYCLE, schemes=(OLD.scheme("REKOM"),),
        all_schemes=OLD.schemes, reports=[(started, WHEN)],
        partnerships=[r.header.partnership_name for r in history], deadline=None,
        today=date(2026, 1, 8), areas=areas)
    assert only_rekom.by_field and only_rekom.schemes[0].not_started == ("Fosen barnehager",)


def test_pick_scheme() -> None:
    assert pick_scheme("kku", RULES.schemes).code == CURRENT_SCHEME
    assert pick_scheme("KKUS", RULES.schemes).code == CURRENT_SCHEME  # an older name
    assert pick_scheme("dekom", OLD.schemes).code == "DEKOM"
    assert pick_scheme("Fosen", RULES.schemes) is None
    assert pick_scheme("", RULES.schemes) is None


def test_history_lines() -> None:
    first = report("Fosen skoler", [], submitted=False)
    assert changes(None, first) == [f"Opprettet for {CURRENT_SCHEME} 2026/2027"]
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
    fourth.reference = "BM-2026-FOS-KKU-0001"
    assert changes(third, fourth) == ["Status: utkast → sendt inn",
                                      "Fikk referansen BM-2026-FOS-KKU-0001"]
    fifth = fourth.model_copy(deep=True)
    fifth.reopen(WHEN, None)
    fifth.remove_measure(added.id)
    assert changes(fourth, fifth) == ["Fjernet tiltaket «Lesing»",
                                      "Status: sendt inn → gjenåpnet"]


def workbook(items: list[CompiledReport], rules=RULES) -> openpyxl.Workbook:
    body = compiled_workbook(items, schemes=rules.schemes, network="Fosen", cycle=rules.id,
                             uh_names={"ntnu": "NTNU"}, generated_at=WHEN)
    return openpyxl.load_workbook(io.BytesIO(body))


def test_workbook_has_one_sheet_with_the_fields_of_each_measure() -> None:
    cross = report("Fosen oppvekst", ["A"], submitted=True, areas=("barnehage", "skole", "ppt"))
    older = report("Osen", ["B"], submitted=True, scheme="KKUB", areas=("barnehage",))
    wb = workbook([CompiledReport(cross, 3), CompiledReport(older, 3)])
    assert wb.sheetnames == ["Oversikt", CURRENT_SCHEME]
    sheet = wb[CURRENT_SCHEME]
    head = [c.value for c in sheet[1]]
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert [(r["Partnerskap"], r["Felt tiltaket gjelder"]) for r in rows] == [
        ("Fosen oppvekst", "barnehage, skole og PPT/tjenester rundt barna"),
        ("Osen", "barnehage")]


def test_workbook_sheets_rows_and_totals() -> None:
    """A cycle with several schemes (2025/2026): a sheet per scheme and totals."""
    dekom = report("Fosen skoler", ["A", "B", "C"], submitted=True, scheme="DEKOM",
                   cycle=OLD_CYCLE)
    rekom = report("Fosen barnehager", ["D"], submitted=True, scheme="REKOM", late=True,
                   cycle=OLD_CYCLE, areas=("barnehage",))
    reopened = report("Osen", ["E"], submitted=True, scheme="DEKOM", cycle=OLD_CYCLE)
    wb = workbook([CompiledReport(dekom, 5), CompiledReport(rekom, 3),
                   CompiledReport(reopened, 2, reopened=True)], OLD)
    assert wb.sheetnames == ["Oversikt", "DEKOM", "REKOM", "KOMPL"]
    sheet = wb["DEKOM"]
    head = [c.value for c in sheet[1]]
    assert head[-1] == "Nettverkets vurdering" and "Samiske perspektiver" in head
    rows = [dict(zip(head, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert [(r["Partnerskap"], r["Tittel"]) for r in rows] == [
        ("Fosen skoler", "A"), ("Fosen skoler", "B"), ("Fosen skoler", "C"), ("Osen", "E")]
    assert [r["Tiltak nr."] for r in rows] == [1, 2, 3, 1]
    assert rows[0]["UH-partner"] == "NTNU" and rows[0]["Periode fra"] == datetime(2027, 1, 1)
    assert rows[0]["Felt tiltaket gjelder"] == "skole"
    assert rows[3]["Status"] == "sendt inn (gjenåpnet, endringer pågår)"
    assert rows[0]["Sendt inn"] == datetime(2026, 12, 10, 9, 30)  # Oslo wall time
    late = head.index("For sent") + 1
    assert wb["REKOM"].cell(2, late).value == "Ja"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(head)).column_letter}5"
    summary = [[c.value for c in r][:6] for r in wb["Oversikt"].iter_rows(min_row=2)]
    assert ["DEKOM", "Sum DEKOM", None, None, 4, 700_000] in summary
    assert ["REKOM", "Sum REKOM", None, None, 1, 100_000] in summary
    assert [None, "Sum alle ordninger", None, None, 5, 800_000] in summary
    assert wb["Oversikt"].column_dimensions["B"].width == 28


def test_typed_text_stays_text_in_the_workbook() -> None:
    hostile = report("=HYPERLINK(\"http://x\")", [], submitted=False)
    hostile.add_measure(measure("=1+1", need="@SUM(A1)\x07"), rules=RULES)
    hostile.submit(WHEN, None)
    wb = workbook([CompiledReport(hostile, 3)])
    row = wb[CURRENT_SCHEME][2]
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


def test_the_status_card_says_how_a_partnership_is_placed() -> None:
    """With several schemes the card says each one's fields and how a partnership's field
    is known, and lists the unplaced once; with one scheme it counts each once."""
    from cards.check import check_card
    from cards.coordinator import status_card
    from tests.support.cards import card_texts

    history = [report("Fosen barnehager", ["A"], submitted=True, scheme="REKOM",
                      cycle="2024/2025", areas=("barnehage",)),
               report("Ukjent", [], submitted=False, scheme="KOMPL", cycle="2024/2025")]
    several = check_card(status_card(network_status(
        network="Fosen", cycle=OLD_CYCLE, schemes=OLD.schemes, reports=[],
        partnerships=["Fosen barnehager", "Ukjent"], deadline=None, today=date(2026, 1, 8),
        areas=partnership_areas(history, CATALOG.cycles))))
    said = card_texts(several)
    assert "Gjelder skole." in said and "Gjelder barnehage." in said
    assert "slik tidligere behovsmeldinger viser" in said
    assert "Ikke startet, felt ukjent (1)" in said and said.count("Ukjent") == 1
    assert "2 partnerskap i nettverket, hvert talt én gang: 0 har sendt inn." in said
    one = card_texts(check_card(status_card(network_status(
        network="Fosen", cycle=RULES.id, schemes=RULES.schemes, reports=[],
        partnerships=["Fosen barnehager", "Ukjent"], deadline=None, today=date(2026, 12, 8)))))
    assert "Gjelder" not in one and "felt ukjent" not in one and "Ikke startet (2)" in one
