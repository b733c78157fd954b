"""The Telegram fixtures (scripted advisor, the bot on the emulator) for the shared transcripts."""

from __future__ import annotations

from tests.telegram.conftest import advisor, bot, harness

__all__ = ["advisor", "bot", "harness"]
