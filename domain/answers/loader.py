"""Load content/sporsmal.yaml at start, checked against the glossary."""

from __future__ import annotations

from pathlib import Path

from domain.answers.models import AnswerContent
from domain.content import CONTENT_DIR, ContentError, load_model
from domain.glossary.models import Glossary

ANSWERS_FILE = CONTENT_DIR / "sporsmal.yaml"


def load_answers(path: Path | None = None, glossary: Glossary | None = None) -> AnswerContent:
    """The rules, small talk and event phrasings, validated; links to terms must exist."""
    path = path or ANSWERS_FILE
    content = load_model(path, AnswerContent)
    if glossary is not None:
        problems = content.problems_with(glossary)
        if problems:
            raise ContentError(path, problems)
    return content
