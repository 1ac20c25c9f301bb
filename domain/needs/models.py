"""The needs report aggregate: a header, at most N measures, a status and a version.

Like cosmicpython's Product, the report owns its rules (a sixth measure is refused,
a submitted report is read-only until reopened, reopening only before the deadline:
the table in `domain.needs.states`) and every accepted change bumps the version exactly
once, so the repository can refuse a save based on an older version instead of merging
it. A refusal is a RuleBroken with a Norwegian message and the field it concerns, ready
to be shown next to that field.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.needs import texts
from domain.needs.catalog import AREAS, Area, CycleRules, Practice, in_order
from domain.needs.names import clean_name
from domain.needs.refusals import RuleBroken, Stale
from domain.needs.states import Act, Moment, Status, require
from domain.norsk import format_date

# Before 2026/2027 a measure had one target group; "begge" meant kindergarten and school.
LEGACY_TARGETS: dict[str, tuple[Area, ...]] = {
    "barnehage": ("barnehage",), "skole": ("skole",), "begge": ("barnehage", "skole")}
TITLE_MAX = 120
TEXT_MAX = 2000
NAME_MAX = 120
EMAIL_MAX = 200
OWNERS_MAX = 40
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")


class Header(BaseModel):
    """Who reports, for which scheme and cycle, in which network, with which UH partner."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    cycle: str = Field(pattern=r"^\d{4}/\d{4}$")
    scheme: str = Field(pattern=r"^[A-Z]{3,6}$")
    network_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    partnership_name: str = Field(min_length=2, max_length=NAME_MAX)
    owners: tuple[str, ...] = Field(min_length=1, max_length=OWNERS_MAX)
    uh_partner: str = Field(pattern=r"^[a-z0-9-]{2,32}$")
    contact_name: str = Field(min_length=2, max_length=NAME_MAX)
    contact_email: str = Field(max_length=EMAIL_MAX, pattern=EMAIL.pattern)

    @field_validator("partnership_name", "contact_name", mode="before")
    @classmethod
    def _clean(cls, name: object) -> object:
        return clean_name(name) if isinstance(name, str) else name

    @field_validator("owners")
    @classmethod
    def _owners(cls, owners: tuple[str, ...]) -> tuple[str, ...]:
        if any(not o or len(o) > NAME_MAX for o in owners):
            raise ValueError(f"hver eier må ha 1–{NAME_MAX} tegn")
        if len({o.casefold() for o in owners}) != len(owners):
            raise ValueError("samme eier er nevnt to ganger")
        return owners


class Measure(BaseModel):
    """One measure (tiltak), with everything DOMAIN.md says a measure must tell."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8], pattern=r"^[0-9a-f]{8}$")
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    need: str = Field(min_length=1, max_length=TEXT_MAX)
    need_found: str = Field(min_length=1, max_length=TEXT_MAX)
    areas: tuple[Area, ...] = Field(min_length=1, max_length=len(AREAS))
    staff_groups: str = Field(min_length=1, max_length=TEXT_MAX)
    units: str = Field(min_length=1, max_length=TEXT_MAX)
    uh_role: str = Field(min_length=1, max_length=TEXT_MAX)
    inclusion: str = Field(min_length=1, max_length=TEXT_MAX)
    sami: str = Field("", max_length=TEXT_MAX)  # encouraged, not required (seed 003)
    interdisciplinary: bool
    interdisciplinary_how: str = Field("", max_length=TEXT_MAX)
    continued: bool
    period_start: date
    period_end: date
    amount: int = Field(ge=1)

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        """A report stored before 2026/2027 has `target_group`; it reads as areas."""
        if isinstance(data, dict) and "target_group" in data and "areas" not in data:
            data = dict(data)
            old = data.pop("target_group")
            data["areas"] = LEGACY_TARGETS.get(old, old) if isinstance(old, str) else old
        return data

    @field_validator("areas")
    @classmethod
    def _areas(cls, areas: tuple[Area, ...]) -> tuple[Area, ...]:
        return in_order(areas)

    @model_validator(mode="after")
    def _consistent(self) -> Measure:
        if self.interdisciplinary and not self.interdisciplinary_how:
            raise ValueError(texts.HOW_REQUIRED)
        if self.period_end < self.period_start:
            raise ValueError(texts.END_BEFORE_START)
        return self


WHAT_KEYS = frozenset({"title", "need", "need_found", "areas", "staff_groups", "units",
                       "uh_role", "inclusion", "sami"})


class PendingMeasure(BaseModel):
    """A measure half made: step 1 of its form (what and who) is saved in the report, so
    what was typed survives a restart, another replica, a stale press and days away;
    step 2 (money, period, criteria) turns it into a Measure with the same id.

    `edit` says it replaces the stored measure with this id; `what` holds the step-1
    values as the form holds them (checked by `forms.parse_measure_what`, and checked
    again with step 2 by `forms.parse_measure`); `by` is who typed them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[0-9a-f]{8}$")
    edit: bool = False
    what: dict[str, str]
    by: str | None = Field(None, max_length=64)

    @field_validator("what")
    @classmethod
    def _what(cls, what: dict[str, str]) -> dict[str, str]:
        if not set(what) <= WHAT_KEYS or any(len(v) > TEXT_MAX for v in what.values()):
            raise ValueError("ukjent eller for langt felt i et påbegynt tiltak")
        return what

    @property
    def title(self) -> str:
        return self.what.get("title", "")


