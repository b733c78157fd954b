"""The character signal's table lookups against the cosines written out in Python."""

from __future__ import annotations

import math

import pytest

from bot.matching.chargrams import CharIndex, char_grams

DOCS = [
    (0, "what does trade assurance cover"),
    (0, "is my order protected"),
    (1, "how long does shipping take"),
    (1, "shipping by sea or by air"),
    (2, "open a dispute for damaged goods"),
]


def _vector(text: str, idf: dict[str, float], unknown_idf: float) -> tuple[dict[str, float], float]:
    weights = {g: (1 + math.log(c)) * idf[g] for g, c in char_grams(text).items() if g in idf}
    unknown = sum((1 + math.log(c)) ** 2 for g, c in char_grams(text).items() if g not in idf)
    norm = math.sqrt(sum(w * w for w in weights.values()) + unknown * unknown_idf**2)
    return weights, norm


def _cosine(query: str, doc: str, idf: dict[str, float], unknown_idf: float) -> float:
    q, q_norm = _vector(query, idf, unknown_idf)
    d, d_norm = _vector(doc, idf, 0.0)
    return sum(w * d.get(g, 0.0) for g, w in q.items()) / (q_norm * d_norm) if q else 0.0


@pytest.mark.parametrize(
    "message",
    [
        "tred asurance kover wat",
        "shiping by sea",
        "damaged goods dispute",
        "zzz",
        "",
        "sea " * 1100,
    ],
)
def test_cosines_and_coverage_are_those_written_out(message: str) -> None:
    index = CharIndex(DOCS, 3)
    idf = {g: float(index.idf[i]) for g, i in index.vocab.items()}
    top = float(index.idf.max())
    best, topic, coverage = index.read(message)
    for ti in range(3):
        docs = [text for label, text in DOCS if label == ti]
        want = max(_cosine(message, text, idf, top) for text in docs)
        assert best[ti] == pytest.approx(want, abs=1e-12)
        assert topic[ti] == pytest.approx(_cosine(message, " ".join(docs), idf, top), abs=1e-12)
    assert list(index.best(message)) == list(best)
    assert index.scores(message)[1].tolist() == topic.tolist()
    grams = char_grams(message)
    total = sum(grams.values())
    known = sum(c for g, c in grams.items() if g in index.vocab)
    assert coverage == index.coverage(message) == (known / total if total else 0.0)
