"""The network's application service: assess, ask, check, send, look back, look across.

Each method is one transaction through `NetworkStore`: check the person's role for the
network, apply the rule, store, audit and queue what must be sent (outbox) together; or
raise one refusal (domain.network.refusals) and change nothing except, for a refused
access, the audit entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol

from domain.needs.catalog import SchemeCatalog
from domain.needs.models import NeedsReport, partnership_key
from domain.needs.ports import Conflict, Outgoing
from domain.needs.service import Actor, audited_unit
from domain.network import texts
from domain.network.compile import Current, assessed, checklist, compile_snapshot, what_changed
from domain.network.models import (
    ASSESSMENT_MAX,
    QUESTION_MAX,
    Assessment,
    Checklist,
    NetworkReport,
    Snapshot,
    assessment_key,
    compiled_reference,
)
from domain.network.ports import NetworkStore, NetworkUnit
from domain.network.refusals import AlreadySent, AssessmentStale, NotAllowed, NotFound, RuleBroken
from domain.network.themes import Theme, common_themes
from domain.networks import NetworkCatalog
from domain.norsk import OSLO

NETWORK = "network"
REPORT = "needs_report"
COMPILED = "compiled_report"
Card = Mapping[str, Any]


class NetworkCards(Protocol):
    """The cards the service queues in the outbox (built in cards/, passed in)."""

    def question(self, report: NeedsReport, measure_title: str | None, question: str,
                 network: str, asker: str | None) -> Card: ...

    def receipt(self, sent: NetworkReport, network: str, changes: list[str]) -> Card: ...

    def forum_notice(self, sent: NetworkReport, network: str, changes: list[str]) -> Card: ...

    def nudge(self, partnership: Behind, network: str, cycle: str, deadline: date | None,
              today: date) -> Card: ...


Workbook = Callable[[Snapshot, str, str, str, datetime], bytes]  # snapshot, network, cycle,
# scheme, sent at -> the .xlsx bytes as sent


ForumWorkbook = Callable[["Overview", datetime], bytes]


class Calendar(Protocol):
    def now(self) -> datetime: ...

    def network_deadline(self, cycle_id: str) -> date | None: ...


@dataclass(frozen=True)
class Behind:
    """A partnership that has not submitted: its open report, if any, and its chats."""

    name: str
    report_id: str | None
    version: int | None
    chats: tuple[str, ...]


@dataclass(frozen=True)
class Nudged:
    sent: tuple[Behind, ...]
    already: tuple[str, ...]  # reminded today already
    unreachable: tuple[str, ...]  # nobody in it has a chat with Kompis

    @property
    def people(self) -> int:
        return sum(len(p.chats) for p in self.sent)


@dataclass(frozen=True)
class ToAssess:
    """A submitted report as the network assesses it, with the current assessments."""

    report: NeedsReport
    reopened: bool
    assessments: Mapping[str, Assessment]  # measure id -> assessment


@dataclass(frozen=True)
class NetworkLine:
    network_id: str
    name: str
    sent: NetworkReport | None

    @property
    def partnerships(self) -> int:
        return len(self.sent.snapshot.items) if self.sent else 0


@dataclass(frozen=True)
class Overview:
    cycle: str
    scheme: str
    deadline: date | None
    today: date
    lines: tuple[NetworkLine, ...]
    themes: tuple[Theme, ...]

    @property
    def sent(self) -> int:
        return sum(1 for line in self.lines if line.sent)


class NetworkReports:
    def __init__(self, store: NetworkStore, schemes: SchemeCatalog, networks: NetworkCatalog,
                 calendar: Calendar, cards: NetworkCards, workbook: Workbook,
                 forum_workbook: ForumWorkbook) -> None:
        self._store = store
        self._schemes = schemes
        self._networks = networks
        self._calendar = calendar
        self._cards = cards
        self._workbook = workbook
        self._forum_workbook = forum_workbook

    def network_name(self, network_id: str) -> str:
        network = self._networks.get(network_id)
        return network.name if network else network_id

    # --- the assessment ------------------------------------------------------------------

    async def to_assess(self, actor: Actor, report_id: str) -> ToAssess:
        async with self._unit(actor) as unit:
            current = await self._coordinated(unit, actor, report_id, "assessment.open")
            report, reopened = _submitted(current)
            found = await unit.assessments([report.id])
        return ToAssess(report, reopened, {m: a for (_, m), a in found.items()})

    async def assess(self, actor: Actor, report_id: str, typed: Mapping[str, str],
                     versions: Mapping[str, int]) -> ToAssess:
        """Save the assessments that changed (each a new version), all or none."""
        for text in typed.values():
            if len(text.strip()) > ASSESSMENT_MAX:
                raise RuleBroken(texts.TOO_LONG.format(length=len(text.strip()),
                                                       max=ASSESSMENT_MAX))
        try:
            async with self._unit(actor) as unit:
                current = await self._coordinated(unit, actor, report_id, "assessment.save")
                report, reopened = _submitted(current)
                now = self._calendar.now()
                found = {m: a for (_, m), a in (await unit.assessments([report.id])).items()}
                saved = dict(found)
                for measure in report.measures:
                    if measure.id not in typed:
                        continue
                    text = typed[measure.id].strip()
                    before = found.get(measure.id)
                    if text == (before.text if before else ""):
                        continue
                    if versions.get(measure.id, 0) != (before.version if before else 0):
                        raise AssessmentStale(texts.STALE_ASSESSMENT.format(
                            who="En annen koordinator", title=measure.title), before)
                    if not text:
                        raise RuleBroken(texts.EMPTY_ASSESSMENT)
                    new = Assessment(report.id, measure.id, text,
                                     (before.version if before else 0) + 1, actor.id, now)
                    await unit.add_assessment(new, network_id=report.header.network_id,
                                              cycle=report.header.cycle)
                    saved[measure.id] = new
                changed = [m for m in saved if saved[m] is not found.get(m)]
                if not changed:
                    raise RuleBroken(texts.NOTHING_CHANGED if any(
                        t.strip() for t in typed.values()) else texts.EMPTY_ASSESSMENT)
                unit.audit(actor=actor.id, action="assessment.save", object_type=REPORT,
                           object_id=report.id,
                           detail={"measures": {m: saved[m].version for m in changed}})
        except Conflict:
            raise AssessmentStale(texts.STALE_ASSESSMENT.format(
                who="En annen koordinator", title="tiltaket"), None) from None
        return ToAssess(report, reopened, saved)

    async def ask(self, actor: Actor, report_id: str, measure_id: str | None,
                  question: str) -> int:
        """«Be om avklaring»: the question reaches every member's chat with Kompis once
        (the outbox), with the report's reference; the number of chats it went to."""
        question = question.strip()
        if not question:
            raise RuleBroken(texts.QUESTION_EMPTY)
        if len(question) > QUESTION_MAX:
            raise RuleBroken(texts.QUESTION_TOO_LONG.format(length=len(question),
                                                            max=QUESTION_MAX))
        async with self._unit(actor) as unit:
            current = await self._coordinated(unit, actor, report_id, "assessment.ask")
            report, _ = _submitted(current, allow_draft=True)
            measure = report.measure(measure_id) if measure_id else None
            if measure_id and measure is None:
                raise NotFound(texts.UNKNOWN_MEASURE)
            h = report.header
            chats = await unit.member_chats(h.network_id, h.partnership_name)
            if not chats:
                raise RuleBroken(texts.NO_CHAT.format(partnership=h.partnership_name,
                                                      contact=h.contact_email))
            card = self._cards.question(report, measure.title if measure else None, question,
                                        self.network_name(h.network_id), actor.name)
            digest = hashlib.sha256(question.encode()).hexdigest()[:16]
            for chat in chats:
                unit.send(Outgoing(f"clarify|{report.id}|{measure_id or ''}|{digest}|{chat}",
                                   chat, "notice", {"card": dict(card)}))
            unit.audit(actor=actor.id, action="assessment.ask", object_type=REPORT,
                       object_id=report.id,
                       detail={"measure": measure_id, "chats": len(chats), "digest": digest})
        return len(chats)

    # --- «Send påminnelse nå» ------------------------------------------------------------

    async def behind(self, actor: Actor, network_id: str, cycle: str) -> list[Behind]:
        """The partnerships of a network that have not submitted in `cycle` (a draft, a
        reopened report, or nothing yet), with their members' chats with Kompis."""
        async with self._unit(actor) as unit:
            self._may_coordinate(actor, network_id, "nudge.list")
            return await self._behind(unit, network_id, cycle)

    async def nudge(self, actor: Actor, network_id: str, cycle: str,
                    deadline: date | None) -> Nudged:
        """A reminder now to every partnership behind, through the outbox: once per
        partnership per day (a second press the same day sends nothing), audited."""
        async with self._unit(actor) as unit:
            self._may_coordinate(actor, network_id, "nudge.send")
            today = self._calendar.now().astimezone(OSLO).date()
            behind = await self._behind(unit, network_id, cycle)
            sent, already, unreachable = [], [], []
            name = self.network_name(network_id)
            for partnership in behind:
                if not partnership.chats:
                    unreachable.append(partnership.name)
                    continue
                key = f"nudge|{network_id}|{cycle}|{partnership_key(partnership.name)}|{today}"
                if await unit.queued(f"{key}|{partnership.chats[0]}"):
                    already.append(partnership.name)
                    continue
                card = self._cards.nudge(partnership, name, cycle, deadline, today)
                for chat in partnership.chats:
                    unit.send(Outgoing(f"{key}|{chat}", chat, "notice", {"card": dict(card)}))
                sent.append(partnership)
            unit.audit(actor=actor.id, action="nudge.send", object_type=NETWORK,
                       object_id=network_id,
                       detail={"cycle": cycle, "sent": [p.name for p in sent],
                               "already": already, "unreachable": unreachable})
        return Nudged(tuple(sent), tuple(already), tuple(unreachable))

    async def _behind(self, unit: NetworkUnit, network_id: str, cycle: str) -> list[Behind]:
        """Behind: no report in the cycle, or one that is not submitted (per scheme)."""
        reports: dict[str, list[NeedsReport]] = {}
        for current in await unit.reports(network_id, cycle):
            key = partnership_key(current.report.header.partnership_name)
            reports.setdefault(key, []).append(current.report)
        result = []
        for name in sorted(await unit.partnership_names(network_id), key=str.casefold):
            mine = reports.get(partnership_key(name), [])
            open_ = next((r for r in mine if not r.submitted), None)
            if mine and open_ is None:
                continue
            result.append(Behind(name, open_.id if open_ else None,
                                 open_.version if open_ else None,
                                 tuple(await unit.member_chats(network_id, name))))
        return result

    # --- the compiled report -------------------------------------------------------------

    async def checklist(self, actor: Actor, network_id: str, cycle: str,
                        scheme: str) -> Checklist:
        async with self._unit(actor) as unit:
            self._may_coordinate(actor, network_id, "compiled.checklist")
            snapshot = await self._snapshot(unit, network_id, cycle, scheme)
            last = await unit.last_sent(network_id, cycle, scheme)
        return checklist(snapshot, network_id=network_id, network=self.network_name(network_id),
                         cycle=cycle, scheme=scheme,
                         deadline=self._calendar.network_deadline(cycle),
                         today=self._calendar.now().astimezone(OSLO).date(), last=last)

    async def send(self, actor: Actor, network_id: str, cycle: str, scheme: str,
                   expected: object) -> tuple[NetworkReport, list[str]]:
        """Freeze what is submitted now as the next version; (the version, what changed)."""
        try:
            async with self._unit(actor) as unit:
                self._may_coordinate(actor, network_id, "compiled.send")
                last = await unit.last_sent(network_id, cycle, scheme)
                version = last.version if last else 0
                if expected != version or isinstance(expected, bool):
                    raise AlreadySent(texts.ALREADY_SENT.format(version=version), version)
                snapshot = await self._snapshot(unit, network_id, cycle, scheme)
                if not snapshot.items:
                    raise RuleBroken(texts.NOTHING_TO_SEND.format(
                        scheme=scheme, network=self.network_name(network_id)))
                now = self._calendar.now()
                deadline = self._calendar.network_deadline(cycle)
                late = deadline is not None and now > datetime.combine(
                    deadline, time(23, 59, 59), OSLO)
                network = self._networks.get(network_id)
                sent = NetworkReport(
                    network_id, cycle, scheme, version + 1,
                    compiled_reference(cycle, network.code if network else "XXX", scheme),
                    now, actor.id, actor.name, late, snapshot)
                name = self.network_name(network_id)
                await unit.add_sent(sent, self._workbook(snapshot, name, cycle, scheme, now))
                changes = what_changed(last.snapshot if last else None, snapshot)
                key = f"compiled|{network_id}|{cycle}|{scheme}|{sent.version}"
                channel = await unit.coordinator_channel(network_id)
                if channel:
                    unit.send(Outgoing(f"{key}|{channel}", channel, "notice",
                                       {"card": dict(self._cards.receipt(sent, name, changes))}))
                for chat in await unit.forum_chats():
                    if chat != channel:
                        unit.send(Outgoing(f"{key}|{chat}", chat, "notice", {"card": dict(
                            self._cards.forum_notice(sent, name, changes))}))
                unit.audit(actor=actor.id, action="compiled.send", object_type=COMPILED,
                           object_id=sent.reference,
                           detail={"version": sent.version, "late": late,
                                   "reports": len(snapshot.items)})
        except Conflict:
            raise AlreadySent(texts.ALREADY_SENT.format(version=version + 1),
                              version + 1) from None
        return sent, changes

    async def history(self, actor: Actor, reference: str) -> list[NetworkReport]:
        """Every sent version of a compiled report, oldest first: for its network's
        coordinators, samarbeidsforum and admins; unknown to anyone else."""
        versions = await self._store.sent_versions(reference.upper())
        if not versions:
            raise NotFound(texts.UNKNOWN_COMPILED.format(reference=reference.upper()))
        network_id = versions[0].network_id
        if not (actor.principal.may_coordinate(network_id)
                or actor.principal.may_view_all_networks()):
            await self._store.refused(actor=actor.id, action="compiled.history",
                                      object_type=COMPILED, object_id=reference.upper())
            raise NotFound(texts.UNKNOWN_COMPILED.format(reference=reference.upper()))
        return versions

    async def sent_of(self, network_id: str, cycle: str) -> dict[str, NetworkReport]:
        """The newest sent version per scheme of one network (for `status`)."""
        return {s.scheme: s for s in await self._store.latest_sent(cycle, network_id)}

    async def networks_done(self, cycle: str) -> set[str]:
        """The networks with nothing left to send in `cycle`: they have sent a compiled
        report, for every scheme their partnerships have submitted reports in."""
        sent: dict[str, set[str]] = {}
        for s in await self._store.latest_sent(cycle):
            sent.setdefault(s.network_id, set()).add(s.scheme)
        submitted = await self._store.submitted_schemes(cycle)
        return {network for network, schemes in sent.items()
                if submitted.get(network, set()) <= schemes}

    async def current_assessments(self, network_id: str, cycle: str) -> dict[str, str]:
        """'<report id>/<measure id>' -> the assessment now, for the live spreadsheet."""
        return await self._store.current_assessments(network_id, cycle)

    async def sent_workbook(self, network_id: str, cycle: str, scheme: str,
                            version: int) -> bytes | None:
        return await self._store.workbook(network_id, cycle, scheme, version)

    async def forum_workbook(self, cycle: str, scheme: str) -> bytes:
        overview = await self._overview(cycle, scheme)
        return self._forum_workbook(overview, self._calendar.now())

    # --- across networks ------------------------------------------------------------------

    async def overview(self, actor: Actor, cycle: str, scheme: str) -> Overview:
        if not actor.principal.may_view_all_networks():
            await self._store.refused(actor=actor.id, action="forum.overview",
                                      object_type=NETWORK, object_id=None)
            raise NotAllowed(texts.ONLY_FORUM)
        return await self._overview(cycle, scheme)

    async def _overview(self, cycle: str, scheme: str) -> Overview:
        latest = {(s.network_id, s.scheme): s for s in await self._store.latest_sent(cycle)}
        lines = tuple(NetworkLine(n.id, n.name, latest.get((n.id, scheme)))
                      for n in self._networks.networks)
        measures = [(line.name, item.report.header.partnership_name, m)
                    for line in lines if line.sent
                    for item in line.sent.snapshot.items for m in item.report.measures]
        return Overview(cycle, scheme, self._calendar.network_deadline(cycle),
                        self._calendar.now().astimezone(OSLO).date(), lines,
                        tuple(common_themes(measures)))

    async def shared_with_partnership(self, report: NeedsReport) -> tuple[tuple[str, str], ...]:
        """What the network said about a partnership's measures, once it has sent: the
        newest sent version that has the report (read-only for its members)."""
        h = report.header
        for sent in reversed(await self._store.sent_versions(compiled_reference(
                h.cycle, self._code(h.network_id), h.scheme))):
            found = assessed(sent.snapshot, report.id)
            if any(i.report.id == report.id for i in sent.snapshot.items):
                return tuple(found)
        return ()

    # --- inside ------------------------------------------------------------------------------

    def _code(self, network_id: str) -> str:
        network = self._networks.get(network_id)
        return network.code if network else "XXX"

    def _unit(self, actor: Actor) -> AbstractAsyncContextManager[NetworkUnit]:
        return audited_unit(self._store, actor)

    def _may_coordinate(self, actor: Actor, network_id: str, action: str) -> None:
        if not actor.principal.may_coordinate(network_id):
            raise NotAllowed(texts.ONLY_COORDINATORS.format(
                network=self.network_name(network_id)), audit=(action, NETWORK, network_id))

    async def _coordinated(self, unit: NetworkUnit, actor: Actor, report_id: str,
                           action: str) -> Current:
        current = await unit.report(report_id) if 0 < len(report_id) <= 36 else None
        if current is None:
            raise NotFound(texts.UNKNOWN_REPORT)
        network_id = current.report.header.network_id
        if not actor.principal.may_coordinate(network_id):
            raise NotAllowed(texts.ONLY_COORDINATORS.format(
                network=self.network_name(network_id)), audit=(action, REPORT, report_id))
        return current

    async def _snapshot(self, unit: NetworkUnit, network_id: str, cycle: str,
                        scheme: str) -> Snapshot:
        reports = await unit.reports(network_id, cycle)
        ids = [c.report.id for c in reports]
        found = await unit.assessments(ids)
        return compile_snapshot(reports, scheme=scheme, cycle=cycle,
                                partnerships=await unit.partnership_names(network_id),
                                assessments={assessment_key(r, m): a.text
                                             for (r, m), a in found.items()})


def _submitted(current: Current, *, allow_draft: bool = False) -> tuple[NeedsReport, bool]:
    """The version the network works on: the submitted one (for a reopened report, the
    one it last sent in)."""
    report = current.report
    if report.submitted:
        return report, False
    if current.last_submitted is not None:
        return current.last_submitted, True
    if allow_draft:
        return report, False
    raise RuleBroken(texts.NOT_SUBMITTED.format(partnership=report.header.partnership_name))
