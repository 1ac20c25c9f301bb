"""The topics the sources disagree on, as data (content/uenigheter.yaml), and a check
that a text does not state one side as fact.

A text "states a side" when it matches one of a topic's `claims` (patterns for wording
that takes a side). That is allowed only when the same text also shows the dispute: a
dispute marker (the file's `markers`, e.g. «kildene er uenige») and, for every side, one
of the ways that side's source is cited (`cited_as`). The unit test in
tests/unit/test_content_truth.py runs this over every card built from content/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.content import CONTENT_DIR, load_model

DISPUTES_FILE = CONTENT_DIR / "uenigheter.yaml"


def _patterns(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"ugyldig mønster {value!r}: {exc}") from exc
    return values


class Side(BaseModel):
    """One side of a dispute: what it says, where, and how a text cites it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    says: str = Field(min_length=10, max_length=400)
    source: str = Field(min_length=5, max_length=300)
    cited_as: tuple[str, ...] = Field(min_length=1)

    @field_validator("cited_as")
    @classmethod
    def _compiles(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _patterns(values)


class Topic(BaseModel):
    """A question the sources answer differently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    question: str = Field(min_length=5, max_length=200)
    sides: tuple[Side, ...] = Field(min_length=2)
    claims: tuple[str, ...] = Field(min_length=1)
    markers: tuple[str, ...] = ()

    @field_validator("claims", "markers")
    @classmethod
    def _compiles(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _patterns(values)


@dataclass(frozen=True)
class Unmarked:
    """A text that states one side of `topic` without showing the dispute."""

    topic: str
    claim: str
    missing: str  # 'markør' or the side's source that is not cited


class Disputes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    markers: tuple[str, ...] = Field(min_length=1)
    topics: tuple[Topic, ...] = Field(min_length=1)

    @field_validator("markers")
    @classmethod
    def _compiles(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _patterns(values)

    @cached_property
    def _compiled(self) -> list[tuple[Topic, list[re.Pattern[str]], re.Pattern[str],
                                      list[list[re.Pattern[str]]]]]:
        flags = re.IGNORECASE
        found = []
        for topic in self.topics:
            marker = re.compile("|".join(f"(?:{m})" for m in self.markers + topic.markers),
                                flags)
            found.append((topic, [re.compile(c, flags) for c in topic.claims], marker,
                          [[re.compile(p, flags) for p in side.cited_as]
                           for side in topic.sides]))
        return found

    def unmarked(self, text: str) -> list[Unmarked]:
        """Every topic `text` takes a side on without the marker and both sides' sources."""
        plain = " ".join(text.split())
        problems: list[Unmarked] = []
        for topic, claims, marker, sides in self._compiled:
            hit = next((m for c in claims if (m := c.search(plain))), None)
            if hit is None:
                continue
            if not marker.search(plain):
                problems.append(Unmarked(topic.id, hit.group(0), "markør"))
                continue
            for side, patterns in zip(topic.sides, sides, strict=True):
                if not any(p.search(plain) for p in patterns):
                    problems.append(Unmarked(topic.id, hit.group(0), side.source))
        return problems


def load_disputes(path: Path | None = None) -> Disputes:
    """content/uenigheter.yaml, validated (patterns compile)."""
    return load_model(path or DISPUTES_FILE, Disputes)
