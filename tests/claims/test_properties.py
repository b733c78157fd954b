"""Property tests: any combination of valid facts gives an assessment consistent with the rules."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.claims.assess import assess
from bot.claims.assessment import Assessment, Code, Verdict
from bot.claims.card import MAX_CHARS, render_html, render_text
from bot.claims.facts import (
    EXCLUDED_PROBLEMS,
    SPEC_PROBLEMS,
    Evidence,
    Facts,
    PaidVia,
    Problem,
    Specs,
)
from bot.claims.sources import SEED_FILES

TODAY = dt.date(2026, 6, 15)
DECISIVE = [
    Code.OFF_PLATFORM_PAYMENT,
    Code.NOT_TA_ORDER,
    Code.EXCLUDED_PROBLEM,
    Code.RECEIPT_CONFIRMED,
    Code.WINDOW_CLOSED,
]
RISKS = [
    Code.WINDOW_CLOSING,
    Code.VAGUE_SPECS,
    Code.NO_INSPECTION,
    Code.WEAK_EVIDENCE,
    Code.OVER_COVERAGE,
    Code.COVERAGE_UNKNOWN,
]
FACT_ORDER = [
    "trade_assurance_order",
    "paid_via",
    "problem",
    "receipt_confirmed",
    "delivery_date",
    "amount_paid",
    "specs_in_contract",
]


def maybe(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


near = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))
amounts = st.floats(
    min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False
) | st.integers(0, 200_000)
facts_strategy = st.builds(
    Facts,
    as_of=maybe(near),
    trade_assurance_order=maybe(st.booleans()),
    paid_via=maybe(st.sampled_from(PaidVia)),
    problem=maybe(st.sampled_from(Problem)),
    specs_in_contract=maybe(st.sampled_from(Specs)),
    receipt_confirmed=maybe(st.booleans()),
    delivery_date=maybe(near | st.dates()),  # st.dates() reaches the calendar's ends
    amount_paid=maybe(amounts),
    coverage_limit=maybe(amounts),
    evidence=maybe(st.frozensets(st.sampled_from(Evidence))),
)


def oracle(f: Facts) -> tuple[Verdict, Code]:
    """The contract's table restated independently: (verdict, first reason code)."""
    as_of = f.as_of or TODAY
    if f.paid_via not in (None, PaidVia.ALIBABA_ORDER, PaidVia.UNKNOWN):
        return Verdict.NOT_ELIGIBLE, Code.OFF_PLATFORM_PAYMENT
    if f.trade_assurance_order is False:
        return Verdict.NOT_ELIGIBLE, Code.NOT_TA_ORDER
    if f.problem in EXCLUDED_PROBLEMS:
        return Verdict.NOT_ELIGIBLE, Code.EXCLUDED_PROBLEM
    if f.receipt_confirmed:
        return Verdict.NOT_ELIGIBLE, Code.RECEIPT_CONFIRMED
    near_end = f.delivery_date is not None and f.delivery_date >= dt.date(9999, 12, 1)
    if f.delivery_date and not near_end and (as_of - f.delivery_date).days > 30:
        return Verdict.NOT_ELIGIBLE, Code.WINDOW_CLOSED
    if (
        None in (f.trade_assurance_order, f.paid_via, f.problem, f.receipt_confirmed)
        or None in (f.delivery_date, f.amount_paid)
        or f.paid_via is PaidVia.UNKNOWN
        or f.problem is Problem.OTHER
        or (f.problem in SPEC_PROBLEMS and f.specs_in_contract is None)
    ):
        return Verdict.NEED_MORE_INFO, Code.NEED_FACTS
    held = f.evidence or frozenset()
    assert f.delivery_date is not None and f.amount_paid is not None
    days_left = 30 - (as_of - f.delivery_date).days
    risky = (
        0 <= days_left <= 7
        or (f.problem in SPEC_PROBLEMS and f.specs_in_contract is not Specs.MEASURABLE)
        or (f.problem in SPEC_PROBLEMS and Evidence.INSPECTION_REPORT not in held)
        or not {Evidence.CONTRACT, Evidence.PLATFORM_CHAT} <= held
        or (
            f.problem in (Problem.LATE_SHIPMENT, Problem.NOT_DELIVERED)
            and Evidence.TRACKING not in held
        )
        or f.coverage_limit is None
        or f.amount_paid > f.coverage_limit
    )
    return (Verdict.ELIGIBLE_WITH_RISKS if risky else Verdict.ELIGIBLE), Code.COVERED_PROBLEM


@settings(max_examples=600, deadline=None)
@given(facts_strategy)
def test_assessment_is_consistent_with_the_rules(facts: Facts) -> None:
    a = assess(facts, today=TODAY)
    verdict, first = oracle(facts)
    assert (a.verdict, a.codes[0]) == (verdict, first)

    assert (a.verdict is Verdict.NEED_MORE_INFO) == bool(a.missing_facts)
    assert a.missing_facts == [n for n in FACT_ORDER if n in a.missing_facts]
    if facts.paid_via not in (None, PaidVia.ALIBABA_ORDER, PaidVia.UNKNOWN):
        assert a.verdict is Verdict.NOT_ELIGIBLE

    _check_reasons(a)
    _check_figures(facts, a)
    if a.verdict is not Verdict.NEED_MORE_INFO:
        assert a.next_steps


def _check_reasons(a: Assessment) -> None:
    codes = a.codes
    assert len(codes) == len(set(codes))
    if a.verdict is Verdict.ELIGIBLE:
        assert codes == [Code.COVERED_PROBLEM]
    if a.verdict is Verdict.ELIGIBLE_WITH_RISKS:
        assert codes[0] is Code.COVERED_PROBLEM and len(codes) > 1
        assert codes[1:] == [c for c in RISKS if c in codes]
    if a.verdict is Verdict.NOT_ELIGIBLE:
        assert codes[0] in DECISIVE and Code.COVERED_PROBLEM not in codes
    if a.verdict is Verdict.NEED_MORE_INFO:
        assert codes[0] is Code.NEED_FACTS and Code.COVERED_PROBLEM not in codes
    for reason in a.reasons:
        assert reason.text
        if reason.code is not Code.NEED_FACTS:
            assert reason.sources and set(reason.sources) <= set(SEED_FILES.values())


def _check_figures(facts: Facts, a: Assessment) -> None:
    if facts.delivery_date is None:
        assert a.deadline is None and a.days_left is None
    else:
        assert a.deadline is not None and a.days_left is not None
        assert a.days_left == (a.deadline - (facts.as_of or TODAY)).days
    if facts.amount_paid is None:
        assert a.protected_amount is None and a.unprotected_amount is None
        return
    assert a.protected_amount is not None and a.unprotected_amount is not None
    assert a.unprotected_amount >= 0 and a.protected_amount >= 0
    assert abs(a.protected_amount + a.unprotected_amount - facts.amount_paid) < 0.02
    if facts.coverage_limit is not None:
        assert a.protected_amount <= facts.coverage_limit + 0.005
    else:
        assert a.unprotected_amount == 0


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_outputs_render_and_serialise(facts: Facts) -> None:
    a = assess(facts, today=TODAY)
    assert assess(facts, today=TODAY) == a  # deterministic
    data = json.loads(json.dumps(a.model_dump(mode="json")))
    assert Assessment.model_validate(data) == a
    for out in (render_text(a), render_html(a)):
        assert len(out) <= MAX_CHARS
        assert "Alibaba decides" in out
