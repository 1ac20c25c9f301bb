"""Load content/sporsmal.yaml and content/eksempler.yaml at start, checked against the
glossary."""

from __future__ import annotations

from pathlib import Path

from domain.answers.models import AnswerContent, ExampleBank
from domain.content import CONTENT_DIR, ContentError, load_model
from domain.glossary.models import Glossary

ANSWERS_FILE = CONTENT_DIR / "sporsmal.yaml"
EXAMPLES_FILE = CONTENT_DIR / "eksempler.yaml"


def load_answers(path: Path | None = None, glossary: Glossary | None = None) -> AnswerContent:
    """The rules, small talk and event phrasings, validated; links to terms must exist."""
    path = path or ANSWERS_FILE
    content = load_model(path, AnswerContent)
    if glossary is not None:
        problems = content.problems_with(glossary)
        if problems:
            raise ContentError(path, problems)
    return content


def load_examples(content: AnswerContent, glossary: Glossary,
                  path: Path | None = None) -> ExampleBank:
    """The examples the engine learns from, validated; the rules and terms they name must
    exist."""
    path = path or EXAMPLES_FILE
    bank = load_model(path, ExampleBank)
    problems = bank.problems_with(content, glossary)
    if problems:
        raise ContentError(path, problems)
    return bank
