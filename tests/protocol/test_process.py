"""`python -m bot` as a real process: migrate, serve, and finish in-flight turns on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from tests.support.connector import RecordingConnector
from tests.support.teams import TeamsClient

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'proc.db'}",
        "MicrosoftAppId": "",
        "ALLOWED_TENANTS": "",
        "SHUTDOWN_TIMEOUT": "20",
    }


async def _wait_healthy(http: aiohttp.ClientSession, url: str,
                        proc: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(60):
        while True:
            assert proc.returncode is None, "server exited during start"
            try:
                async with http.get(url + "/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)


async def test_migrate_command_creates_the_schema(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", cwd=ROOT, env=_env(tmp_path, 0),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    assert proc.returncode == 0, out.decode()
    assert "Databasen er oppdatert" in out.decode()
    assert (tmp_path / "proc.db").exists()


async def test_sigterm_lets_the_turn_in_flight_finish(tmp_path: Path,
                                                      connector: RecordingConnector) -> None:
    port = _free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=_env(tmp_path, port),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{port}"
            await _wait_healthy(http, url, proc)
            teams = TeamsClient(http, url + "/api/messages", connector.url)
            connector.fail_next(200, delay=1.5)  # the reply takes 1.5 s to be accepted
            turn = asyncio.create_task(teams.say("hjelp"))
            await asyncio.wait_for(connector.first_arrival.wait(), 10)
            assert not turn.done()  # the reply is now held at the connector
            proc.send_signal(signal.SIGTERM)
            answer = await turn
            assert answer.status == 201
            assert len(connector.calls) == 1 and connector.calls[0].status == 200
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
