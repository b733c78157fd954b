"""From a raw chat message to the canonical tokens the matcher compares.

Real messages are lower- and upper-case, full of abbreviations (TA, T/T, WU, QC), amounts
("$12,500", "80k"), typos and emoji. Everything here is deterministic and cheap (cached
stemming), because it runs on every message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

import snowballstemmer

from bot.matching.gates import Gate, gate
from bot.matching.lexicon import GREETINGS, MONEY, PERCENT, PHRASES, SPLIT_PLAN, STOP_WORDS, WORDS

MAX_CHARS = 4096
"""Longer input is cut: Telegram never delivers more, and the cost must stay bounded."""

LEXICAL_CHARS = 800
"""The most text the word and character signals read. Real questions, even long stories, are
far shorter (the longest in our sets has under 420 characters); a longer message keeps its
questions and its end, so one 4,096-character message costs a bounded amount."""
MAX_WORD_CHARS = 30
"""A "word" longer than this is not language (a run of digits, symbols or one letter): the
signals skip it rather than cut it into hundreds of n-grams or encoder tokens."""
MAX_PERIOD = 4
"""Blocks of up to this many words repeated in a row are read twice at most."""
FLOOD_RATIO = 8
"""A long message whose readable part is under an eighth of it is a flood, not a question (a
real story cut to the signals' budget keeps at least that much)."""

_PHRASES = tuple((re.compile(p), r) for p, r in PHRASES)
_APOSTROPHE = re.compile(r"['’`´]")
_TOKEN = re.compile(r"[a-z][a-z0-9]*")
_SENTENCE = re.compile(r"(?<=[.?!;:\n])\s+|\n+")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word (cached: chat vocabularies are small)."""
    return str(_STEMMER.stemWord(word))


_NUMBER = re.compile(r"\d[\d,.\s]{0,24}")
_SCALE = re.compile(r"\d\s{0,3}([km])\b")


def _money_token(found: re.Match[str]) -> str:
    """An amount becomes `money`, plus its size class: small orders and samples are asked
    about differently from orders near a supplier's coverage cap."""
    raw = found.group(0)
    digits = _NUMBER.search(raw)
    try:
        value = float(re.sub(r"[,\s]", "", digits.group(0)).rstrip(".")) if digits else 0.0
    except ValueError:
        value = 0.0
    scale = _SCALE.search(raw)
    value *= {"k": 1000, "m": 1_000_000}[scale.group(1)] if scale else 1
    if value and value < 1000:
        return " money smallmoney "
    if value >= 10_000:
        return " money bigmoney "
    return " money "


Replacement = str | Callable[[re.Match[str]], str]
_RULES: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    (MONEY, _money_token),
    (PERCENT, " percent "),
    (SPLIT_PLAN, " percent split "),
    *_PHRASES,
)
_REWRITES: tuple[tuple[re.Pattern[str], Replacement, Gate], ...] = tuple(
    (pattern, replacement, gate(pattern)) for pattern, replacement in _RULES
)
"""Amounts, percentages, split plans, then the known phrases, in this order (a rewrite may
create what a later one reads), each with the test that skips it when it cannot match."""


@lru_cache(maxsize=1024)
def prepare(text: str) -> str:
    """Lower-case, fold Unicode look-alikes, and rewrite amounts and known phrases (cached: the
    word signal, its coverage, the small-talk and other-platform checks each read one message)."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = _APOSTROPHE.sub("", text)
    for pattern, replacement, may in _REWRITES:
        if may.may_match(text):  # most patterns cannot: a substring test, not a scan
            text = pattern.sub(replacement, text)
    return text


def words(text: str) -> list[str]:
    """Canonical words of a message, stop words kept (before stemming)."""
    return [WORDS.get(w, w) for w in _TOKEN.findall(prepare(text))]


def tokens(text: str) -> list[str]:
    """Stemmed content tokens: what the index stores and the query is compared on."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def is_small_talk(text: str) -> bool:
    """Greetings, thanks and laughter with nothing else in them."""
    ws = [w for w in words(text) if w not in STOP_WORDS]
    if not ws:  # only stop words, emoji or punctuation; other scripts go to the matcher
        return not any(c.isalpha() and not c.isascii() for c in text[:MAX_CHARS])
    return all(w in GREETINGS or re.fullmatch(r"(?:ha|he|lo|l)+", w) for w in ws)


_SENTENCE_END = re.compile(r"(?<=[.?!\n])\s+")


def focus(text: str, limit: int) -> str:
    """The part of a message the signals read, at most `limit` characters: all of it when it
    fits and every word is of ordinary length. Otherwise words of ordinary length, each
    sentence once, no block of up to `MAX_PERIOD` words more than twice in a row, then its
    questions first and its last sentences, in their original order."""
    text = text[:MAX_CHARS]
    if len(text) <= limit and all(len(w) <= MAX_WORD_CHARS for w in text.split()):
        return text
    seen: set[str] = set()
    kept: list[str] = []
    for part in _SENTENCE_END.split(text):
        sentence = " ".join(_unrepeated(w for w in part.split() if len(w) <= MAX_WORD_CHARS))
        if sentence and sentence not in seen:
            seen.add(sentence)
            kept.append(sentence)
    if sum(len(k) + 1 for k in kept) <= limit + 1:
        return " ".join(kept)
    order = sorted(range(len(kept)), key=lambda i: (not kept[i].endswith("?"), -i))
    chosen: set[int] = set()
    used = 0
    for i in order:
        if used + len(kept[i]) > limit:
            continue
        chosen.add(i)
        used += len(kept[i]) + 1
    if not chosen:  # one run-on sentence: its end
        tail = " ".join(kept)[-limit:]
        return tail.partition(" ")[2] or tail
    return " ".join(kept[i] for i in sorted(chosen))


def _unrepeated(words: Iterable[str]) -> list[str]:
    """The words without the third and later copies of any block of 1 to `MAX_PERIOD` words
    in a row ("very very" stays; "USD 1 USD 1 USD 1 …" becomes "USD 1 USD 1")."""
    out: list[str] = []
    for w in words:
        out.append(w)
        for p in range(1, MAX_PERIOD + 1):
            if len(out) >= 3 * p and out[-p:] == out[-2 * p : -p] == out[-3 * p : -2 * p]:
                del out[-p:]
                break
    return out


def is_flood(text: str, focused: str) -> bool:
    """A message over the signals' budget that is almost all repetition or non-words (a key
    held down, one word pasted a thousand times): no question left worth the encoder's time."""
    size = len(text[:MAX_CHARS])
    return size > LEXICAL_CHARS and len(focused) * FLOOD_RATIO < size


def sentences(text: str) -> list[str]:
    """Split a long message into its sentences, so a question buried in a story is found."""
    return [s for s in _SENTENCE.split(text[:MAX_CHARS]) if s.strip()]
