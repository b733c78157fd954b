"""Fixtures for the Telegram tests: a scripted advisor and the bot running on the emulator."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.answering import Advisor
from bot.kb import load_knowledge
from tests.emulator import Emulator
from tests.telegram.harness import SCRIPT, Harness, ScriptedMatcher, make_settings


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    kb = load_knowledge()
    return Advisor(kb, ScriptedMatcher(kb, SCRIPT))


@pytest_asyncio.fixture
async def harness(
    emulator: Emulator, tmp_path: Path, advisor: Advisor, backend_settings: dict[str, Any]
) -> Harness:
    return Harness(emulator, make_settings(emulator, tmp_path, **backend_settings), advisor)


@pytest_asyncio.fixture
async def bot(harness: Harness) -> AsyncIterator[Harness]:
    """The harness with the bot running for the whole test."""
    async with harness.running():
        yield harness


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """A stream for `configure_logging` in a test; the root handlers are reset afterwards."""
    stream = io.StringIO()
    yield stream
    logging.getLogger().handlers.clear()
    logging.getLogger("httpx").setLevel(logging.WARNING)
