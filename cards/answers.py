"""Cards for Spør Kompis: a rule or process answer, a date from the wheel, how to do
something with Kompis, «Mente du …?» for a command or several answers, and an honest
«det vet jeg ikke». Pure functions of the engine's typed answers.

The short answer comes first; then the source, «Kildene er uenige» with each side and its
source, «Dette er i endring», at most three follow-up buttons, and Nyttig / Ikke nyttig
(Action.Execute, answered in place). Follow-ups are Action.Submit: a new answer arrives
as a message.
"""

from __future__ import annotations

from cards.base import (
    Card,
    Element,
    action_set,
    card,
    container,
    execute,
    facts,
    heading,
    read_more,
    submit,
    text,
)
from domain.answers import texts
from domain.answers.models import Rule
from domain.answers.types import CommandInfo, EventAnswer, Option
from domain.glossary.models import Entry
from domain.markdown import escape_markdown
from domain.wheel import texts as wheel_texts

MAX_FOLLOW_UPS = 3
MAX_QUESTION_CHARS = 120
MAX_SAID_CHARS = 500  # what a button carries back of the message it answers


def _source(source: str, url: str | None) -> Element:
    line = (texts.SOURCE_LINK.format(source=source, url=url) if url
            else texts.SOURCE.format(source=source))
    return text(line, size="Small", subtle=True, spacing="Medium")


def _feedback(answer_id: str) -> list[Element]:
    return [execute(texts.USEFUL, "answers.feedback", answer=answer_id, useful=True),
            execute(texts.NOT_USEFUL, "answers.feedback", answer=answer_id, useful=False)]


def _echo(question: str) -> str:
    shown = " ".join(question.split())
    if len(shown) > MAX_QUESTION_CHARS:
        shown = shown[:MAX_QUESTION_CHARS - 1].rstrip() + "…"
    return escape_markdown(shown)


def option_button(option: Option) -> Element:
    """A follow-up or «Mente du» button: a term, a rule, an event or a command."""
    if option.kind == "term":
        return submit(option.label, "glossary.show", entry=option.id)
    if option.kind == "command":
        return submit(option.label, "say", text=option.label)
    if option.kind == "event":
        return submit(option.label, "answers.event", event=option.id)
    return submit(option.label, "answers.rule", rule=option.id)


def rule_card(rule: Rule, follow_ups: list[Option]) -> Card:
    """A rule or process answer: the short answer, the sides where the sources disagree,
    what is changing, whether it is Kompis' practice, the source, follow-ups, feedback."""
    body: list[Element] = [heading(rule.title, level=2), text(rule.answer)]
    if rule.disputed:
        sides = [text(texts.DISPUTED, weight="Bolder", color="Warning"),
                 text(texts.DISPUTED_INTRO, size="Small")]
        sides += [text(texts.SIDE.format(source=s.source, says=s.says), size="Small")
                  for s in rule.sides]
        body.append(container(sides, style="emphasis", separator=True))
    if rule.changing:
        body.append(read_more(texts.CHANGING, rule.changing, f"endring-{rule.id}"))
    if rule.practice:
        body.append(text(texts.PRACTICE, size="Small", subtle=True))
    body.append(_source(rule.source, rule.url))
    buttons = [option_button(o) for o in follow_ups[:MAX_FOLLOW_UPS]]
    if buttons:
        body.append(action_set(buttons))
    return card(body, _feedback(f"rule:{rule.id}"))


def event_card(answer: EventAnswer) -> Card:
    """The one event asked about: date with weekday, days left, place, who; a passed
    event says so and gives the next cycle's date if the wheel has it."""
    event, today = answer.event, answer.today
    when = wheel_texts.when(event, today)
    line = (texts.EVENT_PASSED if answer.passed else texts.EVENT_COMING).format(
        title=event.title, when=when)
    body: list[Element] = [heading(event.title, level=2), text(line, weight="Bolder")]
    if answer.passed:
        following = answer.following
        body.append(text(texts.EVENT_NEXT.format(when=wheel_texts.when(following, today),
                                                 cycle=answer.following_cycle)
                         if following is not None else texts.EVENT_NO_NEXT))
    pairs = [(texts.LABEL_WHEN, when), (texts.LABEL_WHERE, wheel_texts.where(event)),
             (texts.LABEL_WHO, wheel_texts.who(event))]
    concerns = wheel_texts.deadline_for(event)
    if concerns:
        pairs.append((texts.LABEL_FOR, concerns))
    body += [facts(pairs), text(event.description, size="Small")]
    origin = f"{event.source}; " if event.source else ""
    body.append(_source(f"{origin}{texts.WHEEL_SOURCE} (syklus {answer.cycle_id})", None))
    body.append(action_set([submit(texts.WHEEL_BUTTON, "say", text="årshjul")]))
    return card(body, _feedback(f"event:{event.id}"))


