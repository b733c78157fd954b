"""Glue for running a real PTB ``Application`` against an :class:`Emulator`."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from .server import Emulator


def app_builder(emu: Emulator) -> ApplicationBuilder:  # type: ignore[type-arg]
    """An ApplicationBuilder wired to the emulator; add handlers/persistence, then ``build()``."""
    return (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
    )


@asynccontextmanager
async def polling(
    app: Application[Any, Any, Any, Any, Any, Any], *, poll_timeout: float = 5.0
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """Run ``app`` with long polling for the duration of the block, then shut it down cleanly.

    The long-poll timeout does not slow shutdown: the final getUpdates PTB sends on stop
    supersedes the waiting one, which the emulator then ends at once.
    """
    assert app.updater is not None, "build the Application with an Updater"
    await app.initialize()
    try:
        await app.start()
        await app.updater.start_polling(timeout=dtm.timedelta(seconds=poll_timeout))
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
