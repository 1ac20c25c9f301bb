"""What a needs report may refer to: cycles and their schemes, networks and UH partners.

All of it is content a coordinator edits (content/ordninger.yaml, nettverk.yaml,
uh.yaml), never code: a new cycle, a renamed scheme or another UH partner is a change
to a YAML file, checked on load with an error that names the file, entry and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.content import CONTENT_DIR, HttpsUrl, load_model
from domain.networks import NETWORKS_FILE, NetworkCatalog, NetworkEntry, load_networks

SCHEMES_FILE = CONTENT_DIR / "ordninger.yaml"
UH_FILE = CONTENT_DIR / "uh.yaml"

Choice = tuple[str, str]  # (value, title) for a card's choice set


Area = Literal["barnehage", "skole", "ppt"]
AREAS: tuple[Area, ...] = ("barnehage", "skole", "ppt")  # the order cards and lists use


def in_order(areas: Iterable[str]) -> tuple[Area, ...]:
    """The known areas among `areas`, each once, in the order of AREAS."""
    given = set(areas)
    return tuple(a for a in AREAS if a in given)


class Scheme(BaseModel):
    """A scheme (ordning) of one cycle; its code goes into reference numbers.

    `covers` are the fields its measures may be about (a partnership in another field
    does not report to it); `former` are names people still use for it (Dekom, Rekom,
    KKUB …): a person who writes one is told what the scheme is called now.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{3,6}$")
    name: str = Field(min_length=3, max_length=100)
    covers: tuple[Area, ...] = Field(min_length=1)
    description: str = Field(min_length=10, max_length=300)
    former: tuple[str, ...] = ()
    source: str = Field(min_length=10, max_length=400)
    url: HttpsUrl | None = None

    @field_validator("covers")
    @classmethod
    def _covers(cls, covers: tuple[Area, ...]) -> tuple[Area, ...]:
        if len(set(covers)) != len(covers):
            raise ValueError("samme felt er nevnt to ganger")
        return in_order(covers)

    def known_as(self, word: str) -> bool:
        """'kku', 'KKU', the scheme's name or one of its former names."""
        wanted = word.strip().casefold()
        return bool(wanted) and wanted in {self.code.casefold(), self.name.casefold(),
                                           *(f.casefold() for f in self.former)}

    def was_called(self, word: str) -> str | None:
        """The former name `word` stands for ('dekom' -> 'Dekom'), or None."""
        wanted = word.strip().casefold()
        return next((f for f in self.former if f.casefold() == wanted), None)


