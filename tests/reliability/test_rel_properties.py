"""Property tests on every parser of user input: nothing raises unexpectedly, nothing hangs.

What the unit suites already cover is not repeated here (see the module docstrings there):
`tokens` and `detects_off_platform` on any text up to 6000/5000 characters
(tests/matching), the date/amount/yes-no/choice parsers on any text up to 80 characters
(tests/dialogue/test_parsers.py), `decode` on any text/bytes (tests/telegram/test_tg_codec.py)
and `assess` on facts built field by field (tests/claims/test_properties.py). This module adds
what they leave open: the matcher itself, inputs as long as a Telegram message and built to
reach the parsers' deeper paths, forged callback data shaped like ours, the pure decision a
decoded press leads to, the facts model fed arbitrary JSON, and stored check states that are
arbitrary text. Every example has a wall-clock guard far above its normal cost (a hang guard,
not a speed target) and no per-example deadline, so a slow CI machine cannot make them flaky.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.answering import Advisor
from bot.claims.assess import assess
from bot.claims.assessment import Assessment, Verdict
from bot.claims.card import render_html
from bot.claims.facts import Evidence, Facts, PaidVia, Problem, Specs
from bot.dialogue import machine
from bot.dialogue.machine import CheckState, StateError
from bot.dialogue.parsers import (
    MAX_AMOUNT,
    ParseError,
    is_unknown,
    parse_amount,
    parse_choice,
    parse_date,
    parse_multi,
    parse_yes_no,
)
from bot.dialogue.questions import DONE, DONT_KNOW, FACT_NAMES, QUESTIONS
from bot.kb import load_knowledge
from bot.matching.matcher import Matcher
from bot.matching.normalize import tokens
from bot.matching.offplatform import detects_off_platform
from bot.telegram import check_flow
from bot.telegram.callbacks import SCREENS, Callback, Op, decode, encode
from bot.telegram.check_flow import Step, step_press, step_text
from bot.telegram.replies import input_problem
from bot.telegram.sending import MAX_CHARS

TODAY = dt.date(2026, 3, 10)
HANG_GUARD_S = 5.0
"""Per example; real costs are milliseconds. Generous so two busy CI cores never trip it."""

# Shared settings: bounded sizes, no per-example deadline (the guard above catches hangs).
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def no_hang(what: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_GUARD_S, f"{what} took {elapsed:.1f}s"


@functools.cache
def _advisor() -> Advisor:
    kb = load_knowledge()
    return Advisor(kb, Matcher(kb))


# --------------------------------------------------------------------------- text strategies

_KB_WORDS = sorted(
    {
        word
        for topic in load_knowledge().topics.values()
        for text in (topic.title, *topic.questions, *topic.keywords)
        for word in text.split()
    }
)
_TRICKY = [
    "$", "€", "¥", "usd", "eur", "k", "m", "%", "1,000", "12.500", "3/4/2026", "2026-02-30",
    "ago", "days", "weeks", "last", "next", "may", "march", "31st", "²", "٣٠٠٠", "１２",
    "western union", "WU", "paypal", "T/T", "not", "don't", "never", "?", "!", "...", "'",
    "\u200f", "\u202e", "\u200d", "﷽", "ǆ", "ﬃ", "\n", "\t", "<b>", "&amp;", "@bot", "/check",
    "مرحبا", "שלום", "😀", "🇨🇳", "\x00", "\ud7ff", "０", "⁹",
]  # fmt: skip
"""Pieces that reach the parsers' special cases: currencies, separators, relative dates,
non-ASCII digits, NFKC expansions (﷽ becomes 18 characters), bidi controls, markup."""

words = st.sampled_from(_KB_WORDS) | st.sampled_from(_TRICKY) | st.text(max_size=12)
sentences = st.lists(words, max_size=60).map(" ".join)
"""Text made of knowledge-base words and tricky pieces: reaches the matcher's ranking,
its typo pass and the parsers' number/date paths, which random characters rarely do."""
long_text = st.text(min_size=0, max_size=MAX_CHARS) | sentences
"""Anything a Telegram message can carry (4096 characters at most)."""
repeated = st.builds(
    lambda piece, n: piece * n,
    st.sampled_from([*_TRICKY, "1", "1,", "1.", "a ", "--", "ab"]),
    st.integers(min_value=1, max_value=800),
)
"""Long runs of one piece: the classic trigger of regex backtracking."""
user_text = long_text | repeated


