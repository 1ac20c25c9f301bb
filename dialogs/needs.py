"""The needs-report flow: a small state machine over the stored report.

(report, action, input) -> (new report or refusal, next card). Every press carries the
report id and the version its card showed; a press on an older version, a repeated
press, or a press on another partnership's report changes nothing and is answered.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from cards import needs as cards
from dialogs.commands import Command, normalize
from dialogs.cycles import Cycles
from dialogs.router import Router
from dialogs.services import Services
from dialogs.turn import Incoming, Outcome
from domain.needs import texts
from domain.needs.catalog import CycleRules, SchemeCatalog
from domain.needs.forms import (
    HEADER_FIELDS,
    header_values,
    parse_header,
    parse_measure,
    typed_values,
)
from domain.needs.models import (
    Header,
    NeedsReport,
    RuleError,
    partnership_key,
    reference_number,
)
from domain.networks import NetworkCatalog
from store import audit
from store.needs import DuplicateReport, ReportMeta, StaleVersion, StoredReport
from store.outbox import NewMessage

log = logging.getLogger(__name__)
SECTION = "Behovsmelding"
STALE = "Kortet var utdatert (noen har endret behovsmeldingen siden), så ingenting ble endret. " \
        "Her er det som gjelder nå."
NOT_YOURS = "Du har ikke tilgang til den behovsmeldingen."
UNKNOWN = "Fant ikke den behovsmeldingen."
SAVED = "Lagret. Du kan fortsette når du vil: skriv **mine behovsmeldinger**."
DUPLICATE = "Partnerskapet har allerede en behovsmelding for {scheme} i {cycle}. " \
            "Fortsett den i stedet."
NOT_YOUR_FORM = "Dette kortet ble laget for en annen. Skriv **meld behov** for å få ditt eget."
TAKEN = "Partnerskapet «{name}» i {network} er allerede i Kompis, og du er ikke med i det. " \
        "Be en av dem som jobber med behovsmeldingen, om å skrive «legg til @{me}» til Kompis."
ADD_WHO = "Nevn personen med @, for eksempel: legg til @Kari."
ADD_NOT_MEMBER = "Bare de som jobber med et partnerskaps behovsmeldinger, kan legge til " \
                 "andre. Skriv **meld behov** for å starte én."
ADD_NOT_THAT = "Du er ikke med i partnerskapet «{name}», så du kan ikke legge til noen der."
ADD_WHICH = "Du er med i flere partnerskap. Skriv hvilket: «legg til @Kari i {names}»."
ADD_NOT_FOUND = "Jeg fant ikke {name} i denne samtalen, så hen ble ikke lagt til."
ADDED = "{name} er nå med i partnerskapet {partnership} og kan åpne behovsmeldingene " \
        "deres med **mine behovsmeldinger**."
ALREADY_ADDED = "{name} var allerede med i partnerskapet {partnership}."


class NeedsFlow:
    def __init__(self, services: Services, schemes: SchemeCatalog,
                 networks: NetworkCatalog) -> None:
        self._s = services
        self._schemes = schemes
        self._networks = networks
        self._cycles = Cycles(services, schemes)

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("meld_behov", ("meld behov", "ny behovsmelding", "behovsmelding",
                                   "start behovsmelding"),
                    self.start, SECTION, "Fyll ut behovsmeldingen for partnerskapet",
                    "meld behov",
                    intents=("jeg vil melde behov", "fylle ut behovsmeldingen",
                             "sende inn behovsmelding", "søke om midler",
                             "registrere tiltak", "starte på en ny behovsmelding")))
        add(Command("mine_behovsmeldinger", ("mine behovsmeldinger", "våre behovsmeldinger",
                                             "mine behovsmeldingar"),
                    self.mine, SECTION, "Se behovsmeldingene deres", "mine behovsmeldinger",
                    intents=("se behovsmeldingene våre", "hva har vi sendt inn",
                             "endre et tiltak vi har sendt inn", "åpne behovsmeldingen vår")))
        add(Command("legg_til", ("legg til",), self.add_member, SECTION,
                    "Ta med en kollega i partnerskapets behovsmeldinger", "legg til @Kari",
                    intents=("legge til en kollega", "ta med en kollega i partnerskapet",
                             "invitere en medarbeider til behovsmeldingen")))
        router.on_action("needs", self.press)

    # --- helpers ----------------------------------------------------------------------

    def _cycle(self) -> CycleRules:
        return self._cycles.for_reports()

    def _deadline(self, cycle_id: str) -> datetime | None:
        return self._cycles.deadline_end(cycle_id)

    def _header_card(self, values: dict | None = None, errors: dict | None = None,
                     report: NeedsReport | None = None) -> dict:
        cycle = self._schemes.cycle(report.header.cycle) if report else self._cycle()
        return cards.header_card(
            cycle=cycle.id, schemes=[(s.code, s.name) for s in cycle.schemes],
            networks=[(n.id, n.name) for n in self._networks.networks],
            uh_partners=[(u.id, u.name) for u in self._schemes.uh_partners],
            values=values, errors=errors, report_id=report.id if report else "",
            version=report.version if report else 0, locked=report is not None)

    def _review(self, report: NeedsReport, *, notice: str | None = None,
                read_only: bool = False) -> dict:
        rules = self._schemes.cycle(report.header.cycle) or self._cycle()
        deadline = self._deadline(report.header.cycle)
        network = self._networks.get(report.header.network_id)
        uh = self._schemes.uh(report.header.uh_partner)
        return cards.review_card(report, max_measures=rules.max_measures,
                                 deadline=deadline.date() if deadline else None,
                                 today=self._s.now().date(),
                                 network=network.name if network else report.header.network_id,
                                 uh=uh.name if uh else report.header.uh_partner,
                                 notice=notice, read_only=read_only)

    @staticmethod
    def _meta(report: NeedsReport) -> ReportMeta:
        h = report.header
        return ReportMeta(h.cycle, h.scheme, h.network_id, h.partnership_name,
                          report.status.value, len(report.measures), report.submitted_at,
                          report.late)

    async def _load(self, turn: Incoming, *, write: bool) -> tuple[NeedsReport, StoredReport] \
            | Outcome:
        value = turn.value or {}
        report_id = value.get("report_id")
        stored = await self._s.reports.get(report_id) if isinstance(report_id, str) \
            and 0 < len(report_id) <= 36 else None
        if stored is None:
            return Outcome.say(UNKNOWN)
        report = NeedsReport.model_validate(stored.snapshot)
        me = turn.user_aad_id or ""
        member = bool(me) and await self._s.reports.is_member(
            stored.meta.network_id, stored.meta.partnership_name, me)
        principal = await self._s.principal(turn.user_aad_id, turn=turn)
        if not member and not (not write and principal.may_read_network(stored.meta.network_id)):
            await self._s.audit.append(actor=turn.user_aad_id, action=turn.action or "needs",
                                       object_type="needs_report", object_id=stored.id,
                                       outcome=audit.REFUSED)
            return Outcome.say(NOT_YOURS)
        if write:
            version = value.get("version")
            if not isinstance(version, int) or isinstance(version, bool) \
                    or version != stored.version:
                return Outcome(card=self._review(report, notice=STALE))
        return report, stored

    async def _save(self, turn: Incoming, report: NeedsReport, stored: StoredReport,
                    action: str, *, reference: bool = False) -> NeedsReport | Outcome:
        network = self._networks.get(report.header.network_id)
        code = network.code if network else "XXX"

        def ref(seq: int) -> str:
            return reference_number(report.header.cycle, code, report.header.scheme, seq)

        try:
            saved = await self._s.reports.save(
                stored.id, stored.version, self._meta(report),
                report.model_dump(mode="json"), actor=turn.user_aad_id, action=action,
                reference_for=ref if reference else None)
        except StaleVersion:
            current = await self._s.reports.get(stored.id)
            fresh = NeedsReport.model_validate(current.snapshot) if current else report
            return Outcome(card=self._review(fresh, notice=STALE))
        return NeedsReport.model_validate(saved.snapshot)

    # --- commands ---------------------------------------------------------------------

    async def start(self, turn: Incoming, rest: str) -> Outcome:
        outcome = await self._start(turn, rest)
        if turn.conversation_type != "personal":
            for reply in outcome.replies:
                if reply.card is not None:
                    _stamp_owner(reply.card, turn.user_aad_id or "")
        return outcome

    async def _start(self, turn: Incoming, rest: str) -> Outcome:
        cycle = self._cycle()
        mine = [r for r in await self._s.reports.for_member(turn.user_aad_id or "")
                if r.meta.cycle == cycle.id] if turn.user_aad_id else []
        drafts = [r for r in mine if r.meta.status in ("utkast", "gjenåpnet")]
        if drafts and rest != "ny":
            return Outcome.say(card=cards.continue_card(
                [(NeedsReport.model_validate(r.snapshot), self._network_name(r))
                 for r in drafts], updated={r.id: r.updated_at for r in drafts}))
        return Outcome.say(card=self._header_card())

    def _network_name(self, stored: StoredReport) -> str:
        network = self._networks.get(stored.meta.network_id)
        return network.name if network else stored.meta.network_id

    async def mine(self, turn: Incoming, rest: str) -> Outcome:
        rows = await self._s.reports.for_member(turn.user_aad_id or "") \
            if turn.user_aad_id else []
        return Outcome.say(card=cards.reports_card(
            [(NeedsReport.model_validate(r.snapshot), self._network_name(r)) for r in rows],
            updated={r.id: r.updated_at for r in rows}))

    # --- presses ----------------------------------------------------------------------

    async def press(self, turn: Incoming) -> Outcome:
        """Every press goes through here; in shared chats a form answers only the person
        it was made for, so nobody changes someone else's form."""
        owner = (turn.value or {}).get("owner")
        if turn.conversation_type != "personal" and isinstance(owner, str) and owner \
                and owner != (turn.user_aad_id or ""):
            return Outcome.say(NOT_YOUR_FORM)
        outcome = await self._dispatch(turn)
        if outcome.card is not None and turn.conversation_type != "personal":
            _stamp_owner(outcome.card, turn.user_aad_id or "")
        return outcome

    async def _dispatch(self, turn: Incoming) -> Outcome:
        action = turn.action or ""
        handler = {
            "needs.start": self._press_start, "needs.header.save": self._header_save,
            "needs.header.edit": self._header_edit, "needs.open": self._open,
            "needs.continue": self._open, "needs.measure.add": self._measure_add,
            "needs.measure.edit": self._measure_edit, "needs.measure.save": self._measure_save,
            "needs.measure.remove": self._measure_remove, "needs.save_exit": self._save_exit,
            "needs.submit": self._submit, "needs.submit.cancel": self._submit_cancel,
            "needs.submit.confirm": self._submit_confirm, "needs.reopen": self._reopen,
        }.get(action)
        if handler is None:
            return Outcome.say(UNKNOWN)
        return await handler(turn)

    async def _press_start(self, turn: Incoming) -> Outcome:
        return Outcome(card=self._header_card())

    async def _header_save(self, turn: Incoming) -> Outcome:
        value: dict[str, Any] = dict(turn.value or {})
        report_id = value.get("report_id")
        if isinstance(report_id, str) and report_id:
            return await self._header_update(turn)
        cycle = self._cycle()
        header = parse_header(value, self._schemes, cycle=cycle.id)
        raw = typed_values(value, HEADER_FIELDS)
        if not isinstance(header, Header):
            return Outcome(card=self._header_card(values=raw, errors=header))
        if not await self._may_work_on(turn, header.network_id, header.partnership_name):
            await self._s.audit.append(actor=turn.user_aad_id, action="needs.header.save",
                                       object_type="partnership",
                                       object_id=_partnership_id(header.network_id,
                                                                 header.partnership_name),
                                       outcome=audit.REFUSED)
            network = self._networks.get(header.network_id)
            taken = TAKEN.format(name=header.partnership_name,
                                 network=network.name if network else header.network_id,
                                 me=turn.user_name or "navnet ditt")
            return Outcome(card=self._header_card(values=raw, errors={"partnership_name": taken}))
        report = NeedsReport(header=header)
        try:
            stored = await self._s.reports.create(self._meta(report),
                                                  report.model_dump(mode="json"),
                                                  actor=turn.user_aad_id, report_id=report.id)
        except DuplicateReport as dup:
            existing = await self._s.reports.get(dup.existing_id)
            notice = DUPLICATE.format(scheme=header.scheme, cycle=header.cycle)
            if existing and turn.user_aad_id:
                await self._join(turn, existing.meta.network_id, existing.meta.partnership_name)
                return Outcome(card=self._review(NeedsReport.model_validate(existing.snapshot),
                                                 notice=notice))
            return Outcome.say(notice)
        await self._join(turn, header.network_id, header.partnership_name)
        report.version = stored.version
        return Outcome(card=self._review(report))

    async def _header_edit(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, _ = loaded
        if not report.editable:
            return Outcome(card=self._review(report, notice=texts.NOT_EDITABLE))
        return Outcome(card=self._header_card(values=header_values(report.header),
                                              report=report))

    async def _header_update(self, turn: Incoming) -> Outcome:
        """A started report's header: owners, UH partner and contact may change; scheme,
        network and partnership stay (members and reference numbers hang on them)."""
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, stored = loaded
        value = dict(turn.value or {})
        raw = typed_values(value, HEADER_FIELDS)
        header = parse_header(value, self._schemes, cycle=report.header.cycle,
                              require_open=False)
        if isinstance(header, Header):
            errors = {f: texts.LOCKED.format(label=texts.LABELS[f])
                      for f in ("cycle", "scheme", "network_id")
                      if getattr(header, f) != getattr(report.header, f)}
            if partnership_key(header.partnership_name) != \
                    partnership_key(report.header.partnership_name):
                errors["partnership_name"] = texts.LOCKED.format(
                    label=texts.LABELS["partnership_name"])
            if not errors:
                try:
                    report.update_header(header)
                except RuleError as exc:
                    return Outcome(card=self._review(report, notice=exc.message))
                saved = await self._save(turn, report, stored, "header.edit")
                return saved if isinstance(saved, Outcome) else Outcome(card=self._review(saved))
        else:
            errors = header
        return Outcome(card=self._header_card(values={**header_values(report.header), **raw},
                                              errors=errors, report=report))

    async def _may_work_on(self, turn: Incoming, network_id: str, partnership: str) -> bool:
        """A partnership nobody works on yet is anyone's to start; after that, only its
        members (who add colleagues with `legg til @…`) may work on its reports."""
        members = await self._s.reports.members(network_id, partnership)
        return not members or any(m.aad_object_id == turn.user_aad_id for m in members)

    async def add_member(self, turn: Incoming, rest: str) -> Outcome:
        """`legg til @Kari [i <partnerskap>]`: a member brings a colleague in."""
        if not turn.mentions:
            return Outcome.say(ADD_WHO)
        mine: dict[str, tuple[str, str]] = {}
        for stored in await self._s.reports.for_member(turn.user_aad_id or "") \
                if turn.user_aad_id else []:
            key = partnership_key(stored.meta.partnership_name)
            mine.setdefault(f"{stored.meta.network_id}/{key}",
                            (stored.meta.network_id, stored.meta.partnership_name))
        if not mine:
            await self._s.audit.append(actor=turn.user_aad_id, action="partnership.member_add",
                                       object_type="partnership", object_id=None,
                                       outcome=audit.REFUSED)
            return Outcome.say(ADD_NOT_MEMBER)
        mention = turn.mentions[0]
        named = rest.replace(normalize(mention.name or ""), " ").split()
        wanted = " ".join(named[1:]) if named[:1] == ["i"] else ""
        choices = list(mine.values())
        if wanted:
            choices = [c for c in choices if normalize(c[1]) == wanted]
            if not choices:
                await self._s.audit.append(actor=turn.user_aad_id,
                                           action="partnership.member_add",
                                           object_type="partnership", object_id=None,
                                           outcome=audit.REFUSED, detail={"named": wanted[:60]})
                return Outcome.say(ADD_NOT_THAT.format(name=wanted[:60]))
        elif len(choices) > 1:
            names = " / ".join(sorted(name for _, name in choices))
            return Outcome.say(ADD_WHICH.format(names=names))
        network_id, partnership = choices[0]
        member = await self._s.members.lookup(turn.conversation_id, mention.user_id)
        if member is None or not member.aad_object_id:
            return Outcome.say(ADD_NOT_FOUND.format(name=mention.name or "personen"))
        display = member.name or mention.name
        if await self._s.reports.is_member(network_id, partnership, member.aad_object_id):
            return Outcome.say(ALREADY_ADDED.format(name=display, partnership=partnership))
        await self._s.reports.add_member(network_id, partnership, member.aad_object_id,
                                         name=display, conversation_id=None)
        await self._s.audit.append(actor=turn.user_aad_id, action="partnership.member_add",
                                   object_type="partnership",
                                   object_id=_partnership_id(network_id, partnership),
                                   detail={"member": member.aad_object_id})
        return Outcome.say(ADDED.format(name=display, partnership=partnership))

    async def _join(self, turn: Incoming, network_id: str, partnership: str) -> None:
        """The person now works on this partnership's reports (and gets its reminders)."""
        if turn.user_aad_id:
            conversation = turn.conversation_id if turn.conversation_type == "personal" else None
            await self._s.reports.add_member(network_id, partnership, turn.user_aad_id,
                                             name=turn.user_name, conversation_id=conversation)

    async def _open(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=False)
        if isinstance(loaded, Outcome):
            return loaded
        report, stored = loaded
        member = turn.user_aad_id and await self._s.reports.is_member(
            stored.meta.network_id, stored.meta.partnership_name, turn.user_aad_id)
        return Outcome(card=self._review(report, read_only=not member))

    async def _measure_add(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, _ = loaded
        rules = self._schemes.cycle(report.header.cycle) or self._cycle()
        if len(report.measures) >= rules.max_measures:
            return Outcome(card=self._review(report, notice=f"Høyst {rules.max_measures} tiltak."))
        return Outcome(card=cards.measure_card(report))

    async def _measure_edit(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, _ = loaded
        measure_id = (turn.value or {}).get("measure_id")
        measure = next((m for m in report.measures if m.id == measure_id), None)
        if measure is None:
            return Outcome(card=self._review(report, notice="Fant ikke det tiltaket."))
        return Outcome(card=cards.measure_card(report, values=cards.measure_values(measure),
                                               measure_id=measure.id))

    async def _measure_save(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, stored = loaded
        value = dict(turn.value or {})
        rules = self._schemes.cycle(report.header.cycle) or self._cycle()
        parsed = parse_measure(value, rules)
        measure_id = value.get("measure_id") if isinstance(value.get("measure_id"), str) else ""
        if isinstance(parsed, dict):
            typed = {k: str(v)[:2000] for k, v in value.items()
                     if isinstance(v, str | int) and not isinstance(v, bool)}
            return Outcome(card=cards.measure_card(report, values=typed, errors=parsed,
                                                   measure_id=measure_id))
        try:
            if measure_id:
                report.replace_measure(measure_id, parsed, rules=rules)
            else:
                report.add_measure(parsed, rules=rules)
        except RuleError as exc:
            return Outcome(card=self._review(report, notice=exc.message))
        saved = await self._save(turn, report, stored,
                                 "measure.edit" if measure_id else "measure.add")
        return saved if isinstance(saved, Outcome) else Outcome(card=self._review(saved))

    async def _measure_remove(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, stored = loaded
        try:
            report.remove_measure(str((turn.value or {}).get("measure_id", ""))[:16])
        except RuleError as exc:
            return Outcome(card=self._review(report, notice=exc.message))
        saved = await self._save(turn, report, stored, "measure.remove")
        return saved if isinstance(saved, Outcome) else Outcome(card=self._review(saved))

    async def _save_exit(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, _ = loaded
        return Outcome(card=self._review(report, notice=SAVED))

    async def _submit(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        return Outcome(card=cards.confirm_card(loaded[0]))

    async def _submit_cancel(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        return loaded if isinstance(loaded, Outcome) else Outcome(card=self._review(loaded[0]))

    async def _submit_confirm(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, stored = loaded
        try:
            report.submit(self._s.now(), self._deadline(report.header.cycle))
        except RuleError as exc:
            return Outcome(card=self._review(report, notice=exc.message))
        saved = await self._save(turn, report, stored, "submit", reference=True)
        if isinstance(saved, Outcome):
            return saved
        network = self._networks.get(saved.header.network_id)
        name = network.name if network else saved.header.network_id
        channel = await self._s.channels.of(saved.header.network_id)
        if channel:
            await self._s.outbox.enqueue([NewMessage(
                f"submitted|{saved.id}|{saved.version}", channel, "notice",
                {"card": cards.coordinator_notice_card(saved, network=name)})])
        return Outcome(card=cards.receipt_card(saved, network=name))

    async def _reopen(self, turn: Incoming) -> Outcome:
        loaded = await self._load(turn, write=True)
        if isinstance(loaded, Outcome):
            return loaded
        report, stored = loaded
        try:
            report.reopen(self._s.now(), self._deadline(report.header.cycle))
        except RuleError as exc:
            return Outcome(card=self._review(report, notice=exc.message))
        saved = await self._save(turn, report, stored, "reopen")
        return saved if isinstance(saved, Outcome) else Outcome(card=self._review(saved))



def _stamp_owner(node: Any, owner: str) -> None:
    """Mark every Action.Execute in a card with the person it was made for."""
    if isinstance(node, dict):
        if node.get("type") == "Action.Execute" and isinstance(node.get("data"), dict):
            node["data"]["owner"] = owner
        for value in node.values():
            _stamp_owner(value, owner)
    elif isinstance(node, list):
        for value in node:
            _stamp_owner(value, owner)


def _partnership_id(network_id: str, partnership: str) -> str:
    """How the audit log names a partnership (fits its object id column)."""
    return f"{network_id}/{partnership_key(partnership)}"[:128]
