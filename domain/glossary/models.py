"""The glossary and the allocation criteria as validated data.

Both files are edited by people (coordinators, Statsforvalteren's staff), so every check
that spans entries (unique ids, related ids that exist, a synonym that steals another
entry's term) reports the entry and the field it is about, the way `load_model` reports a
missing field: `entries[6] (vedtak).related: ukjent id finnes-ikke`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from domain.content import HttpsUrl

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")

Problem = tuple[tuple[str | int, ...], str]


def fold(value: str) -> str:
    """Case- and space-insensitive form used to compare terms, synonyms and abbreviations."""
    return " ".join(unicodedata.normalize("NFKC", value).lower().split())


def _raise(title: str, problems: list[Problem]) -> None:
    """Report cross-entry problems at the entry and field they concern (not at the root)."""
    if problems:
        raise ValidationError.from_exception_data(title, [
            InitErrorDetails(type=PydanticCustomError("innhold", message), loc=loc, input=None)
            for loc, message in problems
        ])


def _check_words(values: Iterable[str]) -> tuple[str, ...]:
    cleaned = tuple(" ".join(v.split()) for v in values)
    if any(not v for v in cleaned):
        raise ValueError("tom tekst i listen")
    folded = [fold(v) for v in cleaned]
    repeated = sorted({v for v in folded if folded.count(v) > 1})
    if repeated:
        raise ValueError(f"står flere ganger: {', '.join(repeated)}")
    return cleaned


class Entry(BaseModel):
    """One glossary term, with what the sources say about it and where they say it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    term: str = Field(min_length=2, max_length=80)
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    definition: str = Field(min_length=10, max_length=300)
    explanation: str = Field(min_length=10, max_length=900)
    changing: str | None = Field(None, min_length=10, max_length=900)
    related: tuple[str, ...] = ()
    source: str = Field(min_length=10, max_length=400)
    url: HttpsUrl | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"{value!r} skal være små bokstaver a-z, tall og bindestrek")
        return value

    @field_validator("abbreviations", "synonyms", "related")
    @classmethod
    def _lists(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _check_words(values)

    @field_validator("definition")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        value = " ".join(value.split())
        if re.search(r"[.!?]\s+[A-ZÆØÅ]", value):
            raise ValueError("definisjonen skal være én setning")
        return value

    @model_validator(mode="after")
    def _not_self(self) -> Entry:
        if self.id in self.related:
            raise ValueError(f"{self.id} kan ikke vise til seg selv i related")
        return self

    def keys(self) -> tuple[str, ...]:
        """Every written form that names this entry: term, abbreviations, synonyms."""
        return (self.term, *self.abbreviations, *self.synonyms)


class Glossary(BaseModel):
    """All entries; ids and terms are unique and every `related` id exists."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entries: tuple[Entry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Glossary:
        problems: list[Problem] = []
        first_index: dict[str, int] = {}
        for i, entry in enumerate(self.entries):
            if entry.id in first_index:
                problems.append((("entries", i, "id"), f"id brukt flere ganger: {entry.id} "
                                 f"(også entries[{first_index[entry.id]}])"))
            first_index.setdefault(entry.id, i)
        terms = {fold(e.term): e.id for e in self.entries}
        seen_terms: set[str] = set()
        for i, entry in enumerate(self.entries):
            term = fold(entry.term)
            if term in seen_terms:
                problems.append((("entries", i, "term"), f"termen {entry.term!r} finnes før"))
            seen_terms.add(term)
            missing = [r for r in entry.related if r not in first_index]
            if missing:
                problems.append((("entries", i, "related"),
                                 f"ukjent id {', '.join(missing)}"))
            for field, values in (("synonyms", entry.synonyms),
                                  ("abbreviations", entry.abbreviations)):
                for value in values:
                    owner = terms.get(fold(value))
                    if owner is not None and owner != entry.id:
                        problems.append((("entries", i, field),
                                         f"{value!r} er termen til {owner}"))
        _raise("Glossary", problems)
        return self

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None (ids come from card presses, so may be stale)."""
        return next((e for e in self.entries if e.id == entry_id), None)


class Criterion(BaseModel):
    """An allocation criterion: what it asks of a needs report and how to show it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=20)
    title: str = Field(min_length=3, max_length=80)
    glossary: str | None = None
    asks: str = Field(min_length=10, max_length=600)
    show: str = Field(min_length=10, max_length=700)
    source: str = Field(min_length=10, max_length=400)
    # True when the source itself gives this number (only 5 and 6 in the 2026 seeds);
    # otherwise the number is Kompis' own label, says nothing of order, and cards say so.
    numbered_in_source: bool = False


class Criteria(BaseModel):
    """The criteria, unique by number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    criteria: tuple[Criterion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Criteria:
        problems: list[Problem] = []
        seen: set[int] = set()
        for i, criterion in enumerate(self.criteria):
            if criterion.number in seen:
                problems.append((("criteria", i, "number"),
                                 f"nummer {criterion.number} er brukt før"))
            seen.add(criterion.number)
        _raise("Criteria", problems)
        return self

    def get(self, number: int) -> Criterion | None:
        """The criterion with this number, or None."""
        return next((c for c in self.criteria if c.number == number), None)

    def for_entry(self, entry_id: str) -> Criterion | None:
        """The criterion that explains this glossary entry, if any."""
        return next((c for c in self.criteria if c.glossary == entry_id), None)

    def problems_with(self, glossary: Glossary) -> list[str]:
        """Links to glossary entries that do not exist, located as content errors are."""
        return [f"criteria[{i}] (nummer {c.number}).glossary: ukjent oppføring {c.glossary}"
                for i, c in enumerate(self.criteria)
                if c.glossary and glossary.get(c.glossary) is None]
