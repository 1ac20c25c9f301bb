"""The wheel's data model, validated when loaded so a broken file names what is wrong."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Kind = Literal["frist", "møte", "periode"]
Audience = Literal["partnerskap", "koordinator", "samarbeidsforum", "alle"]
AUDIENCES: tuple[str, ...] = ("partnerskap", "koordinator", "samarbeidsforum")
DeadlineFor = Literal[
    "behovsmelding", "sammenstilt_behovsmelding", "beslutningsgrunnlag", "rapportering"
]
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=3, max_length=120)
    start: date
    end: date | None = None
    time: dt.time | None = None
    kind: Kind
    audience: Annotated[tuple[Audience, ...], BeforeValidator(_as_list)] = Field(min_length=1)
    place: Literal["Teams", "fysisk", "digital løsning"]
    where: str | None = Field(None, max_length=120)
    description: str = Field(min_length=3, max_length=600)
    deadline_for: DeadlineFor | None = None

    @model_validator(mode="after")
    def _check(self) -> Event:
        if not _ID.match(self.id):
            raise ValueError(f"id {self.id!r} skal være små bokstaver, tall og bindestrek")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end ({self.end}) er før start ({self.start})")
        if self.deadline_for is not None and self.kind != "frist":
            raise ValueError("deadline_for passer bare for hendelser av typen frist")
        return self

    @property
    def last_day(self) -> date:
        return self.end or self.start

    def for_audience(self, audience: str | None) -> bool:
        """Whether people in `audience` should see this event (None: everyone)."""
        return audience is None or "alle" in self.audience or audience in self.audience


class Cycle(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^\d{4}/\d{4}$")
    events: tuple[Event, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Cycle:
        seen: set[str] = set()
        for event in self.events:
            if event.id in seen:
                raise ValueError(f"hendelses-id {event.id!r} er brukt to ganger")
            seen.add(event.id)
        return self

    def deadline(self, deadline_for: str) -> Event | None:
        return next((e for e in self.events if e.deadline_for == deadline_for), None)


class Wheel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    send_at: dt.time = dt.time(9, 0)
    grace_days: int = Field(2, ge=0, le=30)
    reminders: dict[Kind, tuple[Annotated[int, Field(ge=0, le=120)], ...]] = Field(
        default_factory=lambda: {"frist": (14, 7, 2, 0), "møte": (7, 1), "periode": ()}
    )
    cycles: tuple[Cycle, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_cycles(self) -> Wheel:
        ids = [c.id for c in self.cycles]
        if len(ids) != len(set(ids)):
            raise ValueError("samme syklus-id er brukt to ganger")
        return self

    def offsets(self, kind: str) -> tuple[int, ...]:
        return tuple(sorted(set(self.reminders.get(kind, ())), reverse=True))  # type: ignore[call-overload]

    def events(self) -> list[tuple[Cycle, Event]]:
        """Every event of every cycle, in date order."""
        found = [(c, e) for c in self.cycles for e in c.events]
        return sorted(found, key=lambda ce: (ce[1].start, ce[1].id))
