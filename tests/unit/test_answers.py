"""The question engine without a bot: content checks, the bank's accuracy, dates from the
wheel (passed, next cycle, a cycle the wheel lacks), commands in plain words, bad input."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from domain.answers.engine import THRESHOLDS, Answerer, _sentences
from domain.answers.loader import load_answers
from domain.answers.text import Tokenizer
from domain.answers.types import (
    CriterionReply,
    DoCommand,
    EventAnswer,
    HowToAnswer,
    NoCycleAnswer,
    RuleAnswer,
    SmallTalkAnswer,
    SuggestCommand,
    Unknown,
    UpcomingAnswer,
)
from domain.content import ContentError
from domain.glossary.loader import load_glossary
from domain.wheel.models import Wheel
from tests.support import answers_eval

TODAY = date(2026, 11, 22)


@cache
def engine() -> tuple[Answerer, Wheel]:
    return answers_eval.build()


def ask(question: str, today: date = TODAY, *, staff: bool = False,
        wheel: Wheel | None = None) -> object:
    answerer, content_wheel = engine()
    return answerer.answer(question, today, wheel or content_wheel, staff=staff)


# --- content ---------------------------------------------------------------------------

def test_content_has_sixty_sourced_rules_and_disputes_name_both_sides() -> None:
    content = load_answers(glossary=load_glossary())
    assert len(content.rules) >= 60
    for rule in content.rules:
        assert rule.source.strip(), rule.id
        for side in rule.sides:
            assert side.source.strip() and side.says.strip(), rule.id
    disputed = {r.id for r in content.rules if r.disputed}
    assert {"nettverk-prioriterer", "hvem-lager-innstilling",
            "frist-nettverk-uenighet"} <= disputed


def test_links_point_at_real_events_commands_and_questions() -> None:
    answerer, wheel = engine()
    events = {e.id for _, e in wheel.events()}
    for rule in answerer.content.rules:
        assert set(rule.related.events) <= events, rule.id
        assert all(answerer.command(c) for c in rule.related.commands), rule.id
    assert {e.event for e in answerer.content.events} <= events


def test_a_rule_with_one_side_is_refused(tmp_path) -> None:
    path = tmp_path / "sporsmal.yaml"
    path.write_text("""
rules:
  - id: en-side
    title: Bare én side av saken
    questions: [spørsmål en, spørsmål to]
    answer: Et svar som er langt nok.
    sides: [{says: Bare denne siden av saken, source: "003, side 1"}]
    source: "003, side 1"
