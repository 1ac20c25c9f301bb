"""The network's part as data: assessments, the compiled report as sent, and what a
coordinator sees before sending (the checklist).

Whether a competence network prioritises between owners is disputed (seed 003: it shall
not; groups 1, 2 and 5 in seed 001 describe the network's priorities). The assessment is
therefore free text per measure, with no ranking, and Kompis takes no side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.needs.models import NeedsReport

ASSESSMENT_MAX = 2000  # characters; about a page, enough for what the network sees
QUESTION_MAX = 1000


def assessment_key(report_id: str, measure_id: str) -> str:
    return f"{report_id}/{measure_id}"


@dataclass(frozen=True)
class Assessment:
    """The network's current assessment of one measure (version 1 is the first)."""

    report_id: str
    measure_id: str
    text: str
    version: int
    by: str | None
    at: datetime


class CompiledItem(BaseModel):
    """One partnership's report as it went into the compiled report: the submitted
    version (for a report reopened since, its last submitted version)."""

    model_config = ConfigDict(extra="forbid")

    report: NeedsReport
    version: int
    reopened: bool = False


class Snapshot(BaseModel):
    """The compiled report's data as sent, frozen: a partnership that reopens its report
    later does not change it."""

    model_config = ConfigDict(extra="forbid")

    items: list[CompiledItem] = Field(default_factory=list)
    assessments: dict[str, str] = Field(default_factory=dict)  # assessment_key -> text
    drafts: list[str] = Field(default_factory=list)  # partnerships with work not sent in
    not_started: list[str] = Field(default_factory=list)

    @property
    def measures(self) -> int:
        return sum(len(i.report.measures) for i in self.items)

    @property
    def total(self) -> int:
        return sum(i.report.total_amount for i in self.items)

    def assessment(self, report_id: str, measure_id: str) -> str:
        return self.assessments.get(assessment_key(report_id, measure_id), "")


@dataclass(frozen=True)
class NetworkReport:
    """One sent version of a network's compiled report for a cycle and scheme."""

    network_id: str
    cycle: str
    scheme: str
    version: int
    reference: str
    sent_at: datetime
    sent_by: str | None
    sent_by_name: str | None
    late: bool
    snapshot: Snapshot


def compiled_reference(cycle: str, network_code: str, scheme: str) -> str:
    """'SBM-2026-FOS-KKU': the cycle's first year (as the partnerships' BM references,
    so the two read together), network and scheme; versions keep the reference."""
    if not re.fullmatch(r"\d{4}/\d{4}", cycle):
        raise ValueError(f"ugyldig syklus: {cycle!r}")
    return f"SBM-{cycle[:4]}-{network_code}-{scheme}"


COMPILED_REFERENCE = re.compile(r"\bsbm-\d{4}-[a-zæøå]{3}-[a-z]{3,6}\b", re.IGNORECASE)


@dataclass(frozen=True)
class ChecklistLine:
    report_id: str
    partnership: str
    reference: str | None
    measures: int
    total: int
    late: bool
    reopened: bool


@dataclass(frozen=True)
class Unassessed:
    report_id: str
    partnership: str
    title: str


@dataclass(frozen=True)
class Checklist:
    """What a coordinator checks before sending: who is in, who is not, what lacks an
    assessment, and what was sent before."""

    network_id: str
    network: str
    cycle: str
    scheme: str
    submitted: tuple[ChecklistLine, ...]
    drafts: tuple[str, ...]
    not_started: tuple[str, ...]
    unassessed: tuple[Unassessed, ...]
    deadline: date | None
    today: date
    last: NetworkReport | None

    @property
    def late(self) -> tuple[ChecklistLine, ...]:
        return tuple(line for line in self.submitted if line.late)

    @property
    def next_version(self) -> int:
        return self.last.version + 1 if self.last else 1

    @property
    def measures(self) -> int:
        return sum(line.measures for line in self.submitted)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.submitted)
