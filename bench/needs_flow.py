"""A whole needs report, turn by turn, against one in-process Kompis: prints the number
of turns and the time per turn (p50, max), on SQLite or on DATABASE_URL's PostgreSQL.

    .venv/bin/python bench/needs_flow.py [--reports 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.wheel.loader import WHEEL_FILE  # noqa: E402
from tests.support.connector import RecordingConnector  # noqa: E402
from tests.support.needs import HEADER, STEP1, STEP2, button  # noqa: E402
from tests.support.server import DbTarget, RunningKompis, isolated_settings  # noqa: E402
from tests.support.teams import TeamsClient, User  # noqa: E402


async def one_report(client: TeamsClient, connector: RecordingConnector, user: User,
                     n: int, times: list[float]) -> None:
    async def turn(coro):
        start = time.perf_counter()
        result = await coro
        times.append(time.perf_counter() - start)
        return result

    async def press(verb: str, data: dict) -> dict:
        answer = await turn(client.execute(verb, {"action": verb, **data}, user=user))
        return answer.body["value"]

    await turn(client.say("meld behov", user=user))
    header = connector.cards()[-1]
    review = await press("needs.header.save", {**button(header, "Lagre og gå videre"), **HEADER,
                                               "partnership_name": f"Partnerskap {n}"})
    for i in range(3):
        form = await press("needs.measure.add", button(review, "Legg til tiltak"))
        step2 = await press("needs.measure.next", {**button(form, "Neste"), **STEP1,
                                                   "title": f"Tiltak {i}"})
        review = await press("needs.measure.save", {**button(step2, "Lagre tiltaket"),
                                                    **STEP2})
    confirm = await press("needs.submit", button(review, "Send inn"))
    await press("needs.submit.confirm", button(confirm, "Send inn"))


async def run(args: argparse.Namespace) -> None:
    connector = RecordingConnector()
    await connector.start()
    with tempfile.TemporaryDirectory() as tmp:
        target = DbTarget(args.database_url or f"sqlite+aiosqlite:///{tmp}/flow.db")
        server = RunningKompis(target, isolated_settings(target, wheel_file=WHEEL_FILE))
        await server.start()
        times: list[float] = []
        try:
            async with aiohttp.ClientSession() as http:
                client = TeamsClient(http, server.messages_url, connector.url)
                for n in range(args.reports):
                    user = User(f"29:bench-{n}", f"aad-bench-{n}", f"Bruker {n}")
                    await one_report(client, connector, user, n, times)
        finally:
            await server.stop()
            await connector.stop()
    per = len(times) // args.reports
    print(f"{args.reports} reports x {per} turns (meld behov, header, 3 x (add, step 1, step 2), "
          f"submit, confirm)")
    print(f"time per turn: p50 {statistics.median(times) * 1000:.1f} ms, "
          f"mean {statistics.mean(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; "
          f"a whole report {sum(times) / args.reports * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--database-url", default="")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
