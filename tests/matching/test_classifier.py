"""The topic classifier over encoder vectors: it learns the base's classes, survives a round
trip through its file, is retrained when the base's texts change, and is what the shipped
table was built with."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.kb.loader import load_knowledge
from bot.matching import classifier
from bot.matching.embeddings import classifier_documents, stale_texts
from bot.matching.matcher import Matcher, shared_encoder
from tests.matching.test_matcher import FakeEncoder, tiny_kb


def _blobs(seed: int = 1) -> tuple[np.ndarray, list[str]]:
    """Three classes around three unit directions, with noise."""
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:3]
    rows, labels = [], []
    for name, centre in zip(("a", "b", classifier.OUTSIDE), centres, strict=True):
        for _ in range(20):
            v = centre + 0.3 * rng.standard_normal(8)
            rows.append(v / np.linalg.norm(v))
            labels.append(name)
    return np.array(rows, dtype=np.float32), labels


def test_it_learns_classes_it_was_shown_and_names_outside_messages() -> None:
    x, labels = _blobs()
    clf = classifier.train(x, labels, ["a", "b", classifier.OUTSIDE])
    test, truth = _blobs(seed=2)
    predicted = [clf.classes[int(np.argmax(clf.log_probs(v)))] for v in test]
    assert sum(p == t for p, t in zip(predicted, truth, strict=True)) >= 55
    assert np.isclose(np.exp(clf.log_probs(test[0])).sum(), 1.0)


def test_round_trip_through_its_file(tmp_path: Path) -> None:
    x, labels = _blobs()
    clf = classifier.train(x, labels, ["a", "b", classifier.OUTSIDE], key="k1")
    clf.save(tmp_path / "c.npz")
    back = classifier.Classifier.load(tmp_path / "c.npz")
    assert back is not None and back.classes == clf.classes and back.key == "k1"
    assert np.allclose(back.log_probs(x[0]), clf.log_probs(x[0]), atol=1e-3)
    assert classifier.Classifier.load(tmp_path / "missing.npz") is None


def test_a_base_with_other_texts_gets_a_classifier_trained_for_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        matcher = Matcher(tiny_kb(), encoder=FakeEncoder(), outside=())
    assert "training one now" in caplog.text
    assert matcher.classifier is not None
    assert set(matcher.classifier.classes) == set(matcher.topic_ids)  # no outside messages
    sig = matcher.signals("shipping by boat across the sea", encode=True)
    assert sig.enc_clf is not None
    assert matcher.topic_ids[int(np.argmax(sig.enc_clf))] == "ocean-freight"
    assert sig.clf_outside == 0.0


def test_the_shipped_classifier_was_trained_on_the_shipped_texts() -> None:
    kb = load_knowledge()
    labels, texts = classifier_documents(kb)
    shipped = classifier.Classifier.load()
    assert shipped is not None
    assert shipped.classes == (*kb.topics, classifier.OUTSIDE)
    assert len(labels) == len(texts) and classifier.OUTSIDE in labels
    encoder = shared_encoder()
    if encoder is None:
        pytest.skip("no encoder installed")
    assert not [t for t in stale_texts(kb, encoder.name) if t.startswith("(")]
