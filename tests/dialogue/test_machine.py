"""The check's state machine: what it asks, when it stops, Back, Review/Edit, Cancel, JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.claims.assessment import Code, Verdict
from bot.claims.catalog import BY_NAME
from bot.claims.facts import Evidence, PaidVia, Problem
from bot.dialogue import machine as m
from bot.dialogue.parsers import ParseError
from bot.dialogue.questions import DONE, DONT_KNOW, NONE_OF_THESE
from bot.i18n import render

TODAY = dt.date(2026, 5, 10)


def ok(result: m.CheckState | ParseError) -> m.CheckState:
    assert isinstance(result, m.CheckState), getattr(result, "message", result)
    return result


def asked(state: m.CheckState) -> str | None:
    prompt = m.current_question(state)
    return prompt.fact if prompt else None


def run(answers: list[str], state: m.CheckState | None = None) -> m.CheckState:
    state = state or m.start(TODAY)
    for text in answers:
        state = ok(m.answer(state, text))
    return state


QUALITY_CASE = ["quality", "1", "yes", "12500", "no", "3 days ago", "1", "?", "50000", "1 2 4"]
LATE_CASE = ["late", "1", "yes", "8000", "no", "2026-05-01", "not yet", "?", "20000", "1 4 5"]
# problem, paid_via (through the order: nothing outside), TA order, amount, receipt, [ship-by
# date, arrival | arrival, specs], window end on the order page, coverage, evidence


def test_first_question_is_the_problem() -> None:
    state = m.start(TODAY)
    assert state.stage == "asking"
    assert asked(state) == "problem"
    assert m.progress(state) == (1, 5)  # the problem decides what else applies
    assert not m.can_go_back(state)


def test_full_quality_check_reaches_review_then_verdict() -> None:
    state = run(QUALITY_CASE)
    assert state.stage == "review"
    assert [item.fact for item in m.review(state)] == [
        "problem",
        "paid_via",
        "amount_paid_outside",
        "trade_assurance_order",
        "amount_paid",
        "receipt_confirmed",
        "delivery_date",
        "specs_in_contract",
        "order_window_end",
        "coverage_limit",
        "evidence",
    ]
    assert not state.facts.given("order_window_end")  # "I don't know" stays unanswered
    done, result = m.confirm(state)
    assert done.stage == "done"
    assert result.verdict == Verdict.ELIGIBLE
    held = {Evidence.CONTRACT, Evidence.INSPECTION_REPORT, Evidence.PLATFORM_CHAT}
    assert done.facts.evidence == frozenset(held)


def test_something_else_ends_the_check_at_once_with_what_to_do_instead() -> None:
    state = run(["something else"])
    assert state.stage == "done"
    result = m.assessment(state)
    assert result.verdict == Verdict.NEED_MORE_INFO and result.missing_facts[0] == "problem"
    assert any("covers" in step for step in result.next_steps)


@pytest.mark.parametrize("choice", ["3", "4", "paypal link", "6"])
def test_off_platform_payment_ends_the_questions_at_once(choice: str) -> None:
    state = run(["late", choice])
    assert state.stage == "review"
    assert asked(state) is None
    assert [item.fact for item in m.review(state)] == ["problem", "paid_via"]
    assert render(m.jumped_because(state)).startswith("No more questions needed")
    _, result = m.confirm(state)
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.codes[0] == Code.OFF_PLATFORM_PAYMENT


def test_part_outside_asks_the_outside_amount() -> None:
    state = run(["quality", "part through alibaba, part outside"])
    assert asked(state) == "amount_paid_outside"
    assert state.facts.paid_via is PaidVia.ALIBABA_ORDER
    state = ok(m.answer(state, "7000"))
    assert state.facts.amount_paid_outside == 7000.0
    assert asked(state) == "trade_assurance_order"
    assert render(m.review(state)[1].answer) == "Part through Alibaba, part outside"


def test_paying_through_the_order_records_nothing_outside() -> None:
    state = run(["quality", "1"])
    assert state.facts.amount_paid_outside == 0 and asked(state) == "trade_assurance_order"


def test_specs_asked_only_for_quality_problems() -> None:
    seen: list[str] = []
    state = m.start(TODAY)
    for text in LATE_CASE:
        seen.append(asked(state) or "")
        state = ok(m.answer(state, text))
    assert "specs_in_contract" not in seen and "agreed_date" in seen
    assert state.stage == "review"
    for problem in ("quality", "defect found after use"):
        state = run([problem, "1", "yes", "3000", "no", "3 days ago"])
        assert asked(state) == "specs_in_contract"
    state = run(["wrong quantity", "1", "yes", "3000", "no", "3 days ago"])
    assert asked(state) == "units_ordered"


def test_shortage_may_give_unit_counts() -> None:
    state = run(["wrong quantity", "1", "yes", "5000", "no", "3 days ago", "1000", "800 pcs"])
    assert (state.facts.units_ordered, state.facts.units_received) == (1000, 800)
    state = run(["?", "?", "1 3 4"], state)
    assert m.confirm(state)[1].claim_estimate == 1000
    skipped = run(["wrong quantity", "1", "yes", "5000", "no", "3 days ago", "?"])
    assert asked(skipped) == "order_window_end"  # no count ordered: received is not asked


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        (["quality", "1", "no"], Code.NOT_TA_ORDER),
        (["damaged in transport"], Code.EXCLUDED_PROBLEM),
        (["quality", "1", "yes", "3000", "yes"], Code.RECEIPT_CONFIRMED),
        (["quality", "1", "yes", "3000", "no", "2026-01-02"], Code.WINDOW_CLOSED),
        (["quality", "1", "yes", "0"], Code.NOTHING_PAID),
        (["late", "1", "yes", "3000", "no", "2026-05-08", "2026-05-05"], Code.NOT_LATE),
    ],
)
def test_a_decisive_rule_stops_the_questions(answers: list[str], code: Code) -> None:
    state = run(answers)
    assert state.stage == "review"
    _, result = m.confirm(state)
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert result.codes[0] == code


def test_not_shipped_before_the_ship_by_date_is_too_early() -> None:
    state = run(["late", "1", "yes", "3000", "no", "in 5 days", "not yet"])
    assert state.stage == "review"
    _, result = m.confirm(state)
    assert result.verdict == Verdict.TOO_EARLY
    assert result.remind_on == TODAY + dt.timedelta(days=6)


def test_ship_by_date_may_lie_ahead_but_an_arrival_may_not() -> None:
    state = run(["late", "1", "yes", "3000", "no"])
    prompt = m.current_question(state)
    assert prompt is not None and "ship" in prompt.text
    state = ok(m.answer(state, "in 5 days"))
    assert state.facts.agreed_date == TODAY + dt.timedelta(days=5)
    prompt = m.current_question(state)
    assert prompt is not None and "arrive" in prompt.text
    result = m.answer(state, "tomorrow")
    assert isinstance(result, ParseError)
    assert "future" in result.message
    assert ok(m.press(state, "delivery_date", "not_arrived")).facts.given("delivery_date")


def test_unknown_payment_continues_and_is_listed_as_missing() -> None:
    state = run(["late"])
    state = ok(m.answer(state, "I don't know"))
    assert state.facts.paid_via == PaidVia.UNKNOWN
    assert asked(state) == "trade_assurance_order"
    state = run(LATE_CASE[2:], state)
    assert state.stage == "review"
    assert render(m.review(state)[1].answer) == "I don't know"
    _, result = m.confirm(state)
    assert result.verdict == Verdict.NEED_MORE_INFO
    assert "paid_via" in result.missing_facts


def test_unknown_coverage_stays_null_and_raises_the_risk() -> None:
    state = run([*LATE_CASE[:8]])
    assert asked(state) == "coverage_limit"
    state = ok(m.answer_unknown(state))
    assert state.facts.coverage_limit is None and state.facts.given("coverage_limit")
    assert "coverage_limit" in state.answered
    state = ok(m.answer(state, "1 4 5"))
    _, result = m.confirm(state)
    assert Code.COVERAGE_UNKNOWN in result.codes


def test_dont_know_refused_where_not_allowed() -> None:
    state = m.start(TODAY)
    assert asked(state) == "problem"
    result = m.answer(state, "idk")
    assert isinstance(result, ParseError)
    assert "Something else" in result.message


def test_other_currencies_are_re_asked_in_dollars() -> None:
    state = run(LATE_CASE[:3])
    assert asked(state) == "amount_paid"
    result = m.answer(state, "€3000")
    assert isinstance(result, ParseError)
    assert "US dollars" in result.message and "euros" in result.message
    assert ok(m.answer(state, "3000 EUR = 3250 USD")).facts.amount_paid == 3250.0


def test_back_across_skipped_questions() -> None:
    state = run(LATE_CASE[:8])  # specs was never asked
    assert asked(state) == "coverage_limit"
    state = m.back(state)
    assert asked(state) == "order_window_end"
    state = m.back(state)
    assert asked(state) == "delivery_date"
    assert not state.facts.given("delivery_date")
    state = run(["late", "4"])
    assert state.stage == "review"
    state = m.back(state)
    assert asked(state) == "paid_via"
    assert state.facts.paid_via is None
    state = m.back(state)
    assert asked(state) == "problem"
    assert m.back(state) == state  # nothing before the first question


def test_back_from_review_reopens_the_last_question() -> None:
    state = run(LATE_CASE)
    state = m.back(state)
    assert asked(state) == "evidence"


def test_edit_amount_returns_to_review() -> None:
    state = run(LATE_CASE)
    state = m.edit(state, "amount_paid")
    prompt = m.current_question(state)
    assert prompt is not None and prompt.editing
    state = ok(m.answer(state, "$9,000"))
    assert state.stage == "review"
    assert state.facts.amount_paid == 9000.0


def test_back_from_an_edit_returns_to_review_unchanged() -> None:
    reviewed = run(LATE_CASE)
    state = m.back(m.edit(reviewed, "problem"))
    assert state == reviewed


def test_changing_problem_drops_answers_that_no_longer_apply() -> None:
    state = run(QUALITY_CASE)
    state = m.edit(state, "problem")
    state = ok(m.answer(state, "late"))
    assert not state.facts.given("specs_in_contract")
    assert "specs_in_contract" not in state.answered
    assert asked(state) == "agreed_date"  # a late shipment needs the ship-by date
    state = ok(m.answer(state, "2026-05-01"))
    assert state.stage == "review"
    assert "specs_in_contract" not in [item.fact for item in m.review(state)]
    assert state.facts.delivery_date == TODAY - dt.timedelta(days=3)  # still applies: kept


def test_changing_problem_to_quantity_asks_for_counts_not_specs() -> None:
    state = run(LATE_CASE)
    state = m.edit(state, "problem")
    state = ok(m.answer(state, "wrong quantity"))
    assert not state.facts.given("agreed_date")
    assert asked(state) == "units_ordered"


def test_editing_payment_to_off_platform_goes_straight_to_review() -> None:
    state = run(LATE_CASE)
    state = ok(m.answer(m.edit(state, "paid_via"), "western union"))
    assert state.stage == "review"
    _, result = m.confirm(state)
    assert result.verdict == Verdict.NOT_ELIGIBLE


def test_editing_off_platform_back_to_alibaba_asks_the_rest() -> None:
    state = run(["late", "4"])
    state = ok(m.answer(m.edit(state, "paid_via"), "1"))
    assert asked(state) == "trade_assurance_order"


def test_editing_full_payment_to_part_outside_asks_the_amount() -> None:
    state = run(LATE_CASE)
    state = ok(m.answer(m.edit(state, "paid_via"), "2"))
    assert asked(state) == "amount_paid_outside"
    state = ok(m.answer(state, "1500"))
    assert state.stage == "review"
    assert Code.PART_PAID_OUTSIDE in m.confirm(state)[1].codes


def test_edit_refuses_unanswered_facts_and_mid_check() -> None:
    with pytest.raises(m.StateError):
        m.edit(run(LATE_CASE), "specs_in_contract")
    with pytest.raises(m.StateError):
        m.edit(m.start(TODAY), "paid_via")
    with pytest.raises(m.StateError):
        m.confirm(m.start(TODAY))


def test_cancel() -> None:
    state = m.cancel(run(["late", "1"]))
    assert state.stage == "cancelled"
    assert m.current_question(state) is None
    assert isinstance(m.answer(state, "yes"), ParseError)
    assert m.back(state) == state


def test_evidence_buttons_toggle_then_done() -> None:
    state = run(LATE_CASE[:9])
    assert asked(state) == "evidence"
    state = ok(m.press(state, "evidence", "tracking"))
    state = ok(m.press(state, "evidence", "contract"))
    state = ok(m.press(state, "evidence", "tracking"))
    prompt = m.current_question(state)
    assert prompt is not None and prompt.selected == {"contract"}
    state = ok(m.press(state, "evidence", DONE))
    assert state.facts.evidence == frozenset({Evidence.CONTRACT})
    assert state.stage == "review"


def test_evidence_none_of_these() -> None:
    state = run(LATE_CASE[:9])
    assert ok(m.press(state, "evidence", NONE_OF_THESE)).facts.evidence == frozenset()
    assert ok(m.answer(state, "none")).facts.evidence == frozenset()
    assert isinstance(m.answer(state, "1 7"), ParseError)


def test_buttons_for_an_old_question_are_refused() -> None:
    state = run(["late", "1"])
    assert isinstance(m.press(state, "paid_via", "alibaba_order"), ParseError)
    assert isinstance(m.press(state, "trade_assurance_order", "maybe"), ParseError)
    assert ok(m.press(state, "trade_assurance_order", "yes")).facts.trade_assurance_order
    unknown = ok(m.press(state, "trade_assurance_order", DONT_KNOW))
    assert not unknown.facts.given("trade_assurance_order")


def test_a_parse_error_leaves_the_state_alone() -> None:
    state = run(LATE_CASE[:3])
    before = state.to_json()
    assert isinstance(m.answer(state, "-50"), ParseError)
    assert state.to_json() == before


def test_progress_estimate_follows_the_answers() -> None:
    state = m.start(TODAY)
    assert m.progress(run(["quality"], state)) == (2, 10)  # arrival, specs joined
    assert m.progress(run(["late"], state)) == (2, 10)  # ship-by date and arrival joined
    reviewed = run(LATE_CASE)
    assert m.progress(reviewed) == (11, 11)


def test_with_today_moves_the_day_of_the_check() -> None:
    state = m.with_today(run(["late"]), TODAY + dt.timedelta(days=2))
    assert state.as_of == state.facts.as_of == TODAY + dt.timedelta(days=2)


def test_state_json_round_trip_mid_check() -> None:
    state = run(QUALITY_CASE[:5])
    restored = m.CheckState.from_json(state.to_json())
    assert restored == state
    assert m.current_question(restored) == m.current_question(state)
    assert restored.to_json() == state.to_json()
    assert m.back(restored) == m.back(state)


@pytest.mark.parametrize(
    "text", ["", "nonsense", "[]", '{"version": 99}', '{"version": 1, "as_of": "x"}']
)
def test_unreadable_state_is_a_state_error(text: str) -> None:
    with pytest.raises(m.StateError):
        m.CheckState.from_json(text)


# --------------------------------------------------------------------------- random walks

_TEXTS = [
    "1",
    "2",
    "3",
    "4",
    "5",
    "yes",
    "no",
    "idk",
    "quality",
    "late",
    "wrong quantity",
    "damaged",
    "something else",
    "3 days ago",
    "in 4 days",
    "2025-01-01",
    "12500",
    "€200",
    "1 3",
    "none",
    "not yet",
    "6",
    "garbage ☃",
]
_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.sampled_from(_TEXTS)),
        st.tuples(
            st.just("press"), st.sampled_from(["tracking", "contract", DONE, DONT_KNOW, "yes"])
        ),
        st.tuples(st.just("unknown"), st.just("")),
        st.tuples(st.just("back"), st.just("")),
        st.tuples(
            st.just("edit"), st.sampled_from(["problem", "paid_via", "evidence", "amount_paid"])
        ),
        st.tuples(st.just("confirm"), st.just("")),
    ),
    max_size=40,
)


def _step(state: m.CheckState, action: str, arg: str) -> m.CheckState:
    result: m.CheckState | ParseError = state
    if action == "answer":
        result = m.answer(state, arg)
    elif action == "press":
        result = m.press(state, state.current or "", arg)
    elif action == "unknown":
        result = m.answer_unknown(state)
    elif action == "back":
        result = m.back(state)
    elif action == "edit" and state.stage in ("review", "done") and arg in state.answered:
        result = m.edit(state, arg)
    elif action == "confirm" and state.stage == "review":
        result = m.confirm(state)[0]
    return result if isinstance(result, m.CheckState) else state


@settings(max_examples=150, deadline=None)
@given(actions=_ACTIONS)
def test_random_walks_keep_the_invariants(actions: list[tuple[str, str]]) -> None:
    state = m.start(TODAY)
    for action, arg in actions:
        state = _step(state, action, arg)
        restored = m.CheckState.from_json(state.to_json())
        assert restored == state
        assert m.current_question(restored) == m.current_question(state)
        assert (state.stage == "asking") == (state.current is not None)
        if state.current is not None:  # only facts that apply to the answers are asked
            assert BY_NAME[state.current].applies(state.facts)
        if state.facts.specs_in_contract is not None:
            assert state.facts.problem in (Problem.QUALITY_MISMATCH, Problem.DEFECT_AFTER_USE)
        for item in m.review(state):
            assert item.answer
        step, total = m.progress(state)
        assert 0 <= step <= total
        m.assessment(state)  # never raises


def test_a_version_1_state_is_migrated() -> None:
    """Stored before v2: every fact present (unknown as null) and the delivery date meaning
    the expected date for shipping problems."""
    old = (
        '{"version": 1, "as_of": "2026-05-10", "history": [], "answered": ["paid_via", '
        '"trade_assurance_order", "problem", "receipt_confirmed", "delivery_date"], '
        '"current": "amount_paid", "stage": "asking", "selected": [], "facts": {"as_of": '
        '"2026-05-10", "paid_via": "alibaba_order", "trade_assurance_order": true, "problem": '
        '"late_shipment", "receipt_confirmed": false, "delivery_date": "2026-05-01", '
        '"amount_paid": null, "coverage_limit": null, "specs_in_contract": null, '
        '"evidence": null}}'
    )
    state = m.CheckState.from_json(old)
    assert state.facts.agreed_date == dt.date(2026, 5, 1)
    assert not state.facts.given("delivery_date") and not state.facts.given("coverage_limit")
    assert "agreed_date" in state.answered and asked(state) == "amount_paid"
    state = run(["3000"], state)
    assert asked(state) == "delivery_date"  # the arrival is a new question


def test_a_retyped_previous_answer_is_recognised() -> None:
    state = run(["late", "1", "yes"])
    assert asked(state) == "amount_paid"
    after = run(["$3,000"], state)
    assert asked(after) == "receipt_confirmed"
    assert m.is_retyped_answer(after, "3000") and m.is_retyped_answer(after, "$3,000")
    assert not m.is_retyped_answer(after, "no") and not m.is_retyped_answer(after, "4000")
    assert not m.is_retyped_answer(m.start(TODAY), "late")
