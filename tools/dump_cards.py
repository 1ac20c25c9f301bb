"""Print every card Kompis can send, as a JSON list of {"name", "card"}.

Each card is built by its real builder in `cards/` with representative data (the shipped
content where a builder needs it), so `make e2e` can parse all of them with Microsoft's
`adaptivecards` renderer in Chromium. Names are `module.builder` or `module.builder:variant`.

Adding a card module: write a sampler below (a function yielding (name, card)) and add one
line to SAMPLERS. `--strict` exits 1 when a public `*_card` builder in `cards/` has no sample,
so a new builder cannot slip past the renderer check.

    .venv/bin/python tools/dump_cards.py [--strict] [--names]
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cards  # noqa: E402
from cards.base import Card  # noqa: E402

Sample = tuple[str, Card]
Sampler = Callable[[], Iterator[Sample]]

# Modules in cards/ that hold building blocks, not cards.
NOT_CARDS = {"cards.base", "cards.check"}
TODAY = date(2026, 12, 8)  # a working day one week before the needs-report deadline
CALENDAR_URL = "https://kompis.example.no/calendar/arshjul.ics"
PICTURE_URL = f"https://kompis.example.no/arshjul.png?dag={TODAY.isoformat()}"


def help_samples() -> Iterator[Sample]:
    """The help card as the running bot lists its commands, for members and for staff."""
    from bot import compose
    from bot.config import Settings
    from cards.help import greeting_card, help_card, welcome_card

    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:",
                        public_url="https://kompis.example.no")
    db = compose.database(settings)
    router = compose.features(compose.services(settings, db)).router
    yield "help.help_card", help_card(router.help_items())
    yield "help.help_card:staff", help_card(router.help_items(staff=True))
    yield "help.help_card:admin", help_card(router.help_items(staff=True, admin=True))
    yield "help.help_card:not_understood", help_card(router.help_items(), not_understood=True)
    yield "help.greeting_card", greeting_card("Kari", staff=False)
    yield "help.greeting_card:staff", greeting_card(None, staff=True)
    yield "help.welcome_card:personal", welcome_card(shared=False)
    yield "help.welcome_card:shared", welcome_card(shared=True)
    yield "help.welcome_card:shared_offer", welcome_card(shared=True, offer_reminders=True)


def glossary_samples() -> Iterator[Sample]:
    """Answers, comparison, «Mente du», no match, every glossary page, criteria."""
    from cards import glossary as g
    from domain.glossary.loader import load_criteria, load_glossary
    from domain.glossary.matcher import Matcher

    glossary = load_glossary()
    criteria = load_criteria(glossary=glossary)
    entries = Matcher(glossary, criteria).entries_sorted()
    entry = glossary.get("innstilling")
    yield "glossary.answer_card", g.answer_card(entry,
                                                [glossary.get(i) for i in entry.related])
    yield "glossary.answer_card:no_related", g.answer_card(glossary.get("egenandel"), [])
    yield "glossary.compare_card", g.compare_card(entry, glossary.get("vedtak"))
    yield "glossary.did_you_mean_card", g.did_you_mean_card(
        [glossary.get("langsiktig-plan"), glossary.get("langsiktig-kompetanseutviklingsplan")])
    yield "glossary.no_match_card", g.no_match_card("[lenke](http://x.example) <b>", [entry])
    yield "glossary.no_match_card:no_nearest", g.no_match_card("noe helt annet", [])
    pages = -(-len(entries) // g.PAGE_SIZE)
    for page in range(1, pages + 1):
        yield f"glossary.list_card:page{page}", g.list_card(entries, page)
    yield "glossary.criteria_card", g.criteria_card(criteria)
    for criterion in criteria.criteria:
        linked = glossary.get(criterion.glossary) if criterion.glossary else None
        yield (f"glossary.criterion_card:{criterion.number}",
               g.criterion_card(criterion, linked))
    yield "glossary.criterion_card:no_term", g.criterion_card(criteria.criteria[0], None)


def answers_samples() -> Iterator[Sample]:
    """Spør Kompis: a disputed rule, a practice rule, a date (coming, passed, next cycle),
    how-to (allowed and staff only), «Mente du» for a command and for several answers,
    and «vet ikke» with and without suggestions."""
    from cards import answers as a
    from domain.answers.loader import load_answers
    from domain.answers.types import CommandInfo, EventAnswer, Option
    from domain.wheel.loader import WheelSource

    content = load_answers()
    disputed = next(r for r in content.rules if r.disputed)
    practice = next(r for r in content.rules if r.practice)
    follow = [Option("term", "innstilling", "innstilling"),
              Option("event", "endelig-innstilling", "Endelig innstilling"),
              Option("command", "meld_behov", "meld behov")]
    yield "answers.rule_card", a.rule_card(disputed, follow)
    yield "answers.rule_card:practice", a.rule_card(practice, [])
    wheel = WheelSource().wheel
    cycle = wheel.cycles[0]
    event = cycle.event("godkjenning-utbetaling") or cycle.events[0]
    yield "answers.event_card", a.event_card(EventAnswer(event, cycle.id, TODAY, False))
    yield "answers.event_card:passed", a.event_card(
        EventAnswer(cycle.events[0], cycle.id, TODAY, True))
    yield "answers.event_card:next_cycle", a.event_card(
        EventAnswer(cycle.events[0], cycle.id, TODAY, True, cycle.events[0], "2027/2028"))
    command = CommandInfo("meld_behov", ("meld behov",), ("jeg vil melde behov",),
                          "Fyll ut behovsmeldingen for partnerskapet", "meld behov")
    staff = CommandInfo("status", ("status",), ("hvem mangler",),
                        "Hvem i nettverket har sendt inn", "status", staff=True)
    yield "answers.howto_card", a.howto_card(command, True)
    yield "answers.howto_card:staff_only", a.howto_card(staff, False)
    yield "answers.suggest_command_card", a.suggest_command_card(command, "kkub")
    grant = CommandInfo("gi_rolle", ("gi",), ("gjøre en person til koordinator",), "Gi en rolle",
                        "gi @Kari rollen koordinator for Fosen", staff=True)
    yield "answers.mention_command_card", a.mention_command_card(
        grant, "Kari *Nordmann*", "29:1kari",
        "kan du gjøre Kari Nordmann til koordinator for Fosen")
    yield "answers.did_you_mean_card", a.did_you_mean_card(follow, "[lenke](http://x) <b>")
    yield "answers.unknown_card", a.unknown_card("hva er været i morgen", follow)
    yield "answers.unknown_card:english", a.unknown_card("what is this", [], english=True)


def wheel_samples() -> Iterator[Sample]:
    """The whole wheel, next events, a month, reminders in all their forms, thanks."""
    from cards import wheel as w
    from domain.wheel.due import events_in_month, next_events
    from domain.wheel.loader import load_wheel

    wheel = load_wheel()
    events = {e.id: e for _, e in wheel.events()}
    deadline = events["frist-behovsmelding"]
    yield "wheel.wheel_card", w.wheel_card(wheel.cycles[0], TODAY, CALENDAR_URL,
                                           PICTURE_URL)
    yield "wheel.wheel_card:no_picture", w.wheel_card(wheel.cycles[0], TODAY, CALENDAR_URL)
    yield "wheel.next_card", w.next_card(next_events(wheel, TODAY), TODAY, CALENDAR_URL)
    yield "wheel.next_card:empty", w.next_card([], TODAY, CALENDAR_URL)
    year, january = events_in_month(wheel, 1, TODAY, kind="frist")
    yield "wheel.month_card", w.month_card(january, 1, year, TODAY, deadlines_only=True)
    yield "wheel.month_card:empty", w.month_card([], 8, 2027, TODAY, deadlines_only=False)
    yield "wheel.reminder_card", w.reminder_card(deadline, TODAY, start_report=True)
    yield "wheel.reminder_card:meeting", w.reminder_card(events["endelig-innstilling"],
                                                         date(2027, 3, 11))
    yield "wheel.reminder_card:coordinator", w.reminder_card(deadline, TODAY, pending=[
        w.PendingPartnership("Fosen (KKU)", 2), w.PendingPartnership("Åfjord (KKU)", None)])
    yield "wheel.reminder_card:all_submitted", w.reminder_card(deadline, TODAY, pending=[])
    yield "wheel.thanks_card", w.thanks_card(deadline, TODAY, ["KKU"])


def needs_samples() -> Iterator[Sample]:
    """Every step of the needs report: forms (also with errors), review, confirm, receipt."""
    from cards import needs as n
    from domain.needs import states
    from domain.needs.catalog import load_schemes
    from domain.needs.forms import parse_measure, parse_measure_what
    from domain.needs.models import Header, Measure, NeedsReport, PendingMeasure
    from domain.needs.states import Moment
    from domain.networks import load_networks

    catalog, networks = load_schemes(), load_networks()
    rules = catalog.cycles[0]
    schemes = catalog.scheme_choices(rules.id)
    old_schemes = catalog.scheme_choices(catalog.cycles[1].id)
    network_choices = [(x.id, x.name) for x in networks.networks]
    uh = [(u.id, u.name) for u in catalog.uh_partners]
    measure_form = {
        "title": "Lesing og språk i barnehagen", "need": "Språkmiljøet må styrkes.",
        "need_found": "Kartlegging i alle enheter høsten 2026.", "areas": "barnehage,ppt",
        "staff_groups": "Barnehagelærere og fagarbeidere", "units": "Åfjord og Ørland",
        "uh_role": "NTNU leder samlinger og veileder.", "inclusion": "Tillitsvalgte var med.",
        "sami": "Ikke aktuelt, vurdert sammen med eierne.", "interdisciplinary": "false",
        "continued": "false", "period_start": "2027-01-01", "period_end": "2027-12-31",
        "amount": "250 000",
    }

    def report(measures: int) -> NeedsReport:
        made = NeedsReport(header=Header(
            cycle=rules.id, scheme=rules.schemes[0].code, network_id=networks.networks[0].id,
            partnership_name="Fosen barnehager", owners=("Åfjord", "Ørland"),
            uh_partner=catalog.uh_partners[0].id, contact_name="Kari Nordmann",
            contact_email="kari@afjord.kommune.no"))
        for i in range(measures):
            measure = parse_measure({**measure_form, "title": f"Tiltak {i + 1}"}, rules)
            if not isinstance(measure, Measure):
                raise SystemExit(f"dump_cards: sample measure refused: {measure}")
            made.add_measure(measure, max_measures=rules.max_measures)
        return made

    empty, two, full = report(0), report(2), report(rules.max_measures)
    submitted = report(2)
    submitted.submit(datetime(2026, 12, 10, 9, tzinfo=UTC), datetime(2026, 12, 15, tzinfo=UTC))
    submitted.reference = "BM-2026-FOS-KKU-0001"
    late = report(1)
    late.submit(datetime(2026, 12, 20, 9, tzinfo=UTC), datetime(2026, 12, 15, tzinfo=UTC))
    late.reference = "BM-2026-FOS-KKU-0002"
    network, uh_name = networks.networks[0].name, catalog.uh_partners[0].name
    review: dict[str, Any] = dict(max_measures=rules.max_measures, today=TODAY,
                                  network=network, uh=uh_name)
    deadline = datetime(2026, 12, 15, 23, 59, 59, tzinfo=UTC)

    def allowed(made: NeedsReport, *, read_only: bool = False) -> dict[str, Any]:
        moment = Moment(datetime(2026, 12, 8, 9, tzinfo=UTC), deadline, rules.max_measures)
        return {"allowed": frozenset() if read_only else states.allowed(made, moment)}

    yield "needs.header_card", n.header_card(cycle=rules.id, schemes=schemes,
                                             networks=network_choices, uh_partners=uh)
    yield "needs.header_card:errors", n.header_card(
        cycle=rules.id, schemes=schemes, networks=network_choices, uh_partners=uh,
        values={"scheme": schemes[0][0], "partnership_name": ""},
        errors={"partnership_name": "Partnerskapets navn må fylles ut."})
    yield "needs.header_card:several_schemes", n.header_card(
        cycle=catalog.cycles[1].id, schemes=old_schemes, networks=network_choices,
        uh_partners=uh)
    yield "needs.header_card:former_name", n.header_card(
        cycle=rules.id, schemes=schemes, networks=network_choices, uh_partners=uh,
        values={"scheme": schemes[0][0]}, notice="Dekom heter ikke lenger det. I 2026/2027 "
        "meldes behov til Tilskuddsordning for kollektiv kompetanseutvikling (KKU).")
    what, _ = parse_measure_what(measure_form)
    held = PendingMeasure(id="0a1b2c3d", what=what, by="kari")
    holding = report(2)
    holding.hold_measure(held, max_measures=rules.max_measures)
    edited = PendingMeasure(id=two.measures[0].id, edit=True, what=what)
    yield "needs.measure_card", n.measure_card(empty)
    yield "needs.measure_card:edit", n.measure_card(
        two, values=n.measure_values(two.measures[0]), measure_id=two.measures[0].id,
        errors={"title": "Tittel må fylles ut."})
    yield "needs.measure_card:step2", n.measure_card(holding, step=2, pending=held,
                                                     rules=rules)
    yield "needs.measure_card:step2_edit", n.measure_card(
        two, step=2, pending=edited, values=n.measure_values(two.measures[0]), rules=rules,
        errors={"amount": "Beløpet må være et helt antall kroner."})
    yield "needs.review_card:pending", n.review_card(holding, deadline=date(2026, 12, 15),
                                                     **allowed(holding), **review)
    yield "needs.confirm_card:pending", n.confirm_card(holding)
    yield "needs.review_card:rename", n.review_card(two, deadline=date(2026, 12, 15),
                                                    rename=True, **allowed(two), **review)
    yield "needs.rename_card", n.rename_card(
        network_id=networks.networks[0].id, partnership="Fosen barnehgaer", network=network,
        report_id=two.id, version=two.version)
    yield "needs.rename_card:refused", n.rename_card(
        network_id=networks.networks[0].id, partnership="Fosen barnehgaer", network=network,
        typed="Ørland oppvekst", error="Fosen har allerede et partnerskap som heter "
        "«Ørland oppvekst». Velg et annet navn.")
    yield "needs.renamed_card", n.renamed_card(
        "Partnerskapet heter nå **Fosen barnehager** (før: Fosen barnehgaer). Én "
        "behovsmelding fikk det nye navnet; det gamle står i historikken.",
        network_id=networks.networks[0].id)
    yield "needs.review_card:empty", n.review_card(empty, deadline=date(2026, 12, 15),
                                                   **allowed(empty), **review)
    yield "needs.review_card", n.review_card(two, deadline=date(2026, 12, 15),
                                             **allowed(two), **review)
    yield "needs.review_card:full", n.review_card(full, deadline=None, notice="Lagret.",
                                                  **allowed(full), **review)
    yield "needs.review_card:submitted", n.review_card(submitted, deadline=None,
                                                       **allowed(submitted), **review)
    yield "needs.review_card:read_only", n.review_card(two, deadline=None,
                                                       **allowed(two, read_only=True),
                                                       back_to_status=True, **review)
    yield "needs.confirm_card", n.confirm_card(two)
    yield "needs.receipt_card", n.receipt_card(submitted, network=network)
    yield "needs.receipt_card:next_steps", n.receipt_card(
        submitted, network=network, deadline=date(2026, 12, 15),
        compiled_deadline=date(2027, 1, 11), today=TODAY)
    reopened = report(2)
    reopened.submit(datetime(2026, 12, 7, 9, tzinfo=UTC), deadline)
    reopened.reopen(datetime(2026, 12, 8, 9, tzinfo=UTC), deadline)
    yield "needs.review_card:reopened", n.review_card(reopened, deadline=date(2026, 12, 15),
                                                      **allowed(reopened), **review)
    yield "needs.receipt_card:late", n.receipt_card(late, network=network)
    yield "needs.coordinator_notice_card", n.coordinator_notice_card(submitted, network=network)
    yield "needs.reports_card", n.reports_card(
        [(two, network), (submitted, network)],
        updated={two.id: datetime(2026, 12, 1, 14, tzinfo=UTC)})
    yield "needs.reports_card:empty", n.reports_card([], updated={})
    yield "needs.reports_card:history", n.reports_card(
        [(submitted, network), (late, network)], updated={}, history=True)

    # Added by the needs work under way while this was written: sampled when present.
    if _accepts(n.header_card, "cycles"):
        yield "needs.header_card:edit", n.header_card(
            cycle=rules.id, schemes=schemes, networks=network_choices, uh_partners=uh,
            values={"scheme": schemes[0][0]}, report_id=two.id, version=two.version,
            cycles=[(rules.id, rules.id), ("2027/2028", "2027/2028")])
        yield "needs.header_card:locked", n.header_card(
            cycle=rules.id, schemes=schemes, networks=network_choices, uh_partners=uh,
            values=n.header_values(two.header), report_id=two.id, version=two.version,
            locked=True, errors={"scheme": "Ordning kan ikke endres i en påbegynt "
                                           "behovsmelding. Start en ny i stedet."})
    if _accepts(n.measure_card, "rules"):
        yield "needs.measure_card:dates", n.measure_card(two, rules=rules)
    if _accepts(n.review_card, "scheme_name"):
        yield "needs.review_card:scheme_name", n.review_card(
            two, deadline=date(2026, 12, 15), scheme_name=rules.schemes[0].name,
            **allowed(two), **review)
    if _accepts(n.confirm_card, "late"):
        yield "needs.confirm_card:late", n.confirm_card(two, late=True)
    if _accepts(n.receipt_card, "scheme_name"):
        yield "needs.receipt_card:scheme_name", n.receipt_card(
            submitted, network=network, scheme_name=rules.schemes[0].name)
    if hasattr(n, "continue_card"):
        yield "needs.continue_card", n.continue_card(
            [(two, network), (empty, network)],
            updated={two.id: datetime(2026, 12, 1, 14, tzinfo=UTC)})


def coordinator_samples() -> Iterator[Sample]:
    """The coordinator's overview (with every group filled and empty), history, export."""
    from cards import coordinator as c
    from domain.needs.catalog import load_schemes
    from domain.needs.overview import NetworkStatus, ReportLine, SchemeStatus
    from domain.needs.states import Status

    rules = load_schemes().cycles[0]
    when = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)

    def line(name: str, status: Status, *, late: bool = False) -> ReportLine:
        done = status in (Status.SUBMITTED, Status.SUBMITTED_LATE)
        return ReportLine(f"id-{name}", name, status, 3, 750_000,
                          "BM-2026-FOS-KKU-0001" if done else None, when if done else None,
                          late, when)

    kku = rules.schemes[0]
    full = SchemeStatus(kku.code, kku.name,
                        (line("Fosen skoler", Status.SUBMITTED),
                         line("Ørland *og* Indre Fosen", Status.SUBMITTED_LATE, late=True)),
                        (line("Åfjord skole", Status.DRAFT), line("Osen", Status.REOPENED)),
                        ("Bjugn [oppvekst]",), kku.covers)
    empty = SchemeStatus(kku.code, kku.name, (), (), (), kku.covers)
    yield "coordinator.status_card", c.status_card(NetworkStatus(
        "Fosen", rules.id, date(2026, 12, 15), date(2027, 1, 10), TODAY, (full,)))
    yield "coordinator.status_card:network", c.status_card(NetworkStatus(
        "Fosen", rules.id, date(2026, 12, 15), date(2027, 1, 10), TODAY, (full,)),
        network_id="fosen", compiled={full.code: c.Compiled(2, when, True)},
        next_reminder=datetime(2026, 12, 9, 8, tzinfo=UTC))
    yield "coordinator.status_card:no_deadline", c.status_card(NetworkStatus(
        "Fosen", rules.id, None, None, TODAY, (empty,)))
    old = load_schemes().cycles[1]
    dekom, rekom, kompl = old.schemes
    yield "coordinator.status_card:several_schemes", c.status_card(NetworkStatus(
        "Fosen", old.id, date(2025, 12, 15), None, TODAY, (
            SchemeStatus(dekom.code, dekom.name, (line("Fosen skoler", Status.SUBMITTED),),
                         (), (), dekom.covers),
            SchemeStatus(rekom.code, rekom.name, (), (), ("Fosen barnehager",), rekom.covers),
            SchemeStatus(kompl.code, kompl.name, (), (),
                         ("Fosen barnehager", "Fosen skoler"), kompl.covers)),
        by_field=True, field_unknown=("Osen",)))
    yield "coordinator.history_card", c.history_card(
        reference="BM-2026-FOS-KKU-0001", partnership="Fosen skoler", scheme="KKU",
        status="sendt inn", entries=[
            c.HistoryEntry(1, when, "Kari Nordmann", "opprettet", ("Opprettet for KKU",)),
            c.HistoryEntry(2, when, "Ola _Normann_", "la til et tiltak",
                           ("La til tiltaket «Lesing» (250 000 kr)",)),
            c.HistoryEntry(3, when, "Kari Nordmann", "sendte inn",
                           ("Status: utkast → sendt inn", "Fikk referansen BM-2026-FOS-KKU-0001")),
        ])
    yield "coordinator.export_card", c.export_card(
        network="Fosen", cycle=rules.id, schemes=[s.code for s in rules.schemes], submitted=2,
        url="https://kompis.example.no/eksport/0123456789abcdef0123456789abcdef.xlsx?utloper=1"
            "&sig=00", expires_at=when)


