"""Load the glossary and criteria from content/, checking them against each other.

Called once at start-up; a broken file stops the bot with a message that names the file,
the entry and the field, so whoever edited it can fix it.
"""

from __future__ import annotations

from pathlib import Path

from domain.content import CONTENT_DIR, ContentError, load_model
from domain.glossary.models import Criteria, Glossary

GLOSSARY_FILE = CONTENT_DIR / "ordliste.yaml"
CRITERIA_FILE = CONTENT_DIR / "kriterier.yaml"


def load_glossary(path: Path | None = None) -> Glossary:
    """The glossary in `path` (default content/ordliste.yaml), validated."""
    return load_model(path or GLOSSARY_FILE, Glossary)


def load_criteria(path: Path | None = None, glossary: Glossary | None = None) -> Criteria:
    """The criteria (default content/kriterier.yaml); with `glossary`, links must exist."""
    path = path or CRITERIA_FILE
    criteria = load_model(path, Criteria)
    if glossary is not None:
        problems = criteria.problems_with(glossary)
        if problems:
            raise ContentError(path, problems)
    return criteria
