"""Webhook mode: a small aiohttp server that feeds verified updates to the Application.

Every POST must carry Telegram's `X-Telegram-Bot-Api-Secret-Token` header equal to the secret
given to setWebhook (compared in constant time); anything else gets 403 and is not processed,
so a stranger who finds the URL cannot inject updates. Bodies over `MAX_BODY_BYTES` get 413
before they are read into memory. `GET /healthz` reports whether the database answers and the
knowledge base is loaded, for a load balancer or `docker healthcheck`.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update

from bot.metrics import CONTENT_TYPE_LATEST
from bot.telegram.context import SERVICES_KEY, BotApp, Services

_LOG = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024
"""Telegram's updates are a few kilobytes; a megabyte is generous and bounded."""
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


def secret_ok(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the secret cannot be guessed byte by byte."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


class WebhookServer:
    """Receives updates on `path` and serves the health check; `port=0` picks a free port."""

    def __init__(
        self, app: BotApp, *, secret: str, path: str, listen: str = "0.0.0.0", port: int = 8443
    ) -> None:
        self.app = app
        self.secret = secret
        self.path = path
        self.listen = listen
        self.port = port
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
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()
        if self.port == 0:
            self.port = self._runner.addresses[0][1]
        _LOG.info("webhook server listening on %s:%d%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _update(self, request: web.Request) -> web.Response:
        if not secret_ok(request.headers.get(SECRET_HEADER), self.secret):
            _LOG.warning("webhook request without the right secret from %s", request.remote)
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        try:
            body = await request.read()  # aiohttp answers 413 itself beyond client_max_size
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        except ValueError as exc:
            _LOG.warning("unreadable webhook body: %s", type(exc).__name__)
            return web.json_response({"ok": False, "error": "bad update"}, status=400)
        try:
            update = Update.de_json(data, self.app.bot)
        except Exception as exc:  # Telegram sent it (the secret matched): never block its queue
            _LOG.error("dropping an update PTB cannot read: %s", type(exc).__name__)
            return web.json_response({"ok": True, "dropped": True})
        await self.app.update_queue.put(update)
        return web.json_response({"ok": True})

    async def _health(self, request: web.Request) -> web.Response:
        services = self.services
        try:
            db_ok = await services.db.ping()
        except Exception:  # a health check reports failures, it does not raise them
            db_ok = False
        topics = len(services.advisor.kb)
        ok = db_ok and topics > 0
        body = {"ok": ok, "db": db_ok, "kb_topics": topics}
        return web.json_response(body, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        body = self.services.metrics.render()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
