"""Between the command registry and the question engine: what the engine may know of
each command (its words, intents, description, who may use it)."""

from __future__ import annotations

from collections.abc import Iterable

from dialogs.commands import Command
from domain.answers.types import CommandInfo

# Commands the engine never offers in plain words: 'spør' is the question itself.
NOT_OFFERED = frozenset({"spør"})


def command_infos(commands: Iterable[Command]) -> list[CommandInfo]:
    """The registry as the engine reads it. A command whose example names a person or an
    id ('legg til @Kari', 'historikk BM-…') is explained, never run from plain words."""
    infos = []
    for command in commands:
        if command.name in NOT_OFFERED:
            continue
        rest = command.example
        for phrase in sorted(command.phrases, key=len, reverse=True):
            if rest.lower().startswith(phrase):
                rest = rest[len(phrase):]
                break
        needs_argument = "@" in rest or any(ch.isdigit() for ch in rest)
        infos.append(CommandInfo(command.name, command.phrases, command.intents,
                                 command.summary, command.example, command.staff,
                                 needs_argument))
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
    return sorted({w for w in found if len(w) >= 3})
