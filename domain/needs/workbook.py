"""The compiled needs report of a network: an .xlsx workbook, made with openpyxl.

The coordinator sends one compiled needs report per scheme; until now it was a sheet
assembled by hand from e-mails. One sheet per scheme has one row per measure of every
submitted report; «Oversikt» has one row per partnership and scheme with totals.
Everything a partnership typed goes in as text (never as a formula), amounts as numbers
in kroner, times in Oslo time (Excel has no time zones).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.needs import texts
from domain.needs.catalog import Scheme
from domain.needs.models import NeedsReport
from domain.norsk import OSLO

NOK = '#,##0 "kr"'
DATE = "dd.mm.yyyy"
DATETIME = "dd.mm.yyyy hh:mm"
SUMMARY_SHEET = "Oversikt"
YES, NO = "Ja", "Nei"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    number_format: str | None = None
    wrap: bool = False


MEASURE_COLUMNS = (
    Column("Referanse", 24), Column("Partnerskap", 28), Column("Eiere", 32, wrap=True),
    Column("UH-partner", 28), Column("Tiltak nr.", 9), Column(texts.LABELS["title"], 36),
    Column(texts.LABELS["need"], 48, wrap=True), Column(texts.LABELS["need_found"], 40, wrap=True),
    Column(texts.LABELS["areas"], 22, wrap=True),
    Column(texts.LABELS["staff_groups"], 30, wrap=True),
    Column(texts.LABELS["units"], 30, wrap=True), Column(texts.LABELS["uh_role"], 40, wrap=True),
    Column(texts.LABELS["inclusion"], 40, wrap=True), Column(texts.LABELS["sami"], 40, wrap=True),
    Column(texts.LABELS["interdisciplinary"], 11),
    Column(texts.LABELS["interdisciplinary_how"], 36, wrap=True),
    Column("Nytt eller videreført", 14), Column(texts.LABELS["period_start"], 12, DATE),
    Column(texts.LABELS["period_end"], 12, DATE), Column(texts.LABELS["amount"], 14, NOK),
    Column("Sendt inn", 17, DATETIME), Column("Versjon", 9), Column("For sent", 9),
    Column("Status", 16), Column(texts.LABELS["contact_name"], 24),
    Column(texts.LABELS["contact_email"], 30), Column("Nettverkets vurdering", 40, wrap=True),
)
SUMMARY_COLUMNS = (
    Column("Ordning", 10), Column("Partnerskap", 28), Column("Status", 18),
    Column("Referanse", 24), Column("Antall tiltak", 13), Column("Sum søkt (kr)", 16, NOK),
    Column("Sendt inn", 17, DATETIME), Column("For sent", 9), Column("Versjon", 9),
)


@dataclass(frozen=True)
class CompiledReport:
    """A report as it goes into the compilation: the submitted version's snapshot.

    For a report reopened after submitting, that is the last submitted version, and
    `reopened` says changes are under way.
    """

    report: NeedsReport
    version: int
    reopened: bool = False


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(OSLO).replace(tzinfo=None) if moment else None


CellValue = str | int | float | bool | date | datetime | None


def _put(ws: Worksheet, row: int, values: Sequence[CellValue],
         columns: Sequence[Column]) -> None:
    for col, (value, spec) in enumerate(zip(values, columns, strict=True), start=1):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value) or None
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # typed text such as '=HYPERLINK(…)' stays text
        if spec.number_format and isinstance(value, int | float | date):
            cell.number_format = spec.number_format
        if spec.wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            cell.alignment = Alignment(vertical="top")


def _sheet(ws: Worksheet, columns: Sequence[Column]) -> None:
    """Header row in bold, frozen, filterable; widths as the content needs."""
    for col, spec in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=spec.title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = spec.width
    ws.freeze_panes = "A2"


def _status(item: CompiledReport) -> str:
    status = item.report.status.value
    return f"{status} (gjenåpnet, endringer pågår)" if item.reopened else status


def _belongs(report: NeedsReport, scheme: Scheme, schemes: Sequence[Scheme]) -> bool:
    """The report is of `scheme`, or of a code the scheme took over in the cycle (KKUB
    or KKUS -> KKU) that no other listed scheme has."""
    code = report.header.scheme
    if code == scheme.code:
        return True
    return code not in {s.code for s in schemes} and \
        code in {f.upper() for f in scheme.former}


def compiled_workbook(items: Sequence[CompiledReport], *, schemes: Sequence[Scheme],
                      network: str, cycle: str, uh_names: dict[str, str],
                      generated_at: datetime,
                      assessments: Mapping[str, str] | None = None) -> bytes:
    """The workbook as bytes: «Oversikt» first, then one sheet per scheme in `schemes`.

    Only submitted versions are compiled; the caller passes them (see CompiledReport).
    `assessments` fills «Nettverkets vurdering»: '<report id>/<measure id>' -> text.
    """
    assessments = assessments or {}
    wb = Workbook()
    summary = wb.active
    if not isinstance(summary, Worksheet):  # a new workbook starts with one worksheet
        raise TypeError("openpyxl gave no worksheet")
    summary.title = SUMMARY_SHEET
    _sheet(summary, SUMMARY_COLUMNS)
    row_in_summary = 2
    for scheme in schemes:
        ws = wb.create_sheet(scheme.code[:31])
        _sheet(ws, MEASURE_COLUMNS)
        row = 2
        chosen = sorted((i for i in items if _belongs(i.report, scheme, schemes)),
                        key=lambda i: i.report.header.partnership_name.casefold())
        for item in chosen:
            report, h = item.report, item.report.header
            uh = uh_names.get(h.uh_partner, h.uh_partner)
            for n, m in enumerate(report.measures, start=1):
                _put(ws, row, (
                    report.reference or "", h.partnership_name, ", ".join(h.owners), uh, n,
                    m.title, m.need, m.need_found, texts.join_areas(m.areas),
                    m.staff_groups, m.units, m.uh_role, m.inclusion, m.sami,
                    YES if m.interdisciplinary else NO, m.interdisciplinary_how,
                    "Videreført" if m.continued else "Nytt", m.period_start, m.period_end,
                    m.amount, _local(report.submitted_at), item.version,
                    YES if report.late else NO, _status(item), h.contact_name,
                    h.contact_email, assessments.get(f"{report.id}/{m.id}", "")),
                     MEASURE_COLUMNS)
                row += 1
            _put(summary, row_in_summary, (
                scheme.code, h.partnership_name, _status(item), report.reference or "",
                len(report.measures), report.total_amount, _local(report.submitted_at),
                YES if report.late else NO, item.version), SUMMARY_COLUMNS)
            row_in_summary += 1
        if chosen:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(MEASURE_COLUMNS))}{row - 1}"
        _put(summary, row_in_summary, (
            scheme.code, f"Sum {scheme.code}", "", "",
            sum(len(i.report.measures) for i in chosen),
            sum(i.report.total_amount for i in chosen), None, "", None), SUMMARY_COLUMNS)
        for col in range(1, len(SUMMARY_COLUMNS) + 1):
            summary.cell(row=row_in_summary, column=col).font = BOLD
        row_in_summary += 2
    chosen_all = [i for i in items if any(_belongs(i.report, s, schemes) for s in schemes)]
    _put(summary, row_in_summary, (
        "", "Sum alle ordninger", "", "", sum(len(i.report.measures) for i in chosen_all),
        sum(i.report.total_amount for i in chosen_all), None, "", None), SUMMARY_COLUMNS)
    for col in range(1, len(SUMMARY_COLUMNS) + 1):
        summary.cell(row=row_in_summary, column=col).font = BOLD
    note = (f"Samlet behovsmelding for {network}, {cycle}. Laget av Kompis "
            f"{generated_at.astimezone(OSLO):%d.%m.%Y kl. %H:%M}. Bare innsendte "
            f"behovsmeldinger er med. Kompis rangerer ikke tiltakene. Om nettverket skal "
            f"prioritere, er kildene uenige: årshjulet fra Nordland (003) sier nei, mens "
            f"gruppe 1, 2 og 5 i gruppearbeidet i Trøndelag 2026 (001) beskriver "
            f"nettverkets prioriteringer.")
    summary.cell(row=row_in_summary + 2, column=1, value=note).font = Font(italic=True)
    wb.properties.title = f"Behovsmeldinger {network} {cycle}"
    wb.properties.creator = "Kompis"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
