"""How the pure engine reads a question (round 2 of #14): the question's form, numbers,
long messages, dates before commands, ties between events, typos that are real words,
requests and orders, and BM25 against bm25s itself."""

from __future__ import annotations

from datetime import date
from functools import cache

import bm25s
import pytest

from domain.answers.engine import Answerer
from domain.answers.index import Bm25
from domain.answers.text import known, standard
from domain.answers.types import (
    DidYouMean,
    DoCommand,
    EventAnswer,
    HowToAnswer,
    RuleAnswer,
    SuggestCommand,
    TermAnswer,
    Unknown,
)
from domain.wheel.models import Wheel
from tests.support import answers_eval

TODAY = date(2026, 11, 22)


@cache
def engine() -> tuple[Answerer, Wheel]:
    return answers_eval.build()


def ask(question: str, *, staff: bool = False) -> object:
    answerer, wheel = engine()
    return answerer.answer(question, TODAY, wheel, staff=staff)


def verdict(question: str, *, staff: bool = False) -> str:
    answer = ask(question, staff=staff)
    return str(answer.verdict)  # type: ignore[attr-defined]


# --- BM25 -----------------------------------------------------------------------------

def test_bm25_gives_the_scores_bm25s_gives() -> None:
    answerer, _ = engine()
    docs = [answerer.tokens.tokens(q) for rule in answerer.content.rules
            for q in (*rule.questions, rule.title)]
    docs = [list(dict.fromkeys(d)) for d in docs if d]
    reference = bm25s.BM25()
    reference.index(docs, show_progress=False)
    ours = Bm25(docs)
    for question in ("hvem bestemmer hvem som får midler", "kan vi levere etter fristen",
                     "hvor mange tiltak kan en behovsmelding ha"):
        query = [t for t in answerer.tokens.tokens(question) if t in ours.idf]
        expected = reference.get_scores(query)
        got = ours.scores(query)
        assert got, question
        for i, score in enumerate(expected.tolist()):
            assert got.get(i, 0.0) == pytest.approx(score, rel=1e-5, abs=1e-6), (question, i)


# --- the question's form ----------------------------------------------------------------

def test_a_number_before_a_noun_asks_how_many() -> None:
    # the example: not «mine behovsmeldinger», the rule on at most five measures
    assert verdict("kan vi sende inn 7 tiltak") == "rule:hvor-mange-tiltak"
    # a day before a month, a week and a share are no counts
    assert verdict("frist 15 desember") == "event:frist-behovsmelding"
    assert verdict("hva er 30 % regional ordning") == "rule:regional-andel"


def test_which_and_must_questions_get_the_rule_before_the_term() -> None:
    assert verdict("hvilke høgskoler er med") == "rule:hvilke-uh"
    # a bare term, or 'hvem er' with nothing more, is still the term
    assert isinstance(ask("forhåndsrammen"), TermAnswer)
    assert isinstance(ask("hvem er de tillitsvalgte"), TermAnswer)
    # ... not the rule on who from Statsforvalteren came to the 2021 meeting
    assert verdict("hvem er Statsforvalteren") == "statsforvalteren"


def test_the_last_question_of_a_long_message_is_answered() -> None:
    answer = ask("Hei! Jeg er ny som koordinator i nettverket og har mye å sette meg inn i. "
                 "Når må partnerskapene levere?")
    assert isinstance(answer, EventAnswer) and answer.event.id == "frist-behovsmelding"


@pytest.mark.parametrize(("message", "term"), [
    ("Rektor her. Kommunalsjefen ba meg lese årshjulet, og der står det beslutningsgrunnlag "
     "flere steder. Hva betyr det", "beslutningsgrunnlag"),
    ("Vi i Utdanningsforbundet blir spurt om å delta, og det står at medbestemmelse skal "
     "ivaretas. Hva legges i det ordet her?", "medbestemmelse"),
    ("Jeg jobber i PPT og skal være med i noe som heter kompetanseløftet. Hva er det for "
     "noe?", "kompetanseloftet"),
    ("They keep saying KKUS in the meeting. What does that mean?", "kkus"),
])
def test_a_question_that_points_back_asks_for_the_term_named_before_it(
        message: str, term: str) -> None:
    answer = ask(message)
    assert isinstance(answer, TermAnswer) and answer.entry.id == term