def group_thousands(amount: int) -> str:
    """5000000 -> '5 000 000', as the refusals write amounts."""
    return f"{amount:,}".replace(",", " ")


def period_problems(start: date, end: date, rules: CycleRules) -> dict[str, str]:
    """A measure's period must run forwards and lie inside the cycle's period."""
    problems: dict[str, str] = {}
    outside = texts.OUTSIDE_CYCLE.format(start=format_date(rules.start),
                                         end=format_date(rules.end))
    if not rules.start <= start <= rules.end:
        problems["period_start"] = outside
    if end < start:
        problems["period_end"] = texts.END_BEFORE_START
    elif not rules.start <= end <= rules.end:
        problems["period_end"] = outside
    return problems


def amount_problem(amount: int, rules: CycleRules) -> str | None:
    """A whole, positive amount, no larger than the region's cap per measure if it has one
    (regional practice, see content/ordninger.yaml)."""
    if amount < 1:
        return texts.BAD_AMOUNT
    if rules.max_amount is not None and amount > rules.max_amount:
        return texts.AMOUNT_RANGE.format(max=group_thousands(rules.max_amount))
    return None


def measure_problems(measure: Measure, rules: CycleRules) -> dict[str, str]:
    """What a measure breaks of a cycle's settings (period inside the cycle, amount cap)."""
    problems = period_problems(measure.period_start, measure.period_end, rules)
    amount = amount_problem(measure.amount, rules)
    if amount:
        problems["amount"] = amount
    return problems


