"""Resident memory of one Kompis process as its database fills: at start, then after
10,000 stored conversations and 1,000 submitted needs reports, all seeded through real
turns (Teams-shaped activities posted to the running process, as Teams would).

Each conversation is a personal chat where Kompis is installed (conversationUpdate, the
welcome card); each report is `meld behov`, the header, one measure, submit, confirm.
Prints RSS (VmRSS) and peak (VmHWM) from /proc, and the rows found in the database.

    .venv/bin/python bench/memory.py [--database sqlite|postgresql] [--conversations 10000]
                                     [--reports 1000] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mix import (  # noqa: E402
    PG_DEFAULT,
    Person,
    Tally,
    database,
    kompis_env,
    lean_connector,
    machine,
    process,
)
from store.db import Database  # noqa: E402
from store.models import Conversation, NeedsReportRow  # noqa: E402
from tests.support.teams import TeamsClient  # noqa: E402

STEPS_PER_REPORT = 7  # meld behov, header, add, measure step 1, step 2, submit, confirm


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MiB."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


async def rows(db_url: str, schema: str) -> tuple[int, int]:
    db = Database(db_url, schema=schema or None, pool_size=1)
    try:
        async with db.sessions() as session:
            conversations = await session.scalar(select(func.count()).select_from(Conversation))
            submitted = await session.scalar(
                select(func.count()).select_from(NeedsReportRow)
                .where(NeedsReportRow.status.like("sendt inn%")))
            return int(conversations or 0), int(submitted or 0)
    finally:
        await db.dispose()


async def in_parallel(people: list[Person], concurrency: int, work) -> float:
    queue = iter(people)
    begin = time.perf_counter()

    async def worker() -> None:
        for person in queue:
            await work(person)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - begin


async def run(args: argparse.Namespace) -> None:
    url = args.database_url or os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    print(f"machine: {machine()}; database {args.database}", flush=True)
    connector, replies = lean_connector()
    await connector.start()
    samples: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with database(args.database, url, tmp) as (db_url, schema), \
                aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100)) as http, \
                process(http, [sys.executable, "-m", "bot"], kompis_env(db_url, schema)) \
                as (kompis_url, pid):
            samples.append(("at start (healthy, no turn yet)", *memory(pid)))
            client = TeamsClient(http, kompis_url + "/api/messages", connector.url)
            tally = Tally()
            people = [Person(client, replies, n, "m", tally, measures=1)
                      for n in range(args.conversations)]
            for person in people[:20]:
                await person.turn("hjelp")
            samples.append(("after 20 turns of hjelp", *memory(pid)))
            for person in people[:20]:
                await person.turn("ordliste")
            samples.append(("after 20 questions", *memory(pid)))

            async def install(person: Person) -> None:
                answer = await client.install(conv=person.conv, user=person.user)
                if answer.status != 201:
                    tally.errors["install"] += 1

            took = await in_parallel(people, args.concurrency, install)
            samples.append((f"after {args.conversations} conversations ({took:.0f} s)",
                            *memory(pid)))

            async def one_report(person: Person) -> None:
                # meld behov, header, add, the measure's two steps, submit, confirm; a
                # turn that failed starts the report again, so stop at the receipt
                receipts = person.receipts
                for _ in range(3 * STEPS_PER_REPORT):
                    await person.turn("behovsmelding")
                    if person.receipts > receipts:
                        return

            took = await in_parallel(people[:args.reports], args.concurrency, one_report)
            samples.append((f"after {args.reports} reports ({took:.0f} s)", *memory(pid)))
            await asyncio.sleep(args.idle)
            samples.append((f"after {args.idle:.0f} s idle", *memory(pid)))
            conversations, submitted = await rows(db_url, schema)
    await connector.stop()
    start_rss = samples[0][1]
    for label, rss, peak in samples:
        print(f"  {label:<40} RSS {rss:6.1f} MiB ({rss - start_rss:+6.1f})  peak {peak:6.1f} MiB")
    print(f"database: {conversations} conversations, {submitted} reports submitted; "
          f"receipts {tally.receipts}, errors {dict(tally.errors) or 0}")
    for cause, count in sorted(tally.causes.items(), key=lambda c: -c[1])[:5]:
        print(f"  failed turn ×{count}: {cause}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--idle", type=float, default=20.0, help="seconds before the last sample")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
