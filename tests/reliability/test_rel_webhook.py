"""Webhook: what tests/telegram/test_tg_webhook.py leaves open.

That module covers a wrong and a missing secret (403, not processed), an oversized body with a
Content-Length (413), malformed JSON (400) and unreadable updates (dropped with 200). Here: the
other methods and paths, a secret anywhere but the header, an oversized body without a
Content-Length (chunked), and the order of the checks (a stranger's huge body is refused by the
secret check before it is read). Each refused request carries a valid update that would be
answered if it were processed; the last request proves the queue held none of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.telegram import webhook
from bot.telegram.webhook import MAX_BODY_BYTES, SECRET_HEADER
from tests.telegram.test_tg_webhook import SECRET, Hooked, hooked

__all__ = ["hooked"]


def _update(hooked: Hooked, update_id: int) -> dict[str, object]:
    """A valid /help message update, as Telegram would push it."""
    alice = hooked.emu.create_user()
    chat = hooked.emu.private_chat(alice)
    message = {
        "message_id": update_id,
        "date": 1_700_000_000,
        "chat": chat.to_api(),
        "from": alice.to_api(),
        "text": "/help",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    }
    return {"update_id": update_id, "message": message}


def _answers(hooked: Hooked) -> int:
    return sum(1 for c in hooked.emu.requests if c.method == "sendMessage")


async def test_other_methods_and_paths_are_refused(hooked: Hooked) -> None:
    good = {SECRET_HEADER: SECRET}
    body = _update(hooked, 100)
    async with aiohttp.ClientSession() as http:
        for method in ("GET", "PUT", "PATCH", "DELETE"):
            async with http.request(method, hooked.url, json=body, headers=good) as resp:
                assert resp.status == 405, method
        base = hooked.base
        for path in ("/", "/telegram/", "/Telegram", "/telegram2", "/telegram/../telegram2"):
            async with http.post(base + path, json=body, headers=good) as resp:
                assert resp.status == 404, path
        async with http.post(hooked.base + "/healthz", json=body, headers=good) as resp:
            assert resp.status == 405
    assert _answers(hooked) == 0


async def test_the_secret_counts_only_in_its_header_and_exactly(hooked: Hooked) -> None:
    body = _update(hooked, 200)
    async with aiohttp.ClientSession() as http:
        refused = [
            (hooked.url + f"?secret_token={SECRET}", {}),
            (hooked.url, {"Authorization": f"Bearer {SECRET}"}),
            (hooked.url, {SECRET_HEADER: SECRET.upper()}),
            (hooked.url, {SECRET_HEADER: SECRET[:-1]}),
            (hooked.url, {SECRET_HEADER: f" {SECRET}x"}),
            (hooked.url, {"X-Telegram-Bot-Api-Secret": SECRET}),
        ]
        for url, headers in refused:
            async with http.post(url, json=body, headers=headers) as resp:
                assert resp.status == 403, headers
        # The header name itself is case-insensitive, as in HTTP.
        lower = {SECRET_HEADER.lower(): SECRET}
        async with http.post(hooked.url, json=body, headers=lower) as resp:
            assert resp.status == 200
    await hooked.emu.wait_for_request("sendMessage")
    assert _answers(hooked) == 1  # the one accepted request, and none of the refused


async def _chunks(size: int, piece: bytes = b" " * 65536) -> AsyncIterator[bytes]:
    yield b'{"update_id": 1, "pad": "'
    sent = 0
    while sent < size:
        yield piece
        sent += len(piece)
    yield b'"}'


async def test_oversized_bodies_are_refused_whatever_their_framing(hooked: Hooked) -> None:
    headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http:
        # Chunked: no Content-Length to refuse up front; cut off once over the limit.
        async with http.post(hooked.url, data=_chunks(MAX_BODY_BYTES + 1), headers=headers) as resp:
            assert resp.status == 413
        # A stranger's huge body: refused by the secret check before anything is read.
        stranger = {"Content-Type": "application/json", SECRET_HEADER: "nope"}
        async with http.post(
            hooked.url, data=b"x" * (MAX_BODY_BYTES * 2), headers=stranger
        ) as resp:
            assert resp.status == 403
        # Just under the limit is still read (and this one, valid JSON but no update, dropped).
        small = b'{"update_id": 7, "pad": "' + b" " * (MAX_BODY_BYTES - 100) + b'"}'
        async with http.post(hooked.url, data=small, headers=headers) as resp:
            assert resp.status == 200
        # The bot still works afterwards.
        async with http.post(hooked.url, json=_update(hooked, 300), headers=headers) as resp:
            assert resp.status == 200
    await hooked.emu.wait_for_request("sendMessage")
    assert _answers(hooked) == 1


async def test_a_body_that_trickles_in_is_cut_off_with_408(
    hooked: Hooked, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook, "BODY_TIMEOUT_S", 0.5)
    reader, writer = await asyncio.open_connection("127.0.0.1", hooked.server.port)
    writer.write(
        f"POST /telegram HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {SECRET}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n".encode()
        + b'{"update_id": 1, '
    )
    await writer.drain()  # ... and the rest never comes
    status_line = await asyncio.wait_for(reader.readline(), 10)
    writer.close()
    assert b" 408 " in status_line, status_line
    assert _answers(hooked) == 0
