"""The minimum an inbound activity must carry before anything reads or stores it."""

from __future__ import annotations

import re
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError


class _Conversation(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=512)


class _Account(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=512)


class Envelope(BaseModel):
    """Type, conversation and serviceUrl are what a reply needs; without them, a 400."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    type: str = Field(min_length=1, max_length=64)
    conversation: _Conversation
    service_url: HttpUrl = Field(alias="serviceUrl")
    from_: _Account | None = Field(None, alias="from")
    recipient: _Account | None = None
    text: str | None = None
    name: str | None = None


MAX_DEPTH = 64  # Teams activities nest a few levels; card data a few more


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """True when JSON nests deeper than `limit` (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return False


def problems(body: object, raw: str | None = None) -> str | None:
    """None when the body is a usable activity; otherwise a short reason (no input echoed).
    `raw`: the JSON text the body was read from. Every object and array in the body has
    its own bracket there, so text with fewer than MAX_DEPTH of them nests no deeper, and
    the walk is left out."""
    if not isinstance(body, dict):
        return "body must be a JSON object (an activity)"
    shallow = raw is not None and raw.count("{") + raw.count("[") < MAX_DEPTH
    if not shallow and too_deep(body):
        return f"activity nests deeper than {MAX_DEPTH} levels"
    try:
        Envelope.model_validate(body)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
        return "invalid activity: " + ", ".join(fields)
    return None


# json.loads turns a valid escaped pair into one character, so any surrogate left is lone
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# where a surrogate can come from in JSON text: an escape (`\ud800`), or the text itself
# (a charset such as UTF-7 decodes to one)
_SURROGATE_SOURCE = re.compile("[\ud800-\udfff]|" + r"\\u[dD][89a-fA-F]")


def without_lone_surrogates(value: object) -> object:
    """The body with every lone surrogate (`"\\ud800"` in JSON) replaced by U+FFFD: such
    a string cannot be encoded as UTF-8, so storing or sending it would fail. Call after
    `problems` (which bounds the nesting)."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {without_lone_surrogates(k): without_lone_surrogates(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(v) for v in value]
    return value


def clean(activity: dict[str, Any], raw: str | None = None) -> dict[str, Any]:
    """`without_lone_surrogates` for a checked activity (a JSON object); given the `raw`
    JSON text it was read from, only when that text holds a surrogate or its escape."""
    if raw is not None and not _SURROGATE_SOURCE.search(raw):
        return activity
    return cast(dict[str, Any], without_lone_surrogates(activity))
