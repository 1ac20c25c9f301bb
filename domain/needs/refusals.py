"""Why a needs-report command was refused: one typed answer per reason.

The aggregate and the service raise these; the dialog shows `message` (Norwegian, ready
for the card) and, for a field, puts it under that field. Nothing was changed when one
of these is raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.needs import texts

if TYPE_CHECKING:
    from domain.needs.models import NeedsReport


class Refused(Exception):
    """A command that changed nothing; `message` says why, in Norwegian."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.report: NeedsReport | None = None  # the report as it is, when it was read

    @property
    def errors(self) -> dict[str, str]:
        """The refusal as form errors: {field: message}, empty when no field is at fault."""
        return {self.field: self.message} if self.field else {}


class NotFound(Refused):
    """No such report (or measure), as far as this person may know."""

    def __init__(self, message: str = texts.UNKNOWN_REPORT) -> None:
        super().__init__(message)


class NotAllowed(Refused):
    """The person may not do this to this report or partnership. `audit` is what the
    audit log records of the refusal: (action, object type, object id)."""

    def __init__(self, message: str = texts.NOT_YOURS, field: str | None = None, *,
                 audit: tuple[str, str, str | None] | None = None) -> None:
        super().__init__(message, field)
        self.audit = audit


class Stale(Refused):
    """The press was made on another version than the report has now; `current` is the
    report as it is (so the person sees what changed), when it could be read."""

    def __init__(self, current: NeedsReport | None = None, *,
                 expected: object = None) -> None:
        super().__init__(texts.STALE)
        self.current = current
        self.expected = expected


class RuleBroken(Refused):
    """A rule of the report or the cycle says no (too many measures, empty report, …)."""


class FormRefused(RuleBroken):
    """A form whose fields are not right: each field's message, to show under it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(texts.FIX_BELOW)
        self._errors = dict(errors)

    @property
    def errors(self) -> dict[str, str]:
        return dict(self._errors)


class Locked(RuleBroken):
    """Fields a started report keeps (scheme, network, partnership), each refused."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field)
        self._errors = dict(errors)

    @property
    def errors(self) -> dict[str, str]:
        return dict(self._errors)


class TooLate(RuleBroken):
    """The deadline has passed for this command (reopening after the deadline)."""


class Duplicate(Refused):
    """The partnership already has a report for this scheme and cycle: `existing`."""

    def __init__(self, existing: NeedsReport, message: str) -> None:
        super().__init__(message)
        self.existing = existing