# --------------------------------------------------------------------------- matcher


@PROPS
@given(text=user_text)
def test_matcher_and_advisor_answer_any_message(text: str) -> None:
    advisor = _advisor()
    with no_hang("Matcher.match"):
        match = advisor.matcher.match(text)
        reply = advisor.reply(text)
    assert match.kind in ("answer", "suggest", "none")
    assert (match.topic_id is None) == (match.kind == "none")
    assert match.topic_id is None or match.topic_id in advisor.kb.topics
    assert all(tid in advisor.kb.topics for tid, _ in match.candidates)
    assert match.score >= 0 and all(score >= 0 for _, score in match.candidates)
    assert reply.match == match  # deterministic
    assert (reply.topic is None) == (match.topic_id is None)


@PROPS
@given(text=user_text)
def test_normaliser_and_detector_on_message_sized_text(text: str) -> None:
    with no_hang("tokens/detects_off_platform"):
        toks = tokens(text)
        warned = detects_off_platform(text)
    assert all(isinstance(t, str) and t and t.isascii() for t in toks)
    assert warned in (True, False)


@PROPS
@given(text=user_text, in_check=st.booleans())
def test_input_problem_is_total(text: str, in_check: bool) -> None:
    problem = input_problem(text, in_check=in_check)
    assert problem is None or (problem and len(problem) < 300)
    if len(text) > MAX_CHARS:
        assert problem is not None


# --------------------------------------------------------------------------- dialogue parsers


def _parse_or_error(parse: Callable[[], Any]) -> Any:
    """The parsed value, or the ParseError; any other exception fails the test."""
    try:
        return parse()
    except ParseError as exc:
        assert exc.message and len(exc.message) <= MAX_CHARS
        assert all(isinstance(s, str) for s in exc.suggestions)
        return exc


@PROPS
@given(
    text=user_text, today=st.dates(dt.date(2001, 1, 1), dt.date(2098, 12, 31)), past=st.booleans()
)
def test_date_parser_on_any_message(text: str, today: dt.date, past: bool) -> None:
    with no_hang("parse_date"):
        got = _parse_or_error(lambda: parse_date(text, today=today, must_not_be_future=past))
    if isinstance(got, dt.date) and past:
        assert got <= today


@PROPS
@given(text=user_text)
def test_amount_parser_on_any_message(text: str) -> None:
    with no_hang("parse_amount"):
        got = _parse_or_error(lambda: parse_amount(text))
    if not isinstance(got, ParseError):
        assert 0 < got.amount <= MAX_AMOUNT


_number_like = st.lists(
    st.sampled_from(["1", "0", "9", ",", ".", " ", "'", "_", "k", "m", "$", "€", "-", "usd"]),
    max_size=200,
).map("".join)


@PROPS
@given(text=_number_like)
def test_amount_parser_on_long_number_like_text(text: str) -> None:
    with no_hang("parse_amount"):
        got = _parse_or_error(lambda: parse_amount(text))
    if not isinstance(got, ParseError):
        assert 0 < got.amount <= MAX_AMOUNT


@PROPS
@given(text=user_text, fact=st.sampled_from(["paid_via", "problem", "evidence"]))
def test_yes_no_choice_and_multi_on_any_message(text: str, fact: str) -> None:
    options = QUESTIONS[fact].options  # type: ignore[index]
    with no_hang("yes/no, choice, multi"):
        assert isinstance(_parse_or_error(lambda: parse_yes_no(text)), bool | ParseError)
        choice = _parse_or_error(lambda: parse_choice(text, options))
        multi = _parse_or_error(lambda: parse_multi(text, options))
        assert is_unknown(text) in (True, False)
    values = {o.value for o in options}
    assert isinstance(choice, ParseError) or choice in values
    assert isinstance(multi, ParseError) or multi <= values


