"""The literal tests that let `prepare` skip rewrite patterns: never closed on a text the pattern
matches, so the rewrites are exactly those of scanning with every pattern."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kb.loader import load_knowledge
from bot.matching import normalize
from bot.matching.gates import gate
from bot.matching.normalize import MAX_CHARS, prepare

PATTERNS = [pattern for pattern, _, _ in normalize._REWRITES]
PIECES = sorted(
    {lit for _, _, g in normalize._REWRITES for lit in (g.literals or ())}
    | {"trade assurance", "t/t", "$5,000", "30 %", "50/50", "money back", "not arrived", "q.c"}
)


def _scanned(text: str) -> str:
    """`prepare` with every pattern scanned (no gate)."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = normalize._APOSTROPHE.sub("", text)
    for pattern, replacement, _ in normalize._REWRITES:
        text = pattern.sub(replacement, text)
    return text


def test_gates_read_the_literals_a_match_begins_with() -> None:
    assert gate(re.compile(r"\bpay\s*pal\b")).literals == {"pay"}
    assert gate(re.compile(r"\bm(?:oq|in\s+order)\b")).literals == {"moq", "min"}
    assert gate(re.compile(r"\b\d{1,2}\s*/\s*\d{1,2}\b")).digit
    # no sure literal, a flag that changes what a literal matches, one letter: always scanned
    assert gate(re.compile(r"(?:ab|)c")).literals is None
    assert gate(re.compile(r"\bpaypal\b", re.IGNORECASE)).literals is None
    assert gate(re.compile(r"\bt\.?a\.?\b")).literals is None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(alphabet="ab1 .,/$-'s", max_size=4)),
        max_size=12,
    ).map(" ".join)
)
def test_a_gate_never_closes_on_a_text_its_pattern_matches(text: str) -> None:
    for pattern, _, may in normalize._REWRITES:
        assert may.may_match(text) or pattern.search(text) is None, pattern.pattern


def test_prepare_rewrites_as_scanning_every_pattern_does() -> None:
    kb = load_knowledge()
    texts = [
        text
        for topic in kb.topics.values()
        for text in (topic.title, *topic.questions, *topic.keywords, topic.short, topic.answer)
    ]
    texts += ["Is T/T safe for $12,500 (50/50)?", "we are a chinese factory, 30% deposit via WU"]
    assert all(prepare(text) == _scanned(text) for text in texts)
