"""Score the question engine on the question bank (used by tests and bench/answers.py).

The bank is tests/data/questions.yaml (the glossary's 318 questions, relabelled for the
engine where it answers more than terms) plus tests/data/sporsmal_bank.yaml (rules,
dates, how-to, commands in plain words, small talk, out of scope). Every item has a kind
and an expected answer in the notation of domain/answers/types.py; `heldout: true` items
were set aside before tuning and are reported apart. tests/data/sporsmal_holdt_ute.yaml
is a second held-out batch written from the seeds before the second round of tuning
(`held_out_batch`); only its figures are printed, never its single misses while tuning.
tests/data/sporsmal_holdt_ute_4.yaml, a fourth batch, was written from the seeds by
someone who never ran the engine, with every content id looked up by hand (the third, read
once measured, now teaches the engine in content/eksempler.yaml).

The tuned part includes content/eksempler.yaml, which the engine learns from: there it
answers its own examples. `cross_validate` measures the examples honestly: each fifth is
answered by an engine that learned from the other four.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from domain.answers.engine import Answerer, Bar, passes, second_guessable, threshold_key
from domain.answers.learned import Guess
from domain.answers.loader import EXAMPLES_FILE, load_answers, load_examples
from domain.answers.models import ExampleRow
from domain.answers.types import Reply
from domain.glossary.loader import load_criteria, load_glossary
from domain.glossary.matcher import Matcher
from domain.wheel.loader import WheelSource
from domain.wheel.models import Wheel

DATA = Path(__file__).resolve().parents[1] / "data"
# the tuned part: the glossary's questions, and the examples the engine learns from
# (content/eksempler.yaml: the bank's tuned part and the third batch, moved there in session 6)
BANKS = (DATA / "questions.yaml", DATA / "sporsmal_bank.yaml", EXAMPLES_FILE)
HELD_OUT_BATCH = DATA / "sporsmal_holdt_ute.yaml"
# the later batches (sporsmal_holdt_ute_N.yaml, `batch_path`), as each was written:
# the third batch (session 5) was read once its figures were out, and moved to
# content/eksempler.yaml in session 6; the fourth was written for session 6's measure
# the fifth was written in session 6 likewise
# written in session 7 from a different brief (twelve people through their year, their own
# words first, ids looked up after), by a writer who never read another bank or the examples
# written in session 8 from another brief (a shared Teams channel through the year, then the
# seeds section by section), by a writer who never ran the engine nor read the examples
# and one more in session 8 (sixty situation cards first, four messages from each), by a
# writer who never opened another file in tests/data/
# session 9's (twenty people in their first month, the seeds, commands in plain words; the
# messages written before any id was looked up), by a writer who never ran the engine
# and one more in session 9 (chat lines from six meetings through the year, lines pasted
# from emails and minutes, the bot as a tool), by another writer under the same rules
# session 10's: sixteen people on their phones through the year (dictated, thumbs, search
# words), and a helpdesk's inbox with the seeds read paragraph by paragraph and a first
# try of Kompis as a tool; written by two writers who never ran the engine
# and two more later in session 10: one to five words or two to five sentences with the
# question buried; people who do not know the official words (circumlocutions, everyday words)
# session 11's, written with no illustrations from the briefs: ordinary members through a
# year in a network's Teams channel, and readers asking about what they just read in a
# source, paragraph by paragraph (92.5 % and 92.5 % when they came in); and members in
# eleven counties writing to Kompis in a 1:1 chat through a working week (90.8 %); members
# in Agder, Telemark, Buskerud, Østfold and Trøndelag in every role (97.5 %; 21 of its
# messages were written after the writer had seen the rules' titles: its header says which)
# and members in Innlandet, Vestfold, Møre og Romsdal, Troms and Oslo, every message written
# before any id was looked up (95.4 % on arrival)
# session 12's: members in Agder, Rogaland, Nordland, Finnmark and Akershus in every role,
# in a meeting's chat or to Kompis in the evening (92.9 % on arrival); and people new to the
# scheme in 2026 through their first months, half-knowing the words (93.3 % on arrival)
# and later in session 12, after examples32 and examples33: members in Trøndelag, where
# several sources come from, asking about the meetings as people who were there (95.0 % on
# arrival); and people who question whether the process is fair, often at length (94.2 %)
# session 13's: the school sector through a school year (owners, rektorer, vgs, teachers in
# a measure), and people who ask on behalf of someone else or come back after a break
# and later in session 13, after examples34/35 and the question-word pairs: the people around
# the children (PPT, Statped, SFO, kulturskole, assistants), and busy members in shorthand
# session 14's, from one brief with no example wordings, by seven writers: the universities
# and colleges (94.2 % on arrival), nynorsk and English (92.9 %), municipal administration and
# local politics (90.8 %), time in people's own words (92.1 %), all by the engine of session
# 13; their command and how-to misses, read as counts per wording, found two faults (a
# command typed with its argument as the router reads it; «kan jeg/kan kompis …» asks how).
# Then, after those changes: small municipalities in the north (96.2 %; 93.8 % by session
# 13's engine), experienced coordinators and advisers (93.8 %; 91.2 %), and the kindergarten
# floor (96.2 %; 93.8 %)
# and later in session 14, before examples38-41: Kompis on the big screen in meetings (95.8 %
# on arrival), alone with Kompis in the evening (96.2 %), and the school side in the south-east
# (92.9 %, rules and process 82.2 %)
# and last in session 14, by the engine it left: Statsforvalteren's staff checking before
# they answer a caller (95.8 % on arrival) and the big cities (96.2 %)
# session 15's, on arrival by session 14's engine: Vestland and Møre og Romsdal in nynorsk
# (90.8 %), people confused by the change of schemes (91.7 %), coordinators and
# Statsforvalteren in the busiest weeks (93.8 %), Nordland, Troms and Finnmark (93.3 %);
# read in aggregate (command misses by command, rule and fact misses as pairs of ids)
# and three written while an order in other words with its person or name was made a
# command (measured after it: 95.8, 95.8, 92.9 %; before it 94.6, 94.2, 91.7 %): the school
# side in the south-east, phones across the country, a partnership's chat through a year
# and three more, measured on arrival by the engine with that change: Agder and Rogaland
# (96.2 %), Trøndelag seen from samarbeidsforum and the networks (95.4 %), first-time users of
# Kompis in their first week (95.4 %); by session 14's engine 95.0, 94.2 and 92.9 %
# and last in session 15, before examples42-44 (95.4, 97.5, 94.2 %; with them 94.2, 97.1,
# 93.8 %): Viken and Oslo's neighbours, readers asking about what they just read, a helpdesk log
# session 16's, written from a brief that asked for messages reworded away from the stored
# questions and for phones, forwarded questions and long e-mails; on arrival by session 15's
# engine (c25ec40): a new owner's first year (93.8 %), coordinators in the January crunch
# (90.0 %), UH partners (92.1 %), tillitsvalgte, PPT and private owners (90.4 %), people who
# were at the meetings (92.1 %), phones with typos and dialect (84.6 %): 90.5 % together,
# rules and process 85.6 %; read in aggregate (misses as pairs of ids)
# and four more from the same brief, measured on arrival by the engine with session 16's
# changes (f293b0b; by c25ec40 in brackets): Nordland (97.5 %; 96.7), kommunalsjefer and
# oppvekstsjefer (94.2; 92.9), a new coordinator's first weeks (89.6; 88.8), the chat in a
# network meeting (91.2; 90.8): 93.1 % together (92.3), rules and process 88.9 % (87.2)
# and last in session 16, by the same engine (e385caf; by c25ec40 in brackets): Vestland,
# Rogaland and Agder, much nynorsk (92.9 %; 91.2), the week before a deadline (91.7; 90.8),
# Oslo and its neighbours, knowing the old schemes (93.3; 92.1), Statsforvalteren's advisers
# across networks (90.0; 89.2): 92.0 % together (90.8), rules and process 88.3 % (85.6)
# session 17's, on arrival by session 16's engine (d4b8442): kindergarten owners in Innlandet
# (90.8 %), a new adviser at Statsforvalteren in Troms og Finnmark (96.2), the school side in
# Vestfold and Telemark (93.3), UH staff, much English (89.6), coordinators in Møre og Romsdal
# in nynorsk (92.5), members using Kompis as a tool on their phones (91.7): 92.4 % together,
# rules and process 90.7 %, out of scope 89.2 %; read in aggregate (misses as pairs of ids)
# and six more in session 17, on arrival by the engine with its first changes (2909d2a; by
# d4b8442 in brackets): kindergarten floor staff in Agder and Telemark (90.8 %; 92.1),
# municipal finance staff (93.8; 92.1), samarbeidsforum in Trøndelag (92.5; 91.7), polite
# newcomers to Teams (97.9; 97.9), Sogn og Fjordane and Hordaland in nynorsk (94.6; 94.2),
# PPT and Statped (93.8; 92.5): 93.9 % together (93.4); then read in aggregate
# and last in session 17, measured only as figures, by the engine before the dialect words
# (49f496d; by d4b8442 in brackets): trøndersk in Innherred, Namdalen and Fosen (80.8 %;
# 79.2), a helpdesk forwarding members' questions (95.4; 94.6), English-speaking staff
# (88.3; 88.3), coordinators using Kompis daily (87.9; 87.5), search-box keywords (86.7;
# 86.7), the weeks around the networks' deadline and waiting for the money (94.2; 91.7):
# 88.9 % together (88.0); and two written to try the dialect words (trøndersk around
# Trondheim, nordnorsk): 87.9 and 87.5 % before them, then read in aggregate
# and three at the very end of session 17, by the engine after the dialect words (f3157d2):
# English speakers (90.4 %), search-box keywords (89.6), coordinators' daily orders (92.1);
# then read in aggregate
# sets 67-89 (session 17's, described above) taught the engine from session 18: read as
# text once newer sets could measure, they were moved to content/eksempler.yaml, a block per
# set with its writer and style (tests/unit/test_answers.py checks that no question of a
# held-out set is taught); and sets 90-101 (session 18's) from session 19, once sets 102-117
# could measure: 1 490 of their 2 880 rows, the rest being near a question that still measures;
# and sets 102-117 (session 19's first sixteen, described below) later in session 19, once sets
# 118-125 could measure: 1 733 of their 3 840 rows
MOVED_TO_EXAMPLES = range(67, 118)


def batch_path(number: int) -> Path:
    return DATA / f"sporsmal_holdt_ute_{number}.yaml"


# (sets 90-101, session 18's, were moved to the examples in session 19: see MOVED_TO_EXAMPLES)
# session 18's eight, on arrival by session 17's engine (61f3bfa; in brackets once sets 67-89
# taught it): UH partners at NTNU, Nord and DMMH (94.2 %; 95.8), kindergarten owners in small
# municipalities on their phones (91.7; 93.8), nynorsk in Vestland and Møre og Romsdal (90.4;
# 93.8), school owners and PPT from Rekom and Kompetanseløftet (91.2; 92.9), newcomers in
# their first year (88.3; 92.5), Statsforvalteren and samarbeidsforum (91.2; 92.9), search
# words and English (87.9; 90.4), managers typing in meetings before deadlines (90.4; 92.9):
# 90.7 % together (93.1); then read in aggregate. And four at the end of session 18, measured
# only by the engine the session left (91.6 % by 61f3bfa): kindergartens in Oslo, Akershus and
# Buskerud (95.4 %), a network's shared channel through a year (95.0), private owners and KS
# (95.4), members checking an e-mail or minutes (91.2): 94.3 % together; figures only
# session 19's eight, measured on arrival by session 18's engine (ce2584d), before anything
# in the engine changed: kindergartens on Helgeland and in Salten (96.7 %), school leaders in
# Trøndelag in a network's channel (96.2), coordinators in Vestland and Rogaland in nynorsk
# (97.1), UH partners, much English (93.3), Statsforvalteren and samarbeidsforum in
# Innlandet, Buskerud and Østfold (98.3), tillitsvalgte and PPT (95.8), long messages with the
# question buried (95.0), search words and the old names (95.0): 95.9 % together
# and eight more in session 19, measured only by the engine the session leaves, once sets
# 90-101 taught it (figures in the README and in each set's header): Troms and Finnmark,
# Agder and Telemark in a formal style, new coordinators' first autumn, Møre og Romsdal and
# Sogn og Fjordane in nynorsk, private owners and KS, mostly English, assistants asking for
# their leaders, and the spring half of the year: 94.7 % together (93.1 by ce2584d); then read
# in aggregate and moved to the examples with 102-109
# and the last eight of session 19, written while the engine was changed and measured only by
# the engine the session leaves (figures in the README and in each set's header): kindergartens
# in Vestfold and Østfold, the school side in Salten, Lofoten and Vesterålen, samarbeidsforum in
# Trøndelag, newcomers and international researchers in English, municipal administration at
# length, Hordaland and Sunnhordland in nynorsk, very short messages, half-remembered claims
NEWEST = range(118, 126)

# the held-out batches after the second, by number
LATER_BATCHES = {number: batch_path(number) for number in (*range(4, 67), *NEWEST)}
TODAY = date(2026, 11, 22)  # the bank's "today": before the needs-report deadline


@dataclass(frozen=True)
class Case:
    question: str
    expect: str
    kind: str
    heldout: bool
    staff: bool = False
    today: date = TODAY


def _kind(expect: str) -> str:
    """The kind of an item from the glossary bank, read from its expectation."""
    if expect.startswith(("date:", "event:", "events")):
        return "dates"
    if expect.startswith("criterion:"):
        return "criteria"
    if expect in ("nomatch", "badinput"):
        return "out-of-scope"
    return "terms"


def cases(paths: tuple[Path, ...] = BANKS) -> list[Case]:
    found = []
    for path in paths:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for row in data["questions" if "questions" in data else "examples"]:
            expect = str(row["answer"] if "answer" in row else row["expect"])
            today = row.get("today")
            found.append(Case(str(row["q"]), expect, str(row.get("kind") or _kind(expect)),
                              bool(row.get("heldout", False)), bool(row.get("staff", False)),
                              today if isinstance(today, date) else TODAY))
    return found


def held_out_batch(path: Path = HELD_OUT_BATCH) -> list[Case]:
    """A held-out batch (the second by default, batch_path(4) the fourth): every item
    held out. `missing` items ask for facts no content holds: always wrong."""
    return [Case(c.question, c.expect, c.kind, True, c.staff, c.today)
            for c in cases((path,))]


def commands() -> list[Any]:
    """The real command registry, built as the app builds it (an unopened in-memory
    database: registering commands touches no table)."""
    from bot import compose
    from bot.config import Settings
    from dialogs.answers import command_infos

    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:",
                        public_url="https://kompis.example.no")
    router = compose.features(compose.services(settings, compose.database(settings))).router
    return command_infos(router.commands)


def arguments() -> list[str]:
    from dialogs.answers import argument_words
    return argument_words()


def examples() -> tuple[ExampleRow, ...]:
    """content/eksempler.yaml, validated as the app loads it."""
    glossary = load_glossary()
    return load_examples(load_answers(glossary=glossary), glossary).examples


def build(registry: list[Any] | None = None,
          taught: tuple[ExampleRow, ...] | None = None) -> tuple[Answerer, Wheel]:
    """The engine over all content; `registry`: command infos already read (the bench
    times content loading apart from importing the bot to read the registry); `taught`:
    the examples it learns from (all of content/eksempler.yaml unless given)."""
    glossary = load_glossary()
    matcher = Matcher(glossary, load_criteria(glossary=glossary))
    content = load_answers(glossary=glossary)
    answerer = Answerer(content, matcher, commands() if registry is None else registry,
                        arguments(),
                        load_examples(content, glossary).examples if taught is None
                        else taught)
    return answerer, WheelSource().wheel


def correct(case: Case, got: str) -> bool:
    if case.expect in ("date:any", "dates:any"):
        return got.startswith(("event:", "events"))
    if case.expect.startswith("date:"):
        return got == "event:" + {
            "behovsmelding": "frist-behovsmelding", "rapportering": "frist-rapportering",
            "beslutningsgrunnlag": "frist-beslutningsgrunnlag",
            "innstilling": "endelig-innstilling",
            "samarbeidsforum": "samling-sf-fagutvalg"}.get(case.expect[5:], case.expect[5:])
    if case.expect == "nomatch":
        return got in ("nomatch", "badinput")
    # the list of what comes next is the same card (dialogs/wheel.next_card) whichever way
    # it was asked for: the next deadlines, or with the meetings too («hva skjer framover»,
    # done by the command hva skjer; counted wrong until session 17: 19 of the 4 800
    # questions in held-out sets 53-72 were labelled `events` and answered so, 3 in 4-52)
    if {case.expect, got} in ({"events", "command:neste_frist"}, {"events", "command:hva_skjer"}):
        return True
    # how Kompis is used is answered by the help card itself (dialogs/answers.py)
    if {case.expect, got} == {"howto:hjelp", "command:hjelp"}:
        return True
    return got == case.expect


def ask(answerer: Answerer, wheel: Wheel, case: Case) -> Reply:
    return answerer.answer(case.question, case.today, wheel, staff=case.staff)


@dataclass(frozen=True)
class Fold:
    """One example answered by an engine that did not learn from it: what the rules said,
    the learned guess, and the answer the guess would give instead."""

    case: Case
    rules: Reply
    guess: Guess | None
    instead: Reply | None


# A writer's block in content/eksempler.yaml starts at a marker line that names the round
# or session it was written in ('# --- examples19 (økt 11): …'); the per-rule markers inside
# a round ('# --- hvem-samler-inn ---') do not start one.
WRITER_MARK = re.compile(r"^# --- .*(\(økt|økt \d|Spørsmålsbanken|Tredje holdt-ute|Nye fakta|"
                         r"Fakta fra kildene|Utenfor: \d)")


def writer_blocks(path: Path = EXAMPLES_FILE) -> list[int]:
    """The writer's block of each example in the file, in order (0, 1, …)."""
    blocks: list[int] = []
    block = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if WRITER_MARK.match(line) and blocks:
            block += 1
        if line.startswith("- q:"):
            blocks.append(block)
    return blocks


