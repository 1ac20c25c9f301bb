"""Cards of the needs report: header form, measure form, review, confirm, receipt, lists.

Every button is an Action.Execute carrying `action` (namespaced `needs.*`), the report
id and the version the card was built from, so the flow recognises a stale or repeated
press. Forms show each refusal under its field and keep what the person typed; text the
person typed is escaped wherever it is shown as text (never inside input values).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from cards.base import (
    Card,
    Element,
    action_set,
    card,
    container,
    execute,
    facts,
    heading,
    text,
)
from domain.markdown import escape_markdown
from domain.needs import forms, renaming
from domain.needs import texts as t
from domain.needs.catalog import CycleRules
from domain.needs.models import (
    EMAIL_MAX,
    NAME_MAX,
    TEXT_MAX,
    TITLE_MAX,
    NeedsReport,
    PendingMeasure,
)
from domain.needs.states import Act, Status
from domain.norsk import and_list, format_date, format_datetime, format_nok, time_left

Choice = tuple[str, str]  # (value, title)
STATUS_ACTION = "coordinator.status"  # the coordinator's status card for a network
HISTORY_ACTION = "coordinator.history"  # the changes in one of the person's own reports
ASSESS_ACTION = "network.assess"  # the network's assessment of a submitted report
CHECKLIST_ACTION = "network.checklist"  # the checklist before the compiled report is sent
NUDGE_ACTION = "network.nudge"  # who would get «Send påminnelse nå»
NUDGE_SEND_ACTION = "network.nudge.send"
RENAME_ACTION = "partnership.rename"  # the small card with the partnership's name
RENAME_SAVE_ACTION = "partnership.rename.save"
Values = dict[str, str]
Errors = dict[str, str]

measure_values = forms.measure_values  # a stored measure as form values (for edit)
header_values = forms.header_values


# --- form elements -------------------------------------------------------------------


def _value(values: Values, field: str) -> str:
    value = values.get(field, "")
    return value[:forms.TYPED_MAX] if isinstance(value, str) else ""


def _error(errors: Errors, field: str) -> list[Element]:
    message = errors.get(field)
    return [text(message, color="Attention", size="Small", spacing="None")] if message else []


def _summary(errors: Errors) -> list[Element]:
    """A line at the top when something must be fixed, and any message without a field."""
    if not errors:
        return []
    lines = [text(t.FIX_BELOW, color="Attention", weight="Bolder")]
    if "form" in errors:
        lines.append(text(errors["form"], color="Attention"))
    return lines


def _fix_here(errors: Errors) -> list[Element]:
    """Beside the button that was pressed: which fields to fix, by their labels, so nobody
    has to scroll up a long form to find out why nothing was saved."""
    named = [t.LABELS.get(field, field) for field in errors if field != "form"]
    if not named:
        return []
    return [container([text(t.FIX_FIELDS.format(fields=and_list(named)),
                            color="Attention", weight="Bolder")],
                      style="attention", separator=True, spacing="Medium")]


def _input_text(field: str, values: Values, errors: Errors, *, max_length: int,
                multiline: bool = False, required: bool = True,
                style: str | None = None, label: str | None = None) -> list[Element]:
    label = label or t.LABELS[field]
    element: Element = {"type": "Input.Text", "id": field, "label": label,
                        "value": _value(values, field), "isMultiline": multiline,
                        "maxLength": max_length}
    if field in t.HINTS:
        element["placeholder"] = t.HINTS[field]
    if style:
        element["style"] = style
    if required:
        element.update(isRequired=True, errorMessage=t.REQUIRED.format(label=label))
    return [element, *_error(errors, field)]


def _choices(field: str, options: Sequence[Choice], values: Values,
             errors: Errors, *, multi: bool = False) -> list[Element]:
    label = t.LABELS[field]
    value = _value(values, field)
    known = {val for val, _ in options}
    if multi:  # 'barnehage,ppt': keep the known ones
        value = ",".join(v for v in value.split(",") if v in known)
    elif value not in known:
        value = ""
    element: Element = {"type": "Input.ChoiceSet", "id": field, "label": label,
                        "value": value, "style": "expanded" if multi else "compact",
                        "isRequired": True,
                        "errorMessage": t.BAD_AREAS if multi else t.BAD_CHOICE.format(label=label),
                        "choices": [{"title": title, "value": val} for val, title in options]}
    if multi:
        element["isMultiSelect"] = True
    return [element, *_error(errors, field)]


def _toggle(field: str, values: Values, errors: Errors) -> list[Element]:
    value = "true" if _value(values, field).strip().lower() in ("true", "ja") else "false"
    return [{"type": "Input.Toggle", "id": field, "title": t.TOGGLES[field], "value": value,
             "valueOn": "true", "valueOff": "false"}, *_error(errors, field)]


def _date(field: str, values: Values, errors: Errors,
          rules: CycleRules | None) -> list[Element]:
    label = t.LABELS[field]
    element: Element = {"type": "Input.Date", "id": field, "label": label,
                        "value": _value(values, field), "isRequired": True,
                        "errorMessage": t.BAD_DATE.format(label=label)}
    if rules is not None:
        element.update(min=rules.start.isoformat(), max=rules.end.isoformat())
    return [element, *_error(errors, field)]


# --- header --------------------------------------------------------------------------


def header_card(*, cycle: str, schemes: Sequence[Choice], networks: Sequence[Choice],
                uh_partners: Sequence[Choice], values: Values | None = None,
                errors: Errors | None = None, report_id: str = "", version: int = 0,
                cycles: Sequence[Choice] | None = None, locked: bool = False,
                notice: str | None = None, warning: str | None = None) -> Card:
    """Who reports what: cycle, scheme, network, partnership, owners, UH, contact.

    `schemes` are (code, title) with the title saying what the scheme covers; with one
    scheme it is shown as a fact and rides along, with several it is a choice. With more
    than one entry in `cycles` the cycle is a choice; otherwise `cycle` rides along in
    the button's data. `report_id`/`version` are set when an existing report's header is
    edited (then Avbryt goes back to the review); `locked` shows scheme, network and
    partnership as facts, since a started report keeps them. `notice` is a line on top
    (such as what Dekom is called now), `warning` a reopened report's «not sent».
    """
    v, e = values or {}, errors or {}
    body: list[Element] = [heading(t.HEADER_TITLE.format(cycle=cycle))]
    if warning:
        body.append(_warning(warning))
    if notice:
        body.append(text(notice, color="Accent", weight="Bolder"))
    body += [text(t.HEADER_EDIT_INTRO if locked else t.HEADER_INTRO, subtle=True),
             *_summary(e)]
    data: dict[str, Any] = {"report_id": report_id, "version": version}
    if cycles and len(cycles) > 1 and not locked:
        body += _choices("cycle", cycles, {"cycle": cycle, **v}, e)
    else:
        data["cycle"] = cycle
        body += _error(e, "cycle")
    if locked:
        titles = {"scheme": dict(schemes), "network_id": dict(networks)}
        shown = [(t.LABELS[f], titles.get(f, {}).get(_value(v, f), _value(v, f)))
                 for f in ("scheme", "network_id")]
        shown.append((t.LABELS["partnership_name"], escape_markdown(_value(v,
                                                                          "partnership_name"))))
        body.append(facts(shown))
        for field in ("scheme", "network_id", "partnership_name"):
            body += _error(e, field)
        data.update({f: _value(v, f) for f in ("scheme", "network_id", "partnership_name")})
    else:
        if len(schemes) == 1:
            code, title = schemes[0]
            body.append(facts([(t.LABELS["scheme"], title)]))
            body += _error(e, "scheme")
            data["scheme"] = code
        else:
            body += _choices("scheme", schemes, v, e)
        body += _choices("network_id", networks, v, e)
        body += _input_text("partnership_name", v, e, max_length=NAME_MAX)
    body += _input_text("owners", v, e, max_length=TEXT_MAX)
    body += _choices("uh_partner", uh_partners, v, e)
    body += _input_text("contact_name", v, e, max_length=NAME_MAX)
    body += _input_text("contact_email", v, e, max_length=EMAIL_MAX, style="Email")
    actions = [execute(t.BUTTONS["header_save"], "needs.header.save", style="positive",
                       **data)]
    if report_id:
        actions.append(execute(t.BUTTONS["cancel"], "needs.open", report_id=report_id,
                               version=version))
    return card(body, actions)


# --- measure -------------------------------------------------------------------------


def measure_card(report: NeedsReport, *, values: Values | None = None,
                 errors: Errors | None = None, measure_id: str = "",
                 rules: CycleRules | None = None, step: int = 1,
                 pending: PendingMeasure | None = None, notice: str | None = None,
                 warning: str | None = None) -> Card:
    """One measure in two short steps, each empty for a new one, prefilled for an edit
    and refilled after a refusal.

    Step 1 (what and who) ends in «Neste», which saves it in the report (`measure_id`: the
    measure edited, or the step 1 saved before, or empty for a new one). Step 2 (money,
    period and criteria) belongs to `pending`, the saved step 1, and ends in «Lagre
    tiltaket». With `rules` the card says the allowed period and amount (as the region's
    practice), the date pickers are limited to the cycle, and the fields offered are
    those the report's scheme covers. A refusal names the fields beside the button.
    `warning` (a reopened report's «not sent») stands under the heading.
    """
    v, e = values or {}, errors or {}
    editing = pending.edit if pending is not None else bool(measure_id) and \
        report.measure(measure_id) is not None
    if editing:
        title = t.MEASURE_EDIT
    else:
        title = t.MEASURE_NEW.format(n=len(report.measures) + 1)
    body: list[Element] = [
        heading(title),
        text(f"**{t.MEASURE_STEP.format(n=step, what=t.MEASURE_STEPS[step])}** · "
             f"{report.header.scheme} · {escape_markdown(report.header.partnership_name)}",
             subtle=True, spacing="None"),
    ]
    if warning:
        body.append(_warning(warning))
    if notice:
        body.append(text(notice, color="Warning", weight="Bolder"))
    body += _summary(e)
    ids: dict[str, Any] = {"report_id": report.id, "version": report.version}
    if step == 1 or pending is None:
        body += _measure_what(report, v, e, rules)
        body += _fix_here(e)
        return card(body, [
            execute(t.BUTTONS["measure_next"], "needs.measure.next", style="positive",
                    measure_id=measure_id, **ids),
            execute(t.BUTTONS["cancel"], "needs.open", **ids),
        ])
    what = pending.what
    body.append(facts([(t.LABELS["title"], escape_markdown(what.get("title", ""))),
                       (t.FACTS["areas"], t.join_areas([a for a in what.get("areas", "")
                                                        .split(",") if a]))]))
    body.append(text(t.MEASURE_STEP2_INTRO, subtle=True, size="Small"))
    body += _measure_money(v, e, rules)
    body += _fix_here(e)
    return card(body, [
        execute(t.BUTTONS["measure_save"], "needs.measure.save", style="positive",
                measure_id=pending.id, **ids),
        execute(t.BUTTONS["measure_back"], "needs.measure.back", measure_id=pending.id, **ids),
        execute(t.BUTTONS["cancel"], "needs.open", **ids),
    ])


def _measure_what(report: NeedsReport, v: Values, e: Errors,
                  rules: CycleRules | None) -> list[Element]:
    """Step 1: what the measure is and who takes part."""
    scheme = rules.scheme_of(report.header.scheme) if rules is not None else None
    covers = scheme.covers if scheme is not None else ()
    body = [text(t.MEASURE_STEP1_INTRO, subtle=True, size="Small")]
    body += _input_text("title", v, e, max_length=TITLE_MAX)
    for field in ("need", "need_found"):
        body += _input_text(field, v, e, multiline=True, max_length=TEXT_MAX)
    offered: tuple[str, ...] = covers or tuple(t.AREAS)
    body.append(text(t.AREAS_HINT, size="Small", subtle=True))
    body += _choices("areas", [(a, t.AREAS[a]) for a in offered], v, e, multi=True)
    for field in ("staff_groups", "units", "uh_role", "inclusion"):
        body += _input_text(field, v, e, multiline=True, max_length=TEXT_MAX)
    body.append(text(t.SAMI_PROMPT, size="Small", subtle=True))
    body += _input_text("sami", v, e, multiline=True, max_length=TEXT_MAX, required=False,
                        label=t.SAMI_LABEL)
    return body


def _measure_money(v: Values, e: Errors, rules: CycleRules | None) -> list[Element]:
    """Step 2: the criteria (interdisciplinary, continued), the period and the amount."""
    body: list[Element] = []
    if rules is not None:
        start, end = format_date(rules.start), format_date(rules.end)
        said = t.MEASURE_RULES_NO_CAP.format(start=start, end=end) if rules.max_amount is None \
            else t.MEASURE_RULES.format(start=start, end=end, max=format_nok(rules.max_amount))
        body.append(text(said, size="Small", subtle=True))
    body += _toggle("interdisciplinary", v, e)
    body += _input_text("interdisciplinary_how", v, e, multiline=True, max_length=TEXT_MAX,
                        required=False)
    body += _toggle("continued", v, e)
    for field in ("period_start", "period_end"):
        body += _date(field, v, e, rules)
    body += _input_text("amount", v, e, max_length=20)
    return body


# --- review, confirm, receipt ----------------------------------------------------------


def _header_facts(report: NeedsReport, network: str, uh: str,
                  scheme_name: str | None) -> Element:
    h = report.header
    pairs = [
        (t.FACTS["partnership"], escape_markdown(h.partnership_name)),
        (t.FACTS["scheme"], f"{scheme_name} ({h.scheme})" if scheme_name else h.scheme),
        (t.FACTS["network"], network),
        (t.FACTS["owners"], escape_markdown(", ".join(h.owners))),
        (t.FACTS["uh"], uh),
        (t.FACTS["contact"], escape_markdown(f"{h.contact_name} ({h.contact_email})")),
        (t.FACTS["status"], report.status.value),
    ]
    if report.reference:
        pairs.append((t.FACTS["reference"], report.reference))
    if report.measures:
        pairs.append((t.FACTS["total"], format_nok(report.total_amount)))
    return facts(pairs)


def review_card(report: NeedsReport, *, allowed: frozenset[Act], max_measures: int,
                deadline: date | None, today: date, network: str, uh: str,
                notice: str | None = None, scheme_name: str | None = None,
                back_to_status: bool = False, rename: bool = False) -> Card:
    """The report at a glance, with a button for exactly the commands in `allowed` (from
    `domain.needs.states.allowed`; empty for a reader such as a coordinator). `notice` is
    a line on top (a refusal, 'Lagret.', a stale press). `back_to_status` gives a reader
    who came from `status` the way back to it; `rename` offers «Endre navn» (while the
    members may still rename the partnership).
    """
    h = report.header
    body: list[Element] = [heading(t.REVIEW_TITLE.format(scheme=h.scheme, cycle=h.cycle))]
    if notice:
        body.append(text(notice, color="Warning", weight="Bolder"))
    if report.status is Status.REOPENED:
        body.append(_not_sent(deadline, today))
    body.append(_header_facts(report, network, uh, scheme_name))
    body.append(text(f"**{t.USED.format(n=len(report.measures), max=max_measures)}**",
                     spacing="Medium"))
    if not report.measures:
        body.append(text(t.NO_MEASURES_YET, subtle=True, spacing="None"))
    ids: dict[str, Any] = {"report_id": report.id, "version": report.version}
    for i, measure in enumerate(report.measures, start=1):
        kind = t.CONTINUED_MEASURE if measure.continued else t.NEW_MEASURE
        row = [text(f"{i}. {escape_markdown(measure.title)}", weight="Bolder"),
               text(t.MEASURE_LINE.format(amount=format_nok(measure.amount),
                                          areas=t.join_areas(measure.areas), kind=kind),
                    size="Small", subtle=True, spacing="None")]
        buttons = [execute(t.BUTTONS[key], act.value, measure_id=measure.id, **ids)
                   for key, act in (("edit", Act.EDIT_MEASURE), ("remove", Act.REMOVE_MEASURE))
                   if act in allowed]
        if buttons:
            row.append(action_set(buttons))
        body.append(container(row, separator=True))
    for pending in report.pending:
        row = [text(f"{escape_markdown(pending.title)}", weight="Bolder"),
               text(t.MEASURE_PENDING_EDIT if pending.edit else t.MEASURE_PENDING,
                    size="Small", color="Warning", spacing="None")]
        buttons = [execute(t.BUTTONS[key], act.value, measure_id=pending.id, **ids)
                   for key, act in (("resume", Act.RESUME_MEASURE),
                                    ("discard", Act.DISCARD_MEASURE))
                   if act in allowed]
        if buttons:
            row.append(action_set(buttons))
        body.append(container(row, separator=True))
    if deadline:
        body.append(text(t.DEADLINE.format(date=format_date(deadline, weekday=True),
                                           left=time_left(deadline, today)), subtle=True))
        if Act.SUBMIT in allowed and today > deadline:
            body.append(text(t.DEADLINE_PASSED, color="Warning", size="Small"))
    actions = [execute(t.BUTTONS[key], act.value,
                       **({"style": "positive"} if act is Act.SUBMIT else {}), **ids)
               for key, act in (("add", Act.ADD_MEASURE), ("header_edit", Act.EDIT_HEADER),
                                ("save_exit", Act.SAVE_EXIT), ("submit", Act.SUBMIT),
                                ("reopen", Act.REOPEN))
               if act in allowed]
    if rename:
        actions.append(rename_button(h.network_id, h.partnership_name, report_id=report.id,
                                     version=report.version))
    if back_to_status:
        if report.submitted or report.reference:  # sent in (now or before it was reopened)
            actions.append(execute(t.BUTTONS["assess"], ASSESS_ACTION, report_id=report.id))
        actions.append(execute(t.BUTTONS["back_to_status"], STATUS_ACTION,
                               network_id=h.network_id))
    return card(body, actions)


def confirm_card(report: NeedsReport, *, late: bool = False) -> Card:
    """'Send inn behovsmeldingen for KKU, 3 tiltak?' with Send inn / Avbryt."""
    body = [heading(t.CONFIRM_TITLE),
            text(t.CONFIRM.format(scheme=report.header.scheme, n=len(report.measures))),
            text(t.CONFIRM_SUM.format(total=format_nok(report.total_amount)), subtle=True)]
    if late:
        body.append(text(t.CONFIRM_LATE, color="Warning"))
    if report.pending:
        body.append(text(t.PENDING_NOT_SENT.format(n=len(report.pending)), color="Warning"))
    ids: dict[str, Any] = {"report_id": report.id, "version": report.version}
    return card(body, [
        execute(t.BUTTONS["submit"], "needs.submit.confirm", style="positive", **ids),
        execute(t.BUTTONS["cancel"], "needs.submit.cancel", **ids),
    ])


def not_sent_text(deadline: date | None, today: date) -> str:
    """On a reopened report: its changes count only once they are sent in again."""
    if deadline is None or today <= deadline:
        return t.NOT_SENT.format(date=format_date(deadline) if deadline else "")
    return t.NOT_SENT_LATE


def _not_sent(deadline: date | None, today: date) -> Element:
    return _warning(not_sent_text(deadline, today))


def _warning(said: str) -> Element:
    return text(said, color="Attention", weight="Bolder")


def receipt_card(report: NeedsReport, *, network: str, scheme_name: str | None = None,
                 deadline: date | None = None, compiled_deadline: date | None = None,
                 today: date | None = None) -> Card:
    """Reference number, time and summary; says so when the report came in late, and
    what happens next (the network's deadline, changes until the partnerships' one)."""
    h = report.header
    submitted = format_datetime(report.submitted_at) if report.submitted_at else ""
    body = [heading(t.RECEIPT_TITLE),
            facts([(t.FACTS["reference"], report.reference or ""),
                   (t.FACTS["submitted"], submitted),
                   (t.FACTS["scheme"], f"{scheme_name} ({h.scheme})" if scheme_name
                    else h.scheme),
                   (t.FACTS["network"], network),
                   (t.FACTS["partnership"], escape_markdown(h.partnership_name)),
                   (t.FACTS["measures"], str(len(report.measures))),
                   (t.FACTS["total"], format_nok(report.total_amount))])]
    if report.late:
        body.append(text(t.RECEIPT_LATE, color="Attention"))
    body += [text(f"- {escape_markdown(m.title)}: {format_nok(m.amount)} "
                  f"({t.FACTS['areas'].lower()}: {t.join_areas(m.areas)})", spacing="Small")
             for m in report.measures]
    steps = []
    if compiled_deadline is not None:
        steps.append(t.NEXT_NETWORK.format(date=format_date(compiled_deadline)))
    if deadline is not None and (today is None or today <= deadline):
        steps.append(t.NEXT_CHANGES.format(date=format_date(deadline)))
    if steps:
        body.append(text(t.NEXT_TITLE, weight="Bolder", spacing="Medium"))
        body += [text(f"- {step}", spacing="Small") for step in [*steps, t.NEXT_WHEEL]]
    return card(body, [execute(t.BUTTONS["open_report"], "needs.open", report_id=report.id,
                               version=report.version)])


def coordinator_notice_card(report: NeedsReport, *, network: str) -> Card:
    """What the network's coordinator channel sees when a partnership submits."""
    body = [heading(t.NOTICE_TITLE, level=2),
            text(t.NOTICE.format(partnership=escape_markdown(report.header.partnership_name),
                                 scheme=report.header.scheme,
                                 late=t.NOTICE_LATE if report.late else "",
                                 n=len(report.measures), reference=report.reference or "")),
            text(f"{network} · {format_nok(report.total_amount)}", subtle=True)]
    return card(body, [execute(t.BUTTONS["open_report"], "needs.open", report_id=report.id,
                               version=report.version)])


# --- the partnership's name ------------------------------------------------------------


def rename_button(network_id: str, partnership: str, *, report_id: str = "",
                  version: int | None = None) -> Element:
    """«Endre navn»: opens `rename_card`; from a report (`report_id`) or from status."""
    return execute(renaming.BUTTON, RENAME_ACTION, network_id=network_id,
                   partnership=partnership, report_id=report_id, version=version)


def rename_card(*, network_id: str, partnership: str, network: str, typed: str | None = None,
                error: str | None = None, report_id: str = "",
                version: int | None = None) -> Card:
    """The partnership's name, prefilled, to correct and save; the rules in one line, a
    refusal under the field. Avbryt goes back to the report, or to status."""
    body: list[Element] = [
        heading(renaming.CARD_TITLE),
        text(renaming.CARD_RULES, subtle=True, size="Small"),
        facts([(renaming.CARD_NOW, escape_markdown(partnership)),
               (renaming.CARD_NETWORK, escape_markdown(network))]),
        {"type": "Input.Text", "id": "new_name", "label": renaming.LABEL,
         "value": (partnership if typed is None else typed)[:forms.TYPED_MAX],
         "maxLength": NAME_MAX, "isRequired": True,
         "errorMessage": t.REQUIRED.format(label=renaming.LABEL)},
    ]
    if error:
        body.append(text(error, color="Attention", weight="Bolder", spacing="Small"))
    data: dict[str, Any] = {"network_id": network_id, "partnership": partnership,
                            "report_id": report_id, "version": version}
    back = execute(renaming.CANCEL, "needs.open", report_id=report_id, version=version) \
        if report_id else execute(renaming.CANCEL, STATUS_ACTION, network_id=network_id)
    return card(body, [execute(renaming.SAVE, RENAME_SAVE_ACTION, style="positive", **data),
                       back])


def renamed_card(said: str, *, network_id: str, report_id: str = "") -> Card:
    """What the rename did, with the way back (the report, or status)."""
    back = execute(renaming.OPEN, "needs.open", report_id=report_id) if report_id \
        else execute(renaming.BACK, STATUS_ACTION, network_id=network_id)
    return card([heading(renaming.CARD_TITLE), text(said, color="Good")], [back])


# --- lists ---------------------------------------------------------------------------


def _report_row(report: NeedsReport, network: str, changed: datetime | None,
                button: Element) -> Element:
    line = t.LIST_LINE.format(status=report.status.value, n=len(report.measures))
    if report.reference:
        line += t.LIST_REFERENCE.format(reference=report.reference)
    if report.status is Status.REOPENED:
        line += t.LIST_NOT_SENT
    if changed:
        line += t.LIST_CHANGED.format(when=format_datetime(changed))
    return container([
        text(f"**{report.header.scheme} {report.header.cycle}** · "
             f"{escape_markdown(report.header.partnership_name)} ({network})"),
        text(line, size="Small", subtle=True, spacing="None"),
        action_set([button]),
    ], separator=True)


def continue_card(reports: Sequence[tuple[NeedsReport, str]], *,
                  updated: dict[str, datetime] | None = None) -> Card:
    """Offered on 'meld behov' when the person's partnership already has reports in the
    cycle: a draft to go on with, or a submitted one to open (and reopen, where the
    deadline allows); a new report only after those, for another scheme."""
    changed = updated or {}
    sent = any(not report.editable for report, _ in reports)
    body: list[Element] = [heading(t.CONTINUE_TITLE),
                           text(t.CONTINUE_SENT_INTRO if sent else t.CONTINUE_INTRO)]
    body += [_report_row(report, network, changed.get(report.id),
                         execute(t.BUTTONS["continue" if report.editable else "open"],
                                 "needs.open", report_id=report.id, version=report.version))
             for report, network in reports]
    body.append(text(t.CONTINUE_NEW, subtle=True, size="Small", spacing="Medium"))
    return card(body, [execute(t.BUTTONS["start_new"], "needs.start", new=True)])


def reports_card(rows: Sequence[tuple[NeedsReport, str]], *,
                 updated: dict[str, datetime], history: bool = False) -> Card:
    """`mine behovsmeldinger`: each report with its status and an Åpne button; with
    `history` (`historikk` with no reference, for reports that have one), a button that
    shows the report's changes instead."""
    body: list[Element] = [heading(t.HISTORY_LIST_TITLE if history else t.LIST_TITLE)]
    if not rows:
        body.append(text(t.LIST_EMPTY))
    body += [_report_row(report, network, updated.get(report.id),
                         execute(t.BUTTONS["history"], HISTORY_ACTION,
                                 reference=report.reference or "") if history else
                         execute(t.BUTTONS["open"], "needs.open", report_id=report.id,
                                 version=report.version))
             for report, network in rows]
    return card(body)
