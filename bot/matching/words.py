"""The word signal: TF-IDF over canonical, stemmed words (the matcher of the first version).

Each topic is one TF-IDF vector built from its title, example questions, keywords (weighted) and
the words of its answer (lightly weighted); a message is a TF-IDF vector too, and its words that
the base has never seen keep their (high) weight, so off-topic text stays far from every topic
instead of matching on one common word. A near-duplicate of one example question gets a bonus,
and long messages are also scored sentence by sentence, so a question buried in a story still
wins. Precise on clear English; blind to other languages and to heavy misspelling, which the
character and encoder signals cover (`bot/matching/matcher.py` combines them).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from bot.kb.loader import KnowledgeBase
from bot.matching.lexicon import STOP_WORDS
from bot.matching.normalize import sentences, stem, words


@dataclass(frozen=True)
class Tuning:
    """The knobs of the word signal; defaults are the values fitted by leave-one-out."""

    w_question: float = 0.0
    w_topic: float = 1.0
    w_fuzzy: float = 0.0
    near_duplicate: float = 0.8
    """A message this close (cosine) to one example question gets the excess as a bonus: asking
    a known question almost word for word deserves confidence, whatever the topic's breadth."""
    keyword_weight: float = 3.0
    answer_weight: float = 0.3
    typo_min_length: int = 5
    typo_cutoff: float = 82.0
    long_message_tokens: int = 14


Vector = dict[str, float]


def _tf(toks: Iterable[str]) -> Counter[str]:
    return Counter(toks)


def _norm(vec: Vector) -> Vector:
    length = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / length for k, v in vec.items()} if length else {}


@lru_cache(maxsize=4096)
def _kb_words(text: str) -> tuple[str, ...]:
    """Words of one knowledge text (cached: an index is rebuilt from the same texts, by
    `/reload` and by the fit's leave-one-out; messages never pass through here)."""
    return tuple(words(text))


@lru_cache(maxsize=4096)
def _kb_tokens(text: str) -> tuple[str, ...]:
    """Tokens of one knowledge text, as `tokens` gives them (cached as `_kb_words`)."""
    return tuple(stem(w) for w in _kb_words(text) if w not in STOP_WORDS)


Arrays = dict[str, tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]]
Floats = npt.NDArray[np.float64]


def _as_arrays(postings: dict[str, list[tuple[int, float]]]) -> Arrays:
    """Each term's postings as (rows, weights) arrays: a query gathers them, not a Python loop
    over the hundreds of examples a common word appears in."""
    return {
        term: (np.array([r for r, _ in rows], dtype=np.intp), np.array([w for _, w in rows]))
        for term, rows in postings.items()
    }


def _dot(query: Vector, arrays: Arrays, n_rows: int) -> npt.NDArray[np.float64]:
    """Cosine of the (normalised) query with every row of one postings table."""
    found = [(w, arrays[t]) for t, w in query.items() if t in arrays]
    if not found:
        return np.zeros(n_rows)
    rows = np.concatenate([r for _, (r, _) in found])
    weights = np.concatenate([w * ws for w, (_, ws) in found])
    summed = np.bincount(rows, weights=weights, minlength=n_rows)
    return np.asarray(summed, dtype=np.float64)  # float64 already (weighted): no copy


