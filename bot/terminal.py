"""`ta-advisor chat`: the advisor in a terminal, with no token and no network.

All behaviour lives in `TerminalSession.handle(line) -> list[str]`, a pure step over one input
line, so it can be tested without a terminal; `run` is only the read-print loop around it. It
works with a pipe as well as a TTY and ends cleanly at end of input.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.answering import Advisor
from bot.commands.common import load_advisor
from bot.conversation import ChatState, Command, Session, Turn
from bot.conversation.guards import MAX_INPUT_CHARS
from bot.conversation.language import message_language
from bot.conversation.plain import PlainRenderer
from bot.dialogue import machine
from bot.i18n import DEFAULT_LANG, _, render
from bot.kb.glossary import find_term, glossary_text, render_term_plain
from bot.settings import SettingsError, load_settings
from bot.storage import Storage, StorageError
from bot.storage.factory import open_storage

MAX_MESSAGE_CHARS = MAX_INPUT_CHARS
"""Telegram's message limit; the terminal keeps the same rule so both behave alike."""

HELP = _(
    "I answer questions about Alibaba.com Trade Assurance and check if a claim is likely "
    "covered.\n\n"
    "  Ask a question in your own words, like: is paying by western union safe?\n"
    "  /topics  list what I can explain (then type a number)\n"
    "  /more    the full answer (with its sources) after a first screen\n"
    "  /glossary [TERM]  trade words explained (FOB, QC, CE...)\n"
    "  /check   check if your problem is covered, step by step\n"
    "  /back    go back one step in the check\n"
    "  /cancel  stop the check\n"
    "  /help    show this help\n"
    "  /quit    leave"
)

COMMANDS: dict[str, Command] = {
    "/help": Command.HELP,
    "/start": Command.HELP,
    "/topics": Command.TOPICS,
    "/more": Command.MORE,
    "/check": Command.CHECK,
    "/back": Command.BACK,
    "/cancel": Command.CANCEL,
    "/quit": Command.QUIT,
    "/exit": Command.QUIT,
    "/bye": Command.QUIT,
}
"""How the terminal spells the session's commands."""


class TerminalSession:
    """One terminal conversation: the core session, its state in memory, plain-text output."""

    def __init__(
        self,
        advisor: Advisor,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        lang: str | None = DEFAULT_LANG,
    ) -> None:
        self.advisor = advisor
        self.follow_language = lang is None
        """Without `--lang` the conversation follows the language the person writes in."""
        self.core = Session(advisor, today, lang=lang or DEFAULT_LANG)
        self.out = PlainRenderer(advisor.kb, self.core.lang, HELP)
        self.state = ChatState()
        self.finished = False

    @property
    def check(self) -> machine.CheckState | None:
        return self.state.check

    @property
    def paused(self) -> machine.CheckState | None:
        return self.state.paused

    @paused.setter
    def paused(self, value: machine.CheckState | None) -> None:
        self.state = ChatState(check=None, paused=value)

    def handle(self, line: str) -> list[str]:
        """Everything to print in answer to one input line."""
        text = line.rstrip("\r\n")
        if text.strip().startswith("/"):
            return self._command(text.strip())
        if self.follow_language:
            self._speak(message_language(text, self.core.lang))
        return self._show(self.core.typed(text, self.state))

    def _speak(self, lang: str) -> None:
        """Answer from now on in `lang` (the person switched language)."""
        if lang != self.core.lang:
            self.core.lang = lang
            self.out = PlainRenderer(self.advisor.kb, lang, HELP)

    def greeting(self) -> list[str]:
        return self.out.messages(self.core.greeting(self.state))

    def _command(self, text: str) -> list[str]:
        name = text.split()[0].split("@")[0].lower()
        if name == "/glossary":
            return [self._glossary(text.split(None, 1)[1] if " " in text else "")]
        command = COMMANDS.get(name)
        if command is None:
            unknown = _(
                "I don't know the command {name}. Type /help to see the commands.", name=name[:40]
            )
            return [render(unknown, self.core.lang)]
        return self._show(self.core.command(command, self.state))

    def _show(self, turn: Turn) -> list[str]:
        self.state = turn.state
        self.finished = self.finished or turn.finished
        return self.out.messages(turn.messages)

    def _glossary(self, query: str) -> str:
        glossary = self.advisor.kb.localized(self.core.lang).glossary
        if not query.strip():
            return glossary_text(glossary)
        term = find_term(query, glossary)
        if term is None:
            names = ", ".join(t.term for t in glossary.values())
            missing = _(
                "I don't have {term} in my glossary. Terms: {names}",
                term=repr(query.strip()[:40]),
                names=names,
            )
            return render(missing, self.core.lang)
        return render_term_plain(term)