def _by_writer(rows: int, folds: int) -> list[set[int]]:
    """Whole writers' blocks per part, the largest first into the smallest part: an example
    is answered by an engine that learned nothing its writer wrote, as a question from
    someone new would be (the parts' sizes stay within a block of each other)."""
    blocks = writer_blocks()
    if len(blocks) != rows:
        raise ValueError(f"{len(blocks)} examples found by their markers, {rows} loaded")
    sizes = Counter(blocks)
    load = [0] * folds
    part_of: dict[int, int] = {}
    for block, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        part = load.index(min(load))
        part_of[block] = part
        load[part] += size
    return [{i for i, b in enumerate(blocks) if part_of[b] == k} for k in range(folds)]


def cross_validate(registry: list[Any], folds: int = 5, seed: int = 7,
                   by_writer: bool = False) -> list[Fold]:
    """content/eksempler.yaml in `folds` parts, each answered by an engine taught the
    rest (the same shuffle every time). `by_writer`: each writer's block stays in one part
    (the random parts put rows one writer wrote from one template on both sides, so they
    trust the learned guess more than questions from new people bear out: thresholds tuned
    on them in session 11 gained 72 of 10 643 there and lost 7 on the held-out batches,
    while by writer they left fewer out-of-scope questions unanswered than the floor)."""
    rows = examples()
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    parts = _by_writer(len(rows), folds) if by_writer else [
        set(order[k::folds]) for k in range(folds)]
    found = []
    for held in parts:
        answerer, wheel = build(registry, tuple(r for i, r in enumerate(rows)
                                                if i not in held))
        for i in sorted(held):
            row = rows[i]
            case = Case(row.q, row.answer, row.kind, True, row.staff, row.today or TODAY)
            rules, guess, instead = answerer.explain(row.q, case.today, wheel,
                                                     staff=row.staff)
            found.append(Fold(case, rules, guess, instead))
    return found


def combined(folds: list[Fold], thresholds: Mapping[str, tuple[float, float]]
             ) -> tuple[Counter[str], Counter[str]]:
    """(totals, right) per kind, had the engine used these thresholds (as the engine's
    THRESHOLDS: a `Bar`, (score, margin), by how sure the rules were)."""
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for fold in folds:
        reply = fold.rules
        sure = second_guessable(fold.rules, fold.case.question)
        if fold.instead is not None and fold.guess is not None and sure is not None:
            if passes(fold.guess, Bar(*thresholds[threshold_key(sure, fold.rules, fold.guess)])):
                reply = fold.instead
        totals[fold.case.kind] += 1
        right[fold.case.kind] += correct(fold.case, reply.verdict)
    return totals, right


def evaluate(answerer: Answerer, wheel: Wheel, selection: list[Case]
             ) -> tuple[Counter[str], Counter[str], list[tuple[Case, str]]]:
    """(totals per kind, right per kind, wrong cases with what was answered)."""
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong = []
    for case in selection:
        got = ask(answerer, wheel, case).verdict
        totals[case.kind] += 1
        if correct(case, got):
            right[case.kind] += 1
        else:
            wrong.append((case, got))
    return totals, right, wrong