# --------------------------------------------------------------------------- states to test on

_WALK_ARGS = (
    *("alibaba_order", "yes", "no", "late_shipment", "quality_mismatch", "contract"),
    *("tracking", DONE, "western_union", "2026-03-01", "3 days ago", "$3,000", "5000"),
)
_WALK = st.lists(
    st.tuples(
        st.sampled_from(["press", "answer", "unknown", "back", "confirm"]),
        st.sampled_from(_WALK_ARGS),
    ),
    max_size=14,
)


def _walk(actions: list[tuple[str, str]]) -> CheckState:
    """A reachable state: the machine's own transitions from a fresh check."""
    state = machine.start(TODAY)
    for action, arg in actions:
        result: CheckState | ParseError = state
        if action == "press" and state.current is not None:
            result = machine.press(state, state.current, arg)
        elif action == "answer" and state.stage == "asking":
            result = machine.answer(state, arg)
        elif action == "unknown" and state.stage == "asking":
            result = machine.answer_unknown(state)
        elif action == "back":
            result = machine.back(state)
        elif action == "confirm" and state.stage == "review":
            result = machine.confirm(state)[0]
        if isinstance(result, CheckState):
            state = result
    return state


states = _WALK.map(_walk)


@PROPS
@given(state=states, text=user_text)
def test_typed_answer_at_any_point_of_a_check(state: CheckState, text: str) -> None:
    """What the bot does with any text typed mid-check: a new state or a re-ask, no crash."""
    if not check_flow.is_active(state):
        return
    with no_hang("step_text"):
        step = step_text(state, text)
    assert isinstance(step, Step)
    if step.changed:
        assert step.state is not None
        assert CheckState.from_json(step.state.to_json()) == step.state
        check_flow.screen_for(step.state) if check_flow.is_active(step.state) else None
    else:
        assert step.state == state and step.note
        check_flow.screen_for(state, note=step.note, only=step.only)  # the re-ask renders


# --------------------------------------------------------------------------- callback data

_ops = st.sampled_from([op.value for op in Op])
_arg = st.sampled_from(
    ["0", "1", "01", "-1", "999", "1000", "paid_via", "review", "done", "nowhere", "a-b",
     "a--b", "A", "western_union", DONE, DONT_KNOW, "x" * 33, "", " ", "é", "1e3",
     "99999999999999999999", "what-is-covered"]
) | st.text(alphabet="abz019_-:", max_size=10)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(version=st.sampled_from(["1", "2", "0", "01", ""]), op=_ops, args=st.lists(_arg, max_size=4))
def test_forged_data_shaped_like_ours_decodes_strictly(
    version: str, op: str, args: list[str]
) -> None:
    data = ":".join([version, op, *args])
    press = decode(data)
    if press is not None:
        assert encode(press) == data  # only what encode would produce is accepted
        assert version == "1"


_values = st.sampled_from(
    [o.value for q in QUESTIONS.values() for o in q.options] + [DONE, DONT_KNOW, "bogus"]
)
decoded_presses = st.one_of(
    st.builds(lambda f, v: Callback(Op.ANSWER, (f, v)), st.sampled_from(FACT_NAMES), _values),
    st.builds(lambda s: Callback(Op.BACK, (s,)), st.sampled_from(sorted(SCREENS))),
    st.builds(lambda f: Callback(Op.EDIT, (f,)), st.sampled_from(FACT_NAMES)),
    st.sampled_from([Callback(Op.CANCEL), Callback(Op.CONFIRM), Callback(Op.CHECK)]),
).filter(lambda press: decode(encode(press)) == press)


