"""Driving the real bot against the emulator: a harness, a fake clock, a scripted matcher.

`Harness.running()` starts the bot and stops it at the end of the block; calling it twice on
the same harness is a restart (new Application, new database connection, same file). Nothing is
mocked between the handlers and the emulator's HTTP server; only the matcher's decision can be
scripted for a few fixed texts, so rendering tests do not depend on matcher tuning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answering import Advisor
from bot.kb.loader import KnowledgeBase
from bot.matching.matcher import Match, Matcher
from bot.settings import Settings
from bot.storage import InspectableStorage
from bot.storage.factory import database_location, open_storage
from bot.telegram.app import build_application, startup
from bot.telegram.context import SERVICES_KEY, BotApp, Services
from bot.telegram.throttle import ChatRateLimiter
from tests.emulator import Call, Chat, Emulator, User, polling

Json = dict[str, Any]
START = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)

OFF_PLATFORM_AND_DEADLINE = (
    "My supplier wants me to pay by Western Union. How long do I have to open a dispute?"
)
AMBIGUOUS = "tell me about the suppliers"
SIDE_QUESTION = "How long do I have to open a dispute?"
COOKING = "how do I cook rice"
SCRIPT: dict[str, Match] = {
    OFF_PLATFORM_AND_DEADLINE: Match(
        "answer", "claim-window", 0.9, (("claim-window", 0.9),), off_platform=True
    ),
    AMBIGUOUS: Match(
        "suggest",
        None,
        0.35,
        (("supplier-eligibility", 0.35), ("coverage-limit", 0.33)),
    ),
    COOKING: Match("none", None, 0.05, ()),
    SIDE_QUESTION: Match("answer", "claim-window", 0.9, (("claim-window", 0.9),)),
}


class ScriptedMatcher(Matcher):
    """The real matcher, except for the texts in `SCRIPT` (fixed decisions)."""

    def __init__(self, kb: KnowledgeBase, script: dict[str, Match]) -> None:
        super().__init__(kb)
        self.script = script

    def match(self, text: str) -> Match:
        return self.script.get(text) or super().match(text)


class FakeClock:
    """A settable UTC clock shared by the bot and the database."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def make_settings(emu: Emulator, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": emu.token,
        "telegram_api_base_url": emu.base_url,
        "telegram_api_base_file_url": emu.base_file_url,
        "data_dir": data_dir,
        "group_warning_cooldown_s": 3600,
        "reminder_days_before": 3,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@dataclass
class Harness:
    emu: Emulator
    settings: Settings
    advisor: Advisor
    clock: FakeClock = field(default_factory=FakeClock)
    db: InspectableStorage | None = None
    app: BotApp | None = None

    @asynccontextmanager
    async def running(self, **build: Any) -> AsyncIterator[BotApp]:
        """Open the database, build and poll a fresh Application; tear both down after."""
        self.db = await open_storage(database_location(self.settings), clock=self.clock)
        build.setdefault("rate_limiter", ChatRateLimiter(burst=None, max_retries=3))
        self.app = build_application(
            self.settings, self.advisor, self.db, clock=self.clock, **build
        )
        try:
            async with polling(self.app, poll_timeout=1.0) as app:
                await startup(app, reminder_interval_s=None)
                yield app
        finally:
            await self.db.close()

    @property
    def services(self) -> Services:
        assert self.app is not None
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services

    @property
    def database(self) -> InspectableStorage:
        assert self.db is not None
        return self.db

    # -- driving -----------------------------------------------------------------------

    async def say(self, user: User, text: str, chat: Chat | None = None, **kw: Any) -> Call:
        """Send `text` and wait for the bot's next message to that chat."""
        chat = chat or self.emu.private_chat(user)
        self.emu.send_text(user, chat, text, **kw)
        return await self.sent(chat.id)

    async def sent(self, chat_id: int, predicate: Callable[[Call], bool] | None = None) -> Call:
        return await self.emu.wait_for_request(
            "sendMessage",
            lambda c: c.params.get("chat_id") == chat_id and (predicate is None or predicate(c)),
        )

    async def press(self, user: User, message: Json, data: str) -> Json:
        """Press a button and wait until the bot answered the press; return that answer."""
        before = len(self.emu.answered_callbacks)
        self.emu.press_button(user, message, data)
        await self.emu.wait_until(lambda: len(self.emu.answered_callbacks) > before)
        answer: Json = self.emu.answered_callbacks[before]
        return answer

    async def press_and_edit(self, user: User, message: Json, data: str) -> Json:
        """Press a button whose screen is edited in place; return the edited message."""
        await self.press(user, message, data)
        call = await self.emu.wait_for_request("editMessageText")
        result: Json = call.result
        return result

    def count_to(self, chat_id: int) -> int:
        """Messages the bot has sent to a chat so far (sendMessage calls that succeeded)."""
        return sum(
            1
            for c in self.emu.requests
            if c.method == "sendMessage" and c.ok and c.params.get("chat_id") == chat_id
        )


def button(message: Json, label_part: str) -> str:
    """The callback data of the first button whose label contains `label_part`."""
    for text, data in Emulator.buttons(message):
        if label_part.lower() in text.lower() and data is not None:
            return data
    raise AssertionError(f"no button like {label_part!r}: {Emulator.buttons(message)}")


def labels(message: Json) -> list[str]:
    return [text for text, _ in Emulator.buttons(message)]


SHIP_BY_QUESTION = "By what date did the order contract say the supplier must ship?"


async def to_ship_by_question(bot: Harness, user: User) -> Json:
    """A late shipment paid through the order, US$3,000, receipt not confirmed: the screen that
    asks the ship-by date (the first question answered by typing)."""
    msg = (await bot.say(user, "/check")).result
    msg = await bot.press_and_edit(user, msg, button(msg, "Shipped late"))
    msg = await bot.press_and_edit(user, msg, button(msg, "Through the Alibaba order"))
    msg = await bot.press_and_edit(user, msg, button(msg, "Yes"))
    msg = (await bot.say(user, "$3,000")).result
    msg = await bot.press_and_edit(user, msg, button(msg, "No"))
    assert SHIP_BY_QUESTION in msg["text"]
    return msg
