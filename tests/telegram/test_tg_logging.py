"""What the running bot writes to its log: never the token, never message text at INFO."""

from __future__ import annotations

import io
import logging

from bot.logs import REDACTED, configure_logging
from tests.telegram.harness import Harness

QUESTION = "my supplier zqxwv wants payment before shipping, how long do I have to claim?"


async def test_no_token_at_any_level(harness: Harness, log_stream: io.StringIO) -> None:
    token = harness.emu.token
    configure_logging(level="DEBUG", secrets=[token], stream=log_stream)
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # worst case: request URLs carry it
    alice = harness.emu.create_user()
    async with harness.running():
        await harness.say(alice, QUESTION)
        await harness.say(alice, "/check")
    text = log_stream.getvalue()
    assert text, "the bot logged nothing: the test would prove nothing"
    assert REDACTED in text  # the URLs were logged, and scrubbed
    assert token not in text and token.split(":")[1] not in text


async def test_no_message_text_at_info(harness: Harness, log_stream: io.StringIO) -> None:
    configure_logging(level="INFO", secrets=[harness.emu.token], stream=log_stream)
    alice = harness.emu.create_user()
    async with harness.running():
        await harness.say(alice, QUESTION)
        await harness.say(alice, "/check")
    text = log_stream.getvalue()
    assert "question: decision=" in text  # decisions are logged...
    assert "zqxwv" not in text  # ...the words are not
