"""Load the glossary and criteria from content/, checking them against each other."""

from __future__ import annotations

from pathlib import Path

from domain.content import CONTENT_DIR, ContentError, load_model
from domain.glossary.models import Criteria, Glossary

GLOSSARY_FILE = CONTENT_DIR / "ordliste.yaml"
CRITERIA_FILE = CONTENT_DIR / "kriterier.yaml"


def load_glossary(path: Path | None = None) -> Glossary:
    return load_model(path or GLOSSARY_FILE, Glossary)


def load_criteria(path: Path | None = None, glossary: Glossary | None = None) -> Criteria:
    """Criteria; with `glossary`, each criterion's glossary link must exist."""
    path = path or CRITERIA_FILE
    criteria = load_model(path, Criteria)
    if glossary is not None:
        broken = [f"criteria (nummer {c.number}).glossary: ukjent oppføring {c.glossary!r}"
                  for c in criteria.criteria if c.glossary and glossary.get(c.glossary) is None]
        if broken:
            raise ContentError(path, broken)
    return criteria
