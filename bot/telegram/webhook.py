"""Webhook mode: a small aiohttp server that stores verified updates in the inbox.

Every POST must carry Telegram's `X-Telegram-Bot-Api-Secret-Token` header equal to the secret
given to setWebhook (compared in constant time; bytes that are not UTF-8 count as wrong);
anything else gets 403 and is not processed, so a stranger who finds the URL cannot inject
updates. Bodies over `MAX_BODY_BYTES` get 413 before they are read into memory, and JSON that is
not a plausible update (too deep, absurd numbers, lone surrogates, a non-integer update_id) gets
400. A verified update is answered 200 only once it is stored in the inbox (handle, then
acknowledge); if the database cannot take it, 503 makes Telegram send it again later.

Idle connections, and clients that send their headers slowly, are closed after
`IDLE_TIMEOUT_S`; a body must arrive within `BODY_TIMEOUT_S`; beyond `MAX_CONNECTIONS` the
longest-waiting connection without a request is closed to make room (refused only when all are
busy). `GET /healthz` reports whether the database is readable,
writable and still the file on disk, and whether the knowledge base is loaded. `/metrics` is
served here only with `TA_ADVISOR_METRICS_TOKEN` (as a bearer token), or on its own address
(`MetricsServer`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiohttp import web

from bot.metrics import CONTENT_TYPE_LATEST
from bot.telegram.context import SERVICES_KEY, BotApp, Services

_LOG = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024
"""Telegram's updates are a few kilobytes; a megabyte is generous and bounded."""
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
IDLE_TIMEOUT_S = 15.0
"""An open connection without a complete request (idle, or headers trickling) is closed."""
BODY_TIMEOUT_S = 10.0
MAX_CONNECTIONS = 100
"""Telegram opens at most `max_connections` (40 by default) at once."""
MAX_DEPTH = 24
"""Updates nest about six levels deep (a reply's quoted message's entities)."""
MAX_ABS_INT = 2**63
"""Telegram's ids fit 64 bits; a larger number is not from Telegram."""


def secret_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the secret cannot be guessed byte by byte."""
    if given is None:
        return False
    try:
        raw = given.encode("utf-8")  # aiohttp keeps undecodable header bytes as surrogates
    except UnicodeEncodeError:
        return False
    return hmac.compare_digest(raw, expected.encode())


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_update(body: bytes) -> dict[str, Any]:
    """The body as an update object, or `ValueError` saying why it cannot be one."""
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    if not isinstance(data, dict):
        raise ValueError("not an object")
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise ValueError("update_id is not an integer")
    _check_value(data)
    return data


def _check_value(root: object) -> None:
    """Depth, integer range and text encodability, checked without recursion."""
    stack: list[tuple[object, int]] = [(root, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, int) and not -MAX_ABS_INT <= value < MAX_ABS_INT:
            raise ValueError("number out of range")


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text is not valid Unicode (lone surrogate)") from None


class _Refused:
    """A protocol for a connection over the limit: closed as soon as it is made."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        """Nothing to clean up."""

    def data_received(self, data: bytes) -> None:
        """Ignored: the connection is closing."""

    def eof_received(self) -> bool:
        return False


def _waiting(handler: Any) -> bool:
    """Whether a connection is open without a request being handled (idle, or its headers
    still trickling in); aiohttp's handler keeps the request it is handling, if any."""
    return getattr(handler, "transport", None) is not None and (
        getattr(handler, "_current_request", None) is None
    )


class _LimitedServer:
    """aiohttp's protocol factory with at most `limit` connections (file descriptors are
    finite). At the limit, the longest-waiting connection without a request is closed to make
    room, so a flood of idle connections cannot lock Telegram out; only when every connection
    is busy with a request is the new one refused."""

    def __init__(self, server: web.Server, limit: int) -> None:
        self._server = server
        self._limit = limit
        self.refused = 0
        self.evicted = 0
        self._made: list[Any] = []
        """Handlers handed out but maybe not connected yet: asyncio accepts a burst of
        connections, calling this factory for each, before any of them is connected."""

    def __call__(self) -> Any:
        connections = self._server.connections
        self._made = [h for h in self._made if getattr(h, "_manager", None) is not None]
        pending = sum(1 for h in self._made if h not in connections)
        open_ = [h for h in connections if getattr(h, "transport", None) is not None]
        if len(open_) + pending >= self._limit:
            if (self.refused + self.evicted) % 100 == 0:
                _LOG.warning("webhook: too many open connections, closing idle ones")
            idle = next((h for h in open_ if _waiting(h)), None)  # oldest first
            if idle is None:
                self.refused += 1
                return _Refused()
            self.evicted += 1
            idle.force_close()
        handler = self._server()
        self._made.append(handler)
        return handler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._server, name)


