"""Every glossary and criteria card, checked as Teams renders Adaptive Cards 1.5, with
what a person reads and what each button sends."""

from __future__ import annotations

import json

import pytest

from cards.check import CardError, check_card
from cards.glossary import (
    MAX_QUESTION_CHARS,
    PAGE_SIZE,
    answer_card,
    compare_card,
    criteria_card,
    criterion_card,
    did_you_mean_card,
    list_card,
    no_match_card,
)
from domain.glossary import texts
from domain.glossary.loader import load_criteria, load_glossary
from domain.glossary.matcher import Matcher
from tests.support.cards import walk

GLOSSARY = load_glossary()
CRITERIA = load_criteria(glossary=GLOSSARY)
MATCHER = Matcher(GLOSSARY, CRITERIA)
HOSTILE = "[klikk](http://evil.example) <script>alert(1)</script> **fet** _x_ #1"


def texts_of(card: dict) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def buttons(card: dict) -> list[dict]:
    """Every action, in the body's ActionSets and at the bottom of the card."""
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


def test_check_card_catches_a_broken_glossary_card() -> None:
    broken = answer_card(GLOSSARY.get("vedtak"), [])
    broken["actions"][0]["data"] = "glossary.feedback"  # Teams drops string data
    with pytest.raises(CardError):
        check_card(broken)


@pytest.mark.parametrize("entry", GLOSSARY.entries, ids=lambda e: e.id)
def test_every_entry_has_a_valid_answer_card(entry) -> None:
    card = check_card(answer_card(entry, MATCHER.related(entry)))
    said = texts_of(card)
    assert said[0].startswith(entry.term) and entry.definition in said
    assert (texts.CHANGING in said) == bool(entry.changing)
    [source] = [t for t in said if t.startswith("Kilde:")]
    assert entry.source in source
    assert (f"]({entry.url})" in source) == bool(entry.url)
    shown = [b["data"]["entry"] for b in buttons(card)
             if b.get("data", {}).get("action") == "glossary.show"]
    assert shown == list(entry.related)[:6]
    assert [a["data"] for a in card["actions"]] == [
        {"action": "glossary.feedback", "entry": entry.id, "useful": True},
        {"action": "glossary.feedback", "entry": entry.id, "useful": False},
    ]
    assert [a["type"] for a in card["actions"]] == ["Action.Execute", "Action.Execute"]


def test_answer_card_names_other_abbreviations() -> None:
    card = check_card(answer_card(GLOSSARY.get("kku"), []))
    said = texts_of(card)
    assert said[0] == "kollektiv kompetanseutvikling (KKU)"
    assert "Også kalt SKK og KOKO." in said
    assert not any(b.get("data", {}).get("action") == "glossary.show" for b in buttons(card))


def test_compare_card_shows_both_terms_side_by_side() -> None:
    first, second = GLOSSARY.get("innstilling"), GLOSSARY.get("vedtak")
    card = check_card(compare_card(first, second))
    [columns] = [b for b in card["body"] if b["type"] == "ColumnSet"]
    assert [c["items"][0]["text"] for c in columns["columns"]] == ["innstilling", "vedtak"]
    for column, entry in zip(columns["columns"], (first, second), strict=True):
        column_text = [i["text"] for i in column["items"]]
        assert entry.definition in column_text and entry.changing in column_text
    assert texts_of(card)[0] == "Forskjellen på innstilling og vedtak"
    assert [a["data"] for a in card["actions"]] == [
        {"action": "glossary.show", "entry": "innstilling"},
        {"action": "glossary.show", "entry": "vedtak"},
    ]


def test_did_you_mean_card_has_a_button_per_candidate_and_a_way_out() -> None:
    candidates = [GLOSSARY.get("langsiktig-plan"),
                  GLOSSARY.get("langsiktig-kompetanseutviklingsplan")]
    card = check_card(did_you_mean_card(candidates, HOSTILE))
    assert texts.DID_YOU_MEAN in texts_of(card)
    assert [a["data"]["entry"] for a in card["actions"]] == [e.id for e in candidates]
    assert {"action": "glossary.list", "page": 1} in [b["data"] for b in buttons(card)]
    assert "](http" not in json.dumps(card) and "<script>" not in json.dumps(card)
    assert check_card(did_you_mean_card(candidates))  # without the question echoed


