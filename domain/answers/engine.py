"""The answerer: a question and today's date in, one typed answer out.

Pure and fast: built once from content (rules, small talk, event phrasings), the glossary
matcher and the command registry's descriptions; the wheel is passed per question (it is
reloaded while the bot runs) and its event index is cached per wheel object.

How a question is read, in order:
1. bad input (empty, no letters, too long) -> Unknown('badinput');
2. small talk ('takk', 'god morgen') when that is all the message is;
3. a criterion by number or topic, or two terms compared (the glossary matcher);
4. a date question ('når', 'frist', 'kva tid', 'when') -> the one event asked for, the
   next deadlines when no event is named, or «no cycle» for a year the wheel lacks;
5. otherwise the best of: a glossary term that explains the whole question, a rule
   (content/sporsmal.yaml), a command (how-to for 'hvordan …'/'kan du …', else do it;
   '… i kompis' asks for the command first, a yes/no question never runs one);
6. below the thresholds: «Mente du …?», and below those an honest «vet ikke»;
7. a second opinion learned from content/eksempler.yaml (domain/answers/learned.py): where
   the rules were unsure, or clearly over a confident answer, its guess replaces theirs.
Every threshold is a named constant below; the rules' scores run 0..1 (see
domain/answers/index.py), the learned guess's are SVM decision values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeGuard

from rapidfuzz import fuzz, process

from domain.answers.index import TIE, Hit, Index
from domain.answers.learned import Example, Guess, Learned
from domain.answers.models import AnswerContent, ExampleRow, Rule
from domain.answers.text import FILLER, Tokenizer, base, known, standard
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
from domain.glossary.matcher import (
    CONFIDENT,
    DATE_WORDS,
    STOP_WORDS,
    Ambiguous,
    Answer,
    Compare,
    CriterionAnswer,
    Matcher,
    NoMatch,
    normalize,
)
from domain.glossary.models import Entry
from domain.norsk import MONTHS, months_named
from domain.phrases import new_name, splits
from domain.wheel.due import active_cycle, next_events
from domain.wheel.models import Cycle, Wheel

# --- The learned second opinion (SVM decision values, domain/answers/learned.py), chosen
# by 5-fold cross-validation on content/eksempler.yaml (`bench/answers.py --tune`): the most
# right answers among thresholds that answer no more out-of-scope questions than the rules
# alone. The examples include 584 questions Kompis should not answer, so the classifier has
# a 'nomatch' of its own: where it guesses that, «vet ikke» stays, and it may replace a
# confident answer to a question that is not Kompis' business.


class Bar(NamedTuple):
    """What a guess must pass to replace the rules' answer: a decision value at or above
    `score`, ahead of the runner-up by `margin`."""

    score: float
    margin: float


# The bar a guess must pass, by how sure the rules were (`threshold_key`); chosen in
# session 9 with 5 974 examples (`bench/answers.py --tune --oos-floor 0.925`), and again in
# session 18 with 23 987, cross-validated by writer (`--tune --by-writer`): the most right,
# 22 312 against 22 185 with session 9's bars, and 1 753 of 1 925 out-of-scope questions left
# unanswered against 1 767 (below the 92.5 % floor, as session 9's bars were there); on
# held-out sets 4-66 14 500 right against 14 471, and on 90-97 1 788 against 1 777, with as
# many out-of-scope questions unanswered within four (the floor's choice gave -7 and +4).
# NOTHING stays at session 9's bar: the search's (-0.6, 0.2) answered a made-up word with a
# term («hva er blorgfjes?», tests/protocol/test_hardening.py) and changed nothing held out
UNKNOWN = Bar(-0.8, 0.0)  # «vet ikke», with something near to suggest
NOTHING = Bar(-0.2, 0.4)  # «vet ikke», with nothing near at all ('hva er kvantefysikk')
UNSURE = Bar(-0.8, 0.0)  # «Mente du …?», or a command only suggested
AGREED = Bar(-0.6, 0.0)  # a command only suggested that the guess names too: it is done
OVERRULE = Bar(-0.8, 0.0)  # a confident answer
TERM = Bar(-1.0, 0.0)  # a term answered for a question not worded as a definition
# A criterion asked about with what someone said or meant of it ('hva sa gruppene om
# kriterium 5', 'kva meinte gruppe 2 om det samiske kriteriet') is a question for the rule
# about it: the guess may give that rule (examples CV: all 10 such answered with the
# criterion were wrong)
SAID_ABOUT = frozenset("""sa sagt mente meinte meiner mener kom gruppene gruppa gruppane gruppe
said think thought groups group foreslo""".split())
THRESHOLDS = {"unknown": UNKNOWN, "nothing": NOTHING, "unsure": UNSURE, "agreed": AGREED,
              "term": TERM, "confident": OVERRULE}
# what a month's list ('frister i januar') is when the message names no month
WITHOUT_MONTH = "neste_frist"
LOOKUP_WORDS = 2  # «Mente du …?» for a message this short is kept: a word to look up
# Another rule the guess scores at least this high is offered first under a rule's answer
# (cross-validated with 6 332 examples: offered with 51 % of the rule answers, it was the
# right one for 111 of the 333 that were wrong; at -0.3: 25 % and 76)
NEARBY = -0.5

# --- Thresholds (scores 0..1) ------------------------------------------------------------
RULE_ANSWER = 0.60  # a rule at or above this, clear of the runner-up, is the answer
RULE_MARGIN = 0.045  # ... clear by this much, or it is a «Mente du …?»
MIN_DOC_SHARE = 0.35  # ... and covering this much of one stored phrasing ('plan' alone
#                       does not make 'hvem lager den langsiktige planen?')
SUGGEST = 0.42  # at or above: offered under «Mente du …?»; below: only a suggestion
COMMAND_SURE = 0.60  # a plain-words command at or above this is done (or explained)
COMMAND_SURE_ORDER = 0.50  # ... or this, when the message is worded as an order
COMMAND_SUGGEST = 0.45  # ... at or above this, «Mente du «…»?»
EVENT_ANSWER = 0.45  # a date question's event at or above this is the one asked for
EVENT_MARGIN = 0.03  # ... and ahead of the next event by this much
MONTH_BONUS = 0.15  # an event in the month the question names ranks this much higher
MONTH_COMMAND_BONUS = 0.25  # ... and a command that takes a month ('frister i januar')
EVENT_FULLER = 0.3  # among tied events, one whose phrasing was asked this much more fully
RULE_OVER_DEFINITION = 0.85  # 'hva er X …' gets the term X unless a rule fits this well
RULE_WITH_TERM = 0.50  # a rule that explains more than the term found beside it
RULE_EXACT = 0.90  # a rule's stored question asked almost word for word beats the term
ORDER_PENALTY = 0.10  # a rule ranks this much lower when the message is an order
STAFF_PENALTY = 0.10  # a staff command ranks this much lower for others
SUBJECT_BONUS = 0.12  # an answer about the term the question names ranks this much higher
QUESTION_PENALTY = 0.08  # 'hvem kan melde behov' is a question before it is a command
ASKED_BONUS = 0.04  # an answer stored for the same question word ('hvem …' for 'hvem …')
ADDRESS_BONUS = 0.08  # a message about Kompis itself ('hva kan du …') leans to commands
ADDRESSED = frozenset({"du", "deg", "kompis", "you"})  # words that speak to Kompis
# 'hvordan ser jeg …', 'korleis finn eg …': how I do something, most often in Kompis
FIRST_PERSON = frozenset({"jeg", "eg"})
SMALLTALK_RATIO = 90.0  # rapidfuzz ratio of the whole message to a small-talk phrase
SMALLTALK_WORDS = 7  # longer messages are questions, not greetings
# Words that make a greeting or thanks warmer without making it a question
POLITE = frozenset("""en ei ein fin fint fine god godt gode helg dag dagen kveld alle sammen
saman har i dag svaret svar ditt din med hjertelig hjarteleg masse veldig mange riktig skikkelig
lot a so much very all everyone nice have day""".split())
TYPO_RATIO = 80.0  # a word outside the vocabulary within this ratio of a known one
TYPO_MIN = 5  # shorter words are not repaired (too easy to turn into another word)
TYPO_LENGTH = 2  # a typo changes a word's length by at most this much
MAX_CHARS = 600  # longer messages are not questions Kompis can answer well
MAX_SUGGESTIONS = 3
MAX_COUNT = 60  # a number up to this, not before a month or a unit, is a count
NOT_COUNTED = frozenset({"prosent", "%", "kr", "kroner", "mill", "millioner", "uke", "veke",
                         "week", "kl", "klokka", "klokken", "kriterium", "kriterie",
                         "kriteriet", "punkt", "sak", "nr", "nummer", "paragraf"})
NEXT_DEADLINES = 3
DATE_FILLER = ("antall", "hvor mange", "husk", "huske", "viktig", "viktige", "dager", "dagar",
               "days", "inn", "inne",
               # 'hvor lenge er det igjen til …', 'how long until …': the days left
               "hvor", "lenge", "igjen", "att", "lang", "tid", "long", "until", "left")
MONTH_SLACK = timedelta(days=3)  # an event this close to a month's end is 'in' both
AUDIENCE_BONUS = 0.06  # a deadline for the one actor the question names ranks higher
AUDIENCES = {"koordinator": ("nettverk", "kompetansenettverk", "koordinator"),
             "partnerskap": ("partnerskap",), "samarbeidsforum": ("samarbeidsforum",)}
RECIPIENT = frozenset({"til", "to", "mot", "ovenfor"})  # 'til nettverket': the receiver
WORDS_KEPT = 16384  # words whose typo repair is remembered
COMPOUND_MIN = 8  # a compound two tokens are joined into is at least this long
LINKS = ("", "s", "e")  # how Norwegian joins the parts of a compound

# Words that make a question about a date, and words that say only that.
DATE_CUES = frozenset({"når", "frist", "fristen", "frister", "fristene", "fristar",
                       "fristane", "deadline", "deadlines", "dato", "datoen", "datoer",
                       "tidsfrist", "tidsfristen", "innen", "when", "due"})
DATE_PHRASES = ("kva tid", "hvilken dato", "hvilken dag", "kva dato", "kva dag", "hvilken uke",
                "hva dato", "hva dag", "hva veke", "hva månad", "om to år", "om tre år",
                "kva veke", "hvilken måned", "kva månad", "which week", "which month",
                "hvilke datoer", "what date", "which date", "når")
# The days left to a date, in the words as read ('hvor mange' and 'how many' are 'antall'):
# 'hvor lenge er det igjen til vi må levere', 'how many days until the report is due'
DAYS_LEFT = ("hvor lenge er det", "hvor lenge til", "hvor lang tid er det", "antall dager",
             "antall dagar", "antall days", "dager igjen", "dagar igjen", "dagar att",
             "hvordan long until", "days left")
# 'minn meg på rapporteringsfristen', 'varsle oss før fristen': an order to be reminded
# (abonner), not a question of when; 'minn meg på når fristen er' still asks when
REMIND = ("minn meg", "minn oss", "minne meg", "minne oss", "påminn meg", "påminn oss",
          "varsle meg", "varsle oss", "varsl meg", "varsl oss", "gi meg beskjed før",
          "gi oss beskjed før", "send meg påminnelse", "send oss påminnelse",
          "send meg varsel", "send oss varsel", "remind me", "remind us")
IN_KOMPIS = ("i kompis", "med kompis", "gjennom deg", "i teams", "in kompis", "with kompis")
HOWTO_CUES = (*IN_KOMPIS, "hvordan", "korleis", "how ",
              "kan du",
              "hvor finner", "kor finn", "går det an", "er det mulig",
              "hva gjør jeg", "hva skal jeg gjøre", "kva gjer eg", "hvor kan", "kor kan",
              "hjelp meg", "what can", "can you", "can i", "hva kan ", "kva kan ")
QUESTION_STARTERS = frozenset("""hvem kven hva kva hvor kor når naar hvorfor kvifor hvilke
hvilken hvilket kva for who what when where why which""".split())
# A yes/no question starts with its verb: 'kan en eier …', 'må vi …', 'er det …'.
MUST = frozenset("må skal bør får kan trenger treng must should".split())
MODAL_STARTERS = frozenset("""kan må skal bør får er blir går gjelder skulle kunne var ble vart
hadde fikk can must
should is are does""".split())
# Words that may stand between a command and its arguments ('status for Fosen').
REST_FILLER = frozenset("""for i på pa til av om oss meg takk nå no please alle de den det
fremover framover snart neste uker ukene dagene månedene tida tiden her vårt vår våre
nettverket nettverk nettverka kanalen ennå enno behovsmelding behovsmeldingen behovsmeldinga
behovsmeldinger behovsmeldingene""".split())
TYPED_RATIO = 90.0  # a short message this close to a command's words is that command
# Question words: they tell what kind of answer is wanted, never what it is about, so a
# hit on them alone is no hit, and they weigh half.
QUESTION_TOKENS = frozenset({"hvem", "hvordan", "hvor", "når", "mange", "hva", "hvorfor",
                             "mye", "hvilk", "hvilken"})
DEFINITION_CUES = ("hva er ", "hva betyr ", "kva er ", "kva betyr ", "what is ", "what does ",
                   "what are ", "forklar ", "definer ", "hva menes med ", "kva meiner ",
                   "kan du forklare ", "hva står ", "hva vil det si ")
# A definition asked for after the term: 'innstillinga, kva tyder det', 'pbl kva er det for
# ein organisasjon', 'tiltak, hva menes med det her', 'likeverdig partnerskap betyr'
DEFINITION_AFTER = ("hva betyr det", "kva betyr det", "kva tyder det", "hva menes med det",
                    "kva meiner ein med det", "hva er det for", "kva er det for",
                    "hva er det snakk om", "kva er det snakk om", "hva går det ut på",
                    "kva går det ut på", "hva gikk det ut på", "kva gjekk det ut på",
                    "what does it mean", "what does that mean")
DEFINITION_ENDS = ("betyr", "tyder", "hva er det", "kva er det", "forklar", "forklar kort",
                   "ut på", "ut pa", "means", "mean")
# How a question about a rule or a fact begins ('hvilke …', 'må vi …', 'hva skjer …'), as
# opposed to a definition ('hva er …'): with a good rule at hand, the rule answers it.
RULE_CUES = ("hvilke ", "hvilken ", "hvilket ", "kva for ", "hvem ", "kven ", "hvor mange ",
             "trenger ", "treng ", "trengs ", "do we need ", "is there ", "are there ",
             "kor mange ", "hvor ofte ", "kor ofte ", "må ", "skal ", "bør ", "kan ", "er ",
             "blir ", "får ", "går ", "var ", "ble ", "vart ", "hadde ", "fikk ", "hva skjer ",
             "kva skjer ", "hva skal ", "kva skal ",
             "hva må ", "kva må ", "hvorfor ", "kvifor ", "who ", "which ", "how many ",
             "must ", "can ", "should ", "do we ", "does ")
EXPLAIN = frozenset("""forklare forklar fortelle fortell si seie svare hjelpe hjelp vise vis
explain tell help show finne""".split())
IMPERATIVES = frozenset("""vis gi send hent start lag åpne opne slå skru stopp last eksporter
meld list finn registrer sett skriv show give send get open start list stop ramse slutt
legg rett endre fjern sjå download remind add remove rename submit assess make export""".split())
SHOW_VERBS = frozenset("""vise vis gi liste list ramse hente hent finne finn sjå show give
list get""".split())
# 'kunne jeg fått …', 'kunne vi sett …': asked for, as after 'kan du vise'
GOT = frozenset({"fått", "sett", "fatt"})
GIVE = frozenset({"gi", "give"})  # 'gi meg …' hands over; 'gi Kari rollen' is a command
TO_ME = frozenset({"meg", "oss", "me", "us"})
# plurals that ask for a list ('frister i mars'), not for the date of one thing
LISTED = frozenset("""frister fristene fristar fristane møter møtene hendelser hendelsene
deadlines meetings datoer""".split())
SHOW_TOKENS = frozenset({"vis", "show"})
HOW_WORDS = (" hvordan ", " korleis ", " how ")
CAN = frozenset({"kan", "kunne", "can", "could"})
CAN_WHO = frozenset({"kompis", "jeg", "eg", "vi", "me", "i", "we"})
# a person named the way the command router reads one: '@Kari' typed, or Teams' mention
MENTIONED = re.compile(r"(?:^|\s)@\w|<at\b", re.IGNORECASE)
ORDERS = ("jeg vil ", "vi vil ", "eg vil ", "me vil ", "jeg skal ", "vi skal ", "eg skal ",
          "me skal ", "jeg må ", "vi må ", "jeg ønsker ", "vi ønsker ", "jeg trenger ",
          "vi trenger ", "i want ", "we want ", "please ", "eg ønskjer ", "me ønskjer ",
          "jeg ønskjer ", "eg treng ", "me treng ", "i would like ", "we would like ",
          "i need ", "we need ", "jeg skulle gjerne ", "vi skulle gjerne ",
          "we don t want ", "i don t want ", "we do not want ", "i do not want ",
          "no more ")
WHO_IS = ("hvem er ", "kven er ", "who is ", "who are ")
ENGLISH = frozenset("what when who how is the are does do can you where which why "
                    "deadline report needs network funds money please".split())
YEAR = re.compile(r"\b(20\d\d)\b")
IN_YEARS = re.compile(r"\b(?:om|in) (\d|ett|eitt|ei|et|to|tre|fire|fem|one|two|three|four|five)"
                      r" (?:år|year|years)\b")
NUMBERS = {"ett": 1, "eitt": 1, "ei": 1, "et": 1, "one": 1, "to": 2, "two": 2, "tre": 3,
           "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5}
NEXT_WORDS = frozenset({"neste", "kommende", "next", "upcoming", "førstkommende"})
# a full stop after a number is a date ('10. januar'), not the end of a sentence
CLAUSES = re.compile(r"(?<!\d)[.]+\s+|[,;:!?]+\s+|[?!]+$|\s+(?:eller|og|men)\s+")
SENTENCES = re.compile(r"(?:(?<=[^\d.][.])|(?<=[!?]))\s+")
# a short question with one of these points back to the sentence before it ('Hva betyr
# det?', 'Hvem skal vi sende den til?')
BACK = frozenset("det dette den denne dei de dem disse it this that them".split())
BACK_WORDS = 7
BETWEEN = "\x1f"  # between that sentence and the question in what `_last_question` returns
#                   (a control character no typed sentence holds)
# 'hva betyr det', 'hva er det for noe', 'hva står det for', 'what does that mean' (not
# 'hva betyr det for oss': what it means for someone is a rule's question)
MEANING_OF_IT = re.compile(
    r"^(?:hva|kva|what)\b(?:\s+\w+){0,2}?\s+(?:betyr|betyder|tyder|meiner|menes|står|"
    r"legges|kalles|mean|means|er|is)\b(?:\s+\w+){0,2}?\s+(?:det|dette|den|denne|that|"
    r"this|it)\b(?:\s+(?:ordet|begrepet|uttrykket|for|for noe|egentlig|eigentleg|her|"
    r"igjen|da|word|term))*$|^what\s+(?:does|do|is)\s+(?:that|this|it)\s+(?:mean|"
    r"stand for)\b")
# 'hva betyr det for oss', 'what does this mean for us': what follows from it for someone,
# which a rule answers; a learned guess of a term does not replace the rules' answer then
FOR_SOMEONE = re.compile(r"\b(?:betyr|betyder|tyder|meiner|innebærer|inneber|mean|means)\s+"
                         r"(?:det|dette|den|denne|that|this|it)\s+for\s+(?:oss|meg|dere|dykk|"
                         r"deg|us|me|you)\b")
AMOUNT = re.compile(r"\b(\d+)\s*%")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class _Target:
    kind: str  # rule, command
    id: str


@dataclass(frozen=True)
class _EventIndex:
    index: Index
    ids: list[str]
    deadline_for: list[frozenset[str]]  # per event: the tokens of what it is a deadline for
    months: list[frozenset[int]]  # per event: the months it falls in, in any cycle
    audiences: list[frozenset[str]]  # per deadline: whom it is for ('koordinator')
    ignore: frozenset[str]  # what a search of the events leaves out


class Answerer:
    """Built once; `answer` is then pure (the wheel's index is cached per wheel)."""

    def __init__(self, content: AnswerContent, matcher: Matcher,
                 commands: Sequence[CommandInfo] = (),
                 arguments: Collection[str] = (),
                 examples: Sequence[ExampleRow] = (), learned_cache: Path | None = None
                 ) -> None:
        """`examples`: questions as members typed them with their answers
        (content/eksempler.yaml), for the learned second opinion; none: rules alone.
        `learned_cache`: a folder where the fitted model is kept for the next process."""
        self.content = content
        self._examples = tuple(Example(e.q, e.target) for e in examples if e.target)
        self._learned: Learned | None = None
        self._learned_cache = learned_cache
        self.matcher = matcher
        self.tokens = Tokenizer(content.synonyms)
        self._rules = {r.id: r for r in content.rules}
        self._event_words = {e.event: e.questions for e in content.events}
        self._events: dict[int, tuple[Wheel, _EventIndex]] = {}
        self._talk = [(normalize(p), t.id, t.reply) for t in content.smalltalk
                      for p in t.phrases]
        self._talk_phrases = [p for p, _, _ in self._talk]
        self._talk_words = frozenset(w for p, _, _ in self._talk for w in p.split()) | {
            "kompis", "du", "deg", "så", "mye", "for", "og", "da", "igjen", "dere"} | POLITE
        self._talk_bases = frozenset(base(w) for w in self._talk_words)
        self._question = frozenset(self.tokens.token(w) for w in QUESTION_TOKENS)
        self._who_what = frozenset(self.tokens.token(w) for w in ("hvem", "hva"))
        self._light = frozenset(self.tokens.token(w) for w in STOP_WORDS | DATE_WORDS
                                if w not in {"hvem", "hvordan", "hvor", "når", "mange"})
        self._date_light = frozenset(self.tokens.token(w) for w in DATE_CUES | {
            "neste", "første", "kommende", "snart", "nå", "no", "dag", "dagen", "siste"})
        # what makes a command one about dates ('neste frist', 'frister i mars'); not
        # 'innen', whose stem is the 'inn' of 'sende inn'
        self._date_core = frozenset(self.tokens.token(w) for w in ("frist", "når", "dato"))
        # 'frist' is no topic, but it tells a deadline from a meeting: it counts there
        self._event_ignore = (self._light | self._date_light) - {self.tokens.token("frist")}
        self._count_token = self.tokens.token("antall")
        self._when = self.tokens.token("når")
        self._helping = frozenset(self.tokens.token(w) for w in ("hjelp", "hjelpe", "help"))
        self._small = frozenset(self.tokens.token(w) for w in (*POLITE, "her", "litt"))
        self._stop = frozenset(self.tokens.token(w) for w in STOP_WORDS)
        # words that say nothing about which date: 'hvor mange dager', 'må huske',
        # 'være inne'
        self._date_filler = frozenset(self.tokens.token(w) for w in DATE_FILLER)
        self._audience_words = {self.tokens.token(w): who for who, said in AUDIENCES.items()
                                for w in said}
        # the words of 'hva vil det si', 'hva menes med': how a definition is asked
        self._definition_words = frozenset(self.tokens.token(w) for cue in DEFINITION_CUES
                                           for w in cue.split())
        self._term_tokens: dict[str, frozenset[str]] = {}
        for entry in matcher.glossary.entries:
            found: set[str] = set()
            for key in entry.keys():
                forms = self.tokens.tokens(key)
                if len(forms) == 1 or key == entry.term:  # not 'melde behov' of behovsmelding
                    found.update(forms)
            self._term_tokens[entry.id] = frozenset(found)
        self.arguments = frozenset(normalize(a) for a in arguments)
        self.use_commands(commands)

    # --- building --------------------------------------------------------------------

    def use_commands(self, commands: Sequence[CommandInfo]) -> None:
        """(Re)build the index of rules and commands; called when commands change."""
        self.commands = {c.name: c for c in commands}
        targets: list[_Target] = []
        docs: list[tuple[tuple[str, ...], int]] = []
        for rule in self.content.rules:
            targets.append(_Target("rule", rule.id))
            for phrasing in (*rule.questions, rule.title):
                docs.append((tuple(self.tokens.tokens(phrasing)), len(targets) - 1))
        for command in commands:
            targets.append(_Target("command", command.name))
            # 'gi', 'fjern', 'legg til' are everyday words before they are commands: the
            # router reads them with their arguments; here only intents and description
            own = () if command.needs_argument else command.phrases
            for phrasing in (*own, *command.intents, command.summary):
                docs.append((tuple(self.tokens.tokens(phrasing)), len(targets) - 1))
        known = {t for doc, _ in docs for t in doc}
        for tokens in self._term_tokens.values():
            known |= tokens
        for phrasings in self._event_words.values():
            for phrasing in phrasings:
                known.update(self.tokens.tokens(phrasing))
        self._compounds = Compounds(t for t in known if len(t) >= COMPOUND_MIN)
        docs = [(_joined(doc, self._compounds), target) for doc, target in docs]
        self._targets = targets
        # what a message asking for help itself says ('jeg trenger hjelp')
        self._help_words = frozenset().union(*(self.command_words(c) for c in commands
                                               if c.name == "hjelp"))
        # the commands a message may start with, by phrase (in the registry's order), and
        # the phrases a short message is compared with for a typo
        self._typed: dict[str, list[CommandInfo]] = {}
        for command in self.commands.values():
            if not command.needs_argument:
                for phrase in dict.fromkeys(command.phrases):
                    self._typed.setdefault(phrase, []).append(command)
        # commands that take a person or a name, by phrase: the router does them when the
        # message starts with their words and carries the argument ('legg til @Kari')
        self._routed: dict[str, list[CommandInfo]] = {}
        for command in self.commands.values():
            if command.needs_argument and command.argument is None:
                for phrase in dict.fromkeys(command.phrases):
                    self._routed.setdefault(phrase, []).append(command)
        # commands that take a month ('frister i januar'): a message naming one leans there
        self._month_commands = frozenset(c.name for c in commands
                                         if set(normalize(c.example).split()) & set(MONTHS))
        self._fuzzy_phrases = [(p, c) for c in self.commands.values() for p in c.phrases
                               if (" " in p or len(p) >= 8) and not c.needs_argument]
        self._fuzzy_texts = [p for p, _ in self._fuzzy_phrases]
        self._own = {c.name: frozenset(t for p in c.phrases for t in self.tokens.tokens(p))
                     for c in commands}
        rules = frozenset(i for i, t in enumerate(targets) if t.kind == "rule")
        # 'vis …' says how to answer, not what: it weighs as little as a question word
        self._index = Index(docs, question_words=QUESTION_TOKENS | SHOW_TOKENS, whole=rules)
        self._indexed = self._index.vocabulary
        # scaffolding no stored phrasing uses ('betyr', 'forklar') neither helps nor hurts
        self._ignore = self._light - self._index.vocabulary
        # a network's or month's name is an argument, not what the question is about
        self._argument_tokens = frozenset(self.tokens.token(a) for a in self.arguments
                                          ) - self._index.vocabulary
        self._rank_ignore = self._ignore | self._argument_tokens  # what `_rank` leaves out
        vocabulary = set(self._index.vocabulary)
        for tokens in self._term_tokens.values():
            vocabulary |= tokens
        for phrasings in self._event_words.values():
            for phrasing in phrasings:
                vocabulary.update(self.tokens.tokens(phrasing))
        self._vocabulary = vocabulary
        self._vocab_list = sorted(v for v in vocabulary if len(v) >= TYPO_MIN - 1)
        # the typo search, per word: a message's last question is read again in the whole
        self._repaired = lru_cache(maxsize=WORDS_KEPT)(self._repair)
        # learned once the commands are known: they are answers it learns too
        self._learned = Learned((*self._examples, *self._stored_phrasings()),
                                self.content.synonyms, self._learned_cache
                                ) if self._examples and commands else None

    def _stored_phrasings(self) -> list[Example]:
        """What content itself says each answer is asked as and says: rules' questions,
        titles and answers, the events' phrasings, the terms by name and definition, the
        commands' words, intents and descriptions (a question about a fact uses the words
        of the answer that states it: 'Byporten', 'Scandic Bodø'). A rule's answer is
        learned whole and sentence by sentence: a question about one detail shares the
        words of its sentence, diluted in the whole (cross-validated on 7 318 examples, the
        classifier alone: 6 247 right against 6 213, facts 1 310 against 1 273; the
        engine: 6 442 against 6 393)."""
        found = [Example(q, "rule:" + r.id) for r in self.content.rules
                 for q in (*r.questions, r.title, r.answer, *_sentences(r.answer))]
        found += [Example(q, "event:" + e.event) for e in self.content.events
                  for q in e.questions]
        found += [Example(q, entry.id) for entry in self.matcher.glossary.entries
                  for key in (entry.term, *entry.abbreviations, *entry.synonyms)
                  for q in (key, "hva er " + key)]
        found += [Example(entry.definition, entry.id)
                  for entry in self.matcher.glossary.entries]
        found += [Example(q, "command:" + c.name) for c in self.commands.values()
                  for q in (*(() if c.needs_argument else c.phrases), *c.intents,
                            c.summary)]
        return found

    def _event_index(self, wheel: Wheel) -> _EventIndex:
        cached = self._events.get(id(wheel))
        if cached is not None and cached[0] is wheel:
            return cached[1]
        ids: list[str] = []
        docs: list[tuple[tuple[str, ...], int]] = []
        for cycle in wheel.cycles:
            for event in cycle.events:
                if event.id in ids:
                    continue
                ids.append(event.id)
                phrasings = [event.title, *self._event_words.get(event.id, ())]
                if event.deadline_for:
                    phrasings.append(f"frist {event.deadline_for.replace('_', ' ')}")
                for phrasing in phrasings:
                    docs.append((_joined(self.tokens.tokens(phrasing), self._compounds),
                                 len(ids) - 1))
                # the description is long: it helps find the event, but weighs less
                described = _joined(self.tokens.tokens(
                    f"{event.description} {event.where or ''}"), self._compounds)
                docs.append((described, len(ids) - 1))
        deadlines = {e.id: frozenset(self.tokens.tokens(e.deadline_for.replace("_", " ")))
                     for _, e in wheel.events() if e.deadline_for}
        months: dict[str, set[int]] = {}
        audiences: dict[str, frozenset[str]] = {}
        for _, e in wheel.events():
            # a few days either side: 'avklaringsmøtene i februar' on 3 March (moved
            # from 28 February to a working day)
            months.setdefault(e.id, set()).update({
                (e.start - MONTH_SLACK).month, e.start.month, e.last_day.month,
                (e.last_day + MONTH_SLACK).month})
            if e.kind == "frist":
                audiences[e.id] = frozenset(e.audience)
        index = Index(docs, question_words=QUESTION_TOKENS, whole=frozenset(range(len(ids))))
        found = _EventIndex(index, ids, [deadlines.get(i, frozenset()) for i in ids],
                            [frozenset(months.get(i, ())) for i in ids],
                            [audiences.get(i, frozenset()) for i in ids],
                            (self._event_ignore - index.vocabulary)
                            | (self._date_light - {self.tokens.token("frist")})
                            | self._date_filler)
        for tokens in (found.index.vocabulary,):
            self._vocabulary |= tokens
        self._vocab_list = sorted(v for v in self._vocabulary if len(v) >= TYPO_MIN - 1)
        self._repaired.cache_clear()  # repairs found before the wheel's words were known
        if len(self._events) > 4:
            self._events.clear()
        self._events[id(wheel)] = (wheel, found)
        return found

    # --- reading the question ------------------------------------------------------------

    def _query(self, text: str) -> list[str]:
        """Tokens, with typos repaired and unknown compounds split into known parts."""
        result: list[str] = []
        amounts = frozenset(AMOUNT.findall(text))  # '30 %': normalize drops the sign
        found = self.tokens.words(text)
        for i, word in enumerate(found):
            token = self.tokens.token(word)
            if word in FILLER or not token:
                continue
            if word.isdigit():
                result.append(token)
                following = found[i + 1] if i + 1 < len(found) else ""
                if word not in amounts and _count(word, found[i - 1] if i else "", following):
                    result.append(self._count_token)  # '7 tiltak' asks how many
                continue
            if token in self._vocabulary:
                result.append(token)
                continue
            parts = self._split(word)
            if parts:
                result += parts
                continue
            result.append(self._repaired(word, token))
        return list(_joined(list(dict.fromkeys(result)), self._compounds))

    def _split(self, word: str) -> list[str]:
        if len(word) < 8:
            return []
        for cut in range(len(word) - 4, 3, -1):
            head, tail = word[:cut], word[cut:]
            tail_token = self.tokens.token(tail)
            if tail_token not in self._vocabulary:
                continue
            if tail_token in self._stop:
                continue
            for h in (head, head[:-1] if head.endswith(("s", "e")) else head):
                head_token = self.tokens.token(h)
                # 'overført' is not 'over' + 'før'
                if head_token in self._vocabulary and len(h) >= 4 and \
                        head_token not in self._stop:
                    return [head_token, tail_token]
        return []

    def _repair(self, word: str, token: str) -> str:
        if len(word) < TYPO_MIN or known(word):
            return token  # a real word Kompis does not know is unknown, not a typo
        found = process.extractOne(token, self._vocab_list, scorer=fuzz.ratio,
                                   score_cutoff=TYPO_RATIO)
        if found is None or abs(len(str(found[0])) - len(token)) > TYPO_LENGTH:
            found = process.extractOne(base(word[:-1]) if len(word) > 6 else word,
                                       self._vocab_list, scorer=fuzz.ratio,
                                       score_cutoff=TYPO_RATIO)
        if found is None or abs(len(str(found[0])) - len(token)) > TYPO_LENGTH:
            return token  # 'permisjon' is not a typo of 'person'
        return str(found[0])

    # --- the answer ------------------------------------------------------------------------

    def answer(self, question: str, today: date, wheel: Wheel | None = None, *,
               staff: bool = False) -> Reply:
        """The answer to `question` on `today`; `staff`: asked by a coordinator/admin.

        A message of several sentences ('Hei! Jeg er ny som styrer … Hvor mange tiltak kan
        vi ta med?') is answered by its last question when that has a clear answer; the
        sentences before it are context ('… der står det beslutningsgrunnlag. Hva betyr
        det?' asks for the term the sentence before names). Otherwise the whole message is
        read."""
        reply, read = self._read(question, today, wheel, staff)
        reply = self._second_opinion(read, reply, today, wheel, staff)
        if isinstance(reply, (DoCommand, SuggestCommand)):
            return self._month_or_next(read, reply)
        return self._with_nearby(read, reply) if isinstance(reply, RuleAnswer) else reply

    def _month_or_next(self, text: str, reply: DoCommand | SuggestCommand
                       ) -> DoCommand | SuggestCommand:
        """A month's list ('frister i mars') gets the month named, however it was written
        ('deadlines in January', 'januar-fristene'); for a message naming none ('gi meg
        fristene') it is the next deadlines: the month command would only ask which month."""
        if reply.command.name not in self._month_commands:
            return reply
        months = months_named(text)
        if months:
            return replace(reply, rest=MONTHS[months[0] - 1])
        instead = self.commands.get(WITHOUT_MONTH)
        return reply if instead is None else replace(reply, command=instead, rest="")

    def _with_nearby(self, text: str, reply: RuleAnswer) -> RuleAnswer:
        """The rule with the other rule the guess finds close enough to be what was meant
        ('hvem bestemmer' and 'hvem lager innstillingen' sit close): one press away."""
        if self._learned is None:
            return reply
        near = self._learned.nearest(text, "rule", reply.verdict)
        rule = self._rules.get(near.target.partition(":")[2]) if near else None
        if near is None or rule is None or near.score < NEARBY:
            return reply
        return replace(reply, nearby=rule)

    def _read(self, question: str, today: date, wheel: Wheel | None, staff: bool
              ) -> tuple[Reply, str]:
        """The rules' answer and the text the learned guess reads (`_by_rules`). The rules
        read dialect question words as bokmål ('kem bestemme' asks who, `standard`); the
        guess reads the whole message as typed, the way it learned from the examples."""
        text = _SURROGATE.sub(" ", question or "")
        read_as = standard(text)
        reply, read = self._by_rules(read_as, today, wheel, staff)
        return reply, text if read == read_as else read

    def _by_rules(self, text: str, today: date, wheel: Wheel | None, staff: bool
                  ) -> tuple[Reply, str]:
        """The rules' answer, from the message's last question when that has a clear answer
        and otherwise from the whole message, and the text the learned guess reads: the
        whole message (cross-validated, the guess reading only the last question was right
        9 times fewer in 7 959), but the last question alone when it asks what a term it
        names means, and a question that points back with the term put back."""
        last = _last_question(text)
        if last is not None and len(text) <= MAX_CHARS:
            before, _, asked = last.rpartition(BETWEEN)
            named = self.matcher.last_named(before) if before and \
                MEANING_OF_IT.match(normalize(asked)) else None
            if named is not None:  # '… står det beslutningsgrunnlag. Hva betyr det?'
                # read on as the question it is, with 'det' put back as the term
                return TermAnswer(named.entry, named.score), f"hva betyr {named.entry.term}"
            last = before + " " + asked if before else asked
            reply = self._answer(last, today, wheel, staff)
            if isinstance(reply, (DoCommand, SuggestCommand)):
                # 'Vi rakk ikke fristen. Hva skjer nå?': the question needs the sentence
                # before it; a rule or date for the whole message goes first
                whole = self._answer(text, today, wheel, staff)
                if isinstance(whole, (RuleAnswer, EventAnswer)):
                    return whole, text
            plain = normalize(last)
            if isinstance(reply, TermAnswer) and _defines(plain) and \
                    not BACK.intersection(plain.split()):
                return reply, last  # '…. Hva er egentlig en innstilling?' names its term
            if not isinstance(reply, (Unknown, DidYouMean, SmallTalkAnswer)):
                return reply, text
        return self._answer(text, today, wheel, staff), text

    def _second_opinion(self, text: str, reply: Reply, today: date, wheel: Wheel | None,
                        staff: bool) -> Reply:
        """The rules' answer, unless the learned classifier is sure enough of another (see
        THRESHOLDS: surer after «vet ikke» and over a confident answer than after «Mente
        du …?»). What `second_guessable` keeps stays the rules' own."""
        sure = second_guessable(reply, text)
        guess, instead = self._alternative(text, reply, sure, today, wheel, staff)
        if sure is None or guess is None or instead is None:
            return reply
        return instead if passes(guess, THRESHOLDS[threshold_key(sure, reply, guess)]) \
            else reply

    def explain(self, question: str, today: date, wheel: Wheel | None = None, *,
                staff: bool = False) -> tuple[Reply, Guess | None, Reply | None]:
        """(what the rules answer, the learned guess, the answer it would give instead):
        how `answer` decides, for choosing its thresholds (bench/answers.py --tune)."""
        reply, read = self._read(question, today, wheel, staff)
        return reply, *self._alternative(read, reply, second_guessable(reply, read), today,
                                         wheel, staff)

    def _alternative(self, text: str, reply: Reply, sure: str | None, today: date,
                     wheel: Wheel | None, staff: bool) -> tuple[Guess | None, Reply | None]:
        """The learned guess, and its answer where it differs from `reply` and may replace
        it (None: it may not, or says the same); `sure`: `second_guessable(reply, text)`."""
        if self._learned is None or sure is None:
            return None, None
        if isinstance(reply, DidYouMean) and len(normalize(text).split()) <= LOOKUP_WORDS:
            return None, None  # 'plan': a word to look up; the options are the answer
        guess = self._learned.guess(text)
        if guess is not None and _confirms(reply, guess):
            return guess, DoCommand(reply.command, reply.rest)
        if guess is None or guess.target == _target(reply):
            return guess, None
        if ":" not in guess.target and guess.target not in ("events", "nomatch") and \
                FOR_SOMEONE.search(normalize(text)):
            return guess, None  # 'hva betyr det for oss': no definition of a term
        if isinstance(reply, (NoCycleAnswer, CriterionReply)) and \
                not guess.target.startswith("rule:"):
            # 'når er fristen i 2031': this cycle's date is no answer; a criterion asked
            # about with what was said of it is answered by a rule, or stays the criterion
            return guess, None
        instead = self._learned_reply(guess, text, reply, today, wheel, staff)
        plain = normalize(text)
        if isinstance(reply, EventAnswer) and isinstance(instead, EventAnswer) and \
                _in_month_named(reply, plain) and not _in_month_named(instead, plain):
            return guess, None  # 'evalueringsmøtet i mai': the month named tells them apart
        return guess, instead

    def _learned_reply(self, guess: Guess, text: str, reply: Reply, today: date,
                       wheel: Wheel | None, staff: bool) -> Reply | None:
        """The learned target as an answer of its own type, or None when it cannot be one
        here (an event with no wheel, a command or rule no longer there)."""
        kind, _, name = guess.target.partition(":")
        if kind == "rule":
            rule = self._rules.get(name)
            return RuleAnswer(rule, 0.0) if rule is not None else None
        if kind == "event":
            return self.event(name, today, wheel) if wheel is not None else None
        if guess.target == "events":
            return self._upcoming(wheel, today) if wheel is not None else None
        if kind == "command":
            command = self.commands.get(name)
            if command is None:
                return None
            said = standard(text)  # 'korsn får æ …' asks how, as the rules read it
            plain = normalize(said)
            howto, yesno = _wording(plain)
            return self._command(plain, command, 1.0, howto, staff, 1.0, yesno, said)
        if kind == "criterion":
            number = int(name)
            return CriterionReply(number, self.matcher.criteria.get(number))
        if guess.target == "nomatch":
            suggestions = reply.options if isinstance(reply, DidYouMean) else ()
            return Unknown("nomatch", suggestions)
        entry = self.matcher.get(guess.target)
        return TermAnswer(entry, 0.0) if entry is not None else None

    def _answer(self, text: str, today: date, wheel: Wheel | None, staff: bool) -> Reply:
        plain = normalize(text)
        if not plain:
            return Unknown("badinput", note="empty" if not text.strip() else "nowords")
        if len(text) > MAX_CHARS:
            return Unknown("badinput", note="long")
        # 'kompis hjelp', 'status for Fosen, kompis': a command typed to Kompis by name
        bare = " ".join(w for w in plain.split() if w != "kompis") or plain
        typed = self._typed_command(bare)
        # 'hjelp' is the command, though 'takk for hjelpen' is small talk
        talk = None if typed is not None and bare in typed.phrases else \
            self._smalltalk(plain)
        if talk is not None:
            return talk
        if typed is not None:
            done = self._command(bare, typed, 1.0, False, staff, said=text)
            if done is not None:
                return done
        routed = self._with_argument(text, bare)
        if routed is not None:
            command, rest = routed
            return HowToAnswer(command, allowed=False) if command.staff and not staff \
                else DoCommand(command, rest)
        match = self.matcher.match(text)
        if isinstance(match, CriterionAnswer):
            return CriterionReply(match.number, match.criterion)
        if isinstance(match, Compare) and not _must(plain):
            return CompareAnswer(match.first, match.second)
        if isinstance(match, Compare):
            match = NoMatch(())  # 'må alle nettverk ha samme tiltak' asks a rule
        tokens = self._query(text)
        if not tokens:
            return Unknown("nomatch", self._fallback_suggestions(match))
        tokens = self._without_show_verb(plain, tokens)
        howto, yesno = _wording(plain)
        first = plain.split()[0]
        asking = (first in QUESTION_STARTERS or yesno) and not howto
        term = match.entry if isinstance(match, Answer) else None
        # 'frister i mars' lists a month; 'hvilken dato er fristen i desember' asks a date
        named_month = bool(_named_months(plain)) and not self._asks_when(
            plain) and (_order(plain) or bool(LISTED & set(plain.split())))
        hits = self._rank(tokens, staff, asking,
                          self._term_tokens[term.id] if term is not None else frozenset(),
                          _order(plain), self._asked(plain),
                          named_month,
                          bool(ADDRESSED & set(plain.split())) or (
                              howto and bool(FIRST_PERSON & set(plain.split()))))
        best = hits[0] if hits else None
        content = [t for t in tokens if t not in self._light and t not in self._question]
        unknown = [t for t in content if t not in self._vocabulary]
        definition = (plain + " ").startswith(DEFINITION_CUES)
        is_command = best is not None and self._targets[best.target].kind == "command"
        # 'hvordan ser jeg alle fristene' asks how, not when
        dating = wheel is not None and self._is_date(plain) and not (
            howto and "når" not in self.tokens.words(plain) and not self._days_left(plain)) \
            and not _reminds(plain)
        if dating and wheel is not None and not (is_command and best is not None
                                                 and best.matched & self._date_core):
            # 'siste frist for å sende inn behovsmeldingen' asks for a date, not to send
            # it; only a command about dates ('neste frist', 'frister i mars') goes first
            dated = self._date(plain, tokens, today, wheel, hits)
            if dated is not None:
                return dated
            dating = False
        # 'skal nettverket vurdere tiltakene' asks a rule, if one fits about as well
        ruled = yesno and any(self._targets[h.target].kind == "rule"
                              and h.score >= best.score - RULE_MARGIN for h in hits[:3]) \
            if best is not None else False
        # 'hvem har ikke levert behovsmelding' says more than the term: the command that
        # matched two more of its words ('ikke', 'levert') is what is asked for
        if is_command and best is not None and not ruled and not (
                definition or (term is not None and len(content) < 2
                               and not _order(plain) and len(
                                   best.matched - self._term_tokens[term.id]
                                   - self._question) < 2)):
            extra = self._extra(best, None) - self._date_light
            if named_month and self._targets[best.target].id in self._month_commands:
                extra = extra | {"<month>"}  # the month named is what it was asked about
            sure = COMMAND_SURE_ORDER if _order(plain) else COMMAND_SURE
            if extra and (best.score >= sure or (
                    howto and (not unknown or len(extra - self._question) >= 2)
                    and best.score >= COMMAND_SUGGEST)):
                reply = self._command(plain, self.commands[self._targets[best.target].id],
                                      best.score, howto, staff, best.doc_share, yesno, text)
                if reply is not None:
                    return reply
        if _in_kompis(plain):
            # 'hvordan melder vi inn behov i kompis' asks how to do it here
            allowed = [h for h in hits[:3] if self._targets[h.target].kind == "command"
                       and h.score >= COMMAND_SUGGEST and (
                           staff or not self.commands[self._targets[h.target].id].staff)]
            if allowed:
                reply = self._command(plain, self.commands[self._targets[allowed[0].target].id],
                                      allowed[0].score, howto, staff, allowed[0].doc_share,
                                      yesno, text)
                if reply is not None:
                    return reply
        if dating and wheel is not None:
            dated = self._date(plain, tokens, today, wheel, hits)
            if dated is not None:
                return dated
        return self._decide(plain, tokens, match, hits, howto, staff, yesno, text)

    def _without_show_verb(self, plain: str, tokens: list[str]) -> list[str]:
        """'gi meg regnearket', 'kan du gi oss lista': 'gi' handing something over says
        nothing of what ('gi Kari rollen' is the command); the rest decides."""
        found = plain.split()
        opening = next((o for o in ORDERS if (plain + " ").startswith(o)), None)
        if opening is not None:
            # 'vi ønsker påminnelser her': the opening says it is wanted, not what
            dropped = set(self.tokens.tokens(opening))
            rest = [t for t in tokens if t not in dropped]
            return rest if set(rest) - self._light - self._question else tokens
        at = 2 if _asks_to_show(plain) else 0
        verb = found[at]
        if verb not in GIVE or len(found) <= at + 1 or found[at + 1] not in TO_ME:
            return tokens
        dropped = set(self.tokens.tokens(verb))
        rest = [t for t in tokens if t not in dropped]
        return rest if set(rest) - self._light - self._question else tokens

    def _asked(self, plain: str) -> str | None:
        """The question word the message starts with, as a token ('kven' -> hvem)."""
        found = self.tokens.words(plain)
        if not found or found[0] not in QUESTION_TOKENS:
            return None
        return self.tokens.token(found[0])

    def _rank(self, tokens: list[str], staff: bool, asking: bool = False,
              subject: frozenset[str] = frozenset(), order: bool = False,
              asked: str | None = None, month: bool = False,
              addressed: bool = False) -> list[Hit]:
        """Rule and command hits, best first; for someone without a staff role, a staff
        command must be clearly better than the alternatives to come first. `subject`:
        tokens of the term the question is about ('tiltak' in 'kan vi sende inn 7
        tiltak'): an answer that says something about it ranks ahead of one that does
        not, within SUBJECT_BONUS. `asked`: the question word it starts with; an answer
        stored for the same kind of question ('hvem mangler' for 'hvem har ikke sendt')
        ranks a little higher. `addressed`: the message speaks to Kompis ('hva kan du
        brukes til'), so a command ranks a little higher."""
        ignore = self._rank_ignore
        if (set(tokens) & self._indexed) - self._question - self._helping \
                - self._help_words - self._small:
            # 'kan du hjelpe oss med behovsmeldingen': about the report, not the help card
            ignore = ignore | self._helping
        hits = self._index.search(tokens, ignore=ignore, limit=8)
        if month:  # the month named is this command's argument: it fits that much better
            hits = [Hit(h.target, h.score + MONTH_COMMAND_BONUS, h.matched, h.doc_share, h.bm25)
                    if self._targets[h.target].kind == "command"
                    and self._targets[h.target].id in self._month_commands else h for h in hits]
        def adjusted(hit: Hit) -> float:
            target = self._targets[hit.target]
            # in an order ('jeg vil søke midler til et tiltak') the term is what the
            # command acts on, not the topic of a question about it
            bonus = SUBJECT_BONUS if subject & hit.matched and not (
                order and target.kind == "rule") else 0.0
            if asked is not None and asked in hit.matched:
                bonus += ASKED_BONUS
            if target.kind != "command":
                return hit.score + bonus - (ORDER_PENALTY if order else 0.0)
            penalty = STAFF_PENALTY if self.commands[target.id].staff and not staff else 0.0
            # a command stored as this very kind of question ('hvem mangler') answers it
            question = asking and (asked is None or asked not in hit.matched)
            return hit.score + bonus - penalty - (QUESTION_PENALTY if question else 0.0) + (
                ADDRESS_BONUS if addressed else 0.0)
        def own(hit: Hit) -> int:  # of equal commands, the one whose own words were used
            target = self._targets[hit.target]
            return len(hit.matched & self._own.get(target.id, frozenset())) \
                if target.kind == "command" else 0
        return sorted(hits, key=lambda h: (-round(adjusted(h) / TIE), -own(h)))

    def _extra(self, hit: Hit, term: Entry | None) -> frozenset[str]:
        """What a hit explains beyond question words and the term the matcher found."""
        extra = hit.matched - self._who_what
        return extra - self._term_tokens[term.id] if term is not None else extra

    def _typed_command(self, plain: str) -> CommandInfo | None:
        """A message that starts with a command's own words and has nothing after them
        but its arguments ('status for Fosen', 'meld behov KKUB'); 'hva skjer hvis vi
        leverer for sent' starts with 'hva skjer' but is a question."""
        # the longest phrase the message starts with whose rest is only arguments wins
        # ('gi …', 'legg til …' are left out: the router reads those itself)
        for head, rest in splits(plain):
            for command in self._typed.get(head, ()):
                if self.only_arguments(rest):
                    return command
        if len(plain.split()) <= 3:
            hit = process.extractOne(plain, self._fuzzy_texts, scorer=fuzz.ratio,
                                     score_cutoff=TYPED_RATIO)
            if hit is not None and " " in plain:
                return self._fuzzy_phrases[hit[2]][1]
        return None

    def _with_argument(self, text: str, plain: str) -> tuple[CommandInfo, str] | None:
        """A command that takes a person or a name, typed with it as the command router
        reads it: its words first (and the word it requires: 'gi @Kari rollen …'), then a
        person ('@Kari') or a name ('gi partnerskapet nytt navn Fosen barnehager'). The
        router does these before Kompis is asked; «hvordan legger jeg til en kollega» is
        explained."""
        # the words as typed (capitals, '@'), without those normalizing drops ('–') and
        # Kompis' name, which `plain` has left out
        typed = [w for w in text.split() if normalize(w) not in ("", "kompis")]
        for head, rest in splits(plain):
            for command in self._routed.get(head, ()):
                if command.requires and command.requires not in rest.split():
                    continue
                after = typed[len(head.split()):]
                person = "@" in command.example
                if any(w.startswith("@") if person else w[:1].isupper() for w in after):
                    return command, rest
        return None

    def command_words(self, command: CommandInfo) -> frozenset[str]:
        """Tokens of a command's own words, intents and description."""
        found: set[str] = set()
        for phrasing in (*command.phrases, *command.intents, command.summary):
            found.update(self.tokens.tokens(phrasing))
        return frozenset(found)

    def only_arguments(self, rest: str) -> bool:
        """True when every word of `rest` is an argument or a small joining word."""
        return all(w in self.arguments or w in REST_FILLER for w in normalize(rest).split())

    def _smalltalk(self, plain: str) -> SmallTalkAnswer | None:
        found = plain.split()
        if len(found) > SMALLTALK_WORDS or not self._talk:
            return None
        greeting = all(w in self._talk_words or base(w) in self._talk_bases for w in found)
        hit = process.extractOne(plain, self._talk_phrases,
                                 scorer=fuzz.token_set_ratio if greeting else fuzz.ratio,
                                 score_cutoff=0 if greeting else SMALLTALK_RATIO)
        if hit is None:
            return None
        _, talk_id, reply = self._talk[hit[2]]
        return SmallTalkAnswer(talk_id, reply)

    def _is_date(self, plain: str) -> bool:
        """A question about a date: 'når', 'frist', 'kva tid' … but not 'etter fristen'
        or 'for sent', which the synonym map reads as lateness."""
        found = self.tokens.words(plain)
        if any(w in DATE_CUES or (len(w) > 7 and "frist" in w) for w in found):
            return True
        plain = " ".join(found)
        padded = f" {plain} "
        return any(plain.startswith(p) or f" {p} " in padded for p in DATE_PHRASES) or \
            self._days_left(plain)

    def _days_left(self, plain: str) -> bool:
        """'hvor lenge er det igjen til …', 'how many days until …' (DAYS_LEFT)."""
        padded = f" {' '.join(self.tokens.words(plain))} "
        return any(f" {p} " in padded for p in DAYS_LEFT)

    def _date(self, plain: str, tokens: list[str], today: date, wheel: Wheel,
              hits: list[Hit]) -> Reply | None:
        year = YEAR.search(plain)
        later = IN_YEARS.search(plain)
        cycles: Sequence[Cycle] = wheel.cycles
        if year or later:
            wanted = int(year.group(1)) if year else today.year + _number(later.group(1)) \
                if later else today.year
            cycles = [c for c in wheel.cycles if str(wanted) in c.id.split("/")]
            if not cycles:
                if wanted < today.year and any(self._targets[h.target].kind == "rule" and
                                               h.score >= RULE_ANSWER for h in hits[:1]):
                    return None  # 'fristen for tilbakemelding i 2021': what the sources say
                return NoCycleAnswer(wanted, tuple(c.id for c in wheel.cycles))
        specific = [t for t in tokens if t not in self._date_light and t not in self._light
                    and t not in self._question and t not in self._date_filler]
        if not specific:
            return self._upcoming(wheel, today)
        events = self._event_index(wheel)
        found = self._dated(events.index.search(tokens, ignore=events.ignore, limit=8), events,
                            plain, today, wheel)
        rules = [h for h in hits if self._targets[h.target].kind == "rule"]
        best_rule = rules[0].score if rules else 0.0
        # 'er fristen 10. januar eller 1. februar': a yes/no question that names dates asks
        # about a rule (here a disagreement), if one fits
        confirming = plain.split()[0] in MODAL_STARTERS
        if found and found[0].score >= EVENT_ANSWER:
            # 'kva dag er avklaringsmøtet' asks when: a rule about the same thing ('hva
            # skjer i avklaringsmøtet') wins only if it explains more than the event does
            when = self._asks_when(plain) and rules and (
                rules[0].matched - self._question) <= found[0].matched
            # 'frist for å melde inn behov': it asks for a deadline, which the event has
            # and the rule does not
            frist = self.tokens.token("frist")
            when = when or bool(rules and frist in found[0].matched
                                and frist not in rules[0].matched)
            # 'når er de digitale møtene i høst': a rule none of whose phrasings asks
            # 'når' explains the meeting, not its date
            when = when or bool(rules and self._asks_when(plain)
                                and self._when not in rules[0].matched)
            if best_rule >= RULE_ANSWER and not when and (
                    confirming or best_rule > found[0].score + RULE_MARGIN):
                return None  # 'hva skjer hvis vi leverer etter fristen': a rule
            tied = [h for h in found if h.score > found[0].score - EVENT_MARGIN]
            tied = self._break_tie(tied, set(tokens), events, frozenset(plain.split()))
            if len(tied) == 1:
                return self._event_answer(events.ids[tied[0].target], today, wheel, cycles,
                                          found[0].score)
            return self._tied(wheel, today, [events.ids[h.target] for h in tied])
        if best_rule >= RULE_ANSWER:
            return None
        if any(t not in events.index.vocabulary for t in specific) or not found:
            # 'når er sommerferien', 'gi oss påminnelser om fristene': it names something
            # the wheel does not have; decide as any question
            return None
        return self._upcoming(wheel, today)

    def _asks_when(self, plain: str) -> bool:
        """'når', 'kva dag', 'hvilken dato', 'when': a question for a date, not only one
        that mentions a deadline."""
        text = " " + " ".join(self.tokens.words(plain)) + " "
        return any(f" {p} " in text for p in DATE_PHRASES)

    def _dated(self, found: list[Hit], events: _EventIndex, plain: str, today: date,
               wheel: Wheel) -> list[Hit]:
        """What the question says about time: an event in the month it names ranks
        higher ('samlingen i september'); 'neste' leaves out events already passed in
        this cycle ('når er neste møte i samarbeidsforum')."""
        words = set(plain.split())
        months = _named_months(plain)
        if months:
            found = sorted((Hit(h.target, h.score + MONTH_BONUS, h.matched, h.doc_share,
                                h.bm25) if events.months[h.target] & months else h
                            for h in found), key=lambda h: -h.score)
        named = self._audience(plain)
        if named is not None:
            # 'when is the deadline for the network': the network's own deadline, not
            # the partnerships' deadline to the network
            found = sorted((Hit(h.target, h.score + AUDIENCE_BONUS, h.matched, h.doc_share,
                                h.bm25) if named in events.audiences[h.target] else h
                            for h in found), key=lambda h: -h.score)
        if words & NEXT_WORDS:
            cycle = active_cycle(wheel, today)
            passed = {e.id for e in cycle.events if e.last_day < today}
            found = [h for h in found if events.ids[h.target] not in passed]
        return found

    def _audience(self, plain: str) -> str | None:
        """The one actor the question is about ('nettverket', 'partnerskapet'), not one
        something is sent to ('til nettverket'); None for none or several."""
        found = self.tokens.words(plain)
        named = {self._audience_words[t] for i, w in enumerate(found)
                 if (t := self.tokens.token(w)) in self._audience_words
                 and (i == 0 or found[i - 1] not in RECIPIENT)}
        return named.pop() if len(named) == 1 else None

    def _break_tie(self, tied: list[Hit], asked: set[str], events: _EventIndex,
                   words: frozenset[str] = frozenset()) -> list[Hit]:
        """Events that fit about equally well: the one that is the deadline for exactly
        what was asked ('needs report due': the partnerships' deadline, not the
        network's compiled one), else one whose own phrasing was asked about far more
        fully ('få pengene' over the description of reporting on the money)."""
        if len(tied) < 2:
            return tied
        months = _named_months(" ".join(words))
        if months:  # 'evalueringsmøtet i juni': the one in June
            dated = [h for h in tied if events.months[h.target] & months]
            if dated:
                tied = dated
                if len(tied) == 1:
                    return tied
        exact = [h for h in tied if events.deadline_for[h.target]
                 and events.deadline_for[h.target] <= asked]
        if exact:
            # the most specific one: 'sammenstilt behovsmelding' over 'behovsmelding'
            widest = max(exact, key=lambda h: len(events.deadline_for[h.target]))
            if all(events.deadline_for[h.target] < events.deadline_for[widest.target]
                   for h in exact if h is not widest):
                return [widest]
        ordered = sorted(tied, key=lambda h: -h.doc_share)
        if ordered[0].doc_share - ordered[1].doc_share >= EVENT_FULLER:
            return ordered[:1]
        return tied

    def _upcoming(self, wheel: Wheel, today: date) -> UpcomingAnswer:
        cycle = active_cycle(wheel, today)
        upcoming = next_events(wheel, today, NEXT_DEADLINES, kind="frist") or list(
            cycle.events[-NEXT_DEADLINES:])
        return UpcomingAnswer(tuple(upcoming), today)

    def _tied(self, wheel: Wheel, today: date, ids: list[str]) -> UpcomingAnswer:
        """Several events fit equally ('når er innstillingen': foreløpig and endelig)."""
        cycle = active_cycle(wheel, today)
        chosen = [e for e in cycle.events if e.id in ids]
        return UpcomingAnswer(tuple(sorted(chosen, key=lambda e: e.start)[:NEXT_DEADLINES]),
                              today)

    def _event_answer(self, event_id: str, today: date, wheel: Wheel,
                      cycles: Sequence[Cycle], score: float) -> EventAnswer:
        occurrences = [(c, e) for c in cycles for e in c.events if e.id == event_id]
        occurrences.sort(key=lambda ce: ce[1].start)
        coming = [(c, e) for c, e in occurrences if e.last_day >= today]
        passed = [(c, e) for c, e in occurrences if e.last_day < today]
        active = active_cycle(wheel, today)
        in_active = [(c, e) for c, e in passed if c.id == active.id]
        if in_active:
            cycle, event = in_active[-1]
            following = coming[0] if coming else None
            return EventAnswer(event, cycle.id, today, True,
                               following[1] if following else None,
                               following[0].id if following else None, score)
        if coming:
            cycle, event = coming[0]
            return EventAnswer(event, cycle.id, today, False, score=score)
        cycle, event = passed[-1]
        return EventAnswer(event, cycle.id, today, True, score=score)

    def _decide(self, plain: str, tokens: list[str], match: object, hits: list[Hit],
                howto: bool, staff: bool, yesno: bool = False, text: str = "") -> Reply:
        term = match.entry if isinstance(match, Answer) else None
        content = [t for t in tokens if t not in self._light and t not in self._who_what]
        residual = [t for t in content
                    if term is None or not _part_of(t, self._term_tokens[term.id])]
        unknown = [t for t in content if t not in self._vocabulary]
        useful = [h for h in hits if self._extra(h, term)]
        if _request(plain):
            # 'kan du skrive en søknad for oss' asks Kompis to do something: only a
            # command can be the answer, never a rule that shares a word with it
            useful = [h for h in useful if self._targets[h.target].kind == "command"]
        elif yesno and useful and any(self._targets[h.target].kind == "rule" and
                                      h.score >= useful[0].score - RULE_MARGIN
                                      for h in useful[:3]):
            # 'kan en privat eier melde behov' asks whether, and a rule answers it
            useful = [h for h in useful if self._targets[h.target].kind == "rule"]
        definition = (plain + " ").startswith(DEFINITION_CUES)
        # 'hvilke høgskoler er med', 'må vi ha med samisk perspektiv': the question's form
        # asks for a fact or a rule about the term, not what the term means
        rules = [h for h in hits if self._targets[h.target].kind == "rule"]
        top = rules[0] if rules else None
        beyond = set(tokens) - (self._term_tokens[term.id] if term else set())
        if term is not None and not definition and top is not None and (
                # 'hvilke …', 'må vi …'; but 'hvem er de tillitsvalgte' asks who they are
                (_asks_rule(text) and (
                    residual or not (plain + " ").startswith(WHO_IS)))
                # a stored question asked almost word for word, with more than the term
                or (top.score >= RULE_EXACT and top.doc_share >= RULE_EXACT and beyond)):
            second = rules[1].score if len(rules) > 1 else 0.0
            if top.score >= RULE_WITH_TERM and top.doc_share >= MIN_DOC_SHARE and \
                    top.score - second >= RULE_MARGIN:
                return RuleAnswer(self._rules[self._targets[top.target].id],
                                  round(top.score, 3))
        # 'hva betyr tverrfaglige tiltak nå som ordningen er ny': a rule that explains
        # every word beyond the term and the definition's own words answers it
        beyond_term = set(residual) - self._definition_words
        explained = bool(definition and beyond_term and useful and self._targets[
            useful[0].target].kind == "rule" and beyond_term <= useful[0].matched
            and useful[0].score >= RULE_WITH_TERM and useful[0].doc_share >= MIN_DOC_SHARE
            and term is not None and bool(useful[0].matched & self._term_tokens[term.id]))
        if term is not None and not explained and (not residual or (definition and not (
                useful and useful[0].score >= RULE_OVER_DEFINITION))):
            return TermAnswer(term, match.score if isinstance(match, Answer) else 0.0)
        best = useful[0] if useful else None
        runner = useful[1].score if len(useful) > 1 else 0.0
        if best is not None:
            target = self._targets[best.target]
            if target.kind == "command":
                if not unknown or best.score >= COMMAND_SURE or len(
                        self._extra(best, None) - self._question) >= 2:
                    reply = self._command(plain, self.commands[target.id], best.score, howto,
                                          staff, best.doc_share, yesno, text)
                    if reply is not None:
                        return reply
            elif best.score >= RULE_ANSWER and best.doc_share >= MIN_DOC_SHARE and (
                    best.score - runner >= RULE_MARGIN or runner < SUGGEST):
                return RuleAnswer(self._rules[target.id], round(best.score, 3))
            elif term is not None and best.score >= RULE_WITH_TERM and \
                    best.doc_share >= MIN_DOC_SHARE and best.score - runner >= RULE_MARGIN:
                return RuleAnswer(self._rules[target.id], round(best.score, 3))
        if term is not None and (best is None or best.score < SUGGEST):
            return TermAnswer(term, match.score if isinstance(match, Answer) else 0.0)
        # 'hvordan bestiller jeg vikar': one word of two shared with a stored phrasing
        # ('bestiller og utfører') is a coincidence, not something to offer
        topic = set(content) - self._question
        options = [self._option(h) for h in useful if h.score >= SUGGEST and (
            len(topic) < 2 or len(h.matched & topic) >= 2)]
        if term is not None:
            options.append(Option("term", term.id, term.term))
        if isinstance(match, Ambiguous):
            terms = [Option("term", c.entry.id, c.entry.term) for c in match.candidates]
            # 'plan' alone is a word to look up: the terms it may be come first
            options = [*terms, *options] if len(plain.split()) <= 2 else [*options, *terms]
        options = _unique(options)[:MAX_SUGGESTIONS]
        if options and not unknown:
            return DidYouMean(tuple(options))
        if term is not None and isinstance(match, Answer) and match.score >= CONFIDENT:
            # 'hva i all verden er en innstilling': the term, not «vet ikke» because of
            # a word Kompis does not know
            return TermAnswer(term, match.score)
        note = "english" if _english(plain) else None
        return Unknown("nomatch", self._fallback_suggestions(match, hits), note)

    def _command(self, plain: str, command: CommandInfo, score: float, howto: bool,
                 staff: bool, doc_share: float = 1.0, yesno: bool = False,
                 said: str = "") -> Reply | None:
        if score < COMMAND_SUGGEST:
            return None
        if command.staff and not staff:
            return HowToAnswer(command, allowed=False)
        if command.needs_argument and not howto and not yesno and _carries(command, said):
            # 'fjern koordinatorrollen fra @Kari', 'endre navnet på partnerskapet til Fosen
            # barnehager': an order with its person or name, in words the router does not
            # read; the dialog shows the card that asks before anything is changed
            return DoCommand(command, "")
        if howto or command.needs_argument:
            # 'vis endringene i BM-2026-FOS-KKU-0001': the reference is the argument
            found = command.argument.search(plain) \
                if command.argument is not None and not howto else None
            if found is None and command.bare and not howto and not yesno and \
                    plain.split()[0] not in QUESTION_STARTERS:
                # 'jeg vil vurdere tiltakene': done without it (the reports to assess)
                return DoCommand(command, "")
            return HowToAnswer(command) if found is None else \
                DoCommand(command, found.group(0).upper())
        # 'er det noen frister i februar' is answered by the month's list
        listed = command.name in self._month_commands and bool(_named_months(plain))
        if yesno and not listed:
            # 'kan kompis minne oss på fristene', 'kan jeg se status her': whether it can
            # be done is answered by how (with its button)
            if _asks_whether_can(plain):
                return HowToAnswer(command)
            return SuggestCommand(command, "", yesno=True)  # never done unasked
        rest = " ".join(w for w in plain.split() if w in self.arguments)
        # 'gi meg regnearket', 'jeg vil ha påminnelser': worded as an order, so a command
        # that fits is done on less (one that changes something still asks first)
        sure = COMMAND_SURE_ORDER if _order(plain) else COMMAND_SURE
        if score >= sure and doc_share >= MIN_DOC_SHARE:
            return DoCommand(command, rest)
        return SuggestCommand(command, rest)

    def _option(self, hit: Hit) -> Option:
        target = self._targets[hit.target]
        if target.kind == "rule":
            return Option("rule", target.id, self._rules[target.id].title)
        command = self.commands[target.id]
        return Option("command", command.name, command.phrases[0])

    def _fallback_suggestions(self, match: object,
                              hits: Sequence[Hit] = ()) -> tuple[Option, ...]:
        options = [self._option(h) for h in hits if h.score >= SUGGEST / 2]
        if isinstance(match, NoMatch):
            options += [Option("term", s.entry.id, s.entry.term) for s in match.suggestions]
        return tuple(_unique(options)[:MAX_SUGGESTIONS])

    # --- lookups for buttons -------------------------------------------------------------

    def event(self, event_id: str, today: date, wheel: Wheel) -> EventAnswer | None:
        """The event with this id as a date answer (a follow-up button), or None."""
        if not any(e.id == event_id for _, e in wheel.events()):
            return None
        return self._event_answer(event_id, today, wheel, wheel.cycles, 1.0)

    def rule(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)

    def command(self, name: str) -> CommandInfo | None:
        return self.commands.get(name)

    def term(self, entry_id: str) -> Entry | None:
        return self.matcher.get(entry_id)





def _wording(plain: str) -> tuple[bool, bool]:
    """(asks how to do something, asks whether: a yes/no question)."""
    lower = " " + plain + " "
    # 'kan du vise årshjulet' asks Kompis to show it, not how to see it; 'vis rollene i
    # kompis', 'jeg vil melde behov i kompis' are orders, not questions about Kompis
    howto = any((" " + cue) in lower for cue in HOWTO_CUES) and not (
        _order(plain) and not any(c in lower for c in HOW_WORDS))
    # 'kan en privat eier melde behov' asks whether; it does not ask Kompis to do it
    yesno = plain.split()[0] in MODAL_STARTERS and not howto and not _asks_to_show(plain)
    return howto, yesno


def second_guessable(reply: Reply, question: str = "") -> str | None:
    """How sure the rules were, as a key of THRESHOLDS: 'unknown' («vet ikke»), 'unsure'
    («Mente du …?», a command only suggested), 'term' (a glossary term for a question of
    more than a word or two not worded as a definition: the matcher answers a term for any
    question that names one, 'var statped med i samarbeidsforum' too) or 'confident'; None
    for what the rules keep: bad input, small talk, two terms compared, a criterion by
    number or topic (the criteria are few and the matcher knows them; the guess would give
    the term «tildelingskriterier» for «hva er kriterium to»), unless the question asks
    what was said of it (`SAID_ABOUT`). A year the wheel lacks, and such a criterion, are
    'confident': only a rule may replace them ('… i 2022' about what happened then)."""
    if isinstance(reply, CriterionReply) and SAID_ABOUT.intersection(normalize(question).split()):
        return "confident"  # 'hva sa gruppene om kriterium 5' asks what was said: a rule
    if isinstance(reply, (SmallTalkAnswer, CompareAnswer, CriterionReply)) or (
            isinstance(reply, Unknown) and reply.reason == "badinput"):
        return None
    if isinstance(reply, Unknown):
        return "unknown"
    if isinstance(reply, (DidYouMean, SuggestCommand)):
        return "unsure"
    plain = normalize(question)
    # a term for a word or two ('forhåndsrammen', 'hvem er statsforvalteren') was looked
    # up: that is a definition too
    named = plain.removeprefix(next((c for c in WHO_IS if plain.startswith(c)), ""))
    if isinstance(reply, TermAnswer) and not _defines(plain) \
            and len(named.split()) > LOOKUP_WORDS:
        return "term"
    return "confident"


def _defines(plain: str) -> bool:
    """Worded as a definition, before the term ('hva er …') or after it ('…, kva tyder
    det', '… betyr')."""
    padded = f" {plain} "
    return (plain + " ").startswith(DEFINITION_CUES) or any(
        f" {cue} " in padded for cue in DEFINITION_AFTER) or any(
        padded.endswith(f" {cue} ") for cue in DEFINITION_ENDS)


def _named_months(plain: str) -> set[int]:
    """The months (1-12) a question names, as `domain.norsk.months_named` reads them
    (Norwegian, English and Swedish names, 'januar-fristene'): 'frister i mars' -> {3}."""
    return set(months_named(plain))


def _in_month_named(reply: EventAnswer, plain: str) -> bool:
    """The question names a month the event falls in."""
    event = reply.event
    return bool(_named_months(plain) & {event.start.month, (event.end or event.start).month})


def passes(guess: Guess, bar: Bar) -> bool:
    return guess.score >= bar.score and guess.margin >= bar.margin


def threshold_key(sure: str, reply: Reply, guess: Guess) -> str:
    """The key of THRESHOLDS for a guess over `reply`, `sure` being `second_guessable`'s
    reading; 'agreed' where the rules only suggested the command the classifier guesses
    (two opinions that read the question differently, words ranked by BM25 and n-grams
    weighed by the SVM, and still agree are worth more than either alone); 'nothing' where
    they said «vet ikke» with nothing near to suggest: the question's words are not
    Kompis' words, and what the classifier reads in it is its scaffolding ('hva er …')."""
    if sure == "unknown" and isinstance(reply, Unknown) and not reply.suggestions:
        return "nothing"
    if _confirms(reply, guess):
        return "agreed"
    return sure


def _confirms(reply: Reply, guess: Guess) -> TypeGuard[SuggestCommand]:
    """A command the rules only suggested (not sure of the words; not a yes/no question,
    which is never done unasked) is the classifier's guess too: sure enough, it is done."""
    return isinstance(reply, SuggestCommand) and not reply.yesno and \
        guess.target == "command:" + reply.command.name


def _target(reply: Reply) -> str | None:
    """What a reply answers, in the learned second opinion's terms (None: unsure)."""
    verdict = reply.verdict
    kind, _, name = verdict.partition(":")
    if kind in ("howto", "command", "suggest"):
        return "command:" + name
    return None if verdict == "ambiguous" else verdict


class Compounds:
    """The compounds two tokens may make, by their first and last part (each at least
    three letters), so that joining a question's tokens looks up each pair once instead of
    building every pair with every link: a long message has many tokens."""

    def __init__(self, words: Iterable[str]) -> None:
        self._tails: dict[str, dict[str, tuple[str, ...]]] = {}
        found: dict[str, dict[str, list[tuple[int, str]]]] = {}
        for word in sorted(set(words)):
            for cut in range(3, len(word) - 2):
                for order, link in enumerate(LINKS):
                    tail = word[cut + len(link):]
                    if word.startswith(link, cut) and len(tail) >= 3:
                        found.setdefault(word[:cut], {}).setdefault(tail, []).append(
                            (order, word))
        for head, tails in found.items():
            self._tails[head] = {tail: tuple(w for _, w in sorted(made))
                                 for tail, made in tails.items()}

    def of(self, head: str) -> Mapping[str, tuple[str, ...]]:
        """Last part -> the compounds (in LINKS' order) `head` makes with it."""
        return self._tails.get(head, {})


def _joined(tokens: Sequence[str], compounds: Compounds) -> tuple[str, ...]:
    """The tokens, and the compounds two of them make ('melde inn behov' also reads as
    'behovsmelding': behov + s + meld), so a question and a phrasing that say the same
    thing in one word or two meet."""
    found = [t for t in tokens if len(t) >= 3]
    joined = [word for a in found if (tails := compounds.of(a))
              for b in found if a != b for word in tails.get(b, ())]
    return tuple(dict.fromkeys((*tokens, *joined)))


_SENTENCE_END = re.compile(r"(?<=[^\d][.;:])\s+")  # '10. januar' is no end
SENTENCE_WORDS = 4  # shorter pieces of an answer teach nothing of their own


def _sentences(answer: str) -> list[str]:
    """An answer's sentences (and clauses after ':' or ';') of SENTENCE_WORDS words or more."""
    return [s for s in _SENTENCE_END.split(answer) if len(s.split()) >= SENTENCE_WORDS]


def _unique(options: list[Option]) -> list[Option]:
    seen: set[tuple[str, str]] = set()
    result = []
    for option in options:
        if (option.kind, option.id) not in seen:
            seen.add((option.kind, option.id))
            result.append(option)
    return result


def _last_question(text: str) -> str | None:
    """The last sentence that is a question, when the message has context before it; with
    the sentence before it (and BETWEEN) when it points back ('… der står det
    beslutningsgrunnlag. Hva betyr det?')."""
    sentences = [s.strip() for s in SENTENCES.split(text.strip()) if s.strip()]
    if len(sentences) < 2:
        return None
    for i in range(len(sentences) - 1, -1, -1):
        sentence = sentences[i]
        words = normalize(sentence).split()
        if len(words) >= 2 and (sentence.endswith("?") or words[0] in QUESTION_STARTERS
                                or words[0] in MODAL_STARTERS):
            if i and len(words) <= BACK_WORDS and BACK.intersection(words):
                return f"{sentences[i - 1]}{BETWEEN}{sentence}"
            return sentence
    return None


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS.get(word, 1)


def _order(plain: str) -> bool:
    """Worded as an order to Kompis: 'vis …', 'gi meg …', 'jeg vil …', 'vi skal søke …',
    'kan du vise …'."""
    return (plain + " ").startswith(ORDERS) or plain.split()[0] in IMPERATIVES or \
        _asks_to_show(plain)


def _asks_to_show(plain: str) -> bool:
    """'kan du vise meg …', 'kunne du gi oss …', 'can you show …', 'er det mulig å få
    årshjulet opp her', 'kunne jeg fått de nærmeste fristene': a polite order to show or
    hand over something, not a question about how to do it (nor, with 'i kompis', about
    what Kompis can do)."""
    found = plain.split()
    if len(found) < 3:
        return False
    if found[0] in ("kan", "kunne", "vil", "can", "could", "will", "would"):
        return (found[1] in ("du", "you") and found[2] in SHOW_VERBS) or (
            found[0] == "kunne" and found[1] in ("jeg", "vi", "eg", "me") and found[2] in GOT)
    return plain.startswith(("er det mulig å ", "er det mogleg å ")) and len(found) > 4 \
        and found[4] in ("få", "se", "sjå") and "kompis" not in found


def _carries(command: CommandInfo, said: str) -> bool:
    """The message as typed holds the person or the name a command takes: an @mention
    ('@Kari', or Teams' <at>Kari</at>) for one whose example names a person, else a new name
    as the rename dialog takes it (`domain.phrases.new_name`: '… til Fosen barnehager')."""
    if command.argument is not None:
        return False  # a reference is found in the words themselves
    if "@" in command.example:
        return MENTIONED.search(said) is not None
    return new_name(said) != ""


def _reminds(plain: str) -> bool:
    """An order to be reminded of a date ('kan du minne meg på fristen for rapportering',
    REMIND), not a question of when it is ('minn meg på når fristen er')."""
    padded = f" {plain} "
    return any(f" {cue} " in padded for cue in REMIND) and " når " not in padded \
        and " naar " not in padded and " when " not in padded


def _asks_whether_can(plain: str) -> bool:
    """'kan kompis …', 'kan jeg …', 'can we …': whether Kompis, or the one asking, can do
    something ('kan du …' asks Kompis to do it)."""
    found = plain.split()
    return len(found) > 2 and found[0] in CAN and found[1] in CAN_WHO


def _in_kompis(plain: str) -> bool:
    """The message says it is about doing something in Kompis ('… i kompis')."""
    return any(f" {cue} " in f" {plain} " for cue in IN_KOMPIS)


def _must(plain: str) -> bool:
    """A yes/no question about what one must or may do ('må alle nettverk ha samme
    tiltak'), not one that compares two terms ('er X og Y det samme')."""
    found = plain.split()
    return len(found) >= 2 and found[0] in MUST and found[1] not in ("du", "dere", "you")


def _asks_rule(text: str) -> bool:
    """A clause that begins the way a rule or fact question does: 'hvilke …', 'må vi …'
    ('vi er tre kommuner, må vi sende en hver …')."""
    return any((normalize(clause) + " ").startswith(RULE_CUES)
               for clause in CLAUSES.split(text) if clause.strip())


def _request(plain: str) -> bool:
    """'kan du skrive …', 'kan du sende …': a request to Kompis, not a question about the
    rules; 'kan du forklare …' and 'kan du si …' are questions."""
    found = plain.split()
    return len(found) >= 3 and found[0] in ("kan", "kunne", "can", "could") and \
        found[1] in ("du", "you") and found[2] not in EXPLAIN


def _part_of(token: str, term: frozenset[str]) -> bool:
    """The token is the term's, or a part of it that the compound splitter cut off
    ('forhåndsrammen' -> forhånd + ramm)."""
    # the stemmer may cut the part shorter inside the compound ('ramm' / 'forhåndsram')
    core = token[:-1] if len(token) >= 4 else token
    return token in term or (len(core) >= 3 and any(core in t for t in term))


def _count(number: str, before: str, following: str) -> bool:
    """'7 tiltak', '3 behovsmeldinger': a count; '15 desember', '2027', '43' in 'uke 43',
    '30 prosent' are not (a day before a month, a year, a week, an amount)."""
    value = int(number)
    return (2 <= value <= MAX_COUNT and not following.startswith(MONTHS)
            and following not in NOT_COUNTED and before not in NOT_COUNTED)


def _english(plain: str) -> bool:
    found = plain.split()
    return len(found) >= 2 and sum(w in ENGLISH for w in found) * 2 >= len(found)


__all__ = ["CONFIDENT", "Answerer"]
