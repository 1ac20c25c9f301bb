"""The floor: a bare aiohttp bot that does the least a Teams bot can do for a turn.

It reads the posted activity as JSON and posts one reply, Kompis' own help card (built
once at start by the real card builder), to the activity's serviceUrl through one pooled
aiohttp session, then answers 201. No authentication, no SDK, no database, no routing:
what is left is the web server, JSON in and out, and one HTTP call. bench/turns.py runs
it beside Kompis and prints Kompis' cost as a ratio of it.

    .venv/bin/python bench/floor_bot.py --port 3999
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import compose  # noqa: E402
from bot.config import Settings  # noqa: E402
from cards.help import help_card  # noqa: E402

SESSION = web.AppKey("session", aiohttp.ClientSession)
CARD = web.AppKey("card", dict)


async def messages(request: web.Request) -> web.Response:
    activity = await request.json()
    conversation = activity["conversation"]
    reply = {"type": "message", "from": activity.get("recipient"),
             "recipient": activity.get("from"), "conversation": conversation,
             "replyToId": activity.get("id"),
             "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                              "content": request.app[CARD]}]}
    url = (f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{conversation['id']}"
           f"/activities/{activity.get('id', '')}")
    async with request.app[SESSION].post(url, data=json.dumps(reply),
                                         headers={"Content-Type": "application/json"}) as r:
        await r.read()
    return web.Response(status=201)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _start(app: web.Application) -> None:
    app[SESSION] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))


async def _stop(app: web.Application) -> None:
    await app[SESSION].close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(_env_file=None, database_url="sqlite+aiosqlite:///:memory:")
    router = compose.features(compose.services(settings, compose.database(settings))).router
    app = web.Application()
    app[CARD] = help_card(router.help_items())
    # as `python -m bot` does after start: the content loaded for the card (some 200 000
    # objects) is frozen, so no full collection of it lands among the measured turns
    gc.collect()
    gc.freeze()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
    web.run_app(app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
