"""Where a network stands in a cycle: the coordinator's `status`, as pure data.

The coordinator must send one compiled needs report per scheme by the network's
deadline, so per scheme they need three lists: who has submitted (and whether late),
who is still working (how far, last change), and which partnerships known in the
network have not started one. Known partnerships are those that have had a report in
the network (in any scheme or cycle).

From 2026/2027 a cycle has one scheme for every field, so each partnership is counted
once. In a cycle with several schemes (Dekom, Rekom, Kompetanseløftet) a partnership is
missing only for the schemes that cover its field; its field is known from its reports
(the fields its measures name, and a scheme that covers one field only, such as Rekom).
A partnership whose field Kompis cannot tell is listed once, on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain.needs.catalog import Area, CycleRules, Scheme
from domain.needs.models import NeedsReport, Status, partnership_key


@dataclass(frozen=True)
class ReportLine:
    """One partnership's report in one scheme, as the overview shows it."""

    report_id: str
    partnership: str
    status: Status
    measures: int
    total: int
    reference: str | None
    submitted_at: datetime | None
    late: bool
    updated_at: datetime


@dataclass(frozen=True)
class SchemeStatus:
    code: str
    name: str
    submitted: tuple[ReportLine, ...]
    in_progress: tuple[ReportLine, ...]
    not_started: tuple[str, ...]
    covers: tuple[Area, ...] = ()

    @property
    def total_submitted(self) -> int:
        return sum(line.total for line in self.submitted)


@dataclass(frozen=True)
class NetworkStatus:
    network: str
    cycle: str
    deadline: date | None  # the partnerships'
    compiled_deadline: date | None  # the network's compiled report
    today: date
    schemes: tuple[SchemeStatus, ...]
    # Several schemes with different fields: `not_started` per scheme holds only the
    # partnerships whose field it covers, and `field_unknown` those Kompis cannot place.
    by_field: bool = False
    field_unknown: tuple[str, ...] = ()

    @property
    def partnerships(self) -> int:
        """Each known partnership once, whatever the number of schemes or reports."""
        names = {partnership_key(n) for s in self.schemes for n in s.not_started}
        names |= {partnership_key(line.partnership) for s in self.schemes
                  for line in (*s.submitted, *s.in_progress)}
        return len(names | {partnership_key(n) for n in self.field_unknown})

    @property
    def submitted_partnerships(self) -> int:
        """Partnerships with at least one submitted report in the cycle."""
        return len({partnership_key(line.partnership) for s in self.schemes
                    for line in s.submitted})


def report_areas(report: NeedsReport, rules: CycleRules | None) -> frozenset[Area]:
    """The fields one report shows its partnership works in: the fields its measures
    name, and the field of a scheme that covers only one (a Rekom report: barnehage)."""
    areas: set[Area] = {a for m in report.measures for a in m.areas}
    scheme = rules.scheme_of(report.header.scheme) if rules is not None else None
    if scheme is not None and len(scheme.covers) == 1:
        areas |= set(scheme.covers)
    return frozenset(areas)


def partnership_areas(reports: Iterable[NeedsReport],
                      cycles: Sequence[CycleRules]) -> dict[str, frozenset[Area]]:
    """Per partnership key, every field its reports (in any cycle) show."""
    by_id = {c.id: c for c in cycles}
    found: dict[str, frozenset[Area]] = {}
    for report in reports:
        key = partnership_key(report.header.partnership_name)
        found[key] = found.get(key, frozenset()) | report_areas(
            report, by_id.get(report.header.cycle))
    return found


def network_status(*, network: str, cycle: str, schemes: Sequence[Scheme],
                   reports: Iterable[tuple[NeedsReport, datetime]],
                   partnerships: Iterable[str], deadline: date | None,
                   compiled_deadline: date | None = None, today: date,
                   areas: Mapping[str, frozenset[Area]] | None = None,
                   all_schemes: Sequence[Scheme] | None = None) -> NetworkStatus:
    """The overview of one network: `reports` are its reports of `cycle` with their last
    change; `partnerships` the names known in the network (duplicates by spelling are
    one partnership, as in the store); `areas` the fields each partnership (by key) is
    known to work in (see `partnership_areas`); `all_schemes` the cycle's schemes when
    `schemes` is a choice among them (they decide whether fields matter)."""
    every = tuple(all_schemes or schemes)
    known: dict[str, str] = {}
    for name in partnerships:
        known.setdefault(partnership_key(name), name)
    codes = {s.code for s in every}
    by_scheme: dict[str, list[ReportLine]] = {}
    for report, updated in reports:
        if report.header.cycle != cycle:
            continue
        h = report.header
        known.setdefault(partnership_key(h.partnership_name), h.partnership_name)
        code = h.scheme if h.scheme in codes else next(
            (s.code for s in every if h.scheme in {f.upper() for f in s.former}), h.scheme)
        by_scheme.setdefault(code, []).append(ReportLine(
            report.id, h.partnership_name, report.status, len(report.measures),
            report.total_amount, report.reference, report.submitted_at, report.late, updated))
    # Fields matter only when the cycle's schemes do not all cover the same fields.
    by_field = len({s.covers for s in every}) > 1
    fields = areas or {}
    started_any = {partnership_key(x.partnership) for lines in by_scheme.values()
                   for x in lines}
    unknown = sorted((name for key, name in known.items()
                      if by_field and not fields.get(key) and key not in started_any),
                     key=str.casefold)
    result = []
    for scheme in schemes:
        lines = by_scheme.get(scheme.code, [])
        started = {partnership_key(line.partnership) for line in lines}
        submitted = sorted((x for x in lines if x.status in (Status.SUBMITTED,
                                                             Status.SUBMITTED_LATE)),
                           key=lambda x: (x.submitted_at is None, x.submitted_at, x.partnership))
        working = sorted((x for x in lines if x.status in (Status.DRAFT, Status.REOPENED)),
                         key=lambda x: x.updated_at, reverse=True)
        missing = sorted((name for key, name in known.items() if key not in started
                          and _applies(scheme, fields.get(key), by_field)),
                         key=str.casefold)
        result.append(SchemeStatus(scheme.code, scheme.name, tuple(submitted), tuple(working),
                                   tuple(missing), scheme.covers))
    return NetworkStatus(network, cycle, deadline, compiled_deadline, today, tuple(result),
                         by_field, tuple(unknown))


def _applies(scheme: Scheme, areas: frozenset[Area] | None, by_field: bool) -> bool:
    """Does a partnership that works in `areas` report to `scheme`? Always, in a cycle
    whose schemes cover the same fields; otherwise when the scheme covers one of its
    fields (never when its fields are unknown: it is listed on its own)."""
    if not by_field:
        return True
    return areas is not None and bool(set(areas) & set(scheme.covers))


def pick_scheme(word: str, schemes: Sequence[Scheme]) -> Scheme | None:
    """'kku', 'KKU', a scheme's name or a former name of it -> the scheme; None when
    nothing matches."""
    return next((s for s in schemes if s.known_as(word)), None)