def test_what_a_line_means_for_us_is_no_definition() -> None:
    # 'hva betyr det for oss' asks what follows from it, not what the word means
    answer = ask("I referatet står det at nettverket skal levere beslutningsgrunnlag innen "
                 "1. februar. Hva betyr det for oss?")
    assert not isinstance(answer, TermAnswer)
    # a sentence before a question that does not point back is context only
    answer = ask("Jeg var på nettverksmøtet i går, og alle snakket om innstillingen. Hva er "
                 "egentlig en innstilling?")
    assert isinstance(answer, TermAnswer) and answer.entry.id == "innstilling"


def test_a_yes_no_question_is_never_done_as_a_command() -> None:
    answer = ask("kan en privat barnehageeier melde behov")
    assert not isinstance(answer, DoCommand)


def test_a_request_kompis_cannot_do_is_no_rule() -> None:
    answer = ask("kan du skrive en søknad for oss")
    assert not isinstance(answer, RuleAnswer)


def test_an_order_does_a_fitting_command_on_less() -> None:
    answer = ask("gi oss påminnelser om fristene")
    assert isinstance(answer, DoCommand) and answer.command.name == "abonner"
    # not the roles command 'gi': its bare word is no retrieval document
    assert not (isinstance(answer, HowToAnswer) and answer.command.name == "gi_rolle")
    staff = ask("gi meg regnearket", staff=True)
    assert isinstance(staff, DoCommand) and staff.command.name == "eksporter"


# --- dates --------------------------------------------------------------------------------

def test_a_date_question_goes_to_the_wheel_before_a_command() -> None:
    assert verdict("siste frist for å sende inn behovsmeldingen") == \
        "event:frist-behovsmelding"
    # a command about dates still goes first
    assert verdict("neste frist") in ("command:neste_frist", "events")


def test_tied_events_are_broken_by_the_deadline_asked_for_and_the_month() -> None:
    assert verdict("when is the needs report due") == "event:frist-behovsmelding"
    assert verdict("når er fristen for sammenstilt behovsmelding") == \
        "event:frist-sammenstilt-behovsmelding"
    assert verdict("når får partnerskapene pengene") == "event:godkjenning-utbetaling"
    assert verdict("når er evalueringsmøtet i juni") == "event:sf-evaluering"
    assert verdict("når er evalueringsmøtet i mai") == "event:fagutvalg-evaluering"


def test_lateness_is_not_a_date_question() -> None:
    assert verdict("kan vi sende inn etter fristen") == "rule:for-sent"


def test_how_to_see_the_deadlines_asks_how_not_when() -> None:
    answer = ask("hvordan ser jeg alle fristene")
    assert isinstance(answer, HowToAnswer | SuggestCommand | DidYouMean)
    assert not isinstance(answer, EventAnswer)


# --- words ----------------------------------------------------------------------------------

def test_a_real_word_is_not_repaired_into_another() -> None:
    assert known("permisjon") and known("leder") and not known("bheov")
    # 'permisjon' is not a typo of 'person' (gi_rolle), nor 'søker' a request to meld behov
    assert isinstance(ask("hvordan søker jeg permisjon"), Unknown)
    assert verdict("meld bheov") == "command:meld_behov"


@pytest.mark.parametrize(("typed", "read"), [
    ("ka e fristen", "hva e fristen"),
    ("Kem bestemme kem som får pengan?", "hvem bestemme hvem som får pengan?"),
    ("korsn får æ påminnelsan", "hvordan får jeg påminnelsan"),
    ("vi har itj levert, koss gjør vi det", "vi har ikke levert, hvordan gjør vi det"),
    # words that only contain a dialect word, or are words of their own, stay as typed
    ("kalender for Karasjok og kemi", "kalender for Karasjok og kemi"),
    ("kor e @ka", "kor e @ka"),
])
def test_dialect_question_words_are_read_as_bokmal(typed: str, read: str) -> None:
    assert standard(typed) == read


@pytest.mark.parametrize(("question", "expected"), [
    ("kem bestemme kem som får pengan", "rule:hvem-bestemmer"),
    ("korsn stoppe æ påminnelsan", "howto:stopp"),  # asks how, though the guess says stopp
    ("koss får æ opp ordlista", "howto:ordliste"),
    ("æ vil meld behov før skolan", "command:meld_behov"),
])
def test_a_question_in_dialect_is_answered_as_in_bokmal(question: str, expected: str) -> None:
    """Trøndelag and the north write 'ka', 'kem', 'korsn', 'koss', 'æ': the rules read them
    as the bokmål question words, and a how in dialect stays a how."""
    reply = ask(question)
    assert getattr(reply, "verdict", None) == expected, reply
