"""Logging configured once for the whole process: readable or JSON lines, with the update id and
chat type on every line, and secrets scrubbed from everything that is written.

Message text never belongs in INFO logs (users ask about their money and suppliers); handlers log
ids and decisions, not words. The scrubber is the last line of defence for the bot token and the
webhook secret: it rewrites the final formatted line, exception text included, so even a library
that puts the token in a URL (httpx logs request URLs) cannot leak it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TextIO

_UPDATE: contextvars.ContextVar[tuple[int | None, str | None]] = contextvars.ContextVar(
    "ta_advisor_update", default=(None, None)
)
_TOKEN_SHAPE = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}\b")
REDACTED = "[REDACTED]"
QUIET_LIBRARIES = (
    "httpx",
    "httpcore",
    "apscheduler",
    "aiosqlite",
    "telegram.ext.ExtBot",
    "asyncio",
)
"""Chatty at INFO (httpx logs every request URL, which carries the token) or DEBUG (asyncio's
selector line, printed before a refusal at start that must be one line); WARNING and up only."""
TEXT_CARRIERS = ("telegram", "httpx", "httpcore", "aiosqlite", "aiohttp")
"""At DEBUG these log whole updates, API parameters or SQL parameters: what users wrote. Kept
at INFO unless `TA_ADVISOR_LOG_USER_TEXT` asks for them."""


def bind_update(update_id: int | None, chat_type: str | None) -> None:
    """Tag every log line written while handling this update (context-local, task-safe)."""
    _UPDATE.set((update_id, chat_type))


@contextmanager
def update_context(update_id: int | None, chat_type: str | None) -> Iterator[None]:
    """`bind_update` for a block, restoring the previous tags afterwards."""
    token = _UPDATE.set((update_id, chat_type))
    try:
        yield
    finally:
        _UPDATE.reset(token)


class _ContextFilter(logging.Filter):
    """Adds `update_id` and `chat_type` to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.update_id, record.chat_type = _UPDATE.get()
        return True


class _Scrubbing(logging.Formatter):
    """Formats as usual, then removes every secret (and anything shaped like a bot token)."""

    def __init__(self, secrets: Iterable[str], fmt: str | None = None) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def format(self, record: logging.LogRecord) -> str:
        return self.scrub(self.render(record))

    def render(self, record: logging.LogRecord) -> str:
        return super().format(record)


class TextFormatter(_Scrubbing):
    """`2026-11-23T08:00:00Z INFO bot.telegram.private [update 12 private] answered topic=x`."""

    def render(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        update_id = getattr(record, "update_id", None)
        chat_type = getattr(record, "chat_type", None)
        where = f" [update {update_id} {chat_type or '-'}]" if update_id is not None else ""
        line = f"{when} {record.levelname} {record.name}{where} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(_Scrubbing):
    """One JSON object per line, for log shippers."""

    def render(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "update_id": getattr(record, "update_id", None),
            "chat_type": getattr(record, "chat_type", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    *,
    level: str = "INFO",
    json_lines: bool = False,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    user_text: bool = False,
) -> logging.Handler:
    """Replace the root handlers with one scrubbing handler; returns it (tests read its stream).

    Without `user_text`, DEBUG applies to our own loggers only (see `TEXT_CARRIERS`)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    secret_list = list(secrets)
    handler.setFormatter(JsonFormatter(secret_list) if json_lines else TextFormatter(secret_list))
    handler.addFilter(_ContextFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in TEXT_CARRIERS:
        logger = logging.getLogger(name)
        if not user_text and logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    return handler
