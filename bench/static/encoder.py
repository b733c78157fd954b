"""A static embedding distilled from multilingual-e5-small: the trial of issue #10's "static
embedding distilled for this domain" (docs/matching.md has its figures; the product keeps e5).

A message's vector is the sum of its pieces' vectors (`pieces.py` cuts it the teacher's way),
normalised. Each piece's vector was first the teacher's embedding of that piece alone, then
fitted so that the sums over thousands of this domain's sentences, in English, Russian, Spanish
and Portuguese, land where the teacher puts those sentences (`distill.py`). Frequent pieces
weigh less (their weight is folded into the vectors). It costs a table lookup per piece
instead of a transformer pass: tens of microseconds per message instead of tens of
milliseconds, and about 12 MB of memory instead of the teacher's 95 MB model. It implements
the matcher's `Encoder` interface, so `bench/tune_matcher.py --encoder static` measures the
whole product with it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.static.pieces import PieceTokenizer
from bot.matching.encoder import Vectors

FILE = Path(__file__).resolve().parents[1] / ".cache" / "static" / "static_e5.npz"
"""Written by `python -m bench.static.distill` (not committed: 13 MB, rebuilt from the teacher)."""


class StaticEncoder:
    """Piece vectors (int8, a scale per piece) and the tokenizer that reads them."""

    def __init__(self, path: Path = FILE) -> None:
        raw = path.read_bytes()
        with np.load(io.BytesIO(raw)) as data:  # read once: hashed and parsed
            pieces = str(data["pieces"]).split("\n")
            normal_from = data["normal_from"].tolist()
            normal_to = str(data["normal_to"]).split("\n")
            self._vectors = data["vectors"]
            self._scale = data["scale"].astype(np.float32)
            scores = data["scores"].tolist()
        normalise = dict(zip(normal_from, normal_to, strict=True))
        self.tokenizer = PieceTokenizer(pieces, scores, normalise)
        self.dim = int(self._vectors.shape[1])
        self.name = f"static-e5-{hashlib.sha1(raw).hexdigest()[:12]}"

    def vector(self, text: str) -> Vectors:
        """One text's unit vector (zeros when no piece of it is known)."""
        ids = self.tokenizer.ids(text.lower())
        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        rows = self._vectors[ids].astype(np.float32) * self._scale[ids, None]
        total = rows.sum(axis=0)
        norm = float(np.linalg.norm(total))
        out: Vectors = total / norm if norm else total
        return out

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One unit row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vector(t) for t in texts])

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """The same as `embed`: a static embedding has no query/passage prefixes."""
        return self.embed(texts)
