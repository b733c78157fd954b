"""How a source is named to people: publisher and title, never the seed's file name.

The file names stay in the data (topics, claim rules, `ask --json`); everything a person reads
goes through `cite`, so answers and verdict reasons name sources the same way. Reader comments
under the ChinaImportal guide are reported as such by the texts themselves.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from functools import cache

from bot.i18n import DEFAULT_LANG, N_, gettext_for
from bot.kb.loader import KnowledgeError, Seed, default_kb_dir, load_seeds

UNKNOWN = "an unlisted source"
"""Shown for a file missing from seeds.yaml (kb check forbids that; never a file name)."""

PUBLISHER_WORDS = (N_("Unnamed publisher"),)
"""Publisher names in `seeds.yaml` that are words, not names: translated for the reader (real
names such as "Terrace International" are not in the catalogue and pass through unchanged)."""


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
    file: str,
    seeds: Mapping[str, Seed] | None = None,
    *,
    full: bool = True,
    title: bool = True,
    lang: str = DEFAULT_LANG,
) -> str:
    """`Publisher, “Title” (date), address` in plain text; without `full`, `Publisher, “Title”`,
    and without `title` either, the publisher alone. Titles stay as the documents have them."""
    seed = _seed(file, seeds)
    if seed is None:
        return UNKNOWN
    publisher = gettext_for(seed.publisher, lang)
    if not title:
        return publisher
    text = f"{publisher}, “{seed.title}”"
    if not full:
        return text
    if seed.date:
        text += f" ({seed.date})"
    if seed.url:
        text += f", {seed.url}"
    return text


def cite_html(file: str, seeds: Mapping[str, Seed] | None = None, lang: str = DEFAULT_LANG) -> str:
    """`cite` for Telegram HTML: escaped, the title linked when the document has an address."""
    seed = _seed(file, seeds)
    if seed is None or not seed.url:
        return html.escape(cite(file, seeds, lang=lang))
    date = f" ({html.escape(seed.date)})" if seed.date else ""
    link = f'<a href="{html.escape(seed.url)}">{html.escape(seed.title)}</a>'
    return f"{html.escape(gettext_for(seed.publisher, lang))}, “{link}”{date}"


def cite_all(
    files: Iterable[str],
    seeds: Mapping[str, Seed] | None = None,
    *,
    full: bool = True,
    lang: str = DEFAULT_LANG,
) -> str:
    """Several sources for one statement (a verdict reason): publishers and titles, `; `-joined."""
    return "; ".join(cite(f, seeds, full=full, lang=lang) for f in dict.fromkeys(files))
