"""Schemes per cycle, the rules of each cycle, and UH partners, from content/ordninger.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.content import CONTENT_DIR, load_model

SCHEMES_FILE = CONTENT_DIR / "ordninger.yaml"


class Scheme(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-ZÆØÅ]{3,6}$")
    name: str = Field(min_length=3, max_length=100)
    target: Literal["barnehage", "skole", "begge"]


class CycleRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^\d{4}/\d{4}$")
    start: date
    end: date
    max_measures: int = Field(5, ge=1, le=20)
    max_amount: int = Field(ge=1)
    schemes: tuple[Scheme, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> CycleRules:
        if self.end <= self.start:
            raise ValueError("end må være etter start")
        codes = [s.code for s in self.schemes]
        if len(codes) != len(set(codes)):
            raise ValueError("samme ordningskode er brukt to ganger")
        return self

    def scheme(self, code: str) -> Scheme | None:
        return next((s for s in self.schemes if s.code == code), None)


class UhPartner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=100)


class SchemeCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cycles: tuple[CycleRules, ...] = Field(min_length=1)
    uh_partners: tuple[UhPartner, ...] = Field(min_length=1)

    def cycle(self, cycle_id: str) -> CycleRules | None:
        return next((c for c in self.cycles if c.id == cycle_id), None)

    def uh(self, uh_id: str) -> UhPartner | None:
        return next((u for u in self.uh_partners if u.id == uh_id), None)


def load_schemes(path: Path | None = None) -> SchemeCatalog:
    return load_model(path or SCHEMES_FILE, SchemeCatalog)
