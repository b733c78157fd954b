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

from bot.answering import Advisor, Reply
from bot.claims.card import render_text
from bot.commands.common import load_advisor
from bot.dialogue import machine
from bot.dialogue.parsers import ParseError, is_unknown
from bot.dialogue.render import numbered_options, question_text, review_text, unknown_note
from bot.i18n import DEFAULT_LANG
from bot.kb.glossary import find_term, glossary_text, render_term_plain
from bot.kb.markup import to_plain
from bot.kb.models import Topic
from bot.kb.render import heading, lead_text, render_lead_plain, render_plain
from bot.matching.normalize import is_small_talk
from bot.settings import SettingsError, load_settings
from bot.storage import Storage, StorageError
from bot.storage.factory import open_storage

MAX_MESSAGE_CHARS = 4096
"""Telegram's message limit; the terminal keeps the same rule so both behave alike."""

HELP = """\
I answer questions about Alibaba.com Trade Assurance and check if a claim is likely covered.

  Ask a question in your own words, like: is paying by western union safe?
  /topics  list what I can explain (then type a number)
  /more    the full answer (with its sources) after a first screen
  /glossary [TERM]  trade words explained (FOB, QC, CE...)
  /check   check if your problem is covered, step by step
  /back    go back one step in the check
  /cancel  stop the check
  /help    show this help
  /quit    leave"""

GREETING = "Hello! I'm the Trade Assurance advisor. Type /help to see what I can do."

_CONFIRM_WORDS = frozenset({"ok", "okay", "yes", "y", "done", "confirm", "result", "go", "k"})


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


