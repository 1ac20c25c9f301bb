"""Cards of the network's part: the assessment of a report's measures, a question to a
partnership, the checklist before sending the compiled report, its receipt, what
samarbeidsforum is told, the history of a compiled report, the overview across networks
with the common themes, and what a partnership sees of the network's assessment.

Whether a network prioritises is disputed (seed 003 vs groups 1, 2 and 5 in seed 001):
the assessment card has free text per measure and no ranking, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    submit,
    text,
)
from cards.needs import NUDGE_SEND_ACTION, STATUS_ACTION
from domain.markdown import escape_markdown
from domain.needs.models import NeedsReport
from domain.needs.texts import AREAS, join_areas
from domain.network.models import ASSESSMENT_MAX, QUESTION_MAX, Checklist, NetworkReport
from domain.network.service import Behind, Nudged, Overview, ToAssess
from domain.norsk import format_date, format_datetime, format_nok, time_left

SAVE_ACTION = "network.assess.save"
ASK_ACTION = "network.ask"
SEND_ACTION = "network.send"
CANCEL_ACTION = "network.cancel"
OVERVIEW_ACTION = "network.overview"

ASSESS_TITLE = "Nettverkets vurdering: {partnership}"
ASSESS_INTRO = ("Skriv hva nettverket ser i hvert tiltak: felles behov med andre eiere, "
                "kapasitet, overlapp med tiltak som pågår, samiske perspektiver. Vurderingen "
                "kommer med i regnearket og i den sammenstilte behovsmeldingen, og "
                "partnerskapet kan lese den når nettverket har sendt.")
NO_RANKING = ("Her rangeres ikke tiltakene. Om nettverket skal prioritere, er kildene uenige: "
              "årshjulet fra Statsforvalteren i Nordland (kilde 003) sier at nettverket ikke "
              "skal prioritere, mens gruppe 1, 2 og 5 i gruppearbeidet (kilde 001) beskriver "
              "nettverkets prioriteringer.")
REOPENED_NOTE = ("Partnerskapet har gjenåpnet behovsmeldingen. Du vurderer versjonen som sist "
                 "ble sendt inn.")
MEASURE_LINE = "{target} · {amount} · {kind}"
ASSESSMENT_LABEL = "Nettverkets vurdering av tiltak {n}"
ASSESSMENT_PLACEHOLDER = "Hva ser nettverket i dette tiltaket?"
LAST_CHANGED = "Sist endret {when} (versjon {version})."
ASK_BUTTON = "Be om avklaring"
ASK_LABEL = "Spørsmål til partnerskapet om tiltak {n}"
ASK_PLACEHOLDER = "Hva trenger nettverket å vite?"
ASK_SEND = "Send spørsmålet"
SAVE = "Lagre vurderingene"
SAVED = "Lagret."
BACK = "Tilbake til status"

QUESTION_TITLE = "Spørsmål fra {network}"
QUESTION_ABOUT = "Om behovsmeldingen {reference} ({partnership}){measure}:"
QUESTION_MEASURE = ", tiltaket «{title}»"
QUESTION_FROM = "Fra {who}, koordinator. Svar koordinatoren direkte, eller rett opp i " \
                "behovsmeldingen og send den inn på nytt."
OPEN_REPORT = "Åpne behovsmeldingen"

CHECK_TITLE = "Sammenstilt behovsmelding: {network}"
CHECK_SCOPE = ("Ordning", "Syklus", "Nettverkets frist", "Sendt før")
NEVER_SENT = "Ikke sendt"
SENT_BEFORE = "Versjon {version}, {when}"
CHECK_SUBMITTED = "Sendt inn ({n}): {measures} tiltak, {total}"
CHECK_DRAFTS = "Utkast som ikke er sendt inn ({n})"
CHECK_NOT_STARTED = "Partnerskap som ikke har startet ({n})"
CHECK_UNASSESSED = "Tiltak uten vurdering fra nettverket ({n})"
CHECK_LATE = "Sendt inn etter fristen ({n})"
CHECK_REOPENED = " (gjenåpnet: siste innsendte versjon er med)"
CHECK_SEND_NOTE = ("Det som er sendt inn nå, fryses som versjon {version}. Senere endringer i "
                   "behovsmeldingene endrer den ikke; da sender du en ny versjon.")
CHECK_NOTHING = "Ingen behovsmeldinger er sendt inn ennå, så det er ingenting å sende."
MORE = "… og {n} til."
SEND = "Send inn"
CANCEL = "Avbryt"
CANCELLED = "Ikke sendt. Skriv «send sammenstilt behovsmelding» når dere er klare."

RECEIPT_TITLE = "Sammenstilt behovsmelding sendt"
RECEIPT_FACTS = ("Referanse", "Versjon", "Sendt", "Av", "Innhold")
RECEIPT_CONTENT = "{reports} behovsmeldinger, {measures} tiltak, {total}"
LATE_MARK = " (etter fristen)"
RECEIPT_NEXT = ("Samarbeidsforum har fått beskjed. Nye innsendinger etter dette kommer ikke "
                "med før dere sender en ny versjon.")
CHANGES_TITLE = "Endringer"
FORUM_TITLE = "{network} har sendt sammenstilt behovsmelding"
FORUM_BUTTON = "Se oversikten"

HISTORY_TITLE = "Historikk for {reference}"
HISTORY_LINE = "**Versjon {version}** · {when}{late} · {who}"
DOWNLOAD = "Last ned versjon {version} (.xlsx)"

OVERVIEW_TITLE = "Sammenstilte behovsmeldinger {scheme}, {cycle}"
OVERVIEW_COUNT = "{sent} av {total} nettverk har sendt."
OVERVIEW_DEADLINE = "Nettverkenes frist: {date} ({left})."
OVERVIEW_SENT = "{name}: sendt {when}{late} (versjon {version}) · {partnerships} partnerskap · " \
                "{measures} tiltak · {total}"
OVERVIEW_MISSING = "{name}: ikke sendt"
THEMES_TITLE = "Felles tiltak: hva sier behovsmeldingene?"
THEMES_INTRO = ("Tiltak fra minst to nettverk som deler et ord i tittel eller behov, innenfor "
                "samme målgruppe. Et utgangspunkt for samtalen, ikke en vurdering.")
THEMES_NONE = "Ingen felles tema ennå (krever sendte behovsmeldinger fra minst to nettverk)."
THEME_LINE = "**«{word}»** · {target} · {networks} · {total}"
THEME_MEASURE = "- {network}: {title} ({partnership})"
EXPORT_ALL = "Eksporter alle"
FORUM_EXPORT_TITLE = "Alle nettverkenes behovsmeldinger"
FORUM_EXPORT_BODY = ("Regnearket har en oversikt, et ark per nettverk (siste sendte versjon, med "
                     "nettverkets vurdering) og et ark med felles tiltak.")
FORUM_EXPORT_BUTTON = "Last ned regnearket (.xlsx)"
FORUM_EXPORT_EXPIRES = "Lenken virker til {when} og gjelder bare for deg."

NUDGE_TITLE = "Påminnelse fra {network}"
NUDGE_BODY = ("Behovsmeldingen til {partnership} for {cycle} er ikke sendt inn ennå. "
              "Fristen er {date} ({left}).")
NUDGE_NOT_STARTED = ("{partnership} har ikke startet en behovsmelding for {cycle} ennå. "
                     "Fristen er {date} ({left}).")
NUDGE_NO_DEADLINE = "Årshjulet har ingen frist for syklusen ennå."
NUDGE_OPEN = "Fortsett på behovsmeldingen"
NUDGE_START = "Meld behov"
NUDGE_CONFIRM_TITLE = "Send påminnelse nå?"
NUDGE_CONFIRM = "Disse partnerskapene i {network} har ikke sendt inn for {cycle}:"
NUDGE_LINE = "- {name}: {people}"
NUDGE_PEOPLE = "{n} {persons} i chat med Kompis"
NUDGE_NOBODY = "ingen i chat med Kompis (nås ikke)"
NUDGE_ONCE = "Hvert partnerskap får høyst én slik påminnelse per dag."
NUDGE_NONE = "Alle partnerskapene i {network} har sendt inn. Ingen trenger påminnelse."
NUDGE_SEND = "Send påminnelse"
NUDGE_SENT = "Påminnelse sendt til {n} partnerskap ({people} {persons}): {names}."
NUDGE_ALREADY = "Fikk allerede påminnelse i dag: {names}."
NUDGE_UNREACHABLE = "Nås ikke i Teams (ingen chat med Kompis): {names}. Ta kontakt på e-post."
NUDGE_NOTHING = "Ingen påminnelser sendt."

SHARED_TITLE = "Nettverkets vurdering av tiltakene"
SHARED_INTRO = "{network} har sendt den sammenstilte behovsmeldingen med denne vurderingen:"

LIST_MAX = 8


def _target(value: str) -> str:
    return AREAS.get(value, value)


def _listed(title: str, names: Sequence[str]) -> list[Element]:
    if not names:
        return []
    shown = [text(f"- {escape_markdown(n)}", size="Small", spacing="None")
             for n in names[:LIST_MAX]]
    if len(names) > LIST_MAX:
        shown.append(text(MORE.format(n=len(names) - LIST_MAX), size="Small", subtle=True,
                          spacing="None"))
    return [text(title, weight="Bolder", spacing="Small"), *shown]


# --- the assessment ---------------------------------------------------------------------


def assessment_card(item: ToAssess, *, network_id: str, message: str | None = None,
                    typed: dict[str, str] | None = None) -> Card:
    """Every measure of a submitted report with a text field for the network's view,
    and «Be om avklaring» to ask the partnership; `typed` keeps what was written when a
    save is refused."""
    report, h = item.report, item.report.header
    body: list[Element] = [heading(ASSESS_TITLE.format(
        partnership=escape_markdown(h.partnership_name))),
        text(f"{report.reference or ''} · {h.scheme} {h.cycle}", subtle=True, spacing="None")]
    if message:
        body.append(text(message, color="Attention" if message != SAVED else "Good",
                         weight="Bolder"))
    body.append(text(ASSESS_INTRO, size="Small"))
    body.append(text(NO_RANKING, size="Small", subtle=True))
    if item.reopened:
        body.append(text(REOPENED_NOTE, color="Warning", size="Small"))
    versions: dict[str, int] = {}
    for n, m in enumerate(report.measures, start=1):
        current = item.assessments.get(m.id)
        versions[m.id] = current.version if current else 0
        value = (typed or {}).get(m.id, current.text if current else "")
        items: list[Element] = [
            text(f"**{n}. {escape_markdown(m.title)}**"),
            text(MEASURE_LINE.format(target=join_areas(m.areas).capitalize(),
                                     amount=format_nok(m.amount),
                                     kind="videreført" if m.continued else "nytt"),
                 size="Small", subtle=True, spacing="None"),
            text(escape_markdown(m.need[:300]) + ("…" if len(m.need) > 300 else ""),
                 size="Small", spacing="Small"),
            {"type": "Input.Text", "id": f"assessment_{m.id}",
             "label": ASSESSMENT_LABEL.format(n=n), "isMultiline": True,
             "maxLength": ASSESSMENT_MAX, "value": value, "placeholder": ASSESSMENT_PLACEHOLDER},
        ]
        if current:
            items.append(text(LAST_CHANGED.format(when=format_datetime(current.at),
                                                  version=current.version),
                              size="Small", subtle=True, spacing="None"))
        items.append(action_set([{
            "type": "Action.ShowCard", "title": ASK_BUTTON,
            "card": {"type": "AdaptiveCard", "body": [
                {"type": "Input.Text", "id": f"question_{m.id}", "label": ASK_LABEL.format(n=n),
                 "isMultiline": True, "maxLength": QUESTION_MAX,
                 "placeholder": ASK_PLACEHOLDER}],
                "actions": [execute(ASK_SEND, ASK_ACTION, report_id=report.id,
                                    measure_id=m.id)]}}]))
        body.append(container(items, separator=True, spacing="Medium"))
    return card(body, [
        execute(SAVE, SAVE_ACTION, style="positive", report_id=report.id, versions=versions),
        execute(BACK, STATUS_ACTION, network_id=network_id),
    ])


def question_card(report: NeedsReport, measure_title: str | None, question: str,
                  network: str, asker: str | None) -> Card:
    """The network's question in a partnership member's chat, with the report a click
    away."""
    h = report.header
    measure = QUESTION_MEASURE.format(title=escape_markdown(measure_title)) \
        if measure_title else ""
    return card([
        heading(QUESTION_TITLE.format(network=escape_markdown(network)), level=2),
        text(QUESTION_ABOUT.format(reference=report.reference or h.scheme,
                                   partnership=escape_markdown(h.partnership_name),
                                   measure=measure)),
        container([text(escape_markdown(question))], style="emphasis"),
        text(QUESTION_FROM.format(who=escape_markdown(asker or "nettverket")), size="Small",
             subtle=True),
    ], [execute(OPEN_REPORT, "needs.open", report_id=report.id, version=report.version)])


# --- the compiled report -----------------------------------------------------------------


def checklist_card(check: Checklist, *, refusal: str | None = None) -> Card:
    """What a coordinator sees before sending: then Send inn / Avbryt. `refusal`: why a
    send was just refused, shown under the title."""
    deadline = (f"{format_date(check.deadline, weekday=True)} "
                f"({time_left(check.deadline, check.today)})") if check.deadline else "–"
    before = SENT_BEFORE.format(version=check.last.version,
                                when=format_datetime(check.last.sent_at)) \
        if check.last else NEVER_SENT
    body: list[Element] = [
        heading(CHECK_TITLE.format(network=escape_markdown(check.network))),
        *([text(refusal, color="Attention", weight="Bolder")] if refusal else []),
        facts(list(zip(CHECK_SCOPE, (check.scheme, check.cycle, deadline, before),
                       strict=True))),
        text(CHECK_SUBMITTED.format(n=len(check.submitted), measures=check.measures,
                                    total=format_nok(check.total)), weight="Bolder",
             spacing="Medium"),
        *[text(f"- {escape_markdown(line.partnership)}: {line.reference or ''}, "
               f"{line.measures} tiltak, {format_nok(line.total)}"
               f"{CHECK_REOPENED if line.reopened else ''}", size="Small", spacing="None")
          for line in check.submitted],
    ]
    body += _listed(CHECK_LATE.format(n=len(check.late)), [x.partnership for x in check.late])
    body += _listed(CHECK_DRAFTS.format(n=len(check.drafts)), check.drafts)
    body += _listed(CHECK_NOT_STARTED.format(n=len(check.not_started)), check.not_started)
    body += _listed(CHECK_UNASSESSED.format(n=len(check.unassessed)),
                    [f"{u.partnership}: {u.title}" for u in check.unassessed])
    if not check.submitted:
        body.append(text(CHECK_NOTHING, color="Attention"))
        return card(body, [execute(BACK, STATUS_ACTION, network_id=check.network_id)])
    body.append(text(CHECK_SEND_NOTE.format(version=check.next_version), size="Small",
                     subtle=True, spacing="Medium"))
    scope = {"network_id": check.network_id, "cycle": check.cycle, "scheme": check.scheme}
    return card(body, [
        execute(SEND, SEND_ACTION, style="positive", expected=check.next_version - 1, **scope),
        execute(CANCEL, CANCEL_ACTION, **scope),
    ])


def _sent_facts(sent: NetworkReport) -> Element:
    s = sent.snapshot
    return facts(list(zip(RECEIPT_FACTS, (
        sent.reference, str(sent.version),
        format_datetime(sent.sent_at) + (LATE_MARK if sent.late else ""),
        sent.sent_by_name or "–",
        RECEIPT_CONTENT.format(reports=len(s.items), measures=s.measures,
                               total=format_nok(s.total))), strict=True)))


def _changes(changes: Sequence[str]) -> list[Element]:
    return [text(CHANGES_TITLE, weight="Bolder", spacing="Medium"),
            *[text(f"- {c}", size="Small", spacing="None") for c in changes]]


def receipt_card(sent: NetworkReport, network: str, changes: list[str]) -> Card:
    """The compiled report sent; it replaces the checklist, so the way back to status."""
    return card([heading(RECEIPT_TITLE),
                 text(f"{escape_markdown(network)} · {sent.reference} · versjon {sent.version}",
                      subtle=True, spacing="None"),
                 _sent_facts(sent), *_changes(changes), text(RECEIPT_NEXT, size="Small")],
                [execute(BACK, STATUS_ACTION, network_id=sent.network_id)])


def forum_notice_card(sent: NetworkReport, network: str, changes: list[str]) -> Card:
    return card([heading(FORUM_TITLE.format(network=escape_markdown(network)), level=2),
                 text(f"{sent.reference} · versjon {sent.version}", subtle=True,
                      spacing="None"),
                 _sent_facts(sent), *_changes(changes)],
                [execute(FORUM_BUTTON, OVERVIEW_ACTION, cycle=sent.cycle, scheme=sent.scheme)])


def cancelled_card(network_id: str | None = None) -> Card:
    """The checklist cancelled: nothing sent, and the way back to status."""
    actions = [execute(BACK, STATUS_ACTION, network_id=network_id)] if network_id else None
    return card([text(CANCELLED)], actions)


def compiled_history_card(versions: Sequence[tuple[NetworkReport, list[str], str | None]],
                          ) -> Card:
    """`historikk SBM-…`: each sent version, what it changed, and its spreadsheet."""
    first = versions[0][0]
    body: list[Element] = [heading(HISTORY_TITLE.format(reference=first.reference))]
    for sent, changes, url in versions:
        items: list[Element] = [
            text(HISTORY_LINE.format(version=sent.version, when=format_datetime(sent.sent_at),
                                     late=LATE_MARK if sent.late else "",
                                     who=escape_markdown(sent.sent_by_name or "–"))),
            *[text(f"- {c}", size="Small", spacing="None") for c in changes]]
        if url:
            items.append(action_set([open_url(DOWNLOAD.format(version=sent.version), url)]))
        body.append(container(items, separator=True))
    return card(body)


# --- across networks --------------------------------------------------------------------------


def overview_card(overview: Overview) -> Card:
    body: list[Element] = [
        heading(OVERVIEW_TITLE.format(scheme=overview.scheme, cycle=overview.cycle)),
        text(OVERVIEW_COUNT.format(sent=overview.sent, total=len(overview.lines)),
             weight="Bolder"),
    ]
    if overview.deadline:
        body.append(text(OVERVIEW_DEADLINE.format(
            date=format_date(overview.deadline, weekday=True),
            left=time_left(overview.deadline, overview.today)), spacing="None", subtle=True))
    for line in overview.lines:
        sent = line.sent
        if sent is None:
            body.append(text(OVERVIEW_MISSING.format(name=escape_markdown(line.name)),
                             size="Small", subtle=True, spacing="None"))
            continue
        body.append(text(OVERVIEW_SENT.format(
            name=escape_markdown(line.name), when=format_datetime(sent.sent_at),
            late=LATE_MARK if sent.late else "", version=sent.version,
            partnerships=line.partnerships, measures=sent.snapshot.measures,
            total=format_nok(sent.snapshot.total)), size="Small", spacing="None",
            color="Warning" if sent.late else None))
    themes: list[Element] = [heading(THEMES_TITLE, level=2),
                             text(THEMES_INTRO, size="Small", subtle=True)]
    if not overview.themes:
        themes.append(text(THEMES_NONE, size="Small"))
    for theme in overview.themes:
        themes.append(text(THEME_LINE.format(
            word=escape_markdown(theme.word), target=_target(theme.target_group),
            networks=", ".join(escape_markdown(n) for n in theme.networks),
            total=format_nok(theme.total)), spacing="Small"))
        themes += [text(THEME_MEASURE.format(network=escape_markdown(m.network),
                                             title=escape_markdown(m.title),
                                             partnership=escape_markdown(m.partnership)),
                        size="Small", spacing="None") for m in theme.measures[:LIST_MAX]]
    body.append(container(themes, separator=True, spacing="Medium"))
    return card(body, [execute(EXPORT_ALL, "network.export_all", cycle=overview.cycle,
                               scheme=overview.scheme)])


def forum_export_card(*, cycle: str, scheme: str, url: str, expires_at: datetime) -> Card:
    return card([heading(FORUM_EXPORT_TITLE), text(f"{scheme} {cycle}", subtle=True,
                                                   spacing="None"),
                 text(FORUM_EXPORT_BODY),
                 text(FORUM_EXPORT_EXPIRES.format(when=format_datetime(expires_at)),
                      size="Small", subtle=True)],
                [open_url(FORUM_EXPORT_BUTTON, url)])


def shared_assessment_card(network: str, lines: Sequence[tuple[str, str]]) -> Card:
    """Read-only, for the partnership, once the network has sent."""
    body: list[Element] = [heading(SHARED_TITLE, level=2),
                           text(SHARED_INTRO.format(network=escape_markdown(network)))]
    for title, said in lines:
        body.append(container([text(f"**{escape_markdown(title)}**"),
                               text(escape_markdown(said), size="Small", spacing="None")],
                              separator=True))
    return card(body)


class NetworkCardMaker:
    """The cards the network service queues in the outbox (its `NetworkCards`)."""

    def question(self, report: NeedsReport, measure_title: str | None, question: str,
                 network: str, asker: str | None) -> Card:
        return question_card(report, measure_title, question, network, asker)

    def receipt(self, sent: NetworkReport, network: str, changes: list[str]) -> Card:
        return receipt_card(sent, network, changes)

    def forum_notice(self, sent: NetworkReport, network: str, changes: list[str]) -> Card:
        return forum_notice_card(sent, network, changes)

    def nudge(self, partnership: Behind, network: str, cycle: str, deadline: date | None,
              today: date) -> Card:
        return nudge_card(partnership, network, cycle, deadline, today)


# --- «Send påminnelse nå» ---------------------------------------------------------------------


def _persons(n: int) -> str:
    return "person" if n == 1 else "personer"


def nudge_card(partnership: Behind, network: str, cycle: str, deadline: date | None,
               today: date) -> Card:
    """The coordinator's reminder in a partnership member's chat."""
    name = escape_markdown(partnership.name)
    if deadline is None:
        said = NUDGE_NO_DEADLINE
    else:
        template = NUDGE_BODY if partnership.report_id else NUDGE_NOT_STARTED
        said = template.format(partnership=name, cycle=cycle,
                               date=format_date(deadline, weekday=True),
                               left=time_left(deadline, today))
    action = execute(NUDGE_OPEN, "needs.open", report_id=partnership.report_id,
                     version=partnership.version) if partnership.report_id \
        else submit(NUDGE_START, "say", text="meld behov")
    return card([heading(NUDGE_TITLE.format(network=escape_markdown(network)), level=2),
                 text(said)], [action])


def nudge_confirm_card(behind: Sequence[Behind], *, network_id: str, network: str,
                       cycle: str) -> Card:
    """Who would get the reminder, before anything is sent."""
    if not behind:
        return card([heading(NUDGE_CONFIRM_TITLE), text(NUDGE_NONE.format(
            network=escape_markdown(network)))],
            [execute(BACK, STATUS_ACTION, network_id=network_id)])
    lines = [text(NUDGE_LINE.format(
        name=escape_markdown(p.name),
        people=NUDGE_PEOPLE.format(n=len(p.chats), persons=_persons(len(p.chats)))
        if p.chats else NUDGE_NOBODY), size="Small", spacing="None") for p in behind]
    return card([heading(NUDGE_CONFIRM_TITLE),
                 text(NUDGE_CONFIRM.format(network=escape_markdown(network), cycle=cycle)),
                 *lines, text(NUDGE_ONCE, size="Small", subtle=True)],
                [execute(NUDGE_SEND, NUDGE_SEND_ACTION, style="positive",
                         network_id=network_id, cycle=cycle),
                 execute(BACK, STATUS_ACTION, network_id=network_id)])


def nudged_card(nudged: Nudged, *, network_id: str) -> Card:
    """What was sent, to whom, and who was not reached."""
    body: list[Element] = [heading(NUDGE_CONFIRM_TITLE.removesuffix("?"))]
    if nudged.sent:
        body.append(text(NUDGE_SENT.format(
            n=len(nudged.sent), people=nudged.people, persons=_persons(nudged.people),
            names=", ".join(escape_markdown(p.name) for p in nudged.sent)), color="Good"))
    if nudged.already:
        body.append(text(NUDGE_ALREADY.format(
            names=", ".join(escape_markdown(n) for n in nudged.already))))
    if nudged.unreachable:
        body.append(text(NUDGE_UNREACHABLE.format(
            names=", ".join(escape_markdown(n) for n in nudged.unreachable)), color="Warning"))
    if not nudged.sent:
        body.append(text(NUDGE_NOTHING, weight="Bolder"))
    return card(body, [execute(BACK, STATUS_ACTION, network_id=network_id)])
