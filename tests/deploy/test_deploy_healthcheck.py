"""deploy/healthcheck.py's webhook probe: where it looks and how it reads the answer."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

from bot.settings import Settings

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "healthcheck.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ta_advisor_healthcheck", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


healthcheck = _load()


class _Health(BaseHTTPRequestHandler):
    status = 200
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.paths.append(self.path)
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    _Health.status, _Health.paths = 200, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _webhook_settings(listen: str, port: int) -> Settings:
    return Settings(
        telegram_webhook_url="https://bot.example.org/telegram",
        telegram_webhook_secret="s",
        telegram_webhook_listen=listen,
        telegram_webhook_port=port,
    )


def test_a_server_on_every_address_is_probed_on_loopback(server: ThreadingHTTPServer) -> None:
    port = server.server_address[1]
    assert healthcheck.probe_webhook(_webhook_settings("0.0.0.0", port)) is None
    assert _Health.paths == ["/healthz"]


def test_503_from_healthz_is_unhealthy(server: ThreadingHTTPServer) -> None:
    _Health.status = 503
    problem = healthcheck.probe_webhook(_webhook_settings("127.0.0.1", server.server_address[1]))
    assert problem is not None and "HTTP 503" in problem


def test_nothing_listening_is_unhealthy(server: ThreadingHTTPServer) -> None:
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    problem = healthcheck.probe_webhook(_webhook_settings("127.0.0.1", port))
    assert problem is not None and f"127.0.0.1:{port}/healthz" in problem
