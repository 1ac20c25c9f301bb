"""The learned second opinion (domain/answers/learned.py) and how the engine uses it."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from domain.answers import learned
from domain.answers.engine import Answerer
from domain.answers.learned import Example, Learned
from domain.answers.models import ExampleBank, ExampleRow
from domain.answers.text import Tokenizer
from domain.glossary.matcher import normalize
from tests.support import answers_eval

SYNONYMS = {"midler": ("penger", "pengene", "tilskudd"), "utbetale": ("utbetaling",)}
EXAMPLES = (
    Example("når blir pengene utbetalt", "event:utbetaling"),
    Example("når kommer tilskuddet", "event:utbetaling"),
    Example("når får vi midlene", "event:utbetaling"),
    Example("hvor mange tiltak kan vi ha med", "rule:antall-tiltak"),
    Example("hvor mange tiltak får plass i en behovsmelding", "rule:antall-tiltak"),
    Example("maks antall tiltak", "rule:antall-tiltak"),
    Example("hva er en innstilling", "innstilling"),
    Example("hva betyr innstilling", "innstilling"),
    Example("forklar innstillingen", "innstilling"),
)
QUESTIONS = ("kva tid blir midla utbetalte", "hvor mange tiltak", "innstillinga, hva er det",
             "ærlig talt ⚽", "", "x")


def _reference(examples: tuple[Example, ...]
               ) -> tuple[object, object, object, LinearSVC, LinearSVC]:
    """The same model fitted the plain scikit-learn way, to check the engine's scoring:
    the targets' SVM and the kinds' SVM, over the same features."""
    tokens = Tokenizer(SYNONYMS).tokens
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=learned.NGRAMS,
                            sublinear_tf=True, lowercase=False,
                            preprocessor=lambda t: t.translate(learned.FOLD))
    asking = {tokens(w)[0] for w in learned.ASKING if tokens(w)}
    words = TfidfVectorizer(analyzer=lambda t: [*tokens(t), *(
        f"{a} {b}" for a, b in zip(tokens(t), tokens(t)[1:], strict=False)), *(
        f"?{q} {w}" for q in tokens(t) if q in asking for w in tokens(t) if w not in asking)],
        sublinear_tf=True)
    typed = TfidfVectorizer(analyzer=lambda t: [*t.split(), *(
        f"{a} {b}" for a, b in zip(t.split(), t.split()[1:], strict=False))],
        sublinear_tf=True)
    texts = [normalize(e.question) for e in examples]
    features = hstack([chars.fit_transform(texts), words.fit_transform(texts),
                       typed.fit_transform(texts)]).tocsr()
    svm = LinearSVC(C=learned.C, random_state=learned.SEED)
    svm.fit(features, [e.target for e in examples])
    kinds = LinearSVC(C=learned.C, random_state=learned.SEED)
    kinds.fit(features, [learned.kind_of(e.target) for e in examples])
    return chars, words, typed, svm, kinds


@pytest.mark.parametrize(("target", "kind"), [
    ("rule:antall-tiltak", "rule"), ("event:utbetaling", "event"), ("howto:gi_rolle", "howto"),
    ("compare:dekom+rekom", "compare"), ("innstilling", "term"), ("events", "events"),
    ("nomatch", "nomatch"),
])
def test_the_kind_of_an_answer_is_read_from_its_target(target: str, kind: str) -> None:
    assert learned.kind_of(target) == kind


def test_the_scoring_is_scikit_learns_own() -> None:
    """The engine scores a question itself (no sparse matrix per question); the decision
    values must be those of the vectorizers' transform and the SVMs' decision_function:
    the target's, plus KIND_WEIGHT times that of the target's kind."""
    model = learned._fit(EXAMPLES, tuple(sorted(SYNONYMS.items())))
    chars, words, typed, svm, kinds = _reference(EXAMPLES)
    assert model.classes == [str(c) for c in svm.classes_]
    kind_names = [str(k) for k in kinds.classes_]
    assert len(kind_names) > 2  # one-vs-rest: a column per kind
    column = [kind_names.index(learned.kind_of(str(c))) for c in svm.classes_]
    for question in QUESTIONS:
        plain = normalize(question)
        features = hstack([chars.transform([plain]),  # type: ignore[attr-defined]
                           words.transform([plain]),  # type: ignore[attr-defined]
                           typed.transform([plain])]).tocsr()  # type: ignore[attr-defined]
        expected = (svm.decision_function(features)[0]
                    + learned.KIND_WEIGHT * kinds.decision_function(features)[0][column])
        assert np.allclose(model.decision(plain), expected, atol=1e-5), question


def test_a_question_word_is_paired_with_every_other_word_of_the_question() -> None:
    """'hvem … innstilling' asks about the making of it, however many words lie between;
    the pairs are what the word features add to the words and their neighbours."""
    analyse = learned._word_features(Tokenizer(SYNONYMS).tokens)
    far = analyse("hvem lager egentlig innstillingen")
    near = analyse("hvem lager innstillingen")
    assert "?hvem innstill" in far and "?hvem innstill" in near
    assert "?hvem lag" in far and not any(f.startswith("?lag") for f in far)
    # nynorsk and English question words pair too; a question without one has no pairs
    assert any(f.startswith("?") for f in analyse("kven lagar innstillinga"))
    assert any(f.startswith("?") for f in analyse("who writes the innstilling"))
    assert not any(f.startswith("?") for f in analyse("innstillingen fra samarbeidsforum"))


def test_an_unseen_wording_reaches_the_answer_its_examples_share() -> None:
    model = Learned(EXAMPLES, SYNONYMS)
    # nynorsk and another inflection; a typo; the term in another form
    assert model.guess("kva tid blir midla utbetalte")
    for question, target in (("kva tid blir midla utbetalte", "event:utbetaling"),
                             ("hvor mange tiltk kan en behovsmelding ha", "rule:antall-tiltak"),
                             ("innstillinga, hva er det", "innstilling")):
        guess = model.guess(question)
        assert guess is not None and guess.target == target, (question, guess)
        assert guess.margin > 0
    assert model.guess("") is None
    assert model.guess("  !!! ") is None


def test_a_question_typed_without_ae_oe_aa_reads_as_with_them() -> None:
    assert learned.char_ngrams("når påminnelser") == learned.char_ngrams("nar paminnelser")
    assert learned.char_ngrams("særlig") == learned.char_ngrams("saerlig")
    model = Learned(EXAMPLES, SYNONYMS)
    with_letters = model.guess("når far vi utbetalt")
    without = model.guess("nar far vi utbetalt")
    assert with_letters is not None and without is not None
    assert without.target == with_letters.target == "event:utbetaling"


def test_a_model_is_fitted_once_per_set_of_examples_and_the_same_every_time() -> None:
    first = Learned(EXAMPLES, SYNONYMS)
    again = Learned(list(EXAMPLES), dict(SYNONYMS))
    assert first._model is again._model  # cached for the process
    learned._fit.cache_clear()
    fresh = Learned(EXAMPLES, SYNONYMS)
    assert fresh._model is not first._model
    for question in QUESTIONS:
        assert fresh.guess(question) == first.guess(question)


def test_one_answer_is_nothing_to_learn_and_two_are_enough() -> None:
    with pytest.raises(ValueError, match="minst to"):
        Learned(EXAMPLES[:3], SYNONYMS)
    # two answers: scikit-learn gives one decision value; each answer still has its own
    two = Learned(EXAMPLES[:6], SYNONYMS)
    assert two._model.classes == ["event:utbetaling", "rule:antall-tiltak"]
    for question, target in (("når kommer pengene", "event:utbetaling"),
                             ("hvor mange tiltak", "rule:antall-tiltak")):
        guess = two.guess(question)
        assert guess is not None and guess.target == target and guess.margin > 0


def test_what_an_example_teaches() -> None:
    row = ExampleRow.model_validate
    assert row({"q": "hvordan melder vi behov", "kind": "howto",
                "answer": "howto:meld_behov"}).target == "command:meld_behov"
    assert row({"q": "meld behov", "kind": "commands",
                "answer": "command:meld_behov"}).target == "command:meld_behov"
    assert row({"q": "hei", "kind": "smalltalk", "answer": "smalltalk:hei"}).target is None
    assert row({"q": "tiltak vs innsats", "kind": "terms",
                "answer": "compare:tiltak+innsats"}).target is None
    assert row({"q": "været", "kind": "out-of-scope", "answer": "nomatch"}).target == "nomatch"
    for bad in ({"q": "x", "kind": "weather", "answer": "nomatch"},
                {"q": "x", "kind": "terms", "answer": "Rule:Store bokstaver"},
                {"q": "", "kind": "terms", "answer": "nomatch"}):
        with pytest.raises(ValueError):
            row(bad)


def test_every_example_names_an_answer_that_exists() -> None:
    """content/eksempler.yaml: rules and terms are checked when it is loaded; the events
    and commands here, against the wheel and the command registry."""
    answerer = _engine(with_examples=True)
    wheel = answers_eval.build(_registry(), ())[1]
    events = {e.id for _, e in wheel.events()}
    bank = ExampleBank(examples=answers_eval.examples())
    for example in bank.examples:
        kind, _, name = example.answer.partition(":")
        if kind == "event":
            assert name in events, example
        elif kind in ("howto", "command"):
            assert answerer.command(name) is not None, example


@cache
def _registry() -> list[object]:
    return answers_eval.commands()


def _engine(*, with_examples: bool) -> Answerer:
    return answers_eval.build(_registry(), None if with_examples else ())[0]


@pytest.mark.parametrize(("question", "rules_alone", "with_examples"), [
    # the rules only offer «Mente du …?»; the examples say which rule it is
    ("hvem får pengene", "ambiguous", "rule:hvem-utbetaler"),
    # the rules find nothing; members have asked this way before
    ("når er den store samlingen på hotellet i september", "nomatch",
     "event:samling-sf-fagutvalg"),
    # the rules answer confidently with the wrong command; the examples are clearly sure
    ("oversikt over hvem som har levert", "command:oversikt", "command:status"),
    # the rules only suggest the command the examples name too: the two agree, it is done
    ("varsle kanalen vår når fristene nærmer seg", "suggest:abonner", "command:abonner"),
    # ... but a yes/no question is never done unasked, however sure the guess is
    ("skal vi begynne på behovsmeldingen nå", "suggest:meld_behov", "suggest:meld_behov"),
    # ... and whether we can is answered by how, with the command's button
    ("kan vi begynne på behovsmeldingen nå", "howto:meld_behov", "howto:meld_behov"),
])
def test_the_learned_opinion_decides_where_the_rules_are_unsure_or_clearly_wrong(
        question: str, rules_alone: str, with_examples: str) -> None:
    wheel = answers_eval.build(_registry(), ())[1]
    today = answers_eval.TODAY
    alone = _engine(with_examples=False).answer(question, today, wheel, staff=True)
    assert alone.verdict == rules_alone
    both = _engine(with_examples=True).answer(question, today, wheel, staff=True)
    assert both.verdict == with_examples


def test_what_the_rules_keep_for_themselves() -> None:
    """Bad input, small talk, two terms compared and a criterion are never second-guessed
    (the guess alone says «tildelingskriterier» for «hva er kriterium to»)."""
    answerer = _engine(with_examples=True)
    wheel = answers_eval.build(_registry(), ())[1]
    for question, verdict in (("", "badinput"), ("🙂🙂", "badinput"),
                              ("takk for hjelpen", "smalltalk:takk"),
                              ("hva er kriterium to", "criterion:2")):
        assert answerer.answer(question, answers_eval.TODAY, wheel).verdict == verdict
        # not even asked: the learned model gives no guess and no other answer
        assert answerer.explain(question, answers_eval.TODAY, wheel)[1:] == (None, None)
    assert answerer.answer("forskjellen på dekom og rekom", answers_eval.TODAY,
                           wheel).verdict.startswith("compare:")


def test_a_fit_is_kept_for_the_next_process_and_read_back_the_same(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a cache folder, the first fit is written there; a later process (here: the
    in-process cache cleared) reads it instead of fitting, and guesses the same."""
    learned._fit.cache_clear()
    first = Learned(EXAMPLES, SYNONYMS, tmp_path)
    [written] = tmp_path.glob("spor-kompis-*.npz")
    assert written.stat().st_mode & 0o777 == 0o644
    learned._fit.cache_clear()

    def no_fit(*_: object) -> None:
        raise AssertionError("fitted again although the cache had it")

    monkeypatch.setattr(learned, "fit_elsewhere", no_fit)
    monkeypatch.setattr(learned, "fit", no_fit)
    again = Learned(EXAMPLES, SYNONYMS, tmp_path)
    assert again._model is not first._model
    for question in QUESTIONS:
        assert again.guess(question) == first.guess(question)
    # other examples are another fit, in another file
    monkeypatch.undo()
    Learned(EXAMPLES[:6], SYNONYMS, tmp_path)
    assert len(list(tmp_path.glob("spor-kompis-*.npz"))) == 2
    assert written.exists()
    # the newest few are kept, older ones go
    for n in range(learned.CACHE_KEEP):
        Learned((*EXAMPLES, Example(f"spørsmål nummer {n}", "innstilling")), SYNONYMS, tmp_path)
    assert len(list(tmp_path.glob("spor-kompis-*.npz"))) == learned.CACHE_KEEP
    assert not written.exists()


