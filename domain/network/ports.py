"""What the network service needs from the store, as protocols (one transaction each)."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from domain.needs.ports import Outgoing
from domain.network.compile import Current
from domain.network.models import Assessment, NetworkReport


class NetworkUnit(Protocol):
    async def report(self, report_id: str) -> Current | None:
        """A report as it is, with its last submitted version when it is reopened."""

    async def reports(self, network_id: str, cycle: str) -> list[Current]: ...

    async def partnership_names(self, network_id: str) -> list[str]: ...

    async def assessments(self, report_ids: list[str]) -> dict[tuple[str, str], Assessment]:
        """The current assessment of each assessed measure: (report id, measure id) -> it."""

    async def add_assessment(self, assessment: Assessment, *, network_id: str,
                             cycle: str) -> None:
        """Store a new version; raises `Conflict` when that version exists (someone else
        saved first)."""

    async def last_sent(self, network_id: str, cycle: str,
                        scheme: str) -> NetworkReport | None: ...

    async def add_sent(self, sent: NetworkReport, workbook: bytes) -> None:
        """Store a sent version; raises `Conflict` when that version exists."""

    async def member_chats(self, network_id: str, partnership: str) -> list[str]:
        """The personal chats with Kompis of the partnership's members."""

    async def coordinator_channel(self, network_id: str) -> str | None: ...

    async def forum_chats(self) -> list[str]:
        """Conversations that follow samarbeidsforum (subscribed to its reminders)."""

    def audit(self, *, actor: str | None, action: str, object_type: str,
              object_id: str | None, detail: Mapping[str, Any] | None = None) -> None: ...

    def send(self, message: Outgoing) -> None: ...

    async def queued(self, dedupe_key: str) -> bool:
        """Whether an outbox message with this key exists (sent or waiting)."""


class NetworkStore(Protocol):
    def unit(self) -> AbstractAsyncContextManager[NetworkUnit]:
        """A transaction; raises `Conflict` when a uniqueness rule stops the commit."""

    async def refused(self, *, actor: str | None, action: str, object_type: str,
                      object_id: str | None, detail: Mapping[str, Any] | None = None) -> None:
        ...

    async def sent_versions(self, reference: str) -> list[NetworkReport]: ...

    async def workbook(self, network_id: str, cycle: str, scheme: str,
                       version: int) -> bytes | None: ...

    async def latest_sent(self, cycle: str,
                          network_id: str | None = None) -> list[NetworkReport]:
        """The newest sent version of every network (or one) and scheme in a cycle."""

    async def submitted_schemes(self, cycle: str) -> dict[str, set[str]]:
        """network id -> the schemes it has submitted (or reopened) reports in."""

    async def current_assessments(self, network_id: str, cycle: str) -> dict[str, str]:
        """'<report id>/<measure id>' -> the newest assessment text in a network's cycle."""

