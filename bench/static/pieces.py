"""The SentencePiece-unigram tokenizer of multilingual-e5-small (XLM-RoBERTa's), over a subset
of its pieces.

The static encoder (`static_encoder.py`) looks each piece of a message up in a table, so it
must cut text the way its teacher does: the model's character normalisation, a word marker
before every word, then the most probable cut into known pieces (Viterbi over the pieces'
log-probabilities). Cutting with only the pieces the table holds means every piece of a
message has a vector; a character no piece covers is skipped. No piece of this vocabulary
spans a word boundary, so each word is cut alone and cached.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

WORD_MARK = "\u2581"
"""SentencePiece's metaspace: the start of a word inside a piece."""

UNKNOWN = -1
_SPACES = re.compile(" {2,}")


class PieceTokenizer:
    """Text to piece ids, the teacher's way, over `pieces` (id = position)."""

    def __init__(
        self, pieces: Sequence[str], scores: Sequence[float], normalise: Mapping[int, str]
    ) -> None:
        self.pieces = list(pieces)
        self._ids = {p: i for i, p in enumerate(self.pieces) if p}
        self._scores = [float(s) for s in scores]
        self._normalise = dict(normalise)
        self._longest = max((len(p) for p in self.pieces), default=1)
        self._unknown = min(self._scores, default=0.0) - 10.0
        self.word_ids = lru_cache(maxsize=32768)(self._word_ids)

    def normalised(self, text: str) -> str:
        """The model's per-character normalisation, runs of spaces collapsed, a word mark
        before every word."""
        table = self._normalise
        text = "".join(table.get(ord(c), c) for c in text)
        text = _SPACES.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", WORD_MARK)

    def words(self, text: str) -> list[str]:
        """The normalised text cut before every word mark."""
        return [WORD_MARK + w for w in self.normalised(text).split(WORD_MARK)[1:] if w]

    def ids(self, text: str) -> list[int]:
        """Piece ids of the text, in order; characters no piece covers are left out."""
        out: list[int] = []
        for word in self.words(text):
            out.extend(self.word_ids(word))
        return out

    def _word_ids(self, word: str) -> tuple[int, ...]:
        """The most probable cut of one word (Viterbi); an uncovered character costs more than
        any piece and is dropped."""
        n = len(word)
        best = [float("-inf")] * (n + 1)
        back = [0] * (n + 1)
        piece = [UNKNOWN] * (n + 1)
        best[0] = 0.0
        ids, scores, longest = self._ids, self._scores, self._longest
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                pid = ids.get(word[i:end])
                if pid is not None and here + scores[pid] > best[end]:
                    best[end], back[end], piece[end] = here + scores[pid], i, pid
            if here + self._unknown > best[i + 1]:
                best[i + 1], back[i + 1], piece[i + 1] = here + self._unknown, i, UNKNOWN
        out: list[int] = []
        i = n
        while i > 0:
            if piece[i] != UNKNOWN:
                out.append(piece[i])
            i = back[i]
        return tuple(reversed(out))