class Practice(BaseModel):
    """Rules Kompis enforces that no source states: this region's practice, set here so
    a region can change them, and said as practice (never as the regulation) on cards.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date
    end: date
    max_amount: int | None = Field(None, ge=1, le=1_000_000_000)
    late_reports: Literal["merkes", "avvises"] = "merkes"
    reopen_after_deadline: bool = False
    # who set it and why: no seed or public page states these, so it says «praksis»
    source: str = Field(min_length=10, max_length=600)

    @model_validator(mode="after")
    def _check(self) -> Practice:
        if self.end <= self.start:
            raise ValueError("end må være etter start")
        return self


class CycleRules(BaseModel):
    """One cycle's settings: which schemes, how many measures, and the region's practice
    (period, amount cap, late reports, reopening)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^\d{4}/\d{4}$")
    accepts_reports: bool = True
    max_measures: int = Field(5, ge=1, le=20)
    practice: Practice
    schemes: tuple[Scheme, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> CycleRules:
        first, second = (int(part) for part in self.id.split("/"))
        if second != first + 1:
            raise ValueError("id må være to år etter hverandre, for eksempel 2026/2027")
        codes = [s.code for s in self.schemes]
        if len(codes) != len(set(codes)):
            raise ValueError("samme ordningskode er brukt to ganger")
        return self

    @property
    def year(self) -> int:
        """The cycle's first year, as in reference numbers (BM-2026-…)."""
        return int(self.id[:4])

    @property
    def start(self) -> date:
        return self.practice.start

    @property
    def end(self) -> date:
        return self.practice.end

    @property
    def max_amount(self) -> int | None:
        return self.practice.max_amount

    def scheme(self, code: str) -> Scheme | None:
        return next((s for s in self.schemes if s.code == code), None)

    def scheme_of(self, code: str) -> Scheme | None:
        """The scheme a stored report's code belongs to: its own, or the scheme that
        took over a code used earlier in this cycle (KKUB, KKUS -> KKU)."""
        return self.scheme(code) or next(
            (s for s in self.schemes if code in {f.upper() for f in s.former}), None)


class UhPartner(BaseModel):
    """A university or university college a partnership works with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=100)
    short: str | None = Field(None, min_length=2, max_length=12)
    # Where it is named (seed and place), or that it is a choice in the form (practice).
    source: str | None = Field(None, min_length=5, max_length=300)

    @property
    def label(self) -> str:
        """'Norges teknisk-naturvitenskapelige universitet (NTNU)': the choice title."""
        return f"{self.name} ({self.short})" if self.short else self.name


class SchemesFile(BaseModel):
    """content/ordninger.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cycles: tuple[CycleRules, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SchemesFile:
        ids = [c.id for c in self.cycles]
        if len(ids) != len(set(ids)):
            raise ValueError("samme syklus er brukt to ganger")
        return self


class UhFile(BaseModel):
    """content/uh.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    uh_partners: tuple[UhPartner, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> UhFile:
        ids = [u.id for u in self.uh_partners]
        if len(ids) != len(set(ids)):
            raise ValueError("samme id er brukt to ganger")
        return self


class NeedsCatalog(BaseModel):
    """The three content files together, with the lookups the flow and the cards need."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cycles: tuple[CycleRules, ...] = Field(min_length=1)
    uh_partners: tuple[UhPartner, ...] = Field(min_length=1)
    networks: NetworkCatalog

    # --- lookups (None when unknown: ids arrive from cards and may be anything) --------

    def cycle(self, cycle_id: str) -> CycleRules | None:
        return next((c for c in self.cycles if c.id == cycle_id), None)

    def open_cycles(self) -> tuple[CycleRules, ...]:
        """Cycles that take new reports, newest first."""
        return tuple(sorted((c for c in self.cycles if c.accepts_reports),
                            key=lambda c: c.id, reverse=True))

    def schemes_for(self, cycle_id: str) -> tuple[Scheme, ...]:
        cycle = self.cycle(cycle_id)
        return cycle.schemes if cycle else ()

    def scheme(self, cycle_id: str, code: str) -> Scheme | None:
        cycle = self.cycle(cycle_id)
        return cycle.scheme(code) if cycle else None

    def network(self, network_id: str) -> NetworkEntry | None:
        return self.networks.get(network_id)

    def uh(self, uh_id: str) -> UhPartner | None:
        return next((u for u in self.uh_partners if u.id == uh_id), None)

    # --- choices for the header card ---------------------------------------------------

    def cycle_choices(self) -> list[Choice]:
        return [(c.id, c.id) for c in self.open_cycles()]

    def scheme_choices(self, cycle_id: str) -> list[Choice]:
        """Each scheme with what it covers: 'Name (CODE) – description'."""
        return [(s.code, f"{s.name} ({s.code}) – {s.description}")
                for s in self.schemes_for(cycle_id)]

    def current_for(self, word: str, cycle_id: str) -> tuple[Scheme, str] | None:
        """'Dekom' in `cycle_id` -> (the scheme that took over, 'Dekom'); None when the
        word is no former name of a scheme of that cycle."""
        for scheme in self.schemes_for(cycle_id):
            former = scheme.was_called(word)
            if former:
                return scheme, former
        return None

    def network_choices(self) -> list[Choice]:
        return [(n.id, n.name) for n in self.networks.networks]

    def uh_choices(self) -> list[Choice]:
        return [(u.id, u.label) for u in self.uh_partners]


SchemeCatalog = NeedsCatalog  # the name the flow was first written against


def load_catalog(*, schemes: Path | None = None, uh: Path | None = None,
                 networks: Path | None = None) -> NeedsCatalog:
    """Load and check ordninger.yaml, uh.yaml and nettverk.yaml (ContentError if broken)."""
    cycles = load_model(schemes or SCHEMES_FILE, SchemesFile).cycles
    partners = load_model(uh or UH_FILE, UhFile).uh_partners
    return NeedsCatalog(cycles=cycles, uh_partners=partners,
                        networks=load_networks(networks or NETWORKS_FILE))


def load_schemes(path: Path | None = None) -> NeedsCatalog:
    """The catalog with ordninger.yaml taken from `path` (tests point it at a temp file)."""
    return load_catalog(schemes=path)