class WordIndex:
    """Word TF-IDF over one knowledge base; build once, query many times (no I/O)."""

    def __init__(self, kb: KnowledgeBase, tuning: Tuning | None = None) -> None:
        self.tuning = tuning or Tuning()
        self.topic_ids: list[str] = list(kb.topics)
        docs: list[tuple[int, list[str]]] = []  # one per example question or title
        extras: list[dict[str, float]] = []  # per topic: weighted keyword and answer tokens
        for ti, topic in enumerate(kb.topics.values()):
            docs += [
                (ti, toks)
                for text in (topic.title, *topic.questions)
                if (toks := list(_kb_tokens(text)))
            ]
            extra: dict[str, float] = defaultdict(float)
            for keyword in topic.keywords:
                for tok in _kb_tokens(keyword):
                    extra[tok] += self.tuning.keyword_weight
            if self.tuning.answer_weight:
                for tok in _kb_tokens(f"{topic.short} {topic.answer}"):
                    extra[tok] += self.tuning.answer_weight
            extras.append(extra)
        self._idf, self._idf_unknown = self._document_frequencies(docs, extras)
        self._doc_topic = [ti for ti, _ in docs]
        self._doc_text = [" ".join(toks) for _, toks in docs]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for di, (_, toks) in enumerate(docs):
            for term, w in self._weigh(toks).items():
                postings[term].append((di, w))
        topic_postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        counts_by_topic = [dict(extra) for extra in extras]
        for doc_ti, toks in docs:
            counts = counts_by_topic[doc_ti]
            for tok in toks:
                counts[tok] = counts.get(tok, 0.0) + 1.0
        for ti, counts in enumerate(counts_by_topic):
            vec = _norm({t: math.log1p(c) * self._idf[t] for t, c in counts.items()})
            for term, w in vec.items():
                topic_postings[term].append((ti, w))
        # one table for both: rows past the example questions are topics, so a query gathers
        # and sums once (each row still in the message's term order)
        n_docs = len(docs)
        for term, rows in topic_postings.items():
            postings[term] += [(n_docs + ti, w) for ti, w in rows]
        self._arrays = _as_arrays(postings)
        self._doc_topic_array = np.array(self._doc_topic, dtype=np.intp)
        texts = (
            text
            for topic in kb.topics.values()
            for text in (topic.title, *topic.questions, *topic.keywords)
        )
        self._vocab_words = sorted(
            {w for text in texts for w in _kb_words(text) if w not in STOP_WORDS and len(w) > 3}
        )
        self._vocab_stems = set(self._idf)
        self._vocab_letters = np.array(
            [_letters(w) for w in self._vocab_words], dtype=np.int16
        ).reshape(len(self._vocab_words), len(_ALPHABET) + 1)
        self._vocab_lengths = np.array([len(w) for w in self._vocab_words], dtype=np.int16)
        firsts = np.flatnonzero(np.diff(self._doc_topic_array, prepend=-1))
        self._group_starts: npt.NDArray[np.intp] = firsts.astype(np.intp)
        self._group_topics: npt.NDArray[np.intp] = self._doc_topic_array[firsts]
        """Example questions are grouped by topic (built topic by topic): a topic's best one is
        a `maximum.reduceat` over its group."""

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
        # an insertion or deletion changes one letter count by one, so the letter counts'
        # difference bounds the distance from below: the words it rules out (most) cannot reach
        # the cutoff, and the others keep their order, so the first best word is the same
        bound = np.abs(self._vocab_letters - _letters(word)).sum(axis=1)
        allowed = (1 - self.tuning.typo_cutoff / 100) * (self._vocab_lengths + len(word)) + 1
        within = np.flatnonzero(bound <= allowed)
        best = process.extractOne(
            word,
            [self._vocab_words[i] for i in within],
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
        best_q, topic_scores, ratios = self._components(toks, fuzzy=fuzzy)
        return best_q.tolist(), topic_scores.tolist(), ratios.tolist()

    def _components(self, toks: list[str], *, fuzzy: bool) -> tuple[Floats, Floats, Floats]:
        """`components` as arrays."""
        q = self._weigh(toks)
        n_topics, n_docs = len(self.topic_ids), len(self._doc_topic)
        both = _dot(q, self._arrays, n_docs + n_topics)
        doc_scores, topic_scores = both[:n_docs], both[n_docs:]
        best = np.zeros(n_topics)
        if n_docs:
            best[self._group_topics] = np.maximum(
                np.maximum.reduceat(doc_scores, self._group_starts), 0.0
            )
        ratios = np.zeros(n_topics)
        if fuzzy and doc_scores.any():
            candidates = {int(di): self._doc_text[di] for di in np.flatnonzero(doc_scores)}
            for _, score, di in process.extract(
                " ".join(toks), candidates, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=50
            ):
                ti = self._doc_topic[di]
                ratios[ti] = max(ratios[ti], score / 100)
        return best, topic_scores, ratios

    def _score_tokens(self, toks: list[str]) -> Floats:
        return combine(*self._components(toks, fuzzy=self.tuning.w_fuzzy > 0), self.tuning)

    def scores(self, text: str) -> list[float]:
        """One score per topic (knowledge-base order); long messages keep, per topic, the best
        of the whole message and each of its sentences."""
        out: list[float] = self.read(text)[0].tolist()
        return out

    def read(self, text: str) -> tuple[Floats, float]:
        """`scores` as an array, and `coverage` (the message's tokens read once for both)."""
        toks = self.query_tokens(text)
        if not toks:
            return np.zeros(len(self.topic_ids)), 0.0
        coverage = self._known_share(toks)
        scores = self._score_tokens(toks)
        if len(toks) >= self.tuning.long_message_tokens:
            for sentence in sentences(text):
                part = self.query_tokens(sentence)
                if part and len(part) < len(toks):
                    scores = np.maximum(scores, self._score_tokens(part))
        return scores, coverage

    def coverage(self, text: str) -> float:
        """Share of the message's content words that the base knows (after typo correction)."""
        return self._known_share(self.query_tokens(text))

    def _known_share(self, toks: list[str]) -> float:
        return sum(t in self._vocab_stems for t in toks) / len(toks) if toks else 0.0


def combine(best_q: Floats, topic: Floats, fuzzy: Floats, t: Tuning) -> Floats:
    """One score per topic from the three signals (zero when no word matched at all)."""
    summed = (
        t.w_question * best_q
        + t.w_topic * topic
        + t.w_fuzzy * fuzzy
        + np.maximum(best_q - t.near_duplicate, 0.0)
    )
    out: Floats = np.where((best_q != 0) | (topic != 0), summed, 0.0)
    return out


_ALPHABET = {ch: i for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}


def _letters(word: str) -> list[int]:
    """How often each letter and digit occurs in a word (anything else counts together)."""
    counts = [0] * (len(_ALPHABET) + 1)
    for ch in word:
        counts[_ALPHABET.get(ch, len(_ALPHABET))] += 1
    return counts
