"""How a source is named to people: publisher and title, never the seed's file name.

The file names stay in the data (topics, claim rules, `ask --json`); everything a person reads
goes through `cite`, so answers and verdict reasons name sources the same way. Reader comments
under the ChinaImportal guide are reported as such by the texts themselves.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from functools import cache

from bot.kb.loader import KnowledgeError, Seed, default_kb_dir, load_seeds

UNKNOWN = "an unlisted source"
"""Shown for a file missing from seeds.yaml (kb check forbids that; never a file name)."""


@cache
def default_seeds() -> Mapping[str, Seed]:
    """The seed list of the default knowledge folder, read once (empty when unreadable)."""
    try:
        return load_seeds(default_kb_dir())
    except KnowledgeError:
        return {}


def _seed(file: str, seeds: Mapping[str, Seed] | None) -> Seed | None:
    return (default_seeds() if seeds is None else seeds).get(file)


def cite(
    file: str, seeds: Mapping[str, Seed] | None = None, *, full: bool = True, title: bool = True
) -> str:
    """`Publisher, “Title” (date), address` in plain text; without `full`, `Publisher, “Title”`,
    and without `title` either, the publisher alone."""
    seed = _seed(file, seeds)
    if seed is None:
        return UNKNOWN
    if not title:
        return seed.publisher
    text = f"{seed.publisher}, “{seed.title}”"
    if not full:
        return text
    if seed.date:
        text += f" ({seed.date})"
    if seed.url:
        text += f", {seed.url}"
    return text


def cite_html(file: str, seeds: Mapping[str, Seed] | None = None) -> str:
    """`cite` for Telegram HTML: escaped, the title linked when the document has an address."""
    seed = _seed(file, seeds)
    if seed is None or not seed.url:
        return html.escape(cite(file, seeds))
    date = f" ({html.escape(seed.date)})" if seed.date else ""
    link = f'<a href="{html.escape(seed.url)}">{html.escape(seed.title)}</a>'
    return f"{html.escape(seed.publisher)}, “{link}”{date}"


def cite_all(
    files: Iterable[str], seeds: Mapping[str, Seed] | None = None, *, full: bool = True
) -> str:
    """Several sources for one statement (a verdict reason): publishers and titles, `; `-joined."""
    return "; ".join(cite(f, seeds, full=full) for f in dict.fromkeys(files))
