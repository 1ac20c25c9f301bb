"""Score the matcher on tests/data/questions.yaml (used by the test and the benchmark)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from domain.glossary.matcher import (
    Ambiguous,
    Answer,
    Compare,
    CriterionAnswer,
    DateQuestion,
    Match,
    Matcher,
    NoMatch,
)

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "questions.yaml"


@dataclass(frozen=True)
class Case:
    question: str
    expect: str


def cases() -> list[Case]:
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    return [Case(str(row["q"]), str(row["expect"])) for row in data["questions"]]


def verdict(match: Match) -> str:
    """The match in the file's notation."""
    if isinstance(match, Answer):
        return match.entry.id
    if isinstance(match, Compare):
        return f"compare:{match.first.id}+{match.second.id}"
    if isinstance(match, CriterionAnswer):
        return f"criterion:{match.number}"
    if isinstance(match, DateQuestion):
        return f"date:{match.entry.id if match.entry else 'any'}"
    if isinstance(match, Ambiguous):
        return "ambiguous"
    assert isinstance(match, NoMatch)
    return "nomatch"


def correct(case: Case, got: str) -> bool:
    if case.expect == "date:any":
        return got.startswith("date:")
    return got == case.expect


def evaluate(matcher: Matcher) -> tuple[float, list[tuple[Case, str]]]:
    """(top-1 accuracy, the cases it got wrong with what it said)."""
    wrong = []
    all_cases = cases()
    for case in all_cases:
        got = verdict(matcher.match(case.question))
        if not correct(case, got):
            wrong.append((case, got))
    return 1 - len(wrong) / len(all_cases), wrong