""", encoding="utf-8")
    with pytest.raises(ContentError, match="minst to sider"):
        load_answers(path)


def test_tokens_join_inflections_and_synonyms() -> None:
    tokens = Tokenizer({"utbetale": ("utbetaling",), "behovsmelding": ("needs report",)})
    assert tokens.tokens("utbetalt") == tokens.tokens("utbetales") == tokens.tokens(
        "utbetalingen")
    assert tokens.tokens("rapportere") == tokens.tokens("rapporteringen")
    assert tokens.tokens("the needs report") == tokens.tokens("behovsmeldingen")


# --- the bank ---------------------------------------------------------------------------

def test_the_bank_is_large_and_a_fifth_is_held_out() -> None:
    cases = answers_eval.cases()
    assert len(cases) >= 450
    held = [c for c in cases if c.heldout]
    # the bank's held-out fifth as first written (233), and three held-out batches written
    # before they were run: together at least a fifth of what the engine is tuned and
    # taught on (the examples in content/eksempler.yaml grew past the bank in session 6)
    batch = answers_eval.held_out_batch()
    later = [case for path in answers_eval.LATER_BATCHES.values()
             for case in answers_eval.held_out_batch(path)]
    assert len(held) >= 200
    assert len(batch) >= 100 and all(c.heldout for c in batch)
    assert len(held) + len(batch) + len(later) >= 0.2 * (len(cases) - len(held))
    assert {c.kind for c in batch} == {"dates", "rules", "facts", "howto", "commands",
                                       "out-of-scope", "terms", "criteria", "smalltalk"}
    kinds = {c.kind for c in cases}
    assert {"dates", "rules", "facts", "howto", "commands", "out-of-scope", "terms",
            "criteria", "smalltalk"} <= kinds
    assert sum(c.kind == "commands" for c in cases) >= 50


def test_every_expected_answer_in_the_held_out_batches_exists() -> None:
    """A label that names nothing would count a right answer as wrong (or a wrong one as
    right): every id in the held-out batches is a real term, rule, event, criterion,
    command or small-talk entry. `missing` (batch 3) marks a fact no content holds."""
    from domain.answers.loader import load_answers
    from domain.glossary.loader import load_criteria, load_glossary
    from domain.wheel.loader import WheelSource

    glossary = load_glossary()
    content = load_answers(glossary=glossary)
    commands = {c.name for c in answers_eval.commands()}
    known = {
        "rule": {r.id for r in content.rules},
        "event": {e.id for _, e in WheelSource().wheel.events()},
        "criterion": {str(c.number) for c in load_criteria(glossary=glossary).criteria},
        "command": commands,
        "howto": commands,
        "smalltalk": {t.id for t in content.smalltalk},
    }
    terms = {e.id for e in glossary.entries}
    later = {number: answers_eval.held_out_batch(path)
             for number, path in answers_eval.LATER_BATCHES.items()}
    # every later batch has 240 questions but the first three (batch 19 lost two duplicates)
    sizes = {4: 220, 5: 200, 19: 238}
    assert {number: len(batch) for number, batch in later.items()} == {
        number: sizes.get(number, 240) for number in answers_eval.LATER_BATCHES}
    for case in [*answers_eval.held_out_batch(), *(c for b in later.values() for c in b)]:
        expect = case.expect
        if expect in ("nomatch", "events", "missing") or expect.startswith("nocycle:"):
            continue
        if expect.startswith("compare:"):
            assert set(expect[8:].split("+")) <= terms, case
            continue
        kind, _, name = expect.partition(":")
        assert (name in known[kind]) if name else (expect in terms), case


def test_a_set_moved_to_the_examples_is_no_longer_held_out() -> None:
    """A held-out set measures only while the engine never learned from it: a set moved to
    content/eksempler.yaml (answers_eval.MOVED_TO_EXAMPLES) leaves tests/data/ and the
    batches, and its block there names it. (Short messages such as «neste frist» are typed
    alike by writers who never saw each other's files: about one held-out question in
    nine is the same as an example, as it will be for members.)"""
    examples = answers_eval.EXAMPLES_FILE.read_text(encoding="utf-8")
    for number in answers_eval.MOVED_TO_EXAMPLES:
        assert number not in answers_eval.LATER_BATCHES
        assert not answers_eval.batch_path(number).exists()
        assert f"# --- Holdt-ute {number} (" in examples


def test_the_examples_split_by_writer_keep_each_writers_block_whole() -> None:
    """Cross-validation by writer (bench/answers.py): every example in exactly one part,
    every writer's block in one part, the parts within one block of each other in size."""
    blocks = answers_eval.writer_blocks()
    rows = answers_eval.examples()
    assert len(blocks) == len(rows) and max(blocks) >= 30
    parts = answers_eval._by_writer(len(rows), 5)
    assert sorted(i for part in parts for i in part) == list(range(len(rows)))
    part_of = {i: k for k, part in enumerate(parts) for i in part}
    assert all(len({part_of[i] for i, b in enumerate(blocks) if b == block}) == 1
               for block in set(blocks))
    largest = max(blocks.count(block) for block in set(blocks))
    assert max(map(len, parts)) - min(map(len, parts)) <= largest


