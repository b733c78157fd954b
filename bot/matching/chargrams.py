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

import numpy as np
import numpy.typing as npt

from bot.matching.normalize import MAX_CHARS

Floats = npt.NDArray[np.float64]

_WORD = re.compile(r"[^\W_]+")
N_MIN, N_MAX = 3, 5


def char_grams(text: str) -> Counter[str]:
    """n-grams (3 to 5 characters) of each word padded with spaces, as scikit-learn's char_wb."""
    folded = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower().replace("'", "")
    grams: Counter[str] = Counter()
    for word in _WORD.findall(folded):
        padded = f" {word} "
        for n in range(N_MIN, N_MAX + 1):
            for i in range(len(padded) - n + 1):
                grams[padded[i : i + n]] += 1
    return grams


class CharIndex:
    """Sparse TF-IDF (sublinear tf, smoothed idf, L2-normalised rows) over labelled documents."""

    def __init__(self, docs: Sequence[tuple[int, str]], n_topics: int) -> None:
        counted = [(label, char_grams(text)) for label, text in docs]
        df: Counter[str] = Counter()
        for _, grams in counted:
            df.update(grams.keys())
        n = len(counted)
        self.vocab = {g: i for i, g in enumerate(df)}
        self.idf = np.array([math.log((n + 1) / (df[g] + 1)) + 1.0 for g in df])
        self.n_topics = n_topics
        self.doc_topic = np.array([label for label, _ in counted], dtype=np.intp)
        self._doc_cols = self._columns([grams for _, grams in counted])
        topic_grams: list[Counter[str]] = [Counter() for _ in range(n_topics)]
        for label, grams in counted:
            topic_grams[label].update(grams)
        self._topic_cols = self._columns(topic_grams)

    def _columns(
        self, rows: Sequence[Counter[str]]
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Floats]:
        """Column-compressed (per n-gram) postings of the normalised row vectors."""
        cols: list[list[tuple[int, float]]] = [[] for _ in self.vocab]
        for r, grams in enumerate(rows):
            weights = {
                self.vocab[g]: (1 + math.log(c)) * self.idf[self.vocab[g]] for g, c in grams.items()
            }
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for col, w in weights.items():
                cols[col].append((r, w / norm))
        indptr = np.zeros(len(cols) + 1, dtype=np.intp)
        indptr[1:] = np.cumsum([len(c) for c in cols])
        rows_idx = np.array([r for c in cols for r, _ in c], dtype=np.intp)
        data = np.array([w for c in cols for _, w in c], dtype=np.float64)
        return indptr, rows_idx, data

    def _cosines(
        self,
        query: tuple[npt.NDArray[np.intp], Floats],
        matrix: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Floats],
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
