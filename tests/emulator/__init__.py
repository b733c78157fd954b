"""Telegram Bot API emulator for end-to-end tests of the real PTB Application.

Quick start::

    from tests.emulator import Emulator, app_builder, polling

    async with Emulator() as emu:
        app = app_builder(emu).build()
        app.add_handler(...)
        async with polling(app):
            alice = emu.create_user("Alice")
            emu.send_text(alice, None, "/start")
            call = await emu.wait_for_request("sendMessage")

Fixtures for pytest live in :mod:`tests.emulator.fixtures` (see its docstring).
"""

from .model import ApiError, Call, Chat, Delivery, RateLimit, User, Webhook
from .ptb import app_builder, polling
from .server import SECRET_HEADER, Emulator

__all__ = [
    "SECRET_HEADER",
    "ApiError",
    "Call",
    "Chat",
    "Delivery",
    "Emulator",
    "RateLimit",
    "User",
    "Webhook",
    "app_builder",
    "polling",
]