def network_samples() -> Iterator[Sample]:
    """The network's part: assessment, question, checklist, receipt, samarbeidsforum's
    notice and overview (with and without common themes), history, export, and what a
    partnership sees of the assessment."""
    from cards import network as c
    from domain.needs.catalog import load_schemes
    from domain.needs.forms import parse_measure
    from domain.needs.models import Header, Measure, NeedsReport
    from domain.network import texts as network_texts
    from domain.network.compile import Current, checklist, compile_snapshot, what_changed
    from domain.network.models import Assessment, NetworkReport
    from domain.network.service import Behind, NetworkLine, Nudged, Overview, ToAssess
    from domain.network.themes import common_themes
    from domain.networks import load_networks

    catalog, networks = load_schemes(), load_networks()
    rules = catalog.cycles[0]
    scheme = rules.schemes[-1].code
    when = datetime(2027, 1, 8, 14, 5, tzinfo=UTC)
    form = {
        "need_found": "Kartlegging høsten 2026.", "areas": "skole",
        "staff_groups": "Lærere", "units": "Alle skolene", "uh_role": "NTNU veileder.",
        "inclusion": "Tillitsvalgte var med.", "sami": "Vurdert sammen med eierne.",
        "interdisciplinary": "false", "continued": "false", "period_start": "2027-01-04",
        "period_end": "2027-12-17", "amount": "250 000"}

    def report(network: str, partnership: str, titles: list[tuple[str, str]],
               number: int) -> NeedsReport:
        made = NeedsReport(header=Header(
            cycle=rules.id, scheme=scheme, network_id=network, partnership_name=partnership,
            owners=("Åfjord",), uh_partner=catalog.uh_partners[0].id,
            contact_name="Kari Nordmann", contact_email="kari@afjord.kommune.no"))
        for title, need in titles:
            measure = parse_measure({**form, "title": title, "need": need}, rules)
            if not isinstance(measure, Measure):
                raise SystemExit(f"dump_cards: sample measure refused: {measure}")
            made.add_measure(measure, max_measures=rules.max_measures)
        made.submit(datetime(2026, 12, 10, 9, tzinfo=UTC), datetime(2026, 12, 15, tzinfo=UTC))
        made.reference = f"BM-2026-{network[:3].upper()}-{scheme}-{number:04d}"
        return made

    fosen = report("fosen", "Fosen *skoler*", [("Lesing i alle fag", "Lesingen er svak."),
                                               ("Realfag", "Matematikken faller.")], 1)
    gauldal = report("gauldal", "Gauldal skolene", [("Lesing og skriving", "Lav lesing.")], 1)
    said = Assessment(fosen.id, fosen.measures[0].id, "Felles behov med Ørland.", 2, "x", when)
    yield "network.assessment_card", c.assessment_card(
        ToAssess(fosen, False, {said.measure_id: said}), network_id="fosen")
    yield "network.assessment_card:refused", c.assessment_card(
        ToAssess(fosen, True, {}), network_id="fosen", message="Skriv vurderingen før du lagrer.",
        typed={fosen.measures[1].id: "Et utkast"})
    yield "network.question_card", c.question_card(
        fosen, fosen.measures[0].title, "Hvor mange skoler er med?", "Fosen", "Carol")
    snapshot = compile_snapshot([Current(fosen)], scheme=scheme, cycle=rules.id,
                                partnerships=["Fosen *skoler*", "Osen oppvekst"],
                                assessments={f"{fosen.id}/{said.measure_id}": said.text})
    sent = NetworkReport("fosen", rules.id, scheme, 1, f"SBM-2026-FOS-{scheme}", when, "x",
                         "Carol Koordinator", False, snapshot)
    later = NetworkReport("fosen", rules.id, scheme, 2, sent.reference, when, "x", None, True,
                          snapshot)
    yield "network.checklist_card", c.checklist_card(checklist(
        snapshot, network_id="fosen", network="Fosen", cycle=rules.id, scheme=scheme,
        deadline=date(2027, 1, 8), today=TODAY, last=sent))
    empty = compile_snapshot([], scheme=scheme, cycle=rules.id, partnerships=["Osen"],
                             assessments={})
    # as after «Send inn» with nothing submitted: the refusal on top of the checklist
    yield "network.checklist_card:nothing", c.checklist_card(checklist(
        empty, network_id="fosen", network="Fosen", cycle=rules.id, scheme=scheme,
        deadline=None, today=TODAY, last=None),
        refusal=network_texts.NOTHING_TO_SEND.format(scheme=scheme, network="Fosen"))
    changes = what_changed(None, snapshot)
    yield "network.receipt_card", c.receipt_card(sent, "Fosen", changes)
    yield "network.forum_notice_card", c.forum_notice_card(later, "Fosen", ["Ny med: Osen."])
    yield "network.cancelled_card", c.cancelled_card()
    yield "network.cancelled_card:from_status", c.cancelled_card("fosen")
    yield "network.compiled_history_card", c.compiled_history_card([
        (sent, changes, "https://kompis.example.no/eksport/0123.xlsx?utloper=1&sig=00"),
        (later, ["Ny med: Osen."], None)])
    other = compile_snapshot([Current(gauldal)], scheme=scheme, cycle=rules.id,
                             partnerships=[], assessments={})
    lines = tuple(NetworkLine(n.id, n.name, sent if n.id == "fosen" else NetworkReport(
        "gauldal", rules.id, scheme, 1, f"SBM-2026-GAU-{scheme}", when, None, None, True, other)
        if n.id == "gauldal" else None) for n in networks.networks)
    themes = common_themes([("Fosen", "Fosen skoler", m) for m in fosen.measures]
                           + [("Gauldal", "Gauldal skolene", m) for m in gauldal.measures])
    yield "network.overview_card", c.overview_card(Overview(
        rules.id, scheme, date(2027, 1, 8), TODAY, lines, tuple(themes)))
    yield "network.overview_card:none_sent", c.overview_card(Overview(
        rules.id, scheme, None, TODAY, tuple(NetworkLine(n.id, n.name, None)
                                             for n in networks.networks), ()))
    yield "network.forum_export_card", c.forum_export_card(
        cycle=rules.id, scheme=scheme, expires_at=when,
        url="https://kompis.example.no/eksport/0123456789abcdef0123456789abcdef.xlsx?utloper=1"
            "&sig=00")
    behind = (Behind("Ørland *oppvekst*", fosen.id, fosen.version, ("a:1", "a:2")),
              Behind("Osen", None, None, ()))
    yield "network.nudge_card", c.nudge_card(behind[0], "Fosen", rules.id, date(2026, 12, 15),
                                             TODAY)
    yield "network.nudge_card:not_started", c.nudge_card(behind[1], "Fosen", rules.id, None,
                                                         TODAY)
    yield "network.nudge_confirm_card", c.nudge_confirm_card(
        behind, network_id="fosen", network="Fosen", cycle=rules.id)
    yield "network.nudge_confirm_card:none", c.nudge_confirm_card(
        (), network_id="fosen", network="Fosen", cycle=rules.id)
    yield "network.nudged_card", c.nudged_card(Nudged(behind[:1], ("Bjugn",), ("Osen",)),
                                               network_id="fosen")
    yield "network.nudged_card:nothing", c.nudged_card(Nudged((), ("Bjugn",), ()),
                                                       network_id="fosen")
    yield "network.shared_assessment_card", c.shared_assessment_card(
        "Fosen", [("Lesing i alle fag", "Felles behov med Ørland.")])


