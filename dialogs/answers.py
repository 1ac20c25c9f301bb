"""Between the command registry and the question engine: what the engine may know of
each command (its words, intents, description, who may use it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cards import answers as answer_cards
from cards import glossary as glossary_cards
from cards.help import greeting_card
from cards.wheel import next_card
from dialogs.commands import Command
from dialogs.commands import normalize as command_normalize
from dialogs.needs import TYPED_BUTTONS
from dialogs.router import HELP, Router
from dialogs.services import Services
from dialogs.turn import Incoming, Mention, Outcome
from domain.answers import texts
from domain.answers.engine import QUESTION_STARTERS, Answerer
from domain.answers.models import Rule
from domain.answers.types import (
    CommandInfo,
    CompareAnswer,
    CriterionReply,
    DidYouMean,
    DoCommand,
    EventAnswer,
    HowToAnswer,
    NoCycleAnswer,
    Option,
    Reply,
    RuleAnswer,
    SmallTalkAnswer,
    SuggestCommand,
    TermAnswer,
    Unknown,
    UpcomingAnswer,
)
from domain.glossary import texts as glossary_texts
from domain.glossary.matcher import normalize
from domain.needs.models import REPORT_REFERENCE
from domain.network.models import COMPILED_REFERENCE
from domain.wheel.models import Event

MAX_FOLLOW_UPS = 3
GREETING = "hilsen"  # the small talk a greeting gets: one line and three buttons


def first_name(name: str | None) -> str | None:
    """'Kari Nordmann' -> 'Kari'; None when Teams sent no usable name."""
    words = (name or "").split()
    return words[0][:40] if words and words[0].isalpha() else None
MIN_LOGGED_CHARS = 3  # shorter text is no question worth logging
LONG_SENTENCE_WORDS = 8  # longer text with no answer and nothing near gets the help card

# Commands the engine never offers in plain words: 'spør' is the question itself, and the
# needs form's buttons typed as words act on the report being worked on.
NOT_OFFERED = frozenset({"spør", *TYPED_BUTTONS})
# arguments a command can be done with from plain words: 'vis endringene i BM-2026-…'
REFERENCES = (REPORT_REFERENCE, COMPILED_REFERENCE)


class MentionPress(BaseModel):
    """«Ja, gi» on the card for a command asked for in plain words with an @mention: the
    command, the message as typed and the person it named (the command checks the rest:
    who may do it, and that the person is in this conversation)."""

    model_config = ConfigDict(extra="ignore")

    command: Annotated[str, Field(min_length=1, max_length=64)]
    text: Annotated[str, Field(min_length=1, max_length=answer_cards.MAX_SAID_CHARS)]
    person: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(max_length=200)] = ""


def command_infos(commands: Iterable[Command]) -> list[CommandInfo]:
    """The registry as the engine reads it. A command whose example names a person or an
    id ('legg til @Kari', 'historikk BM-…') or a name ('gi partnerskapet nytt navn Fosen
    barnehager') is explained, never run from plain words, unless the words carry a
    reference of the kind its example has ('kan du vise endringene i BM-2026-…')."""
    infos = []
    for command in commands:
        if command.name in NOT_OFFERED:
            continue
        rest = command.example
        for phrase in sorted(command.phrases, key=len, reverse=True):
            if rest.lower().startswith(phrase):
                rest = rest[len(phrase):]
                break
        needs_argument = "@" in rest or any(ch.isdigit() for ch in rest) \
            or any(word[:1].isupper() for word in rest.split())  # a name: '… navn Fosen …'
        argument = next((p for p in REFERENCES if p.search(rest)), None)
        infos.append(CommandInfo(command.name, command.phrases, command.intents,
                                 command.summary, command.example, command.staff,
                                 needs_argument, argument, command.requires, command.bare))
    return infos


def argument_words() -> list[str]:
    """Words that are arguments when they follow a command in plain words: networks,
    schemes, months and audiences ('meld behov for Dekom', 'status for Fosen')."""
    from domain.content import CONTENT_DIR, read_yaml
    from domain.norsk import MONTHS
    from domain.wheel.models import AUDIENCES

    found: list[str] = [*MONTHS, *AUDIENCES, "dekom", "rekom", "kompetanseløftet", "ny",
                        "barnehage", "barnehagen", "barnehagene", "barnehagane", "skole",
                        "skolen", "skolene", "skule", "skulane"]
    networks = read_yaml(CONTENT_DIR / "nettverk.yaml") or {}
    for network in networks.get("networks", ()):
        for name in (network.get("name", ""), *network.get("aliases", ())):
            found += str(name).lower().replace("/", " ").split()
    schemes = read_yaml(CONTENT_DIR / "ordninger.yaml") or {}
    for cycle in schemes.get("cycles", ()):
        found += [str(s.get("code", "")).lower() for s in cycle.get("schemes", ())]
    return sorted({w for w in found if len(w) >= 3} | {"ny"})


class AnswerChat:
    """The router's fallback for free text: asks the engine, turns its typed answer into
    a card, runs a command asked for in plain words, and logs what it could not answer."""

    def __init__(self, services: Services, answerer: Answerer) -> None:
        self._s = services
        self._answerer = answerer
        self._router: Router | None = None
        self._known = -1  # how many commands the engine was last given

    @property
    def answerer(self) -> Answerer:
        return self._answerer

    def register(self, router: Router) -> None:
        self._router = router
        router.on_action("answers", self.press)
        router.reinterpret = self.reinterpret

    async def reinterpret(self, turn: Incoming, text: str, command: Command,
                          rest: str) -> Outcome | None:
        """A typed command with more words after it. Its arguments ('status Fosen') and
        anything the command checks itself ('abonner … for rektorene' is refused by it)
        go to the command (None). Words that only name the command's own object
        ('eksporter regnearket') are dropped. A question that merely starts with a
        command's words ('hva skjer hvis vi leverer for sent') gets the engine's answer
        when that is a confident answer of something else, and so does a command for a
        person typed without one ('legg til et nytt tiltak' is done in the form)."""
        infos = command_infos([command])
        a = self._answerer
        if command.mentions and not turn.mentions:
            # 'legg til et nytt tiltak' names no person: a measure is added in the form
            return await self._elsewhere(turn, text, command)
        if not infos or infos[0].needs_argument or command.requires:
            return None
        if a.only_arguments(rest):
            return None
        own = a.command_words(infos[0])
        left = [w for w in a.tokens.tokens(rest) if w not in own]
        if not left:
            kept = " ".join(w for w in normalize(rest).split() if w in a.arguments)
            return await command.handler(turn, kept)
        typed = command_normalize(text)
        head = typed[:len(typed) - len(rest)].split()
        if not head or head[0] not in QUESTION_STARTERS:
            return None  # the command reads (and refuses) its own words: 'for rektorene'
        return await self._elsewhere(turn, text, command)

    async def _elsewhere(self, turn: Incoming, text: str, command: Command) -> Outcome | None:
        """The engine's answer when it is a confident answer of something other than
        `command` (None: the command reads the words itself)."""
        self._sync()
        today = self._s.now().date()
        wheel = self._s.wheel.wheel if self._s.wheel is not None else None
        reply = self._answerer.answer(text, today, wheel, staff=await self._s.is_staff(turn))
        if isinstance(reply, (DoCommand, SuggestCommand, HowToAnswer)) and \
                reply.command.name == command.name:
            return None
        if isinstance(reply, (RuleAnswer, EventAnswer, TermAnswer, CompareAnswer,
                              CriterionReply, HowToAnswer, DoCommand, NoCycleAnswer)):
            return await self._outcome(turn, text, reply)
        return None

    def prepare(self) -> None:
        """Give the engine every command once all features are registered, so it is built
        (and its model learned) at start rather than on the first question."""
        self._sync()

    def _sync(self) -> None:
        """Give the engine the registry as it is now (features register after us)."""
        if self._router is None:
            return
        if len(self._router.commands) != self._known:
            commands = list(self._router.commands)
            self._answerer.use_commands(command_infos(commands))
            self._known = len(commands)

    def _command(self, name: str) -> Command | None:
        if self._router is None:
            return None
        return next((c for c in self._router.commands if c.name == name), None)

    async def ask(self, turn: Incoming, text: str) -> Outcome | None:
        self._sync()
        staff = await self._s.is_staff(turn)
        today = self._s.now().date()
        wheel = self._s.wheel.wheel if self._s.wheel is not None else None
        reply = self._answerer.answer(text, today, wheel, staff=staff)
        return await self._outcome(turn, text, reply)

    async def _outcome(self, turn: Incoming, text: str, reply: Reply) -> Outcome | None:
        a = self._answerer
        if isinstance(reply, TermAnswer):
            related = [r for r in (a.term(i) for i in reply.entry.related) if r]
            return Outcome.say(card=glossary_cards.answer_card(reply.entry, related))
        if isinstance(reply, CompareAnswer):
            return Outcome.say(card=glossary_cards.compare_card(reply.first, reply.second))
        if isinstance(reply, CriterionReply):
            if reply.criterion is None:
                last = max(c.number for c in a.matcher.criteria.criteria)
                return Outcome.say(glossary_texts.UNKNOWN_CRITERION.format(
                    number=reply.number, last=last))
            entry = a.term(reply.criterion.glossary) if reply.criterion.glossary else None
            return Outcome.say(card=glossary_cards.criterion_card(reply.criterion, entry))
        if isinstance(reply, RuleAnswer):
            return Outcome.say(card=answer_cards.rule_card(
                reply.rule, self.follow_ups(reply.rule, reply.nearby)))
        if isinstance(reply, EventAnswer):
            return Outcome.say(card=answer_cards.event_card(reply))
        if isinstance(reply, UpcomingAnswer):
            return Outcome.say(card=next_card(list(reply.events), reply.today,
                                              f"{self._s.public_url}/calendar/arshjul.ics"))
        if isinstance(reply, NoCycleAnswer):
            return Outcome.say(texts.NO_CYCLE.format(year=reply.year,
                                                     cycles=", ".join(reply.cycles)))
        if isinstance(reply, HowToAnswer) and reply.command.name == HELP:
            # 'hva kan du hjelpe meg med', 'hvordan bruker jeg kompis': the help card is
            # the how-to itself, not a card with a button that shows it
            reply = DoCommand(reply.command, "")
        if isinstance(reply, (HowToAnswer, DoCommand)) and turn.mentions and (
                not isinstance(reply, HowToAnswer) or reply.allowed):
            # 'fjern koordinatorrollen fra @Kari' in words the router does not read: what
            # Kompis would do, for whom, and a button (the command asks nothing else)
            command = self._command(reply.command.name)
            if command is not None and command.mentions:
                person = turn.mentions[0]
                return Outcome.say(card=answer_cards.mention_command_card(
                    reply.command, person.name, person.user_id, text))
        if isinstance(reply, HowToAnswer):
            return Outcome.say(card=answer_cards.howto_card(reply.command, reply.allowed))
        if isinstance(reply, DoCommand):
            command = self._command(reply.command.name)
            if command is not None:
                return await command.handler(turn, reply.rest)
            return Outcome.say(card=answer_cards.howto_card(reply.command, True))
        if isinstance(reply, SuggestCommand):
            await self._log(turn, text, "suggest", f"command:{reply.command.name}")
            return Outcome.say(card=answer_cards.suggest_command_card(reply.command,
                                                                      reply.rest))
        if isinstance(reply, SmallTalkAnswer):
            if reply.id == GREETING:
                staff = await self._s.is_staff(turn)
                return Outcome.say(card=greeting_card(first_name(turn.user_name), staff=staff))
            return Outcome.say(reply.reply)
        if isinstance(reply, DidYouMean):
            first = reply.options[0]
            await self._log(turn, text, "ambiguous", f"{first.kind}:{first.id}")
            return Outcome.say(card=answer_cards.did_you_mean_card(list(reply.options), text))
        assert isinstance(reply, Unknown)
        if reply.reason == "badinput":
            await self._log(turn, text, "badinput", None)
            message = {"empty": texts.EMPTY, "long": texts.LONG}.get(reply.note or "",
                                                                      texts.NO_WORDS)
            return Outcome.say(message)
        first_guess = reply.suggestions[0] if reply.suggestions else None
        await self._log(turn, text, "nomatch",
                        f"{first_guess.kind}:{first_guess.id}" if first_guess else None)
        if not reply.suggestions and len(normalize(text).split()) > LONG_SENTENCE_WORDS:
            return None  # a long sentence about nothing Kompis knows: the help card
        return Outcome.say(card=answer_cards.unknown_card(
            text, list(reply.suggestions), english=reply.note == "english"))

    def follow_ups(self, rule: Rule, nearby: Rule | None = None) -> list[Option]:
        """At most three: the rule that may have been meant instead (`nearby`) or a related
        question, the term, the event or the command."""
        a = self._answerer
        options: list[Option] = []
        related = [r for r in (a.rule(i) for i in rule.related.questions) if r is not None]
        first = nearby if nearby is not None and nearby.id != rule.id else next(
            iter(related), None)
        if first is not None:
            options.append(Option("rule", first.id, first.title))
        for entry_id in rule.related.terms[:1]:
            entry = a.term(entry_id)
            if entry is not None:
                options.append(Option("term", entry.id, entry.term))
        for event_id in rule.related.events[:1]:
            event = self._event(event_id)
            if event is not None:
                options.append(Option("event", event.id, event.title[:40]))
        for name in rule.related.commands[:1]:
            command = a.command(name)
            if command is not None:
                options.append(Option("command", command.name, command.phrases[0]))
        return options[:MAX_FOLLOW_UPS]

    def _event(self, event_id: str) -> Event | None:
        if self._s.wheel is None:
            return None
        for _, event in self._s.wheel.wheel.events():
            if event.id == event_id:
                return event
        return None

    async def _log(self, turn: Incoming, text: str, outcome: str, guess: str | None) -> None:
        if len(normalize(text)) >= MIN_LOGGED_CHARS:
            await self._s.glossary_log.unanswered(text, turn.conversation_type, outcome,
                                                  guess[:64] if guess else None)

    async def _mentioned(self, turn: Incoming) -> Outcome:
        """Do the command the card offered, as if the message had been typed as the command
        with the @mention it had: the command reads its words and checks the rights."""
        try:
            press = MentionPress.model_validate(turn.value or {})
        except ValidationError:
            return Outcome.say(texts.GONE)
        command = self._command(press.command)
        if command is None or not command.mentions:
            return Outcome.say(texts.GONE)
        said = replace(turn, text=press.text, value=None,
                       mentions=(Mention(press.person, press.name),))
        return await command.handler(said, command_normalize(press.text))

    async def press(self, turn: Incoming) -> Outcome:
        value = turn.value or {}
        action = turn.action
        self._sync()
        if action == "answers.rule":
            rule = self._answerer.rule(str(value.get("rule", ""))[:64])
            if rule is not None:
                return Outcome.say(card=answer_cards.rule_card(rule, self.follow_ups(rule)))
        if action == "answers.event" and self._s.wheel is not None:
            event_id = str(value.get("event", ""))[:64]
            today = self._s.now().date()
            reply = self._answerer.event(event_id, today, self._s.wheel.wheel)
            if reply is not None:
                return Outcome.say(card=answer_cards.event_card(reply))
        if action == answer_cards.MENTION_ACTION:
            return await self._mentioned(turn)
        if action == "answers.feedback":
            answer = str(value.get("answer", ""))[:64]
            useful = value.get("useful")
            if answer and isinstance(useful, bool):
                voter = turn.user_aad_id or turn.user_id
                await self._s.glossary_log.feedback(answer, voter, useful)
                return Outcome.say(texts.THANKS_USEFUL if useful else texts.THANKS_NOT_USEFUL)
        return Outcome.say(texts.GONE)
