"""Glossary matcher: accuracy on tests/data/questions.yaml and time per question, against
a naive baseline (rapidfuzz extractOne over every term, synonym and abbreviation) measured
in the same run. Prints figures and the questions it gets wrong; never asserts on time.

    .venv/bin/python bench/glossary.py [--rounds 50]

'warm' repeats the questions (stems of words seen before come from a cache); 'cold'
empties that cache before every question, as for a word never asked before.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from domain.glossary import matcher as matcher_module  # noqa: E402
from domain.glossary.loader import load_criteria, load_glossary  # noqa: E402
from domain.glossary.matcher import Matcher, normalize  # noqa: E402
from tests.support.glossary_eval import cases, correct, evaluate  # noqa: E402


def timed(fn: Callable[[str], object], questions: list[str], rounds: int, *,
          cold: bool = False) -> list[float]:
    """Seconds per call, every question `rounds` times."""
    per_question = []
    for _ in range(rounds):
        for question in questions:
            if cold:
                matcher_module._stem.cache_clear()
            start = time.perf_counter()
            fn(question)
            per_question.append(time.perf_counter() - start)
    return per_question


def describe(name: str, times: list[float], accuracy: float | None = None) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1e6
    share = f"accuracy {accuracy * 100:5.1f} %   " if accuracy is not None else " " * 19
    return (f"{name:<30} {share}mean {statistics.mean(times) * 1e6:7.1f} µs   "
            f"p50 {ordered[len(ordered) // 2] * 1e6:7.1f} µs   p99 {p99:7.1f} µs")


def kind(expect: str) -> str:
    return expect.split(":")[0] if ":" in expect or expect in ("nomatch", "ambiguous") \
        else "entry"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    glossary = load_glossary()
    criteria = load_criteria(glossary=glossary)
    matcher_module._stem.cache_clear()
    start = time.perf_counter()
    matcher = Matcher(glossary, criteria)
    built = time.perf_counter() - start
    all_cases = cases()
    questions = [c.question for c in all_cases]

    keys, ids = [], []
    for entry in glossary.entries:
        for key in entry.keys():
            keys.append(normalize(key))
            ids.append(entry.id)

    def naive(question: str) -> str:
        found = process.extractOne(normalize(question), keys, scorer=fuzz.WRatio)
        return ids[found[2]] if found else "nomatch"

    naive_right = sum(correct(c, naive(c.question)) for c in all_cases) / len(all_cases)
    accuracy, wrong = evaluate(matcher)
    warm = timed(matcher.match, questions, args.rounds)
    cold = timed(matcher.match, questions, max(1, args.rounds // 10), cold=True)
    baseline = timed(naive, questions, args.rounds)

    print(f"{len(all_cases)} questions, {len(glossary.entries)} entries, "
          f"{len(criteria.criteria)} criteria; index built in {built * 1000:.0f} ms")
    totals = Counter(kind(c.expect) for c in all_cases)
    misses = Counter(kind(c.expect) for c, _ in wrong)
    print("by kind: " + ", ".join(f"{k} {totals[k] - misses[k]}/{totals[k]}"
                                  for k in sorted(totals)))
    print(describe("Kompis matcher (warm)", warm, accuracy))
    print(describe("Kompis matcher (cold)", cold))
    print(describe("naive extractOne (baseline)", baseline, naive_right))
    base = statistics.mean(baseline)
    print(f"ratio Kompis warm / baseline: time x{statistics.mean(warm) / base:.2f}"
          f"; cold / baseline x{statistics.mean(cold) / base:.2f}"
          f"; accuracy {(accuracy - naive_right) * 100:+.1f} points")
    for case, got in wrong:
        print(f"  wrong: {case.question!r}: expected {case.expect}, got {got}")


if __name__ == "__main__":
    main()