async def _start_site(
    web_app: web.Application, listen: str, port: int, *, max_connections: int
) -> tuple[web.AppRunner, int]:
    """Serve `web_app` with the idle timeout and connection limit; returns the bound port."""
    runner = web.AppRunner(web_app, access_log=None, keepalive_timeout=IDLE_TIMEOUT_S)
    await runner.setup()
    assert runner.server is not None
    runner._server = _LimitedServer(runner.server, max_connections)  # type: ignore[assignment]
    site = web.TCPSite(runner, listen, port)
    await site.start()
    return runner, runner.addresses[0][1] if port == 0 else port


def _bearer_ok(request: web.Request, token: str | None) -> bool:
    if token is None:
        return False
    given = request.headers.get("Authorization", "")
    return given.startswith("Bearer ") and secret_ok(given.removeprefix("Bearer "), token)


async def health_response(services: Services) -> web.Response:
    """The health report (200 when everything works, else 503)."""
    try:
        report: dict[str, Any] = dict(await services.db.health())
    except Exception:  # a health check reports failures, it does not raise them
        report = {"db": False}
    topics = len(services.advisor.kb)
    ok = bool(report["db"]) and topics > 0
    body = {"ok": ok, **report, "kb_topics": topics}
    return web.json_response(body, status=200 if ok else 503)


class MetricsServer:
    """`/metrics` and `/healthz` on their own address (TA_ADVISOR_METRICS_LISTEN/_PORT), in
    either mode, for a scraper that must not reach the webhook."""

    def __init__(self, app: BotApp, *, listen: str, port: int) -> None:
        self.app, self.listen, self.port = app, listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        web_app = web.Application()
        web_app.router.add_get(METRICS_PATH, self._metrics)
        web_app.router.add_get(HEALTH_PATH, self._health)
        self._runner, self.port = await _start_site(
            web_app, self.listen, self.port, max_connections=20
        )
        _LOG.info("metrics server listening on %s:%d", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _metrics(self, request: web.Request) -> web.Response:
        services: Services = self.app.bot_data[SERVICES_KEY]
        body = services.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _health(self, request: web.Request) -> web.Response:
        return await health_response(self.app.bot_data[SERVICES_KEY])


class WebhookServer:
    """Receives updates on `path` and serves the health check; `port=0` picks a free port."""

    def __init__(
        self,
        app: BotApp,
        *,
        secret: str,
        path: str,
        listen: str = "127.0.0.1",
        port: int = 8443,
        metrics_token: str | None = None,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.app = app
        self.secret = secret
        self.path = path
        self.listen = listen
        self.port = port
        self.metrics_token = metrics_token
        self.max_connections = max_connections
        self._runner: web.AppRunner | None = None

    @property
    def services(self) -> Services:
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services

    def web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=MAX_BODY_BYTES)
        web_app.router.add_post(self.path, self._update)
        web_app.router.add_get(HEALTH_PATH, self._health)
        web_app.router.add_get(METRICS_PATH, self._metrics)
        return web_app

    async def start(self) -> None:
        """Start the inbox's pump, then listen (an update stored is then handled)."""
        if self.services.inbox is not None:
            await self.services.inbox.start()
        self._runner, self.port = await _start_site(
            self.web_app(), self.listen, self.port, max_connections=self.max_connections
        )
        _LOG.info("webhook server listening on %s:%d%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.services.inbox is not None:
            await self.services.inbox.stop()

    async def _update(self, request: web.Request) -> web.Response:
        if not secret_ok(request.headers.get(SECRET_HEADER), self.secret):
            _LOG.warning("webhook request without the right secret from %s", request.remote)
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        try:
            async with asyncio.timeout(BODY_TIMEOUT_S):
                body = await request.read()  # aiohttp answers 413 itself beyond client_max_size
            data = parse_update(body)
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        except TimeoutError:
            return web.json_response({"ok": False, "error": "body too slow"}, status=408)
        except ValueError as exc:  # UnicodeDecodeError included
            _LOG.warning(
                "unreadable webhook body: %s",
                str(exc)[:80] if not isinstance(exc, UnicodeDecodeError) else "not UTF-8",
            )
            return web.json_response({"ok": False, "error": "bad update"}, status=400)
        inbox = self.services.inbox
        if inbox is None:  # pragma: no cover - build_application always makes one
            return web.json_response({"ok": False, "error": "not ready"}, status=503)
        try:
            await inbox.receive([data])  # stored before the 200 (handle, then acknowledge)
        except Exception as exc:  # the database reported it; Telegram retries a non-2xx
            _LOG.warning("webhook update not stored: %s", type(exc).__name__)
            return web.json_response({"ok": False, "error": "unavailable"}, status=503)
        return web.json_response({"ok": True})

    async def _health(self, request: web.Request) -> web.Response:
        return await health_response(self.services)

    async def _metrics(self, request: web.Request) -> web.Response:
        if not _bearer_ok(request, self.metrics_token):
            raise web.HTTPNotFound()
        body = self.services.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
