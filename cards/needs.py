"""Cards of the needs report: header form, measure form, review, confirm, receipt, lists.

Every form button is an Action.Execute carrying the report id and the version the card
was built from, so a stale or repeated press is recognised by the flow.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cards.base import (
    Card,
    action_set,
    card,
    container,
    escape_markdown,
    execute,
    facts,
    heading,
    text,
)
from domain.needs import texts as t
from domain.needs.models import Header, Measure, NeedsReport, Status
from domain.norsk import days_until, format_date, format_datetime, format_nok

Choice = tuple[str, str]  # (value, title)


def _error(errors: dict[str, str], field: str) -> list[dict]:
    message = errors.get(field)
    return [text(message, color="Attention", size="Small", spacing="None")] if message else []


def _input_text(field: str, label: str, value: str, errors: dict[str, str], *,
                multiline: bool = False, max_length: int = 2000,
                required: bool = True) -> list[dict]:
    element: dict[str, Any] = {"type": "Input.Text", "id": field, "label": label,
                               "value": value, "isMultiline": multiline,
                               "maxLength": max_length}
    if required:
        element.update(isRequired=True, errorMessage=t.REQUIRED.format(label=label))
    return [element, *_error(errors, field)]


def _choices(field: str, label: str, options: list[Choice], value: str,
             errors: dict[str, str]) -> list[dict]:
    element = {"type": "Input.ChoiceSet", "id": field, "label": label, "value": value,
               "style": "compact", "isRequired": True,
               "errorMessage": t.BAD_CHOICE.format(label=label),
               "choices": [{"title": title, "value": val} for val, title in options]}
    return [element, *_error(errors, field)]


def header_card(*, cycle: str, schemes: list[Choice], networks: list[Choice],
                uh_partners: list[Choice], values: dict[str, str] | None = None,
                errors: dict[str, str] | None = None, report_id: str = "",
                version: int = 0) -> Card:
    v, e = values or {}, errors or {}
    body = [heading(f"Behovsmelding {cycle}"),
            text("Først litt om partnerskapet. Du kan endre alt senere.", subtle=True)]
    body += _choices("scheme", "Ordning", schemes, v.get("scheme", ""), e)
    body += _choices("network_id", "Kompetansenettverk", networks, v.get("network_id", ""), e)
    body += _input_text("partnership_name", "Partnerskapets navn",
                        v.get("partnership_name", ""), e, max_length=120)
    body += _input_text("owners", "Eiere som deltar (kommuner og private, skill med komma)",
                        v.get("owners", ""), e, max_length=2000)
    body += _choices("uh_partner", "UH-partner", uh_partners, v.get("uh_partner", ""), e)
    body += _input_text("contact_name", "Kontaktperson", v.get("contact_name", ""), e,
                        max_length=120)
    body += _input_text("contact_email", "E-post til kontaktperson",
                        v.get("contact_email", ""), e, max_length=200)
    return card(body, [execute("Lagre og gå videre", "needs.header.save", style="positive",
                               report_id=report_id, version=version, cycle=cycle)])


def measure_card(report: NeedsReport, *, values: dict[str, str] | None = None,
                 errors: dict[str, str] | None = None, measure_id: str = "") -> Card:
    v, e = values or {}, errors or {}
    number = len(report.measures) + (0 if measure_id else 1)
    body = [heading(f"Tiltak {number}" if not measure_id else "Endre tiltak"),
            text(f"{report.header.scheme} · {escape_markdown(report.header.partnership_name)}",
                 subtle=True)]
    body += _input_text("title", t.LABELS["title"], v.get("title", ""), e, max_length=120)
    for field in ("need", "need_found"):
        body += _input_text(field, t.LABELS[field], v.get(field, ""), e, multiline=True)
    body += _choices("target_group", t.LABELS["target_group"],
                     [("barnehage", "Barnehage"), ("skole", "Skole"), ("begge", "Begge")],
                     v.get("target_group", ""), e)
    for field in ("staff_groups", "units", "uh_role", "inclusion", "sami"):
        body += _input_text(field, t.LABELS[field], v.get(field, ""), e, multiline=True)
    for field, title in (("interdisciplinary", "Tiltaket er tverrfaglig"),
                         ("continued", "Tiltaket videreføres fra tidligere år")):
        body.append({"type": "Input.Toggle", "id": field, "title": title,
                     "value": v.get(field, "false"), "valueOn": "true", "valueOff": "false"})
        body += _error(e, field)
    body += _input_text("interdisciplinary_how", t.LABELS["interdisciplinary_how"],
                        v.get("interdisciplinary_how", ""), e, multiline=True, required=False)
    for field in ("period_start", "period_end"):
        body.append({"type": "Input.Date", "id": field, "label": t.LABELS[field],
                     "value": v.get(field, ""), "isRequired": True,
                     "errorMessage": t.BAD_DATE.format(label=t.LABELS[field])})
        body += _error(e, field)
    body += _input_text("amount", t.LABELS["amount"], v.get("amount", ""), e, max_length=20)
    return card(body, [
        execute("Lagre tiltaket", "needs.measure.save", style="positive", report_id=report.id,
                version=report.version, measure_id=measure_id),
        execute("Avbryt", "needs.open", report_id=report.id),
    ])


def measure_values(measure: Measure) -> dict[str, str]:
    """A stored measure as the strings the form shows."""
    values = measure.model_dump(mode="json")
    values["interdisciplinary"] = "true" if measure.interdisciplinary else "false"
    values["continued"] = "true" if measure.continued else "false"
    values["amount"] = str(measure.amount)
    return {k: str(v) for k, v in values.items()}


def review_card(report: NeedsReport, *, max_measures: int, deadline: date | None,
                today: date, network: str, uh: str, notice: str | None = None,
                read_only: bool = False) -> Card:
    h: Header = report.header
    body = [heading(f"Behovsmelding {h.scheme} {h.cycle}")]
    if notice:
        body.append(text(notice, color="Warning", weight="Bolder"))
    body.append(facts([
        ("Partnerskap", escape_markdown(h.partnership_name)), ("Nettverk", network),
        ("Eiere", escape_markdown(", ".join(h.owners))), ("UH-partner", uh),
        ("Kontakt", escape_markdown(f"{h.contact_name} ({h.contact_email})")),
        ("Status", report.status.value),
    ]))
    body.append(text(f"**{len(report.measures)} av {max_measures} tiltak brukt**",
                     spacing="Medium"))
    editable = report.editable and not read_only
    for i, measure in enumerate(report.measures, start=1):
        row = [text(f"{i}. {escape_markdown(measure.title)}", weight="Bolder"),
               text(f"{format_nok(measure.amount)} · {measure.target_group} · "
                    f"{'videreføres' if measure.continued else 'nytt'}", size="Small",
                    subtle=True, spacing="None")]
        if editable:
            row.append(action_set([
                execute("Endre", "needs.measure.edit", report_id=report.id,
                        version=report.version, measure_id=measure.id),
                execute("Fjern", "needs.measure.remove", report_id=report.id,
                        version=report.version, measure_id=measure.id),
            ]))
        body.append(container(row, separator=True))
    if deadline:
        body.append(text(f"Frist: {format_date(deadline, weekday=True)}, "
                         f"{days_until(deadline, today)}", subtle=True))
    actions = []
    if editable:
        if len(report.measures) < max_measures:
            actions.append(execute("Legg til tiltak", "needs.measure.add", report_id=report.id,
                                   version=report.version))
        actions.append(execute("Lagre og avslutt", "needs.save_exit", report_id=report.id,
                               version=report.version))
        if report.measures:
            actions.append(execute("Send inn", "needs.submit", style="positive",
                                   report_id=report.id, version=report.version))
    elif not read_only and report.status in (Status.SUBMITTED, Status.SUBMITTED_LATE):
        actions.append(execute("Gjenåpne for endringer", "needs.reopen", report_id=report.id,
                               version=report.version))
    return card(body, actions)


def confirm_card(report: NeedsReport) -> Card:
    n = len(report.measures)
    return card(
        [heading("Send inn?"),
         text(f"Send inn behovsmeldingen for {report.header.scheme}, {n} "
              "tiltak?")],
        [execute("Send inn", "needs.submit.confirm", style="positive", report_id=report.id,
                 version=report.version),
         execute("Avbryt", "needs.submit.cancel", report_id=report.id, version=report.version)])


def receipt_card(report: NeedsReport, *, network: str) -> Card:
    total = sum(m.amount for m in report.measures)
    body = [heading("Kvittering: behovsmeldingen er sendt inn"),
            facts([("Referanse", report.reference or ""),
                   ("Sendt", format_datetime(report.submitted_at) if report.submitted_at
                    else ""),
                   ("Ordning", report.header.scheme), ("Nettverk", network),
                   ("Partnerskap", escape_markdown(report.header.partnership_name)),
                   ("Tiltak", str(len(report.measures))), ("Sum søkt", format_nok(total))])]
    if report.late:
        body.append(text("Behovsmeldingen kom etter fristen og er merket som sendt for sent.",
                         color="Attention"))
    body += [text(f"- {escape_markdown(m.title)}: {format_nok(m.amount)}")
             for m in report.measures]
    return card(body, [execute("Åpne behovsmeldingen", "needs.open", report_id=report.id)])


def coordinator_notice_card(report: NeedsReport, *, network: str) -> Card:
    late = " (for sent)" if report.late else ""
    return card([heading("Ny behovsmelding", level=2),
                 text(f"{escape_markdown(report.header.partnership_name)} har sendt inn "
                      f"behovsmeldingen for {report.header.scheme}{late}: "
                      f"{len(report.measures)} tiltak, referanse {report.reference}."),
                 text(network, subtle=True)])


def reports_card(rows: list[tuple[NeedsReport, str]], *, updated: dict[str, datetime]) -> Card:
    """`mine behovsmeldinger`: each report with its status and an Åpne button."""
    body = [heading("Behovsmeldingene deres")]
    if not rows:
        body.append(text("Dere har ingen behovsmeldinger ennå. Skriv **meld behov** for å "
                         "starte."))
    for report, network in rows:
        changed = updated.get(report.id)
        body.append(container([
            text(f"**{report.header.scheme} {report.header.cycle}** · "
                 f"{escape_markdown(report.header.partnership_name)} ({network})"),
            text(f"{report.status.value} · {len(report.measures)} tiltak"
                 + (f" · endret {format_datetime(changed)}" if changed else ""),
                 size="Small", subtle=True, spacing="None"),
            action_set([execute("Åpne", "needs.open", report_id=report.id)]),
        ], separator=True))
    return card(body)
