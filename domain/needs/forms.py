"""Card input to a Header or a Measure: every field checked, every problem named.

Adaptive Card inputs arrive as strings (or not at all, or as anything a crafted press
sends). The result is either a valid model or a dict of field -> Norwegian message, so
the card can show each message next to its field and keep what the person typed.
Nothing here raises on bad input: wrong types, megabyte strings and missing keys all
become messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from domain.needs import texts
from domain.needs.catalog import AREAS, CycleRules, NeedsCatalog, Scheme, in_order
from domain.needs.models import (
    EMAIL,
    EMAIL_MAX,
    NAME_MAX,
    OWNERS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Header,
    Measure,
    amount_problem,
    group_thousands,
    period_problems,
)

Errors = dict[str, str]

HEADER_FIELDS = ("cycle", "scheme", "network_id", "partnership_name", "owners",
                 "uh_partner", "contact_name", "contact_email")
TEXT_FIELDS = {  # required measure field -> max length
    "title": TITLE_MAX, "need": TEXT_MAX, "need_found": TEXT_MAX, "staff_groups": TEXT_MAX,
    "units": TEXT_MAX, "uh_role": TEXT_MAX, "inclusion": TEXT_MAX,
}
OPTIONAL_TEXT = {"sami": TEXT_MAX}  # encouraged by samarbeidsforum (seed 003), not required
# The measure form in two steps: what and who, then money, period and criteria.
WHAT_FIELDS = (*TEXT_FIELDS, "areas", *OPTIONAL_TEXT)
MONEY_FIELDS = ("interdisciplinary", "interdisciplinary_how", "continued", "period_start",
                "period_end", "amount")
MEASURE_FIELDS = (*WHAT_FIELDS, *MONEY_FIELDS)
LEGACY_TARGETS = {"begge": ("barnehage", "skole")}  # what an older card's choice sent
TYPED_MAX = 2 * TEXT_MAX  # how much of one typed value a re-shown form keeps

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_AMOUNT_WORDS = re.compile(r"^(?:kr\.?|nok)|(?:kr\.?|nok|,-|\.-)$")
_AMOUNT = re.compile(r"([0-9]+(?:[.,][0-9]{3})*)(?:[.,]00?)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPLIT = re.compile(r"[,;\n]")


# --- single values -------------------------------------------------------------------


def clean_text(value: Any) -> str:
    """A typed string as stored: NFC, no control characters, line ends as \\n, trimmed.

    Anything that is not a string counts as empty (a crafted press, a missing key).
    """
    if not isinstance(value, str):
        return ""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", value).strip()


def parse_amount(value: Any) -> int | None:
    """'250 000', '250000 kr', 'kr 250.000,-', '250 000,00' -> 250000; otherwise None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else None
    if not isinstance(value, str) or len(value) > 40:
        return None
    squeezed = "".join(value.split()).lower()  # every kind of space, also NBSP and thin
    bare = _AMOUNT_WORDS.sub("", _AMOUNT_WORDS.sub("", squeezed))  # 'kr…' and '…kr,-'
    match = _AMOUNT.fullmatch(bare)
    return int(re.sub(r"[.,]", "", match.group(1))) if match else None


