"""A topic classifier over the encoder's vectors, trained on the base's own texts.

Comparing a message with each topic's two closest examples uses a few texts per topic; a
multinomial logistic regression fitted on all of them (the English examples, the examples and
titles in other languages, and the messages from outside the subject as one more class) learns
which directions of the embedding tell topics apart, and ranks real messages better (see
`docs/matching.md`). It is trained at build time with the embeddings table
(`python -m bot.matching.embeddings`) and shipped beside it; a classifier trained for other
texts is refused and retrained at start-up (and logged), so an edited base keeps working.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

FILE = Path(__file__).with_name("kb_classifier.npz")
OUTSIDE = ""
"""The label of the messages from outside the base's subject."""
SCALE = 10.0
"""Cosine vectors are short: scaled, the same L2 penalty leaves the classes room to differ."""
L2 = 1e-3
EPOCHS = 300
RATE = 0.5

Floats = npt.NDArray[np.float64]


def training_key(labels: Sequence[str], texts: Sequence[str], encoder_name: str) -> str:
    """What a classifier was trained on: the encoder, every label and text, the settings."""
    h = hashlib.sha1(f"{encoder_name}\n{SCALE}\n{L2}\n{EPOCHS}\n{RATE}".encode())
    for label, text in zip(labels, texts, strict=True):
        h.update(f"{label}\t{text}\n".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Classifier:
    """Weights of one trained classifier; `classes` in column order."""

    weights: Floats
    bias: Floats
    classes: tuple[str, ...]
    key: str = ""

    def log_probs(self, vector: npt.NDArray[np.floating]) -> Floats:
        """Log-probability of each class for one encoder vector."""
        z = (vector.astype(np.float64) * SCALE) @ self.weights + self.bias
        z -= z.max()
        out: Floats = z - np.log(np.exp(z).sum())
        return out

    def save(self, path: Path = FILE) -> None:
        """Write the weights (float32: the same rankings, half the size)."""
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            classes=np.array(self.classes),
            key=np.array(self.key),
        )

    @classmethod
    def load(cls, path: Path = FILE) -> Classifier | None:
        """The shipped classifier, or None when the file is missing or unreadable."""
        try:
            with np.load(path) as data:
                return cls(
                    data["weights"].astype(np.float64),
                    data["bias"].astype(np.float64),
                    tuple(str(c) for c in data["classes"]),
                    str(data["key"]),
                )
        except (OSError, KeyError, ValueError) as exc:
            log.warning("no shipped topic classifier at %s: %s", path, exc)
            return None


def train(
    vectors: npt.NDArray[np.floating], labels: Sequence[str], classes: Sequence[str], key: str = ""
) -> Classifier:
    """Multinomial logistic regression, full-batch gradient descent (deterministic)."""
    index = {c: i for i, c in enumerate(classes)}
    x = vectors.astype(np.float64) * SCALE
    y = np.zeros((len(labels), len(classes)))
    y[np.arange(len(labels)), [index[label] for label in labels]] = 1.0
    weights = np.zeros((x.shape[1], len(classes)))
    bias = np.zeros(len(classes))
    for _ in range(EPOCHS):
        z = x @ weights + bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = p - y
        weights -= RATE * (x.T @ grad / len(x) + L2 * weights)
        bias -= RATE * grad.mean(axis=0)
    return Classifier(weights, bias, tuple(classes), key)
