"""A TCP proxy between Kompis and PostgreSQL that a test can cut, as a network would.

Kompis connects to the proxy's port instead of PostgreSQL's. `cut()` resets every open
connection and refuses new ones (the database is unreachable); `restore()` listens
again. `cut_before(sql)` arms a cut at a precise moment: just before the client sends a
statement whose SQL contains `sql`, so a test can drop the database in the middle of a
transaction. `stall_before(sql)` holds everything from then on instead, with every
connection left open and new ones accepted but never answered, as when packets are
dropped without a reset. The proxy reads the frontend messages of PostgreSQL's wire protocol to see
the statements (Parse names a prepared statement, a later Bind may reuse it by name),
so the connection must not use TLS (the URL says `ssl=disable`).
"""

from __future__ import annotations

import asyncio
import contextlib
import struct

from tests.support.processes import free_port

_SSL_REQUEST = 80877103
_GSS_REQUEST = 80877104


class _Frontend:
    """Splits the client's byte stream into protocol messages and finds their SQL."""

    def __init__(self) -> None:
        self._buffer = b""
        self._started = False
        self._statements: dict[bytes, bytes] = {}

    def feed(self, data: bytes) -> list[tuple[bytes, bytes]]:
        """Complete messages as (raw bytes, the SQL they run or b"")."""
        self._buffer += data
        out: list[tuple[bytes, bytes]] = []
        while True:
            if not self._started:  # untyped: SSLRequest, GSSENCRequest, StartupMessage
                if len(self._buffer) < 8:
                    break
                length, code = struct.unpack("!ii", self._buffer[:8])
                if len(self._buffer) < length:
                    break
                raw, self._buffer = self._buffer[:length], self._buffer[length:]
                if code not in (_SSL_REQUEST, _GSS_REQUEST):
                    self._started = True
                out.append((raw, b""))
                continue
            if len(self._buffer) < 5:
                break
            kind = self._buffer[:1]
            (length,) = struct.unpack("!i", self._buffer[1:5])
            if len(self._buffer) < length + 1:
                break
            raw, self._buffer = self._buffer[:length + 1], self._buffer[length + 1:]
            out.append((raw, self._sql(kind, raw[5:])))
        return out

    def _sql(self, kind: bytes, payload: bytes) -> bytes:
        if kind == b"Q":  # simple query
            return payload.split(b"\0", 1)[0]
        if kind == b"P":  # Parse: statement name, query
            name, rest = payload.split(b"\0", 1)
            query = rest.split(b"\0", 1)[0]
            self._statements[name] = query
            return query
        if kind == b"B":  # Bind: portal name, statement name
            _portal, rest = payload.split(b"\0", 1)
            return self._statements.get(rest.split(b"\0", 1)[0], b"")
        return b""


class CuttableProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task] = set()
        self._trigger: bytes | None = None
        self._stall = False  # armed trigger holds the traffic instead of cutting it
        self.stalled = asyncio.Event()
        self.tripped = asyncio.Event()  # set when an armed cut happened
        self.cut_count = 0

    async def start(self) -> CuttableProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port,
                                                  reuse_address=True)
        return self

    async def stop(self) -> None:
        await self.cut()
        for task in list(self._tasks):
            task.cancel()

    @property
    def up(self) -> bool:
        return self._server is not None

    def cut_before(self, sql: str) -> None:
        """Cut everything the moment a statement containing `sql` is about to be sent."""
        self._trigger = sql.encode()
        self.tripped.clear()

    def stall_before(self, sql: str) -> None:
        """Like cut_before, but the connections stay open and nothing more gets through
        (a network that drops packets without a reset)."""
        self.cut_before(sql)
        self._stall = True

    async def cut(self) -> None:
        """Refuse new connections and reset every open one."""
        self.cut_count += 1
        if self._server is not None:
            self._server.close()  # stops listening at once: new connections are refused
            self._server = None
        for writer in list(self._pipes):
            writer.transport.abort()  # a reset, as when the network between them drops
        self._pipes.clear()
        await asyncio.sleep(0)

    async def restore(self) -> None:
        """Reachable again: listening after a cut; after a stall, traffic flows again on new
        connections (the held ones are reset: their clients have given up on them)."""
        if self.stalled.is_set():
            self.stalled.clear()
            self._stall = False
            for writer in list(self._pipes):
                writer.transport.abort()
            self._pipes.clear()
        if self._server is None:
            await self.start()

    async def _accept(self, client_r: asyncio.StreamReader,
                      client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        self._pipes.update((client_w, server_w))
        up = asyncio.create_task(self._client_to_server(client_r, server_w))
        down = asyncio.create_task(self._pump(server_r, client_w))
        self._tasks.update((up, down))
        try:
            await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (up, down):
                task.cancel()
                self._tasks.discard(task)
            for writer in (client_w, server_w):
                self._pipes.discard(writer)
                writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()

    async def _client_to_server(self, reader: asyncio.StreamReader,
                                writer: asyncio.StreamWriter) -> None:
        frontend = _Frontend()
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                for raw, sql in frontend.feed(data):
                    if self.stalled.is_set():
                        continue  # swallowed, never answered
                    if self._trigger is not None and self._trigger in sql:
                        self._trigger = None
                        if self._stall:
                            self.stalled.set()
                            self.tripped.set()
                            continue
                        await writer.drain()
                        await self.cut()
                        self.tripped.set()
                        return
                    writer.write(raw)
                await writer.drain()
