"""Example questions in Russian, Spanish and Portuguese, and messages too long or too repetitive
to read whole.

The examples are knowledge, not test data: they must name real topics, read as the language
they claim, and never be lines of the evaluation sets (which would only inflate the figures).
A long message is read through a bounded window; a flood of repetition skips the encoder.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.translations import Translations
from bot.matching.examples import (
    EXAMPLE_LANGUAGES,
    load_examples,
    load_outside,
    read_examples,
    read_outside,
    siblings,
    translated_documents,
    translated_shorts,
    without_example,
)
from bot.matching.indexes import example_index
from bot.matching.language import detect_language
from bot.matching.matcher import Matcher
from bot.matching.normalize import LEXICAL_CHARS, MAX_CHARS, focus, is_flood
from tests.matching.test_matcher import FakeEncoder, tiny_kb

ROOT = Path(__file__).resolve().parents[2]
EVAL_SETS = [
    ROOT / "bench" / "data" / "heldout.yaml",
    ROOT / "bench" / "data" / "heldout-multilingual.yaml",
    *sorted((ROOT.parent / "shared" / "eval").glob("questions*.yaml")),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_every_topic_has_examples_in_each_language(kb: KnowledgeBase) -> None:
    examples = load_examples(kb)
    assert set(examples) == set(kb.topics)
    for tid, rows in examples.items():
        for lang in EXAMPLE_LANGUAGES:
            assert sum(1 for code, _ in rows if code == lang) >= 3, (tid, lang)


def test_examples_read_as_their_language(kb: KnowledgeBase) -> None:
    rows = [row for rows in load_examples(kb).values() for row in rows]
    wrong = [(lang, q) for lang, q in rows if detect_language(q) != lang]
    assert len(wrong) <= len(rows) // 20, wrong  # short questions: a few read as a neighbour


def test_examples_in_every_language_are_not_lines_of_any_evaluation_set(kb: KnowledgeBase) -> None:
    messages = [
        str(row["q"]).lower()
        for path in EVAL_SETS
        if path.exists()
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    ]
    assert messages
    english = [q for topic in kb.topics.values() for q in topic.questions]
    other = [q for rows in load_examples(kb).values() for _, q in rows]
    outside = [q for _, q in load_outside(kb)]
    for q in (*english, *other, *outside):
        close = [m for m in messages if fuzz.ratio(q.lower(), m) >= 80]
        assert not close, (q, close)


def test_messages_from_outside_the_subject_read_as_their_language(kb: KnowledgeBase) -> None:
    outside = load_outside(kb)
    assert {lang for lang, _ in outside} == {"en", *EXAMPLE_LANGUAGES}
    wrong = [(lang, q) for lang, q in outside if detect_language(q) != lang]
    assert len(wrong) <= len(outside) // 10, wrong  # emoji and one-word greetings read as English


def test_a_message_is_measured_against_each_message_from_outside_the_subject(
    tmp_path: Path,
) -> None:
    (tmp_path / "outside.yaml").write_text(
        "en: [how do i reset my alibaba password, what is the capital of peru]\n"
        "es: [cómo reclamo en mercado libre]\n",
        encoding="utf-8",
    )
    outside = read_outside(tmp_path / "outside.yaml")
    assert [lang for lang, _ in outside] == ["en", "en", "es"]
    matcher = Matcher(tiny_kb(), encoder=FakeEncoder(), outside=outside)
    sig = matcher.signals("how can i reset the password of my alibaba account", encode=True)
    assert sig.outside_char.shape == (3,) and int(sig.outside_char.argmax()) == 0
    assert sig.outside_enc is not None and sig.outside_enc.shape == (3,)
    bare = Matcher(tiny_kb(), encoder=None, outside=())
    assert bare.signals("reset my password", encode=False).outside_char.shape == (0,)


def test_outside_file_must_map_languages_to_lists(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("en: just one string\n", encoding="utf-8")
    with pytest.raises(ValueError, match="languages mapping to lists"):
        read_outside(tmp_path / "outside.yaml")


def test_examples_of_unknown_topics_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "ru.yaml").write_text(
        "packing: [как упаковать коробки]\ngone: [тема удалена]\n", encoding="utf-8"
    )
    examples = read_examples(tmp_path, {"packing"})
    assert examples == {"packing": (("ru", "как упаковать коробки"),)}


def test_examples_are_read_through_the_glossary_and_only_for_other_languages(
    kb: KnowledgeBase,
) -> None:
    examples = {"dispute-process": (("es", "cómo abrir una disputa"),)}
    assert "spute" in example_index(kb, examples).vocab  # "disputa" read as "dispute"
    matcher = Matcher(kb, encoder=None, examples=examples)
    at = matcher.topic_ids.index("dispute-process")
    english = Matcher(kb, encoder=None, examples={})
    assert matcher.signals("cómo abrir una disputa", encode=False).char_best[at] > 0.99
    same = "how do i open a dispute"
    assert (
        matcher.signals(same, encode=False).char_best.tolist()
        == english.signals(same, encode=False).char_best.tolist()
    )


def test_leave_one_out_drops_an_example_with_its_translations() -> None:
    examples = {
        "t": (("ru", "р0"), ("ru", "р1"), ("es", "e0"), ("es", "e1"), ("pt", "p0"), ("pt", "p1"))
    }
    assert siblings(examples, "t", 3) == (1, 3, 5)
    assert without_example(examples, "t", 0)["t"] == (("ru", "р1"), ("es", "e1"), ("pt", "p1"))


def test_the_examples_bring_a_russian_message_closer_to_its_topic(kb: KnowledgeBase) -> None:
    english_only = dataclasses.replace(kb, translations=Translations())
    with_examples = Matcher(english_only, encoder=None)
    without = Matcher(english_only, encoder=None, examples={})
    text = "продавец хочет чтобы я подтвердил получение до проверки товара"
    at = with_examples.topic_ids.index("confirm-receipt")
    near = with_examples.signals(text, encode=False).char_best
    far = without.signals(text, encode=False).char_best
    assert near[at] > far[at] + 0.05


# -- the translated knowledge base as documents --------------------------------------------


def test_every_topic_is_read_in_each_translated_language(kb: KnowledgeBase) -> None:
    docs = translated_documents(kb)
    for lang in EXAMPLE_LANGUAGES:
        assert {tid for tid, code, _ in docs if code == lang} == set(kb.topics), lang
        assert all(translated_shorts(kb, lang)), lang
    assert all("<" not in text for _, _, text in docs)  # plain text, no markup


def test_the_translations_bring_a_message_in_their_language_to_its_topic(
    kb: KnowledgeBase,
) -> None:
    english_only = dataclasses.replace(kb, translations=Translations())
    with_translations = Matcher(kb, encoder=None, examples={})
    without = Matcher(english_only, encoder=None, examples={})
    text = "срок открытия спора после доставки"
    at = with_translations.topic_ids.index("claim-window")
    near = with_translations.signals(text, encode=False).char_best
    far = without.signals(text, encode=False).char_best
    assert near[at] > far[at] + 0.05
    same = "how many days do i have to open a dispute"
    assert (
        with_translations.signals(same, encode=False).char_best.tolist()
        == without.signals(same, encode=False).char_best.tolist()
    )


# -- long and hostile messages ------------------------------------------------------------


def test_a_message_that_fits_is_read_whole() -> None:
    text = "my supplier is late.\nCan I open a dispute?"
    assert focus(text, LEXICAL_CHARS) == text


def test_a_long_story_keeps_its_question_within_the_budget() -> None:
    story = " ".join(
        f"On day {n} the factory sent photo number {n} of the line." for n in range(40)
    )
    text = story + " Can I still open a dispute after 40 days? " + story[:500]
    kept = focus(text, LEXICAL_CHARS)
    assert len(kept) <= LEXICAL_CHARS
    assert "Can I still open a dispute after 40 days?" in kept
    assert not is_flood(text, kept)


@pytest.mark.parametrize("unit", ["k", "e1", "1,", "ab ", "USD 1 ", "? ", "😀", "обман "])
def test_a_flood_is_read_as_almost_nothing_and_skips_the_encoder(unit: str) -> None:
    text = (unit * MAX_CHARS)[:MAX_CHARS]
    kept = focus(text, LEXICAL_CHARS)
    assert len(kept) < 40
    assert is_flood(text, kept)
    fake = FakeEncoder()
    matcher = Matcher(tiny_kb(), encoder=fake)
    fake.calls.clear()
    matcher.match(text)
    assert fake.calls == []


def test_a_word_longer_than_any_language_has_is_skipped() -> None:
    assert focus("refund " + "x" * 200 + " please", LEXICAL_CHARS) == "refund please"


def test_messages_not_in_english_are_decided_by_their_own_stage() -> None:
    from bot.matching.matcher import MODEL_FILE, Model

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    model = Model.from_json(data)
    assert model.full_for("en") is model.full
    if model.foreign is not None:
        assert model.full_for("es") is model.foreign
    without = Model.from_json({k: v for k, v in data.items() if k != "foreign"})
    assert without.full_for("ru") is without.full


def test_the_stage_fitted_with_translations_decides_only_translated_languages() -> None:
    from bot.matching.matcher import MODEL_FILE, Model

    model = Model.from_json(json.loads(MODEL_FILE.read_text()))
    assert model.foreign is not None
    translated = frozenset({"ru", "es", "pt"})
    assert model.full_for("es", translated) is model.foreign
    assert model.full_for("id", translated) is model.full  # no translated signals to weigh
    assert model.full_for("en", translated) is model.full
