"""Spør Kompis: accuracy per kind on the question bank (tuned part and held-out part apart),
time per question (mean, p50, p99) and the time to load all content and build the engine.
Prints figures; never asserts on time.

    .venv/bin/python bench/answers.py [--rounds 20] [--show-wrong] [--show-heldout]

Three parts: the bank's tuned part, its held-out fifth, and the held-out batch
(tests/data/sporsmal_holdt_ute.yaml, written before the second round of tuning).
--show-wrong lists the tuned part's misses. The held-out parts' misses are listed only
with --show-heldout: look at them once, at the end, never while tuning.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.answers_eval import (  # noqa: E402
    HELD_OUT_BATCH_3,
    ask,
    build,
    cases,
    commands,
    evaluate,
    held_out_batch,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--show-wrong", action="store_true")
    parser.add_argument("--show-heldout", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    registry = commands()
    imported = time.perf_counter() - start
    start = time.perf_counter()
    answerer, wheel = build(registry)
    loaded = time.perf_counter() - start
    bank = cases()
    start = time.perf_counter()
    answerer.answer("når blir pengene utbetalt", bank[0].today, wheel)  # the wheel's index
    first = time.perf_counter() - start
    print(f"command registry read in {imported * 1000:.0f} ms (imports the bot); all content "
          f"loaded and the engine built in {loaded * 1000:.0f} ms (ordliste, kriterier, "
          f"sporsmal.yaml, arshjul, BM25 index); first question {first * 1000:.1f} ms "
          f"(builds the wheel's index)")

    batch = held_out_batch()
    batch3 = held_out_batch(HELD_OUT_BATCH_3)
    for name, part in (("tuned", [c for c in bank if not c.heldout]),
                       ("held-out", [c for c in bank if c.heldout]),
                       ("held-out batch 2", batch),
                       ("held-out batch 3", batch3)):
        totals, right, wrong = evaluate(answerer, wheel, part)
        overall = sum(right.values()) / max(1, sum(totals.values()))
        # a wrong answer given as an answer, not as «Mente du …?» or «vet ikke»
        sure = sum(1 for _, got in wrong if got not in ("ambiguous", "nomatch", "badinput")
                   and not got.startswith("suggest:"))
        print(f"\n{name}: {sum(right.values())}/{sum(totals.values())} = {overall * 100:.1f} % "
              f"({sure} answered confidently wrong, {len(wrong) - sure} «Mente du»/vet ikke)")
        for kind in sorted(totals):
            print(f"  {kind:<13} {right[kind]:>4}/{totals[kind]:<4} "
                  f"{right[kind] / totals[kind] * 100:5.1f} %")
        show = args.show_wrong if name == "tuned" else args.show_heldout
        if show:
            for case, got in wrong:
                print(f"    wrong [{case.kind}] {case.question!r}: "
                      f"expected {case.expect}, got {got}")

    wall, cpu = [], []
    for _ in range(args.rounds):
        for case in (*bank, *batch):
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
