"""Content you can trust: every entry in content/ names its source (a seed and the place in
it, a public page with the date it was read, or Kompis' own practice), and no card built
from content/ states as fact one side of a topic that content/uenigheter.yaml marks as
disputed. See content/README.md for how a fact gets in."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from cards.answers import event_card, rule_card
from cards.glossary import answer_card, criteria_card, criterion_card
from cards.wheel import reminder_card, wheel_card
from domain.answers.loader import load_answers
from domain.content import CONTENT_DIR, ContentError
from domain.disputes import load_disputes
from domain.glossary.loader import load_criteria, load_glossary
from domain.wheel.loader import load_wheel
from tests.support import answers_eval
from tests.support.cards import shown_texts

ROOT = CONTENT_DIR.parent
TODAY = date(2026, 11, 22)
URL = "https://kompis.example/kalender.ics"

# A seed by number, or by the name the content files use for it.
SEED = re.compile(
    r"\b00[0-4]\b|gruppearbeid|referat fra samarbeidsforum|årshjul(et)? (og presentasjon )?"
    r"fra Statsforvalteren i Nordland|saksframlegg Trøndelag Sør|Kompetanseforum", re.I)
# A place in a seed: the case, question, slide, date line or list it comes from.
PLACE = re.compile(
    r"\(|sak\b|spørsmål|lysark|årshjul|deltakerlist|punkt|gruppe|kapittel|forfall|"
    r"topptekst|\bPS\b|\d{1,2}\. [a-zæøå]+", re.I)
# A public page and when it was read (the page itself is in the entry's url field or named).
PAGE = re.compile(r"Udir|Statsforvalteren i (Rogaland|Oslo og Viken)|Fosenregionen", re.I)
READ = re.compile(r"lest (\d{4}-\d\d-\d\d|\d\d\.\d\d\.\d{4})|oppdatert \d\d\.\d\d\.\d{4}|"
                  r"\b20\d\d\b", re.I)
# Kompis' own practice, or a statement that the seeds were read and say nothing.
PRACTICE = re.compile(r"praksis|Gjennomgått 000–004|ikke nevnt i 000–004", re.I)

# Files whose entries are checked here: every file in content/ must be in CHECKED.
CHECKED = {"ordliste.yaml", "kriterier.yaml", "arshjul.yaml", "sporsmal.yaml",
           "nettverk.yaml", "uh.yaml", "uenigheter.yaml", "ordninger.yaml"}


def source_problem(source: Any, url: Any = None) -> str | None:
    """Why `source` does not name where a fact comes from, or None when it does."""
    if not isinstance(source, str) or len(source.strip()) < 5:
        return "mangler source"
    if PRACTICE.search(source):
        return None
    if SEED.search(source):
        return None if PLACE.search(source) else "seed uten sted"
    if PAGE.search(source) or url:
        return None if READ.search(source) else "side uten dato"
    return "nevner verken seed, side eller praksis"


def entries(content: Path) -> Iterator[tuple[str, str, Any, Any]]:
    """(file, entry, source, url) for every fact entry in the content files."""
    def load(name: str) -> Any:
        return yaml.safe_load((content / name).read_text(encoding="utf-8"))

    for e in load("ordliste.yaml")["entries"]:
        yield "ordliste.yaml", e["id"], e.get("source"), e.get("url")
    for c in load("kriterier.yaml")["criteria"]:
        yield "kriterier.yaml", f"kriterium {c['number']}", c.get("source"), None
    for cycle in load("arshjul.yaml")["cycles"]:
        for e in cycle["events"]:
            yield "arshjul.yaml", f"{cycle['id']} {e['id']}", e.get("source"), None
    for r in load("sporsmal.yaml")["rules"]:
        yield "sporsmal.yaml", r["id"], r.get("source"), r.get("url")
        for i, side in enumerate(r.get("sides") or ()):
            yield "sporsmal.yaml", f"{r['id']} sides[{i}]", side.get("source"), r.get("url")
    for n in load("nettverk.yaml")["networks"]:
        yield "nettverk.yaml", n["id"], n.get("source"), None
    for u in load("uh.yaml")["uh_partners"]:
        yield "uh.yaml", u["id"], u.get("source"), None
    for cycle in load("ordninger.yaml")["cycles"]:
        for scheme in cycle["schemes"]:
            yield ("ordninger.yaml", f"{cycle['id']} {scheme['code']}", scheme.get("source"),
                   scheme.get("url"))
        practice = cycle.get("practice") or {}
        yield ("ordninger.yaml", f"{cycle['id']} practice", practice.get("source"),
               None)
    for t in load("uenigheter.yaml")["topics"]:
        for i, side in enumerate(t["sides"]):
            yield "uenigheter.yaml", f"{t['id']} sides[{i}]", side.get("source"), None


def unsourced(content: Path) -> list[str]:
    return [f"{name}: {entry}: {problem}" for name, entry, source, url in entries(content)
            if (problem := source_problem(source, url))]


# --- every entry names its source ------------------------------------------------------

# questions as members type them, each with the answer it should get: no facts of their own
# (the answers they point at carry the sources); validated by domain/answers/loader.py
NOT_FACTS = {"eksempler.yaml"}


def test_every_content_file_is_checked() -> None:
    files = {p.name for p in CONTENT_DIR.glob("*.yaml")}
    assert files == CHECKED | NOT_FACTS


def test_every_entry_in_content_names_its_source() -> None:
    assert unsourced(CONTENT_DIR) == []
    assert sum(1 for _ in entries(CONTENT_DIR)) > 150


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    pytest.param("arshjul.yaml", '        source: "003, årshjulet (15. desember) og lysarket '
                 '«Send inn» (punkt 1)"\n', "",
                 "arshjul.yaml: 2026/2027 frist-behovsmelding: mangler source", id="no-source"),
    pytest.param("nettverk.yaml", '"000, deltakerlisten (Fosen)"', '"seed 000"',
                 "nettverk.yaml: fosen: seed uten sted", id="seed-without-place"),
    pytest.param("sporsmal.yaml", '"Udirs mandat for samarbeidsforum, lest 03.12.2026"',
                 '"Udirs mandat for samarbeidsforum"',
                 "sporsmal.yaml: sf-beslutter-hvordan: side uten dato", id="page-undated"),
    pytest.param("uh.yaml", '"000, deltakerlisten (DMMH)"', '"en god høgskole"',
                 "uh.yaml: dmmh: nevner verken seed, side eller praksis", id="no-seed"),
])
def test_an_entry_without_a_source_fails(tmp_path: Path, name: str, old: str, new: str,
                                         expected: str) -> None:
    for path in CONTENT_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == name:
            assert old in text
            text = text.replace(old, new, 1)
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    assert unsourced(tmp_path) == [expected]


def test_the_readme_says_how_a_fact_gets_in() -> None:
    readme = (CONTENT_DIR / "README.md").read_text(encoding="utf-8")
    for needed in ("source", "lest", "uenige", "uenigheter.yaml", "praksis", "url"):
        assert needed in readme, needed


# --- disputed topics are shown as disputes everywhere ----------------------------------

@cache
def cards_from_content() -> list[tuple[str, str]]:
    """(where, text) for every card built from content/, and the spreadsheet's texts."""
    glossary = load_glossary()
    criteria = load_criteria(glossary=glossary)
    answerer, wheel = answers_eval.build()
    built: list[tuple[str, dict]] = []
    for entry in glossary.entries:
        related = [r for r in (glossary.get(i) for i in entry.related) if r is not None]
        built.append((f"ordliste {entry.id}", answer_card(entry, related)))
    built.append(("kriterier", criteria_card(criteria)))
    for criterion in criteria.criteria:
        built.append((f"kriterium {criterion.number}",
                      criterion_card(criterion, glossary.get(criterion.glossary or ""))))
    for rule in load_answers(glossary=glossary).rules:
        built.append((f"regel {rule.id}", rule_card(rule, [])))
    for cycle in wheel.cycles:
        built.append((f"årshjul {cycle.id}", wheel_card(cycle, TODAY, URL)))
        for event in cycle.events:
            answer = answerer.event(event.id, TODAY, wheel)
            assert answer is not None, event.id
            built.append((f"hendelse {event.id}", event_card(answer)))
            built.append((f"påminnelse {event.id}", reminder_card(event, event.start)))
    found = [(where, "\n".join(shown_texts(card))) for where, card in built]
    return [*found, ("regnearket (domain/needs/workbook.py)", workbook_texts())]


