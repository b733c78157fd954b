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


Postings = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Floats]


class CharIndex:
    """Sparse TF-IDF (sublinear tf, smoothed idf, L2-normalised rows) over labelled documents.

    Built with array operations over (row, n-gram, count) triples: the start-up cost is
    counting n-grams, not a Python loop per posting."""

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
        self.n_topics = n_topics
        self.doc_topic = np.array([label for label, _ in docs], dtype=np.intp)
        self._doc_cols = self._columns(rows, cols, counts, n)
        # a topic's vector counts every n-gram of all its texts
        key = self.doc_topic[rows] * len(self.vocab) + cols
        keys, summed = np.unique(key, return_inverse=True)
        topic_counts: Floats = np.bincount(summed, weights=counts).astype(np.float64)
        width = max(1, len(self.vocab))
        self._topic_cols = self._columns(keys // width, keys % width, topic_counts, n_topics)

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

    def _columns(
        self,
        rows: npt.NDArray[np.intp],
        cols: npt.NDArray[np.intp],
        counts: Floats,
        n_rows: int,
    ) -> Postings:
        """Column-compressed (per n-gram) postings of the normalised row vectors."""
        weights = (1 + np.log(counts)) * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_rows))
        norms[norms == 0] = 1.0
        weights = weights / norms[rows]
        order = np.argsort(cols, kind="stable")
        indptr = np.zeros(len(self.vocab) + 1, dtype=np.intp)
        indptr[1:] = np.cumsum(np.bincount(cols, minlength=len(self.vocab)))
        return indptr, rows[order].astype(np.intp), weights[order]

    def _cosines(
        self,
        query: tuple[npt.NDArray[np.intp], Floats],
        matrix: Postings,
        n_rows: int,
    ) -> Floats:
        cols, weights = query
        indptr, rows_idx, data = matrix
        if not len(cols):
            return np.zeros(n_rows)
        starts, ends = indptr[cols], indptr[cols + 1]
        lengths = ends - starts
        take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        out: Floats = np.bincount(
            rows_idx[take], weights=data[take] * np.repeat(weights, lengths), minlength=n_rows
        ).astype(np.float64)
        return out

    def _query(self, text: str) -> tuple[npt.NDArray[np.intp], Floats]:
        grams = char_grams(text)
        known = [(self.vocab[g], c) for g, c in grams.items() if g in self.vocab]
        unknown_mass = sum((1 + math.log(c)) ** 2 for g, c in grams.items() if g not in self.vocab)
        if not known:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        cols = np.array([k for k, _ in known], dtype=np.intp)
        weights = np.array([1 + math.log(c) for _, c in known]) * self.idf[cols]
        # n-grams the base never saw count in the norm at the highest idf: a message made of
        # unknown text stays far from every topic instead of matching on one shared piece
        norm = math.sqrt(float(weights @ weights) + unknown_mass * float(self.idf.max()) ** 2)
        return cols, weights / norm

    def scores(self, text: str) -> tuple[Floats, Floats]:
        """Per topic: best example cosine, whole-topic cosine."""
        query = self._query(text)
        doc = self._cosines(query, self._doc_cols, len(self.doc_topic))
        best = np.zeros(self.n_topics)
        np.maximum.at(best, self.doc_topic, doc)
        topic = self._cosines(query, self._topic_cols, self.n_topics)
        return best, topic

    def coverage(self, text: str) -> float:
        """Share of the message's n-grams that the base has seen (how much of it we speak)."""
        grams = char_grams(text)
        total = sum(grams.values())
        return sum(c for g, c in grams.items() if g in self.vocab) / total if total else 0.0