def test_a_broken_cache_file_is_fitted_again(tmp_path, caplog) -> None:
    learned._fit.cache_clear()
    first = Learned(EXAMPLES, SYNONYMS, tmp_path)
    [written] = tmp_path.glob("spor-kompis-*.npz")
    written.write_bytes(b"not a zip file")
    learned._fit.cache_clear()
    again = Learned(EXAMPLES, SYNONYMS, tmp_path)
    assert "lærer på nytt" in caplog.text
    for question in QUESTIONS:
        assert again.guess(question) == first.guess(question)
    assert written.stat().st_size > 1000  # written again, whole


def test_a_term_for_a_question_that_is_no_definition_is_easier_to_second_guess() -> None:
    """The glossary matcher answers a term for any question naming one; worded as a
    definition ('hva er …') it is the answer, otherwise the learned guess decides on less
    (THRESHOLDS['term'] below THRESHOLDS['confident'])."""
    from domain.answers.engine import THRESHOLDS, second_guessable
    from domain.answers.types import TermAnswer

    entry = _engine(with_examples=False).term("statped")
    assert entry is not None
    reply = TermAnswer(entry, 1.0)
    assert second_guessable(reply, "var statped med i samarbeidsforum i 2021") == "term"
    for definition in ("hva er statped", "Hva betyr Statped?", "what is statped",
                       "forklar statped",
                       # the definition asked for after the term
                       "statped, kva tyder det", "Statped – hva betyr det i denne ordningen",
                       "statped i samarbeidsforum betyr", "statped, hva går det ut på",
                       "statped kva er det for ein organisasjon"):
        assert second_guessable(reply, definition) == "confident", definition
    for question in ("er statped med i samarbeidsforum", "hva sa statped om fristen"):
        assert second_guessable(reply, question) == "term", question
    assert THRESHOLDS["term"][0] < THRESHOLDS["confident"][0]


def test_which_threshold_a_guess_must_pass() -> None:
    """Two opinions that agree need less: a command only suggested that the guess names
    too is 'agreed' (but never a yes/no question: that is not done unasked). A «vet ikke»
    with nothing near to suggest is 'nothing': the guess stands alone there."""
    from domain.answers.engine import threshold_key
    from domain.answers.learned import Guess
    from domain.answers.types import Option, SuggestCommand, Unknown

    meld = next(c for c in _registry() if c.name == "meld_behov")  # type: ignore[attr-defined]
    guess = Guess("command:meld_behov", 0.1, 0.3)
    assert threshold_key("unsure", SuggestCommand(meld, "dekom"), guess) == "agreed"
    assert threshold_key("unsure", SuggestCommand(meld, "", yesno=True), guess) == "unsure"
    assert threshold_key("unsure", SuggestCommand(meld),
                         Guess("command:status", 0.1, 0.3)) == "unsure"
    assert threshold_key("unknown", Unknown("nomatch"), guess) == "nothing"
    near = Unknown("nomatch", (Option("rule", "antall-tiltak", "Hvor mange tiltak?"),))
    assert threshold_key("unknown", near, guess) == "unknown"
