"""Putting a network's reports together: what goes into the compiled report, the
checklist before sending, and what changed from one sent version to the next."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.needs.models import NeedsReport, Status, partnership_key
from domain.network import texts
from domain.network.models import (
    Checklist,
    ChecklistLine,
    CompiledItem,
    NetworkReport,
    Snapshot,
    Unassessed,
    assessment_key,
)
from domain.norsk import format_nok


@dataclass(frozen=True)
class Current:
    """A report as it is now, and for a reopened one the version it last sent in."""

    report: NeedsReport
    last_submitted: NeedsReport | None = None


def compile_snapshot(reports: Iterable[Current], *, scheme: str, cycle: str,
                     partnerships: Iterable[str],
                     assessments: Mapping[str, str]) -> Snapshot:
    """The data a compiled report sends: every submitted version of `scheme` in `cycle`,
    the network's assessments of their measures, and who has not sent anything."""
    items: list[CompiledItem] = []
    drafts: list[str] = []
    started: set[str] = set()
    for current in reports:
        report = current.report
        h = report.header
        if h.cycle != cycle or h.scheme != scheme:
            continue
        started.add(partnership_key(h.partnership_name))
        if report.submitted:
            items.append(CompiledItem(report=report, version=report.version))
        elif report.status == Status.REOPENED and current.last_submitted is not None:
            last = current.last_submitted
            items.append(CompiledItem(report=last, version=last.version, reopened=True))
            drafts.append(h.partnership_name)
        else:
            drafts.append(h.partnership_name)
    known: dict[str, str] = {}
    for name in partnerships:
        known.setdefault(partnership_key(name), name)
    not_started = sorted((name for key, name in known.items() if key not in started),
                         key=str.casefold)
    items.sort(key=lambda i: i.report.header.partnership_name.casefold())
    used = {assessment_key(i.report.id, m.id) for i in items for m in i.report.measures}
    return Snapshot(items=items,
                    assessments={k: v for k, v in assessments.items() if k in used and v},
                    drafts=sorted(drafts, key=str.casefold), not_started=not_started)


def checklist(snapshot: Snapshot, *, network_id: str, network: str, cycle: str, scheme: str,
              deadline: date | None, today: date, last: NetworkReport | None) -> Checklist:
    lines = tuple(ChecklistLine(
        i.report.id, i.report.header.partnership_name, i.report.reference,
        len(i.report.measures), i.report.total_amount, i.report.late, i.reopened)
        for i in snapshot.items)
    unassessed = tuple(Unassessed(i.report.id, i.report.header.partnership_name, m.title)
                       for i in snapshot.items for m in i.report.measures
                       if not snapshot.assessment(i.report.id, m.id))
    return Checklist(network_id, network, cycle, scheme, lines, tuple(snapshot.drafts),
                     tuple(snapshot.not_started), unassessed, deadline, today, last)


def what_changed(before: Snapshot | None, after: Snapshot) -> list[str]:
    """Short Norwegian lines on what a new version changes, for samarbeidsforum and for
    `historikk SBM-…`: reports in or out, new versions of reports, assessments, totals."""
    if before is None:
        return [texts.FIRST_VERSION.format(reports=len(after.items), measures=after.measures,
                                           total=format_nok(after.total))]
    old = {i.report.id: i for i in before.items}
    new = {i.report.id: i for i in after.items}
    lines = []
    for report_id, item in new.items():
        name = item.report.header.partnership_name
        if report_id not in old:
            lines.append(texts.CHANGE_ADDED.format(name=name))
        elif old[report_id].version != item.version:
            lines.append(texts.CHANGE_NEW_VERSION.format(name=name, version=item.version))
    for report_id, item in old.items():
        if report_id not in new:
            lines.append(texts.CHANGE_REMOVED.format(name=item.report.header.partnership_name))
    changed = sum(1 for key in set(before.assessments) | set(after.assessments)
                  if before.assessments.get(key) != after.assessments.get(key))
    if changed:
        lines.append(texts.CHANGE_ASSESSMENTS.format(n=changed))
    if before.total != after.total:
        lines.append(texts.CHANGE_TOTAL.format(before=format_nok(before.total),
                                               after=format_nok(after.total)))
    return lines or [texts.CHANGE_NONE]


def assessed(snapshot: Snapshot, report_id: str) -> Sequence[tuple[str, str]]:
    """(measure title, the network's assessment) of one report in a sent snapshot."""
    item = next((i for i in snapshot.items if i.report.id == report_id), None)
    if item is None:
        return ()
    return tuple((m.title, text) for m in item.report.measures
                 if (text := snapshot.assessment(report_id, m.id)))
