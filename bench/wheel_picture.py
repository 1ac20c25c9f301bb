"""How long the årshjul picture takes to draw, and to serve once drawn.

Draws every cycle in content/arshjul.yaml as PNG and SVG `--runs` times each (a new day
each run, so nothing is reused), then asks a `WheelPictures` for the same day again (the
kept picture), and prints median and worst times and the sizes. Also the first picture in
a fresh process, which pays for importing matplotlib (Kompis imports it only then).
Figures to compare between runs on the same machine, never a pass/fail.

    .venv/bin/python bench/wheel_picture.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.wheel.loader import load_wheel  # noqa: E402
from pictures.wheel import WheelPictures, render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    first = ("import time; from datetime import date;"
             " from domain.wheel.loader import load_wheel;"
             " from pictures.wheel import render; c = load_wheel().cycles[0];"
             " t = time.perf_counter(); render(c, date.today());"
             " print(f'{time.perf_counter() - t:.2f}')")
    out = subprocess.run([sys.executable, "-c", first], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    print(f"first picture in a fresh process (importing matplotlib included): {out} s")

    wheel = load_wheel()
    for cycle in wheel.cycles:
        for fmt in ("png", "svg"):
            times, size = [], 0
            for i in range(args.runs):
                day = cycle.first_day + timedelta(days=i)
                t0 = time.perf_counter()
                size = len(render(cycle, day, fmt))  # type: ignore[arg-type]
                times.append(time.perf_counter() - t0)
            print(f"{cycle.id} {fmt}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"worst {max(times) * 1000:.0f} ms over {args.runs} draws, {size / 1024:.0f} KiB")
        pictures = WheelPictures()
        pictures.get(cycle, cycle.first_day, "png")
        t0 = time.perf_counter()
        for _ in range(1000):
            pictures.get(cycle, cycle.first_day, "png")
        print(f"{cycle.id} png kept: {(time.perf_counter() - t0) / 1000 * 1e6:.0f} µs per "
              f"request (drawn {pictures.drawn} time)")


if __name__ == "__main__":
    main()
