"""GET /readyz: may this replica take turns now? Its database must take a write.

/healthz (liveness) asks only whether the database answers; /readyz also asks whether it
can be written (a locked SQLite file, a read-only PostgreSQL), which a turn needs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from store.db import Database


def readyz_handler(
        database: web.AppKey[Database]) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def readyz(request: web.Request) -> web.Response:
        db = request.app[database]
        if not await db.ping():
            return web.json_response({"status": "not ready", "database": "unreachable"},
                                     status=503)
        if not await db.writable():
            return web.json_response({"status": "not ready", "database": "not writable"},
                                     status=503)
        return web.json_response({"status": "ok", "database": "ok"})

    return readyz
