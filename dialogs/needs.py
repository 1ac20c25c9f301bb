"""The needs-report flow in chat: parse the press, call the service, choose the card.

Every press is read into a pydantic model (bad data gets a clear answer and changes
nothing), the rule and the transaction are the service's (`domain.needs.service`), and
a refusal becomes the card that says why. All wording is in `domain.needs.texts`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from cards import needs as cards
from cards.base import escape_markdown
from dialogs.commands import Command, normalize
from dialogs.cycles import Cycles
from dialogs.router import Router
from dialogs.services import Services
from dialogs.turn import Incoming, Outcome
from domain.needs import texts
from domain.needs.catalog import SchemeCatalog
from domain.needs.forms import (
    HEADER_FIELDS,
    header_values,
    parse_header,
    parse_measure,
    typed_values,
)
from domain.needs.models import Header, NeedsReport, partnership_key
from domain.needs.refusals import Duplicate, NotAllowed, NotFound, Refused, Stale
from domain.needs.service import Actor, NeedsReports
from domain.needs.states import Act
from domain.networks import NetworkCatalog

SECTION = "Behovsmelding"
MEASURE_ID = r"^[0-9a-f]{8}$"


class Press(BaseModel):
    """A button on a report's card: which report, and the version the card showed."""

    model_config = ConfigDict(extra="ignore")

    report_id: str = Field(min_length=1, max_length=36)
    version: StrictInt | None = None  # None or another number: the service says stale


class MeasurePress(Press):
    measure_id: str = Field(pattern=MEASURE_ID)


class SaveMeasure(Press):
    measure_id: str = Field("", pattern=rf"({MEASURE_ID})|^$")


class SaveHeader(BaseModel):
    """The header form: a new report (no id) or an existing one's corrections."""

    model_config = ConfigDict(extra="ignore")

    report_id: str = Field("", max_length=36)
    version: StrictInt | None = None


