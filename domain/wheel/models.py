"""The wheel's data model, validated when loaded so a broken file names what is wrong.

A coordinator edits `content/arshjul.yaml` by hand and makes a new cycle by copying the
last one, so the checks aim at the mistakes that edit invites: an end before its start,
an id used twice, a copied cycle whose dates were not moved to its own years.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

Kind = Literal["frist", "møte", "periode", "milepæl"]
Audience = Literal["partnerskap", "koordinator", "samarbeidsforum", "alle"]
Place = Literal["Teams", "fysisk", "digital løsning"]
DeadlineFor = Literal[
    "behovsmelding", "sammenstilt_behovsmelding", "beslutningsgrunnlag", "rapportering"
]
KINDS: tuple[str, ...] = ("frist", "møte", "periode", "milepæl")
# The audiences a conversation can follow; "alle" is an event's audience, not a follower's.
AUDIENCES: tuple[str, ...] = ("partnerskap", "koordinator", "samarbeidsforum")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,63}$"


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class Event(BaseModel):
    """One deadline, meeting or period of a cycle; `start` alone for a single day."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=3, max_length=120)
    start: date
    end: date | None = None
    time: dt.time | None = None
    end_time: dt.time | None = None
    kind: Kind
    audience: Annotated[tuple[Audience, ...], BeforeValidator(_as_list)]
    place: Place
    where: str | None = Field(None, min_length=2, max_length=120)
    description: str = Field(min_length=3, max_length=600)
    deadline_for: DeadlineFor | None = None
    # Where the event comes from: seed file and place, or a public page and the date read.
    # Not shown on the cards; tests/unit/test_content_sources.py requires it in content/.
    source: str | None = Field(None, min_length=5, max_length=400)

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise ValueError(f"slutt ({end}) er før start ({start})")
        return end

    @field_validator("audience")
    @classmethod
    def _audience_once(cls, audience: tuple[str, ...]) -> tuple[str, ...]:
        if not audience:
            raise ValueError("oppgi minst én målgruppe")
        if len(set(audience)) != len(audience):
            raise ValueError("samme målgruppe står flere ganger")
        return audience

    @field_validator("end_time")
    @classmethod
    def _end_time_needs_time(cls, end_time: dt.time | None,
                             info: ValidationInfo) -> dt.time | None:
        start_time = info.data.get("time")
        if end_time is None:
            return None
        if start_time is None:
            raise ValueError("end_time krever at time (starttidspunkt) også er satt")
        single_day = info.data.get("end") in (None, info.data.get("start"))
        if single_day and end_time <= start_time:
            raise ValueError(f"end_time ({end_time:%H:%M}) er ikke etter time "
                             f"({start_time:%H:%M})")
        return end_time

    @field_validator("deadline_for")
    @classmethod
    def _deadline_for_deadlines(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("kind") not in (None, "frist"):
            raise ValueError("deadline_for passer bare for hendelser av typen frist")
        return value

    @property
    def last_day(self) -> date:
        """The last day the event covers (the start for a single day)."""
        return self.end or self.start

    @property
    def is_deadline(self) -> bool:
        return self.kind == "frist"

    def for_audience(self, audience: str | None) -> bool:
        """Whether people in `audience` should see this event (None: everyone)."""
        return audience is None or "alle" in self.audience or audience in self.audience


class Cycle(BaseModel):
    """One year of the wheel, autumn to summer: '2026/2027' runs from 2026 into 2027."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^\d{4}/\d{4}$")
    # What the cycle's dates build on, shown on the årshjul card: «Bygger på …».
    based_on: str | None = Field(None, min_length=10, max_length=300)
    # emptiness is checked in the validator: a min_length here would add a misleading
    # "at least 1 item" error whenever every event has a problem
    events: tuple[Event, ...]

    @field_validator("id")
    @classmethod
    def _consecutive_years(cls, value: str) -> str:
        first, second = (int(y) for y in value.split("/"))
        if second != first + 1:
            raise ValueError(f"syklusen {value!r} skal gå over to år på rad, f.eks. "
                             f"'{first}/{first + 1}'")
        return value

    @field_validator("events")
    @classmethod
    def _unique_and_in_years(cls, events: tuple[Event, ...],
                             info: ValidationInfo) -> tuple[Event, ...]:
        if not events:
            raise ValueError("syklusen har ingen hendelser")
        problems: list[str] = []
        seen: dict[str, int] = {}
        deadlines: dict[str, str] = {}
        for i, event in enumerate(events):
            if event.id in seen:
                problems.append(f"events[{i}]: id {event.id!r} er brukt to ganger "
                                f"(også events[{seen[event.id]}])")
            seen.setdefault(event.id, i)
            if event.deadline_for is not None:
                if event.deadline_for in deadlines:
                    problems.append(
                        f"events[{i}] ({event.id}): deadline_for {event.deadline_for!r} har "
                        f"allerede fristen {deadlines[event.deadline_for]!r} i samme syklus")
                deadlines.setdefault(event.deadline_for, event.id)
        cycle_id = info.data.get("id")
        if cycle_id:
            years = {int(y) for y in cycle_id.split("/")}
            for i, event in enumerate(events):
                if not {event.start.year, event.last_day.year} <= years:
                    problems.append(
                        f"events[{i}] ({event.id}): datoen {event.start} ligger utenfor "
                        f"syklusen {cycle_id} (glemt å flytte datoene i en kopiert syklus?)")
        if problems:
            raise ValueError("; ".join(problems))
        return events

    def deadline(self, deadline_for: str) -> Event | None:
        """The cycle's deadline for e.g. 'behovsmelding' (at most one, checked on load)."""
        return next((e for e in self.events if e.deadline_for == deadline_for), None)

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    @property
    def first_day(self) -> date:
        return min(e.start for e in self.events)

    @property
    def last_day(self) -> date:
        return max(e.last_day for e in self.events)


_DAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

Offset = Annotated[int, Field(ge=0, le=120)]


def _default_reminders() -> dict[Kind, tuple[int, ...]]:
    return {"frist": (14, 7, 2, 0), "møte": (7, 1), "periode": (), "milepæl": ()}


class Wheel(BaseModel):
    """Every cycle in the file, and how reminders are sent for all of them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    send_at: dt.time = dt.time(9, 0)
    grace_days: int = Field(2, ge=0, le=30)
    reminders: dict[Kind, tuple[Offset, ...]] = Field(default_factory=_default_reminders)
    # Days that are not working days besides weekends; a reminder moves to the day before.
    holidays: frozenset[date] = frozenset()
    cycles: tuple[Cycle, ...]

    @model_validator(mode="after")
    def _unique_cycles(self) -> Wheel:
        if not self.cycles:
            raise ValueError("filen har ingen sykluser (cycles)")
        ids = [c.id for c in self.cycles]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"syklus-id brukt to ganger: {', '.join(twice)}")
        off = self.days_off()
        if off:
            raise ValueError("møter og frister skal ligge på arbeidsdager: " + "; ".join(off))
        return self

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not in `holidays`."""
        return day.weekday() < 5 and day not in self.holidays

    def days_off(self) -> list[str]:
        """Meetings and deadlines whose first or last day is a Saturday, Sunday or holiday
        (a cycle copied to new years lands on new weekdays). Periods may span them."""
        found: list[str] = []
        for cycle in self.cycles:
            for i, event in enumerate(cycle.events):
                if event.kind == "periode":
                    continue
                for day in sorted({event.start, event.last_day}):
                    if not self.is_working_day(day):
                        what = _DAY_NAMES[day.weekday()] if day.weekday() >= 5 else "en fridag"
                        found.append(f"{cycle.id} events[{i}] ({event.id}): {day} er {what}")
        return found

    def offsets(self, kind: str) -> tuple[int, ...]:
        """Days before the event that reminders go out, farthest first; none if unset."""
        values = self.reminders.get(kind, ())  # type: ignore[call-overload]
        return tuple(sorted(set(values), reverse=True))

    def events(self) -> list[tuple[Cycle, Event]]:
        """Every event of every cycle, in date order."""
        found = [(c, e) for c in self.cycles for e in c.events]
        return sorted(found, key=lambda ce: (ce[1].start, ce[1].last_day, ce[1].id))

    def cycle(self, cycle_id: str) -> Cycle | None:
        return next((c for c in self.cycles if c.id == cycle_id), None)
