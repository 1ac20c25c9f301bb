"""Spør Kompis: accuracy per kind on the question bank (tuned part and held-out part apart),
time per question (mean, p50, p99) and the time to load all content and build the engine.
Prints figures; never asserts on time.

    .venv/bin/python bench/answers.py [--rounds 20] [--show-wrong] [--show-heldout] [--tune]
                                      [--by-writer] [--oos-floor 0.9]

Parts: the tuned part (the glossary's questions and content/eksempler.yaml, which the
engine learns from: there it answers its own examples), the examples cross-validated (each
fifth answered by an engine taught the other four: the honest figure for them; and by
writer, each writer's examples in one fifth, closer to questions from someone new), the
bank's held-out fifth, and the held-out batches (tests/data/sporsmal_holdt_ute*.yaml,
written from the seeds before they were run). --show-wrong lists the tuned part's misses. The
held-out parts' misses are listed only with --show-heldout: look at them once, at the end,
never while tuning. --tune prints the cross-validated accuracy over a grid of the learned
second opinion's thresholds (domain/answers/engine.py), the way they were chosen.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.answers import engine, learned  # noqa: E402
from domain.answers.engine import Answerer, Bar  # noqa: E402
from domain.wheel.models import Wheel  # noqa: E402
from tests.support.answers_eval import (  # noqa: E402
    LATER_BATCHES,
    Case,
    Fold,
    ask,
    build,
    cases,
    combined,
    commands,
    cross_validate,
    evaluate,
    held_out_batch,
)

NEVER = Bar(99.0, 99.0)
SCORES = (-1.2, -1.0, -0.8, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6)
MARGINS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.9, 1.2)
GRID = [Bar(s, m) for s in SCORES for m in MARGINS] + [NEVER]


def tune(folds: list[Fold], oos_floor: float = 0.0) -> None:
    """Coordinate search over the engine's THRESHOLDS, two rounds, each key in turn with
    the others as they stand: the Bar with the most right answers among those that answer
    no more out-of-scope questions than the rules alone (an honest «vet ikke» is worth
    keeping), and leave at least `oos_floor` of them unanswered; the best without that
    rule is printed beside it."""
    def right(thresholds: dict[str, Bar]) -> tuple[int, int]:
        found = combined(folds, thresholds)[1]
        return sum(found.values()), found["out-of-scope"]

    alone = right(dict.fromkeys(engine.THRESHOLDS, NEVER))
    outside = sum(fold.case.kind == "out-of-scope" for fold in folds)
    floor = max(alone[1], oos_floor * outside)
    chosen = dict(engine.THRESHOLDS)
    print(f"\nthresholds, cross-validated on {len(folds)} examples (right answers, of them "
          f"out of scope). Rules alone: {alone}; as the engine has them: "
          f"{right(chosen)}")
    for round_ in (1, 2):
        for key in chosen:
            tried = sorted(((right({**chosen, key: t}), t) for t in GRID), reverse=True)
            kept = [t for t in tried if t[0][1] >= floor]
            if kept:
                chosen[key] = kept[0][1]
            keeping = f"{tuple(kept[0][1])} {kept[0][0]}" if kept else "none"
            print(f"  round {round_} {key:<10} best {tuple(tried[0][1])} {tried[0][0]}; "
                  f"keeping out-of-scope questions unanswered: {keeping}")
    print(f"  chosen: {', '.join(f'{k} {tuple(v)}' for k, v in chosen.items())}: "
          f"{right(chosen)}")


def _nearby(reply: object) -> str | None:
    nearby = getattr(reply, "nearby", None)
    return f"rule:{nearby.id}" if nearby is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument("--show-heldout", action="store_true")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--oos-floor", type=float, default=0.0, help=(
        "with --tune: the share of out-of-scope examples that must stay unanswered "
        "(at least as many as the rules alone leave)"))
    parser.add_argument("--by-writer", action="store_true", help=(
        "with --tune: tune on the parts by writer (each writer's examples in one part), "
        "closer to questions from new people than the random parts"))
    parser.add_argument("--timing-only", action="store_true", help=(
        "only the time per question (the same questions and rounds), without the "
        "cross-validation and the accuracy tables"))
    args = parser.parse_args()

    start = time.perf_counter()
    registry = commands()
    imported = time.perf_counter() - start
    learned._fit.cache_clear()  # reading the registry built (and fitted) an engine too
    start = time.perf_counter()
    answerer, wheel = build(registry)
    loaded = time.perf_counter() - start
    rules_alone = build(registry, ())[0]  # taught nothing: the rules' own answers
    bank = cases()
    start = time.perf_counter()
    answerer.answer("når blir pengene utbetalt", bank[0].today, wheel)  # the wheel's index
    first = time.perf_counter() - start
    print(f"command registry read in {imported * 1000:.0f} ms (imports the bot); all content "
          f"loaded and the engine built in {loaded * 1000:.0f} ms (ordliste, kriterier, "
          f"sporsmal.yaml, eksempler.yaml, arshjul, BM25 index, the learned model fitted in "
          f"a child process); first question {first * 1000:.1f} ms (builds the wheel's index)")

    if args.timing_only:
        _timing(answerer, wheel, bank, args.rounds)
        return
    start = time.perf_counter()
    folds = cross_validate(registry)
    writers = cross_validate(registry, by_writer=True)
    print(f"5-fold cross-validation of the examples, at random and by writer, in "
          f"{time.perf_counter() - start:.1f} s")
    if args.tune:
        tune(writers if args.by_writer else folds, args.oos_floor)
    chosen = combined(folds, engine.THRESHOLDS)
    alone = combined(folds, dict.fromkeys(engine.THRESHOLDS, NEVER))
    batch = held_out_batch()
    parts: list[tuple[str, Any]] = [
        ("tuned", [c for c in bank if not c.heldout]),
        ("examples, cross-validated (rules alone)", alone),
        ("examples, cross-validated", chosen),
        ("examples, cross-validated by writer (no part learns what its writer wrote)",
         combined(writers, engine.THRESHOLDS)),
        ("held-out", [c for c in bank if c.heldout]),
        ("held-out batch 2", batch)]
    for number, path in LATER_BATCHES.items():
        written = held_out_batch(path)
        measured = [c for c in written if c.expect != "missing"]
        parts.append((f"held-out batch {number} (without its {len(written) - len(measured)} "
                      f"facts no content holds)", measured))
    for name, part in parts:
        if isinstance(part, tuple):
            totals, right = part
            print(f"\n{name}: {sum(right.values())}/{sum(totals.values())} = "
                  f"{sum(right.values()) / max(1, sum(totals.values())) * 100:.1f} %")
            for kind in sorted(totals):
                print(f"  {kind:<13} {right[kind]:>4}/{totals[kind]:<4} "
                      f"{right[kind] / totals[kind] * 100:5.1f} %")
            continue
        totals, right, wrong = evaluate(answerer, wheel, part)
        overall = sum(right.values()) / max(1, sum(totals.values()))
        _, by_rules, _ = evaluate(rules_alone, wheel, part)
        # a wrong answer given as an answer, not as «Mente du …?» or «vet ikke»
        sure = sum(1 for _, got in wrong if got not in ("ambiguous", "nomatch", "badinput")
                   and not got.startswith("suggest:"))
        # a wrong rule answer whose first follow-up is the right rule (RuleAnswer.nearby)
        near = sum(1 for case, got in wrong if got.startswith("rule:")
                   and _nearby(ask(answerer, wheel, case)) == case.expect)
        print(f"\n{name}: {sum(right.values())}/{sum(totals.values())} = {overall * 100:.1f} % "
              f"({sure} answered confidently wrong, {len(wrong) - sure} «Mente du»/vet ikke; "
              f"the rules alone {sum(by_rules.values()) / max(1, sum(totals.values())) * 100:.1f}"
              f" %; {near} of the wrong rule answers offer the right rule first)")
        for kind in sorted(totals):
            print(f"  {kind:<13} {right[kind]:>4}/{totals[kind]:<4} "
                  f"{right[kind] / totals[kind] * 100:5.1f} %")
        show = args.show_wrong if name == "tuned" else args.show_heldout
        if show:
            for case, got in wrong:
                print(f"    wrong [{case.kind}] {case.question!r}: "
                      f"expected {case.expect}, got {got}")

    _timing(answerer, wheel, bank, args.rounds)


def _timing(answerer: Answerer, wheel: Wheel, bank: list[Case], rounds: int) -> None:
    """Time per question over the bank and every held-out batch, `rounds` times."""
    batch = held_out_batch()
    later = [c for path in LATER_BATCHES.values() for c in held_out_batch(path)
             if c.expect != "missing"]
    wall, cpu = [], []
    for _ in range(rounds):
        for case in (*bank, *batch, *later):
            t, c = time.perf_counter(), time.thread_time()
            ask(answerer, wheel, case)
            cpu.append(time.thread_time() - c)
            wall.append(time.perf_counter() - t)
    # wall time includes waiting for a core on a shared machine; CPU time is the work
    for name, times in (("wall", wall), ("CPU", cpu)):
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        print(f"{name} time per question over {len(times)} answers: mean "
              f"{statistics.mean(times) * 1e3:.3f} ms, p50 "
              f"{ordered[len(ordered) // 2] * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms, "
              f"max {ordered[-1] * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
