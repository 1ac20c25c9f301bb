"""Loading the wheel, and keeping the last good one when an edited file is broken.

The file is edited by people while the bot runs. A mistake must reach the admins as a
clear message and must never take reminders or commands down, so a running source only
ever swaps in a wheel that validated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from domain.content import CONTENT_DIR, ContentError, _entry_label, load_model
from domain.wheel.models import Wheel

log = logging.getLogger(__name__)
WHEEL_FILE = CONTENT_DIR / "arshjul.yaml"


class _TextDates(yaml.SafeLoader):
    """Leaves dates as text, so pydantic parses them and names the field of a bad one."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _locate(path: Path, error: ValueError) -> ContentError:
    """PyYAML raises a bare ValueError for a date like 2026-13-15, naming no place;
    validating the text again with dates as strings finds the event and field."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # a SafeLoader
        Wheel.model_validate(data)
    except ValidationError as exc:
        return ContentError(path, [f"{_entry_label(data, tuple(e['loc']))}: {e['msg']}"
                                   for e in exc.errors()])
    except (OSError, yaml.YAMLError):
        pass
    return ContentError(path, [f"ugyldig verdi ({error})"])


def load_wheel(path: Path | None = None) -> Wheel:
    """Read and validate; raises ContentError naming file, event and field."""
    path = Path(path) if path else WHEEL_FILE
    try:
        return load_model(path, Wheel)
    except ContentError:
        raise
    except ValueError as exc:
        raise _locate(path, exc) from exc


@dataclass(frozen=True)
class Reload:
    """What a reload did. `changed`: a new wheel is in use. `error`: the file changed but
    did not validate and was kept out (reported once per edit of the file)."""

    changed: bool
    error: ContentError | None = None


class WheelSource:
    """The wheel in use, re-read when the file changes.

    The first load raises (a bot must not start without a wheel); after that a broken
    file never replaces the last good wheel, and `reload()` hands the error to the caller,
    which tells the admins. Not thread-safe; call it from the event loop.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else WHEEL_FILE
        signature = self._signature()
        self._wheel = load_wheel(self.path)
        self._seen = signature
        self._error: ContentError | None = None

    def _signature(self) -> tuple[int, int] | None:
        """Modification time and size: changes with every save, cheap to read."""
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    @property
    def wheel(self) -> Wheel:
        """The last wheel that validated."""
        return self._wheel

    @property
    def error(self) -> ContentError | None:
        """The problem with the file on disk, while the last good wheel stands in for it."""
        return self._error

    def reload(self) -> Reload:
        """Re-read the file if it changed since the last look; never raises ContentError."""
        signature = self._signature()
        if signature == self._seen:
            return Reload(False)
        self._seen = signature
        try:
            wheel = load_wheel(self.path)
        except ContentError as exc:
            self._error = exc
            log.error("årshjulet ble ikke lastet på nytt, beholder forrige: %s", exc)
            return Reload(False, exc)
        self._error = None
        changed = wheel != self._wheel
        self._wheel = wheel
        if changed:
            log.info("årshjulet er lastet på nytt fra %s", self.path)
        return Reload(changed)
