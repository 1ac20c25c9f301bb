"""The needs-report flow in chat: parse the press, call the service, choose the card.

Every press is read into a pydantic model (bad data gets a clear answer and changes
nothing); the rules and the transaction are the service's (`domain.needs.service`); a
refusal becomes the card that says why, showing the report as it is. All wording is in
`domain.needs.texts`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from cards import needs as cards
from cards import network as network_cards
from dialogs import texts as router_texts
from dialogs.commands import Command
from dialogs.cycles import NETWORKS, Cycles
from dialogs.router import Router
from dialogs.services import Services
from dialogs.turn import Incoming, Outcome, Reply, personal
from domain.needs import renaming, texts
from domain.needs.catalog import CycleRules, Scheme, SchemeCatalog
from domain.needs.forms import (
    HEADER_FIELDS,
    MONEY_FIELDS,
    WHAT_FIELDS,
    contact_values,
    header_values,
    parse_header,
    typed_values,
)
from domain.needs.models import Header, NeedsReport, PendingMeasure
from domain.needs.refusals import Duplicate, FormRefused, Refused, Stale
from domain.needs.service import Actor, NeedsReports
from domain.needs.states import Act, Status
from domain.networks import NetworkCatalog
from domain.norsk import number_named

SECTION = "Behovsmelding"
# The form's buttons as typed words: done when typed, never offered from plain words by the
# question engine (its «send inn behovsmeldingen» is `meld behov` for someone who has none)
TYPED_BUTTONS = ("send_inn", "endre_tiltak", "fjern_tiltak", "avbryt")
TOLD_FORMER = "needs.former_name_told"  # audit action: the person was told a new name once


Assessed = Callable[[NeedsReport], Awaitable[tuple[tuple[str, str], ...]]]

class Press(BaseModel):
    """A button on a report's card: which report, the version the card showed, and on a
    measure's buttons which measure. The forms' inputs are read by `domain.needs.forms`."""

    model_config = ConfigDict(extra="ignore")

    report_id: str = Field("", max_length=36)  # empty only on a new report's header form
    version: StrictInt | None = None  # None or another number: the service says stale
    measure_id: str = Field("", pattern=r"^([0-9a-f]{8})?$")


class NeedsFlow:
    def __init__(self, services: Services, reports: NeedsReports, schemes: SchemeCatalog,
                 networks: NetworkCatalog, cycles: Cycles) -> None:
        self._s = services
        self._reports = reports
        self._schemes = schemes
        self._networks = networks
        self._cycles = cycles
        self._assessed: Assessed | None = None

    def show_network_assessment(self, assessed: Assessed) -> None:
        """Members opening a report also see what the network said about its measures,
        once the network has sent its compiled report (read-only)."""
        self._assessed = assessed

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("meld_behov", ("meld behov", "ny behovsmelding", "behovsmelding",
                                   "start behovsmelding", "start på nytt", "begynn på nytt"),
                    self.start, SECTION, "Fyll ut behovsmeldingen for partnerskapet",
                    "meld behov",
                    intents=("jeg vil melde behov", "fylle ut behovsmeldingen",
                             "sende inn behovsmelding", "søke om midler",
                             "registrere tiltak", "starte på en ny behovsmelding",
                             "submit a needs report", "melde inn behov for",
                             "ny melding om behov", "report our needs",
                             # a measure is added in the form ('legg til' alone is a colleague)
                             "legge til et tiltak", "legge til flere tiltak",
                             "add a measure")))
        # The form's buttons, typed: each shows the card that asks before anything changes.
        add(Command("send_inn", ("send inn", "send inn behovsmeldingen",
                                 "send inn behovsmeldinga", "lever behovsmeldingen",
                                 "lever behovsmeldinga"),
                    self.submit_typed, SECTION,
                    "Send inn behovsmeldingen dere jobber med (du bekrefter først)", "send inn"))
        add(Command("endre_tiltak", ("endre tiltak", "rett tiltak", "rediger tiltak"),
                    self.edit_typed, SECTION, "Endre et tiltak i behovsmeldingen",
                    "endre tiltak 2"))
        add(Command("fjern_tiltak", ("fjern tiltak", "slett tiltak"), self.remove_typed,
                    SECTION, "Fjern et tiltak fra behovsmeldingen", "slett tiltak 2"))
        add(Command("avbryt", ("avbryt", "avbryt skjemaet", "avbryt behovsmeldingen",
                               "avbryt behovsmeldinga", "cancel"),
                    self.cancel_typed, SECTION, "Hva som er lagret når du går fra et skjema",
                    "avbryt"))
        router.on_action("needs", self.press)

    # --- commands ----------------------------------------------------------------------

    async def start(self, turn: Incoming, rest: str) -> Outcome:
        """`meld behov`: the header form, or first the drafts the person already has.

        `meld behov Dekom` (or Rekom, KKUB …): the scheme that took the name over is
        chosen, and the person is told once what it is called now.
        """
        cycle = self._cycles.for_reports()
        word, notice = rest.strip(), None
        scheme, former = self._scheme_named(word.split() if word != "ny" else [], cycle)
        if scheme is not None and former is not None \
                and await self._first_time_told(turn, former):
            notice = texts.FORMER_NAME.format(
                former=former, cycle=cycle.id, name=scheme.name, code=scheme.code,
                description=scheme.description)
        mine = await self._mine(turn, cycle.id)
        offer = [(r, self._network_name(r)) for r in mine]  # drafts, then sent ones
        offer.sort(key=lambda pair: not pair[0].editable)
        if offer and word != "ny":
            told = [Reply(text=notice)] if notice else []
            return owned(turn, Outcome([*told, Reply(card=cards.continue_card(offer))]))
        me = await self._s.who(turn)  # the contact, as Teams knows the person (editable)
        values = contact_values(me.name, me.email, me.upn) if me else {}
        if scheme is not None:
            values["scheme"] = scheme.code
        return owned(turn, Outcome.say(card=self._header_card(values, notice=notice)))

    def _scheme_named(self, words: list[str], cycle: CycleRules
                      ) -> tuple[Scheme | None, str | None]:
        """The scheme the words name ('meld behov for Dekom'), and the former name it was
        named by when the scheme has taken that name over (else None)."""
        for typed in words:
            named = self._schemes.current_for(typed, cycle.id)
            if named is not None:
                return named
            scheme = next((s for s in cycle.schemes if s.known_as(typed)), None)
            if scheme is not None:
                return scheme, None
        return None, None

    async def _mine(self, turn: Incoming, cycle: str) -> list[NeedsReport]:
        """The person's partnerships' reports in the cycle."""
        if not turn.user_aad_id:
            return []
        return [r.report for r in await self._s.reports.for_member(turn.user_aad_id)
                if r.meta.cycle == cycle]

    # --- the form's buttons, typed ----------------------------------------------------

    async def submit_typed(self, turn: Incoming, rest: str) -> Outcome:
        """`send inn`: the confirmation card of the report being worked on, as its «Send
        inn» button shows it (nothing is sent before «Send inn» there is pressed)."""
        target = await self._typed_target(turn, rest)
        if target is None:  # nothing started: what the person wants is the form
            started = await self.start(turn, rest)
            moved = any(reply.to_personal for reply in started.replies)
            started.replies.insert(0, Reply(text=texts.TYPED_START, to_personal=moved))
            return started
        if isinstance(target, Outcome):
            return target
        return owned(turn, await self._typed_act(turn, target, Act.SUBMIT))

    async def edit_typed(self, turn: Incoming, rest: str) -> Outcome:
        """`endre tiltak 2`: the measure's form, as its «Endre» button shows it."""
        return await self._typed_measure(turn, rest, Act.EDIT_MEASURE, "endre tiltak")

    async def remove_typed(self, turn: Incoming, rest: str) -> Outcome:
        """`slett tiltak 2`: the report, with the measure's «Fjern» pointed out (a typed
        word removes nothing)."""
        return await self._typed_measure(turn, rest, Act.REMOVE_MEASURE, "slett tiltak")

    async def cancel_typed(self, turn: Incoming, rest: str) -> Outcome:
        """`avbryt`: what is kept, and that nothing was sent (a form keeps no state in
        the chat, so there is nothing to stop)."""
        mine = await self._mine(turn, self._cycles.for_reports().id)
        drafts = any(report.editable for report in mine)
        return Outcome.say(texts.CANCEL_DRAFT if drafts else texts.CANCEL_NOTHING)

    async def _typed_measure(self, turn: Incoming, rest: str, act: Act,
                             command: str) -> Outcome:
        target = await self._typed_target(turn, rest)
        if target is None:
            return Outcome.say(await self._no_report(turn))
        if isinstance(target, Outcome):
            return target
        if not target.editable:  # sent: why it cannot be changed, and «Gjenåpne»
            return owned(turn, await self._typed_act(turn, target, act))
        number = number_named(rest)
        if number is None:
            return owned(turn, said(self._review(
                target, notice=texts.TYPED_WHICH_MEASURE.format(command=command))))
        if not 1 <= number <= len(target.measures):
            return owned(turn, said(self._review(target, notice=texts.TYPED_NO_MEASURE.format(
                count=len(target.measures), n=number))))
        return owned(turn, await self._typed_act(turn, target, act,
                                                 measure=target.measures[number - 1].id,
                                                 number=number))

    async def _typed_target(self, turn: Incoming, rest: str) -> NeedsReport | Outcome | None:
        """The one report being worked on (of the scheme the words name, if they name
        one), or what to say: all sent, or several to choose from; None when the person
        has no report in the cycle."""
        cycle = self._cycles.for_reports()
        mine = await self._mine(turn, cycle.id)
        scheme, _ = self._scheme_named(rest.split(), cycle)
        if scheme is not None:
            mine = [r for r in mine if r.header.scheme == scheme.code] or mine
        drafts = [r for r in mine if r.editable]
        if len(drafts) == 1:
            return drafts[0]
        if drafts:
            offer = [(r, self._network_name(r)) for r in drafts]
            return owned(turn, Outcome([Reply(text=texts.TYPED_WHICH),
                                        Reply(card=cards.continue_card(offer))]))
        if len(mine) == 1:  # sent: the report, with why and «Gjenåpne»
            return mine[0]
        return Outcome.say(texts.TYPED_ALL_SENT) if mine else None

    async def _no_report(self, turn: Incoming) -> str:
        said_ = texts.TYPED_NO_DRAFT.format(cycle=self._cycles.for_reports().id)
        if await self._s.is_staff(turn):
            said_ += " " + texts.TYPED_NO_DRAFT_STAFF
        return said_

    async def _typed_act(self, turn: Incoming, report: NeedsReport, act: Act, *,
                         measure: str = "", number: int = 0) -> Outcome:
        """The card the button for `act` would show, checked as a press is (refused: the
        report, with why)."""
        try:
            checked = await self._reports.check(self._actor(turn), report.id,
                                                report.version, act)
        except Refused as refusal:
            return said(self._refused(refusal))
        if act is Act.SUBMIT:
            return Outcome.say(card=cards.confirm_card(
                checked, late=self._reports.moment(checked).past_deadline))
        found = checked.measure(measure)
        if act is Act.EDIT_MEASURE and found is not None:
            return Outcome.say(card=self._measure_card(
                checked, values=cards.measure_values(found), measure_id=found.id))
        title = found.title if found is not None else ""
        return said(self._review(checked, notice=texts.TYPED_REMOVE.format(
            n=number, title=title)))

    async def _first_time_told(self, turn: Incoming, former: str) -> bool:
        """True the first time this person is told what `former` is called now (kept in
        the audit log, so it holds across restarts and replicas); a person Teams sends no
        id for is told every time."""
        person = turn.user_aad_id
        if not person:
            return True
        told = await self._s.audit.for_object("person", person)
        if any(e.action == TOLD_FORMER and (e.detail or {}).get("former") == former
               for e in told):
            return False
        await self._s.audit.append(actor=person, action=TOLD_FORMER, object_type="person",
                                   object_id=person, detail={"former": former})
        return True

    # --- presses -----------------------------------------------------------------------

    async def press(self, turn: Incoming) -> Outcome:
        """Every press goes through here. Forms are shown in personal chats only; a card
        from before that, pressed in a shared chat, answers only the person it was made
        for, so nobody changes someone else's form."""
        if not_owner(turn):
            return Outcome.say(texts.NOT_YOUR_FORM)
        try:
            return owned(turn, await self._act(turn))
        except ValidationError:
            return Outcome.say(texts.UNKNOWN_REPORT)
        except Refused as refusal:
            return owned(turn, self._refused(refusal))

    async def _act(self, turn: Incoming) -> Outcome:
        action, actor, value = turn.action or "", self._actor(turn), turn.value or {}
        if action == "needs.start":
            return Outcome(card=self._header_card())
        action = "needs.open" if action == "needs.continue" else action  # older cards
        if action not in Act._value2member_map_:
            return Outcome.say(texts.UNKNOWN_REPORT)
        act = Act(action)
        press = Press.model_validate(value)
        if act is Act.SAVE_HEADER:
            return await self._save_header(turn, actor, press)
        if not press.report_id:
            return Outcome.say(texts.UNKNOWN_REPORT)
        if act is Act.OPEN:
            opened = await self._reports.open(await self._reader(turn), press.report_id)
            shown = self._review(opened.report, member=opened.member)
            said = await self._assessed(opened.report) if opened.member and self._assessed \
                else ()
            if said:
                shown.replies.append(Reply(card=network_cards.shared_assessment_card(
                    self._network_name(opened.report), said)))
            return shown
        if act is Act.SAVE_MEASURE:
            return await self._save_measure(turn, actor, press)
        if act is Act.NEXT_MEASURE:
            return await self._measure_step(turn, actor, press)
        if act is Act.DISCARD_MEASURE:
            return self._review(await self._reports.discard_measure(
                actor, press.report_id, press.version, press.measure_id),
                notice=texts.DISCARDED)
        if act is Act.REMOVE_MEASURE:
            return self._review(await self._reports.remove_measure(
                actor, press.report_id, press.version, press.measure_id))
        if act is Act.CONFIRM_SUBMIT:
            report = await self._reports.submit(actor, press.report_id, press.version)
            return Outcome(card=cards.receipt_card(
                report, network=self._network_name(report), today=self._s.now().date(),
                deadline=self._cycles.deadline(report.header.cycle),
                compiled_deadline=self._cycles.deadline(report.header.cycle, NETWORKS)))
        if act is Act.REOPEN:
            return self._review(await self._reports.reopen(actor, press.report_id,
                                                           press.version))
        # The rest changes nothing yet: the next card, if the report allows the command.
        report = await self._reports.check(actor, press.report_id, press.version, act)
        if act is Act.EDIT_HEADER:
            return Outcome(card=self._header_card(values=header_values(report.header),
                                                  report=report))
        if act is Act.ADD_MEASURE:
            return Outcome(card=self._measure_card(report))
        if act is Act.EDIT_MEASURE:
            measure = report.measure(press.measure_id)
            if measure is None:
                return self._review(report, notice=texts.UNKNOWN_MEASURE)
            return Outcome(card=self._measure_card(report, values=cards.measure_values(measure),
                                                   measure_id=measure.id))
        if act in (Act.BACK_MEASURE, Act.RESUME_MEASURE):
            pending = report.pending_measure(press.measure_id)
            if pending is None:
                return self._review(report, notice=texts.UNKNOWN_MEASURE)
            if act is Act.BACK_MEASURE:
                return Outcome(card=self._measure_card(report, values=pending.what,
                                                       measure_id=pending.id))
            return Outcome(card=self._step_two(report, pending))
        if act is Act.SUBMIT:
            return Outcome(card=cards.confirm_card(
                report, late=self._reports.moment(report).past_deadline))
        return self._review(report, notice=texts.SAVED if act is Act.SAVE_EXIT else None)

    async def _save_header(self, turn: Incoming, actor: Actor, press: Press) -> Outcome:
        """A new report from the header form, or a started one's corrections."""
        value, report = dict(turn.value or {}), None
        if press.report_id:
            report = await self._reports.check(actor, press.report_id, press.version,
                                               Act.SAVE_HEADER)
        header = parse_header(value, self._schemes, cycle=report.header.cycle if report
                              else self._cycles.for_reports().id, require_open=report is None)
        shown = {**(header_values(report.header) if report else {}),
                 **typed_values(value, HEADER_FIELDS)}
        if not isinstance(header, Header):
            return Outcome(card=self._header_card(shown, header, report))
        try:
            if report is None:
                return self._review(await self._reports.start(actor, header))
            return self._review(await self._reports.save_header(actor, report.id,
                                                                press.version, header))
        except Refused as refusal:
            if not refusal.errors or not refusal.errors.keys() <= texts.LABELS.keys():
                raise
            return Outcome(card=self._header_card(shown, refusal.errors, report))

    async def _measure_step(self, turn: Incoming, actor: Actor, press: Press) -> Outcome:
        """Step 1 of a measure saved: on to step 2; refused: step 1 again, as typed."""
        try:
            report, pending = await self._reports.measure_step(
                actor, press.report_id, press.version, press.measure_id, turn.value or {})
        except FormRefused as refused:
            assert refused.report is not None  # read before the form was
            return Outcome(card=self._measure_card(
                refused.report, values=typed_values(turn.value, WHAT_FIELDS),
                errors=refused.errors, measure_id=press.measure_id))
        return Outcome(card=self._step_two(report, pending))

    def _step_two(self, report: NeedsReport, pending: PendingMeasure,
                  typed: dict[str, str] | None = None,
                  errors: dict[str, str] | None = None) -> dict[str, Any]:
        """Step 2 of a measure: as typed after a refusal, else the stored measure's values
        when it is an edit, else empty."""
        stored = report.measure(pending.id) if pending.edit else None
        values = typed if typed is not None else \
            cards.measure_values(stored) if stored is not None else {}
        return self._measure_card(report, step=2, pending=pending, values=values,
                                  errors=errors)

    async def _save_measure(self, turn: Incoming, actor: Actor, press: Press) -> Outcome:
        try:
            return self._review(await self._reports.save_measure(
                actor, press.report_id, press.version, press.measure_id, turn.value or {}))
        except FormRefused as refused:
            report = refused.report
            assert report is not None  # read before the form was
            pending = report.pending_measure(press.measure_id)
            errors = refused.errors
            if pending is not None and not errors.keys() & set(WHAT_FIELDS):
                return Outcome(card=self._step_two(
                    report, pending, typed_values(turn.value, MONEY_FIELDS), errors))
            # Step 1 no longer holds (or a card from before the two steps): step 1 again.
            typed = pending.what if pending is not None else typed_values(turn.value)
            return Outcome(card=self._measure_card(
                report, values=typed, errors=errors, measure_id=press.measure_id))

    # --- cards -------------------------------------------------------------------------

    def _refused(self, refusal: Refused) -> Outcome:
        """Why nothing changed, on the report as it is now when there is one to show."""
        if isinstance(refusal, Stale) and refusal.current is None:
            return Outcome.say(texts.UNKNOWN_REPORT)
        shown = refusal.current if isinstance(refusal, Stale) else \
            refusal.existing if isinstance(refusal, Duplicate) else refusal.report
        if shown is None:
            return Outcome.say(refusal.message)
        return self._review(shown, notice=refusal.message)

    def _measure_card(self, report: NeedsReport, **shown: Any) -> dict[str, Any]:
        """A step of the measure form, with the cycle's rules and, on a reopened report,
        that its changes are not sent."""
        return cards.measure_card(report, rules=self._reports.rules(report),
                                  warning=self._not_sent(report), **shown)

    def _not_sent(self, report: NeedsReport | None) -> str | None:
        """«Endringene er ikke sendt inn …» for a reopened report (on every card)."""
        if report is None or report.status is not Status.REOPENED:
            return None
        return cards.not_sent_text(self._cycles.deadline(report.header.cycle),
                                   self._s.now().date())

    def _header_card(self, values: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None,
                     report: NeedsReport | None = None,
                     notice: str | None = None) -> dict[str, Any]:
        cycle = self._reports.rules(report) if report else self._cycles.for_reports()
        # Locked (a started report): the scheme's name; to choose: what each one covers.
        schemes = [(s.code, s.name) for s in cycle.schemes] if report \
            else self._schemes.scheme_choices(cycle.id)
        if report is not None and cycle.scheme(report.header.scheme) is None:
            schemes.append((report.header.scheme, report.header.scheme))  # an older code
        return cards.header_card(
            cycle=cycle.id, schemes=schemes, notice=notice,
            networks=[(n.id, n.name) for n in self._networks.networks],
            uh_partners=[(u.id, u.name) for u in self._schemes.uh_partners],
            values=values, errors=errors, report_id=report.id if report else "",
            version=report.version if report else 0, locked=report is not None,
            warning=self._not_sent(report))

    def _review(self, report: NeedsReport, *, notice: str | None = None,
                member: bool = True) -> Outcome:
        h = report.header
        uh = self._schemes.uh(h.uh_partner)
        return Outcome(card=cards.review_card(
            report, allowed=self._reports.allowed(report, member=member),
            max_measures=self._reports.rules(report).max_measures,
            deadline=self._cycles.deadline(h.cycle), today=self._s.now().date(),
            network=self._network_name(report), uh=uh.name if uh else h.uh_partner,
            notice=notice, back_to_status=not member,
            rename=member and not renaming.ever_submitted([report])))

    def _network_name(self, report: NeedsReport) -> str:
        return network_name(self._networks, report)

    def _actor(self, turn: Incoming) -> Actor:
        return Actor(turn.user_aad_id, turn.user_name, personal_chat=turn.conversation_id
                     if turn.conversation_type == "personal" else None)

    async def _reader(self, turn: Incoming) -> Actor:
        """The actor with their roles (a coordinator may read their network's reports)."""
        return Actor(turn.user_aad_id, turn.user_name,
                     await self._s.principal(turn.user_aad_id, turn=turn))


def network_name(networks: NetworkCatalog, report: NeedsReport) -> str:
    network = networks.get(report.header.network_id)
    return network.name if network else report.header.network_id


def not_owner(turn: Incoming) -> bool:
    """A press, in a shared chat, on a form made for someone else (forms posted in shared
    chats before they went to the personal chat carry their owner)."""
    owner = (turn.value or {}).get("owner")
    return turn.conversation_type != "personal" and isinstance(owner, str) and bool(owner) \
        and owner != (turn.user_aad_id or "")


def said(outcome: Outcome) -> Outcome:
    """A card meant to replace a pressed one, as a new message (for a typed command)."""
    if outcome.card is None:
        return outcome
    return Outcome([*outcome.replies, Reply(card=outcome.card)],
                   shared_note=outcome.shared_note)


def owned(turn: Incoming, outcome: Outcome) -> Outcome:
    """A draft or form asked for in a channel or group chat goes to the person's personal
    chat with Kompis; the shared chat is told so in one line."""
    return personal(turn, outcome, router_texts.SENT_FORM)
