"""Cards for the network coordinator: where the network stands, a report's history,
and the link to the compiled spreadsheet.

Partnership names and measure titles are typed by people, so they are escaped
wherever they are shown as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cards.base import (
    Card,
    Element,
    action_set,
    card,
    container,
    execute,
    facts,
    heading,
    open_url,
    text,
)
from cards.needs import ASSESS_ACTION, CHECKLIST_ACTION, NUDGE_ACTION, rename_button
from domain.markdown import escape_markdown
from domain.needs.overview import NetworkStatus, ReportLine, SchemeStatus
from domain.needs.texts import join_areas
from domain.norsk import OSLO, format_date, format_datetime, format_nok, time_left

STATUS_TITLE = "Status for {network}, {cycle}"
DEADLINE = "Partnerskapenes frist: {date} ({left})."
COMPILED_DEADLINE = "Nettverkets frist for den samlede behovsmeldingen: {date} ({left})."
NO_DEADLINE = "Årshjulet har ingen frist for behovsmeldingene i denne syklusen."
SUBMITTED = "Sendt inn ({n})"
IN_PROGRESS = "Under arbeid ({n})"
NOT_STARTED = "Ikke startet ({n})"
COUNTED = "{n} partnerskap i nettverket, hvert talt én gang: {sent} har sendt inn."
COVERS = "Gjelder {covers}."
BY_FIELD = "Ordningene gjelder ulike felt. Et partnerskap står under «Ikke startet» bare for " \
           "ordningene som gjelder feltet dets, slik tidligere behovsmeldinger viser (feltene " \
           "tiltakene gjelder, eller en ordning for ett felt, som Rekom)."
FIELD_UNKNOWN = "Ikke startet, felt ukjent ({n})"
FIELD_UNKNOWN_WHY = "Kompis kan ikke se av tidligere behovsmeldinger om disse hører til " \
                    "barnehage, skole eller PPT, så de står ikke under en bestemt ordning."
NONE = "Ingen."
SUBMITTED_LINE = "{partnership}: {reference}, {when}{late} · {n} tiltak · {total}"
LATE = " **(for sent)**"
WORKING_LINE = "{partnership}: {status}, {n} tiltak · sist endret {when}"
REOPENED = "gjenåpnet etter innsending"
DRAFT = "utkast"
OPEN = "Åpne"
ASSESS = "Vurder"
COMPILED_BUTTON = "Send sammenstilt behovsmelding"
COMPILED_SENT = "Sammenstilt behovsmelding sendt: versjon {version}, {when}{late}."
COMPILED_LATE = " (etter fristen)"
COMPILED_NOT_SENT = "Den sammenstilte behovsmeldingen er ikke sendt ennå."
NUDGE_BUTTON = "Send påminnelse nå"
AUTOMATIC = "Partnerskapene som ikke har sendt inn, får automatisk påminnelse {when}."
AT = "{day} kl. {time}"
TOTAL = "Sum søkt i innsendte: {total}"
STATUS_FOOT = "Skriv **eksporter** for det samlede regnearket, eller **historikk** og en " \
              "referanse for endringene i én behovsmelding."
HISTORY_TITLE = "Historikk for {reference}"
HISTORY_FACTS = ("Partnerskap", "Ordning", "Status", "Versjoner")
HISTORY_LINE = "**Versjon {version}** · {when} · {who} {action}"
EXPORT_TITLE = "Samlet behovsmelding for {network}"
EXPORT_BODY = "Regnearket har et ark per ordning med ett tiltak per rad, og en oversikt med " \
              "summer per partnerskap og ordning. Bare innsendte behovsmeldinger er med."
EXPORT_SCOPE = ("Syklus", "Ordninger", "Innsendte", "Lenken virker til")
EXPORT_BUTTON = "Last ned regnearket (.xlsx)"
EXPORT_PRIVATE = "Lenken gjelder bare for deg og dette nettverket. Del regnearket, ikke lenken."


def _deadline(template: str, day: date, today: date) -> Element:
    return text(template.format(date=format_date(day, weekday=True),
                                left=time_left(day, today)),
                spacing="None", color="Warning" if day < today else None)


def _with_open(line: ReportLine, said: str, *, assess: bool = False,
               network_id: str | None = None) -> Element:
    """A report's line with a button that opens it (read-only for a coordinator), for a
    submitted one the network's assessment, and in a network's status «Endre navn»."""
    buttons = [execute(OPEN, "needs.open", report_id=line.report_id)]
    if assess:
        buttons.append(execute(ASSESS, ASSESS_ACTION, report_id=line.report_id))
    if network_id:
        buttons.append(rename_button(network_id, line.partnership))
    return {"type": "ColumnSet", "spacing": "Small", "columns": [
        {"type": "Column", "width": "stretch", "verticalContentAlignment": "Center",
         "items": [text(said, size="Small")]},
        {"type": "Column", "width": "auto", "items": [action_set(buttons)]},
    ]}


def _submitted(line: ReportLine, network_id: str | None) -> Element:
    when = format_datetime(line.submitted_at) if line.submitted_at else ""
    return _with_open(line, SUBMITTED_LINE.format(
        partnership=escape_markdown(line.partnership), reference=line.reference or "",
        when=when, late=LATE if line.late else "", n=line.measures,
        total=format_nok(line.total)), assess=True, network_id=network_id)


def _working(line: ReportLine, network_id: str | None) -> Element:
    status = REOPENED if line.status.value == "gjenåpnet" else DRAFT
    return _with_open(line, WORKING_LINE.format(
        partnership=escape_markdown(line.partnership), status=status, n=line.measures,
        when=format_datetime(line.updated_at)), network_id=network_id)


def _group(title: str, lines: Sequence[Element]) -> list[Element]:
    return [text(title, weight="Bolder", spacing="Small"),
            *(lines or [text(NONE, size="Small", subtle=True, spacing="None")])]


@dataclass(frozen=True)
class Compiled:
    """The network's compiled report of one scheme, as `status` shows it."""

    version: int
    sent_at: datetime
    late: bool


