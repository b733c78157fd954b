"""Replicas behind a proxy, for the replica tests and bench/replicas.py.

`replica_env` is the environment of one `ta-advisor run` replica in webhook mode; `Proxy` is a
small reverse proxy, what Caddy does in deploy/compose.yaml.

Requests go round-robin to the upstream replicas; one that refuses the connection (it died) is
skipped for the next, and only when every upstream fails does the client get 502 (then
Telegram, and the emulator, send the update again later).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
SECRET = "replica-test-secret"


def replica_env(
    emu: Emulator, public_url: str, port: int, data: Path, database_url: str | None
) -> dict[str, str]:
    """`ta-advisor run` in webhook mode behind `public_url`, listening on `port`; on the
    PostgreSQL database `database_url` (None: SQLite in `data`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TA_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN=emu.token,
        TELEGRAM_API_BASE_URL=emu.base_url,
        TELEGRAM_API_BASE_FILE_URL=emu.base_file_url,
        TELEGRAM_WEBHOOK_URL=public_url,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_WEBHOOK_PORT=str(port),
        TA_ADVISOR_DATA_DIR=str(data),
        TA_ADVISOR_LOG_LEVEL="WARNING",
    )
    if database_url is not None:
        env["TA_ADVISOR_DATABASE_URL"] = database_url
    return env


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}


class Proxy:
    def __init__(self, upstreams: list[str]) -> None:
        self.upstreams = upstreams
        self._turn = itertools.count()
        self.served: list[str] = []
        """Which upstream answered each request (for the test's report)."""
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0

    async def start(self) -> int:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        server = site._server
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
        return self.port

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        first = next(self._turn)
        for offset in range(len(self.upstreams)):
            upstream = self.upstreams[(first + offset) % len(self.upstreams)]
            try:
                async with self._session.request(
                    request.method, upstream + request.path_qs, data=body, headers=headers
                ) as reply:
                    content = await reply.read()
                    self.served.append(upstream)
                    return web.Response(
                        status=reply.status,
                        body=content,
                        content_type=reply.content_type,
                    )
            except (aiohttp.ClientConnectionError, TimeoutError):
                continue  # that replica is down: the next one
        return web.Response(status=502, text="no replica answered")