def test_accuracy_on_the_tuned_part() -> None:
    answerer, wheel = engine()
    tuned = [c for c in answers_eval.cases() if not c.heldout]
    totals, right, wrong = answers_eval.evaluate(answerer, wheel, tuned)
    assert sum(right.values()) / sum(totals.values()) >= 0.90, wrong[:20]


def test_the_learned_opinion_pays_for_itself_on_examples_it_did_not_learn() -> None:
    """Each fifth of content/eksempler.yaml answered by an engine taught the other four:
    with the engine's thresholds, more right than the rules alone, and no more out-of-scope
    questions answered (measured: 5121 against 3817 of 5974, out of scope 721 and 659)."""
    folds = answers_eval.cross_validate(answers_eval.commands())
    alone = answers_eval.combined(folds, dict.fromkeys(THRESHOLDS, (99, 99)))[1]
    totals, right = answers_eval.combined(folds, THRESHOLDS)
    assert sum(right.values()) >= sum(alone.values()) + 150
    assert right["out-of-scope"] >= alone["out-of-scope"]
    assert sum(right.values()) / sum(totals.values()) >= 0.80


def test_accuracy_on_the_held_out_part_does_not_collapse() -> None:
    """A floor, not a target: the held-out part is never tuned on (see bench/answers.py)."""
    answerer, wheel = engine()
    held = [c for c in answers_eval.cases() if c.heldout]
    totals, right, _ = answers_eval.evaluate(answerer, wheel, held)
    assert sum(right.values()) / sum(totals.values()) >= 0.80


def test_accuracy_on_the_held_out_batch_does_not_collapse() -> None:
    """A floor, not a target: the batch is never tuned on (see bench/answers.py)."""
    answerer, wheel = engine()
    # batch 4 scored 70.8 % when first run (65.3 % by the rules alone), batch 5 95.4 %
    # (85.8 %), batch 6 91.7 % (with its 5 facts in no content; 93.6 % without them, by
    # the engine of session 6), batch 7 93.3 % (94.1 % without its 2 facts in no content,
    # by the engine of session 7), batch 8 87.9 % (88.3 % without its fact in no content,
    # by the engine of session 8 before its last examples), batch 9 87.1 % (by the engine
    # session 8 left; 88.8 % once the guess weighed the kind of answer); their facts in no
    # content count as wrong here
    floors = {number: 0.60 if number == 4 else 0.80 for number in answers_eval.LATER_BATCHES}
    for batch, floor in ((answers_eval.held_out_batch(), 0.80),
                         *((answers_eval.held_out_batch(path), floors[number])
                           for number, path in answers_eval.LATER_BATCHES.items())):
        totals, right, _ = answers_eval.evaluate(answerer, wheel, batch)
        assert sum(right.values()) / sum(totals.values()) >= floor


# --- dates --------------------------------------------------------------------------------

def test_the_one_event_asked_for_with_days_left() -> None:
    answer = ask("kva tid blir tilskotet utbetalt")
    assert isinstance(answer, EventAnswer)
    assert answer.event.id == "godkjenning-utbetaling" and not answer.passed


@pytest.mark.parametrize(("question", "event"), [
    ("hvor lenge er det igjen til vi må levere behovsmeldinga", "frist-behovsmelding"),
    ("hvor mange dager er det til vi må rapportere", "frist-rapportering"),
    ("how many days until the needs report is due", "frist-behovsmelding"),
])
def test_how_long_until_asks_for_the_event(question: str, event: str) -> None:
    """'hvor lenge …' and 'how many days …' ask for the days left: the event, not the rule
    on where to deliver nor how to do it."""
    answer = ask(question)
    assert isinstance(answer, EventAnswer), answer
    assert answer.event.id == event


@pytest.mark.parametrize("question", ["minn meg på fristen for å rapportere",
                                      "varsle oss før vi må levere behovsmeldingen",
                                      "husk å minne meg på fristen i desember"])
