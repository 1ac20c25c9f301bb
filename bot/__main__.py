"""`python -m bot` serves Kompis; `python -m bot migrate` only brings the schema up to date."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys

from aiohttp import web

from bot.app import create_app
from bot.config import Settings
from bot.preflight import refusal
from store.db import Database


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Kompis, Teams-boten")
    parser.add_argument("command", nargs="?", choices=["serve", "migrate"], default="serve")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    reason = refusal(settings, serve=args.command == "serve")
    if reason:
        print(reason, file=sys.stderr, flush=True)
        sys.exit(2)
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
        return
    app = create_app(settings)
    app.on_startup.append(_settle)  # after the runtime is built (create_app's own start)
    print(f"Kompis lytter på http://{settings.host}:{settings.port}/api/messages", flush=True)
    # run_app stops on SIGTERM/SIGINT and lets in-flight requests finish (shutdown_timeout).
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        shutdown_timeout=settings.shutdown_timeout,
        print=None,
        access_log=None,
    )


async def _settle(app: web.Application) -> None:
    """What start built (content, indexes, the SDK's modules: some 200 000 objects) lives
    as long as the process: moved out of the collector's sight, so the occasional full
    collection scans only what turns made since (it took about 0.13 s a time, inside
    some turn)."""
    gc.collect()
    gc.freeze()


async def _migrate(settings: Settings) -> None:
    db = Database(settings.database_url, schema=settings.database_schema or None)
    try:
        await db.migrate()
    finally:
        await db.dispose()
    print("Databasen er oppdatert.")


if __name__ == "__main__":
    main()
