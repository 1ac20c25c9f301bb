"""`python -m scheduler due --at 2026-12-08T09:00 [--send]`: what the annual wheel has due
at that moment, for operators and tests. Without --send it is a dry run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import datetime

from domain.norsk import OSLO, format_datetime


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ugyldig tidspunkt: {text!r} (bruk 2026-12-08T09:00)") \
            from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)


async def _due(at: datetime, send: bool) -> int:
    # The composition root for the command line lives at the edge, beside the server's.
    from bot.cli import due_once

    plan, delivered = await due_once(at, send=send)
    print(f"Påminnelser som er aktuelle {format_datetime(at)}: {len(plan.due)}")
    for reminder in plan.due:
        print(f"  {reminder.key}  (sendes {format_datetime(reminder.send_at)})")
    if plan.skipped:
        print(f"Eldre enn nådetiden (sendes ikke): {len(plan.skipped)}, de siste:")
        for reminder in plan.skipped[-3:]:
            print(f"  {reminder.key}  (skulle vært sendt {format_datetime(reminder.send_at)})")
    print(f"Meldinger: {len(plan.rows)}")
    for row in plan.rows:
        print(f"  -> {row.conversation_id}  [{row.dedupe_key}]")
    if send:
        print(f"Nye i utboksen: {plan.inserted}, levert nå: {delivered}")
    else:
        print("Tørrkjøring: ingenting er sendt. Bruk --send for å sende.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduler")
    sub = parser.add_subparsers(dest="command", required=True)
    due = sub.add_parser("due", help="vis (eller send) påminnelsene som er aktuelle")
    due.add_argument("--at", type=_moment, default=None,
                     help="tidspunkt, f.eks. 2026-12-08T09:00 (norsk tid); standard er nå")
    due.add_argument("--send", action="store_true", help="legg i utboksen og send")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    at = args.at or datetime.now(OSLO)
    return asyncio.run(_due(at, args.send))


if __name__ == "__main__":
    sys.exit(main())
