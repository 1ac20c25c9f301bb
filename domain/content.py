"""Load YAML content files into pydantic models, with errors a coordinator can act on.

Content (glossary, annual wheel, schemes, networks) is data edited by people, so a
mistake must name the file, the entry and the field, not print a traceback.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ValidationError

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

M = TypeVar("M", bound=BaseModel)


class ContentError(ValueError):
    """A content file could not be read or did not validate; the message names where."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path.name}: {len(problems)} feil\n{listed}")


def _entry_label(data: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into 'events[3] (id=frist-behov).title'."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, dict):
                    key = node.get("id") or node.get("term") or node.get("name")
                    if key:
                        label = f"[{item}] ({key})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return "".join(parts) or "(roten)"


# libyaml's safe loader where PyYAML was built with it (about ten times faster: the
# examples alone are 11 000 lines, read at every start); the same documents either way
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Read a YAML file, turning syntax errors into a ContentError with the line number."""
    return _parse(path, _read_text(path))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(path, [f"kan ikke leses: {exc.strerror or exc}"]) from exc


def _parse(path: Path, text: str) -> Any:
    try:
        return yaml.load(text, Loader=SAFE_LOADER)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, [f"{where}ugyldig YAML ({problem})"]) from exc


def load_model(path: Path, model: type[M]) -> M:
    """Validate a YAML file as `model`; every problem is listed with entry and field.

    A frozen model is validated once per text of its file and then shared: every server
    the tests start in one process, and every engine a benchmark builds, would otherwise
    parse content/eksempler.yaml again (some 19 500 examples, about a second). The file is read
    each time, so an edited file is validated anew."""
    text = _read_text(path)
    if model.model_config.get("frozen"):
        return _validated_once(path, model, text)
    return _validated(path, model, text)


def _validated(path: Path, model: type[M], text: str) -> M:
    data = _parse(path, text)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{_entry_label(data, tuple(err['loc']))}: {err['msg']}" for err in exc.errors()
        ]
        raise ContentError(path, problems) from exc


# keyed on the whole text (hashed, about a millisecond for the examples, and compared on a
# hit), so a model is never stale; failures raise and are not kept
_validated_once = functools.lru_cache(maxsize=16)(_validated)


def _https(value: str) -> str:
    if not HTTPS.match(value):
        raise ValueError("lenken må være en https-adresse")
    return value


HTTPS = re.compile(r"^https://[^\s<>\"]+$")
HttpsUrl = Annotated[str, AfterValidator(_https)]  # a public page a fact in content/ cites
