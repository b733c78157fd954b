"""The lexical indexes shipped with the package: loaded only for exactly the text (and code) they
were built from, identical in use to indexes built at start-up, and fresh for the shipped base."""

from __future__ import annotations

from pathlib import Path

from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.matching import indexes
from bot.matching.examples import NO_EXAMPLES, load_examples, load_outside
from bot.matching.words import Tuning
from tests.matching.test_matcher import tiny_kb

OUTSIDE = (("en", "who won the football match yesterday"),)


def _with_question(kb: KnowledgeBase, tid: str, question: str) -> KnowledgeBase:
    topic = kb.topics[tid]
    edited = topic.model_copy(update={"questions": (*topic.questions, question)})
    return KnowledgeBase(topics={**kb.topics, tid: edited})


def test_saved_indexes_load_for_the_same_text_and_score_alike(tmp_path: Path) -> None:
    kb, path = tiny_kb(), tmp_path / "indexes.bin"
    indexes.save(kb, Tuning(), NO_EXAMPLES, OUTSIDE, path)
    assert indexes.is_fresh(kb, Tuning(), NO_EXAMPLES, OUTSIDE, path)
    loaded = indexes.load(kb, Tuning(), NO_EXAMPLES, OUTSIDE, path)
    built = indexes.build(kb, Tuning(), NO_EXAMPLES, OUTSIDE)
    message = "how long by ship in a contaner"
    assert loaded.words.scores(message) == built.words.scores(message)
    for got, want in zip(loaded.chars.scores(message), built.chars.scores(message), strict=True):
        assert got.tolist() == want.tolist()
    assert loaded.outside_chars.vocab == built.outside_chars.vocab


def test_an_edited_base_or_other_tuning_is_built_afresh_not_loaded_stale(tmp_path: Path) -> None:
    kb, path = tiny_kb(), tmp_path / "indexes.bin"
    indexes.save(kb, Tuning(), NO_EXAMPLES, OUTSIDE, path)
    edited = _with_question(kb, "packing", "do you wrap pallets in film")
    assert not indexes.is_fresh(edited, Tuning(), NO_EXAMPLES, OUTSIDE, path)
    assert not indexes.is_fresh(kb, Tuning(keyword_weight=1.0), NO_EXAMPLES, OUTSIDE, path)
    assert not indexes.is_fresh(kb, Tuning(), NO_EXAMPLES, (), path)
    fresh = indexes.load(edited, Tuning(), NO_EXAMPLES, OUTSIDE, path)
    assert "film" in fresh.chars.vocab or " fi" in fresh.chars.vocab


def test_a_missing_or_damaged_file_means_building_not_failing(tmp_path: Path) -> None:
    kb, damaged = tiny_kb(), tmp_path / "damaged.bin"
    damaged.write_bytes(b"not an index")
    for path in (damaged, tmp_path / "missing.bin"):
        assert not indexes.is_fresh(kb, Tuning(), NO_EXAMPLES, OUTSIDE, path)
        got = indexes.load(kb, Tuning(), NO_EXAMPLES, OUTSIDE, path)
        assert got.words.scores("ship by boat") == indexes.build(
            kb, Tuning(), NO_EXAMPLES, OUTSIDE
        ).words.scores("ship by boat")


def test_the_shipped_indexes_are_fresh_for_the_knowledge_text() -> None:
    kb = load_knowledge()
    fresh = indexes.is_fresh(kb, Tuning(), load_examples(kb), load_outside(kb))
    assert fresh, "run `python -m bot.matching.embeddings` (it rebuilds the lexical indexes too)"
