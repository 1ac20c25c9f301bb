"""Ordliste og kriterier in chat: questions in plain words, `ordliste`, `kriterier`,
`kriterium 5`, feedback on answers, and `ubesvarte spørsmål` for coordinators."""

from __future__ import annotations

import logging

from cards.glossary import (
    answer_card,
    compare_card,
    criteria_card,
    criterion_card,
    did_you_mean_card,
    list_card,
    no_match_card,
)
from cards.wheel import next_card
from dialogs.answers import AnswerChat
from dialogs.commands import Command
from dialogs.router import Router
from dialogs.services import Services
from dialogs.texts import literal
from dialogs.turn import Incoming, Outcome
from domain.glossary import texts
from domain.glossary.matcher import (
    Ambiguous,
    Answer,
    Compare,
    CriterionAnswer,
    DateQuestion,
    Matcher,
    NoMatch,
    normalize,
    stems,
)
from domain.glossary.models import Entry
from domain.wheel.due import current_cycle, next_events

log = logging.getLogger(__name__)
SECTION = "Ordliste og kriterier"
# Only text that reads like a question is logged as unanswered (not every stray word).
MIN_LOGGED_CHARS = 3
LONG_SENTENCE_WORDS = 8


class GlossaryChat:
    def __init__(self, services: Services, matcher: Matcher,
                 answers: AnswerChat | None = None) -> None:
        self._services = services
        self._matcher = matcher
        # Spør Kompis: with it, free text goes to the question engine (terms are one
        # part of it); without it, to the glossary matcher alone, as before.
        self._answers = answers

    def register(self, router: Router) -> None:
        add = router.commands.add
        add(Command("ordliste", ("ordliste", "ordlista", "ordlisten", "begreper", "glossary"),
                    self.listing, SECTION, "Se alle begrepene", "ordliste",
                    intents=("vis alle begrepene", "liste over ord og uttrykk",
                             "hvilke begreper kan du forklare", "alle ordene du kan",
                             "show me the glossary", "lista over begreper")))
        add(Command("kriterier", ("kriterier", "kriteriene", "kriteria", "tildelingskriterier",
                                  "criteria"),
                    self.criteria, SECTION, "Se tildelingskriteriene", "kriterier",
                    intents=("vis tildelingskriteriene", "hvilke kriterier finnes",
                             "liste over kriteriene for tildeling", "list opp kriteriene",
                             "show the criteria", "alle kriteriene for tildeling")))
        add(Command("ubesvarte", ("ubesvarte spørsmål", "ubesvarte", "ubesvarte sporsmal"),
                    self.unanswered, SECTION, "Se spørsmål Kompis ikke svarte godt på",
                    "ubesvarte spørsmål", staff=True,
                    intents=("spørsmål du ikke klarte å svare på", "vis spørsmål uten svar",
                             "svar som ikke var nyttige", "spørsmål du ikke visste svaret på",
                             "show unanswered questions", "de ubesvarte spørsmålene")))
        router.fallback = self.ask
        router.on_action("glossary", self.press)
        if self._answers is not None:
            self._answers.register(router)
        # Shown in help; answered by the fallback (any question about a term).
        add(Command("spør", ("hva er", "hva betyr", "kva er", "forklar", "what is"),
                    self.question, SECTION, "Spør hva et begrep betyr", "hva er innstilling?"))

    async def question(self, turn: Incoming, rest: str) -> Outcome:
        return await self.ask(turn, turn.text or rest) or Outcome.say(
            card=no_match_card(rest, []))

    async def ask(self, turn: Incoming, text: str) -> Outcome | None:
        if self._answers is not None:
            return await self._answers.ask(turn, text)
        match = self._matcher.match(text)
        if isinstance(match, Answer):
            return self._answer(match.entry)
        if isinstance(match, Compare):
            return Outcome.say(card=compare_card(match.first, match.second))
        if isinstance(match, CriterionAnswer):
            return self._criterion(match.number)
        if isinstance(match, DateQuestion):
            return self._dates(match.entry)
        if isinstance(match, Ambiguous):
            await self._log(turn, text, "ambiguous", match.candidates[0].entry.id)
            return Outcome.say(card=did_you_mean_card([c.entry for c in match.candidates]))
        assert isinstance(match, NoMatch)
        if len(normalize(text).split()) > LONG_SENTENCE_WORDS and not match.suggestions:
            return None  # a long sentence about nothing in the glossary: the help card
        await self._log(turn, text, "nomatch",
                        match.suggestions[0].entry.id if match.suggestions else None)
        return Outcome.say(card=no_match_card(text, [s.entry for s in match.suggestions]))

    async def _log(self, turn: Incoming, text: str, outcome: str, guess: str | None) -> None:
        if len(normalize(text)) >= MIN_LOGGED_CHARS:
            await self._services.glossary_log.unanswered(text, turn.conversation_type,
                                                         outcome, guess)

    def _answer(self, entry: Entry) -> Outcome:
        related = [r for r in (self._matcher.get(i) for i in entry.related) if r]
        return Outcome.say(card=answer_card(entry, related))

    def _criterion(self, number: int) -> Outcome:
        criteria = self._matcher.criteria
        criterion = criteria.get(number)
        if criterion is None:
            last = max(c.number for c in criteria.criteria)
            return Outcome.say(texts.UNKNOWN_CRITERION.format(number=number, last=last))
        entry = self._matcher.get(criterion.glossary) if criterion.glossary else None
        return Outcome.say(card=criterion_card(criterion, entry))

    def _dates(self, entry: Entry | None) -> Outcome:
        """Dates come from the annual wheel, not from the glossary."""
        source = self._services.wheel
        if source is None:
            return Outcome.say(texts.UNKNOWN_ENTRY)
        today = self._services.now().date()
        url = f"{self._services.public_url}/calendar/arshjul.ics"
        if entry is None:
            return Outcome.say(card=next_card(next_events(source.wheel, today, 3, kind="frist"),
                                              today, url))
        key = stems(normalize(entry.term).split())
        cycle = current_cycle(source.wheel, today)
        found = [e for e in cycle.events if all(k in " ".join(stems(
            normalize(e.title).split())) for k in key)]
        found.sort(key=lambda e: (e.kind != "frist", e.start))
        upcoming = [e for e in found if e.last_day >= today] or found
        if not upcoming:
            return Outcome.say(card=next_card(next_events(source.wheel, today, 3), today, url))
        return Outcome.say(card=next_card(upcoming[:3], today, url))

    async def listing(self, turn: Incoming, rest: str) -> Outcome:
        return Outcome.say(card=list_card(self._matcher.entries_sorted(), 1))

    async def criteria(self, turn: Incoming, rest: str) -> Outcome:
        number = rest.split()[0] if rest.split() else ""
        if number.isdigit():
            return self._criterion(int(number))
        return Outcome.say(card=criteria_card(self._matcher.criteria))

    async def unanswered(self, turn: Incoming, rest: str) -> Outcome:
        me = await self._services.principal(turn.user_aad_id, turn=turn)
        if not me.may_coordinate():
            return Outcome.say(texts.ONLY_STAFF)
        log_ = self._services.glossary_log
        frequent = await log_.frequent_unanswered(10)
        weak = await log_.least_useful(5)
        lines = [f"**{texts.UNANSWERED_TITLE}**"]
        lines += [f"- «{literal(q.text[:80])}» ({q.count})" for q in frequent] or [
            texts.UNANSWERED_NONE]
        if weak:
            lines.append(f"**{texts.LEAST_USEFUL}**")
            lines += [f"- {literal(w.entry_id)}: {w.not_useful} ikke nyttig, {w.useful} nyttig"
                      for w in weak]
        return Outcome.say("\n".join(lines))

    async def press(self, turn: Incoming) -> Outcome:
        value = turn.value or {}
        action = turn.action
        if action == "glossary.show":
            entry = self._matcher.get(str(value.get("entry", ""))[:64])
            return self._answer(entry) if entry else Outcome.say(texts.UNKNOWN_ENTRY)
        if action == "glossary.list":
            page = value.get("page")
            page = page if isinstance(page, int) and not isinstance(page, bool) else 1
            return Outcome.say(card=list_card(self._matcher.entries_sorted(), page))
        if action == "glossary.criteria":
            return Outcome.say(card=criteria_card(self._matcher.criteria))
        if action == "glossary.criterion":
            number = value.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                return self._criterion(number)
        if action == "glossary.feedback":
            entry = self._matcher.get(str(value.get("entry", ""))[:64])
            useful = value.get("useful")
            if entry is not None and isinstance(useful, bool):
                voter = turn.user_aad_id or turn.user_id
                await self._services.glossary_log.feedback(entry.id, voter, useful)
                return Outcome.say(texts.THANKS_USEFUL if useful else texts.THANKS_NOT_USEFUL)
        return Outcome.say(texts.UNKNOWN_ENTRY)
