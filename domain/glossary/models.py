"""Glossary and criteria as validated data: every entry names its source, related
entries must exist, ids are unique."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    term: str = Field(min_length=2, max_length=80)
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    definition: str = Field(min_length=10, max_length=400)
    explanation: str = Field(min_length=10, max_length=900)
    changing: str | None = Field(None, max_length=900)
    related: tuple[str, ...] = ()
    source: str = Field(min_length=3, max_length=300)

    @model_validator(mode="after")
    def _id(self) -> Entry:
        if not _ID.match(self.id):
            raise ValueError(f"id {self.id!r} skal være små bokstaver, tall og bindestrek")
        return self


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    entries: tuple[Entry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Glossary:
        ids = [e.id for e in self.entries]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"id brukt flere ganger: {', '.join(duplicates)}")
        known = set(ids)
        for entry in self.entries:
            missing = [r for r in entry.related if r not in known]
            if missing:
                raise ValueError(f"{entry.id}: related peker på ukjent id {', '.join(missing)}")
        return self

    def get(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=20)
    title: str = Field(min_length=3, max_length=80)
    glossary: str | None = None
    asks: str = Field(min_length=10, max_length=600)
    show: str = Field(min_length=10, max_length=600)
    source: str = Field(min_length=3, max_length=300)


class Criteria(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        numbers = [c.number for c in self.criteria]
        if len(numbers) != len(set(numbers)):
            raise ValueError("samme kriterienummer er brukt to ganger")
        return self

    def get(self, number: int) -> Criterion | None:
        return next((c for c in self.criteria if c.number == number), None)