def test_an_order_to_be_reminded_of_a_deadline_subscribes(question: str) -> None:
    """'minn meg på …' names a deadline but orders a reminder: the reminders (abonner),
    not the date; 'når må vi rapportere' is still the date."""
    assert ask(question).verdict == "command:abonner"
    assert ask("når må vi rapportere").verdict == "event:frist-rapportering"


def test_a_passed_event_gives_the_next_cycle_when_the_wheel_has_it() -> None:
    _, wheel = engine()
    first = wheel.cycles[0]
    moved = [e.model_copy(update={"start": e.start.replace(year=e.start.year + 1),
                                  "end": e.end.replace(year=e.end.year + 1) if e.end else None})
             for e in first.events]
    later = first.model_copy(update={"id": "2027/2028", "events": tuple(moved)})
    two = wheel.model_copy(update={"cycles": (first, later)})
    answer = ask("når var samlinga for samarbeidsforum og fagutvalet", wheel=two)
    assert isinstance(answer, EventAnswer) and answer.passed
    assert answer.following is not None and answer.following_cycle == "2027/2028"
    alone = ask("når var samlinga for samarbeidsforum og fagutvalet")
    assert isinstance(alone, EventAnswer) and alone.passed and alone.following is None


def test_a_year_the_wheel_lacks_and_a_question_about_no_event() -> None:
    assert isinstance(ask("når er fristen for behovsmelding i 2031?"), NoCycleAnswer)
    assert isinstance(ask("når er fristene?"), UpcomingAnswer)
    assert isinstance(ask("når er sommerferien"), Unknown)
    assert isinstance(ask("når blir pengene utbetalt i 2030"), NoCycleAnswer)


def test_what_the_groups_said_about_a_criterion_is_the_rule_the_criterion_stays_itself(
        ) -> None:
    """'hva sa gruppene om kriterium 5' asks what was said of it (a rule); 'hva er
    kriterium 5' is the criterion (examples CV 11 014 against 11 003 of 12 277)."""
    said = ask("hva sa gruppene om kriterium 5")
    assert isinstance(said, RuleAnswer) and said.rule.id == "samisk-kriterium-gruppene"
    for question in ("hva er kriterium 5", "kriterium 5", "hva betyr kriterium 6"):
        assert isinstance(ask(question), CriterionReply), question


def test_a_past_year_a_rule_tells_about_gets_the_rule_not_the_missing_cycle() -> None:
    """'… i 2022' names a year the wheel lacks, but a rule tells what happened then: the
    learned guess may give a rule there, never this cycle's date (examples CV 9 373
    against 9 359 of 10 643; of the 25 examples the rules answered with a missing year,
    18 asked for a rule)."""
    reply = ask("når var fellesmøtene i samarbeidsforum i trøndelag i 2022")
    assert isinstance(reply, RuleAnswer) and reply.rule.id == "trondelag-2022-moter"


# --- rules, how-to, commands, small talk, bad input ---------------------------------

def test_rules_from_the_issue() -> None:
    for question, rule in [("hvor mange tiltak kan en behovsmelding ha", "hvor-mange-tiltak"),
                           ("skal kompetansenettverket prioritere?", "nettverk-prioriterer"),
                           ("hva skjer hvis vi leverer for sent", "for-sent"),
                           ("hvem bestemmer hvem som får midler", "hvem-bestemmer")]:
        answer = ask(question)
        assert isinstance(answer, RuleAnswer) and answer.rule.id == rule, question


def test_what_kompis_does_not_do_is_said_as_its_practice() -> None:
    """Members ask Kompis for what it does not do (report on the funds, move a date in
    the wheel, answer in another language): a rule marked as practice says so."""
    for question, rule in [("kan vi levere rapporteringen i kompis", "rapportere-i-kompis"),
                           ("forstår kompis engelsk", "sprak-i-kompis"),
                           ("hvordan endrer jeg en dato i årshjulet", "endre-arshjulet")]:
        answer = ask(question, staff=True)
        assert isinstance(answer, RuleAnswer) and answer.rule.id == rule, question
        assert answer.rule.practice


