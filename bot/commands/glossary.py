"""`ta-advisor glossary [TERM]`: the trade words the answers use, in plain words."""

from __future__ import annotations

from bot.commands.common import load_advisor
from bot.kb.glossary import find_term, glossary_text, render_term_plain


def run(term: list[str], *, kb_dir: str | None = None) -> int:
    """Print one entry (exit 1 when unknown, with the list), or the whole glossary."""
    advisor = load_advisor(kb_dir)
    if advisor is None:
        return 1
    glossary = advisor.kb.glossary
    query = " ".join(term).strip()
    if not query:
        print(glossary_text(glossary))
        return 0
    found = find_term(query, glossary)
    if found is None:
        print(f"No entry for {query!r}. Terms: {', '.join(t.term for t in glossary.values())}")
        return 1
    print(render_term_plain(found))
    return 0
