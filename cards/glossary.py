"""Glossary and criteria cards: an answer, two terms side by side, «Mente du …?», an
honest «det vet jeg ikke», the paged `ordliste`, and the criteria.

Buttons that open another term or page are Action.Submit (a new answer arrives as a
message); the feedback buttons are Action.Execute, so the press is answered in place.
Card-level actions carry data only (no links), so a handler can read every press the
same way; the one outside link, to the source, is a markdown link in the source line.
"""

from __future__ import annotations

from cards.base import (
    Card,
    Element,
    action_set,
    card,
    execute,
    heading,
    read_more,
    submit,
    text,
)
from domain.glossary import texts
from domain.glossary.models import Criteria, Criterion, Entry
from domain.markdown import escape_markdown

PAGE_SIZE = 13  # terms per `ordliste` page: four short pages for the whole glossary
ROW = 3  # buttons per row: Teams on a phone shows about three side by side
MAX_RELATED = 6
MAX_CANDIDATES = 4
MAX_NEAREST = 3
MAX_QUESTION_CHARS = 120  # an echoed question is cut, so a pasted essay stays small


def _label(entry: Entry) -> str:
    """'samarbeidsforum (SF)': the term with its first abbreviation, if it has one."""
    if entry.abbreviations and entry.abbreviations[0].lower() != entry.term.lower():
        return f"{entry.term} ({entry.abbreviations[0]})"
    return entry.term


def _show(entry: Entry, title: str | None = None) -> Element:
    return submit(title or _label(entry), "glossary.show", entry=entry.id)


def _rows(buttons: list[Element], size: int = ROW) -> list[Element]:
    return [action_set(buttons[i:i + size]) for i in range(0, len(buttons), size)]


def _source(entry_source: str, url: str | None) -> Element:
    line = (texts.SOURCE_LINK.format(source=entry_source, url=url) if url
            else texts.SOURCE.format(source=entry_source))
    return text(line, size="Small", subtle=True, spacing="Medium")


def _echo(question: str) -> str:
    """A typed question, cut to size and shown literally (no markdown, no links)."""
    shown = " ".join(question.split())
    if len(shown) > MAX_QUESTION_CHARS:
        shown = shown[:MAX_QUESTION_CHARS - 1].rstrip() + "…"
    return escape_markdown(shown)


def answer_card(entry: Entry, related: list[Entry]) -> Card:
    """The term, what it means, more about it, what is changing, the source, related
    terms as buttons, and Nyttig / Ikke nyttig (stored per entry by the handler)."""
    body: list[Element] = [
        heading(_label(entry)),
        text(entry.definition, weight="Bolder"),
        text(entry.explanation),
    ]
    others = [a for a in entry.abbreviations[1:] if a.lower() != entry.term.lower()]
    if others:
        body.append(text(texts.ALSO_CALLED.format(names=texts.join_names(others)),
                         subtle=True))
    if entry.changing:
        body.append(read_more(texts.CHANGING, entry.changing, f"endring-{entry.id}"))
    body.append(_source(entry.source, entry.url))
    if related:
        body.append(text(texts.RELATED, weight="Bolder", spacing="Medium"))
        body += _rows([_show(r) for r in related[:MAX_RELATED]])
    feedback = [execute(texts.USEFUL, "glossary.feedback", entry=entry.id, useful=True),
                execute(texts.NOT_USEFUL, "glossary.feedback", entry=entry.id, useful=False)]
    return card(body, feedback)


def compare_card(first: Entry, second: Entry) -> Card:
    """Two terms side by side: definition, explanation, what is changing, source."""

    def column(entry: Entry) -> Element:
        items = [text(_label(entry), weight="Bolder", size="Medium"),
                 text(entry.definition, weight="Bolder"),
                 text(entry.explanation, size="Small")]
        if entry.changing:
            items += [text(texts.CHANGING, weight="Bolder", color="Warning", size="Small"),
                      text(entry.changing, size="Small")]
        items.append(_source(entry.source, entry.url))
        return {"type": "Column", "width": "stretch", "items": items}

    body = [
        heading(texts.COMPARE_TITLE.format(a=first.term, b=second.term)),
        text(texts.COMPARE_INTRO, subtle=True),
        {"type": "ColumnSet", "columns": [column(first), column(second)]},
    ]
    actions = [_show(e, texts.READ_MORE.format(term=e.term)) for e in (first, second)]
    return card(body, actions)