def _accepts(builder: Callable[..., Card], parameter: str) -> bool:
    return parameter in inspect.signature(builder).parameters


# One line per card module: its sampler.
SAMPLERS: dict[str, Sampler] = {
    "cards.help": help_samples,
    "cards.glossary": glossary_samples,
    "cards.answers": answers_samples,
    "cards.wheel": wheel_samples,
    "cards.needs": needs_samples,
    "cards.coordinator": coordinator_samples,
    "cards.network": network_samples,
}


def all_cards() -> list[dict[str, Any]]:
    """Every sample of every registered module, in registry order; names are unique."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for sampler in SAMPLERS.values():
        for name, built in sampler():
            if name in seen:
                raise ValueError(f"card sample named twice: {name}")
            seen.add(name)
            out.append({"name": name, "card": built})
    return out


def builders() -> set[str]:
    """'module.function' for every public card builder in cards/: a function defined there
    whose name ends in `_card` or that is annotated to return a Card."""
    found: set[str] = set()
    for info in pkgutil.iter_modules(cards.__path__, "cards."):
        if info.name in NOT_CARDS:
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            returns = fn.__annotations__.get("return")
            if name.endswith("_card") or returns in ("Card", Card):
                found.add(f"{info.name.removeprefix('cards.')}.{name}")
    return found


def uncovered(samples: list[dict[str, Any]]) -> list[str]:
    """Builders no sample comes from (a sample's name is `module.builder[:variant]`)."""
    sampled = {s["name"].split(":", 1)[0] for s in samples}
    return sorted(builders() - sampled)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a card builder in cards/ has no sample")
    parser.add_argument("--names", action="store_true", help="print only the names")
    args = parser.parse_args(argv)
    samples = all_cards()
    missing = uncovered(samples)
    if args.names:
        print("\n".join(s["name"] for s in samples))
    else:
        json.dump(samples, sys.stdout, ensure_ascii=False, indent=1)
        print()
    if missing:
        print("dump_cards: no sample for " + ", ".join(missing)
              + " (add one in tools/dump_cards.py)", file=sys.stderr)
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
