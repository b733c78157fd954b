"""The matcher's three decisions, on a small synthetic base and on the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answering import Advisor
from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.models import SourceRef, Topic
from bot.matching.matcher import Matcher, Tuning, decide

SRC = (SourceRef(seed="000_x.txt", section="s"),)
OFFTOPIC = Path(__file__).resolve().parents[2] / "bench" / "data" / "offtopic.yaml"


def topic(tid: str, questions: list[str], keywords: list[str] = ()) -> Topic:  # type: ignore[assignment]
    return Topic(
        id=tid,
        title=tid.replace("-", " "),
        short="A short answer long enough for validation.",
        answer="A full answer long enough to pass the validation rules.",
        questions=tuple(questions),
        keywords=tuple(keywords),
        sources=SRC,
    )


@pytest.fixture(scope="module")
def tiny() -> Matcher:
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
    return Matcher(KnowledgeBase(topics={t.id: t for t in topics}))


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor(load_knowledge())


def test_confident_answer_on_a_clear_question(tiny: Matcher) -> None:
    m = tiny.match("how should my cartons be packed?")
    assert (m.kind, m.topic_id) == ("answer", "packing")
    assert m.score >= tiny.tuning.answer_threshold


def test_typo_is_corrected_towards_known_words(tiny: Matcher) -> None:
    assert tiny.match("how shuold my cartns be packd").topic_id == "packing"


def test_no_answer_on_unknown_words_and_small_talk(tiny: Matcher) -> None:
    assert tiny.match("what is the capital of peru").kind == "none"
    assert tiny.match("hello!!").kind == "none"
    assert tiny.match("😀😀😀").kind == "none"
    assert tiny.match("").kind == "none"


def test_decide_suggests_when_the_top_two_are_close() -> None:
    t = Tuning()
    close = decide([("a", 0.40), ("b", 0.38), ("c", 0.10)], t)
    assert close.kind == "suggest"
    assert close.topic_id == "a"
    assert [c for c, _ in close.alternatives] == ["b"]
    clear = decide([("a", 0.40), ("b", 0.20)], t)
    assert (clear.kind, clear.topic_id) == ("answer", "a")
    weak = decide([("a", t.answer_threshold - 0.01)], t)
    assert (weak.kind, weak.topic_id) == ("none", None)
    assert decide([], t).kind == "none"


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
        "late-shipment",
    ),
]


@pytest.mark.parametrize(("question", "expected"), REAL)
def test_real_base_answers_new_phrasings(advisor: Advisor, question: str, expected: str) -> None:
    reply = advisor.reply(question)
    assert reply.topic is not None and reply.topic.id == expected, reply.match


def test_real_base_abstains_on_our_offtopic_set(advisor: Advisor) -> None:
    items = yaml.safe_load(OFFTOPIC.read_text())["questions"]
    answered = [i["q"] for i in items if advisor.reply(i["q"]).topic is not None]
    assert len(answered) <= len(items) // 10, answered


def test_off_platform_warning_is_attached_to_other_answers(advisor: Advisor) -> None:
    text = (
        "my order is 3 weeks late and I want to open a dispute, what evidence do I need? "
        "the seller says next time I should pay him by western union"
    )
    reply = advisor.reply(text)
    assert reply.topic is not None and reply.topic.id != "off-platform-payment"
    assert reply.warning is not None and reply.warning.id == "off-platform-payment"
    own = advisor.reply("can i pay by western union")
    assert own.topic is not None and own.topic.id == "off-platform-payment"
    assert own.warning is None  # the answer is the warning itself
