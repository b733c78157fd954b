"""Character n-gram TF-IDF: the signal that survives misspellings, pidgin and run-together words.

"tred asurance kover wat" shares almost no word with "what does trade assurance cover", but it
shares many 3- to 5-letter pieces. Each example question (and title, and keyword list) is a
sparse TF-IDF vector of the n-grams inside its padded words; a message is scored against every
example by cosine, and each topic keeps its best example and its whole-topic cosine. The index is
a column-compressed matrix in NumPy, so a query costs a gather and a bincount, not a Python loop
over postings.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat

import numpy as np
import numpy.typing as npt

from bot.matching.normalize import MAX_CHARS

Floats = npt.NDArray[np.float64]

_WORD = re.compile(r"[^\W_]+")
N_MIN, N_MAX = 3, 5


@lru_cache(maxsize=16)
def char_grams(text: str) -> Counter[str]:
    """n-grams (3 to 5 characters) of each word padded with spaces, as scikit-learn's char_wb
    (cached for the few texts in hand: three indexes and a coverage read each message; callers
    must not modify the result)."""
    folded = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower().replace("'", "")
    grams: Counter[str] = Counter()
    for word in _WORD.findall(folded):
        grams.update(_word_grams(word))
    return grams


@lru_cache(maxsize=8192)
def _word_grams(word: str) -> tuple[str, ...]:
    """One word's n-grams (words repeat across texts and messages: computed once each)."""
    padded = f" {word} "
    return tuple(
        padded[i : i + n] for n in range(N_MIN, N_MAX + 1) for i in range(len(padded) - n + 1)
    )


_TF_TABLE_SIZE = 1024
_LOG_TF: Floats = np.array([0.0] + [1 + math.log(c) for c in range(1, _TF_TABLE_SIZE)])
"""`1 + log(count)` for the counts a message's n-grams have, computed once (with `math.log`,
as the former per-n-gram loop did: the same weights, bit for bit)."""
_LOG_TF_SQUARED: Floats = np.array(
    [0.0] + [(1 + math.log(c)) ** 2 for c in range(1, _TF_TABLE_SIZE)]
)


def _log_tf(counts: npt.NDArray[np.intp]) -> tuple[Floats, Floats]:
    """`1 + log(c)` and its square per count (a count past the table, from a long text that
    repeats one word, computed alone)."""
    if not len(counts) or int(counts.max()) < _TF_TABLE_SIZE:
        return _LOG_TF[counts], _LOG_TF_SQUARED[counts]
    tf = [1 + math.log(c) for c in counts.tolist()]
    return np.array(tf), np.array([(1 + math.log(c)) ** 2 for c in counts.tolist()])


Query = tuple[npt.NDArray[np.intp], Floats]
"""A message as the index reads it: the columns of its known n-grams and their weights."""