def parse_date(value: Any) -> date | None:
    """'2027-01-04' (what Input.Date sends) -> a date; anything else None."""
    if not isinstance(value, str) or len(value) > 20:
        return None
    value = value.strip()
    if not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_flag(value: Any) -> bool | None:
    """A toggle: 'true'/'false' (also ja/nei and real booleans); None when unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "ja", "nei"):
        return value.strip().lower() in ("true", "ja")
    return None


def parse_list(value: Any, *, limit: int = 200) -> tuple[str, ...]:
    """A multi-select or a comma list: 'a,b' or ['a', 'b'] -> ('a', 'b'), no repeats.

    Reads at most limit + 1 items, so a huge paste cannot make a huge tuple but a list
    that is too long can still be told apart from one that fits.
    """
    if isinstance(value, str):
        parts: list[Any] = _SPLIT.split(value, maxsplit=limit + 1)[:limit + 1]
    elif isinstance(value, list | tuple):
        parts = list(value[:limit + 1])
    else:
        return ()
    seen: dict[str, str] = {}
    for part in parts:
        item = clean_text(part)
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return tuple(seen.values())


def _text(raw: Mapping[str, Any], field: str, limit: int, errors: Errors, *,
          minimum: int = 1) -> str:
    value = clean_text(raw.get(field))
    label = texts.LABELS[field]
    if not value:
        errors[field] = texts.REQUIRED.format(label=label)
    elif len(value) > limit:
        errors[field] = texts.TOO_LONG.format(label=label, n=len(value), limit=limit)
    elif len(value) < minimum:
        errors[field] = texts.TOO_SHORT.format(label=label, limit=minimum)
    return value


def _mapping(raw: Any) -> Mapping[str, Any]:
    return raw if isinstance(raw, Mapping) else {}


def _from_validation(exc: ValidationError, errors: Errors) -> None:
    """A rule the form checks missed but the model caught: name the field anyway."""
    for err in exc.errors():
        loc = err.get("loc") or ()
        field = str(loc[0]) if loc and str(loc[0]) in texts.LABELS else "form"
        label = texts.LABELS.get(field)
        errors.setdefault(field, texts.BAD_VALUE.format(label=label) if label
                          else texts.BAD_FORM)


# --- header --------------------------------------------------------------------------


def parse_header(raw: Any, catalog: NeedsCatalog, *, cycle: str | None = None,
                 require_open: bool = True) -> Header | Errors:
    """The header card's inputs -> a Header, or field -> message.

    `cycle` is used when the card had no cycle input (one open cycle); `require_open`
    refuses cycles that no longer take new reports (off when editing an old report).
    """
    raw, errors = _mapping(raw), {}
    cycle_id = clean_text(raw.get("cycle")) or (cycle or "")
    rules = catalog.cycle(cycle_id)
    if rules is None:
        errors["cycle"] = texts.UNKNOWN_CYCLE
    elif require_open and not rules.accepts_reports:
        errors["cycle"] = texts.CLOSED_CYCLE.format(cycle=rules.id)
    scheme = clean_text(raw.get("scheme"))
    if rules is not None and rules.scheme(scheme) is None:
        errors["scheme"] = texts.UNKNOWN_SCHEME.format(cycle=rules.id)
    network_id = clean_text(raw.get("network_id"))
    if catalog.network(network_id) is None:
        errors["network_id"] = texts.UNKNOWN_NETWORK
    uh_id = clean_text(raw.get("uh_partner"))
    if catalog.uh(uh_id) is None:
        errors["uh_partner"] = texts.UNKNOWN_UH
    name = _text(raw, "partnership_name", NAME_MAX, errors, minimum=2)
    typed_owners = raw.get("owners")
    owners = parse_list(typed_owners, limit=OWNERS_MAX)
    if isinstance(typed_owners, str) and len(typed_owners) > TEXT_MAX:
        errors["owners"] = texts.TOO_LONG.format(label=texts.LABELS["owners"],
                                                 n=len(typed_owners), limit=TEXT_MAX)
    elif not owners:
        errors["owners"] = texts.REQUIRED.format(label=texts.LABELS["owners"])
    elif len(owners) > OWNERS_MAX:
        errors["owners"] = texts.TOO_MANY_OWNERS.format(max=OWNERS_MAX)
    elif any(len(o) > NAME_MAX for o in owners):
        errors["owners"] = texts.OWNER_TOO_LONG.format(limit=NAME_MAX)
    contact = _text(raw, "contact_name", NAME_MAX, errors, minimum=2)
    email = clean_text(raw.get("contact_email"))
    if not email:
        errors["contact_email"] = texts.REQUIRED.format(label=texts.LABELS["contact_email"])
    elif len(email) > EMAIL_MAX or not EMAIL.fullmatch(email):
        errors["contact_email"] = texts.BAD_EMAIL
    if errors:
        return errors
    try:
        return Header(cycle=cycle_id, scheme=scheme, network_id=network_id,
                      partnership_name=name, owners=owners, uh_partner=uh_id,
                      contact_name=contact, contact_email=email)
    except ValidationError as exc:
        _from_validation(exc, errors)
        return errors


def header_values(header: Header) -> dict[str, str]:
    """A stored header as the strings the header form shows."""
    values = header.model_dump()
    values["owners"] = ", ".join(header.owners)
    return {k: str(v) for k, v in values.items()}


# --- measure -------------------------------------------------------------------------


def parse_areas(value: Any, scheme: Scheme | None = None) -> tuple[str, ...] | str:
    """The multi-select of fields ('barnehage,ppt') -> the areas in order, or a message:
    at least one, only known ones, and only those the scheme covers."""
    picked = parse_list(value, limit=len(AREAS) + 1)
    if isinstance(value, str) and value.strip() in LEGACY_TARGETS:
        picked = LEGACY_TARGETS[value.strip()]
    label = texts.LABELS["areas"]
    if not picked or any(p not in AREAS for p in picked):
        return texts.BAD_AREAS.format(label=label)
    if scheme is not None and not set(picked) <= set(scheme.covers):
        return texts.AREAS_NOT_COVERED.format(
            code=scheme.code, covers=texts.join_areas(scheme.covers))
    return in_order(picked)


def _what(raw: Mapping[str, Any], scheme: Scheme | None, errors: Errors) -> dict[str, Any]:
    """The first step's fields (what and who), cleaned; problems go into `errors`."""
    values: dict[str, Any] = {f: _text(raw, f, limit, errors) for f, limit in TEXT_FIELDS.items()}
    for field, limit in OPTIONAL_TEXT.items():
        values[field] = clean_text(raw.get(field))
        if len(values[field]) > limit:
            errors[field] = texts.TOO_LONG.format(label=texts.LABELS[field],
                                                  n=len(values[field]), limit=limit)
    areas = parse_areas(raw.get("areas", raw.get("target_group")), scheme)
    if isinstance(areas, str):
        errors["areas"] = areas
    values["areas"] = areas
    return values


