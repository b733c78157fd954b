"""Each rule of the contract: fires when it should, stays silent when it should not, and order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from bot.claims.assess import assess
from bot.claims.assessment import Assessment, Code, Verdict
from bot.claims.case import deadline_for, split_amount
from bot.claims.facts import EXCLUDED_PROBLEMS, Facts, PaidVia, Problem
from bot.claims.rules import RULES
from bot.claims.sources import SEED_FILES

Judge = Callable[..., Assessment]

COVERED = [p for p in Problem if p not in EXCLUDED_PROBLEMS and p is not Problem.OTHER]
OFF_PLATFORM = [p for p in PaidVia if p not in (PaidVia.ALIBABA_ORDER, PaidVia.UNKNOWN)]
DECISIVE = {
    Code.OFF_PLATFORM_PAYMENT,
    Code.NOT_TA_ORDER,
    Code.EXCLUDED_PROBLEM,
    Code.RECEIPT_CONFIRMED,
    Code.WINDOW_CLOSED,
}
ALL_EVIDENCE = [
    "contract",
    "inspection_report",
    "photos_video",
    "platform_chat",
    "tracking",
    "timeline",
]


def test_clean_order_is_eligible_without_risks(judge: Judge) -> None:
    a = judge()
    assert a.verdict is Verdict.ELIGIBLE
    assert a.codes == [Code.COVERED_PROBLEM]
    assert a.missing_facts == []


def test_rule_table_follows_the_contract_order_and_sources() -> None:
    expected = [
        ("OFF_PLATFORM_PAYMENT", ["000", "001", "002", "003", "004"]),
        ("NOT_TA_ORDER", ["002", "003", "004"]),
        ("EXCLUDED_PROBLEM", ["000", "001", "002", "003"]),
        ("RECEIPT_CONFIRMED", ["001", "003"]),
        ("WINDOW_CLOSED", ["001", "003"]),
        ("NEED_FACTS", []),
        ("WINDOW_CLOSING", ["001", "003"]),
        ("VAGUE_SPECS", ["001", "002", "003"]),
        ("NO_INSPECTION", ["001", "002", "003"]),
        ("WEAK_EVIDENCE", ["001", "003"]),
        ("OVER_COVERAGE", ["001", "002", "003"]),
        ("COVERAGE_UNKNOWN", ["001", "004"]),
        ("COVERED_PROBLEM", ["000", "001", "003", "004"]),
    ]
    got = [(r.code.value, list(r.sources)) for r in RULES]
    assert got == [(code, [SEED_FILES[n] for n in nums]) for code, nums in expected]


# --- OFF_PLATFORM_PAYMENT --------------------------------------------------------------------


@pytest.mark.parametrize("paid_via", OFF_PLATFORM)
def test_off_platform_payment_decides(judge: Judge, paid_via: PaidVia) -> None:
    a = judge(paid_via=paid_via.value)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes[0] is Code.OFF_PLATFORM_PAYMENT
    assert "outside" in a.reasons[0].text or "anywhere else" in a.reasons[0].text


@pytest.mark.parametrize("paid_via", OFF_PLATFORM)
def test_off_platform_payment_decides_whatever_else_is_missing(paid_via: PaidVia) -> None:
    a = assess(Facts(paid_via=paid_via), today=dt.date(2026, 1, 1))
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes == [Code.OFF_PLATFORM_PAYMENT]
    assert a.missing_facts == []
    assert a.next_steps


@pytest.mark.parametrize("paid_via", ["alibaba_order", "unknown", ...])
def test_on_platform_or_unknown_payment_is_not_off_platform(judge: Judge, paid_via: object) -> None:
    assert Code.OFF_PLATFORM_PAYMENT not in judge(paid_via=paid_via).codes


def test_off_platform_next_steps_point_to_bank_report_and_no_more_payments(judge: Judge) -> None:
    steps = " ".join(judge(paid_via="supplier_bank_account").next_steps).lower()
    assert "bank" in steps and "recall" in steps
    assert "do not send any more money" in steps
    assert "report the supplier to alibaba" in steps


def test_off_platform_steps_are_tailored_to_the_payment_route(judge: Judge) -> None:
    assert "Western Union" in judge(paid_via="western_union").next_steps[0]
    assert "PayPal" in judge(paid_via="paypal_outside_order").next_steps[0]
    assert "bank or payment provider" in judge(paid_via="other_off_platform").next_steps[0]


# --- NOT_TA_ORDER ----------------------------------------------------------------------------


def test_not_ta_order_decides(judge: Judge) -> None:
    a = judge(trade_assurance_order=False)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes[0] is Code.NOT_TA_ORDER


def test_not_ta_order_decides_with_everything_else_missing() -> None:
    a = assess(Facts(trade_assurance_order=False), today=dt.date(2026, 1, 1))
    assert (a.verdict, a.codes, a.missing_facts) == (
        Verdict.NOT_ELIGIBLE,
        [Code.NOT_TA_ORDER],
        [],
    )


def test_not_ta_order_even_when_payment_route_unknown() -> None:
    a = assess(Facts(trade_assurance_order=False, paid_via=PaidVia.UNKNOWN))
    assert a.codes == [Code.NOT_TA_ORDER]


@pytest.mark.parametrize("value", [True, ...])
def test_ta_order_true_or_unknown_is_not_not_ta(judge: Judge, value: object) -> None:
    assert Code.NOT_TA_ORDER not in judge(trade_assurance_order=value).codes


# --- EXCLUDED_PROBLEM ------------------------------------------------------------------------


@pytest.mark.parametrize("problem", sorted(EXCLUDED_PROBLEMS))
def test_excluded_problem_decides(judge: Judge, problem: Problem) -> None:
    a = judge(problem=problem.value)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes[0] is Code.EXCLUDED_PROBLEM
    assert a.next_steps


@pytest.mark.parametrize("problem", sorted(EXCLUDED_PROBLEMS))
def test_excluded_problem_decides_even_with_amount_and_dates_missing(problem: Problem) -> None:
    facts = Facts(trade_assurance_order=True, paid_via=PaidVia.ALIBABA_ORDER, problem=problem)
    a = assess(facts, today=dt.date(2026, 1, 1))
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes == [Code.EXCLUDED_PROBLEM]
    assert a.missing_facts == []
    assert a.protected_amount is None and a.deadline is None


@pytest.mark.parametrize("problem", COVERED)
def test_covered_problems_are_not_excluded(judge: Judge, problem: Problem) -> None:
    a = judge(problem=problem.value, specs_in_contract="measurable", evidence=ALL_EVIDENCE)
    assert a.verdict is Verdict.ELIGIBLE
    assert a.codes == [Code.COVERED_PROBLEM]


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        ("transit_damage", ["carrier", "cargo insurer"]),
        ("customs_hold", ["customs broker", "importer"]),
        ("service_or_warranty", ["supplier directly"]),
        ("force_majeure", ["new shipping date"]),
        ("subjective_quality", ["measurable"]),
        ("matches_approved_sample", ["approved"]),
        ("defect_after_use", ["before use"]),
    ],
)
def test_excluded_problem_steps_say_where_to_go_instead(
    judge: Judge, problem: str, words: list[str]
) -> None:
    steps = " ".join(judge(problem=problem).next_steps)
    for word in words:
        assert word in steps


# --- RECEIPT_CONFIRMED -----------------------------------------------------------------------


def test_receipt_confirmed_decides(judge: Judge) -> None:
    a = judge(receipt_confirmed=True)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes[0] is Code.RECEIPT_CONFIRMED


def test_receipt_confirmed_decides_with_other_facts_missing() -> None:
    a = assess(Facts(receipt_confirmed=True), today=dt.date(2026, 1, 1))
    assert a.codes == [Code.RECEIPT_CONFIRMED]


@pytest.mark.parametrize("value", [False, ...])
def test_receipt_not_confirmed_or_unknown(judge: Judge, value: object) -> None:
    assert Code.RECEIPT_CONFIRMED not in judge(receipt_confirmed=value).codes


# --- WINDOW_CLOSED / WINDOW_CLOSING and the deadline ----------------------------------------


@pytest.mark.parametrize(
    ("as_of", "days_left", "verdict", "code"),
    [
        ("2026-03-22", 9, Verdict.ELIGIBLE, None),
        ("2026-03-23", 8, Verdict.ELIGIBLE, None),
        ("2026-03-24", 7, Verdict.ELIGIBLE_WITH_RISKS, Code.WINDOW_CLOSING),
        ("2026-03-30", 1, Verdict.ELIGIBLE_WITH_RISKS, Code.WINDOW_CLOSING),
        ("2026-03-31", 0, Verdict.ELIGIBLE_WITH_RISKS, Code.WINDOW_CLOSING),
        ("2026-04-01", -1, Verdict.NOT_ELIGIBLE, Code.WINDOW_CLOSED),
        ("2026-05-01", -31, Verdict.NOT_ELIGIBLE, Code.WINDOW_CLOSED),
    ],
)
def test_window_boundaries(
    judge: Judge, as_of: str, days_left: int, verdict: Verdict, code: Code | None
) -> None:
    a = judge(as_of=as_of)  # delivery 2026-03-01 → deadline 2026-03-31
    assert a.deadline == dt.date(2026, 3, 31)
    assert a.days_left == days_left
    assert a.verdict is verdict
    closing = {Code.WINDOW_CLOSING, Code.WINDOW_CLOSED}
    assert [c for c in a.codes if c in closing] == ([code] if code else [])


def test_window_closed_is_first_reason(judge: Judge) -> None:
    a = judge(as_of="2026-04-01")
    assert a.codes[0] is Code.WINDOW_CLOSED
    assert "2026-03-31" in a.reasons[0].text


def test_window_closing_steps_urge_action_with_date(judge: Judge) -> None:
    a = judge(as_of="2026-03-28")
    assert a.next_steps[0].startswith("Act today")
    assert "2026-03-31 — 3 days left" in a.next_steps[0]


def test_window_closed_decides_with_other_facts_missing() -> None:
    facts = Facts(as_of=dt.date(2026, 9, 1), delivery_date=dt.date(2026, 7, 1))
    a = assess(facts)
    assert a.codes == [Code.WINDOW_CLOSED]
    assert a.verdict is Verdict.NOT_ELIGIBLE


def test_window_closing_is_flagged_while_facts_are_missing() -> None:
    facts = Facts(as_of=dt.date(2026, 3, 28), delivery_date=dt.date(2026, 3, 1))
    a = assess(facts)
    assert a.verdict is Verdict.NEED_MORE_INFO
    assert a.codes == [Code.NEED_FACTS, Code.WINDOW_CLOSING]
    assert "2026-03-31" in a.next_steps[0]


@pytest.mark.parametrize(
    ("delivered", "deadline"),
    [
        ("2026-03-01", "2026-03-31"),
        ("2026-01-31", "2026-03-02"),  # across a short February
        ("2028-01-31", "2028-03-01"),  # leap year
        ("2026-02-28", "2026-03-30"),
        ("2026-12-15", "2027-01-14"),  # across the year end
        ("2026-08-01", "2026-08-31"),
        ("2026-04-30", "2026-05-30"),
    ],
)
def test_deadline_is_delivery_plus_30_days(delivered: str, deadline: str) -> None:
    assert deadline_for(dt.date.fromisoformat(delivered)) == dt.date.fromisoformat(deadline)


def test_deadline_near_the_end_of_the_calendar_does_not_overflow() -> None:
    assert deadline_for(dt.date(9999, 12, 20)) == dt.date.max
    assert deadline_for(None) is None


def test_as_of_defaults_to_today() -> None:
    facts = Facts(delivery_date=dt.date(2026, 3, 1))
    assert assess(facts, today=dt.date(2026, 3, 10)).days_left == 21
    before = dt.date.today()
    days = assess(facts).days_left
    after = dt.date.today()
    assert days in {(dt.date(2026, 3, 31) - before).days, (dt.date(2026, 3, 31) - after).days}


def test_given_as_of_wins_over_today(judge: Judge) -> None:
    assert judge(as_of="2026-03-20").days_left == 11


# --- NEED_FACTS ------------------------------------------------------------------------------


def test_need_facts_lists_all_missing_in_contract_order() -> None:
    a = assess(Facts(problem=Problem.QUALITY_MISMATCH), today=dt.date(2026, 1, 1))
    assert a.verdict is Verdict.NEED_MORE_INFO
    assert a.codes == [Code.NEED_FACTS]
    assert a.missing_facts == [
        "trade_assurance_order",
        "paid_via",
        "receipt_confirmed",
        "delivery_date",
        "amount_paid",
        "specs_in_contract",
    ]
    assert a.reasons[0].sources == []


def test_empty_facts_need_the_six_core_facts() -> None:
    a = assess(Facts())
    assert a.missing_facts == [
        "trade_assurance_order",
        "paid_via",
        "problem",
        "receipt_confirmed",
        "delivery_date",
        "amount_paid",
    ]
    assert a.deadline is None and a.days_left is None
    assert a.protected_amount is None and a.unprotected_amount is None


@pytest.mark.parametrize(
    "field",
    [
        "trade_assurance_order",
        "paid_via",
        "problem",
        "receipt_confirmed",
        "delivery_date",
        "amount_paid",
    ],
)
def test_each_required_fact_missing_alone(judge: Judge, field: str) -> None:
    a = judge(**{field: ...})
    assert a.verdict is Verdict.NEED_MORE_INFO
    assert a.missing_facts == [field]


def test_unknown_payment_route_counts_as_missing(judge: Judge) -> None:
    a = judge(paid_via="unknown")
    assert a.missing_facts == ["paid_via"]
    assert any("T/T" in s for s in a.next_steps)


def test_problem_other_counts_as_missing_and_lists_covered_problems(judge: Judge) -> None:
    a = judge(problem="other")
    assert a.verdict is Verdict.NEED_MORE_INFO
    assert a.missing_facts == ["problem"]
    steps = " ".join(a.next_steps)
    for covered in ("shipping late", "never delivered", "wrong quantity", "cancelling"):
        assert covered in steps
    assert "question" in steps


@pytest.mark.parametrize("problem", ["quality_mismatch", "wrong_quantity"])
def test_specs_needed_only_for_quality_and_quantity(judge: Judge, problem: str) -> None:
    assert judge(problem=problem).missing_facts == ["specs_in_contract"]


@pytest.mark.parametrize("problem", ["late_shipment", "not_delivered", "supplier_cancelled"])
def test_specs_not_needed_for_other_problems(judge: Judge, problem: str) -> None:
    assert "specs_in_contract" not in judge(problem=problem).missing_facts


def test_missing_evidence_and_coverage_are_not_required_facts(judge: Judge) -> None:
    a = judge(evidence=..., coverage_limit=..., as_of=...)
    assert a.verdict is not Verdict.NEED_MORE_INFO
    assert a.missing_facts == []


def test_need_more_info_still_computes_known_figures() -> None:
    facts = Facts(
        as_of=dt.date(2026, 3, 10),
        delivery_date=dt.date(2026, 3, 1),
        amount_paid=5000,
        coverage_limit=3000,
    )
    a = assess(facts)
    assert a.verdict is Verdict.NEED_MORE_INFO
    assert (a.deadline, a.days_left) == (dt.date(2026, 3, 31), 21)
    assert (a.protected_amount, a.unprotected_amount) == (3000, 2000)


# --- risks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("problem", ["quality_mismatch", "wrong_quantity"])
@pytest.mark.parametrize("specs", ["vague", "none"])
def test_vague_specs_risk(judge: Judge, problem: str, specs: str) -> None:
    a = judge(problem=problem, specs_in_contract=specs, evidence=ALL_EVIDENCE)
    assert a.verdict is Verdict.ELIGIBLE_WITH_RISKS
    assert a.codes == [Code.COVERED_PROBLEM, Code.VAGUE_SPECS]
    assert "ISO" in a.reasons[1].text


def test_measurable_specs_no_risk(judge: Judge) -> None:
    a = judge(problem="quality_mismatch", specs_in_contract="measurable", evidence=ALL_EVIDENCE)
    assert Code.VAGUE_SPECS not in a.codes


def test_vague_specs_ignored_for_delivery_problems(judge: Judge) -> None:
    assert Code.VAGUE_SPECS not in judge(specs_in_contract="vague").codes


@pytest.mark.parametrize("problem", ["quality_mismatch", "wrong_quantity"])
def test_no_inspection_risk(judge: Judge, problem: str) -> None:
    evidence = [e for e in ALL_EVIDENCE if e != "inspection_report"]
    a = judge(problem=problem, specs_in_contract="measurable", evidence=evidence)
    assert a.codes == [Code.COVERED_PROBLEM, Code.NO_INSPECTION]
    assert a.missing_evidence == ["inspection_report"]
    assert any("SGS" in s and "Intertek" in s for s in a.next_steps)


def test_no_inspection_not_raised_for_late_shipment(judge: Judge) -> None:
    assert Code.NO_INSPECTION not in judge().codes


@pytest.mark.parametrize("problem", ["late_shipment", "not_delivered"])
def test_weak_evidence_without_tracking_for_delivery_problems(judge: Judge, problem: str) -> None:
    a = judge(problem=problem, evidence=["contract", "platform_chat", "timeline"])
    assert a.codes == [Code.COVERED_PROBLEM, Code.WEAK_EVIDENCE]
    assert "tracking" in a.reasons[1].text


def test_tracking_not_needed_for_supplier_cancelled(judge: Judge) -> None:
    a = judge(problem="supplier_cancelled", evidence=["contract", "platform_chat", "timeline"])
    assert a.codes == [Code.COVERED_PROBLEM]


@pytest.mark.parametrize("dropped", ["contract", "platform_chat"])
@pytest.mark.parametrize("problem", ["late_shipment", "supplier_cancelled", "quality_mismatch"])
def test_weak_evidence_without_contract_or_chat(judge: Judge, dropped: str, problem: str) -> None:
    evidence = [e for e in ALL_EVIDENCE if e != dropped]
    a = judge(problem=problem, specs_in_contract="measurable", evidence=evidence)
    assert a.codes == [Code.COVERED_PROBLEM, Code.WEAK_EVIDENCE]


def test_missing_timeline_is_missing_evidence_but_not_a_risk(judge: Judge) -> None:
    a = judge(evidence=["contract", "platform_chat", "tracking"])
    assert a.verdict is Verdict.ELIGIBLE
    assert a.missing_evidence == ["timeline"]


def test_evidence_unknown_counts_as_none_held(judge: Judge) -> None:
    a = judge(evidence=...)
    assert Code.WEAK_EVIDENCE in a.codes
    assert a.missing_evidence == ["contract", "platform_chat", "tracking", "timeline"]


@pytest.mark.parametrize(
    ("paid", "limit", "protected", "unprotected", "over"),
    [
        (60000, 25000, 25000, 35000, True),
        (20000.01, 20000, 20000, 0.01, True),
        (20000, 20000, 20000, 0, False),
        (8000, 20000, 8000, 0, False),
        (0, 20000, 0, 0, False),
        (1234.56, 1000, 1000, 234.56, True),
    ],
)
def test_amounts_against_coverage(
    judge: Judge, paid: float, limit: float, protected: float, unprotected: float, over: bool
) -> None:
    a = judge(amount_paid=paid, coverage_limit=limit)
    assert a.protected_amount == pytest.approx(protected)
    assert a.unprotected_amount == pytest.approx(unprotected)
    assert (Code.OVER_COVERAGE in a.codes) is over
    assert a.verdict is (Verdict.ELIGIBLE_WITH_RISKS if over else Verdict.ELIGIBLE)


def test_over_coverage_text_and_steps_give_both_amounts(judge: Judge) -> None:
    a = judge(amount_paid=60000, coverage_limit=25000)
    assert "US$25,000" in a.reasons[1].text and "US$35,000" in a.reasons[1].text
    assert any("US$25,000" in s and "US$35,000" in s for s in a.next_steps)


def test_unknown_coverage(judge: Judge) -> None:
    a = judge(coverage_limit=...)
    assert a.verdict is Verdict.ELIGIBLE_WITH_RISKS
    assert a.codes == [Code.COVERED_PROBLEM, Code.COVERAGE_UNKNOWN]
    assert (a.protected_amount, a.unprotected_amount) == (8000, 0)
    assert "coverage" in a.reasons[1].text.lower()
    assert any("coverage amount" in s for s in a.next_steps)


def test_split_amount_unknowns() -> None:
    assert split_amount(None, 100) == (None, None)
    assert split_amount(500, None) == (500, 0)


def test_risks_accumulate_in_contract_order(judge: Judge) -> None:
    a = judge(
        as_of="2026-03-30",
        problem="quality_mismatch",
        specs_in_contract="none",
        evidence=[],
        amount_paid=30000,
        coverage_limit=10000,
    )
    assert a.codes == [
        Code.COVERED_PROBLEM,
        Code.WINDOW_CLOSING,
        Code.VAGUE_SPECS,
        Code.NO_INSPECTION,
        Code.WEAK_EVIDENCE,
        Code.OVER_COVERAGE,
    ]
    b = judge(coverage_limit=..., evidence=[])
    assert b.codes == [Code.COVERED_PROBLEM, Code.WEAK_EVIDENCE, Code.COVERAGE_UNKNOWN]


# --- precedence between decisive rules -------------------------------------------------------

ALL_BAD = {
    "paid_via": "western_union",
    "trade_assurance_order": False,
    "problem": "transit_damage",
    "receipt_confirmed": True,
    "as_of": "2026-06-01",
}
ORDER = ["paid_via", "trade_assurance_order", "problem", "receipt_confirmed", "as_of"]
CODES = [
    Code.OFF_PLATFORM_PAYMENT,
    Code.NOT_TA_ORDER,
    Code.EXCLUDED_PROBLEM,
    Code.RECEIPT_CONFIRMED,
    Code.WINDOW_CLOSED,
]


@pytest.mark.parametrize("fixed", range(len(ORDER)))
def test_first_decisive_rule_wins(judge: Judge, fixed: int) -> None:
    """With the first `fixed` problems cured, the next rule in the table decides."""
    bad = {k: ALL_BAD[k] for k in ORDER[fixed:]}
    a = judge(**bad)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes[0] is CODES[fixed]
    assert all(c not in DECISIVE for c in a.codes[1:])


def test_decisive_rule_beats_missing_facts(judge: Judge) -> None:
    a = judge(problem="customs_hold", amount_paid=..., delivery_date=..., receipt_confirmed=...)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert a.codes == [Code.EXCLUDED_PROBLEM]


def test_covered_problem_only_for_eligible_verdicts(judge: Judge) -> None:
    assert Code.COVERED_PROBLEM not in judge(paid_via="western_union").codes
    assert Code.COVERED_PROBLEM not in judge(amount_paid=...).codes
    assert judge(coverage_limit=...).codes[0] is Code.COVERED_PROBLEM


def test_not_eligible_figures_still_computed(judge: Judge) -> None:
    a = judge(problem="transit_damage", amount_paid=3000, coverage_limit=1000)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert (a.protected_amount, a.unprotected_amount) == (1000, 2000)
    assert a.deadline == dt.date(2026, 3, 31)


def test_known_risks_are_shown_while_facts_are_still_missing() -> None:
    partial = Facts.model_validate(
        {
            "as_of": "2026-03-10",
            "trade_assurance_order": True,
            "paid_via": "alibaba_order",
            "problem": "quality_mismatch",
            "specs_in_contract": "vague",
            "amount_paid": 60000,
            "coverage_limit": 25000,
        }
    )
    result = assess(partial)
    assert result.verdict is Verdict.NEED_MORE_INFO
    assert [r.code for r in result.reasons] == [
        Code.NEED_FACTS,
        Code.VAGUE_SPECS,
        Code.OVER_COVERAGE,
    ]
    assert (result.protected_amount, result.unprotected_amount) == (25000, 35000)
    # Evidence and coverage not given yet are not "lacking": no such risks while asking.
    bare = assess(partial.model_copy(update={"coverage_limit": None, "specs_in_contract": None}))
    assert [r.code for r in bare.reasons] == [Code.NEED_FACTS]
