"""Webhook mode: the secret header, body limits, and the health endpoint, over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio

from bot.answering import Advisor
from bot.storage import Database
from bot.telegram.app import build_application, startup
from bot.telegram.context import BotApp
from bot.telegram.throttle import ChatRateLimiter
from bot.telegram.webhook import MAX_BODY_BYTES, SECRET_HEADER, WebhookServer, secret_ok
from tests.emulator import Emulator
from tests.telegram.harness import FakeClock, make_settings

SECRET = "s3cret-Token_42"
METRICS = "metrics-Token_7"


class Hooked:
    def __init__(self, emu: Emulator, app: BotApp, server: WebhookServer, db: Database) -> None:
        self.emu, self.app, self.server, self.db = emu, app, server, db

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def url(self) -> str:
        return self.base + self.server.path


@pytest_asyncio.fixture
async def hooked(emulator: Emulator, tmp_path: Path, advisor: Advisor) -> AsyncIterator[Hooked]:
    settings = make_settings(
        emulator,
        tmp_path,
        telegram_webhook_url="https://bot.example.com/telegram",
        telegram_webhook_secret=SECRET,
    )
    db = await Database.open(settings.database_path)
    app = build_application(
        settings, advisor, db, clock=FakeClock(), rate_limiter=ChatRateLimiter(burst=None)
    )
    assert app.updater is None  # webhook mode: updates come through our server
    server = WebhookServer(
        app, secret=SECRET, path="/telegram", listen="127.0.0.1", port=0, metrics_token=METRICS
    )
    await app.initialize()
    await startup(app, reminder_interval_s=None)
    await server.start()
    await app.start()
    await app.bot.set_webhook(f"http://127.0.0.1:{server.port}/telegram", secret_token=SECRET)
    try:
        yield Hooked(emulator, app, server, db)
    finally:
        await app.stop()
        await server.stop()
        await app.shutdown()
        await db.close()


async def test_updates_with_the_secret_are_processed(hooked: Hooked) -> None:
    alice = hooked.emu.create_user()
    update_id = hooked.emu.send_text(alice, None, "/help")
    assert (await hooked.emu.wait_for_delivery(update_id)).status == 200
    call = await hooked.emu.wait_for_request("sendMessage")
    assert call.params["text"].startswith("<b>What I can do</b>")


async def test_wrong_or_missing_secret_is_refused_and_not_processed(hooked: Hooked) -> None:
    alice = hooked.emu.create_user()
    await hooked.app.bot.set_webhook(hooked.url, secret_token="wrong-secret")
    update_id = hooked.emu.send_text(alice, None, "/help")
    assert (await hooked.emu.wait_for_delivery(update_id)).status == 403

    body = {"update_id": 999, "message": hooked.emu.updates[-1]["message"]}
    async with aiohttp.ClientSession() as http:
        async with http.post(hooked.url, json=body) as resp:
            assert resp.status == 403
        async with http.post(hooked.url, json=body, headers={SECRET_HEADER: ""}) as resp:
            assert resp.status == 403
        # The right secret afterwards is processed: proof the refused ones were not queued.
        async with http.post(hooked.url, json=body, headers={SECRET_HEADER: SECRET}) as resp:
            assert resp.status == 200
    await hooked.emu.wait_for_request("sendMessage")
    assert [c.method for c in hooked.emu.requests].count("sendMessage") == 1


async def test_oversized_and_malformed_bodies(hooked: Hooked) -> None:
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    huge = json.dumps({"update_id": 1, "pad": "x" * (MAX_BODY_BYTES + 10)})
    async with aiohttp.ClientSession() as http:
        async with http.post(hooked.url, data=huge, headers=headers) as resp:
            assert resp.status == 413
        async with http.post(hooked.url, data="{not json", headers=headers) as resp:
            assert resp.status == 400
        async with http.post(hooked.url, data="[1, 2]", headers=headers) as resp:
            assert resp.status == 400
        # JSON that PTB cannot read (from Telegram, since the secret matched): stored and
        # acknowledged, so Telegram's delivery queue is not blocked by retries, then skipped.
        async with http.post(
            hooked.url, json={"update_id": 5, "message": 5}, headers=headers
        ) as resp:
            assert resp.status == 200
    inbox = hooked.server.services.inbox
    assert inbox is not None
    await hooked.emu.wait_until(lambda: inbox.skipped == 1)
    assert await hooked.db.inbox_pending() == 0
    assert not [c for c in hooked.emu.requests if c.method == "sendMessage"]


async def test_health_endpoint(hooked: Hooked) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(hooked.base + "/healthz") as resp:
            assert resp.status == 200
            body = await resp.json()
            topics = len(hooked.server.services.advisor.kb)
            assert body["ok"] and body["db"] and body["kb_topics"] == topics > 0
            assert body["db_readable"] and body["db_writable"]
        await hooked.db.close()  # the database goes away
        async with http.get(hooked.base + "/healthz") as resp:
            assert resp.status == 503
            assert (await resp.json())["db"] is False


def test_secret_comparison() -> None:
    assert secret_ok(SECRET, SECRET)
    assert not secret_ok(None, SECRET)
    assert not secret_ok("", SECRET)
    assert not secret_ok(SECRET + "x", SECRET)
    assert not secret_ok("ß", SECRET)  # non-ASCII does not crash the comparison


async def test_metrics_count_updates_and_answers(hooked: Hooked) -> None:
    alice = hooked.emu.create_user()
    update_id = hooked.emu.send_text(alice, None, "can I pay by western union?")
    assert (await hooked.emu.wait_for_delivery(update_id)).status == 200
    await hooked.emu.wait_for_request("sendMessage")
    async with aiohttp.ClientSession() as http:
        async with http.get(hooked.base + "/metrics") as resp:
            assert resp.status == 404  # not without the token
        bearer = {"Authorization": f"Bearer {METRICS}"}
        for _ in range(100):  # the handling time is recorded once the update is marked done,
            async with http.get(
                hooked.base + "/metrics", headers=bearer
            ) as resp:  # after its reply
                assert resp.status == 200
                text = await resp.text()
            if "ta_advisor_handler_seconds_count 1.0" in text:
                break
            await asyncio.sleep(0.05)
    assert 'ta_advisor_updates_total{type="message"} 1.0' in text
    assert 'ta_advisor_answers_total{decision="answer"} 1.0' in text
    assert "ta_advisor_handler_seconds_count 1.0" in text
    assert "western" not in text.lower()  # figures, never user text
