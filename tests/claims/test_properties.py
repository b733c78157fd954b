"""Property tests: any facts (each field absent, null or a value) give an assessment that agrees
with the contract's table restated independently here, and keeps the principles' promises."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.claims.assess import assess
from bot.claims.assessment import CLAIMABLE, Assessment, Code, Severity, Verdict
from bot.claims.card import MAX_CHARS, render_html, render_text
from bot.claims.facts import Evidence, Facts, PaidVia, Problem, Specs
from bot.claims.sources import SEED_FILES

TODAY = dt.date(2026, 6, 15)
EXCLUDED = {
    "transit_damage",
    "customs_hold",
    "subjective_quality",
    "matches_approved_sample",
    "service_or_warranty",
}
SHIPPING = {"late_shipment", "not_delivered", "supplier_cancelled", "force_majeure"}
ARRIVED = {"late_shipment", "quality_mismatch", "wrong_quantity", "defect_after_use"}
QUALITY = {"quality_mismatch", "defect_after_use"}


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


near = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))
amounts = st.integers(0, 60_000) | st.floats(0, 1e9, allow_nan=False, allow_infinity=False)
facts_strategy = st.fixed_dictionaries(
    {},
    optional={
        "as_of": near,
        "trade_assurance_order": maybe(st.booleans()),
        "paid_via": maybe(st.sampled_from([p.value for p in PaidVia])),
        "amount_paid_outside": maybe(st.integers(0, 5000)),
        "problem": maybe(st.sampled_from([p.value for p in Problem])),
        "specs_in_contract": maybe(st.sampled_from([s.value for s in Specs])),
        "units_ordered": maybe(st.integers(0, 2000)),
        "units_received": maybe(st.integers(0, 2000)),
        "receipt_confirmed": maybe(st.booleans()),
        "agreed_date": maybe(near),
        "delivery_date": maybe(near),
        "order_window_end": maybe(near),
        "amount_paid": maybe(amounts),
        "coverage_limit": maybe(amounts),
        "evidence": maybe(st.lists(st.sampled_from([e.value for e in Evidence]), unique=True)),
    },
)


def oracle(f: dict[str, Any]) -> Code:
    """The contract's rule table restated from its text: the deciding code."""
    as_of = f.get("as_of", TODAY)
    problem = f.get("problem")
    if f.get("paid_via") not in (None, "alibaba_order", "unknown"):
        return Code.OFF_PLATFORM_PAYMENT
    if f.get("trade_assurance_order") is False or f.get("coverage_limit") == 0:
        return Code.NOT_TA_ORDER
    if f.get("amount_paid") == 0:
        return Code.NOTHING_PAID
    if problem in EXCLUDED:
        return Code.EXCLUDED_PROBLEM
    if f.get("receipt_confirmed") is True:
        return Code.RECEIPT_CONFIRMED
    agreed = f.get("agreed_date") if problem in SHIPPING else None
    if problem in ("not_delivered", "supplier_cancelled", "force_majeure"):
        arrived: bool | None = False
    elif ("delivery_date" in f and problem is not None and problem != "other") or (
        "delivery_date" in f and problem is None
    ):
        arrived = f["delivery_date"] is not None
    else:
        arrived = None
    arrival = f.get("delivery_date") if arrived else None
    if problem == "late_shipment" and arrival and agreed and arrival <= agreed:
        return Code.NOT_LATE
    not_arrived = problem in ("late_shipment", "not_delivered") and arrived is False
    if not_arrived and agreed and as_of <= agreed:
        return Code.TOO_EARLY
    start = arrival if arrived else agreed
    if arrived is None and problem in ARRIVED:  # principle 2: the window may start later
        start = None
    deadline = f.get("order_window_end") or (start and start + dt.timedelta(days=30))
    if deadline and as_of > deadline:
        return Code.WINDOW_CLOSED
    needed = ["trade_assurance_order", "receipt_confirmed", "amount_paid"]
    if any(f.get(n) is None for n in needed):
        return Code.NEED_FACTS
    if f.get("paid_via") in (None, "unknown") or problem in (None, "other"):
        return Code.NEED_FACTS
    if problem in SHIPPING and agreed is None:
        return Code.NEED_FACTS
    if problem in ARRIVED and "delivery_date" not in f:
        return Code.NEED_FACTS
    if problem in QUALITY and f.get("specs_in_contract") is None:
        return Code.NEED_FACTS
    return Code.COVERED_PROBLEM


@settings(max_examples=700, deadline=None)
@given(facts_strategy)
def test_assessment_agrees_with_the_table_and_the_principles(data: dict[str, Any]) -> None:
    facts = Facts.model_validate(data)
    a = assess(facts, today=TODAY)
    assert a.decisive is oracle(data)
    decisive = [r for r in a.reasons if r.severity is Severity.DECISIVE]
    assert len(decisive) == 1 and a.reasons[0] is decisive[0]
    if a.verdict not in CLAIMABLE:  # a decisive rule alone explains the verdict
        assert (not a.risks and a.strength is None and a.remind_on is None) or (
            a.verdict is Verdict.TOO_EARLY
        )
    else:
        assert a.strength is not None
        assert (a.verdict is Verdict.ELIGIBLE) == (not a.risks)
    assert (a.verdict is Verdict.NEED_MORE_INFO) == bool(a.missing_facts)
    _check_figures(facts, a)
    for reason in a.reasons:
        assert reason.text
        assert set(reason.sources) <= set(SEED_FILES.values())
        if reason.code not in (Code.NEED_FACTS, Code.NOTHING_PAID):
            assert reason.sources
    if a.verdict is not Verdict.NEED_MORE_INFO:
        assert a.next_steps


def _check_figures(facts: Facts, a: Assessment) -> None:
    if a.days_left is not None:
        assert a.deadline is not None
        assert a.days_left == (a.deadline - (facts.as_of or TODAY)).days
    if a.remind_on is not None:
        assert a.deadline is not None and a.remind_on <= a.deadline
        assert a.remind_on > (facts.as_of or TODAY)
    if a.verdict is Verdict.NOT_ELIGIBLE:
        assert a.protected_amount == 0 and a.claim_estimate is None
        return
    if facts.coverage_limit is None:  # principle 2: never "protected: everything" unknown
        assert a.protected_amount is None
    if a.protected_amount is not None:
        assert facts.amount_paid is not None
        assert a.protected_amount <= facts.amount_paid + 0.005
    if a.claim_estimate is not None and a.protected_amount is not None:
        assert a.claim_estimate <= a.protected_amount + 0.005


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_outputs_render_and_serialise(data: dict[str, Any]) -> None:
    facts = Facts.model_validate(data)
    a = assess(facts, today=TODAY)
    assert assess(facts, today=TODAY) == a  # deterministic
    back = json.loads(json.dumps(a.model_dump(mode="json")))
    assert Assessment.model_validate(back) == a
    for out in (render_text(a), render_html(a)):
        assert len(out) <= MAX_CHARS
        assert "Alibaba decides" in out
    assert Facts.model_validate_json(facts.model_dump_json()).model_fields_set == (
        facts.model_fields_set
    )
