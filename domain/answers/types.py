"""The typed answers the engine returns; the dialog turns each into a card.

`verdict` is the answer in the question bank's notation (tests/data/*.yaml):
a glossary id, compare:a+b, criterion:N, event:<id>, events, nocycle:<year>, rule:<id>,
howto:<command>, command:<command>, suggest:<command>, smalltalk:<id>, ambiguous,
nomatch or badinput.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.answers.models import Rule
from domain.glossary.models import Criterion, Entry
from domain.wheel.models import Event


@dataclass(frozen=True)
class CommandInfo:
    """What the engine knows of a command: read from the command registry."""

    name: str
    phrases: tuple[str, ...]
    intents: tuple[str, ...]
    summary: str
    example: str
    staff: bool = False
    needs_argument: bool = False  # e.g. 'legg til @Kari': never done from plain words
    # ... unless the words carry it: a report reference for 'historikk BM-…' (the
    # pattern finds it in the question; None: the argument is a person or a name)
    argument: re.Pattern[str] | None = None
    # a word the rest must hold for the command to read the message as its own ('gi @Kari
    # rollen …'; 'gi meg fristene' is not gi_rolle): as the command router reads it
    requires: str | None = None
    # done without its argument too ('jeg vil vurdere tiltakene': the reports to assess)
    bare: bool = False


@dataclass(frozen=True)
class Option:
    """A button on «Mente du …?» or «vet ikke»: what it opens and its label."""

    kind: str  # term, rule, event, command
    id: str
    label: str


@dataclass(frozen=True)
class TermAnswer:
    entry: Entry
    score: float

    @property
    def verdict(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class CompareAnswer:
    first: Entry
    second: Entry

    @property
    def verdict(self) -> str:
        return f"compare:{self.first.id}+{self.second.id}"


@dataclass(frozen=True)
class CriterionReply:
    number: int
    criterion: Criterion | None

    @property
    def verdict(self) -> str:
        return f"criterion:{self.number}"


@dataclass(frozen=True)
class EventAnswer:
    """The one event asked about. `passed`: its date in the cycle in use is behind us;
    `following` is the same event in a later cycle of the wheel, if it has one."""

    event: Event
    cycle_id: str
    today: date
    passed: bool
    following: Event | None = None
    following_cycle: str | None = None
    score: float = 0.0

    @property
    def verdict(self) -> str:
        return f"event:{self.event.id}"


@dataclass(frozen=True)
class UpcomingAnswer:
    """A date question about no event in particular: the next deadlines."""

    events: tuple[Event, ...]
    today: date

    @property
    def verdict(self) -> str:
        return "events"


@dataclass(frozen=True)
class NoCycleAnswer:
    """A date asked for a year the wheel has no cycle for."""

    year: int
    cycles: tuple[str, ...]

    @property
    def verdict(self) -> str:
        return f"nocycle:{self.year}"


@dataclass(frozen=True)
class RuleAnswer:
    """A rule or fact from content/sporsmal.yaml; `nearby`: another rule close enough to be
    what was meant, offered as the first follow-up."""

    rule: Rule
    score: float
    nearby: Rule | None = None

    @property
    def verdict(self) -> str:
        return f"rule:{self.rule.id}"


@dataclass(frozen=True)
class HowToAnswer:
    """How to do something with Kompis, from the command registry. `allowed` is False for
    a coordinator/admin command asked about by someone without that role."""

    command: CommandInfo
    allowed: bool = True

    @property
    def verdict(self) -> str:
        return f"howto:{self.command.name}"


@dataclass(frozen=True)
class DoCommand:
    """Sure enough: run the command with these arguments (a changing command shows its
    first card, which asks before anything changes)."""

    command: CommandInfo
    rest: str = ""

    @property
    def verdict(self) -> str:
        return f"command:{self.command.name}"


@dataclass(frozen=True)
class SuggestCommand:
    """Not sure: «Mente du «meld behov»?» with a button. `yesno`: asked whether it can be
    done ('kan vi melde behov nå?'), not told to: never done unasked."""

    command: CommandInfo
    rest: str = ""
    yesno: bool = False

    @property
    def verdict(self) -> str:
        return f"suggest:{self.command.name}"


@dataclass(frozen=True)
class SmallTalkAnswer:
    id: str
    reply: str

    @property
    def verdict(self) -> str:
        return f"smalltalk:{self.id}"


@dataclass(frozen=True)
class DidYouMean:
    options: tuple[Option, ...]

    @property
    def verdict(self) -> str:
        return "ambiguous"


@dataclass(frozen=True)
class Unknown:
    """An honest «det vet jeg ikke», with the nearest things Kompis does know.

    `reason`: nomatch (nothing close), or badinput (empty, no words, too long)."""

    reason: str
    suggestions: tuple[Option, ...] = field(default=())
    note: str | None = None  # e.g. 'Jeg svarer bare på norsk' for a question in English

    @property
    def verdict(self) -> str:
        return "badinput" if self.reason == "badinput" else "nomatch"


Reply = (TermAnswer | CompareAnswer | CriterionReply | EventAnswer | UpcomingAnswer
         | NoCycleAnswer | RuleAnswer | HowToAnswer | DoCommand | SuggestCommand
         | SmallTalkAnswer | DidYouMean | Unknown)
