"""The needs-report application service: one method per command a person can give.

Each method loads the report through the store as a domain object, checks who is asking
and the version their card showed, lets the aggregate apply its rule, and saves, audits
and queues what must be sent, all in one transaction. It returns the new report or
raises one `Refused` (NotFound, NotAllowed, Stale, RuleBroken, TooLate, Duplicate); on a
refusal nothing was written except, for a refused access, the audit entry.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from domain.access import Principal
from domain.markdown import escape_markdown
from domain.needs import renaming, texts
from domain.needs.catalog import CycleRules, SchemeCatalog
from domain.needs.forms import parse_measure, parse_measure_what
from domain.needs.models import (
    Header,
    Measure,
    NeedsReport,
    PendingMeasure,
    partnership_key,
    reference_number,
)
from domain.needs.names import clean_name, lookalike
from domain.needs.ports import Calendar, Conflict, NeedsStore, NeedsUnit, Outgoing
from domain.needs.refusals import (
    Duplicate,
    FormRefused,
    Locked,
    NotAllowed,
    NotFound,
    Refused,
    RuleBroken,
)
from domain.needs.states import Act, Moment, allowed, require
from domain.networks import NetworkCatalog

U = TypeVar("U", covariant=True)
REPORT = "needs_report"
PARTNERSHIP = "partnership"
NoticeCard = Callable[[NeedsReport, str], Mapping[str, Any]]  # (report, network name) -> card


@dataclass(frozen=True)
class Actor:
    """Who gives the command: their Entra object id and name, their roles, and their
    personal chat with Kompis when the command came from there (for reminders)."""

    id: str | None
    name: str | None = None
    principal: Principal = field(default_factory=lambda: Principal(None))
    personal_chat: str | None = None


@dataclass(frozen=True)
class Opened:
    """A report as someone may see it; `member` says whether they may change it."""

    report: NeedsReport
    member: bool


class Store(Protocol[U]):
    """What `audited_unit` needs of a service's store (NeedsStore, NetworkStore)."""

    def unit(self) -> AbstractAsyncContextManager[U]: ...

    async def refused(self, *, actor: str | None, action: str, object_type: str,
                      object_id: str | None, detail: Mapping[str, Any] | None = None
                      ) -> None: ...


@asynccontextmanager
async def audited_unit(store: Store[U], actor: Actor) -> AsyncIterator[U]:
    """A transaction; a refused access (NotAllowed with `audit`) is audited after it has
    rolled back, in a transaction of its own."""
    try:
        async with store.unit() as unit:
            yield unit
    except NotAllowed as refusal:
        if refusal.audit is not None:
            action, object_type, object_id = refusal.audit
            await store.refused(actor=actor.id, action=action, object_type=object_type,
                                object_id=object_id)
        raise


def partnership_id(network_id: str, partnership: str) -> str:
    """How the audit log names a partnership (fits its object id column)."""
    return f"{network_id}/{partnership_key(partnership)}"[:128]