class NeedsFlow:
    def __init__(self, services: Services, reports: NeedsReports, schemes: SchemeCatalog,
                 networks: NetworkCatalog, cycles: Cycles) -> None:
        self._s = services
        self._reports = reports
        self._schemes = schemes
        self._networks = networks
        self._cycles = cycles
        self._presses: dict[str, Callable[[Incoming], Awaitable[Outcome]]] = {
            "needs.start": self._press_start, Act.SAVE_HEADER: self._header_save,
            Act.EDIT_HEADER: self._header_edit, Act.OPEN: self._open,
            "needs.continue": self._open, Act.ADD_MEASURE: self._measure_add,
            Act.EDIT_MEASURE: self._measure_edit, Act.SAVE_MEASURE: self._measure_save,
            Act.REMOVE_MEASURE: self._measure_remove, Act.SAVE_EXIT: self._save_exit,
            Act.SUBMIT: self._submit, Act.CANCEL_SUBMIT: self._submit_cancel,
            Act.CONFIRM_SUBMIT: self._submit_confirm, Act.REOPEN: self._reopen,
        }

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("meld_behov", ("meld behov", "ny behovsmelding", "behovsmelding",
                                   "start behovsmelding"),
                    self.start, SECTION, "Fyll ut behovsmeldingen for partnerskapet",
                    "meld behov"))
        add(Command("mine_behovsmeldinger", ("mine behovsmeldinger", "våre behovsmeldinger",
                                             "mine behovsmeldingar"),
                    self.mine, SECTION, "Se behovsmeldingene deres", "mine behovsmeldinger"))
        add(Command("legg_til", ("legg til",), self.add_member, SECTION,
                    "Ta med en kollega i partnerskapets behovsmeldinger", "legg til @Kari"))
        router.on_action("needs", self.press)

    # --- cards -------------------------------------------------------------------------

    def _header_card(self, values: dict[str, str] | None = None,
                     errors: dict[str, str] | None = None,
                     report: NeedsReport | None = None) -> dict[str, Any]:
        cycle = self._reports.rules(report) if report else self._cycles.for_reports()
        return cards.header_card(
            cycle=cycle.id, schemes=[(s.code, s.name) for s in cycle.schemes],
            networks=[(n.id, n.name) for n in self._networks.networks],
            uh_partners=[(u.id, u.name) for u in self._schemes.uh_partners],
            values=values, errors=errors, report_id=report.id if report else "",
            version=report.version if report else 0, locked=report is not None)

    def _review(self, report: NeedsReport, *, notice: str | None = None,
                member: bool = True) -> Outcome:
        h = report.header
        deadline = self._cycles.deadline(h.cycle)
        network = self._networks.get(h.network_id)
        uh = self._schemes.uh(h.uh_partner)
        return Outcome(card=cards.review_card(
            report, allowed=self._reports.allowed(report, member=member),
            max_measures=self._reports.rules(report).max_measures, deadline=deadline,
            today=self._s.now().date(), network=network.name if network else h.network_id,
            uh=uh.name if uh else h.uh_partner, notice=notice))

    def _network_name(self, report: NeedsReport) -> str:
        network = self._networks.get(report.header.network_id)
        return network.name if network else report.header.network_id

    async def _refused(self, turn: Incoming, refusal: Refused,
                       report_id: str | None = None) -> Outcome:
        """The card that says why nothing changed, showing the report as it is now."""
        if isinstance(refusal, Stale):
            if refusal.current is None:
                return Outcome.say(texts.UNKNOWN_REPORT)
            return self._review(refusal.current, notice=refusal.message)
        if isinstance(refusal, Duplicate):
            return self._review(refusal.existing, notice=refusal.message)
        if isinstance(refusal, NotFound | NotAllowed) or not report_id:
            return Outcome.say(refusal.message)
        try:
            opened = await self._reports.open(self._actor(turn), report_id)
        except Refused as again:
            return Outcome.say(again.message)
        return self._review(opened.report, notice=refusal.message, member=opened.member)

    def _actor(self, turn: Incoming) -> Actor:
        return Actor(turn.user_aad_id, turn.user_name,
                     personal_chat=turn.conversation_id
                     if turn.conversation_type == "personal" else None)

    async def _reader(self, turn: Incoming) -> Actor:
        """The actor with their roles (a coordinator may read their network's reports)."""
        return Actor(turn.user_aad_id, turn.user_name,
                     await self._s.principal(turn.user_aad_id, turn=turn))

    # --- commands ----------------------------------------------------------------------

    async def start(self, turn: Incoming, rest: str) -> Outcome:
        return _owned(turn, await self._start(turn, rest))

    async def _start(self, turn: Incoming, rest: str) -> Outcome:
        cycle = self._cycles.for_reports()
        mine = [r.report for r in await self._s.reports.for_member(turn.user_aad_id or "")
                if r.meta.cycle == cycle.id] if turn.user_aad_id else []
        drafts = [r for r in mine if r.editable]
        if drafts and rest != "ny":
            return Outcome.say(card=cards.continue_card(
                [(r, self._network_name(r)) for r in drafts]))
        return Outcome.say(card=self._header_card())

    async def mine(self, turn: Incoming, rest: str) -> Outcome:
        rows = await self._s.reports.for_member(turn.user_aad_id or "") \
            if turn.user_aad_id else []
        return Outcome.say(card=cards.reports_card(
            [(r.report, self._network_name(r.report)) for r in rows],
            updated={r.id: r.updated_at for r in rows}))

    async def add_member(self, turn: Incoming, rest: str) -> Outcome:
        """`legg til @Kari [i <partnerskap>]`: a member brings a colleague in."""
        if not turn.mentions:
            return Outcome.say(texts.ADD_WHO)
        mine: dict[str, tuple[str, str]] = {}
        for stored in await self._s.reports.for_member(turn.user_aad_id or "") \
                if turn.user_aad_id else []:
            mine.setdefault(f"{stored.meta.network_id}/"
                            f"{partnership_key(stored.meta.partnership_name)}",
                            (stored.meta.network_id, stored.meta.partnership_name))
        if not mine:
            await self._s.audit.append(actor=turn.user_aad_id, action="partnership.member_add",
                                       object_type="partnership", object_id=None,
                                       outcome="refused")
            return Outcome.say(texts.ADD_NOT_MEMBER)
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
                                           outcome="refused", detail={"named": wanted[:60]})
                return Outcome.say(texts.ADD_NOT_THAT.format(name=escape_markdown(wanted[:60])))
        elif len(choices) > 1:
            names = " / ".join(sorted(escape_markdown(name) for _, name in choices))
            return Outcome.say(texts.ADD_WHICH.format(names=names))
        network_id, partnership = choices[0]
        member = await self._s.members.lookup(turn.conversation_id, mention.user_id)
        if member is None or not member.aad_object_id:
            return Outcome.say(texts.ADD_NOT_FOUND.format(
                name=escape_markdown(mention.name or "personen")))
        display = member.name or mention.name
        try:
            added = await self._reports.add_member(self._actor(turn), network_id, partnership,
                                                   member.aad_object_id, display)
        except Refused as refusal:
            return Outcome.say(refusal.message)
        said = texts.ADDED if added else texts.ALREADY_ADDED
        return Outcome.say(said.format(name=escape_markdown(display or ""),
                                       partnership=escape_markdown(partnership)))

    # --- presses -----------------------------------------------------------------------

    async def press(self, turn: Incoming) -> Outcome:
        """Every press goes through here; in shared chats a form answers only the person
        it was made for, so nobody changes someone else's form."""
        owner = (turn.value or {}).get("owner")
        if turn.conversation_type != "personal" and isinstance(owner, str) and owner \
                and owner != (turn.user_aad_id or ""):
            return Outcome.say(texts.NOT_YOUR_FORM)
        handler = self._presses.get(turn.action or "")
        if handler is None:
            return Outcome.say(texts.UNKNOWN_REPORT)
        try:
            outcome = await handler(turn)
        except ValidationError:
            return Outcome.say(texts.UNKNOWN_REPORT)
        except Refused as refusal:
            report_id = (turn.value or {}).get("report_id")
            outcome = await self._refused(turn, refusal,
                                          report_id if isinstance(report_id, str) else None)
        return _owned(turn, outcome)

    async def _press_start(self, turn: Incoming) -> Outcome:
        return Outcome(card=self._header_card())

    async def _header_save(self, turn: Incoming) -> Outcome:
        press = SaveHeader.model_validate(turn.value)
        value = dict(turn.value or {})
        raw = typed_values(value, HEADER_FIELDS)
        if press.report_id:
            return await self._header_update(turn, press, value, raw)
        header = parse_header(value, self._schemes, cycle=self._cycles.for_reports().id)
        if not isinstance(header, Header):
            return Outcome(card=self._header_card(values=raw, errors=header))
        try:
            report = await self._reports.start(self._actor(turn), header)
        except NotAllowed as refusal:
            if refusal.field is None:
                return Outcome.say(refusal.message)
            return Outcome(card=self._header_card(values=raw,
                                                  errors={refusal.field: refusal.message}))
        return self._review(report)

    async def _header_update(self, turn: Incoming, press: SaveHeader, value: dict[str, Any],
                             raw: dict[str, str]) -> Outcome:
        """A started report's header: owners, UH partner and contact may change."""
        actor = self._actor(turn)
        report = await self._reports.check(actor, press.report_id, press.version,
                                           Act.SAVE_HEADER)
        header = parse_header(value, self._schemes, cycle=report.header.cycle,
                              require_open=False)
        errors = header if not isinstance(header, Header) else {}
        if isinstance(header, Header):
            try:
                report = await self._reports.save_header(actor, press.report_id, press.version,
                                                         header)
            except Refused as refusal:
                if not refusal.errors.keys() <= texts.LABELS.keys() or not refusal.errors:
                    raise
                errors = refusal.errors
            else:
                return self._review(report)
        return Outcome(card=self._header_card(values={**header_values(report.header), **raw},
                                              errors=errors, report=report))

    async def _header_edit(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        report = await self._reports.check(self._actor(turn), press.report_id, press.version,
                                           Act.EDIT_HEADER)
        return Outcome(card=self._header_card(values=header_values(report.header),
                                              report=report))

    async def _open(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        opened = await self._reports.open(await self._reader(turn), press.report_id)
        return self._review(opened.report, member=opened.member)

    async def _measure_add(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        report = await self._reports.check(self._actor(turn), press.report_id, press.version,
                                           Act.ADD_MEASURE)
        return Outcome(card=cards.measure_card(report, rules=self._reports.rules(report)))

    async def _measure_edit(self, turn: Incoming) -> Outcome:
        press = MeasurePress.model_validate(turn.value)
        report = await self._reports.check(self._actor(turn), press.report_id, press.version,
                                           Act.EDIT_MEASURE)
        measure = report.measure(press.measure_id)
        if measure is None:
            return self._review(report, notice=texts.UNKNOWN_MEASURE)
        return Outcome(card=cards.measure_card(report, values=cards.measure_values(measure),
                                               measure_id=measure.id,
                                               rules=self._reports.rules(report)))

    async def _measure_save(self, turn: Incoming) -> Outcome:
        press = SaveMeasure.model_validate(turn.value)
        actor = self._actor(turn)
        act = Act.EDIT_MEASURE if press.measure_id else Act.ADD_MEASURE
        report = await self._reports.check(actor, press.report_id, press.version, act)
        rules = self._reports.rules(report)
        parsed = parse_measure(turn.value, rules)
        if isinstance(parsed, dict):
            return Outcome(card=cards.measure_card(report, values=typed_values(turn.value),
                                                   errors=parsed, measure_id=press.measure_id,
                                                   rules=rules))
        if press.measure_id:
            saved = await self._reports.replace_measure(actor, press.report_id, press.version,
                                                        press.measure_id, parsed)
        else:
            saved = await self._reports.add_measure(actor, press.report_id, press.version,
                                                    parsed)
        return self._review(saved)

    async def _measure_remove(self, turn: Incoming) -> Outcome:
        press = MeasurePress.model_validate(turn.value)
        return self._review(await self._reports.remove_measure(
            self._actor(turn), press.report_id, press.version, press.measure_id))

    async def _save_exit(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        report = await self._reports.check(self._actor(turn), press.report_id, press.version,
                                           Act.SAVE_EXIT)
        return self._review(report, notice=texts.SAVED)

    async def _submit(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        report = await self._reports.check(self._actor(turn), press.report_id, press.version,
                                           Act.SUBMIT)
        return Outcome(card=cards.confirm_card(
            report, late=self._reports.moment(report).past_deadline))

    async def _submit_cancel(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        return self._review(await self._reports.check(
            self._actor(turn), press.report_id, press.version, Act.CANCEL_SUBMIT))

    async def _submit_confirm(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        report = await self._reports.submit(self._actor(turn), press.report_id, press.version)
        return Outcome(card=cards.receipt_card(report, network=self._network_name(report)))

    async def _reopen(self, turn: Incoming) -> Outcome:
        press = Press.model_validate(turn.value)
        return self._review(await self._reports.reopen(self._actor(turn), press.report_id,
                                                       press.version))


def _owned(turn: Incoming, outcome: Outcome) -> Outcome:
    """In a shared chat, the cards answer only the person they were made for."""
    if turn.conversation_type != "personal":
        for card in [outcome.card, *(reply.card for reply in outcome.replies)]:
            if card is not None:
                _stamp_owner(card, turn.user_aad_id or "")
    return outcome


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
