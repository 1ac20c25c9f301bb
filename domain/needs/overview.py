"""Where a network stands in a cycle: the coordinator's `status`, as pure data.

The coordinator must send one compiled needs report per scheme by the network's
deadline, so per scheme they need three lists: who has submitted (and whether late),
who is still working (how far, last change), and which partnerships known in the
network have not started one. Known partnerships are those with a member in Kompis
(anyone who started a report or was added to one, in any scheme or cycle).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain.needs.catalog import Scheme
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


def network_status(*, network: str, cycle: str, schemes: Sequence[Scheme],
                   reports: Iterable[tuple[NeedsReport, datetime]],
                   partnerships: Iterable[str], deadline: date | None,
                   compiled_deadline: date | None = None, today: date) -> NetworkStatus:
    """The overview of one network: `reports` are its reports of `cycle` with their last
    change; `partnerships` the names known in the network (duplicates by spelling are
    one partnership, as in the store)."""
    known: dict[str, str] = {}
    for name in partnerships:
        known.setdefault(partnership_key(name), name)
    by_scheme: dict[str, list[ReportLine]] = {}
    for report, updated in reports:
        if report.header.cycle != cycle:
            continue
        h = report.header
        known.setdefault(partnership_key(h.partnership_name), h.partnership_name)
        by_scheme.setdefault(h.scheme, []).append(ReportLine(
            report.id, h.partnership_name, report.status, len(report.measures),
            report.total_amount, report.reference, report.submitted_at, report.late, updated))
    result = []
    for scheme in schemes:
        lines = by_scheme.get(scheme.code, [])
        started = {partnership_key(line.partnership) for line in lines}
        submitted = sorted((x for x in lines if x.status in (Status.SUBMITTED,
                                                             Status.SUBMITTED_LATE)),
                           key=lambda x: (x.submitted_at is None, x.submitted_at, x.partnership))
        working = sorted((x for x in lines if x.status in (Status.DRAFT, Status.REOPENED)),
                         key=lambda x: x.updated_at, reverse=True)
        missing = sorted((name for key, name in known.items() if key not in started),
                         key=str.casefold)
        result.append(SchemeStatus(scheme.code, scheme.name, tuple(submitted), tuple(working),
                                   tuple(missing)))
    return NetworkStatus(network, cycle, deadline, compiled_deadline, today, tuple(result))


def pick_scheme(word: str, schemes: Sequence[Scheme]) -> Scheme | None:
    """'kkus', 'KKUS' or a scheme's name -> the scheme; None when nothing matches."""
    wanted = word.strip().casefold()
    if not wanted:
        return None
    for scheme in schemes:
        if wanted in (scheme.code.casefold(), scheme.name.casefold()):
            return scheme
    return None
