"""Refusals of the network's part, beside the needs reports' own (same base classes, so
a dialog shows them the same way and a refused access is audited the same way)."""

from __future__ import annotations

from domain.needs.refusals import NotAllowed, NotFound, Refused, RuleBroken
from domain.network.models import Assessment

__all__ = ["AlreadySent", "AssessmentStale", "NotAllowed", "NotFound", "Refused",
           "RuleBroken"]


class AlreadySent(RuleBroken):
    """Someone sent a version after the checklist this press was made on: the second of
    two coordinators sending at once makes no version."""

    def __init__(self, message: str, version: int) -> None:
        super().__init__(message)
        self.version = version


class AssessmentStale(RuleBroken):
    """The assessment was changed by someone else after the card was shown."""

    def __init__(self, message: str, current: Assessment | None) -> None:
        super().__init__(message)
        self.current = current
