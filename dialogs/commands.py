"""Text commands: how typed words map to what Kompis does.

The table is data; the help card and the Teams manifest's command list are checked
against it, so what Kompis advertises is what it understands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from dialogs.turn import Incoming, Outcome
from domain.phrases import splits

Handler = Callable[[Incoming, str], Awaitable[Outcome]]

_PUNCT = re.compile(r"[^\w\s/-]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, NFC, punctuation dropped, spaces collapsed: 'Hjelp!' -> 'hjelp'."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Command:
    """One command: the phrases that start it, and how the help card presents it."""

    name: str
    phrases: tuple[str, ...]
    handler: Handler
    section: str
    summary: str
    example: str
    requires: str | None = None  # a word the rest must contain ('gi … rollen …')
    staff: bool = False  # shown in help only to coordinators and admins
    admin: bool = False  # shown in help only to admins (who may manage roles)
    forum: bool = False  # shown in help only to samarbeidsforum members and admins
    # Takes the person @mentioned in the message ('gi @Kari …', 'legg til @Kari'): asked for
    # in plain words with a real @mention, Kompis offers to do it for that person.
    mentions: bool = False
    # How people ask for it in their own words ('hvem mangler?'): read by the question
    # engine (domain/answers), which does the command, asks «Mente du …?» or explains it.
    intents: tuple[str, ...] = ()
    # Does something useful without its argument too ('vurder' alone lists the reports to
    # assess): asked for in plain words without one, Kompis does it rather than explain it.
    bare: bool = False

    def match(self, normalized: str) -> tuple[int, str] | None:
        """(length of the longest phrase that starts `normalized`, the text after it)."""
        best: tuple[int, str] | None = None
        for phrase in self.phrases:
            if normalized == phrase or normalized.startswith(phrase + " "):
                rest = normalized[len(phrase):].strip()
                if self.requires and self.requires not in rest.split():
                    continue
                if best is None or len(phrase) > best[0]:
                    best = (len(phrase), rest)
        return best


class CommandTable:
    """Ordered commands; the longest matching phrase wins ('mine påminnelser' over 'mine')."""

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._by_phrase: dict[str, Command] = {}  # every phrase is one command's

    def add(self, command: Command) -> None:
        clash = set(self._by_phrase).intersection(command.phrases)
        if clash:
            raise ValueError(f"phrase used twice: {sorted(clash)}")
        self._commands.append(command)
        for phrase in command.phrases:
            self._by_phrase[phrase] = command

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def find(self, text: str) -> tuple[Command, str] | None:
        """The command the text starts with, and the rest of the text (normalized)."""
        normalized = normalize(text)
        # each phrase is one command's, so the longest the command accepts wins
        for head, rest in splits(normalized):
            command = self._by_phrase.get(head)
            if command is not None and (not command.requires
                                        or command.requires in rest.split()):
                return command, rest
        return None
