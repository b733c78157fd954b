"""Handle, then acknowledge: every update is stored before Telegram learns it arrived.

Receiving (long polling in `InboxUpdater`, or `bot.telegram.webhook`) only stores the raw
update in the database's inbox, in one transaction per batch, and only then confirms it to
Telegram (the next getUpdates offset, or the webhook's 200). A pump claims stored updates, the
oldest pending one of each chat at a time, and hands them to the Application; an update is
marked done when its handlers have run. A kill at any moment therefore loses nothing: on
restart the claims of the dead process are dropped and its unfinished updates run again, in
order per chat, and the writes they already made are not made twice (see
`bot.storage.inbox`). A replayed update_id is dropped when stored. An update PTB cannot parse
is skipped, logged by id only, and polling goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Sequence
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import Updater

from bot.storage import Storage, StorageError
from bot.storage.inbox import applying

_LOG = logging.getLogger(__name__)

Json = dict[str, Any]

CLAIM_BATCH = 64
IDLE_RECHECK_S = 5.0
"""How often an idle pump looks for work on its own (others' expired claims, shared mode)."""
RETRY_S = 1.0
MAX_BACKOFF_S = 30.0
MAX_ATTEMPTS = 100
"""An update whose handling was cut this many times (it may be what kills the process) is given
up, logged by id, so that it cannot keep the bot in a crash loop."""
DONE_KEPT = dt.timedelta(days=2)
"""Handled update ids are kept this long to recognise replays (Telegram keeps 24 hours)."""


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def route(raw: Json) -> tuple[int, int | None]:
    """(chat key, user id) of a raw update: the chat whose updates stay in order (the user's
    id for inline queries, 0 for the rare update with neither)."""
    body = next((v for k, v in raw.items() if k != "update_id" and isinstance(v, dict)), {})
    sender = body.get("from")
    user_id = _int(sender.get("id")) if isinstance(sender, dict) else None
    chat = body.get("chat")
    if not isinstance(chat, dict):
        message = body.get("message")
        chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = _int(chat.get("id")) if isinstance(chat, dict) else None
    if chat_id is None:
        chat_id = user_id
    return (chat_id if chat_id is not None else 0), user_id


class Inbox:
    """The durable queue between receiving updates and handling them (one per Application)."""

    def __init__(
        self,
        db: Storage,
        bot: Bot,
        queue: asyncio.Queue[object],
        *,
        release_on_start: bool = True,
    ) -> None:
        self.db = db
        self.bot = bot
        self.queue = queue
        self.release_on_start = release_on_start
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._attempts: dict[int, int] = {}
        self.skipped = 0
        """Updates dropped because PTB cannot read them (for tests and logs)."""

    async def receive(self, raws: Sequence[Json]) -> int:
        """Store `raws` durably (raises if the database cannot); returns how many were new."""
        entries = []
        for raw in raws:
            update_id = _int(raw.get("update_id"))
            if update_id is None:
                continue
            chat_key, user_id = route(raw)
            entries.append((update_id, chat_key, user_id, json.dumps(raw)))
        if not entries:
            return 0
        new = await self.db.inbox_accept(entries)
        if len(new) < len(entries):
            _LOG.info("dropped %d update(s) already received", len(entries) - len(new))
        if new:
            self._wake.set()
        return len(new)

    async def start(self) -> None:
        """Start the pump (once); first drop the claims of dead processes, if we are alone."""
        if self._task is not None:
            return
        if self.release_on_start:
            await self.db.release_claims()
        with contextlib.suppress(StorageError):
            await self.db.prune_inbox(dt.datetime.now(dt.UTC) - DONE_KEPT)
        self._stopping = False
        self._task = asyncio.create_task(self._pump(), name="inbox-pump")

    async def stop(self) -> None:
        self._stopping = True  # a cancel can be swallowed by a wait ending at the same moment
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run one update's handlers as its idempotency scope; then mark it done (outcome
        `failed` when a handler raised: the error handler has reported it)."""
        if not isinstance(update, Update):
            await coroutine
            return
        update_id = update.update_id
        cut_before = self._attempts.pop(update_id, 0)
        outcome = "failed"
        try:
            with contextlib.suppress(StorageError, ValueError):
                await self.db.inbox_started(update_id)
            with applying(update_id, rerun=cut_before > 0) as scope:
                await coroutine
            # PTB hands a handler's exception to the error handler, which reports it once;
            # such an update is not handled again (its writes may have been made).
            outcome = "failed" if scope.error_reported else "done"
        finally:
            with contextlib.suppress(StorageError, ValueError):
                await self.db.inbox_done(update_id, outcome)
            self._wake.set()

    async def _pump(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                entries = await self.db.inbox_claim(self.owner, limit=CLAIM_BATCH)
            except (StorageError, ValueError):
                await asyncio.sleep(RETRY_S)  # the database reported it; try again
                continue
            for entry in entries:
                if entry.attempts >= MAX_ATTEMPTS:
                    _LOG.error("giving up update %d after %d tries", entry.update_id, MAX_ATTEMPTS)
                    with contextlib.suppress(StorageError):
                        await self.db.inbox_done(entry.update_id, "given up")
                    self._wake.set()
                    continue
                update = self._parse(entry.update_id, entry.payload)
                if update is None:
                    with contextlib.suppress(StorageError):
                        await self.db.inbox_done(entry.update_id, "unreadable")
                    self._wake.set()
                    continue
                if entry.attempts:
                    _LOG.info(
                        "update %d handled again (try %d)", entry.update_id, entry.attempts + 1
                    )
                self._attempts[entry.update_id] = entry.attempts
                await self.queue.put(update)
            if not entries:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(IDLE_RECHECK_S):
                        await self._wake.wait()

    def _parse(self, update_id: int, payload: str | None) -> Update | None:
        try:
            data = json.loads(payload or "")
            update = Update.de_json(data, self.bot)
            if update is None or update.update_id != update_id:
                raise ValueError("not an update")
        except Exception as exc:  # any failure to read it: skip it, never block the chat
            self.skipped += 1
            _LOG.warning("skipping unreadable update %d: %s", update_id, type(exc).__name__)
            return None
        return update


class InboxUpdater(Updater):
    """PTB's Updater with a polling loop that stores each batch before confirming it.

    PTB's own loop confirms a batch (the next offset) as soon as it is queued in memory, and
    re-fetches a whole batch forever when one update in it cannot be parsed; this one fetches
    the raw JSON, stores it in the inbox and only then moves the offset on.
    """

    def __init__(self, bot: Bot, update_queue: asyncio.Queue[object], inbox: Inbox) -> None:
        super().__init__(bot, update_queue)
        self.inbox = inbox
        self._poller: asyncio.Task[None] | None = None

    async def start_polling(
        self,
        poll_interval: float = 0.0,
        timeout: dt.timedelta | int = dt.timedelta(seconds=10),
        bootstrap_retries: int = 0,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        error_callback: object = None,
    ) -> asyncio.Queue[object]:
        if self.running:
            raise RuntimeError("This Updater is already running!")
        if not self._initialized:
            raise RuntimeError("This Updater was not initialized via `Updater.initialize`!")
        await self.bot.delete_webhook(drop_pending_updates=bool(drop_pending_updates))
        self._running = True
        seconds = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else timeout
        await self.inbox.start()
        self._poller = asyncio.create_task(
            self._poll(int(seconds), list(allowed_updates) if allowed_updates else None),
            name="inbox-poller",
        )
        return self.update_queue

    async def stop(self) -> None:
        if not self.running:
            raise RuntimeError("This Updater is not running!")
        self._running = False
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self.inbox.stop()

    async def _poll(self, timeout_s: int, allowed: list[str] | None) -> None:
        offset, backoff = 0, RETRY_S
        while self._running:
            params: Json = {"timeout": timeout_s, "allowed_updates": allowed}
            if offset:
                params["offset"] = offset
            try:
                raw = await self.bot._post(  # raw JSON: one bad update must not block the batch
                    "getUpdates", params, read_timeout=timeout_s + 10.0
                )
                batch = [u for u in raw if isinstance(u, dict)] if isinstance(raw, list) else []
                if batch:
                    await self.inbox.receive(batch)  # durable before the offset confirms it
                    ids = [i for u in batch if (i := _int(u.get("update_id"))) is not None]
                    if ids:
                        offset = max(offset, max(ids) + 1)
                backoff = RETRY_S
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                _LOG.error("Telegram refused the bot token while polling; polling stops")
                return
            except (TelegramError, StorageError, ValueError) as exc:
                level = logging.WARNING if not isinstance(exc, Conflict) else logging.ERROR
                _LOG.log(level, "polling failed (%s); retry in %.0f s", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
