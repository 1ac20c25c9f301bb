"""Check a card against the Adaptive Cards 1.5 element set that Teams renders.

No JSON Schema for Adaptive Cards ships offline, so this encodes the parts of the 1.5
schema the bot relies on: known element and action types, required properties, unique
input ids, object-valued submit data and the size Teams accepts. Tests call it for
every card the bot sends.
"""

from __future__ import annotations

import json
from typing import Any

ELEMENTS = {
    "TextBlock": {"text"},
    "RichTextBlock": {"inlines"},
    "Image": {"url"},
    "ImageSet": {"images"},
    "Container": {"items"},
    "ColumnSet": set(),
    "FactSet": {"facts"},
    "ActionSet": {"actions"},
    "Table": set(),
    "Input.Text": {"id"},
    "Input.Number": {"id"},
    "Input.Date": {"id"},
    "Input.Time": {"id"},
    "Input.Toggle": {"id", "title"},
    "Input.ChoiceSet": {"id", "choices"},
}
ACTIONS = {
    "Action.Submit": set(),
    "Action.Execute": set(),
    "Action.OpenUrl": {"url"},
    "Action.ShowCard": {"card"},
    "Action.ToggleVisibility": {"targetElements"},
}
MAX_BYTES = 80_000  # Teams takes about 100 KB per message; keep a margin


class CardError(AssertionError):
    """The card would not render as intended in Teams."""


def check_card(card: dict[str, Any]) -> dict[str, Any]:
    """Raise CardError listing every problem; return the card for chaining."""
    problems: list[str] = []
    ids: set[str] = set()
    if card.get("type") != "AdaptiveCard":
        problems.append("type er ikke AdaptiveCard")
    if card.get("version") != "1.5":
        problems.append(f"version er {card.get('version')!r}, ikke '1.5'")
    if not isinstance(card.get("body"), list):
        problems.append("body mangler")
    _elements(card.get("body") or [], "body", problems, ids)
    _actions(card.get("actions") or [], "actions", problems, ids)
    size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
    if size > MAX_BYTES:
        problems.append(f"kortet er {size} byte (grense {MAX_BYTES})")
    if problems:
        raise CardError("; ".join(problems))
    return card


def _elements(items: Any, path: str, problems: list[str], ids: set[str]) -> None:
    if not isinstance(items, list):
        problems.append(f"{path} er ikke en liste")
        return
    for i, el in enumerate(items):
        where = f"{path}[{i}]"
        if not isinstance(el, dict):
            problems.append(f"{where} er ikke et objekt")
            continue
        kind = el.get("type")
        if kind not in ELEMENTS:
            problems.append(f"{where}: ukjent elementtype {kind!r}")
            continue
        missing = ELEMENTS[kind] - el.keys()
        if missing:
            problems.append(f"{where} ({kind}) mangler {sorted(missing)}")
        if kind == "TextBlock" and not (isinstance(el.get("text"), str) and el["text"]):
            problems.append(f"{where}: TextBlock uten tekst")
        if kind.startswith("Input."):
            _input(el, where, problems, ids)
        if kind == "Container":
            _elements(el.get("items"), f"{where}.items", problems, ids)
            if "selectAction" in el:
                _actions([el["selectAction"]], f"{where}.selectAction", problems, ids)
        elif kind == "ColumnSet":
            for j, col in enumerate(el.get("columns") or []):
                if not isinstance(col, dict) or col.get("type") != "Column":
                    problems.append(f"{where}.columns[{j}] er ikke en Column")
                    continue
                _elements(col.get("items") or [], f"{where}.columns[{j}].items", problems, ids)
        elif kind == "ActionSet":
            _actions(el.get("actions"), f"{where}.actions", problems, ids)
        elif kind == "FactSet":
            for j, fact in enumerate(el.get("facts") or []):
                if not (isinstance(fact, dict) and isinstance(fact.get("title"), str)
                        and isinstance(fact.get("value"), str)):
                    problems.append(f"{where}.facts[{j}] må ha title og value som tekst")
        elif kind == "Table":
            for j, row in enumerate(el.get("rows") or []):
                for k, cell in enumerate(row.get("cells") or []):
                    _elements(cell.get("items") or [], f"{where}.rows[{j}].cells[{k}]",
                              problems, ids)


def _input(el: dict[str, Any], where: str, problems: list[str], ids: set[str]) -> None:
    input_id = el.get("id")
    if not isinstance(input_id, str) or not input_id:
        problems.append(f"{where}: input uten id")
    elif input_id in ids:
        problems.append(f"{where}: id {input_id!r} er brukt før")
    else:
        ids.add(input_id)
    if el.get("isRequired") and not el.get("errorMessage"):
        problems.append(f"{where}: isRequired uten errorMessage")
    if el.get("type") == "Input.ChoiceSet":
        for j, choice in enumerate(el.get("choices") or []):
            if not (isinstance(choice, dict) and isinstance(choice.get("title"), str)
                    and isinstance(choice.get("value"), str)):
                problems.append(f"{where}.choices[{j}] må ha title og value som tekst")


def _actions(items: Any, path: str, problems: list[str], ids: set[str]) -> None:
    if not isinstance(items, list):
        problems.append(f"{path} er ikke en liste")
        return
    for i, act in enumerate(items):
        where = f"{path}[{i}]"
        if not isinstance(act, dict):
            problems.append(f"{where} er ikke et objekt")
            continue
        kind = act.get("type")
        if kind not in ACTIONS:
            problems.append(f"{where}: ukjent handlingstype {kind!r}")
            continue
        missing = ACTIONS[kind] - act.keys()
        if missing:
            problems.append(f"{where} ({kind}) mangler {sorted(missing)}")
        if not isinstance(act.get("title"), str) or not act["title"]:
            problems.append(f"{where}: handling uten tittel")
        if kind in ("Action.Submit", "Action.Execute"):
            data = act.get("data")
            if not isinstance(data, dict) or not isinstance(data.get("action"), str):
                problems.append(f"{where}: data må være et objekt med 'action'")
            if kind == "Action.Execute" and not act.get("verb"):
                problems.append(f"{where}: Action.Execute uten verb")
        if kind == "Action.ShowCard":
            sub = act.get("card") or {}
            _elements(sub.get("body") or [], f"{where}.card.body", problems, ids)
            _actions(sub.get("actions") or [], f"{where}.card.actions", problems, ids)
