"""Logging: context tags, JSON lines, and secrets that never reach the output."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.logs import REDACTED, bind_update, configure_logging, update_context

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
SECRET = "webhook_secret_value_42"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging(level="DEBUG", secrets=[TOKEN, SECRET], stream=out)
    yield out
    logging.getLogger().handlers.clear()


def test_text_lines_carry_update_context(stream: io.StringIO) -> None:
    log = logging.getLogger("bot.test")
    with update_context(41, "private"):
        log.info("answered topic=%s", "claim-window")
    log.info("outside")
    first, second = stream.getvalue().splitlines()
    assert "[update 41 private]" in first and "answered topic=claim-window" in first
    assert "[update" not in second


def test_secrets_are_scrubbed_everywhere(stream: io.StringIO) -> None:
    log = logging.getLogger("httpx_like")
    log.warning("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.error("secret header was %s", SECRET)
    try:
        raise RuntimeError(f"failed with token {TOKEN}")
    except RuntimeError:
        log.exception("boom")
    other_token = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
    log.warning("unknown token shape %s", other_token)
    text = stream.getvalue()
    assert TOKEN not in text and SECRET not in text and other_token not in text
    assert text.count(REDACTED) >= 4


def test_json_lines() -> None:
    out = io.StringIO()
    configure_logging(json_lines=True, secrets=[TOKEN], stream=out)
    bind_update(7, "group")
    logging.getLogger("bot.x").info("token %s", TOKEN)
    bind_update(None, None)
    entry = json.loads(out.getvalue().strip())
    assert entry["update_id"] == 7 and entry["chat_type"] == "group"
    assert TOKEN not in entry["message"] and entry["level"] == "INFO"
    logging.getLogger().handlers.clear()


def test_chatty_libraries_are_quiet_at_info(stream: io.StringIO) -> None:
    logging.getLogger("httpx").info("HTTP Request: POST https://x/bot123/getMe")
    assert stream.getvalue() == ""
