"""Card input to a Measure: every field checked, every problem named, nothing raised.

Adaptive Card inputs arrive as strings (or not at all, or as anything a crafted press
sends). The result is either a valid Measure or a dict of field -> Norwegian message,
so the card can show each message next to its field and keep what the person typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.needs import texts
from domain.needs.catalog import CycleRules
from domain.needs.models import Measure
from domain.norsk import format_date

TEXT_FIELDS = {  # field -> max length
    "title": 120, "need": 2000, "need_found": 2000, "staff_groups": 2000, "units": 2000,
    "uh_role": 2000, "inclusion": 2000, "sami": 2000,
}
TARGETS = ("barnehage", "skole", "begge")
_AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f.]|kr\.?|,-|nok", re.IGNORECASE)


def _text(raw: Mapping[str, Any], field: str) -> str:
    value = raw.get(field)
    return value.strip() if isinstance(value, str) else ""


def _flag(raw: Mapping[str, Any], field: str) -> bool | None:
    value = raw.get(field)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "ja", "nei"):
        return value.strip().lower() in ("true", "ja")
    return None


def parse_amount(value: Any) -> int | None:
    """'250 000', '250000 kr', '250.000,-' -> 250000; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or len(value) > 40:
        return None
    digits = _AMOUNT_NOISE.sub("", value)
    return int(digits) if digits.isdigit() else None


def _date(raw: Mapping[str, Any], field: str) -> date | None:
    value = raw.get(field)
    if not isinstance(value, str) or len(value) > 20:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_measure(raw: Mapping[str, Any], rules: CycleRules) -> Measure | dict[str, str]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, limit in TEXT_FIELDS.items():
        text = _text(raw, field)
        label = texts.LABELS[field]
        if not text:
            errors[field] = texts.REQUIRED.format(label=label)
        elif len(text) > limit:
            errors[field] = texts.TOO_LONG.format(label=label, n=len(text), limit=limit)
        values[field] = text
    target = _text(raw, "target_group")
    if target not in TARGETS:
        errors["target_group"] = texts.BAD_CHOICE.format(label=texts.LABELS["target_group"])
    for field in ("interdisciplinary", "continued"):
        flag = _flag(raw, field)
        values[field] = bool(flag)
        if flag is None and raw.get(field) not in (None, ""):
            errors[field] = texts.BAD_CHOICE.format(label=texts.LABELS[field])
    how = _text(raw, "interdisciplinary_how")
    if values["interdisciplinary"] and not how:
        errors["interdisciplinary_how"] = texts.HOW_REQUIRED
    elif len(how) > 2000:
        errors["interdisciplinary_how"] = texts.TOO_LONG.format(
            label=texts.LABELS["interdisciplinary_how"], n=len(how), limit=2000)
    start, end = _date(raw, "period_start"), _date(raw, "period_end")
    for field, value in (("period_start", start), ("period_end", end)):
        if value is None:
            errors[field] = texts.BAD_DATE.format(label=texts.LABELS[field])
    if start and end:
        if end < start:
            errors["period_end"] = texts.END_BEFORE_START
        elif start < rules.start or end > rules.end:
            errors["period_start"] = texts.OUTSIDE_CYCLE.format(
                start=format_date(rules.start), end=format_date(rules.end))
    amount = parse_amount(raw.get("amount"))
    if amount is None:
        errors["amount"] = texts.BAD_AMOUNT
    elif not 1 <= amount <= rules.max_amount:
        errors["amount"] = texts.AMOUNT_RANGE.format(
            max=f"{rules.max_amount:,}".replace(",", " "))
    if errors:
        return errors
    return Measure(target_group=target, interdisciplinary_how=how, period_start=start,
                   period_end=end, amount=amount, **values)
