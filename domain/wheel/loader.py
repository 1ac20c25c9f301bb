"""Loading the wheel, and keeping the last good one when an edited file is broken."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from domain.content import CONTENT_DIR, ContentError, load_model
from domain.wheel.models import Wheel

log = logging.getLogger(__name__)
WHEEL_FILE = CONTENT_DIR / "arshjul.yaml"


def load_wheel(path: Path | None = None) -> Wheel:
    """Read and validate; raises ContentError naming file, event and field."""
    return load_model(path or WHEEL_FILE, Wheel)


@dataclass
class Reload:
    """What a reload did: `error` is set when the file was broken and kept out."""

    changed: bool
    error: ContentError | None = None


class WheelSource:
    """The wheel in use. A running bot re-reads the file when it changes; a broken file
    never replaces the last good wheel, and the error is reported to the caller."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or WHEEL_FILE
        self._wheel = load_wheel(self.path)
        self._mtime = self._stat()

    def _stat(self) -> float:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return -1.0

    @property
    def wheel(self) -> Wheel:
        return self._wheel

    def reload(self) -> Reload:
        mtime = self._stat()
        if mtime == self._mtime:
            return Reload(False)
        self._mtime = mtime
        try:
            self._wheel = load_wheel(self.path)
        except ContentError as exc:
            log.error("årshjulet ble ikke lastet på nytt, beholder forrige: %s", exc)
            return Reload(False, exc)
        log.info("årshjulet er lastet på nytt fra %s", self.path)
        return Reload(True)
