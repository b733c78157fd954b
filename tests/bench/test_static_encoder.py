"""The static encoder trial (`bench/static`): it cuts text as its teacher's tokenizer does,
sums its pieces' vectors, never fails on text it has no pieces for, and its distillation's
parts (sentence splitting, the ridge fit, the teacher's vocabulary file) do what they say."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from bench.static.distill import Design, fit, sentences, teacher_vocabulary
from bench.static.encoder import StaticEncoder
from bench.static.pieces import WORD_MARK, PieceTokenizer


def test_the_most_probable_cut_wins() -> None:
    pieces = ["", f"{WORD_MARK}refund", f"{WORD_MARK}re", "fund", "f", "u", "n", "d"]
    scores = [0.0, -2.0, -3.0, -3.0, -8.0, -8.0, -8.0, -8.0]
    tokenizer = PieceTokenizer(pieces, scores, {})
    assert tokenizer.ids("refund") == [1]
    assert tokenizer.ids("  refund   refund ") == [1, 1]
    assert tokenizer.ids("fun") == [4, 5, 6]  # no "▁f": the word mark is left uncovered


def test_the_teachers_normalisation_applies_before_cutting() -> None:
    tokenizer = PieceTokenizer(["", f"{WORD_MARK}ab"], [0.0, -1.0], {ord("\t"): " ", 0xFF41: "a"})
    assert tokenizer.ids("\tａb") == [1]


def _table(path: Path) -> Path:
    """A tiny static encoder: three words, two directions."""
    pieces = [f"{WORD_MARK}refund", f"{WORD_MARK}возврат", f"{WORD_MARK}ship", "s"]
    vectors = np.array([[100, 0], [90, 10], [0, 100], [0, 0]], dtype=np.int8)
    np.savez(
        path,
        pieces=np.array("\n".join(pieces)),
        scores=np.array([-5.0, -6.0, -5.0, -2.0], dtype=np.float32),
        normal_from=np.array([9], dtype=np.uint32),
        normal_to=np.array(" "),
        vectors=vectors,
        scale=np.array([0.01, 0.01, 0.01, 0.01], dtype=np.float32),
    )
    return path


def test_a_text_is_the_normalised_sum_of_its_pieces(tmp_path: Path) -> None:
    encoder = StaticEncoder(_table(tmp_path / "t.npz"))
    refund, russian, ships, both = encoder.embed(["Refund", "возврат", "ships", "refund\tship"])
    assert np.allclose(refund, [1.0, 0.0])
    assert float(refund @ russian) > 0.99 and float(refund @ ships) < 0.01
    assert np.allclose(both, np.array([1.0, 1.0]) / np.sqrt(2))


def test_text_without_known_pieces_is_a_zero_vector(tmp_path: Path) -> None:
    encoder = StaticEncoder(_table(tmp_path / "t.npz"))
    assert not encoder.embed(["🪔✨"]).any()
    assert encoder.embed([]).shape == (0, 2)


def test_its_name_changes_with_its_file(tmp_path: Path) -> None:
    first = StaticEncoder(_table(tmp_path / "a.npz"))
    assert StaticEncoder(_table(tmp_path / "b.npz")).name == first.name
    with np.load(tmp_path / "a.npz") as data:
        arrays = dict(data)
    arrays["scale"] = arrays["scale"] * 2
    np.savez(tmp_path / "c.npz", **arrays)
    assert StaticEncoder(tmp_path / "c.npz").name != first.name


def test_knowledge_lines_become_sentences_without_markup_or_list_marks() -> None:
    line = "1. <b>Do not confirm receipt.</b> Confirming releases the money: too early. Ok."
    assert sentences(line) == ["Do not confirm receipt.", "Confirming releases the money:"]


def test_the_fit_solves_the_ridge_problem() -> None:
    rng = np.random.default_rng(3)
    dense = rng.random((12, 5)) * (rng.random((12, 5)) > 0.5)
    rows, cols = np.nonzero(dense)
    a = Design(rows, cols, dense[rows, cols], dense.shape)
    target = rng.standard_normal((12, 3))
    start = rng.standard_normal((5, 3))
    got = fit(a, target, start, ridge=0.5, iterations=50)
    guess = dense @ start
    scaled = start * float((guess * target).sum() / (guess * guess).sum())
    want = scaled + np.linalg.solve(
        dense.T @ dense + 0.5 * np.eye(5), dense.T @ (target - dense @ scaled)
    )
    assert np.allclose(got, want, atol=1e-6)


def test_the_teachers_vocabulary_is_read_from_its_model_file(tmp_path: Path) -> None:
    pieces = [b"<s>", b"<pad>", b"</s>", b"<unk>", "\u2581да".encode()]
    blob = b"".join(pieces)
    offsets = np.cumsum([0] + [len(p) for p in pieces]).astype("<u4")
    header = b"E5S1" + struct.pack("<I7ifi", 1, 384, 12, 12, 1536, 5, 512, 1, 1e-12, 32)
    header += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob))
    scores = np.array([0, 0, 0, 0, -4.5], dtype="<f4")
    normal = struct.pack("<IB1I", 0x3000, 1, 0x20)
    body = offsets.tobytes() + scores.tobytes() + blob + struct.pack("<iI", 1, len(normal)) + normal
    path = tmp_path / "model.bin"
    path.write_bytes(header + body)
    vocab = teacher_vocabulary(path)
    assert vocab.pieces == ["", "", "", "", "\u2581да"]
    assert vocab.scores[4] == pytest.approx(-4.5)
    assert vocab.normalise == {0x3000: " "}
