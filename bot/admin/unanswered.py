"""Grouping the questions nobody answered, so curators see needs, not a list of spellings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.matching.normalize import tokens

SIMILAR = 72.0
"""token_set_ratio (0-100) over normalised tokens at which two questions count as one need."""


@dataclass
class QuestionGroup:
    """Questions that ask for the same thing; `example` is the most frequent wording."""

    example: str
    count: int
    variants: list[str] = field(default_factory=list)


def group_questions(rows: Sequence[tuple[str, int]], *, limit: int = 10) -> list[QuestionGroup]:
    """Greedy clustering, most frequent first: each question joins the first group it resembles."""
    groups: list[tuple[str, QuestionGroup]] = []
    for text, count in sorted(rows, key=lambda r: -r[1]):
        key = " ".join(tokens(text)) or text.lower()
        for group_key, group in groups:
            if fuzz.token_set_ratio(key, group_key) >= SIMILAR:
                group.count += count
                group.variants.append(text)
                break
        else:
            groups.append((key, QuestionGroup(example=text, count=count)))
    ranked = sorted((g for _, g in groups), key=lambda g: -g.count)
    return ranked[:limit]