class TerminalSession:
    """One conversation: free questions, the topic menu and at most one guided check."""

    def __init__(
        self,
        advisor: Advisor,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        lang: str = DEFAULT_LANG,
    ) -> None:
        self.advisor = advisor
        self.today = today
        self.lang = lang
        """The reader's language (`--lang`): the check's screens and card are rendered in it."""
        self.check: machine.CheckState | None = None
        self.paused: machine.CheckState | None = None
        """A check set aside while the user reads topics; /check resumes it."""
        self.menu: list[str] = []
        """Topic ids of the last numbered list shown, so a bare number opens one."""
        self.last_topic: str | None = None
        """The topic whose first screen was shown last, for /more."""
        self.finished = False

    # ------------------------------------------------------------------ entry point

    def handle(self, line: str) -> list[str]:
        """Everything to print in answer to one input line."""
        text = line.rstrip("\r\n")
        if len(text) > MAX_MESSAGE_CHARS:
            return [
                f"That message is too long ({len(text)} characters). Please keep it under "
                f"{MAX_MESSAGE_CHARS} characters.",
                *self._reminder(),
            ]
        text = text.strip()
        if not text:
            if self.check is not None:
                return ["Please type an answer.", *self._reminder()]
            return ["Type a question about Trade Assurance, or /help to see what I can do."]
        if text.startswith("/"):
            return self._command(text)
        if not _has_words(text) and text != "?":
            return [
                "I can only read words and numbers, not emoji or symbols on their own.",
                *self._reminder(),
            ]
        if self.check is not None and self.check.stage in ("asking", "review"):
            return self._check_input(text)
        if text.isdecimal() and len(text) < 4 and self.menu:
            return self._open_menu_item(int(text))
        return self._ask(text)

    def greeting(self) -> list[str]:
        return [GREETING]

    # ------------------------------------------------------------------ commands

    def _command(self, text: str) -> list[str]:
        name = text.split()[0].split("@")[0].lower()
        if name in ("/help", "/start"):
            return [HELP]
        if name == "/topics":
            return self._topics()
        if name == "/more":
            return self._more()
        if name == "/glossary":
            return [self._glossary(text.split(None, 1)[1] if " " in text else "")]
        if name == "/check":
            return self._start_check()
        if name == "/back":
            return self._back()
        if name == "/cancel":
            if self.paused is not None:
                self.check = self.paused
                self.paused = None
            if self.check is None or self.check.stage in ("done", "cancelled"):
                self.check = None
                return ["There is no check to cancel. Type /check to start one."]
            self.check = None
            return ["Check cancelled. Your answers were not kept. Type /check to start again."]
        if name in ("/quit", "/exit", "/bye"):
            self.finished = True
            return ["Bye! Good luck with your order."]
        return [f"I don't know the command {name}. Type /help to see the commands."]

    def _topics(self) -> list[str]:
        topics = list(self.advisor.kb.topics.values())
        self.menu = [t.id for t in topics]
        lines = [f"  {n}. {heading(t)}" for n, t in enumerate(topics, 1)]
        note = "Type a number to read one."
        if self.check is not None and self.check.stage in ("asking", "review"):
            self.paused, self.check = self.check, None
            note += " Your check is paused: type /check to go back to it."
        return ["Topics I can explain:\n" + "\n".join(lines) + "\n" + note]

    def _open_menu_item(self, number: int) -> list[str]:
        if not 1 <= number <= len(self.menu):
            return [f"Please type a number from 1 to {len(self.menu)}, or /topics for the list."]
        topic = self.advisor.kb.get(self.menu[number - 1])
        if topic is None:
            return ["That topic is gone. Type /topics for the list."]
        return self._topic_messages(topic.id)

    def _first_screen(self, topic: Topic) -> str:
        lead = render_lead_plain(topic, self.advisor.kb.seeds)
        return f"{lead}\n(Type /more for the details and sources.)"

    def _more(self) -> list[str]:
        topic = self.advisor.kb.get(self.last_topic) if self.last_topic else None
        if topic is None:
            return ["Ask a question first; /more then shows the whole answer."]
        return [render_plain(topic, self.advisor.kb.seeds)]

    def _glossary(self, query: str) -> str:
        glossary = self.advisor.kb.glossary
        if not query.strip():
            return glossary_text(glossary)
        term = find_term(query, glossary)
        if term is None:
            names = ", ".join(t.term for t in glossary.values())
            return f"I don't have {query.strip()[:40]!r} in my glossary. Terms: {names}"
        return render_term_plain(term)

    def _topic_messages(self, topic_id: str) -> list[str]:
        topic = self.advisor.kb.get(topic_id)
        if topic is None:
            return []
        self.last_topic = topic.id
        messages = [self._first_screen(topic)]
        related = [t for r in topic.related if (t := self.advisor.kb.get(r))]
        if related:
            self.menu = [t.id for t in related]
            lines = [f"  {n}. {t.title}" for n, t in enumerate(related, 1)]
            messages.append("Related (type a number):\n" + "\n".join(lines))
        return messages

    # ------------------------------------------------------------------ free questions

    def _ask(self, text: str) -> list[str]:
        reply: Reply = self.advisor.reply(text)
        messages: list[str] = []
        if reply.warning is not None:
            messages.append(
                f"{heading(reply.warning)}\n{to_plain(lead_text(reply.warning)).strip()}"
            )
        if reply.topic is not None and reply.suggestions:
            self.last_topic = reply.topic.id
            messages.append(self._first_screen(reply.topic))
            self.menu = [t.id for t in reply.suggestions]
            lines = [f"  {n}. {t.title}" for n, t in enumerate(reply.suggestions, 1)]
            messages.append(
                "Not what you asked? Did you mean (type a number):\n" + "\n".join(lines)
            )
        elif reply.topic is not None:
            messages += self._topic_messages(reply.topic.id)
        elif reply.warning is None and is_small_talk(text):
            messages.append("Happy to help. Ask me anything about Trade Assurance, or type /help.")
        elif reply.warning is None:
            messages.append(
                "Sorry, I don't have a sure answer to that. I know about Alibaba Trade "
                "Assurance: what it covers, paying safely, claims and deadlines. Type /topics "
                "to see what I can explain, or /check to see if your claim is covered."
            )
        return messages

    # ------------------------------------------------------------------ the guided check

    def _start_check(self) -> list[str]:
        if self.check is not None and self.check.stage in ("asking", "review"):
            return ["You are already in a check. Type /cancel to start over.", *self._screen()]
        if self.paused is not None:
            self.check, self.paused = self.paused, None
            return ["Back to your check.", *self._screen()]
        self.check = machine.start(self.today())
        intro = (
            "Let's check if Trade Assurance can cover your problem. I'll ask a few short "
            "questions. Type /back to go back, /cancel to stop."
        )
        return [intro, *self._screen()]

    def _back(self) -> list[str]:
        if self.paused is not None:
            return ["Your check is paused. Type /check to go back to it."]
        if self.check is None or self.check.stage == "cancelled":
            return ["There is nothing to go back to. Type /check to start the claim check."]
        if not machine.can_go_back(self.check):
            return ["This is the first question.", *self._screen()]
        self.check = machine.back(self.check)
        return self._screen()

    def _check_input(self, text: str) -> list[str]:
        assert self.check is not None
        self.check = machine.with_today(self.check, self.today())
        warning = self.advisor.check_interruption(self.check, text)
        if warning is not None:  # the warning first, the question again, nothing recorded (#9)
            return [f"{heading(warning)}\n{to_plain(lead_text(warning)).strip()}", *self._screen()]
        if self.check.stage == "review":
            return self._review_input(text)
        prompt = machine.current_question(self.check)
        unknown = text in ("?", "0")  # the terminal's "I don't know" keys
        result = machine.answer_unknown(self.check) if unknown else machine.answer(self.check, text)
        if isinstance(result, ParseError):
            return [result.message]
        self.check = result
        said_unknown = unknown or is_unknown(text)
        note = [unknown_note(prompt.help, self.lang)] if said_unknown and prompt is not None else []
        return [*note, *self._screen()]

    def _review_input(self, text: str) -> list[str]:
        assert self.check is not None
        items = machine.review(self.check)
        word = text.lower().strip(" .!")
        if word in _CONFIRM_WORDS:
            self.check, result = machine.confirm(self.check)
            return [
                render_text(result, self.lang),
                "Type /back to change an answer, /check for a new check, or ask a question.",
            ]
        if word.isdecimal() and len(word) < 4 and 1 <= int(word) <= len(items):
            self.check = machine.edit(self.check, items[int(word) - 1].fact)
            return self._screen()
        return [f"Type ok to see the result, or a number from 1 to {len(items)} to change it."]

    def _screen(self) -> list[str]:
        """The current check screen: the open question or the review."""
        if self.check is None:
            return []
        if self.check.stage == "review":
            items = machine.review(self.check)
            jumped = machine.jumped_because(self.check)
            return [
                *([jumped] if jumped else []),
                review_text(items, self.lang)
                + "\nType ok to see the result, or a number to change that answer.",
            ]
        if self.check.stage == "done":
            _, result = machine.confirm(self.check)
            return [render_text(result, self.lang)]
        prompt = machine.current_question(self.check)
        if prompt is None:
            return []
        return [question_text(prompt, self.lang) + "\n" + numbered_options(prompt, lang=self.lang)]

    def _reminder(self) -> list[str]:
        """Re-show the open question after an input we could not use, so nothing is lost."""
        if self.check is not None and self.check.stage in ("asking", "review"):
            return self._screen()
        return []


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
RESUME_NOTE = "You have an unfinished check from last time. Type /check to continue it."


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
        state = session.check if session.check is not None else session.paused
        if state is not None and state.stage in ("asking", "review"):
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


def run(kb_dir: str | None = None, *, save: bool = True, lang: str = DEFAULT_LANG) -> int:
    """Chat on standard input and output until /quit or end of input, in `lang`."""
    _utf8(sys.stdin)
    _utf8(sys.stdout)
    advisor = load_advisor(kb_dir)
    if advisor is None:
        return 1
    session = TerminalSession(advisor, lang=lang)
    store = CheckStore(_database_path() if save else None)
    session.paused = store.load()
    read = _lines(sys.stdin, sys.stdin.isatty())
    greeting = [*session.greeting(), *([RESUME_NOTE] if session.paused is not None else [])]
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
