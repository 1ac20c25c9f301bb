"""The network's part in chat: `vurder BM-…`, `send sammenstilt behovsmelding`,
`oversikt`, `eksporter alle`, `historikk SBM-…`, and the presses on their cards.

Presses are read with pydantic; anything else gets a Norwegian answer and changes
nothing. Access is decided by the service (domain.network.service), never by which
buttons a card showed.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from cards import network as cards
from cards.needs import CHECKLIST_ACTION, NUDGE_ACTION, NUDGE_SEND_ACTION
from dialogs.commands import Command
from dialogs.coordinator import CoordinatorTools, Scope
from dialogs.cycles import Cycles
from dialogs.router import Router
from dialogs.services import Services
from dialogs.texts import SENT_FORM, SENT_PERSONALLY, UNKNOWN_BUTTON, literal
from dialogs.turn import Incoming, Outcome, Reply, personal
from domain.needs.catalog import CycleRules, Scheme, SchemeCatalog
from domain.needs.models import REPORT_REFERENCE
from domain.needs.overview import pick_scheme
from domain.needs.service import Actor
from domain.network import texts
from domain.network.compile import what_changed
from domain.network.models import COMPILED_REFERENCE
from domain.network.refusals import AssessmentStale, Refused, RuleBroken
from domain.network.service import NetworkReports
from store.exports import ALL_NETWORKS

SECTION = "For koordinatorer og Statsforvalteren"
FORUM_SECTION = "For samarbeidsforum"
ASSESS_WHICH = "Skriv referansen til behovsmeldingen, for eksempel: vurder BM-2026-FOS-KKU-0001."
ASSESS_PICK = ("Trykk «Vurder» ved behovsmeldingen du vil vurdere (bare innsendte kan vurderes). "
               "Du kan også skrive referansen, for eksempel: vurder BM-2026-FOS-KKU-0001.")
ASSESS_UNKNOWN = "Jeg finner ingen innsendt behovsmelding med referansen {reference}."
HISTORY_WHICH = "Skriv referansen, for eksempel: historikk SBM-2026-FOS-KKU."

Id = Annotated[str, Field(min_length=1, max_length=36)]


class _Press(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AssessPress(_Press):
    report_id: Id
    versions: dict[Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")], StrictInt] = {}


class AskPress(_Press):
    report_id: Id
    measure_id: Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")]


class ScopePress(_Press):
    network_id: Annotated[str, Field(min_length=1, max_length=64)]
    cycle: Annotated[str, Field(pattern=r"^\d{4}/\d{4}$")]
    scheme: Annotated[str, Field(pattern=r"^[A-Z]{3,6}$")]
    expected: StrictInt | None = None


class NudgePress(_Press):
    network_id: Annotated[str, Field(min_length=1, max_length=64)]
    cycle: Annotated[str, Field(pattern=r"^\d{4}/\d{4}$")]


class ForumPress(_Press):
    cycle: Annotated[str, Field(pattern=r"^\d{4}/\d{4}$")] | None = None
    scheme: Annotated[str, Field(pattern=r"^[A-Z]{3,6}$")] | None = None


def _typed(value: dict[str, Any], prefix: str) -> dict[str, str]:
    """{measure id: text} from the card's inputs named '<prefix><measure id>'."""
    return {key[len(prefix):]: raw for key, raw in value.items()
            if key.startswith(prefix) and isinstance(raw, str)}