class CharIndex:
    """Sparse TF-IDF (sublinear tf, smoothed idf, L2-normalised rows) over labelled documents.

    Built with array operations over (row, n-gram, count) triples: the start-up cost is
    counting n-grams, not a Python loop per posting. Documents and topics share one
    column-compressed table (rows past the documents are topics; in each column the
    documents' postings come first), so a message costs one gather and one bincount for both,
    each row still summed in the message's n-gram order."""

    def __init__(self, docs: Sequence[tuple[int, str]], n_topics: int) -> None:
        counted = [char_grams(text) for _, text in docs]
        self.vocab: dict[str, int] = {}
        for grams in counted:
            for g in grams:
                self.vocab.setdefault(g, len(self.vocab))
        rows, cols, counts = self._triples(counted)
        n = len(counted)
        df = np.bincount(cols, minlength=len(self.vocab))
        self.idf: Floats = np.log((n + 1) / (df + 1)) + 1.0
        self._idf_max_squared = float(self.idf.max()) ** 2 if len(self.idf) else 0.0
        self.n_topics = n_topics
        self.doc_topic = np.array([label for label, _ in docs], dtype=np.intp)
        doc_weights = self._normalised(rows, cols, counts, n)
        # a topic's vector counts every n-gram of all its texts
        key = self.doc_topic[rows] * len(self.vocab) + cols
        keys, summed = np.unique(key, return_inverse=True)
        topic_counts: Floats = np.bincount(summed, weights=counts).astype(np.float64)
        width = max(1, len(self.vocab))
        topic_rows, topic_cols = keys // width, keys % width
        topic_weights = self._normalised(topic_rows, topic_cols, topic_counts, n_topics)
        all_rows = np.concatenate([rows, topic_rows + n]).astype(np.intp)
        all_cols = np.concatenate([cols, topic_cols]).astype(np.intp)
        order = np.argsort(all_cols, kind="stable")
        self._indptr = np.zeros(len(self.vocab) + 1, dtype=np.intp)
        self._indptr[1:] = np.cumsum(np.bincount(all_cols, minlength=len(self.vocab)))
        self._doc_end: npt.NDArray[np.intp] = self._indptr[:-1] + np.bincount(
            cols, minlength=len(self.vocab)
        )
        """Per column, where its documents' postings end and its topics' begin."""
        self._rows = all_rows[order]
        self._data: Floats = np.concatenate([doc_weights, topic_weights])[order]
        by_topic = np.argsort(self.doc_topic, kind="stable")
        sorted_topics = self.doc_topic[by_topic]
        firsts = np.flatnonzero(np.diff(sorted_topics, prepend=-1)) if n else by_topic
        self._by_topic: npt.NDArray[np.intp] = by_topic
        self._group_starts: npt.NDArray[np.intp] = firsts.astype(np.intp)
        self._group_topics: npt.NDArray[np.intp] = sorted_topics[firsts]
        """A topic's best document is a `maximum.reduceat` over its documents' rows."""

    def _triples(
        self, counted: Sequence[Counter[str]]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Floats]:
        """(row, column, count) of every n-gram of every row."""
        vocab = self.vocab
        sizes = [len(g) for g in counted]
        rows = np.repeat(np.arange(len(counted), dtype=np.intp), sizes)
        cols = np.fromiter((vocab[g] for grams in counted for g in grams), np.intp, sum(sizes))
        counts = np.fromiter((c for grams in counted for c in grams.values()), np.float64)
        return rows, cols, counts

    def _normalised(
        self,
        rows: npt.NDArray[np.intp],
        cols: npt.NDArray[np.intp],
        counts: Floats,
        n_rows: int,
    ) -> Floats:
        """Each triple's weight in its L2-normalised row vector."""
        weights = (1 + np.log(counts)) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_rows))
        norms[norms == 0] = 1.0
        out: Floats = weights / norms[rows]
        return out

    def _read(self, text: str, *, coverage: bool = True) -> tuple[Query, float]:
        """The message's query and (with `coverage`, else 0) the share of its n-grams that the
        base has seen."""
        grams = char_grams(text)
        ids = np.fromiter(map(self.vocab.get, grams, repeat(-1)), np.intp, len(grams))
        counts = np.fromiter(grams.values(), np.intp, len(grams))
        known = ids >= 0
        seen = 0.0
        if coverage and (total := int(counts.sum())):
            seen = int(counts[known].sum()) / total
        cols = ids[known]
        if not len(cols):
            return (np.zeros(0, dtype=np.intp), np.zeros(0)), seen
        tf, tf_squared = _log_tf(counts)
        weights = tf[known] * self.idf[cols]
        unknown = tf_squared[~known]
        # summed in order (as `sum` did), not pairwise
        unknown_mass = float(np.cumsum(unknown)[-1]) if len(unknown) else 0
        # n-grams the base never saw count in the norm at the highest idf: a message made of
        # unknown text stays far from every topic instead of matching on one shared piece
        norm = math.sqrt(float(weights @ weights) + unknown_mass * self._idf_max_squared)
        return (cols, weights / norm), seen

    def _cosines(self, query: Query, *, topics: bool) -> Floats:
        """Cosine with every document, then (with `topics`) with every topic."""
        cols, weights = query
        n_rows = len(self.doc_topic) + (self.n_topics if topics else 0)
        if not len(cols):
            return np.zeros(n_rows)
        starts = self._indptr[cols]
        lengths = (self._indptr[1:] if topics else self._doc_end)[cols] - starts
        # each column's postings are one slice: their positions, gathered in the query's order
        take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        take += np.arange(len(take))
        summed = np.bincount(
            self._rows[take],
            weights=self._data[take] * np.repeat(weights, lengths),
            minlength=n_rows,
        )
        return np.asarray(summed, dtype=np.float64)  # float64 already (weighted): no copy

    def _best(self, doc: Floats) -> Floats:
        """Per topic, its best document's cosine (0 without one)."""
        best = np.zeros(self.n_topics)
        if len(doc):
            best[self._group_topics] = np.maximum(
                np.maximum.reduceat(doc[self._by_topic], self._group_starts), 0.0
            )
        return best

    def read(self, text: str) -> tuple[Floats, Floats, float]:
        """Per topic: best example cosine, whole-topic cosine; and the message's coverage
        (`scores` and `coverage` at once, the message's n-grams looked up once)."""
        query, coverage = self._read(text)
        both = self._cosines(query, topics=True)
        n_docs = len(self.doc_topic)
        return self._best(both[:n_docs]), both[n_docs:], coverage

    def best(self, text: str) -> Floats:
        """Per topic, the best example cosine alone (`scores`' first half, for less)."""
        query, _ = self._read(text, coverage=False)
        return self._best(self._cosines(query, topics=False))

    def scores(self, text: str) -> tuple[Floats, Floats]:
        """Per topic: best example cosine, whole-topic cosine."""
        best, topic, _ = self.read(text)
        return best, topic

    def coverage(self, text: str) -> float:
        """Share of the message's n-grams that the base has seen (how much of it we speak)."""
        return self._read(text)[1]
