"""The needs report aggregate: a header, at most N measures, a status and a version.

Like cosmicpython's Product, the report owns its rules (a sixth measure is refused,
submitted reports are read-only until reopened, reopening only before the deadline) and
every change bumps the version that the store checks on save.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.needs import texts

TargetGroup = Literal["barnehage", "skole", "begge"]


class Status(StrEnum):
    DRAFT = "utkast"
    SUBMITTED = "sendt inn"
    SUBMITTED_LATE = "sendt inn for sent"
    REOPENED = "gjenåpnet"


class RuleError(ValueError):
    """A refused change: a Norwegian message, and the field it concerns if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Header(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cycle: str
    scheme: str
    network_id: str
    partnership_name: str = Field(min_length=2, max_length=120)
    owners: tuple[str, ...] = Field(min_length=1, max_length=40)
    uh_partner: str
    contact_name: str = Field(min_length=2, max_length=120)
    contact_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)


class Measure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8])
    title: str = Field(min_length=1, max_length=120)
    need: str = Field(min_length=1, max_length=2000)
    need_found: str = Field(min_length=1, max_length=2000)
    target_group: TargetGroup
    staff_groups: str = Field(min_length=1, max_length=2000)
    units: str = Field(min_length=1, max_length=2000)
    uh_role: str = Field(min_length=1, max_length=2000)
    inclusion: str = Field(min_length=1, max_length=2000)
    sami: str = Field(min_length=1, max_length=2000)
    interdisciplinary: bool
    interdisciplinary_how: str = Field("", max_length=2000)
    continued: bool
    period_start: date
    period_end: date
    amount: int = Field(ge=1)


class NeedsReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    header: Header
    measures: list[Measure] = Field(default_factory=list)
    status: Status = Status.DRAFT
    version: int = 1
    submitted_at: datetime | None = None
    late: bool = False
    reference: str | None = None

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.REOPENED)

    def _editing(self) -> None:
        if not self.editable:
            raise RuleError(texts.NOT_EDITABLE)
        self.version += 1

    def add_measure(self, measure: Measure, *, max_measures: int) -> None:
        if not self.editable:
            raise RuleError(texts.NOT_EDITABLE)
        if len(self.measures) >= max_measures:
            raise RuleError(texts.TOO_MANY.format(max=max_measures))
        self._editing()
        self.measures.append(measure)

    def replace_measure(self, measure_id: str, measure: Measure) -> None:
        index = self._index(measure_id)
        self._editing()
        self.measures[index] = measure.model_copy(update={"id": measure_id})

    def remove_measure(self, measure_id: str) -> None:
        index = self._index(measure_id)
        self._editing()
        del self.measures[index]

    def update_header(self, header: Header) -> None:
        self._editing()
        self.header = header

    def submit(self, now: datetime, deadline: datetime | None) -> Status:
        """Submit; after the deadline it still goes in, marked late."""
        if not self.editable:
            raise RuleError(texts.ALREADY_SUBMITTED)
        if not self.measures:
            raise RuleError(texts.NO_MEASURES)
        self.version += 1
        self.late = deadline is not None and now > deadline
        self.status = Status.SUBMITTED_LATE if self.late else Status.SUBMITTED
        self.submitted_at = now
        return self.status

    def reopen(self, now: datetime, deadline: datetime | None) -> None:
        if self.editable:
            return
        if deadline is not None and now > deadline:
            raise RuleError(texts.REOPEN_AFTER_DEADLINE)
        self.version += 1
        self.status = Status.REOPENED

    def _index(self, measure_id: str) -> int:
        for i, measure in enumerate(self.measures):
            if measure.id == measure_id:
                return i
        raise RuleError(texts.UNKNOWN_MEASURE)


def reference_number(cycle: str, network_code: str, scheme: str, seq: int) -> str:
    """'BM-2026-FOS-KKUS-0007': the cycle's first year, network, scheme, a running number."""
    return f"BM-{cycle[:4]}-{network_code}-{scheme}-{seq:04d}"
