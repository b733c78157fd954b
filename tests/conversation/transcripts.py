"""One conversation script, three front ends: the core, the terminal and Telegram.

A script is what a user does (types a line, or chooses an option by its label) and what they
must then see (fragments of the visible text, in any of the messages of that turn). Scripts only
use states the product reaches, and fragments every front end shows: the same question, the same
answer's title, the same notes. Front-end wording (buttons versus "type a number") stays out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.answering import Advisor
from bot.claims.card import render_text
from bot.conversation import ChatState, Line, Message, Option, Session, TopicBlock, VerdictBlock
from bot.i18n import DEFAULT_LANG, render
from bot.kb.render import render_lead_plain
from bot.terminal import COMMANDS, TerminalSession
from tests.emulator import User
from tests.emulator.validation import parse_html
from tests.telegram.harness import Harness


@dataclass(frozen=True)
class Say:
    """The user types `text` (a command, an answer, a question)."""

    text: str
    expect: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choose:
    """The user picks the option whose label contains `label` (a button, a numbered line)."""

    label: str
    expect: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


Step = Say | Choose


def check_turn(step: Step, shown: str, front_end: str) -> None:
    """Every expected fragment is shown and no absent one is."""
    for fragment in step.expect:
        assert fragment in shown, f"{front_end}: {fragment!r} not shown after {step}:\n{shown}"
    for fragment in step.absent:
        assert fragment not in shown, f"{front_end}: {fragment!r} shown after {step}:\n{shown}"


class Runner(Protocol):
    name: str

    async def turn(self, step: Step) -> str:
        """Apply one step; everything shown in answer, as visible text."""


async def play(runner: Runner, script: Sequence[Step]) -> None:
    for step in script:
        check_turn(step, await runner.turn(step), runner.name)


# --------------------------------------------------------------------------- the core


class CoreRunner:
    """The session itself; messages read as their rendered lines, topics and option labels."""

    name = "core"

    def __init__(self, advisor: Advisor, today: dt.date, lang: str = DEFAULT_LANG) -> None:
        self.session = Session(advisor, lambda: today, lang=lang)
        self.advisor = advisor
        self.lang = lang
        self.state = ChatState()
        self.options: list[Option] = []

    async def turn(self, step: Step) -> str:
        if isinstance(step, Choose):
            option = next(o for o in self.options if step.label in render(o.label, self.lang))
            result = self.session.chosen(option.choice, self.state)
        elif step.text.startswith("/"):
            result = self.session.command(COMMANDS[step.text.split()[0]], self.state)
        else:
            result = self.session.typed(step.text, self.state)
        self.state = result.state
        self.options = [o for m in result.messages for o in m.options]
        return "\n\n".join(self._shown(m) for m in result.messages)

    def _shown(self, message: Message) -> str:
        parts: list[str] = []
        kb = self.advisor.kb.localized(self.lang)
        for block in message.blocks:
            if isinstance(block, Line):
                parts.append(render(block.text, self.lang))
            elif isinstance(block, VerdictBlock):
                parts.append(render_text(block.assessment, self.lang))
            elif isinstance(block, TopicBlock) and (t := kb.get(block.topic_id)):
                parts.append(render_lead_plain(t, kb.seeds, self.lang))
        parts += [render(o.label, self.lang) for o in message.options]
        return "\n".join(parts)


# --------------------------------------------------------------------------- the terminal


class TerminalRunner:
    """`ta-advisor chat`: options are picked by typing the number printed before them."""

    name = "terminal"

    def __init__(self, advisor: Advisor, today: dt.date, lang: str | None = DEFAULT_LANG) -> None:
        self.session = TerminalSession(advisor, today=lambda: today, lang=lang)
        self.last = ""

    async def turn(self, step: Step) -> str:
        line = step.text if isinstance(step, Say) else self._number_of(step.label)
        self.last = "\n\n".join(self.session.handle(line))
        return self.last

    def _number_of(self, label: str) -> str:
        for row in self.last.splitlines():
            number, dot, text = row.strip().partition(". ")
            if dot and number.isdecimal() and label in text:
                return number
        raise AssertionError(f"terminal: no numbered line like {label!r} in:\n{self.last}")


# --------------------------------------------------------------------------- Telegram


Json = dict[str, Any]
_SHOWN = ("sendMessage", "editMessageText")
QUIET_S = 0.3
"""A turn is over when the bot has made no call but polling for this long."""


class TelegramRunner:
    """The real bot over the Bot API emulator: options are inline buttons."""

    name = "telegram"

    def __init__(self, bot: Harness, user: User) -> None:
        self.bot = bot
        self.user = user
        self.with_buttons: Json | None = None

    async def turn(self, step: Step) -> str:
        emu = self.bot.emu
        start = len(emu.requests)
        if isinstance(step, Say):
            emu.send_text(self.user, None, step.text)
        else:
            assert self.with_buttons is not None, "no buttons shown yet"
            data = next(d for text, d in emu.buttons(self.with_buttons) if step.label in text and d)
            emu.press_button(self.user, self.with_buttons, data)
        calls = await self._settled(start)
        texts: list[str] = []
        for call in calls:
            message: Json = call.result
            texts.append(parse_html(message["text"])[0])
            if message.get("reply_markup"):
                self.with_buttons = message
        return "\n\n".join(texts)

    async def _settled(self, start: int) -> list[Any]:
        emu = self.bot.emu
        await emu.wait_until(lambda: any(c.method in _SHOWN for c in emu.requests[start:]))
        seen = -1
        while seen != (now := sum(c.method != "getUpdates" for c in emu.requests)):
            seen = now
            await asyncio.sleep(QUIET_S)
        return [c for c in emu.requests[start:] if c.method in _SHOWN and c.ok]


# --------------------------------------------------------------------------- ask


class AskRunner:
    """`ta-advisor ask QUESTION`: one question at a time, no state, no options to pick."""

    name = "ask"

    def __init__(self, advisor: Advisor, lang: str | None = DEFAULT_LANG) -> None:
        self.advisor = advisor
        self.lang = lang
        """None: as `ask` without `--lang`, each question in its own language."""

    async def turn(self, step: Step) -> str:
        from bot.commands.ask import answer_language, reply_text

        assert isinstance(step, Say) and not step.text.startswith("/"), "ask reads questions only"
        return reply_text(step.text, self.advisor, answer_language(step.text, self.lang))
