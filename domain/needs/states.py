"""The needs report as a state machine: which commands each state allows, in one table.

`TABLE` says what a status allows at all; `why_not` adds what the moment decides (the
number of measures, the deadline) and says in Norwegian why a command is refused. The
aggregate refuses through `why_not`, and the cards show a button exactly when
`allowed` contains its command, so a card never offers what the domain would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.needs import texts
from domain.needs.refusals import RuleBroken, TooLate

if TYPE_CHECKING:
    from domain.needs.catalog import Practice
    from domain.needs.models import NeedsReport


class Status(StrEnum):
    DRAFT = "utkast"
    SUBMITTED = "sendt inn"
    SUBMITTED_LATE = "sendt inn for sent"
    REOPENED = "gjenåpnet"


class Act(StrEnum):
    """A command on a report; the value is the `action` its button carries."""

    OPEN = "needs.open"
    EDIT_HEADER = "needs.header.edit"
    SAVE_HEADER = "needs.header.save"
    ADD_MEASURE = "needs.measure.add"
    EDIT_MEASURE = "needs.measure.edit"
    NEXT_MEASURE = "needs.measure.next"  # step 1 of the measure form saved, on to step 2
    BACK_MEASURE = "needs.measure.back"  # from step 2 back to step 1
    RESUME_MEASURE = "needs.measure.resume"  # step 2 of a measure whose step 1 is saved
    DISCARD_MEASURE = "needs.measure.discard"  # throw a saved step 1 away
    SAVE_MEASURE = "needs.measure.save"
    REMOVE_MEASURE = "needs.measure.remove"
    SAVE_EXIT = "needs.save_exit"
    SUBMIT = "needs.submit"  # asks for confirmation
    CONFIRM_SUBMIT = "needs.submit.confirm"
    CANCEL_SUBMIT = "needs.submit.cancel"
    REOPEN = "needs.reopen"


EDITING = frozenset({Act.OPEN, Act.EDIT_HEADER, Act.SAVE_HEADER, Act.ADD_MEASURE,
                     Act.EDIT_MEASURE, Act.NEXT_MEASURE, Act.BACK_MEASURE,
                     Act.RESUME_MEASURE, Act.DISCARD_MEASURE, Act.SAVE_MEASURE,
                     Act.REMOVE_MEASURE, Act.SAVE_EXIT, Act.SUBMIT, Act.CONFIRM_SUBMIT,
                     Act.CANCEL_SUBMIT})
SENT = frozenset({Act.OPEN, Act.REOPEN})

TABLE: dict[Status, frozenset[Act]] = {
    Status.DRAFT: EDITING,
    Status.REOPENED: EDITING,
    Status.SUBMITTED: SENT,
    Status.SUBMITTED_LATE: SENT,
}

# Commands that change the report (members only; a coordinator reads).
WRITES = frozenset(Act) - {Act.OPEN}


@dataclass(frozen=True)
class Moment:
    """What besides the status decides: now, the partnerships' deadline (end of its day,
    or None when the wheel has none), the cycle's limit on measures, and the region's
    practice for late reports and reopening (content/ordninger.yaml; without it, late
    reports are taken in marked late and nothing is reopened after the deadline)."""

    now: datetime | None
    deadline: datetime | None
    max_measures: int
    practice: Practice | None = None

    @property
    def late_refused(self) -> bool:
        return self.practice is not None and self.practice.late_reports == "avvises"

    @property
    def reopen_after_deadline(self) -> bool:
        return self.practice is not None and self.practice.reopen_after_deadline

    @property
    def past_deadline(self) -> bool:
        return self.now is not None and self.deadline is not None and self.now > self.deadline


def why_not(report: NeedsReport, act: Act, moment: Moment) -> RuleBroken | None:
    """None when `act` is allowed on `report` now; otherwise the refusal to raise."""
    if act not in TABLE[report.status]:
        if act in (Act.SUBMIT, Act.CONFIRM_SUBMIT):
            return RuleBroken(texts.ALREADY_SUBMITTED, "status")
        if act is Act.REOPEN:
            return RuleBroken(texts.ALREADY_OPEN, "status")
        return RuleBroken(texts.NOT_EDITABLE, "status")
    if act is Act.ADD_MEASURE and len(report.measures) >= moment.max_measures:
        return RuleBroken(texts.TOO_MANY.format(max=moment.max_measures), "measures")
    if act in (Act.SUBMIT, Act.CONFIRM_SUBMIT) and not report.measures:
        return RuleBroken(texts.NO_MEASURES, "measures")
    if act in (Act.EDIT_MEASURE, Act.REMOVE_MEASURE) and not report.measures:
        return RuleBroken(texts.UNKNOWN_MEASURE, "measure_id")
    if act in (Act.SUBMIT, Act.CONFIRM_SUBMIT) and moment.past_deadline \
            and moment.late_refused:
        return TooLate(texts.LATE_REFUSED, "status")
    if act is Act.REOPEN and moment.past_deadline and not moment.reopen_after_deadline:
        return TooLate(texts.REOPEN_AFTER_DEADLINE, "status")
    return None


def allowed(report: NeedsReport, moment: Moment) -> frozenset[Act]:
    """Every command the report allows at this moment (for its members)."""
    return frozenset(act for act in Act if why_not(report, act, moment) is None)


def require(report: NeedsReport, act: Act, moment: Moment) -> None:
    refusal = why_not(report, act, moment)
    if refusal is not None:
        raise refusal