def _compiled(scheme: str, cycle: str, network_id: str, sent: Compiled | None) -> list[Element]:
    said = COMPILED_SENT.format(version=sent.version, when=format_datetime(sent.sent_at),
                                late=COMPILED_LATE if sent.late else "") \
        if sent else COMPILED_NOT_SENT
    return [text(said, size="Small", spacing="Small", weight="Bolder"),
            action_set([execute(COMPILED_BUTTON, CHECKLIST_ACTION, network_id=network_id,
                                cycle=cycle, scheme=scheme)])]


def _scheme(scheme: SchemeStatus, by_field: bool, extra: Sequence[Element] = (),
            network_id: str | None = None) -> Element:
    items: list[Element] = [heading(f"{scheme.code}: {scheme.name}", level=2)]
    if by_field and scheme.covers:
        items.append(text(COVERS.format(covers=join_areas(scheme.covers)), size="Small",
                          subtle=True, spacing="None"))
    items += _group(SUBMITTED.format(n=len(scheme.submitted)),
                    [_submitted(x, network_id) for x in scheme.submitted])
    items += _group(IN_PROGRESS.format(n=len(scheme.in_progress)),
                    [_working(x, network_id) for x in scheme.in_progress])
    items += _group(NOT_STARTED.format(n=len(scheme.not_started)),
                    [text(escape_markdown(name), size="Small", spacing="None")
                     for name in scheme.not_started])
    if scheme.submitted:
        items.append(text(TOTAL.format(total=format_nok(scheme.total_submitted)),
                          subtle=True, size="Small"))
    items += extra
    return container(items, separator=True, spacing="Medium")