class NetworkFlow:
    def __init__(self, services: Services, service: NetworkReports, tools: CoordinatorTools,
                 cycles: Cycles, catalog: SchemeCatalog) -> None:
        self._s = services
        self._catalog = catalog
        self._network = service
        self._tools = tools
        self._cycles = cycles

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("vurder", ("vurder", "vurdering av", "vurder tiltakene i"), self.assess,
                    SECTION, "Nettverkets vurdering av tiltakene i en innsendt behovsmelding",
                    "vurder BM-2026-FOS-KKU-0001", staff=True, bare=True,
                    intents=("skrive nettverkets vurdering", "vurdere tiltakene",
                             "legge inn vurdering av tiltak", "nettverkets vurdering av tiltaka",
                             "assess the needs reports")))
        add(Command("sammenstilt", ("send sammenstilt behovsmelding", "send sammenstilt",
                                     "send inn sammenstilt behovsmelding",
                                     "send inn sammenstilt", "send inn den sammenstilte"),
                    self.compile, SECTION, "Sjekkliste og innsending av det samlede",
                    "send sammenstilt behovsmelding", staff=True,
                    intents=("sjekkliste før innsending",
                             "sende den sammenstilte behovsmeldingen",
                             "sende det samlede til samarbeidsforum",
                             "sammenstill behovsmeldingene", "lage den sammenstilte",
                             "lag sammenstillingen", "compile the needs reports",
                             "submit the compiled needs report")))
        add(Command("oversikt", ("oversikt", "oversikt over nettverkene", "alle nettverk"),
                    self.overview, FORUM_SECTION,
                    "Alle nettverkenes sammenstilte behovsmeldinger og felles tiltak",
                    "oversikt", forum=True,
                    intents=("hvilke nettverk har sendt", "felles tiltak på tvers av nettverk",
                             "vis alle nettverkene", "show all networks",
                             "oversikten over nettverkene")))
        add(Command("eksporter_alle", ("eksporter alle", "eksport alle"), self.export_all,
                    FORUM_SECTION, "Regneark med alle nettverkenes behovsmeldinger (.xlsx)",
                    "eksporter alle", forum=True,
                    intents=("last ned alle nettverkene", "regnearket for alle nettverk",
                             "download all networks", "regneark for hele regionen",
                             "eksportere alle nettverkene")))
        router.on_action("network", self.press)

    # --- commands --------------------------------------------------------------------------

    async def _actor(self, turn: Incoming) -> Actor:
        return Actor(turn.user_aad_id, turn.user_name,
                     await self._s.principal(turn.user_aad_id, turn=turn))

    async def assess(self, turn: Incoming, rest: str) -> Outcome:
        found = REPORT_REFERENCE.search(rest)
        if not found:
            return await self._pick_to_assess(turn, rest)
        reference = found.group(0).upper()
        stored = await self._s.reports.by_reference(reference)
        if stored is None:
            return Outcome.say(ASSESS_UNKNOWN.format(reference=reference))
        return await self._guarded(self._assessment(turn, stored.id))

    async def _pick_to_assess(self, turn: Incoming, rest: str) -> Outcome:
        """`vurder` with no reference ('vurder', 'vurder tiltakene i Fosen'): a coordinator
        gets the network's status, where each submitted report has its «Vurder» button;
        anyone else is told how the command is written (the assessment refuses them)."""
        me = await self._s.principal(turn.user_aad_id, turn=turn)
        if not me.may_coordinate():
            return Outcome.say(ASSESS_WHICH)
        shown = await self._tools.status(turn, self._tools.network_words(rest))
        if not shown.shows_card:
            return shown  # which network, or a refusal: said as status says it
        return Outcome([Reply(text=ASSESS_PICK), *shown.replies], shown.card)

    async def compile(self, turn: Incoming, rest: str) -> Outcome:
        scope = await self._tools.scope(turn, rest, "send sammenstilt behovsmelding")
        if isinstance(scope, Outcome):
            return scope
        actor = await self._actor(turn)
        replies = []
        for scheme in scope.schemes:
            check = await self._network.checklist(actor, scope.network.id, scope.cycle.id,
                                                  scheme.code)
            replies.append(Reply(card=cards.checklist_card(check)))
        return Outcome(replies)

    async def overview(self, turn: Incoming, rest: str) -> Outcome:
        me = await self._s.principal(turn.user_aad_id, turn=turn)
        if not me.may_view_all_networks() and me.may_coordinate():
            return await self._tools.status(turn, rest)  # a coordinator's overview
        chosen = self._schemes(rest)
        if isinstance(chosen, Outcome):
            return chosen
        cycle, schemes = chosen
        actor = await self._actor(turn)
        return await self._guarded(self._overviews(actor, cycle, schemes))

    async def export_all(self, turn: Incoming, rest: str) -> Outcome:
        chosen = self._schemes(rest)
        if isinstance(chosen, Outcome):
            return chosen
        cycle, schemes = chosen
        outcomes = [await self._guarded(self._export_all(turn, cycle.id, s.code))
                    for s in schemes]
        return personal(turn, Outcome([reply for outcome in outcomes
                                       for reply in outcome.replies]), SENT_PERSONALLY)

    async def history(self, turn: Incoming, rest: str) -> Outcome:
        """`historikk SBM-…` (the coordinator's `historikk` hands such references here)."""
        found = COMPILED_REFERENCE.search(rest)
        if not found:
            return Outcome.say(HISTORY_WHICH)
        actor = await self._actor(turn)
        try:
            versions = await self._network.history(actor, found.group(0))
        except Refused as refusal:
            return Outcome.say(refusal.message)
        rows, before = [], None
        for sent in versions:
            url, _ = await self._tools.link(turn, sent.network_id, sent.cycle, sent.scheme,
                                            compiled_version=sent.version)
            rows.append((sent, what_changed(before, sent.snapshot), url))
            before = sent.snapshot
        return personal(turn, Outcome.say(card=cards.compiled_history_card(rows)),
                        SENT_PERSONALLY)

    # --- presses ---------------------------------------------------------------------------

    async def press(self, turn: Incoming) -> Outcome:
        value = dict(turn.value or {})
        action = turn.action or ""
        try:
            if action == "network.assess":
                return await self._guarded(self._assessment(
                    turn, AssessPress.model_validate(value).report_id))
            if action == "network.assess.save":
                return await self._save(turn, AssessPress.model_validate(value), value)
            if action == "network.ask":
                return await self._ask(turn, AskPress.model_validate(value), value)
            if action == CHECKLIST_ACTION:
                return await self._checklist(turn, ScopePress.model_validate(value))
            if action == "network.send":
                return await self._send(turn, ScopePress.model_validate(value))
            if action in (NUDGE_ACTION, NUDGE_SEND_ACTION):
                return await self._nudge(turn, NudgePress.model_validate(value),
                                         send=action == NUDGE_SEND_ACTION)
            if action == "network.cancel":
                network_id = value.get("network_id")
                known = isinstance(network_id, str) and self._catalog.network(network_id)
                return Outcome(card=cards.cancelled_card(network_id if known else None))
            if action in ("network.overview", "network.export_all"):
                press = ForumPress.model_validate(value)
                words = press.scheme or ""
                return await (self.overview if action == "network.overview"
                              else self.export_all)(turn, words)
        except ValidationError:
            return Outcome.say(UNKNOWN_BUTTON)
        return Outcome.say(UNKNOWN_BUTTON)

    async def _assessment(self, turn: Incoming, report_id: str, *, message: str | None = None,
                          typed: dict[str, str] | None = None) -> Outcome:
        """The assessment form (a partnership's measures and amounts): in a shared chat it
        goes to the person's personal chat."""
        item = await self._network.to_assess(await self._actor(turn), report_id)
        return personal(turn, Outcome(card=cards.assessment_card(
            item, network_id=item.report.header.network_id, message=message, typed=typed)),
            SENT_FORM)

    async def _save(self, turn: Incoming, press: AssessPress, value: dict[str, Any]) -> Outcome:
        typed = _typed(value, "assessment_")
        actor = await self._actor(turn)
        try:
            item = await self._network.assess(actor, press.report_id, typed, press.versions)
        except AssessmentStale as stale:
            return await self._guarded(self._assessment(turn, press.report_id,
                                                        message=stale.message))
        except RuleBroken as broken:
            return await self._guarded(self._assessment(turn, press.report_id,
                                                        message=broken.message, typed=typed))
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return personal(turn, Outcome(card=cards.assessment_card(
            item, network_id=item.report.header.network_id, message=cards.SAVED)), SENT_FORM)

    async def _ask(self, turn: Incoming, press: AskPress, value: dict[str, Any]) -> Outcome:
        question = value.get(f"question_{press.measure_id}")
        typed = _typed(value, "assessment_")
        actor = await self._actor(turn)
        try:
            reached = await self._network.ask(actor, press.report_id, press.measure_id,
                                              question if isinstance(question, str) else "")
        except RuleBroken as broken:
            return await self._guarded(self._assessment(turn, press.report_id,
                                                        message=broken.message, typed=typed))
        except Refused as refusal:
            return Outcome.say(refusal.message)
        item = await self._network.to_assess(actor, press.report_id)
        said = texts.ASKED.format(partnership=item.report.header.partnership_name, n=reached,
                                  chats="chat" if reached == 1 else "chatter")
        return personal(turn, Outcome(card=cards.assessment_card(
            item, network_id=item.report.header.network_id, message=said, typed=typed)),
            SENT_FORM)

    async def _nudge(self, turn: Incoming, press: NudgePress, *, send: bool) -> Outcome:
        actor = await self._actor(turn)
        name = self._network.network_name(press.network_id)
        try:
            if send:
                nudged = await self._network.nudge(actor, press.network_id, press.cycle,
                                                   self._cycles.deadline(press.cycle))
                return Outcome(card=cards.nudged_card(nudged, network_id=press.network_id))
            behind = await self._network.behind(actor, press.network_id, press.cycle)
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return Outcome(card=cards.nudge_confirm_card(behind, network_id=press.network_id,
                                                     network=name, cycle=press.cycle))

    async def _checklist(self, turn: Incoming, press: ScopePress) -> Outcome:
        actor = await self._actor(turn)
        try:
            check = await self._network.checklist(actor, press.network_id, press.cycle,
                                                  press.scheme)
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return Outcome(card=cards.checklist_card(check))

    async def _send(self, turn: Incoming, press: ScopePress) -> Outcome:
        actor = await self._actor(turn)
        try:
            sent, changes = await self._network.send(actor, press.network_id, press.cycle,
                                                     press.scheme, press.expected)
        except RuleBroken as broken:
            try:
                check = await self._network.checklist(actor, press.network_id, press.cycle,
                                                      press.scheme)
            except Refused as refusal:
                return Outcome.say(refusal.message)
            return Outcome(card=cards.checklist_card(check, refusal=broken.message))
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return Outcome(card=cards.receipt_card(sent, self._network.network_name(
            sent.network_id), changes))

    # --- across networks ---------------------------------------------------------------------

    def _schemes(self, rest: str) -> tuple[CycleRules, tuple[Scheme, ...]] | Outcome:
        """The cycle samarbeidsforum works on now, and the scheme named (else all)."""
        cycle = self._cycles.for_coordinators()
        for word in rest.split():
            chosen = pick_scheme(word, cycle.schemes)
            if chosen:
                return cycle, (chosen,)
            if any(pick_scheme(word, c.schemes) for c in self._catalog.cycles):
                choices = " eller ".join(s.code for s in cycle.schemes)
                return Outcome.say(texts.SCHEME_NOT_IN_CYCLE.format(
                    word=literal(word.upper()), cycle=cycle.id, choices=choices))
        return cycle, tuple(cycle.schemes)

    async def _overviews(self, actor: Actor, cycle: CycleRules,
                         schemes: tuple[Scheme, ...]) -> Outcome:
        replies = [Reply(card=cards.overview_card(
            await self._network.overview(actor, cycle.id, s.code))) for s in schemes]
        return Outcome(replies)

    async def _export_all(self, turn: Incoming, cycle: str, scheme: str) -> Outcome:
        actor = await self._actor(turn)
        await self._network.overview(actor, cycle, scheme)  # the access check (audited)
        url, row = await self._tools.link(turn, ALL_NETWORKS, cycle, scheme)
        return Outcome.say(card=cards.forum_export_card(cycle=cycle, scheme=scheme, url=url,
                                                        expires_at=row.expires_at))

    @staticmethod
    async def _guarded(outcome: Any) -> Outcome:
        """A refusal as its Norwegian answer (nothing was changed)."""
        try:
            result: Outcome = await outcome
        except Refused as refusal:
            return Outcome.say(refusal.message)
        return result


__all__ = ["NetworkFlow", "Scope"]
