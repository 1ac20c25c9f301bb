"""Reading cards in tests: every node of a card, and its Action.Execute buttons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk(node: Any) -> Iterator[dict]:
    """Every object in a card, depth first (elements, actions, facts, columns)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def executes(card: dict) -> list[dict]:
    """The card's Action.Execute buttons, in order."""
    return [node for node in walk(card) if node.get("type") == "Action.Execute"]


def shown_texts(card: dict) -> list[str]:
    """What a person reads: every TextBlock text and fact value."""
    found: list[str] = []
    for node in walk(card):
        if node.get("type") == "TextBlock":
            found.append(node["text"])
        elif node.get("type") == "FactSet":
            found += [fact["value"] for fact in node["facts"]]
    return found


def card_texts(card: dict) -> str:
    """Every TextBlock's text in a card, joined, for assertions on what a person reads."""
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
    return "\n".join(found)
