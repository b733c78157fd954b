"""The Telegram-HTML subset topics are written in: validation and conversion to plain text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset({"b", "i", "u", "code"})
MESSAGE_LIMIT = 4096
_TAG = re.compile(r"<[^>]*>")


class _SubsetChecker(HTMLParser):
    """Collects every way a text breaks Telegram's HTML parse mode (as far as we use it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(
                f"tag <{tag}> is not allowed (use {', '.join(sorted(ALLOWED_TAGS))})"
            )
        elif attrs:
            self.problems.append(f"tag <{tag}> must not carry attributes")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"closing </{tag}> does not match an open tag")
            return
        self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in {"amp", "lt", "gt", "quot"}:
            self.problems.append(f"entity &{name}; is not supported by Telegram")

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append("a bare < or > must be written &lt; or &gt;")


def markup_problems(text: str) -> list[str]:
    """Why Telegram would reject `text` in HTML parse mode; empty when it is fine."""
    checker = _SubsetChecker()
    if re.search(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)", text):
        checker.problems.append("a bare & must be written &amp;")
    checker.feed(text)
    checker.close()
    if checker.stack:
        checker.problems.append(f"<{checker.stack[-1]}> is never closed")
    return checker.problems


def to_plain(text: str) -> str:
    """Drop the tags and decode the entities, for the terminal and for length checks."""
    return html.unescape(_TAG.sub("", text))


def visible_length(text: str) -> int:
    """Length Telegram counts for a message in HTML parse mode (UTF-16 code units)."""
    return len(to_plain(text).encode("utf-16-le")) // 2
