"""Ranking topics for a message and deciding: answer, "did you mean", or no answer.

Each topic is represented by its example questions, title and keywords. A message is scored
against every topic by three signals that fail in different ways:

* `question`: TF-IDF cosine to the closest example question (paraphrases of a known question);
* `topic`: TF-IDF cosine to the topic's whole vocabulary (questions + keywords + title), which
  catches new phrasings that combine words from several examples;
* `fuzzy`: rapidfuzz similarity of the normalised strings (typos and word order).

Words the knowledge base has never seen keep their weight in the message vector, so off-topic
text ("how do I cook rice") scores low instead of matching on one common word. Long messages are
also scored sentence by sentence, so a question buried in a story still wins. The weights,
thresholds and margin are fitted on data; `docs/matching.md` records how.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from bot.kb.loader import KnowledgeBase
from bot.matching.lexicon import STOP_WORDS
from bot.matching.normalize import is_small_talk, sentences, stem, tokens, words

Decision = Literal["answer", "suggest", "none"]


@dataclass(frozen=True)
class Tuning:
    """The knobs of scoring and decision; defaults are the values fitted on data."""

    w_question: float = 0.45
    w_topic: float = 0.35
    w_fuzzy: float = 0.20
    answer_threshold: float = 0.42
    answer_margin: float = 0.06
    suggest_threshold: float = 0.30
    suggest_window: float = 0.10
    max_suggestions: int = 3
    typo_min_length: int = 5
    typo_cutoff: float = 82.0
    long_message_tokens: int = 14


@dataclass(frozen=True)
class Match:
    """The matcher's verdict on one message."""

    kind: Decision
    topic_id: str | None
    score: float
    candidates: tuple[tuple[str, float], ...] = field(default=())

    @property
    def alternatives(self) -> tuple[tuple[str, float], ...]:
        """Ranked candidates other than the chosen topic."""
        return tuple(c for c in self.candidates if c[0] != self.topic_id)


Vector = dict[str, float]


def _tf(toks: Iterable[str]) -> Counter[str]:
    return Counter(toks)


def _norm(vec: Vector) -> Vector:
    length = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / length for k, v in vec.items()} if length else {}


