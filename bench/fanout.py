"""Reminder fan-out through the outbox: N subscribed conversations, one reminder each.

The recording connector enforces a rate limit and answers 429 to a share of posts at
random; the sender must stay under its configured limits, retry, and deliver every
message exactly once. Prints delivered/s against the configured per-app limit,
duplicates and losses (both must be 0), retries and the time to drain.

    .venv/bin/python bench/fanout.py [--conversations 2000] [--share-429 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.delivery import Deliverer, DeliveryPolicy  # noqa: E402
from scheduler.ratelimit import PER_CONVERSATION, Window  # noqa: E402
from store.conversations import ConversationRecord  # noqa: E402
from store.outbox import NewMessage  # noqa: E402
from tests.support.connector import RecordingConnector  # noqa: E402
from tests.support.server import DbTarget, RunningKompis, isolated_settings  # noqa: E402


def reference(conv_id: str, service_url: str) -> dict:
    return {
        "activityId": None,
        "user": {"id": "29:user", "name": "Bruker"},
        "bot": {"id": "28:kompis-bot", "name": "Kompis"},
        "conversation": {"id": conv_id, "conversationType": "channel", "isGroup": True},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


async def run(args: argparse.Namespace) -> None:
    connector = RecordingConnector(limit_per_second=args.connector_limit,
                                   share_429=args.share_429)
    await connector.start()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/fanout.db"
        target = DbTarget(url)
        server = RunningKompis(target, isolated_settings(target))
        await server.start()
        try:
            services = server.services
            ids = [f"19:kanal-{i:05d}@thread.tacv2" for i in range(args.conversations)]
            for conv_id in ids:
                await services.conversations.upsert(ConversationRecord(
                    conversation_id=conv_id, channel_id="msteams", service_url=connector.url,
                    conversation_type="channel", reference=reference(conv_id, connector.url),
                    tenant_id="tenant-bench"))
            messages = [NewMessage(f"frist-behov|7|{c}", c, "reminder",
                                   {"text": "Påminnelse: behovsmeldingen skal leveres om 7 dager."})
                        for c in ids]
            started = time.perf_counter()
            inserted = await services.outbox.enqueue(messages)
            again = await services.outbox.enqueue(messages)  # a second due-check: no new rows
            policy = DeliveryPolicy(per_app=(Window(args.app_limit, 1.0),),
                                    per_conversation=PER_CONVERSATION,
                                    base_delay=0.5, max_delay=5.0, max_attempts=10,
                                    concurrency=args.concurrency)
            runtime = server.runtime
            deliverer = Deliverer(services.outbox, services.conversations,
                                  services.subscriptions, runtime.deliverer._sender,
                                  worker="bench", policy=policy)
            stats = await deliverer.drain(max_seconds=args.max_seconds)
            elapsed = time.perf_counter() - started
            posted = Counter(m["conversation"]["id"] for m in connector.messages())
            duplicates = sum(n - 1 for n in posted.values() if n > 1)
            lost = sum(1 for c in ids if posted[c] == 0)
            answered_429 = sum(1 for c in connector.calls if c.status == 429)
            print(f"conversations          {args.conversations}")
            print(f"outbox rows            {inserted} inserted, {again} on the second due-check")
            seen = sum(posted.values())
            print(f"delivered              {stats.delivered}  (connector saw {seen})")
            print(f"duplicates             {duplicates}")
            print(f"lost                   {lost}")
            print(f"429 answered           {answered_429}  retried {stats.retried}  "
                  f"failed {stats.failed}")
            print(f"time to drain          {elapsed:.1f} s")
            rate = stats.delivered / elapsed if elapsed else 0.0
            print(f"delivered/s            {rate:.1f}  (configured limit {args.app_limit}/s, "
                  f"ratio {rate / args.app_limit:.2f})")
        finally:
            await server.stop()
            await connector.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--share-429", type=float, default=0.05)
    parser.add_argument("--app-limit", type=int, default=50,
                        help="the sender's per-app-and-tenant limit (Teams: about 50/s)")
    parser.add_argument("--connector-limit", type=float, default=60.0,
                        help="the connector answers 429 above this many posts a second")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--database-url", default="")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