def test_no_match_card_is_honest_and_escapes_what_was_typed() -> None:
    nearest = [GLOSSARY.get("tilskuddsbrev")]
    card = check_card(no_match_card(HOSTILE, nearest))
    said = "\n".join(texts_of(card))
    assert said.startswith(texts.NO_MATCH_TITLE)
    assert "Jeg fant ikke «\\[klikk\\]\\(http://evil\\.example\\)" in said
    assert "](http" not in said and "<script>" not in said and "**fet**" not in said
    assert [a["data"] for a in card["actions"]] == [
        {"action": "glossary.show", "entry": "tilskuddsbrev"},
        {"action": "glossary.list", "page": 1},
        {"action": "say", "text": "hjelp"},
    ]
    plain = check_card(no_match_card("hva er kvantefysikk", []))
    assert "Jeg fant ikke «hva er kvantefysikk» i ordlisten" in "\n".join(texts_of(plain))
    assert texts.NO_MATCH_NEAREST not in texts_of(plain)


def test_a_long_question_is_cut_in_the_echo() -> None:
    card = check_card(no_match_card("ord " * 500, []))
    echoed = texts_of(card)[1]
    assert len(echoed) < MAX_QUESTION_CHARS + len(texts.NO_MATCH_TEXT) and "…" in echoed


def test_the_listing_pages_through_every_term_once() -> None:
    entries = MATCHER.entries_sorted()
    pages = -(-len(entries) // PAGE_SIZE)
    assert pages == 4  # the protocol test and the help text expect four short pages
    seen: list[str] = []
    for page in range(1, pages + 1):
        card = check_card(list_card(entries, page))
        assert f"Side {page} av {pages}" in "\n".join(texts_of(card))
        seen += [b["data"]["entry"] for b in buttons(card)
                 if b["data"]["action"] == "glossary.show"]
        moves = [a["data"] for a in card.get("actions", [])]
        assert ({"action": "glossary.list", "page": page - 1} in moves) == (page > 1)
        assert ({"action": "glossary.list", "page": page + 1} in moves) == (page < pages)
        assert len(json.dumps(card).encode()) < 20_000
    assert seen == [e.id for e in entries]
    assert list_card(entries, 99) == list_card(entries, pages)  # clamped, not an error
    assert list_card(entries, -3) == list_card(entries, 1)
    check_card(list_card([], 1))


def test_criteria_card_lists_every_criterion_and_says_how_they_are_numbered() -> None:
    card = check_card(criteria_card(CRITERIA))
    said = "\n".join(texts_of(card))
    assert said.startswith(texts.CRITERIA_TITLE)
    assert "bare kriterium 5 og 6" in said
    assert [b["data"] for b in buttons(card)] == [
        {"action": "glossary.criterion", "number": c.number} for c in CRITERIA.criteria]
    assert "5. Samiske perspektiver" in [b["title"] for b in buttons(card)]


@pytest.mark.parametrize("criterion", CRITERIA.criteria, ids=lambda c: str(c.number))
def test_every_criterion_card(criterion) -> None:
    entry = GLOSSARY.get(criterion.glossary)
    card = check_card(criterion_card(criterion, entry))
    said = texts_of(card)
    assert said[0] == f"Kriterium {criterion.number}: {criterion.title}"
    assert criterion.asks in said and criterion.show in said
    assert (texts.CRITERION_UNNUMBERED in said) == (not criterion.numbered_in_source)
    assert [a["data"] for a in card["actions"]] == [
        {"action": "glossary.show", "entry": entry.id}, {"action": "glossary.criteria"}]


def test_criterion_card_without_a_glossary_entry() -> None:
    card = check_card(criterion_card(CRITERIA.get(5), None))
    assert [a["data"] for a in card["actions"]] == [{"action": "glossary.criteria"}]


def test_what_is_changing_is_short_with_the_rest_behind_les_mer() -> None:
    entry = next(e for e in GLOSSARY.entries if e.changing and len(e.changing) > 200)
    card = check_card(answer_card(entry, []))
    [toggle] = [b for b in buttons(card) if b["type"] == "Action.ToggleVisibility"]
    hidden = [el for el in walk(card) if el.get("isVisible") is False]
    assert toggle["title"] == "Les mer" and [h["id"] for h in hidden] == toggle["targetElements"]
    shown = [el["text"] for el in walk(card) if el.get("type") == "TextBlock"
             and el.get("isVisible", True)]
    short = shown[shown.index(texts.CHANGING) + 1]
    assert len(short) <= 162 and entry.changing.startswith(short.removesuffix(" …"))
