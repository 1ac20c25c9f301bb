"""The glossary without a bot: content, matcher accuracy and forms, cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from cards.check import check_card
from cards.glossary import (
    answer_card,
    compare_card,
    criteria_card,
    criterion_card,
    did_you_mean_card,
    list_card,
    no_match_card,
)
from domain.content import ContentError
from domain.glossary.loader import GLOSSARY_FILE, load_criteria, load_glossary
from domain.glossary.matcher import (
    Ambiguous,
    Answer,
    Compare,
    CriterionAnswer,
    DateQuestion,
    Matcher,
    NoMatch,
)
from tests.support.glossary_eval import cases, evaluate

GLOSSARY = load_glossary()
CRITERIA = load_criteria(glossary=GLOSSARY)
MATCHER = Matcher(GLOSSARY, CRITERIA)

# Every term DOMAIN.md lists for the glossary, as entry ids.
REQUIRED = """kompetansenettverk partnerskap samarbeidsforum behovsmelding beslutningsgrunnlag
innstilling vedtak langsiktig-plan langsiktig-kompetanseutviklingsplan nettverkskoordinator
vurdering-av-kompetansebehov lokale-behov lokal-forankring profesjonelt-laeringsfellesskap
prioritering tilskuddsbrev tildelingskriterier inkluderende-prosesser medbestemmelse kku kkub
kkus dekom rekom kompetanseloftet uh ppt statsforvalteren fagutvalg arshjul tiltak
doble-formalet samiske-perspektiver tverrfaglige-tiltak oppfolgingsordningen forhandsramme
fordelingsnokkel""".split()


def test_content_covers_the_domain_terms() -> None:
    ids = {e.id for e in GLOSSARY.entries}
    assert len(GLOSSARY.entries) >= 35
    assert sorted(set(REQUIRED) - ids) == []
    assert all(e.source for e in GLOSSARY.entries)
    # terms whose meaning the seeds say is changing say so
    for changing in ("innstilling", "beslutningsgrunnlag", "samarbeidsforum", "behovsmelding"):
        assert GLOSSARY.get(changing).changing


def test_criteria_are_numbered_with_5_and_6_as_the_seeds_say() -> None:
    assert CRITERIA.get(5).title == "Samiske perspektiver"
    assert CRITERIA.get(6).title == "Tverrfaglige tiltak"
    assert all(GLOSSARY.get(c.glossary) for c in CRITERIA.criteria if c.glossary)


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda t: t.replace("  - id: vedtak\n", "  - id: innstilling\n"), "brukt flere ganger"),
    (lambda t: t.replace("related: [innstilling, tilskuddsbrev, statsforvalteren]",
                         "related: [finnes-ikke]"), "ukjent id finnes-ikke"),
    (lambda t: t.replace("    source: Årshjul\n", "", 1), "source"),
    (lambda t: t + "  - id: tom\n    term: x\n", "entries[38] (tom)"),
])
def test_broken_glossary_names_file_entry_and_field(tmp_path: Path, mutate,
                                                    expected: str) -> None:
    path = tmp_path / "ordliste.yaml"
    path.write_text(mutate(GLOSSARY_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_glossary(path)
    assert "ordliste.yaml" in str(error.value)
    assert expected in str(error.value)


def test_broken_criterion_link(tmp_path: Path) -> None:
    path = tmp_path / "kriterier.yaml"
    path.write_text("criteria:\n  - number: 1\n    title: Noe\n    glossary: borte\n"
                    "    asks: Spør om noe viktig.\n    show: Vis det slik her.\n"
                    "    source: Et møte\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_criteria(path, glossary=GLOSSARY)
    assert "nummer 1" in str(error.value) and "borte" in str(error.value)


def test_top1_accuracy_on_the_question_bank() -> None:
    assert len(cases()) >= 150
    accuracy, wrong = evaluate(MATCHER)
    assert accuracy >= 0.95, [(c.question, c.expect, got) for c, got in wrong]


@pytest.mark.parametrize(("question", "entry"), [
    ("hva er innstilling?", "innstilling"), ("innstilling?", "innstilling"),
    ("what is innstilling?", "innstilling"), ("instilling", "innstilling"),
    ("behovsmelidng", "behovsmelding"), ("behovsmeldingene", "behovsmelding"),
    ("kva er behovsmeldinga", "behovsmelding"), ("partnerskapet", "partnerskap"),
    ("kompetansenettverkene", "kompetansenettverk"), ("hva er UH", "uh"),
    ("PPT", "ppt"), ("SF", "samarbeidsforum"), ("KKU", "kku"), ("PLF",
                                                                "profesjonelt-laeringsfellesskap"),
    ("forklar beslutningsgrunnlag", "beslutningsgrunnlag"),
])
def test_forms(question: str, entry: str) -> None:
    match = MATCHER.match(question)
    assert isinstance(match, Answer) and match.entry.id == entry


def test_compare_criterion_date_and_unknown() -> None:
    compare = MATCHER.match("hva er forskjellen på innstilling og vedtak")
    assert isinstance(compare, Compare)
    assert (compare.first.id, compare.second.id) == ("innstilling", "vedtak")
    criterion = MATCHER.match("hva sier kriterium 5?")
    assert isinstance(criterion, CriterionAnswer) and criterion.criterion.number == 5
    assert MATCHER.match("kriterium 40").criterion is None
    date = MATCHER.match("når er fristen for behovsmelding?")
    assert isinstance(date, DateQuestion) and date.entry.id == "behovsmelding"
    assert isinstance(MATCHER.match("hva er kvantefysikk"), NoMatch)
    assert isinstance(MATCHER.match("plan"), Ambiguous)
    assert isinstance(MATCHER.match(""), NoMatch)


def test_every_glossary_card_is_valid() -> None:
    entry = GLOSSARY.get("innstilling")
    related = [GLOSSARY.get(i) for i in entry.related]
    built = [
        answer_card(entry, related),
        answer_card(GLOSSARY.get("egenandel"), []),
        compare_card(entry, GLOSSARY.get("vedtak")),
        did_you_mean_card([GLOSSARY.get("langsiktig-plan"),
                           GLOSSARY.get("langsiktig-kompetanseutviklingsplan")]),
        no_match_card("[lenke](http://evil.example) <script>", [entry]),
        no_match_card("noe helt annet", []),
        criteria_card(CRITERIA),
        criterion_card(CRITERIA.get(5), GLOSSARY.get("samiske-perspektiver")),
        criterion_card(CRITERIA.get(2), None),
    ]
    entries = MATCHER.entries_sorted()
    built += [list_card(entries, page) for page in (1, 2, 3, 4, 99)]
    for card in built:
        check_card(card)
    assert "Dette er i endring" in str(built[0])
    assert "[lenke](http" not in str(built[4])  # typed markdown is shown, not rendered
    assert [e.term for e in entries][-1] == "årshjul"  # Norwegian alphabetical order
