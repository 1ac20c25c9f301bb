"""The network coordinator's tools: `status`, `eksporter`, `historikk BM-…`, and the
download behind an export link.

Access is decided here, never by what a card shows: a coordinator reads the reports of
their own networks, an admin every network, a partnership member the history of their
own reports. Every refusal is audited; the download link is checked three ways (known
id, valid signature, not expired) and against the requester's role when it is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from cards import coordinator as cards
from cards import needs as needs_cards
from cards.needs import HISTORY_ACTION, STATUS_ACTION
from dialogs.commands import Command, Handler
from dialogs.cycles import NETWORKS, PARTNERSHIPS, Cycles
from dialogs.needs import network_name
from dialogs.router import Router
from dialogs.services import Services
from dialogs.texts import SENT_PERSONALLY, UNKNOWN_BUTTON, literal
from dialogs.turn import Incoming, Outcome, Reply, personal
from domain.access import Principal
from domain.links import signature, valid
from domain.needs.catalog import CycleRules, Scheme, SchemeCatalog
from domain.needs.history import action_label, changes
from domain.needs.models import REPORT_REFERENCE, NeedsReport, Status
from domain.needs.overview import network_status, partnership_areas, pick_scheme
from domain.needs.workbook import CompiledReport, compiled_workbook
from domain.network.models import COMPILED_REFERENCE
from domain.network.service import NetworkReports
from domain.networks import NetworkCatalog, NetworkEntry
from domain.wheel.due import reminders_for
from store import audit
from store.exports import ALL_NETWORKS
from store.models import Export

SECTION = "For koordinatorer og Statsforvalteren"
REPORTS_SECTION = "Behovsmelding"  # historikk is for the partnerships' members too
ONLY_COORDINATORS = "Bare nettverkskoordinatorer og Statsforvalteren kan se dette."
NOT_YOUR_NETWORK = "Du er ikke koordinator for {network}, så det kan jeg ikke vise deg."
WHICH_NETWORK = "Hvilket nettverk? Skriv for eksempel «{command} for {example}»."
UNKNOWN_NETWORK = "Jeg finner ikke nettverket «{name}». Sjekk stavemåten."
UNKNOWN_SCHEME = "Ordningen {word} er ikke med i syklusen {cycle}. Velg {choices}."
HISTORY_WHICH = "Skriv referansen, for eksempel: historikk BM-2026-FOS-KKU-0001."
HISTORY_NONE = ("Partnerskapet ditt har ingen innsendte behovsmeldinger ennå, så det er ingen "
                "endringer å vise. En annen behovsmelding: " + HISTORY_WHICH[0].lower()
                + HISTORY_WHICH[1:])
# One answer for an unknown reference and for one the person may not read: a different
# answer would tell which references exist.
HISTORY_UNKNOWN = ("Jeg finner ingen behovsmelding med referansen {reference} som du har "
                   "tilgang til.")
UNKNOWN_PERSON = "ukjent"
OWN_STATUS = "Oversikten over hele nettverket er for koordinatorene. Her er deres egne " \
             "behovsmeldinger:"

_EXPORT_ID = re.compile(r"^[0-9a-f]{32}$")


class HistoryPress(BaseModel):
    """«Se endringene» on the list `historikk` shows without a reference."""

    model_config = ConfigDict(extra="ignore")

    reference: str

    @field_validator("reference")
    @classmethod
    def _a_reference(cls, value: str) -> str:
        if not REPORT_REFERENCE.fullmatch(value.strip()):
            raise ValueError("ikke en referanse")
        return value.strip()


@dataclass(frozen=True)
class Scope:
    principal: Principal
    network: NetworkEntry
    cycle: CycleRules
    schemes: tuple[Scheme, ...]


@dataclass(frozen=True)
class Download:
    """What an export link gives: a workbook, or the HTTP status and why not."""

    status: int
    reason: str = ""
    filename: str = ""
    body: bytes = b""


class CoordinatorTools:
    def __init__(self, services: Services, schemes: SchemeCatalog,
                 networks: NetworkCatalog, cycles: Cycles, *,
                 own_reports: Handler | None = None,
                 network: NetworkReports | None = None) -> None:
        """`own_reports` answers `status` from someone who coordinates nothing: a
        partnership member asking for status means their own reports. `network` is the
        network's part: assessments in the export, compiled reports on `status`, and
        the spreadsheets samarbeidsforum downloads."""
        self._own_reports = own_reports
        self._network = network
        self._compiled_history: Handler | None = None
        self._s = services
        self._schemes = schemes
        self._networks = networks
        self._cycles = cycles

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("status", ("status", "hvem har levert"), self.status,
                    SECTION, "Hvem i nettverket har sendt inn, og hvem jobber", "status",
                    staff=True,
                    intents=("hvem mangler", "hvem har ikke levert ennå",
                             "send påminnelse til dem som ikke har levert",
                             "send purring til dem som ikke har levert",
                             "purr på dem som mangler", "minn dem som ikke har levert",
                             "send påminnelse til partnerskapene som mangler",
                             "oversikt over innsendte behovsmeldinger",
                             "hvor mange har sendt inn", "hvilke partnerskap mangler",
                             "hvem har ikke sendt behovsmelding", "kven manglar",
                             "hvem mangler å levere behovsmeldingen",
                             "hvilke partnerskap har ikke levert", "which are missing",
                             "who has not delivered yet",
                             "which partnerships have not delivered",
                             "hvor mange partnerskap har levert")))
        add(Command("eksporter", ("eksporter", "eksport", "regneark"), self.export, SECTION,
                    "Det samlede regnearket for nettverket (.xlsx)", "eksporter", staff=True,
                    intents=("last ned regnearket", "hent excel-fila",
                             "eksportere behovsmeldingene til excel", "regnearket for nettverket",
                             "behovsmeldingene i et regneark", "last ned excel",
                             "export to excel", "get the spreadsheet")))
        # a partnership member sees the changes in their own reports too; with no
        # reference, the person's reports to pick from (`bare`: done from plain words)
        add(Command("historikk", ("historikk", "historikken til"), self.history, REPORTS_SECTION,
                    "Endringene i én behovsmelding", "historikk BM-2026-FOS-KKU-0001",
                    bare=True,
                    intents=("se endringene i en behovsmelding",
                             "hvem har endret behovsmeldingen", "hva er endret i en behovsmelding",
                             "change history of a needs report",
                             "historikken til en behovsmelding")))
        router.on_action("coordinator", self.press)

    def hand_over_history(self, handler: Handler) -> None:
        """`historikk SBM-…` (a compiled report) is answered by the network's part."""
        self._compiled_history = handler

    async def press(self, turn: Incoming) -> Outcome:
        """«Tilbake til status» on a report a coordinator opened: the status card of its
        network, in place of the report (the same checks as the typed command); «Se
        endringene» on the list of one's reports: that report's history (likewise)."""
        value = turn.value or {}
        if turn.action == HISTORY_ACTION:
            try:
                press = HistoryPress.model_validate(value)
            except ValidationError:
                return Outcome.say(UNKNOWN_BUTTON)
            return _in_place(await self.history(turn, press.reference))
        network_id = value.get("network_id")
        network = self._networks.get(network_id) if isinstance(network_id, str) else None
        if turn.action != STATUS_ACTION or network is None:
            return Outcome.say(UNKNOWN_BUTTON)
        return _in_place(await self.status(turn, network.name))

    # --- scope: which network, cycle and schemes, and may this person see them ---------

    async def _refuse(self, turn: Incoming, action: str, text: str,
                      network_id: str | None = None) -> Outcome:
        await self._s.audit.append(actor=turn.user_aad_id, action=action,
                                   object_type="network", object_id=network_id,
                                   outcome=audit.REFUSED)
        return Outcome.say(text)

    def network_words(self, rest: str) -> str:
        """`rest` when it names a network ('Fosen', 'for Fosen'), else '' ('tiltakene' names
        none: the coordinator's own network is meant, as when nothing follows)."""
        name = _network_name(rest.split())
        return rest if name and self._networks.find(name) is not None else ""

    async def scope(self, turn: Incoming, rest: str, command: str) -> Scope | Outcome:
        me = await self._s.principal(turn.user_aad_id, turn=turn)
        action = f"coordinator.{command}"
        if not me.may_coordinate():
            return await self._refuse(turn, action, ONLY_COORDINATORS)
        cycle = self._cycles.for_coordinators()
        words = rest.split()
        schemes = cycle.schemes
        for i, word in enumerate(words):
            chosen = pick_scheme(word, cycle.schemes)
            known_elsewhere = any(pick_scheme(word, c.schemes) for c in self._schemes.cycles)
            if chosen:
                schemes = (chosen,)
                del words[i]
                break
            if known_elsewhere:
                choices = " eller ".join(s.code for s in cycle.schemes)
                return Outcome.say(UNKNOWN_SCHEME.format(word=literal(word.upper()), cycle=cycle.id,
                                                         choices=choices))
        name = _network_name(words)
        if name:
            network = self._networks.find(name)
            if network is None:
                return Outcome.say(UNKNOWN_NETWORK.format(name=literal(name[:60])))
        elif len(me.coordinator_for) == 1:
            network = self._networks.get(next(iter(me.coordinator_for)))
        else:
            example = self._networks.get(sorted(me.coordinator_for)[0]) if me.coordinator_for \
                else self._networks.networks[0]
            return Outcome.say(WHICH_NETWORK.format(command=command,
                                                    example=example.name if example else ""))
        if network is None:
            return Outcome.say(UNKNOWN_NETWORK.format(name=literal(name[:60])))
        if not me.may_read_network(network.id):
            return await self._refuse(turn, action, NOT_YOUR_NETWORK.format(
                network=literal(network.name)), network.id)
        return Scope(me, network, cycle, tuple(schemes))

    # --- status --------------------------------------------------------------------------

    async def status(self, turn: Incoming, rest: str) -> Outcome:
        if self._own_reports is not None and not rest.strip() and not (
                await self._s.principal(turn.user_aad_id, turn=turn)).may_coordinate():
            own = await self._own_reports(turn, "")
            return personal(turn, Outcome([Reply(text=OWN_STATUS), *own.replies], own.card),
                            SENT_PERSONALLY)
        scope = await self.scope(turn, rest, "status")
        if isinstance(scope, Outcome):
            return scope
        every = await self._s.reports.for_network(scope.network.id)  # all cycles
        stored = [r for r in every if r.meta.cycle == scope.cycle.id]
        overview = network_status(
            network=scope.network.name, cycle=scope.cycle.id, schemes=scope.schemes,
            all_schemes=scope.cycle.schemes,
            reports=[(NeedsReport.model_validate(r.snapshot), r.updated_at) for r in stored],
            partnerships=await self._s.reports.partnerships(scope.network.id),
            areas=partnership_areas((NeedsReport.model_validate(r.snapshot) for r in every),
                                    self._schemes.cycles),
            deadline=self._cycles.deadline(scope.cycle.id),
            compiled_deadline=self._cycles.deadline(scope.cycle.id, NETWORKS),
            today=self._s.now().date())
        if self._network is None:
            return Outcome.say(card=cards.status_card(overview))
        sent = await self._network.sent_of(scope.network.id, scope.cycle.id)
        return Outcome.say(card=cards.status_card(
            overview, network_id=scope.network.id, next_reminder=self._next_reminder(
                scope.cycle.id), compiled={scheme: cards.Compiled(s.version, s.sent_at, s.late)
                                           for scheme, s in sent.items()}))

    def _next_reminder(self, cycle_id: str) -> datetime | None:
        """When the wheel next reminds the partnerships of their deadline, if it will."""
        wheel = self._s.wheel.wheel
        cycle = next((c for c in wheel.cycles if c.id == cycle_id), None)
        event = cycle.deadline(PARTNERSHIPS) if cycle else None
        if cycle is None or event is None:
            return None
        now = self._s.clock()
        return next((r.send_at for r in reminders_for(wheel, cycle, event)
                     if r.send_at > now), None)

    # --- export ----------------------------------------------------------------------------

    async def link(self, turn: Incoming, network_id: str, cycle: str, scheme: str, *,
                   compiled_version: int | None = None) -> tuple[str, Export]:
        """A new signed, expiring download link for the person of `turn` (checked again
        when it is opened): the live spreadsheet, samarbeidsforum's workbook of every
        network, or one compiled report as sent."""
        expires_at = self._s.clock() + timedelta(minutes=self._s.export_minutes)
        row = await self._s.exports.create(network_id=network_id, cycle=cycle, scheme=scheme,
                                           requested_by=turn.user_aad_id or "",
                                           expires_at=expires_at, now=self._s.clock(),
                                           compiled_version=compiled_version)
        expires = int(row.expires_at.timestamp())
        sig = signature(self._s.link_secret, "export", row.id, row.network_id, row.cycle,
                        row.scheme, str(expires))
        return f"{self._s.public_url}/eksport/{row.id}.xlsx?utloper={expires}&sig={sig}", row

    async def export(self, turn: Incoming, rest: str) -> Outcome:
        scope = await self.scope(turn, rest, "eksporter")
        if isinstance(scope, Outcome):
            return scope
        scheme = scope.schemes[0].code if len(scope.schemes) == 1 and \
            len(scope.cycle.schemes) > 1 else ""
        url, row = await self.link(turn, scope.network.id, scope.cycle.id, scheme)
        submitted = len(await self._compiled(row))
        # the link opens the partnerships' contacts and amounts: for the person who asked
        return personal(turn, Outcome.say(card=cards.export_card(
            network=scope.network.name, cycle=scope.cycle.id,
            schemes=[s.code for s in scope.schemes], submitted=submitted, url=url,
            expires_at=row.expires_at)), SENT_PERSONALLY)

    async def _compiled(self, export: Export) -> list[CompiledReport]:
        """The submitted versions the export covers (a reopened report: its last submit)."""
        items = []
        for stored in await self._s.reports.for_network(export.network_id, export.cycle):
            if export.scheme and stored.meta.scheme != export.scheme:
                continue
            status = Status(stored.meta.status)
            if status in (Status.SUBMITTED, Status.SUBMITTED_LATE):
                items.append(CompiledReport(NeedsReport.model_validate(stored.snapshot),
                                            stored.version))
            elif status == Status.REOPENED:
                last = await self._s.reports.last_submitted(stored.id)
                if last is not None:
                    items.append(CompiledReport(NeedsReport.model_validate(last.snapshot),
                                                last.version, reopened=True))
        return items

    async def download(self, export_id: str, expires: str, sig: str) -> Download:
        """GET /eksport/<id>.xlsx?utloper=…&sig=…: 404 unknown, 403 tampered, expired or
        no longer allowed, else the workbook built from the reports as they are now."""
        if not _EXPORT_ID.fullmatch(export_id):
            return Download(404, "ukjent lenke")
        row = await self._s.exports.get(export_id)
        if row is None:
            return Download(404, "ukjent lenke")
        refused = None
        if not expires.isdigit() or not valid(self._s.link_secret, sig, "export", row.id,
                                              row.network_id, row.cycle, row.scheme, expires):
            refused = "lenken er endret eller ugyldig"
        elif self._s.clock() >= row.expires_at:
            refused = "lenken er utløpt; skriv «eksporter» for en ny"
        elif not await self._still_allowed(row):
            refused = "du har ikke lenger tilgang til dette nettverket"
        if refused:
            await self._s.audit.append(actor=row.requested_by, action="export.download",
                                       object_type="network", object_id=row.network_id,
                                       outcome=audit.REFUSED, detail={"export": row.id,
                                                                      "reason": refused})
            return Download(403, refused)
        if row.network_id == ALL_NETWORKS or row.compiled_version is not None:
            return await self._sent_download(row)
        cycle = self._cycles.rules(row.cycle)
        schemes = tuple(s for s in cycle.schemes if not row.scheme or s.code == row.scheme)
        network = self._networks.get(row.network_id)
        name = network.name if network else row.network_id
        body = compiled_workbook(
            await self._compiled(row), schemes=schemes, network=name, cycle=row.cycle,
            uh_names={u.id: u.name for u in self._schemes.uh_partners},
            generated_at=self._s.now(), assessments=await self._assessments(row))
        await self._s.exports.downloaded(row)
        suffix = f"-{row.scheme.lower()}" if row.scheme else ""
        filename = f"behovsmeldinger-{row.network_id}-{row.cycle.replace('/', '-')}{suffix}.xlsx"
        return Download(200, filename=filename, body=body)

    async def _still_allowed(self, row: Export) -> bool:
        me = await self._s.principal(row.requested_by)
        if row.network_id == ALL_NETWORKS:
            return me.may_view_all_networks()
        return me.may_read_network(row.network_id) or (
            row.compiled_version is not None and me.may_view_all_networks())

    async def _assessments(self, row: Export) -> dict[str, str]:
        if self._network is None:
            return {}
        return await self._network.current_assessments(row.network_id, row.cycle)

    async def _sent_download(self, row: Export) -> Download:
        """Samarbeidsforum's workbook of every network, or one compiled report's
        spreadsheet exactly as it was sent."""
        if self._network is None:
            return Download(404, "ukjent lenke")
        cycle = row.cycle.replace("/", "-")
        if row.network_id == ALL_NETWORKS:
            body = await self._network.forum_workbook(row.cycle, row.scheme)
            filename = f"sammenstilte-behovsmeldinger-{cycle}-{row.scheme.lower()}.xlsx"
        else:
            found = await self._network.sent_workbook(row.network_id, row.cycle, row.scheme,
                                                      row.compiled_version or 0)
            if found is None:
                return Download(404, "ukjent lenke")
            body = found
            filename = (f"sammenstilt-{row.network_id}-{cycle}-{row.scheme.lower()}"
                        f"-v{row.compiled_version}.xlsx")
        await self._s.exports.downloaded(row)
        return Download(200, filename=filename, body=body)

    # --- history ---------------------------------------------------------------------------

    async def history(self, turn: Incoming, rest: str) -> Outcome:
        if self._compiled_history is not None and COMPILED_REFERENCE.search(rest):
            return await self._compiled_history(turn, rest)
        found = REPORT_REFERENCE.search(rest)
        if not found:
            return await self._history_choice(turn)
        reference = found.group(0).upper()
        stored = await self._s.reports.by_reference(reference)
        if stored is None:
            return Outcome.say(HISTORY_UNKNOWN.format(reference=reference))
        me = await self._s.principal(turn.user_aad_id, turn=turn)
        member = bool(turn.user_aad_id) and await self._s.reports.is_member(
            stored.meta.network_id, stored.meta.partnership_name, turn.user_aad_id or "")
        if not member and not me.may_read_network(stored.meta.network_id):
            await self._s.audit.append(actor=turn.user_aad_id, action="coordinator.historikk",
                                       object_type="needs_report", object_id=stored.id,
                                       outcome=audit.REFUSED)
            return Outcome.say(HISTORY_UNKNOWN.format(reference=reference))
        names = {m.aad_object_id: m.name for m in await self._s.reports.members(
            stored.meta.network_id, stored.meta.partnership_name)}
        entries, before = [], None
        for version in await self._s.reports.versions(stored.id):
            after = NeedsReport.model_validate(version.snapshot)
            entries.append(cards.HistoryEntry(
                version.version, version.at, names.get(version.actor or "") or UNKNOWN_PERSON,
                action_label(version.action), tuple(changes(before, after))))
            before = after
        return personal(turn, Outcome.say(card=cards.history_card(
            reference=reference, partnership=stored.meta.partnership_name,
            scheme=stored.meta.scheme, status=stored.meta.status, entries=entries)),
            SENT_PERSONALLY)

    async def _history_choice(self, turn: Incoming) -> Outcome:
        """`historikk` with no reference ('vis historikken til behovsmeldingen vår'): the
        person's own reports that have a reference; the only one is shown at once."""
        rows = [r for r in (await self._s.reports.for_member(turn.user_aad_id)
                            if turn.user_aad_id else []) if r.report.reference]
        if not rows:
            me = await self._s.principal(turn.user_aad_id, turn=turn)
            return Outcome.say(HISTORY_WHICH if me.may_coordinate() else HISTORY_NONE)
        if len(rows) == 1:
            return await self.history(turn, rows[0].report.reference or "")
        return personal(turn, Outcome.say(card=needs_cards.reports_card(
            [(r.report, network_name(self._networks, r.report)) for r in rows],
            updated={r.id: r.updated_at for r in rows}, history=True)), SENT_PERSONALLY)


def _in_place(outcome: Outcome) -> Outcome:
    """What a command said, for a press: its card in place of the pressed one, unless it
    goes to the personal chat (pressed in a group)."""
    if any(reply.to_personal for reply in outcome.replies):
        return outcome
    cards_said = [reply.card for reply in outcome.replies if reply.card is not None]
    return Outcome(card=cards_said[0]) if cards_said else outcome


def _network_name(words: list[str]) -> str:
    """The network named by the words after a command ('for Fosen' -> 'fosen')."""
    return " ".join(w for w in words if w != "for").strip()
