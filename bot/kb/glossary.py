"""The glossary: trade jargon explained in our words, and finding the terms a text uses.

Answers keep their short words (FOB, QC, CE…); a reader who does not know one taps "Terms
used here" or sends /glossary. Entries live in `knowledge/glossary.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.kb.markup import to_plain
from bot.kb.models import TOPIC_ID
from bot.yamltext import parse

DEFINITION_MAX = 400


class Term(BaseModel):
    """One glossary entry: how it is written, what it stands for, what it means for a buyer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=TOPIC_ID.pattern)
    term: str = Field(min_length=1, max_length=40)
    expansion: str | None = None
    """What the abbreviation stands for, when it is one."""
    aliases: tuple[str, ...] = ()
    """Other spellings found in texts (case-insensitive, whole words)."""
    text: str = Field(min_length=20, max_length=DEFINITION_MAX)
    """Plain text, no tags."""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Whole words; abbreviations in capitals (CE, REACH) match only in capitals, so "reach"
        or "ce" in ordinary words never counts."""
        names = sorted({self.term, *self.aliases}, key=len, reverse=True)
        parts = []
        for name in names:
            escaped = re.escape(name)
            parts.append(escaped if name.isupper() else f"(?i:{escaped})")
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")

    def heading(self) -> str:
        return f"{self.term} ({self.expansion})" if self.expansion else self.term


def load_glossary(folder: Path) -> tuple[dict[str, Term], list[str]]:
    """The entries of `glossary.yaml` by id, and the problems found (empty when absent)."""
    import yaml

    path = folder / "glossary.yaml"
    if not path.exists():
        return {}, []
    try:
        data = parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return {}, [f"glossary.yaml: cannot read ({exc})"]
    entries = data.get("terms", []) if isinstance(data, dict) else []
    terms: dict[str, Term] = {}
    problems: list[str] = []
    for n, entry in enumerate(entries, 1):
        try:
            term = Term.model_validate(entry)
        except ValidationError as exc:
            problems += [f"glossary.yaml: entry {n}: {e['msg']}" for e in exc.errors()]
            continue
        if term.id in terms:
            problems.append(f"glossary.yaml: duplicate id {term.id!r}")
        if "<" in term.text or "&" in term.text:
            problems.append(f"glossary.yaml: {term.id}: text must be plain (no tags or entities)")
        terms[term.id] = term
    return terms, problems


def terms_in(texts: Iterable[str], glossary: Mapping[str, Term]) -> list[Term]:
    """The glossary terms the texts use, in glossary order."""
    plain = "\n".join(to_plain(t) for t in texts)
    return [t for t in glossary.values() if t.pattern.search(plain)]


def find_term(query: str, glossary: Mapping[str, Term]) -> Term | None:
    """The entry a user asked for by id, term or alias (case-insensitive), or None."""
    wanted = query.strip().lower().strip("?.!")
    for term in glossary.values():
        names = {term.id, term.term.lower(), *(a.lower() for a in term.aliases)}
        if wanted in names:
            return term
    return None


def render_term_plain(term: Term) -> str:
    return f"{term.heading()}: {term.text}"


def render_terms_html(terms: Iterable[Term]) -> str:
    import html

    return "\n\n".join(f"<b>{html.escape(t.heading())}</b>\n{html.escape(t.text)}" for t in terms)


def glossary_text(glossary: Mapping[str, Term]) -> str:
    """The whole glossary as plain text, one entry a paragraph."""
    return "\n\n".join(render_term_plain(t) for t in glossary.values())
