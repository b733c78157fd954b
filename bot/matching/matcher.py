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

    w_question: float = 0.0
    w_topic: float = 1.0
    w_fuzzy: float = 0.0
    answer_threshold: float = 0.15
    answer_margin: float = 0.08
    max_suggestions: int = 3
    near_duplicate: float = 0.8
    """A message this close (cosine) to one example question gets the excess as a bonus: asking
    a known question almost word for word deserves confidence, whatever the topic's breadth."""
    keyword_weight: float = 3.0
    answer_weight: float = 0.3
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
        docs: list[tuple[int, list[str]]] = []  # one per example question or title
        extras: list[dict[str, float]] = []  # per topic: weighted keyword and answer tokens
        for ti, topic in enumerate(kb.topics.values()):
            docs += [
                (ti, toks) for text in (topic.title, *topic.questions) if (toks := tokens(text))
            ]
            extra: dict[str, float] = defaultdict(float)
            for keyword in topic.keywords:
                for tok in tokens(keyword):
                    extra[tok] += self.tuning.keyword_weight
            if self.tuning.answer_weight:
                for tok in tokens(f"{topic.short} {topic.answer}"):
                    extra[tok] += self.tuning.answer_weight
            extras.append(extra)
        self._idf, self._idf_unknown = self._document_frequencies(docs, extras)
        self._doc_topic = [ti for ti, _ in docs]
        self._doc_text = [" ".join(toks) for _, toks in docs]
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for di, (_, toks) in enumerate(docs):
            for term, w in self._weigh(toks).items():
                self._postings[term].append((di, w))
        self._topic_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        counts_by_topic = [dict(extra) for extra in extras]
        for doc_ti, toks in docs:
            counts = counts_by_topic[doc_ti]
            for tok in toks:
                counts[tok] = counts.get(tok, 0.0) + 1.0
        for ti, counts in enumerate(counts_by_topic):
            vec = _norm({t: math.log1p(c) * self._idf[t] for t, c in counts.items()})
            for term, w in vec.items():
                self._topic_postings[term].append((ti, w))
        texts = (
            text
            for topic in kb.topics.values()
            for text in (topic.title, *topic.questions, *topic.keywords)
        )
        self._vocab_words = sorted(
            {w for text in texts for w in words(text) if w not in STOP_WORDS and len(w) > 3}
        )
        self._vocab_stems = set(self._idf)

    @staticmethod
    def _document_frequencies(
        docs: list[tuple[int, list[str]]], extras: list[dict[str, float]]
    ) -> tuple[dict[str, float], float]:
        """Smoothed IDF over the example questions plus one pseudo-document per topic."""
        df: Counter[str] = Counter()
        for _, toks in docs:
            df.update(set(toks))
        for extra in extras:
            df.update(set(extra))
        n = len(docs) + len(extras)
        idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        return idf, math.log(n + 1) + 1.0

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

    def components(
        self, toks: list[str], *, fuzzy: bool = True
    ) -> tuple[list[float], list[float], list[float]]:
        """Per topic: best example-question cosine, whole-topic cosine, best fuzzy ratio.

        The fuzzy pass is the expensive one; it only looks at examples that share a term with
        the message, and is skipped when its weight is zero (`fuzzy=False`).
        """
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
        ratios = [0.0] * len(self.topic_ids)
        if fuzzy and doc_scores:
            candidates = {di: self._doc_text[di] for di in doc_scores}
            for _, score, di in process.extract(
                " ".join(toks), candidates, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=50
            ):
                ti = self._doc_topic[di]
                ratios[ti] = max(ratios[ti], score / 100)
        return best_q, topic_scores, ratios

    def _score_tokens(self, toks: list[str]) -> list[float]:
        return combine(*self.components(toks, fuzzy=self.tuning.w_fuzzy > 0), self.tuning)

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


def combine(
    best_q: Sequence[float], topic: Sequence[float], fuzzy: Sequence[float], t: Tuning
) -> list[float]:
    """One score per topic from the three signals (zero when no word matched at all)."""
    return [
        t.w_question * q + t.w_topic * c + t.w_fuzzy * f + max(0.0, q - t.near_duplicate)
        if (q or c)
        else 0.0
        for q, c, f in zip(best_q, topic, fuzzy, strict=True)
    ]


def decide(ranked: Sequence[tuple[str, float]], t: Tuning) -> Match:
    """Below the threshold there is no answer. Above it, the best topic is the answer; when
    other topics score almost as high (within the margin), the decision is `suggest`: the front
    end shows the best topic briefly and offers the close ones as "Did you mean…"."""
    if not ranked or ranked[0][1] < t.answer_threshold:
        top = ranked[0][1] if ranked else 0.0
        return Match("none", None, top, tuple(ranked[: t.max_suggestions]))
    top_id, top = ranked[0]
    close = tuple((tid, s) for tid, s in ranked[: t.max_suggestions] if top - s < t.answer_margin)
    kind: Decision = "suggest" if len(close) >= 2 else "answer"
    shortlist = close if kind == "suggest" else tuple(ranked[: t.max_suggestions])
    return Match(kind, top_id, top, shortlist)
