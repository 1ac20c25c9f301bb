"""Glossary and criteria cards: answers, comparisons, «Mente du», listings."""

from __future__ import annotations

from cards.base import (
    Card,
    action_set,
    card,
    container,
    escape_markdown,
    execute,
    heading,
    submit,
    text,
)
from domain.glossary import texts
from domain.glossary.models import Criteria, Criterion, Entry

PAGE_SIZE = 12


def _label(entry: Entry) -> str:
    if entry.abbreviations and entry.abbreviations[0] != entry.term:
        return f"{entry.term} ({entry.abbreviations[0]})"
    return entry.term


def _show(entry: Entry) -> dict:
    return submit(_label(entry), "glossary.show", entry=entry.id)


def answer_card(entry: Entry, related: list[Entry]) -> Card:
    """The term, what it means, more about it, what is changing, the source, related
    terms as buttons, and Nyttig / Ikke nyttig."""
    body = [
        heading(_label(entry)),
        text(entry.definition, weight="Bolder"),
        text(entry.explanation),
    ]
    if entry.changing:
        body.append(container([text(texts.CHANGING, weight="Bolder", color="Warning"),
                               text(entry.changing)], style="emphasis", separator=True))
    body.append(text(texts.SOURCE.format(source=entry.source), size="Small", subtle=True))
    if related:
        body.append(text(texts.RELATED, weight="Bolder", spacing="Medium"))
        body.append(action_set([_show(r) for r in related[:5]]))
    feedback = [execute(texts.USEFUL, "glossary.feedback", entry=entry.id, useful=True),
                execute(texts.NOT_USEFUL, "glossary.feedback", entry=entry.id, useful=False)]
    return card(body, feedback)


def compare_card(first: Entry, second: Entry) -> Card:
    """Two terms side by side: definition, and what is changing for each."""
    def column(entry: Entry) -> dict:
        items = [text(_label(entry), weight="Bolder", size="Medium"),
                 text(entry.definition), text(entry.explanation, size="Small")]
        if entry.changing:
            items += [text(texts.CHANGING, weight="Bolder", color="Warning", size="Small"),
                      text(entry.changing, size="Small")]
        return {"type": "Column", "width": "stretch", "items": items}

    body = [
        heading(texts.COMPARE_TITLE.format(a=first.term, b=second.term)),
        {"type": "ColumnSet", "columns": [column(first), column(second)]},
        text(texts.SOURCE.format(source=f"{first.source} / {second.source}"),
             size="Small", subtle=True),
    ]
    return card(body, [_show(first), _show(second)])


def did_you_mean_card(candidates: list[Entry]) -> Card:
    return card([heading(texts.DID_YOU_MEAN), text(texts.DID_YOU_MEAN_TEXT)],
                [_show(e) for e in candidates[:4]])


def no_match_card(question: str, nearest: list[Entry]) -> Card:
    """Honest: not known; the question is logged; the nearest terms and `ordliste`."""
    shown = escape_markdown(question.strip()[:120])
    body = [heading(texts.NO_MATCH_TITLE), text(texts.NO_MATCH_TEXT.format(question=shown))]
    if nearest:
        body.append(text(texts.NO_MATCH_NEAREST))
    body.append(text(texts.NO_MATCH_LIST, subtle=True))
    actions = [_show(e) for e in nearest[:3]]
    actions += [submit("Ordliste", "glossary.list", page=1), submit("Hjelp", "say", text="hjelp")]
    return card(body, actions)


def list_card(entries: list[Entry], page: int) -> Card:
    """One page of the glossary, a button per term (kept small for Teams)."""
    pages = max(1, -(-len(entries) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = entries[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    body = [
        heading(texts.LIST_TITLE.format(first=shown[0].term, last=shown[-1].term)),
        text(texts.LIST_INTRO.format(page=page, pages=pages), subtle=True),
    ]
    for start in range(0, len(shown), 3):
        body.append(action_set([_show(e) for e in shown[start:start + 3]]))
    actions = []
    if page > 1:
        actions.append(submit(texts.PREVIOUS_PAGE, "glossary.list", page=page - 1))
    if page < pages:
        actions.append(submit(texts.NEXT_PAGE, "glossary.list", page=page + 1))
    return card(body, actions)


def criteria_card(criteria: Criteria) -> Card:
    """Every criterion as a button (in rows: Teams shows at most six card actions)."""
    body = [heading(texts.CRITERIA_TITLE), text(texts.CRITERIA_INTRO)]
    buttons = [submit(f"{c.number}. {c.title}", "glossary.criterion", number=c.number)
               for c in criteria.criteria]
    body += [action_set(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
    return card(body)


def criterion_card(criterion: Criterion, entry: Entry | None) -> Card:
    body = [
        heading(texts.CRITERION_TITLE.format(number=criterion.number, title=criterion.title)),
        text(texts.CRITERION_ASKS, weight="Bolder"),
        text(criterion.asks),
        text(texts.CRITERION_SHOW, weight="Bolder"),
        text(criterion.show),
        text(texts.SOURCE.format(source=criterion.source), size="Small", subtle=True),
    ]
    actions = [_show(entry)] if entry else []
    actions.append(submit(texts.CRITERIA_TITLE, "glossary.criteria"))
    return card(body, actions)
