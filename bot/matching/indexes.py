"""The lexical indexes of a knowledge base: built from its text, or loaded when the build step
shipped them for exactly this text and code.

Building the word and character indexes of the shipped base stems words and counts n-grams in
Python, most of a second of every start-up. `python -m bot.matching.embeddings` also writes them
beside the embeddings. The file is keyed by a hash of every input text, the word signal's tuning
and the source of the modules that build and read them: an edited base or changed code builds
afresh (as a test's own base or the fit's leave-one-out always do) instead of loading a stale
index, and `--check` and a test report a stale file. It is a pickle because the indexes are
Python dictionaries and NumPy arrays; it is only ever read from the package's own directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType

from bot.kb.loader import KnowledgeBase
from bot.matching import chargrams, glossary, lexicon, normalize
from bot.matching import words as word_signal
from bot.matching.chargrams import CharIndex
from bot.matching.examples import Examples, Outside, translated_documents
from bot.matching.glossary import to_english
from bot.matching.words import Tuning, WordIndex

log = logging.getLogger(__name__)

FILE = Path(__file__).with_name("kb_indexes.bin")
_CODE: tuple[ModuleType, ...] = (chargrams, glossary, lexicon, normalize, word_signal)
"""Modules whose source decides what an index holds (this one is added: it chooses the
documents)."""


@dataclass(frozen=True)
class LexicalIndexes:
    """What the matcher's word and character signals read."""

    words: WordIndex
    chars: CharIndex
    """English: titles, example questions and keyword lists."""
    example_chars: CharIndex
    """Other languages: their examples and translated topic text, read through the glossary."""
    outside_chars: CharIndex
    """One "topic" per message from outside the base's subject."""


def char_documents(kb: KnowledgeBase) -> list[tuple[int, str]]:
    """(topic number, text) the English character index holds: titles, example questions,
    keywords."""
    return [
        (ti, text)
        for ti, topic in enumerate(kb.topics.values())
        for text in (topic.title, *topic.questions, " ".join(topic.keywords))
        if text
    ]


def _example_sources(kb: KnowledgeBase, examples: Examples) -> list[tuple[int, str, str]]:
    """(topic number, language, text) of the examples in other languages and of each translated
    title and sentence of the lead and short answer (`examples.translated_documents`)."""
    index = {tid: ti for ti, tid in enumerate(kb.topics)}
    out = [(ti, lang, q) for ti, tid in enumerate(kb.topics) for lang, q in examples.get(tid, ())]
    return out + [(index[tid], lang, t) for tid, lang, t in translated_documents(kb)]


def example_index(kb: KnowledgeBase, examples: Examples) -> CharIndex:
    """The character index of the other languages, each text read through the glossary as a
    message in its language is read."""
    docs = [(ti, to_english(t, lang)) for ti, lang, t in _example_sources(kb, examples)]
    return CharIndex(docs, len(kb.topics))


def outside_index(outside: Outside) -> CharIndex:
    """The character index of the messages from outside the subject, one row each."""
    return CharIndex(
        [(i, to_english(q, lang)) for i, (lang, q) in enumerate(outside)], len(outside)
    )


def build(
    kb: KnowledgeBase, tuning: Tuning, examples: Examples, outside: Outside
) -> LexicalIndexes:
    """Every lexical index, from the text."""
    return LexicalIndexes(
        words=WordIndex(kb, tuning),
        chars=CharIndex(char_documents(kb), len(kb.topics)),
        example_chars=example_index(kb, examples),
        outside_chars=outside_index(outside),
    )


def key(kb: KnowledgeBase, tuning: Tuning, examples: Examples, outside: Outside) -> str:
    """A hash of everything the indexes are built from."""
    h = hashlib.sha256()
    for source in (*(Path(m.__file__ or "") for m in _CODE), Path(__file__)):
        h.update(source.read_bytes())
    topics = [
        (tid, t.title, t.questions, t.keywords, t.short, t.answer) for tid, t in kb.topics.items()
    ]
    inputs = [topics, asdict(tuning), _example_sources(kb, examples), outside]
    h.update(json.dumps(inputs, ensure_ascii=False, default=list).encode())
    return h.hexdigest()


def load(
    kb: KnowledgeBase, tuning: Tuning, examples: Examples, outside: Outside, path: Path = FILE
) -> LexicalIndexes:
    """The shipped indexes when they were built from exactly these inputs, else built now."""
    if (shipped := _read(path, key(kb, tuning, examples, outside))) is not None:
        return shipped
    log.debug("no shipped lexical indexes for this knowledge base; building them")
    return build(kb, tuning, examples, outside)


def is_fresh(
    kb: KnowledgeBase, tuning: Tuning, examples: Examples, outside: Outside, path: Path = FILE
) -> bool:
    """Whether the file holds the indexes of exactly these inputs (its key line alone is read:
    a test's base and each leave-one-out rebuild miss without unpacking the indexes)."""
    try:
        with path.open("rb") as f:
            shipped = f.readline().rstrip(b"\n").decode("ascii", "replace")
    except OSError:
        return False
    return shipped == key(kb, tuning, examples, outside)


def save(
    kb: KnowledgeBase, tuning: Tuning, examples: Examples, outside: Outside, path: Path = FILE
) -> None:
    """Build the indexes and write them after their key line (compressed: a third of the
    size)."""
    payload = pickle.dumps(build(kb, tuning, examples, outside), pickle.HIGHEST_PROTOCOL)
    path.write_bytes(
        key(kb, tuning, examples, outside).encode() + b"\n" + zlib.compress(payload, 6)
    )


def _read(path: Path, wanted: str) -> LexicalIndexes | None:
    """The indexes after the file's key line when that key is `wanted`; None otherwise or
    when unreadable (an index from another version of a class it pickles included)."""
    try:
        shipped, _, packed = path.read_bytes().partition(b"\n")
        if shipped.decode("ascii", "replace") != wanted:
            return None
        found = pickle.loads(zlib.decompress(packed))  # our own file, see above
    except (OSError, zlib.error, pickle.UnpicklingError, AttributeError, ImportError) as exc:
        log.debug("shipped lexical indexes unreadable at %s: %s", path, exc)
        return None
    return found if isinstance(found, LexicalIndexes) else None
