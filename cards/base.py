"""The building blocks every Kompis card is made of (Adaptive Cards 1.5, as Teams renders).

Actions carry their intent as data: `{"action": name, ...}`. Buttons that change a form's
state use Action.Execute (Teams' Universal Actions: the bot answers with the card that
replaces the pressed one); buttons that ask a new question use Action.Submit (the answer
arrives as a new message). Both reach the same handler with the same data.
"""

from __future__ import annotations

import re
from typing import Any

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

Card = dict[str, Any]
Element = dict[str, Any]

_LIST_START = re.compile(r"^(\d+)\.(?=\s)")


def no_list_start(value: str) -> str:
    """'2. desember 2026' as text, not as item 2 of a list (Teams' markdown would indent it)."""
    if not value[:1].isdigit():  # every \d is a digit: most text starts with none
        return value
    return _LIST_START.sub(r"\1\\.", value)


def card(body: list[Element], actions: list[Element] | None = None, **extra: Any) -> Card:
    """An Adaptive Card envelope; `extra` takes top-level properties such as `refresh`."""
    result: Card = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    if actions:
        result["actions"] = actions
    result.update(extra)
    return result


def text(
    value: str,
    *,
    size: str | None = None,
    weight: str | None = None,
    color: str | None = None,
    subtle: bool = False,
    wrap: bool = True,
    spacing: str | None = None,
    **extra: Any,
) -> Element:
    """A TextBlock that wraps by default (Teams truncates unwrapped text)."""
    block: Element = {"type": "TextBlock", "text": no_list_start(value), "wrap": wrap}
    if size:
        block["size"] = size
    if weight:
        block["weight"] = weight
    if color:
        block["color"] = color
    if subtle:
        block["isSubtle"] = True
    if spacing:
        block["spacing"] = spacing
    block.update(extra)
    return block


def heading(value: str, *, level: int = 1) -> Element:
    """A card title (level 1) or section heading (level 2), marked as a heading for readers."""
    return text(
        value,
        size="Large" if level == 1 else "Medium",
        weight="Bolder",
        style="heading",
    )


def facts(pairs: list[tuple[str, str]]) -> Element:
    """A FactSet of (label, value) pairs, e.g. the header of a needs report."""
    return {"type": "FactSet",
            "facts": [{"title": k, "value": no_list_start(v)} for k, v in pairs]}


def container(items: list[Element], **extra: Any) -> Element:
    """A Container grouping elements, e.g. to separate or style a section."""
    return {"type": "Container", "items": items, **extra}


def action_set(actions: list[Element]) -> Element:
    """Buttons placed inside the body (e.g. edit/remove beside a measure)."""
    return {"type": "ActionSet", "actions": actions}


def submit(title: str, action: str, /, **data: Any) -> Element:
    """A button that sends `{"action": action, **data}` as a new message (Action.Submit)."""
    return {"type": "Action.Submit", "title": title, "data": {"action": action, **data}}


def execute(title: str, action: str, /, *, style: str | None = None, **data: Any) -> Element:
    """A button whose answer replaces the card it sits on (Action.Execute, Universal Actions)."""
    result: Element = {
        "type": "Action.Execute",
        "title": title,
        "verb": action,
        "data": {"action": action, **data},
    }
    if style:
        result["style"] = style
    return result


def open_url(title: str, url: str) -> Element:
    """A button that opens a link (e.g. the calendar feed or a download)."""
    return {"type": "Action.OpenUrl", "title": title, "url": url}


SHORT_CHARS = 160  # what a «Les mer» block shows before the button


def read_more(title: str, full: str, key: str, *, more: str = "Les mer") -> Element:
    """A titled note kept short: its first sentence (at most SHORT_CHARS), and the rest
    behind «Les mer» (Action.ToggleVisibility). `key` must be unique within the card."""
    cut = full.find(". ") + 1
    short = full[:cut] if 0 < cut <= SHORT_CHARS else ""
    if not short:
        room = full[:SHORT_CHARS]
        short = (room[:room.rfind(" ")] if " " in room else room) + " …" \
            if len(full) > SHORT_CHARS else full
    items: list[Element] = [text(title, weight="Bolder", color="Warning"),
                            text(short, size="Small", spacing="None")]
    rest = full[len(short.removesuffix(" …")):].strip()
    if rest:
        items.append({**text(rest, size="Small", spacing="None"), "id": key,
                      "isVisible": False})
        items.append(action_set([{"type": "Action.ToggleVisibility", "title": more,
                                  "targetElements": [key]}]))
    return container(items, style="emphasis", separator=True)
