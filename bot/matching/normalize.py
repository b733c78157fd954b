"""From a raw chat message to the canonical tokens the matcher compares.

Real messages are lower- and upper-case, full of abbreviations (TA, T/T, WU, QC), amounts
("$12,500", "80k"), typos and emoji. Everything here is deterministic and cheap (cached
stemming), because it runs on every message.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from bot.matching.lexicon import GREETINGS, MONEY, PERCENT, PHRASES, SPLIT_PLAN, STOP_WORDS, WORDS

MAX_CHARS = 4096
"""Longer input is cut: Telegram never delivers more, and the cost must stay bounded."""

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


def prepare(text: str) -> str:
    """Lower-case, fold Unicode look-alikes, and rewrite amounts and known phrases."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = _APOSTROPHE.sub("", text)
    text = MONEY.sub(_money_token, text)
    text = PERCENT.sub(" percent ", text)
    text = SPLIT_PLAN.sub(" percent split ", text)
    for pattern, replacement in _PHRASES:
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


def sentences(text: str) -> list[str]:
    """Split a long message into its sentences, so a question buried in a story is found."""
    return [s for s in _SENTENCE.split(text[:MAX_CHARS]) if s.strip()]