def workbook_texts() -> str:
    """Every string written in the spreadsheet module, f-strings joined (what a person
    reads in the exported workbook comes from these)."""
    tree = ast.parse((ROOT / "domain" / "needs" / "workbook.py").read_text(encoding="utf-8"))
    parts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts.append("".join(v.value for v in node.values
                                 if isinstance(v, ast.Constant) and isinstance(v.value, str)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts.append(node.value)
    return " ".join(parts)


def code_texts() -> list[tuple[str, str]]:
    """Every string constant in domain/*/texts.py, one by one: the words cards and
    answers are built from, besides content/."""
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "domain").glob("*/texts.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [(f"{path.relative_to(ROOT)} linje {node.lineno}", node.value)
                  for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return found


def test_no_text_in_the_code_states_a_disputed_side_as_fact() -> None:
    disputes = load_disputes()
    texts = code_texts()
    assert len({where.split(" linje")[0] for where, _ in texts}) >= 4  # glossary, wheel, ...
    problems = [f"{where}: {p.topic}: «{p.claim}» uten {p.missing}"
                for where, text in texts for p in disputes.unmarked(text)]
    assert problems == []


def test_the_walk_covers_every_card_built_from_content() -> None:
    found = dict(cards_from_content())
    assert "ordliste innstilling" in found and "regel nettverk-prioriterer" in found
    assert "hendelse frist-sammenstilt-behovsmelding" in found and "kriterier" in found
    assert "prioriter" in found["regnearket (domain/needs/workbook.py)"]


def test_no_card_states_a_disputed_side_as_fact() -> None:
    disputes = load_disputes()
    problems = [f"{where}: {p.topic}: «{p.claim}» uten {p.missing}"
                for where, text in cards_from_content() for p in disputes.unmarked(text)]
    assert problems == []


def test_the_answers_on_the_three_disputes_show_both_sides() -> None:
    """The cards a member gets for the three questions the issue names (the protocol
    tests send the questions through the bot)."""
    found = dict(cards_from_content())
    for rule_id in ("nettverk-prioriterer", "hvem-lager-innstilling", "hvem-utbetaler"):
        text = found[f"regel {rule_id}"]
        assert "Kildene er uenige" in text and "Kompis velger ikke side" in text, rule_id
        assert "003" in text and ("001" in text or "Udir" in text), rule_id
    paid = found["hendelse godkjenning-utbetaling"]
    assert "SF endelig godkjenning" in paid and "Statsforvalteren" in paid
    assert "Kilde: 003, årshjulet (15. april)" in paid


@pytest.mark.parametrize(("text", "topic"), [
    pytest.param("Koordinatoren sender nettverkets samlede behovsmelding til samarbeidsforum. "
                 "Nettverket kan legge til sin vurdering, men prioriterer ikke.",
                 {"nettverket-prioriterer", "hvem-tar-imot-behovsmeldingen"},
                 id="old-wheel-text"),
    pytest.param("Med den nye forskriften er det Statsforvalteren som prioriterer og lager "
                 "innstillingen, mens samarbeidsforum gir råd.",
                 {"hvem-lager-innstillingen"}, id="old-glossary-text"),
    pytest.param("Samarbeidsforum godkjenner innstillingen endelig i april.",
                 {"hva-sf-betyr"}, id="sf-read-as-samarbeidsforum"),
    pytest.param("Samarbeidsforum vedtar den regionale andelen på 30 prosent.",
                 {"regional-ordning"}, id="thirty-percent"),
    pytest.param("Hvert partnerskap sender én behovsmelding per ordning, med høyst fem tiltak.",
                 {"en-behovsmelding-per-ordning"}, id="per-partnership"),
    pytest.param("Kildene er uenige: nettverket prioriterer ikke (003).",
                 {"nettverket-prioriterer"}, id="marker-but-one-source"),
])
def test_one_sided_texts_are_caught(text: str, topic: set[str]) -> None:
    assert {p.topic for p in load_disputes().unmarked(text)} == topic


def test_a_text_with_the_marker_and_both_sources_passes() -> None:
    text = ("Kildene er uenige. Årshjulet fra Nordland (003) sier at nettverket ikke skal "
            "prioritere; gruppe 2 i gruppearbeidet (001) beskriver nettverkets prioriteringer.")
    assert load_disputes().unmarked(text) == []


def test_a_broken_pattern_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "uenigheter.yaml"
    text = (CONTENT_DIR / "uenigheter.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace('"prioriterer ikke"', '"prioriterer (ikke"'), encoding="utf-8")
    with pytest.raises(ContentError, match=r"(?s)uenigheter\.yaml.*ugyldig mønster"):
        load_disputes(path)


# --- the specific corrections of #17 ---------------------------------------------------

def test_the_dual_purpose_is_not_a_numbered_criterion() -> None:
    criteria = load_criteria(glossary=load_glossary())
    assert all(c.glossary != "doble-formalet" for c in criteria.criteria)
    assert max(c.number for c in criteria.criteria) == 6
    said = "\n".join(shown_texts(criteria_card(criteria)))
    assert "rekkefølgen" not in said and "sier ikke noe om rekkefølge" in said


def test_statements_without_a_source_are_gone() -> None:
    glossary = load_yaml_text("ordliste.yaml") + load_yaml_text("arshjul.yaml")
    for gone in ("Lærelyst", "Tett på", "opptil tre år", "egenandel på 30",
                 "tar over for Rekom", "tar over for Dekom", "bestemte i 2021",
                 "Samarbeidsforum Trøndelag bestemte", "dialogpartner",
                 "Trøndelag-modellen"):
        assert gone not in glossary, gone
    wheel = load_wheel()
    assert wheel.cycles[0].based_on and "Nordland" in wheel.cycles[0].based_on


def test_kompetansepiloter_and_fagskole_have_their_own_answers() -> None:
    answerer, wheel = answers_eval.build()
    for question, expected in (("hva er kompetansepiloter", "kompetansepiloter"),
                               ("kompetansepiloter", "kompetansepiloter"),
                               ("hva er en fagskole", "fagskole"),
                               ("fagskole", "fagskole")):
        answer = answerer.answer(question, TODAY, wheel)
        assert getattr(getattr(answer, "entry", None), "id", None) == expected, question
    assert "fagskole" not in [s.lower() for s in load_glossary().get("uh").synonyms]


def load_yaml_text(name: str) -> str:
    return (CONTENT_DIR / name).read_text(encoding="utf-8")
