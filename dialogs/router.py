"""From one turn to its outcome: text commands, card presses and installation."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from cards.help import HelpItem, help_card, welcome_card
from dialogs import texts
from dialogs.commands import Command, CommandTable
from dialogs.turn import Incoming, Outcome

ActionHandler = Callable[[Incoming], Awaitable[Outcome]]
# (coordinator or admin, admin, samarbeidsforum member): which commands help shows
Audience = tuple[bool, bool, bool]

log = logging.getLogger(__name__)

SECTION_GENERAL = "Kom i gang"


HELP = "hjelp"  # the help command: also the answer to how Kompis is used


class Router:
    """Dispatches a turn to the command or card action it names.

    Features register their commands and card actions here; anything unknown gets the
    help card, so a person is never left without an answer.
    """

    def __init__(self, audience: Callable[[Incoming], Awaitable[Audience]] | None = None) -> None:
        self._audience = audience
        # Text that is no command: a feature may answer it (the glossary does), or help.
        self.fallback: Callable[[Incoming, str], Awaitable[Outcome | None]] | None = None
        # Words after a command that are not its arguments ('eksporter regnearket', 'hva
        # skjer hvis vi leverer for sent'): the question engine may answer the whole text
        # instead (None: run the command as typed).
        self.reinterpret: Callable[[Incoming, str, Command, str],
                                   Awaitable[Outcome | None]] | None = None
        self.commands = CommandTable()
        self._actions: dict[str, ActionHandler] = {}
        self.commands.add(
            Command(
                name=HELP,
                phrases=("hjelp", "help", "meny"),
                handler=self._help,
                section=SECTION_GENERAL,
                summary="Se hva jeg kan hjelpe med",
                example="hjelp",
                intents=("hva kan du hjelpe meg med", "hva kan du gjøre", "hva kan kompis",
                         "vis meg hva du kan", "jeg trenger hjelp", "bruke kompis",
                         "hvilke kommandoer finnes", "hva kan jeg spørre om", "hva vet du",
                         "hva gjør du", "kva gjer du", "what can you do", "help me",
                         "vis kommandoene", "hvilke kommandoer har du"),
            )
        )

    def on_action(self, prefix: str, handler: ActionHandler) -> None:
        """Route card presses whose action is `prefix` or starts with `prefix.`."""
        if prefix in self._actions:
            raise ValueError(f"action prefix registered twice: {prefix}")
        self._actions[prefix] = handler

    def help_items(self, *, staff: bool = False, admin: bool = False,
                   forum: bool = False) -> list[HelpItem]:
        """What the help card lists: only the commands the person's role may use
        (coordinator commands for staff, role management for admins, the view across
        networks for samarbeidsforum)."""
        def shown(c: Command) -> bool:
            if c.admin:
                return admin
            if c.staff or c.forum:
                return admin or (c.staff and staff) or (c.forum and forum)
            return True
        return [HelpItem(c.section, c.summary, c.example) for c in self.commands if shown(c)]

    async def _help_card(self, turn: Incoming, *, not_understood: bool = False) -> dict:
        staff, admin, forum = await self._audience(turn) if self._audience else \
            (False, False, False)
        return help_card(self.help_items(staff=staff, admin=admin, forum=forum),
                         not_understood=not_understood)

    async def handle(self, turn: Incoming) -> Outcome:
        if turn.kind == "installed":
            shared = turn.conversation_type != "personal"
            offer = self.commands.find("abonner på påminnelser") is not None
            return Outcome.say(card=welcome_card(shared=shared, offer_reminders=offer))
        if turn.value is not None:
            return await self._press(turn)
        return await self._text(turn, turn.text)

    async def _text(self, turn: Incoming, text: str) -> Outcome:
        found = self.commands.find(text)
        if found is None:
            if self.fallback is not None and text.strip():
                answered = await self.fallback(turn, text)
                if answered is not None:
                    return answered
            return Outcome.say(card=await self._help_card(turn, not_understood=True))
        command, rest = found
        if rest and self.reinterpret is not None:
            answered = await self.reinterpret(turn, text, command, rest)
            if answered is not None:
                return answered
        return await command.handler(turn, rest)

    async def _press(self, turn: Incoming) -> Outcome:
        action = turn.action
        if action:
            prefix = action.split(".", 1)[0]
            handler = self._actions.get(action) or self._actions.get(prefix)
            if handler is not None:
                return await handler(turn)
        if action == "say":
            said = turn.value.get("text") if turn.value else None
            if isinstance(said, str) and said.strip():
                return await self._text(turn, said[:500])
        log.info("unknown card action %r", action if action is None else action[:64])
        return Outcome.say(texts.UNKNOWN_BUTTON)

    async def _help(self, turn: Incoming, rest: str) -> Outcome:
        return Outcome.say(card=await self._help_card(turn))