def test_commands_in_plain_words_respect_roles_and_arguments() -> None:
    done = ask("Jeg skal melde behov for Dekom")
    assert isinstance(done, DoCommand) and done.command.name == "meld_behov"
    assert done.rest == "dekom"
    assert isinstance(ask("meld bheov"), DoCommand)
    staff = ask("hvem har ikke levert ennå?", staff=True)
    assert isinstance(staff, DoCommand) and staff.command.name == "status"
    member = ask("hvem har ikke levert ennå?")
    assert isinstance(member, HowToAnswer) and not member.allowed
    export = ask("eksporter regnearket", staff=True)
    assert isinstance(export, DoCommand) and export.rest == ""
    howto = ask("hvordan legger jeg til en kollega")
    assert isinstance(howto, HowToAnswer) and howto.command.name == "legg_til"


def test_a_rules_answer_is_learned_sentence_by_sentence() -> None:
    answer = ("Ja. Nettverket samler inn behovsmeldingene i desember. Kildene er uenige: "
              "årshjulet sier 10. januar, gruppe 4 sier 1. februar; spør koordinatoren.")
    # pieces of fewer than four words teach nothing alone; '10. januar' ends nothing
    assert _sentences(answer) == ["Nettverket samler inn behovsmeldingene i desember.",
                                  "årshjulet sier 10. januar, gruppe 4 sier 1. februar;"]


def test_a_reference_in_plain_words_is_the_commands_argument() -> None:
    shown = ask("kan du vise meg endringene i bm-2026-fos-kku-0007?", staff=True)
    assert isinstance(shown, DoCommand) and shown.command.name == "historikk"
    assert shown.rest == "BM-2026-FOS-KKU-0007"
    assert shown.verdict == "command:historikk"
    assessed = ask("vurder tiltakene i BM-2027-HEL-DEKOM-0012 nå", staff=True)
    assert isinstance(assessed, DoCommand) and assessed.command.name == "vurder"
    assert assessed.rest == "BM-2027-HEL-DEKOM-0012"
    # without a reference, an order is done too, by anyone: the history of one's own
    # reports (dialogs/coordinator.py: the only one at once, else a list to pick from)
    for question in ("vis historikken til behovsmeldingen vår", "show the history of our report"):
        own = ask(question)
        assert isinstance(own, DoCommand) and own.command.name == "historikk", question
        assert own.rest == ""
    # asked how: explained; a person named in plain words is no argument (only an
    # @mention is)
    howto = ask("hvordan ser jeg historikken til BM-2026-FOS-KKU-0007", staff=True)
    assert isinstance(howto, HowToAnswer) and howto.command.name == "historikk"
    named = ask("legg til Per Hansen i partnerskapet vårt")
    assert isinstance(named, HowToAnswer) and named.command.name == "legg_til"
    assert named.command.argument is None


def test_a_polite_request_to_see_something_is_done_and_a_question_about_kompis_explained(
        ) -> None:
    """'er det mulig å få årshjulet opp her' and 'kunne jeg fått …' ask to be shown it, as
    'kan du vise' does; 'er det mulig å få … i kompis' asks what Kompis can do."""
    for question, name in (("er det mulig å få årshjulet opp her", "årshjul"),
                           ("kunne jeg fått de nærmeste fristene", "neste_frist"),
                           ("er det mulig å få se søknaden vår", "mine_behovsmeldinger")):
        done = ask(question)
        assert isinstance(done, DoCommand) and done.command.name == name, question
    howto = ask("er det mulig å få hele årskalenderen i kompis?")
    assert isinstance(howto, HowToAnswer) and howto.command.name == "årshjul"


