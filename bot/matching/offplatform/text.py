"""Folding, tokens and phrase search for the off-platform detector, all in linear time.

Group messages are hostile input (up to 4,096 characters of anything), so nothing here
backtracks: one pass of a single-class regular expression cuts the text into words and breaks,
and phrases are looked up by their first word (exact or a prefix of bounded length), then
checked word by word with a bounded number of skipped words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_CHARS = 4096
"""Longer input is cut: Telegram never delivers more, and the cost must stay bounded."""

MAX_PREFIX = 16
"""A prefix pattern ("transfer*") is at most this long, so a word is looked up a bounded number
of times."""

GAP = "~"
"""A pattern word that skips zero to `MAX_GAP` words ("his ~ account": "his bank account")."""
MAX_GAP = 3

BREAK = "\n"
"""The token standing for a sentence break."""

_WORD_OR_BREAK = re.compile(r"[^\W_]+|[.!?;:\n]+")
_APOSTROPHES = str.maketrans("", "", "'’`´ʼ")
_SYMBOLS = {"%": " percent ", "&": " and ", "$": " usd ", "€": " eur ", "¥": " rmb "}


def fold(text: str) -> str:
    """Lower case without accents or apostrophes, so "Don't", "dont" and "pagaré"/"pagare" meet.

    Accents are dropped after NFKD (so й becomes и and ё becomes е, in the data too).
    """
    text = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower()).translate(_APOSTROPHES)
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    if text.isascii():
        return text
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded words, with `BREAK` wherever a sentence or a quoted line ends."""
    out: list[str] = []
    for found in _WORD_OR_BREAK.finditer(fold(text)):
        word = found.group(0)
        if not word[0].isalnum():
            if out and out[-1] != BREAK:
                out.append(BREAK)
        else:
            out.append(word)
    return out


@dataclass(frozen=True)
class Hit:
    """One phrase found: its category and the word span [start, end)."""

    category: str
    start: int
    end: int


@dataclass(frozen=True)
class _Pattern:
    category: str
    words: tuple[str, ...]
    plain: tuple[tuple[str, bool], ...] | None
    """(word or prefix, is prefix) when there is no gap: the fast path of `find`."""

    @classmethod
    def of(cls, category: str, words: tuple[str, ...]) -> _Pattern:
        plain = None if GAP in words else tuple((w.rstrip("*"), w.endswith("*")) for w in words)
        return cls(category, words, plain)


def parse_phrase(phrase: str) -> tuple[str, ...]:
    """A cue phrase as pattern words: folded like text, `*` ends a prefix, `~` is a gap."""
    words: list[str] = []
    for raw in phrase.split():
        if raw == GAP:
            words.append(GAP)
            continue
        folded = [w for w in tokens(raw.rstrip("*")) if w != BREAK]
        if raw.endswith("*") and folded:
            folded[-1] += "*"
        words.extend(folded)
    return tuple(words)


def _word_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


class PhraseIndex:
    """Phrases of every category, found in a token list in time linear in its length."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self._exact: dict[str, list[_Pattern]] = {}
        self._prefix: dict[str, list[_Pattern]] = {}
        lengths: set[int] = set()
        for category, phrase in phrases:
            words = parse_phrase(phrase)
            if not words or words[0] == GAP:
                raise ValueError(f"bad cue phrase {phrase!r}")
            first = words[0]
            pattern = _Pattern.of(category, words)
            if first.endswith("*"):
                stem = first[:-1]
                if not stem or len(stem) > MAX_PREFIX:
                    raise ValueError(f"prefix too short or long in {phrase!r}")
                self._prefix.setdefault(stem, []).append(pattern)
                lengths.add(len(stem))
            else:
                self._exact.setdefault(first, []).append(pattern)
        self._lengths = tuple(sorted(lengths))

    def find(self, words: Sequence[str]) -> list[Hit]:
        """Every phrase occurrence (longest per category and start), in order of start."""
        hits: list[Hit] = []
        for i, word in enumerate(words):
            if word == BREAK:
                continue
            candidates = list(self._exact.get(word, ()))
            for n in self._lengths:
                if n > len(word):
                    break
                candidates.extend(self._prefix.get(word[:n], ()))
            best: dict[str, int] = {}
            for pattern in candidates:
                end = (
                    _match_plain(pattern.plain, words, i)
                    if pattern.plain is not None
                    else _match_from(pattern.words, words, i)
                )
                if end is not None and end > best.get(pattern.category, -1):
                    best[pattern.category] = end
            hits.extend(Hit(category, i, end) for category, end in best.items())
        return hits


def _match_plain(
    pattern: Sequence[tuple[str, bool]], words: Sequence[str], start: int
) -> int | None:
    """End of a gapless pattern's match at `start`, or None."""
    end = start + len(pattern)
    if end > len(words):
        return None
    for (p, prefix), word in zip(pattern, words[start:end], strict=True):
        if not (word.startswith(p) if prefix else word == p) or word == BREAK:
            return None
    return end


def _match_from(pattern: Sequence[str], words: Sequence[str], start: int) -> int | None:
    """End of the shortest match of `pattern` at `start`, or None (bounded work: gaps are few
    and short, and a match never crosses a sentence break)."""
    positions = {start}
    for p in pattern:
        following: set[int] = set()
        for pos in positions:
            if p == GAP:
                for skip in range(MAX_GAP + 1):
                    at = pos + skip
                    if at <= len(words) and BREAK not in words[pos:at]:
                        following.add(at)
            elif pos < len(words) and words[pos] != BREAK and _word_matches(p, words[pos]):
                following.add(pos + 1)
        if not following:
            return None
        positions = following
    return min(positions)
