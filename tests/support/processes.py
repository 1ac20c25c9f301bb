"""Kompis as real OS processes (replicas), for tests that need more than one."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_healthy(http: aiohttp.ClientSession, url: str,
                       running: Callable[[], bool]) -> None:
    """Poll GET /healthz until 200; fail at once if the process died, or after 60 s."""
    async with asyncio.timeout(60):
        while True:
            if not running():
                raise RuntimeError("the server process exited during start")
            try:
                async with http.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)


class Replica:
    def __init__(self, database_url: str, *, schema: str | None = None,
                 extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": database_url,
            "MicrosoftAppId": "",
            "ALLOWED_TENANTS": "",
            "SCHEDULER_ENABLED": "true",
            "OUTBOX_INTERVAL_SECONDS": "0.3",
            "WHEEL_FILE": str(ROOT / "tests" / "data" / "arshjul-fremtid.yaml"),
            # these processes test durability (crashes, replicas, outages), not Spør Kompis:
            # each start would read the learned model (about 110 MB) again; a test that
            # wants it passes LEARNED_ANSWERS=true (test_process.py does)
            "LEARNED_ANSWERS": "false",
        }
        if schema:
            env["DATABASE_SCHEMA"] = schema
        env.update(extra_env or {})
        self._env = env
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def messages_url(self) -> str:
        return self.url + "/api/messages"

    async def start(self, http: aiohttp.ClientSession) -> Replica:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self._env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        await wait_healthy(http, self.url, lambda: self.proc.returncode is None)
        return self

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


@contextlib.asynccontextmanager
async def running(http: aiohttp.ClientSession, *replicas: Replica) -> AsyncIterator[None]:
    """The replicas started together, and stopped together at the end of the block."""
    try:
        await asyncio.gather(*(r.start(http) for r in replicas))
        yield
    finally:
        await asyncio.gather(*(r.stop() for r in replicas))
