"""content/sporsmal.yaml as validated data: rules and process (FAQ), small talk, how the
wheel's events are asked about, and the synonym map shared by all retrieval.

Every factual entry names its source. Where the sources disagree, the entry lists each
side with its own source (`sides`), and the answer shows both; it never picks one.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from domain.content import HttpsUrl
from domain.glossary.models import Glossary, Problem, _raise, fold

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def _id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"{value!r} skal være små bokstaver a-z, tall og bindestrek")
    return value


class Side(BaseModel):
    """One side of a disagreement between the sources, with its own source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    says: str = Field(min_length=10, max_length=400)
    source: str = Field(min_length=6, max_length=300)


class Related(BaseModel):
    """What an answer points on to: terms, wheel events, commands, other questions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


class Rule(BaseModel):
    """A rule or process question with its short answer, written from the seeds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=5, max_length=120)
    questions: tuple[str, ...] = Field(min_length=2)
    answer: str = Field(min_length=10, max_length=700)
    sides: tuple[Side, ...] = ()
    changing: str | None = Field(None, min_length=10, max_length=500)
    practice: bool = False  # this region's practice in Kompis, not the regulation
    source: str = Field(min_length=6, max_length=400)
    url: HttpsUrl | None = None
    related: Related = Related()

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _id(value)

    @model_validator(mode="after")
    def _sides(self) -> Rule:
        if len(self.sides) == 1:
            raise ValueError("en uenighet trenger minst to sider (sides), hver med kilde")
        return self

    @property
    def disputed(self) -> bool:
        return len(self.sides) >= 2


class SmallTalk(BaseModel):
    """Greetings and thanks: a short friendly reply that points to `hjelp`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    phrases: tuple[str, ...] = Field(min_length=1)
    reply: str = Field(min_length=2, max_length=300)

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _id(value)


class EventWords(BaseModel):
    """How people ask about one event of the wheel (matched by event id in every cycle)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: str
    questions: tuple[str, ...] = Field(min_length=1)


class AnswerContent(BaseModel):
    """The whole file; ids unique, related terms and questions exist."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: tuple[Rule, ...] = Field(min_length=1)
    smalltalk: tuple[SmallTalk, ...] = ()
    events: tuple[EventWords, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> AnswerContent:
        problems: list[Problem] = []
        ids: dict[str, int] = {}
        for i, rule in enumerate(self.rules):
            if rule.id in ids:
                problems.append((("rules", i, "id"), f"id brukt flere ganger: {rule.id}"))
            ids.setdefault(rule.id, i)
        for i, rule in enumerate(self.rules):
            missing = [q for q in rule.related.questions if q not in ids]
            if missing:
                problems.append((("rules", i, "related", "questions"),
                                 f"ukjent id {', '.join(missing)}"))
        seen: dict[str, str] = {}
        for i, talk in enumerate(self.smalltalk):
            for phrase in talk.phrases:
                key = fold(phrase)
                if key in seen and seen[key] != talk.id:
                    problems.append((("smalltalk", i, "phrases"),
                                     f"{phrase!r} står også under {seen[key]}"))
                seen[key] = talk.id
        _raise("AnswerContent", problems)
        return self

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def problems_with(self, glossary: Glossary) -> list[str]:
        """Links to glossary entries that do not exist."""
        return [f"rules[{i}] ({r.id}).related.terms: ukjent begrep {t}"
                for i, r in enumerate(self.rules) for t in r.related.terms
                if glossary.get(t) is None]


# --- content/eksempler.yaml: questions as members type them, with the answer they get ----

KINDS = ("dates", "rules", "facts", "howto", "commands", "smalltalk", "out-of-scope", "terms",
         "criteria")
_ANSWER = re.compile(r"^(events|nomatch|badinput|(event|rule|smalltalk):[a-z0-9-]+|"
                     r"(howto|command):\w+|criterion:\d{1,2}|nocycle:\d{4}|"
                     r"compare:[a-z0-9-]+\+[a-z0-9-]+|[a-z0-9][a-z0-9-]+)$")
# answers the learned second opinion does not learn: the engine's own rules give them
# (bad input, small talk, a year the wheel lacks, two terms compared)
_NOT_LEARNED = ("badinput", "smalltalk:", "nocycle:", "compare:")


class ExampleRow(BaseModel):
    """One example: the question as typed and the answer it should get, in the question
    bank's notation (see domain/answers/types.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str = Field(min_length=1, max_length=4000)
    kind: str
    answer: str
    staff: bool = False
    today: date | None = None

    @field_validator("kind")
    @classmethod
    def _check_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"ukjent type {value!r}; bruk en av {', '.join(KINDS)}")
        return value

    @field_validator("answer")
    @classmethod
    def _check_answer(cls, value: str) -> str:
        if not _ANSWER.match(value):
            raise ValueError(f"{value!r} er ikke et svar i bankens notasjon")
        return value

    @property
    def target(self) -> str | None:
        """What the learned second opinion is taught: a how-to and doing a command are
        one target (the engine reads which from the wording); None: not learned."""
        if self.answer.startswith(_NOT_LEARNED):
            return None
        if self.answer.startswith("howto:"):
            return "command:" + self.answer.removeprefix("howto:")
        return self.answer


class ExampleBank(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    examples: tuple[ExampleRow, ...] = Field(min_length=1)

    def problems_with(self, content: AnswerContent, glossary: Glossary) -> list[str]:
        """Answers naming a rule or a term that does not exist (events and commands are
        checked where the wheel and the command registry are known)."""
        rules = {r.id for r in content.rules}
        problems = []
        for i, row in enumerate(self.examples):
            kind, _, name = row.answer.partition(":")
            if kind == "rule" and name not in rules:
                problems.append(f"examples[{i}] ({row.q!r}): ukjent regel {name}")
            elif not name and row.answer not in ("events", "nomatch", "badinput") and \
                    glossary.get(row.answer) is None:
                problems.append(f"examples[{i}] ({row.q!r}): ukjent begrep {row.answer}")
        return problems
