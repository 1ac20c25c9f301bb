"""Glossary matcher: accuracy on tests/data/questions.yaml and time per question,
against a naive baseline (rapidfuzz extractOne over every term and synonym) measured in
the same run. Never asserts on time.

    .venv/bin/python bench/glossary.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from domain.glossary.loader import load_criteria, load_glossary  # noqa: E402
from domain.glossary.matcher import Matcher, normalize  # noqa: E402
from tests.support.glossary_eval import cases, correct, evaluate  # noqa: E402


def timed(fn, questions: list[str], rounds: int) -> list[float]:
    per_question = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            fn(question)
            per_question.append(time.perf_counter() - start)
    return per_question


def describe(name: str, times: list[float], accuracy: float) -> str:
    ordered = sorted(times)
    p99 = ordered[int(0.99 * len(ordered))] * 1e6
    return (f"{name:<28} accuracy {accuracy * 100:5.1f} %   mean "
            f"{statistics.mean(times) * 1e6:7.1f} µs   p50 {ordered[len(ordered) // 2] * 1e6:7.1f}"
            f" µs   p99 {p99:7.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    glossary = load_glossary()
    start = time.perf_counter()
    matcher = Matcher(glossary, load_criteria(glossary=glossary))
    built = time.perf_counter() - start
    all_cases = cases()
    questions = [c.question for c in all_cases]

    keys, ids = [], []
    for entry in glossary.entries:
        for key in (entry.term, *entry.synonyms, *entry.abbreviations):
            keys.append(normalize(key))
            ids.append(entry.id)

    def naive(question: str) -> str:
        found = process.extractOne(normalize(question), keys, scorer=fuzz.WRatio)
        return ids[found[2]] if found else "nomatch"

    naive_right = sum(correct(c, naive(c.question)) for c in all_cases) / len(all_cases)
    accuracy, wrong = evaluate(matcher)
    ours = timed(matcher.match, questions, args.rounds)
    baseline = timed(naive, questions, args.rounds)
    print(f"{len(all_cases)} questions, {len(glossary.entries)} entries, "
          f"index built in {built * 1000:.1f} ms")
    print(describe("Kompis matcher", ours, accuracy))
    print(describe("naive extractOne (baseline)", baseline, naive_right))
    print(f"ratio Kompis/baseline: time x{statistics.mean(ours) / statistics.mean(baseline):.2f}"
          f", accuracy {accuracy - naive_right:+.1%}")
    for case, got in wrong:
        print(f"  wrong: {case.question!r}: expected {case.expect}, got {got}")


if __name__ == "__main__":
    main()
