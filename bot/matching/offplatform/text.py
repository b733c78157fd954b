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

MAX_TOKENS = 1500
"""Words and breaks read from one message. Prose runs five to six characters a word, so a full
4,096-character message has about 700-900 words and is read whole; only text made of one- or
two-letter runs ("% % %", "a? a? a?") is cut, which bounds the worst case near a normal
message's cost."""

MAX_PREFIX = 16
"""A prefix pattern ("transfer*") is at most this long, so a word is looked up a bounded number
of times."""

GAP = "~"
"""A pattern word that skips zero to `MAX_GAP` words ("his ~ account": "his bank account")."""
MAX_GAP = 3

MAX_CACHED_WORDS = 20_000
"""Distinct words whose candidate patterns are remembered between messages."""

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
    """Folded words, with `BREAK` wherever a sentence or a quoted line ends (at most
    `MAX_TOKENS` of them)."""
    out: list[str] = []
    for found in _WORD_OR_BREAK.finditer(fold(text)):
        if len(out) >= MAX_TOKENS:
            break
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
    plain_rest: tuple[tuple[str, bool], ...] = ()
    """The plain pattern after its first word, which the index lookup has already matched."""

    @classmethod
    def of(cls, category: str, words: tuple[str, ...]) -> _Pattern:
        plain = None if GAP in words else tuple((w.rstrip("*"), w.endswith("*")) for w in words)
        return cls(category, words, plain, plain[1:] if plain else ())


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
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for category, phrase in phrases:
            words = parse_phrase(phrase)
            if (category, words) in seen:
                continue  # the same cue in several languages' files is looked for once
            seen.add((category, words))
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
        self._by_word: dict[str, _Candidates] = {}

    def candidates(self, word: str) -> _Candidates:
        """The patterns whose first word matches `word` (kept per word: text repeats words)."""
        known = self._by_word.get(word)
        if known is not None:
            return known
        found = list(self._exact.get(word, ()))
        for n in self._lengths:
            if n > len(word):
                break
            found.extend(self._prefix.get(word[:n], ()))
        if len(self._by_word) >= MAX_CACHED_WORDS:
            self._by_word.clear()  # bounded memory against a stream of distinct words
        self._by_word[word] = known = _Candidates.of(found)
        return known

    def find(self, words: Sequence[str]) -> list[Hit]:
        """Every phrase occurrence (longest per category and start), in order of start."""
        hits: list[Hit] = []
        last = len(words) - 1
        for i, word in enumerate(words):
            if word == BREAK:
                continue
            found = self.candidates(word)
            if found.empty:
                continue
            best = dict(found.one_word)  # category -> end, for one-word patterns: i + 1 below
            for category in best:
                best[category] = i + 1
            following = words[i + 1] if i < last else BREAK
            for pattern in (*found.any_next, *found.by_next.get(following, ())):
                if pattern.plain is None:
                    end = _match_from(pattern.words, words, i)
                else:
                    end = _match_plain(pattern.plain_rest, words, i + 1)
                if end is not None and end > best.get(pattern.category, -1):
                    best[pattern.category] = end
            hits.extend(Hit(category, i, end) for category, end in best.items())
        return hits


@dataclass(frozen=True, slots=True)
class _Candidates:
    """The patterns that can start at one word, sorted so most are never tried: one-word
    patterns match at once, and patterns whose second word is exact are looked up by the word
    that follows."""

    one_word: tuple[tuple[str, int], ...]
    any_next: tuple[_Pattern, ...]
    by_next: dict[str, tuple[_Pattern, ...]]

    @property
    def empty(self) -> bool:
        return not (self.one_word or self.any_next or self.by_next)

    @classmethod
    def of(cls, patterns: Iterable[_Pattern]) -> _Candidates:
        one_word: dict[str, int] = {}
        any_next: list[_Pattern] = []
        by_next: dict[str, list[_Pattern]] = {}
        for pattern in patterns:
            if len(pattern.words) == 1:
                one_word[pattern.category] = 0
            elif pattern.words[1] == GAP or pattern.words[1].endswith("*"):
                any_next.append(pattern)
            else:
                by_next.setdefault(pattern.words[1], []).append(pattern)
        return cls(
            tuple(one_word.items()),
            tuple(any_next),
            {word: tuple(found) for word, found in by_next.items()},
        )


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