class Matcher:
    """An index over one knowledge base; build once, query many times (no I/O)."""

    def __init__(self, kb: KnowledgeBase, tuning: Tuning | None = None) -> None:
        self.tuning = tuning or Tuning()
        self.topic_ids: list[str] = list(kb.topics)
        docs: list[tuple[int, list[str], str]] = []  # (topic index, tokens, normalised text)
        topic_tokens: dict[int, Counter[str]] = defaultdict(Counter)
        for ti, topic in enumerate(kb.topics.values()):
            for text in (topic.title, *topic.questions):
                toks = tokens(text)
                if toks:
                    docs.append((ti, toks, " ".join(toks)))
                    topic_tokens[ti].update(toks)
            for keyword in topic.keywords:
                topic_tokens[ti].update(tokens(keyword) * 2)
        df: Counter[str] = Counter()
        for _, toks, _ in docs:
            df.update(set(toks))
        for ti in topic_tokens:  # keywords count towards document frequency too
            df.update(t for t in topic_tokens[ti] if df[t] == 0)
        n = len(docs) + 1
        self._idf = {t: math.log(n / (c + 0.5)) + 1.0 for t, c in df.items()}
        self._idf_unknown = math.log(n / 0.5) + 1.0
        self._doc_topic = [ti for ti, _, _ in docs]
        self._doc_text = [text for _, _, text in docs]
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for di, (_, toks, _) in enumerate(docs):
            for t, w in self._weigh(toks).items():
                self._postings[t].append((di, w))
        self._topic_vecs: list[Vector] = []
        self._topic_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for ti in range(len(self.topic_ids)):
            vec = _norm({t: (1 + math.log(c)) * self._idf[t] for t, c in topic_tokens[ti].items()})
            self._topic_vecs.append(vec)
            for t, w in vec.items():
                self._topic_postings[t].append((ti, w))
        self._vocab_words = sorted(
            {
                w
                for topic in kb.topics.values()
                for text in (topic.title, *topic.questions, *topic.keywords)
                for w in words(text)
                if w not in STOP_WORDS and len(w) > 3
            }
        )
        self._vocab_stems = set(self._idf)

    # -- query side ------------------------------------------------------------------------

    def _weigh(self, toks: Sequence[str]) -> Vector:
        counts = _tf(toks)
        return _norm(
            {t: (1 + math.log(c)) * self._idf.get(t, self._idf_unknown) for t, c in counts.items()}
        )

    @lru_cache(maxsize=8192)  # noqa: B019 - the matcher lives as long as its index
    def _correct(self, word: str) -> str:
        """A known word for an unknown one that is only a typo away, else the word itself."""
        if len(word) < self.tuning.typo_min_length:
            return word
        best = process.extractOne(
            word,
            self._vocab_words,
            scorer=Indel.normalized_similarity,
            score_cutoff=self.tuning.typo_cutoff / 100,
        )
        return best[0] if best else word

    def query_tokens(self, text: str) -> list[str]:
        """Content tokens of a message, with typos of known words corrected."""
        out = []
        for w in words(text):
            if w in STOP_WORDS:
                continue
            s = stem(w)
            if s not in self._vocab_stems:
                s = stem(self._correct(w))
            out.append(s)
        return out

    def components(self, toks: list[str]) -> tuple[list[float], list[float], list[float]]:
        """Per topic: best example-question cosine, whole-topic cosine, best fuzzy ratio."""
        q = self._weigh(toks)
        best_q = [0.0] * len(self.topic_ids)
        doc_scores: dict[int, float] = defaultdict(float)
        topic_scores = [0.0] * len(self.topic_ids)
        for term, w in q.items():
            for di, dw in self._postings.get(term, ()):
                doc_scores[di] += w * dw
            for ti, tw in self._topic_postings.get(term, ()):
                topic_scores[ti] += w * tw
        for di, s in doc_scores.items():
            ti = self._doc_topic[di]
            if s > best_q[ti]:
                best_q[ti] = s
        fuzzy = [0.0] * len(self.topic_ids)
        if doc_scores:
            query = " ".join(toks)
            for _, score, di in process.extract(
                query, self._doc_text, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=50
            ):
                ti = self._doc_topic[di]
                fuzzy[ti] = max(fuzzy[ti], score / 100)
        return best_q, topic_scores, fuzzy

    def _score_tokens(self, toks: list[str]) -> list[float]:
        t = self.tuning
        best_q, topic_scores, fuzzy = self.components(toks)
        return [
            t.w_question * q + t.w_topic * c + t.w_fuzzy * f if (q or c) else 0.0
            for q, c, f in zip(best_q, topic_scores, fuzzy, strict=True)
        ]

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every topic with a positive score, best first."""
        toks = self.query_tokens(text)
        if not toks:
            return []
        scores = self._score_tokens(toks)
        if len(toks) >= self.tuning.long_message_tokens:
            for sentence in sentences(text):
                part = self.query_tokens(sentence)
                if part and len(part) < len(toks):
                    scores = [
                        max(a, b) for a, b in zip(scores, self._score_tokens(part), strict=True)
                    ]
        ranked = sorted(
            ((tid, s) for tid, s in zip(self.topic_ids, scores, strict=True) if s > 0),
            key=lambda p: -p[1],
        )
        return [(tid, round(s, 4)) for tid, s in ranked]

    def match(self, text: str) -> Match:
        """Rank, then decide between a confident answer, suggestions and no answer."""
        if is_small_talk(text):
            return Match("none", None, 0.0)
        return decide(self.rank(text), self.tuning)


def decide(ranked: Sequence[tuple[str, float]], t: Tuning) -> Match:
    """Answer when the best topic is strong and clearly ahead; offer the close ones when two or
    three are strong but near each other; otherwise say honestly that we do not know."""
    if not ranked:
        return Match("none", None, 0.0)
    top_id, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    shortlist = tuple(ranked[: t.max_suggestions + 1])
    if top >= t.answer_threshold and top - second >= t.answer_margin:
        return Match("answer", top_id, top, shortlist)
    if top >= t.suggest_threshold:
        close = tuple(
            (tid, s)
            for tid, s in ranked[: t.max_suggestions]
            if s >= t.suggest_threshold and top - s <= t.suggest_window
        )
        if len(close) >= 2:
            return Match("suggest", None, top, close)
        if top >= t.answer_threshold:
            return Match("answer", top_id, top, shortlist)
    return Match("none", None, top, shortlist)
