"""The matcher's decisions, on a small synthetic base and on the real one, and its stages.

Method-level checks: what each signal is for (typos, unknown words, other languages through the
encoder), how the stages hand over, and the product on our own phrasings (not the dev sets).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.answering import Advisor
from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.models import SourceRef, Topic
from bot.matching.encoder import Vectors
from bot.matching.matcher import Matcher, Model, shipped_model

SRC = (SourceRef(seed="000_x.txt", section="s"),)
OFFTOPIC = Path(__file__).resolve().parents[2] / "bench" / "data" / "offtopic.yaml"


def topic(tid: str, questions: list[str], keywords: Sequence[str] = ()) -> Topic:
    return Topic(
        id=tid,
        title=tid.replace("-", " "),
        short="A short answer long enough for validation.",
        answer="A full answer long enough to pass the validation rules.",
        questions=tuple(questions),
        keywords=tuple(keywords),
        sources=SRC,
    )


class FakeEncoder:
    """Vectors by theme word (in any language): enough to tell whether, and when, the matcher
    asks the encoder, and that its similarities carry a message no word signal can read."""

    name = "fake-encoder"
    THEMES = (("sea", "мор", "mar", "boat"), ("air", "avion", "самол", "plane"), ("carton", "caja"))

    def __init__(self) -> None:
        self.calls: list[str] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls += texts
        rows = []
        for text in texts:
            v = np.full(len(self.THEMES) + 1, 0.05, dtype=np.float32)
            for i, words in enumerate(self.THEMES):
                v[i] += sum(w in text.lower() for w in words)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed(texts)


def tiny_kb() -> KnowledgeBase:
    topics = [
        topic(
            "ocean-freight",
            ["how long does sea freight take", "container shipping by sea", "ship by boat"],
            ["vessel", "container"],
        ),
        topic(
            "air-freight",
            ["how fast is air cargo", "flight cargo price", "send by plane"],
            ["airplane", "air"],
        ),
        topic(
            "packing",
            ["how should cartons be packed", "carton labels and packing", "pallet wrapping"],
            ["carton", "pallet"],
        ),
    ]
    return KnowledgeBase(topics={t.id: t for t in topics})


@pytest.fixture(scope="module")
def tiny() -> Matcher:
    return Matcher(tiny_kb(), encoder=None)


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor(load_knowledge())


def test_confident_answer_on_a_clear_question(tiny: Matcher) -> None:
    m = tiny.match("how should my cartons be packed?")
    assert (m.kind, m.topic_id, m.lang) == ("answer", "packing", "en")
    assert 0 < m.score <= 1


def test_typo_is_corrected_towards_known_words(tiny: Matcher) -> None:
    assert tiny.match("how shuold my cartns be packd").topic_id == "packing"


def test_no_answer_on_unknown_words_and_small_talk(tiny: Matcher) -> None:
    assert tiny.match("what is the capital of peru").kind == "none"
    for talk in ("hello!!", "😀😀😀", ""):
        m = tiny.match(talk)
        assert (m.kind, m.reason) == ("none", "small-talk")


def test_other_marketplaces_are_declined_with_their_reason(advisor: Advisor) -> None:
    for text in ("amazon denied my A-to-z claim, what now", "my aliexpress parcel never came"):
        m = advisor.reply(text).match
        assert (m.kind, m.reason) == ("none", "other-platform"), m


def _unsure_model(floor: float) -> Model:
    """The shipped coefficients, with every threshold above any confidence: nothing answered."""
    model = shipped_model()
    strict = {
        name: dataclasses.replace(getattr(model, name), threshold=1.01)
        for name in ("lexical", "full")
    }
    return dataclasses.replace(model, **strict, foreign=None, gate=1.0, suggest_floor=floor)


def test_a_close_guess_offers_its_topics_and_a_far_one_does_not() -> None:
    kb = tiny_kb()
    close = Matcher(kb, encoder=None, model=_unsure_model(floor=0.0))
    m = close.match("how should my cartons be packed?")
    assert (m.kind, m.topic_id, m.reason) == ("none", None, "close")
    assert m.alternatives[0][0] == "packing"  # offered, never answered
    far = Matcher(kb, encoder=None, model=_unsure_model(floor=1.0))
    assert far.match("how should my cartons be packed?").reason == "unsure"
    other = close.match("my aliexpress cartons never came")
    assert other.reason == "other-platform"  # another marketplace gets its pointer, not topics


def test_the_advisor_offers_a_close_guess_as_suggestions_without_an_answer() -> None:
    kb = tiny_kb()
    advisor = Advisor(kb, Matcher(kb, encoder=None, model=_unsure_model(floor=0.0)))
    reply = advisor.reply("how should my cartons be packed?")
    assert reply.topic is None and not reply.answered
    assert reply.suggestions[0].id == "packing"


def test_an_unsure_ranker_answers_a_request_to_pay_outside_with_that_topic() -> None:
    kb = load_knowledge()
    advisor = Advisor(kb, Matcher(kb, encoder=None, model=_unsure_model(floor=1.0)))
    text = "the factory's manager wants the balance sent to his brother's account, 3% cheaper"
    reply = advisor.reply(text)
    assert reply.off_platform and (reply.match.kind, reply.match.reason) == ("answer", None)
    assert reply.topic is not None and reply.topic.id == "off-platform-payment"
    assert reply.warning is None and not reply.suggestions  # the answer is the warning
    quiet = advisor.reply("the factory's manager sent the invoice, when is the balance due?")
    assert not quiet.off_platform and quiet.topic is None  # no request read: still unsure
    other = advisor.reply("my aliexpress seller wants me to pay him by western union instead")
    assert other.off_platform and other.match.reason == "other-platform"
    assert other.topic is None and other.warning is not None  # that marketplace's pointer


def test_a_close_guess_stays_offered_beside_the_off_platform_answer() -> None:
    kb = load_knowledge()
    advisor = Advisor(kb, Matcher(kb, encoder=None, model=_unsure_model(floor=0.0)))
    text = (
        "the goods are 3 weeks late and I want to open a dispute, "
        "and the seller says next time I should pay him by western union"
    )
    reply = advisor.reply(text)
    assert reply.match.kind == "suggest" and reply.topic is not None
    assert reply.topic.id == "off-platform-payment"
    offered = {t.id for t in reply.suggestions}
    assert offered and "off-platform-payment" not in offered


def test_the_encoder_is_asked_only_when_the_lexical_stage_is_not_sure() -> None:
    fake = FakeEncoder()
    matcher = Matcher(tiny_kb(), encoder=fake)
    fake.calls.clear()
    matcher.match("how should my cartons be packed and labelled?")
    assert fake.calls == []  # clear English: words and n-grams decide alone
    matcher.match("сколько идёт море до Одессы?")
    assert len(fake.calls) == 1  # another language: the encoder joins


def test_encoder_similarity_ranks_a_message_no_word_signal_can_read() -> None:
    matcher = Matcher(tiny_kb(), encoder=FakeEncoder())
    assert matcher.rank("сколько идёт морем")[0][0] == "ocean-freight"
    assert matcher.match("сколько идёт морем").lang == "ru"


def test_a_missing_encoder_leaves_the_word_and_character_signals_working() -> None:
    matcher = Matcher(tiny_kb(), encoder=None)
    assert matcher.match("how fast is air cargo to lagos").topic_id == "air-freight"


# Our own phrasings (not the dev set): paraphrases, typos, abbreviations, long stories.
REAL = [
    ("is TA the same as alibaba payment protection?", "what-is-trade-assurance"),
    ("supplier asks me to send money with WU, he gives discount", "off-platform-payment"),
    ("i want to pay by visa card is my order still protected", "payment-methods"),
    ("order value 120k, coverage of supplier only 50k what happens to the rest", "coverage-limit"),
    ("do i have to pay anything extra to use trade assurance as a buyer", "cost-and-fees"),
    ("how many days after delivery can i still open a disput", "claim-window"),
    ("how to open dispute on my order, where do i click", "dispute-process"),
    (
        "my boxes arrived crushed, the carrier was careless. can trade assurance pay?",
        "shipping-damage",
    ),
    ("should i book SGS inspection before the supplier ships", "third-party-inspection"),
    (
        "supplier talks to me only on wechat, is that ok for evidence",
        "keep-communication-on-platform",
    ),
    (
        "Hello sir, I am new in import business from Nigeria. I ordered 500 pieces of bags and "
        "paid through alibaba. The contract says shipping on 1 March but today is 20 March and "
        "supplier still did not ship. What can I do now?",
        ("late-shipment", "non-delivery", "after-a-problem"),
    ),
]


def test_real_base_answers_new_phrasings(advisor: Advisor) -> None:
    # a fitted decision, not a rule per message: all but one answered, none with a wrong topic
    # (the story of bags not shipped 20 days after the date ranks its three acceptable topics
    # first but is declined: docs/matching.md, where the misses are)
    right, wrong = [], []
    for question, expected in REAL:
        allowed = (expected,) if isinstance(expected, str) else expected
        reply = advisor.reply(question)
        if reply.topic is not None:
            (right if reply.topic.id in allowed else wrong).append((question, reply.match))
    assert not wrong, wrong
    assert len(right) >= len(REAL) - 1, [q for q, _ in REAL if q not in {r for r, _ in right}]


def test_real_base_abstains_on_our_offtopic_set(advisor: Advisor) -> None:
    items = yaml.safe_load(OFFTOPIC.read_text())["questions"]
    answered = [i["q"] for i in items if advisor.reply(i["q"]).topic is not None]
    # fitted with these messages, among others: 33 of 35 declined (94% cross-validated;
    # docs/matching.md)
    assert len(answered) <= len(items) // 7, answered


def test_off_platform_warning_is_attached_to_other_answers(advisor: Advisor) -> None:
    text = (
        "how many days do I have to open a dispute after the goods arrive? "
        "the seller also wants the next order paid by western union"
    )
    reply = advisor.reply(text)
    assert reply.topic is not None and reply.topic.id == "claim-window"
    assert reply.off_platform and reply.match.off_platform
    assert reply.warning is not None and reply.warning.id == "off-platform-payment"
    own = advisor.reply("can i pay by western union")
    assert own.topic is not None and own.topic.id == "off-platform-payment"
    assert own.warning is None  # the answer is the warning itself


def test_typo_correction_is_the_first_best_word_of_the_whole_vocabulary(tiny: Matcher) -> None:
    """The letter-count bound only skips words that cannot reach the cutoff."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    index = tiny.words
    vocab = index._vocab_words
    typos = [w[:i] + w[i + 1 :] for w in vocab for i in range(len(w))]
    typos += [w[::-1] for w in vocab] + [w + "s" for w in vocab] + ["packd", "shuold", "xqzvw"]
    for word in typos:
        found = process.extractOne(
            word, vocab, scorer=Indel.normalized_similarity, score_cutoff=0.82
        )
        want = word if len(word) < 5 else (found[0] if found else word)
        assert index._correct(word) == want, word
