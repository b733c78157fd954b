"""The callback-data codec: strict, total and compact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dialogue.questions import DONE, DONT_KNOW, FACT_NAMES, QUESTIONS
from bot.kb import load_knowledge
from bot.telegram import callbacks as cb
from bot.telegram.callbacks import MAX_BYTES, SCREENS, Callback, Op, decode, encode

TOPIC_IDS = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)
OWNERS = st.integers(min_value=1, max_value=10**15)


@st.composite
def valid_callbacks(draw: st.DrawFn) -> Callback:
    op = draw(st.sampled_from(list(Op)))
    topic = draw(TOPIC_IDS)
    flag = draw(st.sampled_from(["0", "1"]))
    args: dict[Op, tuple[str, ...]] = {
        Op.TOPIC: (topic,),
        Op.TOPICS: (str(draw(st.integers(0, 999))),),
        Op.FEEDBACK: (topic, flag),
        Op.CHECK: (),
        Op.ANSWER: (
            draw(st.sampled_from(FACT_NAMES)),
            draw(st.from_regex(r"[a-z0-9_]{1,20}", fullmatch=True)),
        ),
        Op.BACK: (draw(st.sampled_from(sorted(SCREENS))),),
        Op.CANCEL: (),
        Op.EDIT: (draw(st.sampled_from(FACT_NAMES)),),
        Op.CONFIRM: (),
        Op.REMIND: (str(draw(st.integers(1, 10**17))),),
        Op.FORGET: (flag,),
        Op.FULL: (topic,),
        Op.SETTINGS: (flag,),
        Op.MORE: (topic, flag),
        Op.TERMS: (topic,),
        Op.TERM: (topic,),
    }
    owner = draw(OWNERS) if op in (Op.FULL, Op.SETTINGS) else None
    return Callback(op, args[op], owner)


@given(valid_callbacks())
def test_round_trip_and_size(press: Callback) -> None:
    data = encode(press)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == press


@given(st.one_of(st.text(max_size=80), st.binary(max_size=80), st.none(), st.integers()))
def test_decode_never_raises(data: object) -> None:
    result = decode(data)
    assert result is None or encode(result) == data


@given(st.text(alphabet="1:abcefgkorstxpw_-0123456789", max_size=40))
def test_decode_accepts_only_what_encode_produces(data: str) -> None:
    result = decode(data)
    if result is not None:
        assert encode(result) == data


@pytest.mark.parametrize(
    "data",
    [
        "",
        "1",
        "1:",
        "2:c",
        "1:zz",
        "1:c:extra",
        "1:t:Not-Kebab",
        "1:t:a--b",
        "1:a:not_a_fact:yes",
        "1:a:paid_via:" + "x" * 40,
        "1:g:0:what-is-covered",  # owner 0
        "1:g:what-is-covered",  # owner missing
        "1:s:12:2",
        "1:r:0",
        "1:tp:0012",
        "1:b",  # Back must name its screen
        "1:b:nowhere",
        "1:c\n",
        "1:t:é",
    ],
)
def test_malformed_data_is_refused(data: str) -> None:
    assert decode(data) is None


def test_encode_refuses_what_would_not_decode() -> None:
    with pytest.raises(ValueError):
        encode(Callback(Op.TOPIC, ("x" * 70,)))
    with pytest.raises(ValueError):
        encode(Callback(Op.FULL, ("what-is-covered",)))  # owner required
    with pytest.raises(ValueError):
        encode(Callback(Op.CHECK, (), owner=5))
    with pytest.raises(ValueError):
        encode(Callback(Op.ANSWER, ("paid_via", "Bad Value")))


def test_every_real_button_fits() -> None:
    """Every topic and every option of every question encodes, with the largest owner id."""
    kb = load_knowledge()
    big_owner = 10**15
    for topic_id in kb.topics:
        for data in (
            cb.topic(topic_id),
            cb.feedback(topic_id, True),
            cb.full_answer(big_owner, topic_id),
        ):
            assert decode(data) is not None
    for question in QUESTIONS.values():
        for value in [o.value for o in question.options] + [DONE, DONT_KNOW]:
            assert decode(cb.answer(question.fact, value)) is not None
        assert decode(cb.back(question.fact)) is not None
