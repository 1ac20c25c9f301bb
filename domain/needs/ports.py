"""What the needs-report service needs from the outside, as protocols.

The store implements `NeedsStore` (SQLAlchemy); the unit tests can implement it in
memory. A `NeedsUnit` is one transaction: everything done through it commits together
or not at all — the report, its version row, its members, the audit entries and the
messages that must be sent because of the change (the outbox).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from domain.needs.models import NeedsReport


class Conflict(Exception):
    """A uniqueness rule of the store stopped the commit (two people created the same
    report at once); nothing was written."""


@dataclass(frozen=True)
class Outgoing:
    """A message to send once the transaction commits (an outbox row)."""

    dedupe_key: str
    conversation_id: str
    kind: str
    payload: Mapping[str, Any]


class NeedsUnit(Protocol):
    async def get(self, report_id: str) -> NeedsReport | None: ...

    async def find(self, cycle: str, schemes: Sequence[str], network_id: str,
                   partnership: str) -> NeedsReport | None:
        """The partnership's report in the cycle under the first of `schemes` that has one."""

    async def add(self, report: NeedsReport, *, actor: str) -> None:
        """Store version 1 of a new report."""

    async def save(self, report: NeedsReport, *, expected: int, actor: str,
                   action: str) -> None:
        """Store `report` (its version already bumped) if the stored version is still
        `expected`; otherwise raise `Stale` with the stored report."""

    async def next_reference(self, cycle: str, network_id: str, scheme: str) -> int:
        """The next number of a reference series; taken numbers are never reused, and a
        rolled-back transaction gives its number back (no gaps)."""

    async def members(self, network_id: str, partnership: str) -> frozenset[str]:
        """The object ids of the people who work on a partnership's reports."""

    async def partnership_known(self, network_id: str, partnership: str) -> bool:
        """Whether any report of the partnership exists (in any scheme or cycle)."""

    async def partnership_names(self, network_id: str) -> list[str]:
        """The names of the partnerships of a network."""

    async def partnerships_of(self, aad_object_id: str) -> list[tuple[str, str]]:
        """(network id, partnership name) of every partnership the person works on."""

    async def add_member(self, network_id: str, partnership: str, aad_object_id: str, *,
                         name: str | None, conversation_id: str | None) -> None: ...

    async def reports_of(self, network_id: str, partnership: str) -> list[NeedsReport]:
        """Every report of the partnership in the network (all schemes and cycles)."""

    async def move_members(self, network_id: str, partnership: str, renamed: str) -> None:
        """The partnership's members follow it to its new name."""

    async def coordinator_channel(self, network_id: str) -> str | None: ...

    def audit(self, *, actor: str | None, action: str, object_type: str,
              object_id: str | None, detail: Mapping[str, Any] | None = None) -> None: ...

    def send(self, message: Outgoing) -> None: ...


class NeedsStore(Protocol):
    def unit(self) -> AbstractAsyncContextManager[NeedsUnit]:
        """A transaction: commits when the block ends normally, rolls back on an error.
        Raises `Conflict` when a uniqueness rule stops the commit."""

    async def refused(self, *, actor: str | None, action: str, object_type: str,
                      object_id: str | None, detail: Mapping[str, Any] | None = None) -> None:
        """Audit a refusal (in its own transaction: the refused change wrote nothing)."""


class Calendar(Protocol):
    """Now, and the partnerships' deadline of a cycle (end of its day, Oslo time)."""

    def now(self) -> datetime: ...

    def deadline_end(self, cycle_id: str) -> datetime | None: ...
