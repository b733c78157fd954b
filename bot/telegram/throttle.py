"""Outgoing rate limits and incoming ordering: Telegram's limits respected, no update reordered.

`ChatRateLimiter` is PTB's `AIORateLimiter` (about 30 messages a second overall, 20 a minute per
group, and a 429 retried after its `retry_after`) plus the per-chat pace Telegram asks for in
private chats: about one message a second, with a short burst allowed so a warning followed by
an answer is not held back.

`PerChatUpdateProcessor` runs updates of different chats concurrently (one slow chat, or a
group waiting for its rate limit, does not hold up everyone else) but strictly one at a time
within a chat, so two quick taps on a check are applied in order to the stored state.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

JSONDict = dict[str, Any]

PRIVATE_BURST = 5
"""Messages a private chat may receive at once before the one-a-second pace applies."""
MAX_RETRIES = 3
"""429s retried per request; the limiter waits `retry_after` between tries."""
_PACED = ("send", "edit", "copy", "forward")


class ChatRateLimiter(AIORateLimiter):
    """`AIORateLimiter` plus a per-private-chat pace (about one message a second)."""

    def __init__(
        self,
        *,
        burst: int | None = PRIVATE_BURST,
        period_s: float | None = None,
        max_retries: int = MAX_RETRIES,
        max_chats: int = 10_000,
    ) -> None:
        """`burst` messages per `period_s` (default: `burst` seconds) per private chat;
        `burst=None` turns the per-chat pace off."""
        super().__init__(max_retries=max_retries)
        self._burst = burst
        self._period = period_s if period_s is not None else float(burst or 1)
        self._max_chats = max_chats
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self.on_retry: Callable[[], None] | None = None
        """Called on every 429 the limiter retries (the flood-retry counter)."""

    def _limiter(self, chat_id: int) -> AsyncLimiter | None:
        if self._burst is None:
            return None
        limiter = self._chats.pop(chat_id, None) or AsyncLimiter(self._burst, self._period)
        self._chats[chat_id] = limiter  # most recently used last
        while len(self._chats) > self._max_chats:
            self._chats.popitem(last=False)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if self.on_retry is not None:
            callback = _counting_retries(callback, self.on_retry)
        chat_id = data.get("chat_id")
        paced = isinstance(chat_id, int) and chat_id > 0 and endpoint.startswith(_PACED)
        limiter = self._limiter(chat_id) if paced and isinstance(chat_id, int) else None
        if limiter is None:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        async with limiter:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )


def ordering_key(update: object) -> int | None:
    """The chat (or, for inline queries, the user) whose updates must stay in order."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential within one chat (see the module docstring)."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self.observe: Callable[[float], None] | None = None
        """Called with each update's handling time in seconds (the latency histogram)."""
        self.track: Callable[[object, Awaitable[Any]], Awaitable[None]] | None = None
        """Runs each update's handling (the inbox: idempotency scope, then marked done)."""

    async def _timed(self, update: object, coroutine: Awaitable[Any]) -> None:
        start = time.perf_counter()
        try:
            if self.track is not None:
                await self.track(update, coroutine)
            else:
                await coroutine
        finally:
            if self.observe is not None:
                self.observe(time.perf_counter() - start)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        if key is None:
            await self._timed(update, coroutine)
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await self._timed(update, coroutine)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up: locks are created on demand."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _counting_retries(
    callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
    on_retry: Callable[[], None],
) -> Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]:
    """The same request, reporting each 429 (the limiter then waits and calls it again)."""

    async def call(*args: Any, **kwargs: Any) -> bool | JSONDict | list[JSONDict]:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter:
            on_retry()
            raise

    return call