def test_an_order_that_names_kompis_is_done_and_a_how_question_explained() -> None:
    """'vis … i kompis' is an order that says where, not a question about Kompis (examples
    CV 8 252 against 8 247 of 9 500); with 'hvordan' it is a how-to again."""
    for question, name in (("vis alle rollene i Kompis", "roller"),
                           ("vis årshjulet i kompis", "årshjul"),
                           ("jeg vil melde behov i kompis", "meld_behov")):
        done = ask(question, staff=True)
        assert isinstance(done, DoCommand) and done.command.name == name, question
    howto = ask("hvordan melder vi behov i kompis")
    assert isinstance(howto, HowToAnswer) and howto.command.name == "meld_behov"


QUESTIONS_NEAR = ("hvem er det egentlig som sier ja eller nei til pengene",
                  "hva sa gruppe 2 om forutsigbarhet", "hvor mange tiltak kan vi ha",
                  "hva skjer etter at vi har levert", "må tillitsvalgte være med")


def test_a_rule_answer_offers_the_rule_the_guess_finds_close(monkeypatch) -> None:
    """The other rule the learned guess scores at or above NEARBY rides along with a rule
    answer (the dialog offers it first), never the rule answered; nothing below the bar."""
    from domain.answers import engine as engine_module

    answers = [ask(q) for q in QUESTIONS_NEAR]
    assert all(isinstance(a, RuleAnswer) for a in answers)
    near = [a for a in answers if isinstance(a, RuleAnswer) and a.nearby is not None]
    assert near and all(a.nearby is not None and a.nearby.id != a.rule.id for a in near)
    monkeypatch.setattr(engine_module, "NEARBY", 99.0)
    assert all(isinstance(a, RuleAnswer) and a.nearby is None
               for a in (ask(q) for q in QUESTIONS_NEAR))
    monkeypatch.setattr(engine_module, "NEARBY", -99.0)
    again = [ask(q) for q in QUESTIONS_NEAR]
    assert all(isinstance(a, RuleAnswer) and a.nearby is not None for a in again)
    # the same answers, only the offer differs
    assert [a.verdict for a in again] == [a.verdict for a in answers]  # type: ignore[attr-defined]


def test_whether_a_month_has_deadlines_is_answered_by_its_list() -> None:
    """A yes/no question is not done unasked, but 'er det noen frister i februar' asks for
    the month's list: the answer is the list, with the month as its argument."""
    listed = ask("er det noen frister i februar", date(2027, 1, 20))
    assert isinstance(listed, DoCommand) and listed.command.name == "frister_i"
    assert listed.rest == "februar"


def test_a_months_list_gets_its_month_however_written_and_none_is_the_next_deadlines(
        ) -> None:
    """'show me the deadlines in January' is January's list (the dialog reads the month
    from the argument); with no month named, the month's list would only ask which month,
    so 'gi meg fristene' is the next deadlines."""
    for question, month in [("show me the deadlines in January", "januar"),
                            ("vilka frister finns i januari", "januar"),
                            ("kan du liste desember-fristene for oss", "desember")]:
        listed = ask(question, date(2026, 11, 20))
        assert isinstance(listed, DoCommand) and listed.command.name == "frister_i", question
        assert listed.rest == month, question
    for question in ("gi meg fristene", "fristene"):
        upcoming = ask(question)
        assert isinstance(upcoming, DoCommand | SuggestCommand), question
        assert upcoming.command.name == "neste_frist", question


def test_typed_commands_keep_only_their_arguments() -> None:
    answerer, _ = engine()
    assert answerer.only_arguments("for fosen")
    assert not answerer.only_arguments("regnearket")
    assert not answerer.only_arguments("hvis vi leverer for sent")


def test_small_talk_is_short_and_points_to_help() -> None:
    answer = ask("god morgen!")
    assert isinstance(answer, SmallTalkAnswer) and "hjelp" in answer.reply


