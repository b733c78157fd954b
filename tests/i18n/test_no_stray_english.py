"""No user-facing English sentence outside the catalogue, so the rule of issue 12 cannot regress.

The scan reads the source with `ast` and flags string literals (f-string parts included) of
three or more words that reach a reader: passed to a function that sends or lays out a message
(`SENDERS`), given as a button's or a message's `text`/`label`, or returned by a function of a
front end or a renderer. A literal inside `_()`, `n_()`, `N_()` is in the catalogue.
Docstrings, logs and exceptions for developers are not read by users. Knowledge loading
(`bot/kb`), the matcher, the i18n machinery and the CLI's own usage errors are out of scope.
The few literals that are legitimately English are listed in `ALLOWED`, each with its reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (
    "bot/telegram",
    "bot/conversation",
    "bot/claims",
    "bot/dialogue",
    "bot/terminal.py",
    "bot/commands/ask.py",
)
NOT_SCANNED = {
    "bot/claims/cli.py": "`ta-advisor assess` input errors on stderr, read by scripts (CLI usage)",
}
MARKERS = frozenset({"_", "n_", "N_"})
SENDERS = frozenset(
    {
        "send_html",
        "reply_html",
        "show",
        "toast",
        "send_message",
        "reply_text",
        "edit_message_text",
        "answer",
        "InlineKeyboardButton",
        "InlineQueryResultArticle",
        "InputTextMessageContent",
        "private_link_keyboard",
        "Outgoing",
        "ParseError",
        "Screen",
        "Line",
        "Option",
        "print",
        "write",
        "echo",
    }
)
TEXT_KEYWORDS = frozenset({"text", "label", "title", "description", "message_text"})
WORDS = re.compile(r"[A-Za-z]{2,}")

ALLOWED: dict[tuple[str, str], str] = {
    ("bot/terminal.py", "(Not saving your check: {})"): "stderr notice of the terminal (CLI)",
    (
        "bot/commands/ask.py",
        "Give a question, or use --json to read questions from standard input.",
    ): "stderr usage error of `ta-advisor ask` (CLI)",
}
"""(file, literal) -> why it may stay English."""


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literals(node: ast.AST) -> Iterator[str]:
    """String literals reaching a reader from `node`, skipping what is marked for the catalogue."""
    if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
        return
    if isinstance(node, ast.JoinedStr):  # an f-string reads as one sentence around its holes
        yield "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
            for v in node.values
        )
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def _is_sentence(text: str) -> bool:
    """Three or more words, read as prose (a capital or a sentence's punctuation): codes
    (`paypal_outside_order`) and lowercase vocabulary the matcher reads (`not my style`) pass."""
    words = [w for w in text.split() if WORDS.search(w) and "_" not in w]
    prose = any(c.isupper() for c in text) or any(p in text for p in ".!?:")
    return len(words) >= 3 and prose and not text.lstrip().startswith(("SELECT", "INSERT"))


def _reader_facing(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if _name(node.func) in SENDERS:
                for arg in node.args:
                    yield from _literals(arg)
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS:
                    yield from _literals(keyword.value)
        elif isinstance(node, ast.Return) and node.value is not None:
            yield from _literals(node.value)


def _files() -> Iterator[Path]:
    for entry in SCANNED:
        path = ROOT / entry
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if file.relative_to(ROOT).as_posix() not in NOT_SCANNED:
                yield file


def stray_sentences() -> list[tuple[str, str]]:
    found = []
    for path in _files():
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in _reader_facing(tree):
            if _is_sentence(text) and (relative, text) not in ALLOWED:
                found.append((relative, text))
    return found


def test_no_english_sentence_reaches_a_reader_outside_the_catalogue() -> None:
    assert stray_sentences() == []


@pytest.mark.parametrize(
    "source",
    [
        'await send_html(bot, chat, "Welcome to the bot, friend")',
        'InlineKeyboardButton(text="Open the full check")',
        'def f():\n    return f"You have {n} saved checks"',
    ],
)
def test_the_scan_finds_a_stray_sentence(source: str) -> None:
    assert [t for t in _reader_facing(ast.parse(source)) if _is_sentence(t)]


def test_the_scan_accepts_marked_sentences_and_short_codes() -> None:
    source = 'await send_html(bot, chat, _("Welcome to the bot, friend"))\nreturn "lg:en"'
    assert not [t for t in _reader_facing(ast.parse(source)) if _is_sentence(t)]
