"""Turn latency and throughput of Kompis against a stock echo bot, measured in one run.

The floor (bench/floor_bot.py: a bare aiohttp handler that reads the same activity and
posts the same help card through a pooled session) runs too, and Kompis is printed as a
ratio of it as well. The bots run as their own processes on loopback and reply to a
recording connector in this process. Prints p50/p95/p99, turns/s and the bot process'
CPU per turn; the ratios Kompis/echo and Kompis/floor are the figures to compare between
runs, not the absolute times. Kompis runs once more without the redelivery check
(REDELIVERY_CHECK=false), and the check's own write is timed in this process: what
answering each activity once costs per turn.

    .venv/bin/python bench/turns.py [--turns 500] [--concurrency 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.connector import RecordingConnector  # noqa: E402
from tests.support.processes import free_port, wait_healthy  # noqa: E402
from tests.support.teams import TeamsClient  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
ONCE = "kompis hjelp"
FLOOR = "floor (bare aiohttp)"
NOT_ONCE = "kompis hjelp (no once)"
QUESTION = "kompis ordliste"
# A glossary question (tests/data/questions.yaml): the question engine and one answer card
QUESTION_TEXT = "hva er innstilling?"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


@dataclass
class Result:
    name: str
    latencies: list[float]
    wall: float
    cpu: float
    errors: int

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall

    @property
    def cpu_ms(self) -> float:
        return self.cpu / max(1, len(self.latencies)) * 1000

    def row(self) -> str:
        return (f"{self.name:<22} p50 {self.pct(50):7.1f} ms  p95 {self.pct(95):7.1f} ms  "
                f"p99 {self.pct(99):7.1f} ms  mean {statistics.mean(self.latencies) * 1000:6.1f}"
                f" ms  {self.rate:7.1f} turns/s  cpu {self.cpu_ms:5.2f} ms/turn"
                f"  errors {self.errors}")


async def load(name: str, client: TeamsClient, pid: int, turns: int, concurrency: int,
               text: str) -> Result:
    for _ in range(20):  # warm-up: imports, connections, first queries
        await client.say(text)
    latencies: list[float] = []
    errors = 0
    queue = iter(range(turns))

    async def worker() -> None:
        nonlocal errors
        for _ in queue:
            start = time.perf_counter()
            answer = await client.say(text)
            latencies.append(time.perf_counter() - start)
            if answer.status != 201:
                errors += 1

    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - wall0, cpu_seconds(pid) - cpu0
    return Result(name, latencies, wall, cpu, errors)


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run(args: argparse.Namespace) -> None:
    connector = RecordingConnector()
    await connector.start()
    procs: list[subprocess.Popen] = []
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=args.concurrency * 2)
            ) as http:
                targets = [("echo (stock botbuilder)", [sys.executable, "bench/echo_bot.py"],
                            {}, "hei"),
                           (FLOOR, [sys.executable, "bench/floor_bot.py"], {}, "hjelp")]
                db = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
                for label, pooled, once, said in (
                        (NOT_ONCE, True, False, "hjelp"), (ONCE, True, True, "hjelp"),
                        (QUESTION, True, True, QUESTION_TEXT),
                        ("kompis hjelp (stock conn.)", False, True, "hjelp")):
                    env = {"DATABASE_URL": db, "MicrosoftAppId": "", "ALLOWED_TENANTS": "",
                           "CONNECTOR_POOL": "true" if pooled else "false",
                           "REDELIVERY_CHECK": "true" if once else "false"}
                    targets.append((label, [sys.executable, "-m", "bot"], env, said))
                for name, cmd, env, text in targets:
                    port = free_port()
                    if "bot" in cmd:
                        env = {**env, "PORT": str(port), "HOST": "127.0.0.1"}
                    else:
                        cmd = [*cmd, "--port", str(port)]
                    proc = start(cmd, env)
                    procs.append(proc)
                    url = f"http://127.0.0.1:{port}"
                    await wait_healthy(http, url, lambda p=proc: p.poll() is None)
                    client = TeamsClient(http, url + "/api/messages", connector.url)
                    result = await load(name, client, proc.pid, args.turns, args.concurrency,
                                        text)
                    results.append(result)
                    print(result.row(), flush=True)
                    proc.terminate()
                    proc.wait(timeout=30)
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
            await connector.stop()
    echo = results[0]
    print(f"\n{args.turns} turns at concurrency {args.concurrency}, "
          f"{os.cpu_count()} cores, database {'PostgreSQL' if args.database_url else 'SQLite'}")
    by_name = {r.name: r for r in results}
    floor = by_name[FLOOR]
    for base in (echo, floor):
        print()
        for result in results:
            if result is base or result is echo:
                continue
            print(f"{result.name:<28} / {base.name.split()[0]}: "
                  f"p50 x{result.pct(50) / base.pct(50):.2f}  "
                  f"p99 x{result.pct(99) / base.pct(99):.2f}  "
                  f"turns/s x{result.rate / base.rate:.2f}  "
                  f"cpu/turn x{result.cpu_ms / base.cpu_ms:.2f}")
    once, not_once = by_name[ONCE], by_name[NOT_ONCE]
    mean_ms = 1000 * (statistics.mean(once.latencies) - statistics.mean(not_once.latencies))
    print(f"\nredelivery check (answer each activity once), per turn: mean {mean_ms:+.2f} ms"
          f"  p50 {once.pct(50) - not_once.pct(50):+.2f} ms"
          f"  cpu {once.cpu_ms - not_once.cpu_ms:+.2f} ms  (between runs: noisy)")
    await check_alone(db, args.turns)


async def check_alone(url: str, n: int) -> None:
    """The check by itself: one INSERT … ON CONFLICT DO NOTHING per turn, timed here."""
    from store.db import Database
    from store.seen import SeenActivities

    db = Database(url)
    try:
        await db.migrate()
        seen = SeenActivities(db)
        for i in range(20):
            await seen.first_time("bench-warm", str(i))
        start = time.perf_counter()
        for i in range(n):
            await seen.first_time("bench-conversation", f"bench-{i}")
        first = (time.perf_counter() - start) / n
        start = time.perf_counter()
        for i in range(n):
            await seen.first_time("bench-conversation", f"bench-{i}")
        again = (time.perf_counter() - start) / n
    finally:
        await db.dispose()
    print(f"redelivery check alone ({n} sequential calls): {first * 1000:.2f} ms per new "
          f"activity, {again * 1000:.2f} ms per redelivery")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