class NeedsReport(BaseModel):
    """The aggregate: change it only through its methods, which keep the rules."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=1, max_length=36)
    header: Header
    measures: list[Measure] = Field(default_factory=list)
    pending: list[PendingMeasure] = Field(default_factory=list)  # step 1 saved, not step 2
    status: Status = Status.DRAFT
    version: int = Field(1, ge=1)
    submitted_at: datetime | None = None
    late: bool = False
    reference: str | None = None

    # --- reading -------------------------------------------------------------------

    @property
    def editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.REOPENED)

    @property
    def submitted(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.SUBMITTED_LATE)

    @property
    def total_amount(self) -> int:
        return sum(m.amount for m in self.measures)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)

    def pending_measure(self, pending_id: str) -> PendingMeasure | None:
        return next((p for p in self.pending if p.id == pending_id), None)

    def check_version(self, expected: object) -> None:
        """Refuse a press made on a card of another version (stale or repeated)."""
        if not isinstance(expected, int) or isinstance(expected, bool) \
                or expected != self.version:
            raise Stale(self.model_copy(deep=True), expected=expected)

    # --- changing ------------------------------------------------------------------

    def add_measure(self, measure: Measure, *, max_measures: int | None = None,
                    rules: CycleRules | None = None) -> Measure:
        """Append a measure; with `rules` its period and amount are checked too.

        Returns the measure as stored (its id is made unique within the report).
        """
        limit = rules.max_measures if rules is not None else max_measures
        if limit is None:
            raise TypeError("add_measure needs rules or max_measures")
        require(self, Act.ADD_MEASURE, Moment(None, None, limit))
        self._check_rules(measure, rules)
        pending = self.pending_measure(measure.id)
        if measure.id in self._taken_ids(but=pending):
            measure = measure.model_copy(update={"id": self.fresh_measure_id()})
        self._bump()
        self.measures.append(measure)
        self._finish(pending)
        return measure

    def replace_measure(self, measure_id: str, measure: Measure, *,
                        rules: CycleRules | None = None) -> Measure:
        """Put an edited measure in place of the old one, keeping its id and position."""
        self._require(Act.EDIT_MEASURE)
        index = self._index(measure_id)
        self._check_rules(measure, rules)
        stored = measure.model_copy(update={"id": self.measures[index].id})
        self._bump()
        self.measures[index] = stored
        self._finish(self.pending_measure(stored.id))
        return stored

    def fresh_measure_id(self) -> str:
        """An id no measure or step 1 in the report has."""
        taken = self._taken_ids()
        while (fresh := uuid.uuid4().hex[:8]) in taken:
            pass
        return fresh

    def _taken_ids(self, *, but: PendingMeasure | None = None) -> set[str]:
        return {m.id for m in self.measures} | {p.id for p in self.pending if p is not but}

    def hold_measure(self, pending: PendingMeasure, *, max_measures: int) -> PendingMeasure:
        """Keep step 1 of a measure (in place of an earlier step 1 with the same id). A new
        one needs room for one more measure; an edit needs its measure to be there; at
        most `max_measures` are held at a time."""
        if pending.edit:
            self._require(Act.EDIT_MEASURE)
            self._index(pending.id)
        else:
            require(self, Act.ADD_MEASURE, Moment(None, None, max_measures))
        others = [p for p in self.pending if p.id != pending.id]
        if len(others) >= max_measures:
            raise RuleBroken(texts.TOO_MANY_PENDING, "measures")
        self._bump()
        self.pending = [*others, pending]
        return pending

    def drop_pending(self, pending_id: str) -> PendingMeasure:
        """Throw away a measure's step 1 (the measure itself, if it is an edit, stays)."""
        self._require(Act.DISCARD_MEASURE)
        pending = self.pending_measure(pending_id)
        if pending is None:
            raise RuleBroken(texts.UNKNOWN_MEASURE, "measure_id")
        self._bump()
        self._finish(pending)
        return pending

    def remove_measure(self, measure_id: str) -> Measure:
        self._require(Act.REMOVE_MEASURE)
        index = self._index(measure_id)
        self._bump()
        return self.measures.pop(index)

    def update_header(self, header: Header) -> None:
        """Change who and what the report is about; the cycle stays (measures depend on it)."""
        self._require(Act.SAVE_HEADER)
        if header.cycle != self.header.cycle:
            raise RuleBroken(texts.CYCLE_LOCKED, "cycle")
        self._bump()
        self.header = header

    def rename_partnership(self, name: str) -> None:
        """Give the partnership a new name (any status: who may is the service's rule,
        see `domain.needs.renaming`); the version before keeps the old name."""
        header = Header.model_validate({**self.header.model_dump(), "partnership_name": name})
        self._bump()
        self.header = header

    def submit(self, now: datetime, deadline: datetime | None,
               practice: Practice | None = None) -> Status:
        """Submit; after the deadline it goes in marked late, or is refused where the
        region's practice says so."""
        require(self, Act.CONFIRM_SUBMIT, Moment(now, deadline, len(self.measures),
                                                 practice=practice))
        self._bump()
        self.late = deadline is not None and now > deadline
        self.status = Status.SUBMITTED_LATE if self.late else Status.SUBMITTED
        self.submitted_at = now
        return self.status

    def reopen(self, now: datetime, deadline: datetime | None,
               practice: Practice | None = None) -> Status:
        """Open a submitted report for changes; after the deadline only where the region's
        practice allows it."""
        require(self, Act.REOPEN, Moment(now, deadline, len(self.measures), practice=practice))
        self._bump()
        self.status = Status.REOPENED
        return self.status

    # --- inside ----------------------------------------------------------------------

    def _require(self, act: Act) -> None:
        """The status allows `act` (for acts the measures' count and deadline leave alone)."""
        require(self, act, Moment(None, None, len(self.measures) + 1))

    def _bump(self) -> None:
        self.version += 1

    def _finish(self, pending: PendingMeasure | None) -> None:
        if pending is not None:
            self.pending = [p for p in self.pending if p.id != pending.id]

    @staticmethod
    def _check_rules(measure: Measure, rules: CycleRules | None) -> None:
        if rules is None:
            return
        problems = measure_problems(measure, rules)
        if problems:
            field, message = next(iter(problems.items()))
            raise RuleBroken(message, field)

    def _index(self, measure_id: object) -> int:
        for i, measure in enumerate(self.measures):
            if measure.id == measure_id:
                return i
        raise RuleBroken(texts.UNKNOWN_MEASURE, "measure_id")


def partnership_key(name: str) -> str:
    """'  Fosen  Partnerskap ' and 'fosen partnerskap' are one partnership, and so is
    'Fosen\u200bpartnerskap' with a zero-width space (see `names.clean_name`)."""
    return clean_name(name).casefold()[:200]


def reference_number(cycle: str, network_code: str, scheme: str, seq: int) -> str:
    """'BM-2026-FOS-KKU-0007': the cycle's first year, network, scheme, a running number."""
    if not re.fullmatch(r"\d{4}/\d{4}", cycle) or seq < 1:
        raise ValueError(f"ugyldig syklus eller løpenummer: {cycle!r}, {seq!r}")
    return f"BM-{cycle[:4]}-{network_code}-{scheme}-{seq:04d}"


# a report's reference as typed: 'historikk BM-2026-FOS-KKU-0007', 'vurder bm-2026-fos-kku-7'
# is not one (the running number has four digits)
REPORT_REFERENCE = re.compile(r"\bbm-\d{4}-[a-zæøå]{3}-[a-z]{3,6}-\d{4}\b", re.IGNORECASE)