def howto_card(command: CommandInfo, allowed: bool) -> Card:
    """How to do something with Kompis, from the command registry, with a button that
    starts it; a staff command for someone without the role is explained only."""
    phrase = command.phrases[0]
    body: list[Element] = [heading(texts.HOWTO_TITLE, level=2),
                           text(texts.HOWTO_TEXT.format(phrase=phrase,
                                                        summary=command.summary.lower()))]
    if command.example != phrase:
        body.append(text(texts.HOWTO_EXAMPLE.format(example=command.example), subtle=True))
    if not allowed:
        body.append(text(texts.HOWTO_STAFF, color="Warning"))
        return card(body, _feedback(f"howto:{command.name}"))
    body.append(action_set([submit(texts.HOWTO_BUTTON.format(phrase=phrase), "say",
                                   text=phrase)]))
    return card(body, _feedback(f"howto:{command.name}"))


def suggest_command_card(command: CommandInfo, rest: str = "") -> Card:
    """«Mente du «meld behov»?» with a button that does it, and one for help."""
    phrase = command.phrases[0]
    said = f"{phrase} {rest}".strip()
    body = [heading(texts.SUGGEST_TITLE.format(phrase=phrase), level=2),
            text(texts.SUGGEST_TEXT.format(summary=command.summary.lower()))]
    return card(body, [submit(texts.SUGGEST_BUTTON.format(phrase=phrase), "say", text=said),
                       submit(texts.NOT_THIS, "say", text="hjelp")])


MENTION_ACTION = "answers.mention"


def mention_command_card(command: CommandInfo, name: str, user_id: str, said: str) -> Card:
    """A command that takes an @mentioned person ('gi @Kari rollen …', 'legg til @Kari')
    asked for in plain words with a real @mention: what Kompis would do, for whom, and a
    button that does it (the command itself reads the rest of the message and checks
    the rights); nothing is changed before it is pressed."""
    phrase = command.phrases[0]
    body = [heading(texts.SUGGEST_TITLE.format(phrase=phrase), level=2),
            text(texts.MENTION_TEXT.format(phrase=phrase, summary=command.summary.lower(),
                                           name=escape_markdown(name or "personen"))),
            text(_echo(said), subtle=True, size="Small"),
            text(texts.MENTION_NEXT_TIME.format(example=command.example), subtle=True,
                 size="Small")]
    return card(body, [submit(texts.SUGGEST_BUTTON.format(phrase=phrase), MENTION_ACTION,
                              command=command.name, text=said[:MAX_SAID_CHARS],
                              person=user_id, name=name),
                       submit(texts.NOT_THIS, "say", text="hjelp")])


def did_you_mean_card(options: list[Option], question: str) -> Card:
    """Close candidates of any kind, one button each."""
    body = [heading(texts.DID_YOU_MEAN, level=2), text(texts.DID_YOU_MEAN_TEXT),
            text(_echo(question), subtle=True, size="Small")]
    return card(body, [option_button(o) for o in options[:MAX_FOLLOW_UPS]])


def unknown_card(question: str, suggestions: list[Option], english: bool = False) -> Card:
    """Honest: not known, noted; the nearest answers Kompis has, and help."""
    body: list[Element] = [heading(texts.UNKNOWN_TITLE, level=2),
                           text(texts.UNKNOWN_TEXT.format(question=_echo(question)))]
    if english:
        body.append(text(texts.UNKNOWN_ENGLISH))
    if suggestions:
        body.append(text(texts.UNKNOWN_NEAREST))
        body.append(action_set([option_button(o) for o in suggestions[:MAX_FOLLOW_UPS]]))
    body.append(text(texts.UNKNOWN_HELP, subtle=True))
    return card(body, [submit(texts.HELP_BUTTON, "say", text="hjelp")])


def term_options(entries: list[Entry]) -> list[Option]:
    """Glossary entries as follow-up options."""
    return [Option("term", e.id, e.term) for e in entries]