def did_you_mean_card(candidates: list[Entry], question: str | None = None) -> Card:
    """«Mente du …?» with a button per candidate (card actions), and «Ingen av disse»."""
    body = [heading(texts.DID_YOU_MEAN), text(texts.DID_YOU_MEAN_TEXT)]
    if question and question.strip():
        body.append(text(texts.DID_YOU_MEAN_QUESTION.format(question=_echo(question)),
                         subtle=True))
    body.append(action_set([submit(texts.NONE_OF_THESE, "glossary.list", page=1)]))
    return card(body, [_show(e) for e in candidates[:MAX_CANDIDATES]])


def no_match_card(question: str, nearest: list[Entry]) -> Card:
    """Honest: not known, and noted; the nearest terms, `ordliste` and `hjelp`."""
    body = [heading(texts.NO_MATCH_TITLE),
            text(texts.NO_MATCH_TEXT.format(question=_echo(question)))]
    if nearest:
        body.append(text(texts.NO_MATCH_NEAREST))
    body.append(text(texts.NO_MATCH_LIST, subtle=True))
    actions = [_show(e) for e in nearest[:MAX_NEAREST]]
    actions += [submit(texts.LIST_BUTTON, "glossary.list", page=1),
                submit(texts.HELP_BUTTON, "say", text=texts.HELP_COMMAND)]
    return card(body, actions)


def list_card(entries: list[Entry], page: int) -> Card:
    """One page of the glossary (PAGE_SIZE terms as buttons), with previous/next."""
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = entries[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    if not shown:
        return card([heading(texts.NO_MATCH_TITLE), text(texts.NO_MATCH_LIST)])
    body = [
        heading(texts.LIST_TITLE.format(first=shown[0].term, last=shown[-1].term)),
        text(texts.LIST_INTRO.format(page=page, pages=pages), subtle=True),
        *_rows([_show(e) for e in shown]),
    ]
    actions = []
    if page > 1:
        actions.append(submit(texts.PREVIOUS_PAGE, "glossary.list", page=page - 1))
    if page < pages:
        actions.append(submit(texts.NEXT_PAGE, "glossary.list", page=page + 1))
    return card(body, actions)


def criteria_card(criteria: Criteria) -> Card:
    """Every criterion as a button, two per row (titles are long)."""
    body = [heading(texts.CRITERIA_TITLE), text(texts.CRITERIA_INTRO)]
    numbered = [str(c.number) for c in criteria.criteria if c.numbered_in_source]
    if numbered and len(numbered) < len(criteria.criteria):
        body.append(text(texts.CRITERIA_NUMBERING.format(numbered=texts.join_names(numbered)),
                         size="Small", subtle=True))
    buttons = [submit(f"{c.number}. {c.title}", "glossary.criterion", number=c.number)
               for c in criteria.criteria]
    body += _rows(buttons, 2)
    return card(body)


def criterion_card(criterion: Criterion, entry: Entry | None) -> Card:
    """What one criterion asks of a needs report and how a partnership can show it."""
    body = [
        heading(texts.CRITERION_TITLE.format(number=criterion.number, title=criterion.title)),
        text(texts.CRITERION_ASKS, weight="Bolder"),
        text(criterion.asks),
        text(texts.CRITERION_SHOW, weight="Bolder"),
        text(criterion.show),
    ]
    if not criterion.numbered_in_source:
        body.append(text(texts.CRITERION_UNNUMBERED, size="Small", subtle=True))
    body.append(_source(criterion.source, None))
    actions = [_show(entry, texts.READ_MORE.format(term=entry.term))] if entry else []
    actions.append(submit(texts.CRITERIA_TITLE, "glossary.criteria"))
    return card(body, actions)