def _when(moment: datetime, today: date) -> str:
    """'i morgen kl. 09.00', 'mandag 14. desember kl. 09.00' (Oslo time)."""
    local = moment.astimezone(OSLO)
    days = (local.date() - today).days
    day = {0: "i dag", 1: "i morgen"}.get(days) or format_date(local.date(), weekday=True)
    return AT.format(day=day, time=f"{local:%H.%M}")


def status_card(status: NetworkStatus, *, network_id: str | None = None,
                compiled: Mapping[str, Compiled] | None = None,
                next_reminder: datetime | None = None) -> Card:
    """`status`: per scheme who has submitted, who is working, who has not started;
    with `network_id`, the compiled report's state and the button that sends it, and
    «Send påminnelse nå» with when the automatic reminders go."""
    body: list[Element] = [heading(STATUS_TITLE.format(network=status.network,
                                                       cycle=status.cycle))]
    if status.deadline is None:
        body.append(text(NO_DEADLINE, subtle=True))
    else:
        body.append(_deadline(DEADLINE, status.deadline, status.today))
    if status.compiled_deadline is not None:
        body.append(_deadline(COMPILED_DEADLINE, status.compiled_deadline, status.today))
    body.append(text(COUNTED.format(n=status.partnerships, sent=status.submitted_partnerships),
                     spacing="Small"))
    if status.by_field:
        body.append(text(BY_FIELD, size="Small", subtle=True, spacing="None"))
    body += [_scheme(s, status.by_field, _compiled(s.code, status.cycle, network_id, (
        compiled or {}).get(s.code)) if network_id else (), network_id=network_id)
        for s in status.schemes]
    if status.field_unknown:
        body.append(container([
            *_group(FIELD_UNKNOWN.format(n=len(status.field_unknown)),
                    [text(escape_markdown(name), size="Small", spacing="None")
                     for name in status.field_unknown]),
            text(FIELD_UNKNOWN_WHY, size="Small", subtle=True)], separator=True,
            spacing="Medium"))
    if next_reminder is not None:
        body.append(text(AUTOMATIC.format(when=_when(next_reminder, status.today)),
                         size="Small", spacing="Medium"))
    body.append(text(STATUS_FOOT, subtle=True, size="Small", spacing="Medium"))
    if network_id is None:
        return card(body)
    return card(body, [execute(NUDGE_BUTTON, NUDGE_ACTION, network_id=network_id,
                               cycle=status.cycle)])


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    at: datetime
    who: str
    action: str
    changes: tuple[str, ...]


def history_card(*, reference: str, partnership: str, scheme: str, status: str,
                 entries: Sequence[HistoryEntry]) -> Card:
    """`historikk BM-…`: every version, newest first: who, when, what changed."""
    body: list[Element] = [
        heading(HISTORY_TITLE.format(reference=reference)),
        facts(list(zip(HISTORY_FACTS, (escape_markdown(partnership), scheme, status,
                                       str(len(entries))), strict=True))),
    ]
    for entry in sorted(entries, key=lambda e: e.version, reverse=True):
        items = [text(HISTORY_LINE.format(version=entry.version, when=format_datetime(entry.at),
                                          who=escape_markdown(entry.who), action=entry.action))]
        items += [text(f"- {escape_markdown(change)}", size="Small", spacing="None")
                  for change in entry.changes]
        body.append(container(items, separator=True))
    return card(body)


def export_card(*, network: str, cycle: str, schemes: Sequence[str], submitted: int,
                url: str, expires_at: datetime) -> Card:
    """The download link for the compiled spreadsheet, and until when it works."""
    expiry = format_datetime(expires_at)
    body = [heading(EXPORT_TITLE.format(network=network)),
            text(EXPORT_BODY),
            facts(list(zip(EXPORT_SCOPE, (cycle, ", ".join(schemes), str(submitted), expiry),
                           strict=True))),
            text(EXPORT_PRIVATE, subtle=True, size="Small")]
    return card(body, [open_url(EXPORT_BUTTON, url)])