# ---------------------------------------------------------------------- the I/O loop


def _utf8(stream: TextIO) -> None:
    """Never crash on odd bytes in or unprintable characters out."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="replace")


def _lines(stdin: TextIO, interactive: bool) -> Callable[[], str | None]:
    def read() -> str | None:
        if interactive:
            try:
                return input("> ")
            except EOFError:
                return None
        line = stdin.readline()
        return line if line else None

    return read


TERMINAL_USER_ID = 0
"""The terminal's row in the database: Telegram user ids are positive, so 0 never collides."""


class CheckStore:
    """Keeps the terminal's open check in the same SQLite database the bot uses, so closing
    the terminal (or a crash) mid-check loses nothing; without a database it does nothing."""

    def __init__(self, db_path: Path | None) -> None:
        self._runner: asyncio.Runner | None = None
        self._db: Storage | None = None
        if db_path is None:
            return
        try:
            self._runner = asyncio.Runner()
            self._db = self._runner.run(open_storage(db_path))
        except (StorageError, OSError) as exc:
            print(f"(Not saving your check: {exc})", file=sys.stderr)
            self.close()

    def load(self) -> machine.CheckState | None:
        """The check left open last time, if it can still be read."""
        if self._db is None or self._runner is None:
            return None
        raw = self._runner.run(self._db.load_check(TERMINAL_USER_ID))
        try:
            state = machine.CheckState.from_json(raw) if raw else None
        except machine.StateError:
            return None
        return state if state is not None and state.stage in ("asking", "review") else None

    def save(self, session: TerminalSession) -> None:
        """Store the open (or paused) check after every line; forget it once finished."""
        if self._db is None or self._runner is None:
            return
        state = session.state.open_check
        if state is not None:
            self._runner.run(self._db.save_check(TERMINAL_USER_ID, state.to_json()))
        else:
            self._runner.run(self._db.delete_check(TERMINAL_USER_ID))

    def close(self) -> None:
        if self._runner is not None:
            if self._db is not None:
                self._runner.run(self._db.close())
            self._runner.close()
        self._runner, self._db = None, None


def _database_path() -> Path | None:
    try:
        return load_settings().database_path
    except SettingsError as exc:
        print(f"(Not saving your check: {exc})", file=sys.stderr)
        return None


def run(kb_dir: str | None = None, *, save: bool = True, lang: str | None = None) -> int:
    """Chat on standard input and output until /quit or end of input."""
    _utf8(sys.stdin)
    _utf8(sys.stdout)
    advisor = load_advisor(kb_dir)
    if advisor is None:
        return 1
    session = TerminalSession(advisor, lang=lang)
    store = CheckStore(_database_path() if save else None)
    session.paused = store.load()
    read = _lines(sys.stdin, sys.stdin.isatty())
    greeting = session.greeting()
    print("\n\n".join(greeting), end="\n\n", flush=True)
    try:
        while not session.finished:
            line = read()
            if line is None:
                break
            messages = session.handle(line)
            store.save(session)
            if messages:
                print("\n\n".join(messages), end="\n\n", flush=True)
    finally:
        store.close()
    return 0