class NeedsReports:
    def __init__(self, store: NeedsStore, schemes: SchemeCatalog, networks: NetworkCatalog,
                 calendar: Calendar, notice_card: NoticeCard) -> None:
        self._store = store
        self._schemes = schemes
        self._networks = networks
        self._calendar = calendar
        self._notice_card = notice_card

    # --- reading -----------------------------------------------------------------------

    def rules(self, report: NeedsReport) -> CycleRules:
        """The settings of the report's cycle (the newest cycle's if it is unknown)."""
        return self._schemes.cycle(report.header.cycle) or self._schemes.cycles[0]

    def _codes_of(self, header: Header) -> tuple[str, ...]:
        """The scheme's code and the codes it took over in the cycle (KKU: KKUB, KKUS),
        so a partnership with a report under an older code is offered that one."""
        cycle = self._schemes.cycle(header.cycle)
        scheme = cycle.scheme(header.scheme) if cycle else None
        if scheme is None:
            return (header.scheme,)
        taken = {f.upper() for f in scheme.former} - {s.code for s in cycle.schemes} \
            if cycle else set()
        return (header.scheme, *sorted(c for c in taken if re.fullmatch(r"[A-Z]{3,6}", c)))

    def moment(self, report: NeedsReport) -> Moment:
        rules = self.rules(report)
        return Moment(self._calendar.now(), self._calendar.deadline_end(report.header.cycle),
                      rules.max_measures, rules.practice)

    def allowed(self, report: NeedsReport, *, member: bool = True) -> frozenset[Act]:
        """The commands the report allows now; a reader who is not a member gets none."""
        return allowed(report, self.moment(report)) if member else frozenset()

    async def open(self, actor: Actor, report_id: str) -> Opened:
        """A member, or a coordinator of the report's network (read-only), may open it."""
        async with self._unit(actor) as unit:
            report = await self._get(unit, report_id)
            member = await self._is_member(unit, actor, report)
            if not member and not actor.principal.may_read_network(report.header.network_id):
                raise _refusal(Act.OPEN, report)
        return Opened(report, member)

    async def check(self, actor: Actor, report_id: str, version: object,
                    act: Act) -> NeedsReport:
        """For a press that only shows the next card (a form, the confirmation): the
        person may change the report, the card was current, and the report allows `act`."""
        async with self._unit(actor) as unit:
            report = await self._writable(unit, actor, report_id, version)
        with _about(report):
            require(report, act, self.moment(report))
        return report

    # --- changing ----------------------------------------------------------------------

    async def start(self, actor: Actor, header: Header) -> NeedsReport:
        """A new report for the partnership. Its first one makes the person a member in
        the same transaction, so no partnership is ever without one."""
        if not actor.id:
            raise NotAllowed(texts.NO_IDENTITY)
        network = self._networks.get(header.network_id)
        network_name = network.name if network else header.network_id
        for attempt in range(2):  # a concurrent start of the same report: show that one
            try:
                async with self._unit(actor) as unit:
                    members = await unit.members(header.network_id, header.partnership_name)
                    if actor.id not in members:
                        await self._may_found(unit, actor, header, network_name, members)
                    existing = await unit.find(header.cycle, self._codes_of(header),
                                               header.network_id, header.partnership_name)
                    if existing is not None:
                        raise Duplicate(existing, texts.DUPLICATE.format(
                            scheme=header.scheme, cycle=header.cycle))
                    report = NeedsReport(header=header)
                    await unit.add(report, actor=actor.id)
                    await unit.add_member(header.network_id, header.partnership_name,
                                          actor.id, name=actor.name,
                                          conversation_id=actor.personal_chat)
                    unit.audit(actor=actor.id, action="report.create", object_type=REPORT,
                               object_id=report.id,
                               detail={"scheme": header.scheme, "cycle": header.cycle,
                                       "network": header.network_id})
                return report
            except Conflict:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def save_header(self, actor: Actor, report_id: str, version: object,
                          header: Header) -> NeedsReport:
        """Owners, UH partner and contact may change; scheme, network and partnership stay
        (members and reference numbers hang on them) and are refused field by field."""
        return await self._change(actor, report_id, version, "header.edit",
                                  lambda r: _correct_header(r, header))

    async def save_measure(self, actor: Actor, report_id: str, version: object,
                           measure_id: str, typed: Mapping[str, Any]) -> NeedsReport:
        """The measure form as typed: read with the report's cycle rules (FormRefused with
        each field's message when it is not right), then added, or put in place of
        `measure_id`. One load and one save."""
        def put(report: NeedsReport) -> None:
            rules = self.rules(report)
            pending = report.pending_measure(measure_id) if measure_id else None
            edit = pending.edit if pending is not None else bool(measure_id)
            require(report, Act.EDIT_MEASURE if edit else Act.ADD_MEASURE, self.moment(report))
            # Step 2 of a measure whose step 1 is saved; a card made before the two steps
            # sends every field at once.
            form = {**typed, **pending.what} if pending is not None else typed
            measure = parse_measure(form, rules, rules.scheme_of(report.header.scheme))
            if isinstance(measure, dict):
                raise FormRefused(measure)
            if edit:
                report.replace_measure(measure_id, measure, rules=rules)
            elif pending is not None:
                report.add_measure(measure.model_copy(update={"id": pending.id}), rules=rules)
            else:
                report.add_measure(measure, rules=rules)

        edited = bool(measure_id)

        def action(report: NeedsReport) -> str:
            return "measure.edit" if edited and report.measure(measure_id) else "measure.add"

        return await self._change(actor, report_id, version, action, put)

    async def measure_step(self, actor: Actor, report_id: str, version: object,
                           measure_id: str, typed: Mapping[str, Any]
                           ) -> tuple[NeedsReport, PendingMeasure]:
        """Step 1 of the measure form (what and who), checked and kept in the report until
        step 2 is saved; returns the report and the step 1 with its id (the measure's,
        for an edit).

        `measure_id` is the measure being edited, a step 1 saved before (back from step
        2) or empty for a new measure. The press may come from a card older than the
        report (another member saved meanwhile): what was typed is kept anyway, since it
        overwrites nothing but this measure's own step 1; a repeated press keeps one."""
        async with self._unit(actor) as unit:
            report = await self._get(unit, report_id)
            if not await self._is_member(unit, actor, report):
                raise _refusal("needs.write", report)
            current = report.version
            with _about(report):
                require(report, Act.NEXT_MEASURE, self.moment(report))
                rules = self.rules(report)
                what, errors = parse_measure_what(typed, rules.scheme_of(report.header.scheme))
                if errors:
                    raise FormRefused(errors)
                before = report.pending_measure(measure_id) if measure_id else None
                stored = report.measure(measure_id) if measure_id else None
                if measure_id and before is None and stored is None:
                    raise RuleBroken(texts.UNKNOWN_MEASURE, "measure_id")
                edit = stored is not None or (before is not None and before.edit)
                same = next((p for p in report.pending if p.what == what and p.by == actor.id
                             and p.edit == edit and (p.id == measure_id or not measure_id)),
                            None)
                if same is not None:  # the same press again: nothing new to keep
                    return report, same
                held = report.hold_measure(
                    PendingMeasure(id=measure_id or report.fresh_measure_id(), edit=edit, what=what,
                                   by=actor.id),
                    max_measures=rules.max_measures)
            return await self._save(unit, actor, report, current, "measure.step"), held

    async def discard_measure(self, actor: Actor, report_id: str, version: object,
                              measure_id: str) -> NeedsReport:
        """Throw away a measure's saved step 1 (an edited measure stays as it was)."""
        return await self._change(actor, report_id, version, "measure.discard",
                                  lambda r: r.drop_pending(measure_id))

    async def add_measure(self, actor: Actor, report_id: str, version: object,
                          measure: Measure) -> NeedsReport:
        return await self._change(actor, report_id, version, "measure.add",
                                  lambda r: r.add_measure(measure, rules=self.rules(r)))

    async def replace_measure(self, actor: Actor, report_id: str, version: object,
                              measure_id: str, measure: Measure) -> NeedsReport:
        return await self._change(
            actor, report_id, version, "measure.edit",
            lambda r: r.replace_measure(measure_id, measure, rules=self.rules(r)))

    async def remove_measure(self, actor: Actor, report_id: str, version: object,
                             measure_id: str) -> NeedsReport:
        return await self._change(actor, report_id, version, "measure.remove",
                                  lambda r: r.remove_measure(measure_id))

    async def submit(self, actor: Actor, report_id: str, version: object) -> NeedsReport:
        """Send in: a reference number from the series (the first time), late when past
        the deadline, and the coordinator channel told in the same transaction."""
        async with self._unit(actor) as unit:
            report = await self._writable(unit, actor, report_id, version)
            with _about(report):
                report.submit(self._calendar.now(), self.moment(report).deadline,
                              self.rules(report).practice)
            h = report.header
            network = self._networks.get(h.network_id)
            if report.reference is None:
                number = await unit.next_reference(h.cycle, h.network_id, h.scheme)
                report.reference = reference_number(
                    h.cycle, network.code if network else "XXX", h.scheme, number)
            saved = await self._save(unit, actor, report, version, "submit")
            channel = await unit.coordinator_channel(h.network_id)
            if channel:
                unit.send(Outgoing(f"submitted|{saved.id}|{saved.version}", channel, "notice",
                                   {"card": dict(self._notice_card(
                                       saved, network.name if network else h.network_id))}))
            return saved

    async def reopen(self, actor: Actor, report_id: str, version: object) -> NeedsReport:
        return await self._change(
            actor, report_id, version, "reopen",
            lambda r: r.reopen(self._calendar.now(), self.moment(r).deadline,
                              self.rules(r).practice))

    async def partnership_for(self, actor: Actor, named: str = "") -> tuple[str, str]:
        """(network id, name) of the actor's partnership that `legg til` means: the one
        named, or the only one; refused when they are in none or it is unclear which."""
        async with self._unit(actor) as unit:
            mine = await unit.partnerships_of(actor.id) if actor.id else []
            if not mine:
                raise NotAllowed(texts.ADD_NOT_MEMBER,
                                 audit=("partnership.member_add", PARTNERSHIP, None))
            if named:
                mine = [p for p in mine if partnership_key(p[1]) == partnership_key(named)]
                if not mine:
                    raise NotAllowed(texts.ADD_NOT_THAT.format(name=escape_markdown(named[:60])),
                                     audit=("partnership.member_add", PARTNERSHIP, None))
            if len(mine) > 1:
                raise RuleBroken(texts.ADD_WHICH.format(
                    names=" / ".join(sorted(escape_markdown(name) for _, name in mine))))
        return mine[0]

    async def add_member(self, actor: Actor, network_id: str, partnership: str,
                         member_id: str, name: str | None) -> bool:
        """A member brings a colleague in; False when they were in already."""
        async with self._unit(actor) as unit:
            members = await unit.members(network_id, partnership)
            if not actor.id or actor.id not in members:
                raise NotAllowed(texts.ADD_NOT_THAT.format(name=partnership), audit=(
                    "partnership.member_add", PARTNERSHIP,
                    partnership_id(network_id, partnership)))
            if member_id in members:
                return False
            await unit.add_member(network_id, partnership, member_id, name=name,
                                  conversation_id=None)
            unit.audit(actor=actor.id, action="partnership.member_add",
                       object_type=PARTNERSHIP, object_id=partnership_id(network_id, partnership),
                       detail={"member": member_id})
        return True

    async def partnership_to_rename(self, actor: Actor, named: str = "") -> tuple[str, str]:
        """(network id, name) of the partnership `gi partnerskapet … nytt navn` means: the
        one named (among the actor's own and, for a coordinator, the networks they
        coordinate), or the actor's only one; refused when there is none or it is unclear."""
        async with self._unit(actor) as unit:
            mine = await unit.partnerships_of(actor.id) if actor.id else []
            if named:
                wanted = partnership_key(named)
                found = [p for p in mine if partnership_key(p[1]) == wanted]
                for network in self._networks.networks:
                    if not actor.principal.may_coordinate(network.id):
                        continue
                    found += [(network.id, n) for n in await unit.partnership_names(network.id)
                              if partnership_key(n) == wanted and (network.id, n) not in found]
                if not found:
                    raise NotAllowed(renaming.NOT_THAT.format(name=escape_markdown(named[:60])),
                                     audit=("partnership.rename", PARTNERSHIP, None))
                mine = found
            elif not mine:
                raise NotAllowed(renaming.NOT_MEMBER,
                                 audit=("partnership.rename", PARTNERSHIP, None))
            if len(mine) > 1:
                raise RuleBroken(renaming.WHICH.format(names=" / ".join(sorted(
                    f"{escape_markdown(name)} ({self._network_name(network_id)})"
                    for network_id, name in mine))))
        return mine[0]

    async def rename_partnership(self, actor: Actor, network_id: str, partnership: str,
                                 new_name: str) -> tuple[str, int]:
        """Give a partnership a new name in every one of its reports, its members with
        it, in one transaction; returns (the new name as stored, how many reports).

        Members may until the first of its reports is submitted; a coordinator of the
        network (or an admin) any time. The name is cleaned and must not be taken by, or
        look like, another partnership's in the network. Each report gets a version
        (action `rename`), so the old name stays in its history; the audit log has both."""
        new = clean_name(new_name)
        network = self._network_name(network_id)
        object_id = partnership_id(network_id, partnership)
        async with self._unit(actor) as unit:
            members = await unit.members(network_id, partnership)
            member = bool(actor.id) and actor.id in members
            coordinator = actor.principal.may_coordinate(network_id)
            if not member and not coordinator:
                raise NotAllowed(renaming.NOT_THAT.format(name=escape_markdown(partnership)),
                                 audit=("partnership.rename", PARTNERSHIP, object_id))
            reports = await unit.reports_of(network_id, partnership)
            if not coordinator and renaming.ever_submitted(reports):
                raise NotAllowed(renaming.SUBMITTED.format(
                    name=escape_markdown(partnership), network=network),
                    audit=("partnership.rename", PARTNERSHIP, object_id))
            others = [n for n in await unit.partnership_names(network_id)
                      if partnership_key(n) != partnership_key(partnership)]
            problem = renaming.name_problem(new, partnership, others, network,
                                            escape_markdown)
            if problem is not None:
                raise NotAllowed(problem, "partnership_name",
                                 audit=("partnership.rename", PARTNERSHIP, object_id))
            old_name = reports[0].header.partnership_name if reports else partnership
            for report in reports:
                version = report.version
                report.rename_partnership(new)
                await self._save(unit, actor, report, version, "rename")
            await unit.move_members(network_id, partnership, new)
            unit.audit(actor=actor.id, action="partnership.rename", object_type=PARTNERSHIP,
                       object_id=object_id,
                       detail={"old": old_name, "new": new, "reports": len(reports),
                               "as": "member" if member else "coordinator"})
        return new, len(reports)

    def _network_name(self, network_id: str) -> str:
        network = self._networks.get(network_id)
        return network.name if network else network_id

    # --- inside ------------------------------------------------------------------------

    def _unit(self, actor: Actor) -> AbstractAsyncContextManager[NeedsUnit]:
        return audited_unit(self._store, actor)

    async def _get(self, unit: NeedsUnit, report_id: str) -> NeedsReport:
        report = await unit.get(report_id) if 0 < len(report_id) <= 36 else None
        if report is None:
            raise NotFound()
        return report

    @staticmethod
    async def _is_member(unit: NeedsUnit, actor: Actor, report: NeedsReport) -> bool:
        return bool(actor.id) and actor.id in await unit.members(
            report.header.network_id, report.header.partnership_name)

    async def _writable(self, unit: NeedsUnit, actor: Actor, report_id: str,
                        version: object) -> NeedsReport:
        """The report, if the actor is a member and the card showed its current version."""
        report = await self._get(unit, report_id)
        if not await self._is_member(unit, actor, report):
            raise _refusal("needs.write", report)
        report.check_version(version)
        return report

    async def _change(self, actor: Actor, report_id: str, version: object,
                      action: str | Callable[[NeedsReport], str],
                      change: Callable[[NeedsReport], object]) -> NeedsReport:
        """Load, apply one rule of the aggregate, save: one transaction. `action` (what
        the history calls it) may depend on the report as it was read."""
        async with self._unit(actor) as unit:
            report = await self._writable(unit, actor, report_id, version)
            named = action if isinstance(action, str) else action(report)
            with _about(report):
                change(report)
            return await self._save(unit, actor, report, version, named)

    async def _save(self, unit: NeedsUnit, actor: Actor, report: NeedsReport,
                    version: object, action: str) -> NeedsReport:
        assert isinstance(version, int)  # check_version let only the current int through
        await unit.save(report, expected=version, actor=actor.id or "", action=action)
        unit.audit(actor=actor.id, action=f"report.{action}", object_type=REPORT,
                   object_id=report.id, detail={"version": report.version})
        return report

    async def _may_found(self, unit: NeedsUnit, actor: Actor, header: Header,
                         network_name: str, members: frozenset[str]) -> None:
        """Someone not yet a member may start only a partnership nobody has: no members,
        no reports, and no name that looks like another partnership's in the network."""
        taken = bool(members) or await unit.partnership_known(header.network_id,
                                                              header.partnership_name)
        message = texts.TAKEN.format(name=header.partnership_name, network=network_name,
                                     me=actor.name or "navnet ditt")
        if not taken:
            similar = lookalike(header.partnership_name,
                                await unit.partnership_names(header.network_id))
            if similar is None:
                return
            message = texts.LOOKALIKE.format(existing=similar, network=network_name)
        raise NotAllowed(message, "partnership_name", audit=(
            "needs.header.save", PARTNERSHIP,
            partnership_id(header.network_id, header.partnership_name)))


def _correct_header(report: NeedsReport, header: Header) -> None:
    """Scheme, network and partnership stay (each one changed is refused); the rest of
    the header is replaced."""
    moved = [f for f in ("cycle", "scheme", "network_id")
             if getattr(header, f) != getattr(report.header, f)]
    if partnership_key(header.partnership_name) != partnership_key(report.header.partnership_name):
        moved.append("partnership_name")
    if moved:
        raise Locked({f: texts.LOCKED.format(label=texts.LABELS[f]) for f in moved})
    report.update_header(header.model_copy(
        update={"partnership_name": report.header.partnership_name}))


@contextmanager
def _about(report: NeedsReport) -> Iterator[None]:
    """A refusal of a rule carries the report as it was read (the rules check before they
    change anything), so the person is shown what is."""
    before = report.model_copy(deep=True)
    try:
        yield
    except Refused as refusal:
        refusal.report = refusal.report or before
        raise


def _refusal(action: str, report: NeedsReport) -> NotAllowed:
    return NotAllowed(audit=(action, REPORT, report.id))