def parse_measure_what(raw: Any, scheme: Scheme | None = None) -> tuple[dict[str, str], Errors]:
    """Step 1 of the measure form (title, need, fields, who takes part …) -> (the values
    as the form holds them: cleaned strings, the areas as 'barnehage,ppt'; field ->
    message, empty when all is well). Step 2 is checked with these by `parse_measure`."""
    errors: Errors = {}
    values = _what(_mapping(raw), scheme, errors)
    areas = values["areas"]
    values["areas"] = ",".join(areas) if isinstance(areas, tuple) else ""
    return values, errors


def parse_measure(raw: Any, rules: CycleRules, scheme: Scheme | None = None) -> Measure | Errors:
    """The measure card's inputs -> a Measure (with a new id), or field -> message.

    With `scheme`, the fields the measure covers must be among those the scheme covers.
    """
    raw = _mapping(raw)
    errors: Errors = {}
    values: dict[str, Any] = _what(raw, scheme, errors)
    areas = values.pop("areas")
    for field in ("interdisciplinary", "continued"):
        flag = parse_flag(raw.get(field))
        values[field] = bool(flag)
        if flag is None and raw.get(field) not in (None, ""):
            errors[field] = texts.BAD_CHOICE.format(label=texts.LABELS[field])
    how = clean_text(raw.get("interdisciplinary_how"))
    if values["interdisciplinary"] and not how:
        errors["interdisciplinary_how"] = texts.HOW_REQUIRED
    elif len(how) > TEXT_MAX:
        errors["interdisciplinary_how"] = texts.TOO_LONG.format(
            label=texts.LABELS["interdisciplinary_how"], n=len(how), limit=TEXT_MAX)
    start, end = parse_date(raw.get("period_start")), parse_date(raw.get("period_end"))
    for field, value in (("period_start", start), ("period_end", end)):
        if value is None:
            errors[field] = texts.BAD_DATE.format(label=texts.LABELS[field])
    if start and end:
        errors.update(period_problems(start, end, rules))
    amount = parse_amount(raw.get("amount"))
    if amount is None or amount < 1:
        errors["amount"] = texts.BAD_AMOUNT
    else:
        problem = amount_problem(amount, rules)
        if problem:
            errors["amount"] = problem
    if errors:
        return errors
    try:
        return Measure(areas=areas, interdisciplinary_how=how, period_start=start,
                       period_end=end, amount=amount, **values)
    except ValidationError as exc:
        _from_validation(exc, errors)
        return errors


def measure_values(measure: Measure) -> dict[str, str]:
    """A stored measure as the strings the measure form shows (toggles 'true'/'false')."""
    values = measure.model_dump(mode="json")
    for field in ("interdisciplinary", "continued"):
        values[field] = "true" if getattr(measure, field) else "false"
    values["amount"] = group_thousands(measure.amount)  # as it was typed: 300 000
    values["areas"] = ",".join(measure.areas)  # what the multi-select holds
    return {k: str(v) for k, v in values.items()}


def typed_values(raw: Any, fields: tuple[str, ...] = MEASURE_FIELDS) -> dict[str, str]:
    """What the person typed, as strings a re-shown form can hold (bounded, no control
    characters), so a refusal never throws their text away."""
    raw, kept = _mapping(raw), {}
    for field in fields:
        value = raw.get(field)
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int | float):
            value = str(value)
        elif isinstance(value, list | tuple):
            value = ",".join(v for v in value[:OWNERS_MAX] if isinstance(v, str))
        if isinstance(value, str):
            kept[field] = _CONTROL.sub("", value[:TYPED_MAX])
    return kept


def contact_values(name: str | None, *addresses: str | None) -> dict[str, str]:
    """The header form's contact from what Teams knows: the name, and the first of the
    addresses (e-mail, then UPN) that is an e-mail address."""
    email = next((a for a in addresses if a and EMAIL.match(a)), "")
    return {k: v for k, v in (("contact_name", name or ""), ("contact_email", email)) if v}