@pytest.mark.parametrize(("text", "expected"), [
    ("legg til @Kari", "command:legg_til"),
    ("gi partnerskapet nytt navn Fosen barnehager", "command:nytt_navn"),
    ("legg til en kollega", "howto:legg_til"),
    ("hvordan legger jeg til @Kari", "howto:legg_til"),
    ("gi @Kari rollen koordinator for Fosen", "howto:gi_rolle"),  # not this person's role
])
def test_a_command_typed_with_its_argument_is_done_as_the_router_does(
        text: str, expected: str) -> None:
    """A command that takes a person or a name, typed with its own words and the argument,
    is done (the command router does it before Kompis is asked); without the argument, or
    asked how, it is explained."""
    assert ask(text).verdict == expected


@pytest.mark.parametrize(("text", "expected", "staff"), [
    ("ta med @Per Olsen i behovsmeldingen vår", "command:legg_til", False),
    ("bytt navn på partnerskapet til Namdal oppvekst", "command:nytt_navn", False),
    ("partnerskapet vårt skal hete Indre Fosen barn", "command:nytt_navn", False),
    ("rename our partnership to Namdal Kids", "command:nytt_navn", False),
    ("ta koordinatorrollen fra @Ola", "command:fjern_rolle", True),
    ("gjør @Siri til koordinator for Namdal", "command:gi_rolle", True),
    ("gjør @Siri til koordinator for Namdal", "howto:gi_rolle", False),  # not theirs to do
    # without the person or the name, asked how, or asked whether: explained
    ("ta med Per Olsen i behovsmeldingen", "howto:legg_til", False),
    ("Vi gikk sammen med Hitra i år, så partnerskapet trenger et nytt navn", "howto:nytt_navn",
     False),  # a place in capitals, but no new name
    ("endre navnet på partnerskapet", "howto:nytt_navn", False),
    ("jeg vil endre navnet på partnerskapet i Kompis", "howto:nytt_navn", False),
    ("hvordan endrer jeg navnet til Namdal oppvekst", "howto:nytt_navn", False),
    ("kan jeg endre navnet på partnerskapet til Namdal oppvekst", "howto:nytt_navn", False),
])
def test_an_order_in_other_words_with_its_person_or_name_is_done(
        text: str, expected: str, staff: bool) -> None:
    """A command that takes a person or a name, ordered in words the router does not read
    but with the person (@) or the name (capitals) in it, is done: the dialog shows the
    card that asks before anything changes. Without them, or asked about, it is explained."""
    assert ask(text, staff=staff).verdict == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("kan kompis minne oss på fristene", "howto:abonner"),
    ("kan jeg se status her", "howto:status"),
    ("kan vi begynne på behovsmeldingen nå", "howto:meld_behov"),
    ("kan du vise årshjulet", "command:årshjul"),  # asks Kompis to do it
])
def test_whether_one_can_is_answered_by_how(text: str, expected: str) -> None:
    assert ask(text).verdict == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("kompis hjelp 🙏", "command:hjelp"), ("hjelp kompis", "command:hjelp"),
    ("hei kompis", "smalltalk:hilsen"), ("takk kompis", "smalltalk:takk")])
def test_a_command_typed_to_kompis_by_name_is_the_command(text: str, expected: str) -> None:
    """Kompis' name around a command's own words does not make it a greeting."""
    assert ask(text).verdict == expected


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "x" * 4000, "\ud800", "<b></b>"])
def test_bad_input_is_an_honest_answer(text: str) -> None:
    answer = ask(text)
    assert isinstance(answer, Unknown) and answer.reason == "badinput"


def test_english_and_nynorsk() -> None:
    assert isinstance(ask("when are the funds paid out"), EventAnswer)
    nynorsk = ask("kven lagar innstillinga")
    assert isinstance(nynorsk, RuleAnswer) and nynorsk.rule.id == "hvem-lager-innstilling"
    unknown = ask("what is the weather like in Oslo")
    assert isinstance(unknown, Unknown)
