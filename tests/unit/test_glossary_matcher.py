"""The question matcher without a bot: accuracy on the question bank, and each form of
question the issue names (plain, inflected, compound, nynorsk, English, typos,
abbreviations, @mentions), comparisons, criteria, dates and honest misses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.glossary.loader import load_criteria, load_glossary
from domain.glossary.matcher import (
    CANDIDATE,
    CONFIDENT,
    Ambiguous,
    Answer,
    Compare,
    CriterionAnswer,
    DateQuestion,
    Matcher,
    NoMatch,
    normalize,
    stems,
)
from tests.support.glossary_eval import cases, evaluate

GLOSSARY = load_glossary()
CRITERIA = load_criteria(glossary=GLOSSARY)
MATCHER = Matcher(GLOSSARY, CRITERIA)
KINDS = (Answer, Compare, Ambiguous, CriterionAnswer, DateQuestion, NoMatch)


def answer(question: str) -> str:
    found = MATCHER.match(question)
    assert isinstance(found, Answer), (question, found)
    assert found.score >= CONFIDENT
    return found.entry.id


def test_top1_accuracy_on_the_question_bank() -> None:
    assert len(cases()) >= 150
    accuracy, wrong = evaluate(MATCHER)
    assert accuracy >= 0.95, [(c.question, c.expect, got) for c, got in wrong]


@pytest.mark.parametrize(("question", "entry"), [
    # the forms the issue names
    ("hva er innstilling?", "innstilling"),
    ("hva betyr innstillingen", "innstilling"),
    ("innstilling?", "innstilling"),
    ("forklar beslutningsgrunnlag", "beslutningsgrunnlag"),
    ("what is innstilling?", "innstilling"),
    # typos
    ("instilling", "innstilling"),
    ("behovsmelidng", "behovsmelding"),
    ("inkluderende prosseser", "inkluderende-prosesser"),
    ("samarbeidsfroum", "samarbeidsforum"),
    # abbreviations, in any case
    ("UH", "uh"), ("hva er PPT", "ppt"), ("SF", "samarbeidsforum"), ("kku", "kku"),
    ("hva er PLF", "profesjonelt-laeringsfellesskap"), ("hva er SFTL", "statsforvalteren"),
    ("hva er UP", "utviklingspartner"),
    # inflected and compound forms
    ("behovsmeldingene", "behovsmelding"), ("partnerskapet", "partnerskap"),
    ("kompetansenettverkene", "kompetansenettverk"), ("hva er en barnehageeier", "eier"),
    ("hva er behovsmeldingsskjemaet", "behovsmelding"), ("UH-partneren", "uh"),
    # nynorsk
    ("behovsmeldinga", "behovsmelding"), ("kva er partnerskapa", "partnerskap"),
    ("kva betyr tverrfagleg tiltak", "tverrfaglige-tiltak"),
    ("kva meiner ein med lokal forankring", "lokal-forankring"),
    # @mention residue, HTML and punctuation from Teams
    ("<at>Kompis</at> hva er vedtak?", "vedtak"),
    ("@Kompis hva er innstilling", "innstilling"),
    ("<p>hva&nbsp;er «innstilling»?!</p>", "innstilling"),
    ("HVA ER INNSTILLING!!!", "innstilling"),
    # a term followed by another it is about: 'X i Y' asks about X
    ("hva menes med samiske perspektiver i behovsmeldingen", "samiske-perspektiver"),
    ("hva er egenandel i dekom", "egenandel"),
    # a longer key wins over the word inside it
    ("tverrfaglige tiltak", "tverrfaglige-tiltak"),
    ("kollektiv kompetanseutvikling barnehage", "kkub"),
])
def test_forms_of_a_question(question: str, entry: str) -> None:
    assert answer(question) == entry


@pytest.mark.parametrize(("question", "first", "second"), [
    ("hva er forskjellen på innstilling og vedtak", "innstilling", "vedtak"),
    ("Hva er forskjellen mellom vedtak og innstilling?", "vedtak", "innstilling"),
    ("kva er skilnaden på KKUB og KKUS", "kkub", "kkus"),
    ("what is the difference between Dekom and Rekom", "dekom", "rekom"),
    ("innstilling vs vedtak", "innstilling", "vedtak"),
    ("hva skiller innstilling fra vedtak", "innstilling", "vedtak"),
    ("innstilling og vedtak", "innstilling", "vedtak"),
    ("jeg lurer på forskjellen på en innstilling og et vedtak i samarbeidsforum",
     "innstilling", "vedtak"),
    ("forskjellen på langsiktig plan og langsiktig kompetanseutviklingsplan",
     "langsiktig-plan", "langsiktig-kompetanseutviklingsplan"),
])
def test_two_terms_side_by_side_in_the_order_asked(question: str, first: str,
                                                   second: str) -> None:
    found = MATCHER.match(question)
    assert isinstance(found, Compare), found
    assert [e.id for e in found.entries] == [first, second]
    assert (found.first.id, found.second.id) == (first, second)


@pytest.mark.parametrize(("question", "first", "second"), [
    ("er UH og fagskole det samme", "uh", "fagskole"),
    ("innstilling og prioritering, samme greia?", "innstilling", "prioritering"),
    ("er KKUB det samme som rekom", "kkub", "rekom"),
])
def test_the_same_thing_compares_two_terms(question: str, first: str, second: str) -> None:
    found = MATCHER.match(question)
    assert isinstance(found, Compare), found
    assert (found.first.id, found.second.id) == (first, second)


@pytest.mark.parametrize("question", [
    "vi er tre kommuner i samme partnerskap, blir det én behovsmelding eller tre?",
    "tre kommuner i nettverket vil ha samme tiltak om språk",
    "vi har både barnehage og skole under samme leder",
    "må alle nettverk ha de samme tiltakene",
])
def test_samme_about_something_else_compares_nothing(question: str) -> None:
    assert not isinstance(MATCHER.match(question), Compare)


def test_one_term_named_twice_is_not_a_comparison() -> None:
    assert answer("forskjellen på innstilling og endelig innstilling") == "innstilling"
    assert answer("KKU eller SKK") == "kku"
    # a synonym with 'og' inside is one term, not two
    assert answer("inkluderende prosesser i barnehage og skole") == "inkluderende-prosesser"


@pytest.mark.parametrize(("question", "number"), [
    ("hva sier kriterium 5?", 5), ("kriterium 6", 6), ("Kriterium nr. 1", 1),
    ("hva står i kriterium nummer seks", 6), ("det femte kriteriet", 5),
    ("criterion 2", 2), ("kriterie 3", 3), ("tildelingskriterium 7", 7),
    ("kriteriet om samiske perspektiver", 5),
    ("hva sier kriteriene om tverrfaglige tiltak", 6),
    ("kriteriet om likeverdig partnerskap", 4),
    # typed and cut short as members do, and «nummer» a few words after
    ("kriterum tre hva betyr det", 3), ("krit 2 lokale behov", 2), ("krit. 6?", 6),
    ("kriteria for tildeling nummer 4", 4), ("kriteriene for tildeling nr 5", 5),
    # how a criterion's own term weighs when the money is allocated, without the word
    ("vektlegges det at tiltaket er tverrfaglig", 6),
    ("gir det uttelling at samiske perspektiver er med", 5),
    ("korleis vert likeverdig partnarskap vurdert i tildelinga", 4),
])
def test_criterion_questions(question: str, number: int) -> None:
    found = MATCHER.match(question)
    assert isinstance(found, CriterionAnswer), found
    assert found.number == number and found.criterion is CRITERIA.get(number)


def test_an_unknown_criterion_number_is_still_a_criterion_question() -> None:
    found = MATCHER.match("kriterium 42")
    assert isinstance(found, CriterionAnswer) and found.number == 42
    assert found.criterion is None
    # the criteria in general are the glossary entry, not one criterion
    assert answer("hva er kriteriene") == "tildelingskriterier"
    # the term asked for itself, or weighed with no criterion's term in it, is not one
    assert answer("hva er tverrfaglige tiltak") == "tverrfaglige-tiltak"
    assert not isinstance(MATCHER.match("teller helgene med i fristen"), CriterionAnswer)
    # 'de andre kriteriene' is not criterion 2
    assert not isinstance(MATCHER.match("hva med de andre kriteriene"), CriterionAnswer)
    # a number a few words on, with no «nummer», is not the criterion's; nor is 'kritisk'
    for question in ("kriteriene for 2 år siden", "er det kritisk 2 dager før fristen"):
        assert not isinstance(MATCHER.match(question), CriterionAnswer), question


@pytest.mark.parametrize(("question", "entry"), [
    ("når er fristen for behovsmelding?", "behovsmelding"),
    ("kva tid er fristen for behovsmeldinga", "behovsmelding"),
    ("behovsmeldingsfristen", "behovsmelding"),
    ("rapporteringsfrist", "rapportering"),
    ("when is the deadline for the needs report", "behovsmelding"),
    ("når er endelig innstilling", "innstilling"),
    ("når er fristen?", None),
    ("frister", None),
])
def test_date_questions_are_classified_with_their_term(question: str,
                                                        entry: str | None) -> None:
    found = MATCHER.match(question)
    assert isinstance(found, DateQuestion), found
    assert (found.entry.id if found.entry else None) == entry
    if entry is not None:
        assert found.topic  # the words left when the question words are gone


def test_close_candidates_ask_mente_du() -> None:
    plan = MATCHER.match("plan")
    assert isinstance(plan, Ambiguous)
    assert {"langsiktig-plan", "langsiktig-kompetanseutviklingsplan"} <= {
        c.entry.id for c in plan.candidates}
    assert all(CANDIDATE <= c.score < CONFIDENT for c in plan.candidates)
    letter = MATCHER.match("hva er et tildelingsbrev")  # two entries claim the word
    assert isinstance(letter, Ambiguous)
    assert {c.entry.id for c in letter.candidates} == {"vedtak", "tilskuddsbrev"}
    # a compound ending in a short key is offered, not asserted
    assert isinstance(MATCHER.match("rektornettverk"), Ambiguous)


@pytest.mark.parametrize("question", [
    "hva er kvantefysikk", "blåbærsyltetøy", "hva er et budsjett", "hvem er du", "hei",
    "hva er", "", "   ", "?!", "kan du bestille pizza til oss på fredag etter møtet",
])
def test_nothing_close_is_an_honest_no_match(question: str) -> None:
    found = MATCHER.match(question)
    assert isinstance(found, NoMatch), found
    assert all(s.score < CANDIDATE for s in found.suggestions)


def test_a_near_miss_suggests_the_nearest_terms() -> None:
    found = MATCHER.match("hva er tilskudd")
    assert isinstance(found, NoMatch)
    assert "tilskuddsbrev" in [s.entry.id for s in found.suggestions]


def test_normalize_strips_what_teams_adds() -> None:
    assert normalize("<at>Kompis</at>&nbsp;Hva er <b>PLF</b>?") == "hva er plf"
    assert normalize("Sámi «perspektiv» – pp-tjenesten") == "sami perspektiv pp-tjenesten"
    assert stems(["behovsmeldingene", "partnerskapet"]) == ("behovsmelding", "partnerskap")


def test_entries_sorted_as_in_a_norwegian_dictionary() -> None:
    terms = [e.term for e in MATCHER.entries_sorted()]
    assert len(terms) == len(GLOSSARY.entries)
    assert terms[-1] == "årshjul" and terms.index("oppfølgingsordningen") > terms.index(
        "medbestemmelse")
    assert MATCHER.get("innstilling") is GLOSSARY.get("innstilling")
    assert MATCHER.get("finnes-ikke") is None
    assert [e.id for e in MATCHER.related(GLOSSARY.get("vedtak"))] == list(
        GLOSSARY.get("vedtak").related)


def test_rank_lists_every_mentioned_entry_best_first() -> None:
    ranked = MATCHER.rank("samiske perspektiver i behovsmeldingen")
    assert [s.entry.id for s in ranked[:2]] == ["samiske-perspektiver", "behovsmelding"]
    assert ranked[0].score > ranked[1].score


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_match_and_never_raises(question: str) -> None:
    assert isinstance(MATCHER.match(question), KINDS)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(
    ["hva", "er", "innstilling", "og", "vedtak", "kriterium", "5", "når", "frist", "<at>",
     "PLF", "forskjellen", "på", "i", "plan", "?", "&amp;", "-", "kva", "tiltak"]),
    max_size=12))
def test_word_salad_from_the_domain_never_raises(words: list[str]) -> None:
    found = MATCHER.match(" ".join(words))
    assert isinstance(found, KINDS)
    if isinstance(found, Compare):
        assert found.first.id != found.second.id