@PROPS
@given(state=st.none() | states, press=decoded_presses)
def test_any_decodable_press_on_any_state_is_a_step(
    state: CheckState | None, press: Callback
) -> None:
    """A forged but well-formed press is applied, refused or expired, never an exception."""
    step = step_press(state, press)
    assert isinstance(step, Step)
    if step.expired or not step.changed:
        assert step.state == state or (state is not None and state.stage == "cancelled")
    if step.assessment is not None:
        assert step.state is not None and step.state.stage == "done"
    if step.state is not None and check_flow.is_active(step.state):
        check_flow.screen_for(step.state)


# --------------------------------------------------------------------------- facts model

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
"""Anything `json.loads` can return (plus NaN and infinities, which Python's json accepts)."""

_field_values: dict[str, st.SearchStrategy[Any]] = {
    "as_of": st.dates().map(str) | st.sampled_from(["2026-02-30", "0000-01-01", "9999-12-31"]),
    "trade_assurance_order": st.sampled_from([True, False, 1, 0, "yes", "false", "2"]),
    "paid_via": st.sampled_from([*PaidVia, "WESTERN_UNION", ""]),
    "problem": st.sampled_from([*Problem, "other "]),
    "specs_in_contract": st.sampled_from([*Specs, "maybe"]),
    "receipt_confirmed": st.booleans(),
    "delivery_date": st.dates().map(str) | st.integers(-(10**12), 10**12),
    "amount_paid": st.floats() | st.integers(-5, 10**30) | st.just("1e308"),
    "coverage_limit": st.floats() | st.integers(-5, 10**30),
    "evidence": st.lists(st.sampled_from([*Evidence, "selfie"]), max_size=8),
}
facts_like = st.fixed_dictionaries(
    {}, optional={name: json_values | strategy for name, strategy in _field_values.items()}
) | st.dictionaries(st.text(max_size=12), json_values, max_size=4)
"""Dicts with the model's keys and plausible-or-hostile values, and dicts of anything."""


@settings(max_examples=400, deadline=None)
@given(data=json_values | facts_like)
def test_facts_model_validates_or_raises_validation_error(data: object) -> None:
    try:
        facts = Facts.model_validate(data)
    except ValidationError:
        return
    with no_hang("assess"):
        result = assess(facts, today=TODAY)
    assert isinstance(result, Assessment) and isinstance(result.verdict, Verdict)
    assert render_html(result)  # the card renders whatever assess returns


@PROPS
@given(data=facts_like, today=st.dates())
def test_assess_never_raises_on_any_valid_facts_and_any_day(data: object, today: dt.date) -> None:
    try:
        facts = Facts.model_validate(data)
    except ValidationError:
        return
    assert isinstance(assess(facts, today=today), Assessment)


# --------------------------------------------------------------------------- stored states


def _mutations(state_json: str) -> st.SearchStrategy[str]:
    """A real stored state with one value replaced, a key dropped, or the text cut."""
    data = json.loads(state_json)
    keys = sorted(data)
    replaced = st.builds(
        lambda k, v: json.dumps({**data, k: v}), st.sampled_from(keys), json_values
    )
    dropped = st.builds(
        lambda k: json.dumps({kk: vv for kk, vv in data.items() if kk != k}), st.sampled_from(keys)
    )
    cut = st.integers(0, len(state_json)).map(lambda n: state_json[:n])
    return replaced | dropped | cut


stored_texts = (
    st.text(max_size=300)
    | json_values.map(json.dumps)
    | states.map(CheckState.to_json).flatmap(_mutations)
    | st.binary(max_size=200)
)


@settings(max_examples=300, deadline=None)
@given(raw=stored_texts)
def test_stored_state_reads_as_a_state_or_a_state_error(raw: str | bytes) -> None:
    try:
        state = CheckState.from_json(raw)
    except StateError:
        return
    assert isinstance(state, CheckState)
    # What the bot then does with it must not raise either (load_state -> screens).
    state = machine.with_today(state, TODAY)
    if check_flow.is_active(state):
        check_flow.screen_for(state)
    machine.assessment(state)
