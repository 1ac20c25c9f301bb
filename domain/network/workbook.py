"""Spreadsheets of the network's part: the compiled report as sent (the partnerships'
sheet with the network's assessments), and samarbeidsforum's workbook of every network
(«Oversikt», one sheet per network, «Felles tiltak»)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from domain.needs import texts as needs_texts
from domain.needs.catalog import SchemeCatalog
from domain.needs.texts import join_areas
from domain.needs.workbook import (
    BOLD,
    DATETIME,
    NO,
    NOK,
    YES,
    Column,
    CompiledReport,
    _put,
    _sheet,
    compiled_workbook,
)
from domain.network.models import Snapshot
from domain.network.service import Overview
from domain.norsk import OSLO

OVERVIEW_COLUMNS = (
    Column("Nettverk", 28), Column("Sendt", 10), Column("Versjon", 9),
    Column("Sendt inn", 17, DATETIME), Column("For sent", 9), Column("Partnerskap", 12),
    Column("Tiltak", 9), Column("Sum søkt (kr)", 16, NOK), Column("Referanse", 22),
)
NETWORK_COLUMNS = (
    Column("Referanse", 24), Column("Partnerskap", 28), Column("Tiltak", 36),
    Column("Felt tiltaket gjelder", 16, wrap=True),
    Column(needs_texts.LABELS["need"], 48, wrap=True),
    Column(needs_texts.LABELS["amount"], 14, NOK), Column("Nettverkets vurdering", 48, wrap=True),
)
THEME_COLUMNS = (
    Column("Tema", 20), Column("Felt", 12), Column("Nettverk", 32, wrap=True),
    Column("Nettverk", 28), Column("Partnerskap", 28), Column("Tiltak", 36),
    Column("Beløp (kr)", 14, NOK),
)


class CompiledWorkbooks:
    """The .xlsx a network sends, made from the frozen snapshot (the service's Workbook)."""

    def __init__(self, schemes: SchemeCatalog) -> None:
        self._schemes = schemes

    def __call__(self, snapshot: Snapshot, network: str, cycle: str, scheme: str,
                 sent_at: datetime) -> bytes:
        rules = self._schemes.cycle(cycle)
        chosen = tuple(s for s in (rules.schemes if rules else ()) if s.code == scheme)
        items = [CompiledReport(i.report, i.version, i.reopened) for i in snapshot.items]
        return compiled_workbook(items, schemes=chosen, network=network, cycle=cycle,
                                 uh_names={u.id: u.name for u in self._schemes.uh_partners},
                                 generated_at=sent_at, assessments=snapshot.assessments)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(OSLO).replace(tzinfo=None)


def _bold_row(ws: Worksheet, row: int, width: int) -> None:
    for col in range(1, width + 1):
        ws.cell(row=row, column=col).font = BOLD


def forum_workbook(overview: Overview, generated_at: datetime) -> bytes:
    """Samarbeidsforum's workbook: every network's last sent version, side by side."""
    wb = Workbook()
    summary = wb.active
    if not isinstance(summary, Worksheet):
        raise TypeError("openpyxl gave no worksheet")
    summary.title = "Oversikt"
    _sheet(summary, OVERVIEW_COLUMNS)
    row = 2
    for line in overview.lines:
        sent = line.sent
        _put(summary, row, (
            line.name, YES if sent else NO, sent.version if sent else None,
            _local(sent.sent_at) if sent else None, (YES if sent.late else NO) if sent else "",
            line.partnerships, sent.snapshot.measures if sent else 0,
            sent.snapshot.total if sent else 0, sent.reference if sent else ""),
            OVERVIEW_COLUMNS)
        row += 1
    sent_lines = [line for line in overview.lines if line.sent]
    _put(summary, row, ("Sum", f"{len(sent_lines)} av {len(overview.lines)}", None, None, "",
                        sum(line.partnerships for line in sent_lines),
                        sum(line.sent.snapshot.measures for line in sent_lines if line.sent),
                        sum(line.sent.snapshot.total for line in sent_lines if line.sent), ""),
         OVERVIEW_COLUMNS)
    _bold_row(summary, row, len(OVERVIEW_COLUMNS))
    note = (f"Sammenstilte behovsmeldinger {overview.scheme}, {overview.cycle}: siste sendte "
            f"versjon fra hvert nettverk. Laget av Kompis "
            f"{generated_at.astimezone(OSLO):%d.%m.%Y kl. %H:%M}.")
    summary.cell(row=row + 2, column=1, value=note).font = Font(italic=True)
    for line in sent_lines:
        assert line.sent is not None
        ws = wb.create_sheet(_title(line.name, wb.sheetnames))
        _sheet(ws, NETWORK_COLUMNS)
        r = 2
        for item in line.sent.snapshot.items:
            report = item.report
            for measure in report.measures:
                _put(ws, r, (report.reference or "", report.header.partnership_name,
                             measure.title, join_areas(measure.areas), measure.need,
                             measure.amount, line.sent.snapshot.assessment(report.id, measure.id)),
                     NETWORK_COLUMNS)
                r += 1
    themes = wb.create_sheet("Felles tiltak")
    _sheet(themes, THEME_COLUMNS)
    r = 2
    for theme in overview.themes:
        for m in theme.measures:
            _put(themes, r, (theme.word, _group(theme.target_group),
                             ", ".join(theme.networks), m.network, m.partnership, m.title,
                             m.amount), THEME_COLUMNS)
            r += 1
    wb.properties.title = f"Sammenstilte behovsmeldinger {overview.cycle}"
    wb.properties.creator = "Kompis"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _group(value: str) -> str:
    return needs_texts.AREAS.get(value, value)


def _title(name: str, taken: Sequence[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "Nettverk"
    title, n = clean, 2
    while title in taken:
        title = f"{clean[:28]} {n}"
        n += 1
    return title
