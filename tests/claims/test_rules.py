"""Each rule of the contract (v2): fires when it should, stays silent when it should not, and
the table keeps the contract's order, severities and the seeds that actually state each rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from bot.claims.assess import assess
from bot.claims.assessment import Assessment, Code, Severity, Strength, Verdict
from bot.claims.catalog import FACTS, missing_facts
from bot.claims.facts import EXCLUDED_PROBLEMS, Facts, PaidVia, Problem
from bot.claims.rules import RULES, RULES_BY_CODE
from bot.claims.sources import SEED_FILES

Judge = Callable[..., Assessment]
OFF_PLATFORM = [p for p in PaidVia if p not in (PaidVia.ALIBABA_ORDER, PaidVia.UNKNOWN)]
QUALITY = {
    "specs_in_contract": "measurable",
    "evidence": ["contract", "platform_chat", "inspection_report", "photos_video"],
}


def test_clean_order_is_eligible_and_strong(judge: Judge) -> None:
    a = judge()
    assert (a.verdict, a.strength) == (Verdict.ELIGIBLE, Strength.STRONG)
    assert a.decisive is Code.COVERED_PROBLEM and not a.risks


def test_rule_table_follows_the_contract_order_severities_and_sources() -> None:
    expected = [
        ("OFF_PLATFORM_PAYMENT", "decisive", ["000", "001", "002", "003", "004"]),
        ("NOT_TA_ORDER", "decisive", ["002", "003", "004"]),
        ("NOTHING_PAID", "decisive", []),
        ("EXCLUDED_PROBLEM", "decisive", None),  # per problem, below
        ("RECEIPT_CONFIRMED", "decisive", ["001", "003"]),
        ("NOT_LATE", "decisive", ["003"]),
        ("TOO_EARLY", "decisive", ["003"]),
        ("WINDOW_CLOSED", "decisive", ["001", "003"]),
        ("NEED_FACTS", "decisive", []),
        ("WINDOW_CLOSING", "risk", ["001", "003"]),
        ("PART_PAID_OUTSIDE", "risk", ["001", "002", "003"]),
        ("DEFECT_FOUND_IN_USE", "risk", ["003"]),
        ("FORCE_MAJEURE_CLAIMED", "risk", ["003"]),
        ("VAGUE_SPECS", "risk", ["001", "002", "003"]),
        ("NO_INSPECTION", "risk", ["001", "002", "003"]),
        ("WEAK_EVIDENCE", "risk", ["001", "003"]),
        ("OVER_COVERAGE", "risk", ["001", "002", "003"]),
        ("COVERAGE_UNKNOWN", "risk", ["001", "002", "003", "004"]),
        ("COVERED_PROBLEM", "decisive", ["000", "001", "003", "004"]),
        ("TYPICAL_WINDOW", "note", ["002", "003"]),
    ]
    assert [(r.code.value, r.severity.value) for r in RULES] == [(c, s) for c, s, _ in expected]
    case_free = Facts()
    from bot.claims.case import Case

    for code, _, seeds in expected:
        if seeds is not None:
            got = RULES_BY_CODE[Code(code)].sources(Case.of(case_free, dt.date(2026, 1, 1)))
            assert list(got) == [SEED_FILES[n] for n in seeds]


EXCLUSION_SEEDS = {
    Problem.TRANSIT_DAMAGE: ["003"],
    Problem.CUSTOMS_HOLD: ["003"],
    Problem.SUBJECTIVE_QUALITY: ["000", "001", "003"],
    Problem.MATCHES_APPROVED_SAMPLE: ["000"],
    Problem.SERVICE_OR_WARRANTY: ["002"],
}


@pytest.mark.parametrize("problem", sorted(EXCLUDED_PROBLEMS))
def test_excluded_problem_cites_only_the_seeds_that_name_it(judge: Judge, problem: Problem) -> None:
    a = judge(problem=problem.value)
    assert a.verdict is Verdict.NOT_ELIGIBLE and a.codes == [Code.EXCLUDED_PROBLEM]
    assert a.reasons[0].sources == [SEED_FILES[n] for n in EXCLUSION_SEEDS[problem]]
    assert a.protected_amount == 0 and a.unprotected_amount == 8000


def test_every_rule_declares_facts_that_exist() -> None:
    names = {spec.name for spec in FACTS}
    for rule in RULES:
        assert set(rule.reads) <= names, rule.code


# --- decisive rules ------------------------------------------------------------------------


@pytest.mark.parametrize("paid_via", OFF_PLATFORM)
def test_off_platform_payment_decides_whatever_else_is_missing(paid_via: PaidVia) -> None:
    a = assess(Facts(paid_via=paid_via), today=dt.date(2026, 1, 1))
    assert a.verdict is Verdict.NOT_ELIGIBLE and a.codes == [Code.OFF_PLATFORM_PAYMENT]
    assert "recall" in a.next_steps[0] or "stop" in a.next_steps[0] or "dispute" in a.next_steps[0]
    assert "more money outside" in a.next_steps[1]


def test_absent_facts_never_decide(judge: Judge) -> None:
    a = judge(paid_via=..., trade_assurance_order=...)
    assert a.verdict is Verdict.NEED_MORE_INFO
    assert set(a.missing_facts) == {"paid_via", "trade_assurance_order"}


def test_not_a_trade_assurance_order_and_zero_coverage(judge: Judge) -> None:
    assert judge(trade_assurance_order=False).codes == [Code.NOT_TA_ORDER]
    zero = judge(coverage_limit=0)
    assert zero.codes == [Code.NOT_TA_ORDER] and zero.protected_amount == 0


def test_nothing_paid_is_not_a_claim_for_zero_dollars(judge: Judge) -> None:
    a = judge(amount_paid=0)
    assert a.verdict is Verdict.NOT_ELIGIBLE and a.codes == [Code.NOTHING_PAID]
    assert not any("US$0" in step for step in a.next_steps)
    assert any("never" in step or "only through" in step for step in a.next_steps)


def test_receipt_confirmed_still_says_to_contact_support_about_hidden_defects(judge: Judge) -> None:
    a = judge(receipt_confirmed=True)
    assert a.codes == [Code.RECEIPT_CONFIRMED]
    assert "Alibaba support" in a.next_steps[0]


def test_not_late_when_the_goods_arrived_by_the_ship_by_date(judge: Judge) -> None:
    a = judge(agreed_date="2026-03-05", delivery_date="2026-03-05")
    assert a.codes == [Code.NOT_LATE]
    late = judge(agreed_date="2026-03-05", delivery_date="2026-03-06")
    assert late.verdict is Verdict.ELIGIBLE


@pytest.mark.parametrize("problem", ["late_shipment", "not_delivered"])
def test_too_early_until_the_ship_by_date_has_passed(judge: Judge, problem: str) -> None:
    a = judge(problem=problem, agreed_date="2026-03-10", delivery_date=None)
    assert (a.verdict, a.codes[0]) == (Verdict.TOO_EARLY, Code.TOO_EARLY)
    assert a.remind_on == dt.date(2026, 3, 11) and a.strength is None
    assert any("11 March 2026" in step for step in a.next_steps)
    after = judge(problem=problem, agreed_date="2026-03-09", delivery_date=None)
    assert after.verdict is not Verdict.TOO_EARLY


def test_window_closed_on_the_typical_figure_sends_the_buyer_to_the_order_page(
    judge: Judge,
) -> None:
    a = judge(as_of="2026-04-20", delivery_date="2026-03-01")
    assert a.codes[0] is Code.WINDOW_CLOSED and Code.TYPICAL_WINDOW in a.codes
    assert "order page" in a.next_steps[0] and "today" in a.next_steps[0]
    own = judge(as_of="2026-04-20", delivery_date="2026-03-01", order_window_end="2026-04-15")
    assert own.codes == [Code.WINDOW_CLOSED] and own.deadline == dt.date(2026, 4, 15)


def test_the_order_pages_window_wins_both_ways(judge: Judge) -> None:
    longer = judge(as_of="2026-04-20", delivery_date="2026-03-01", order_window_end="2026-05-01")
    assert longer.verdict is Verdict.ELIGIBLE and longer.deadline == dt.date(2026, 5, 1)


def test_need_facts_lists_only_needed_facts_and_no_risks(judge: Judge) -> None:
    a = judge(problem="quality_mismatch", coverage_limit=None, evidence=[])
    assert a.missing_facts == ["specs_in_contract"]
    assert [r.severity for r in a.reasons if r.severity is Severity.RISK] == []


def test_something_else_asks_only_for_the_problem(judge: Judge) -> None:
    a = judge(problem="other")
    assert a.missing_facts == ["problem"]
    assert any("covers" in step for step in a.next_steps)


# --- risks and strength --------------------------------------------------------------------


def test_window_closing(judge: Judge) -> None:
    a = judge(as_of="2026-03-28")
    assert Code.WINDOW_CLOSING in a.codes and a.strength is Strength.FAIR
    assert a.remind_on == dt.date(2026, 3, 29)


def test_part_paid_outside_counts_as_unprotected(judge: Judge) -> None:
    a = judge(amount_paid_outside=7000)
    assert Code.PART_PAID_OUTSIDE in a.codes
    assert (a.protected_amount, a.unprotected_amount) == (8000, 7000)
    assert any("recalled" in step for step in a.next_steps)


def test_defect_found_in_use_is_a_weak_claim_not_a_flat_no(judge: Judge) -> None:
    a = judge(problem="defect_after_use", **QUALITY)
    assert a.verdict is Verdict.ELIGIBLE_WITH_RISKS and a.strength is Strength.WEAK
    assert Code.DEFECT_FOUND_IN_USE in a.codes and a.deadline is not None


def test_force_majeure_is_weak_and_alibaba_decides(judge: Judge) -> None:
    a = judge(problem="force_majeure", agreed_date="2026-03-01", delivery_date=...)
    assert a.strength is Strength.WEAK and Code.FORCE_MAJEURE_CLAIMED in a.codes
    assert "Alibaba decides" in a.reasons[1].text or "not the supplier" in a.reasons[1].text


@pytest.mark.parametrize(("specs", "strength"), [("vague", "fair"), ("none", "weak")])
def test_vague_specs(judge: Judge, specs: str, strength: str) -> None:
    a = judge(problem="quality_mismatch", **{**QUALITY, "specs_in_contract": specs})
    assert Code.VAGUE_SPECS in a.codes and a.strength is Strength(strength)


def test_no_inspection_advises_booking_one_only_above_5000(judge: Judge) -> None:
    evidence = ["contract", "platform_chat", "photos_video"]
    small = judge(
        problem="quality_mismatch",
        specs_in_contract="measurable",
        amount_paid=150,
        evidence=evidence,
    )
    assert Code.NO_INSPECTION in small.codes
    assert not any("SGS" in step for step in small.next_steps)
    big = judge(
        problem="quality_mismatch",
        specs_in_contract="measurable",
        amount_paid=9000,
        evidence=evidence,
    )
    assert any("SGS" in step for step in big.next_steps)


def test_weak_evidence(judge: Judge) -> None:
    assert Code.WEAK_EVIDENCE in judge(evidence=["contract", "platform_chat"]).codes  # tracking
    never_shipped = judge(
        problem="not_delivered", agreed_date="2026-03-01", evidence=["contract", "platform_chat"]
    )
    assert Code.WEAK_EVIDENCE not in never_shipped.codes
    nothing = judge(evidence=[])
    assert nothing.strength is Strength.WEAK


def test_over_coverage_and_coverage_unknown(judge: Judge) -> None:
    over = judge(amount_paid=30000)
    assert Code.OVER_COVERAGE in over.codes
    assert (over.protected_amount, over.unprotected_amount) == (20000, 10000)
    unknown = judge(coverage_limit=None)
    assert Code.COVERAGE_UNKNOWN in unknown.codes and unknown.protected_amount is None
    assert unknown.unprotected_amount is None
    absent = judge(coverage_limit=...)
    assert Code.COVERAGE_UNKNOWN in absent.codes and "coverage_limit" not in absent.missing_facts


def test_claim_estimate_for_a_short_count(judge: Judge) -> None:
    a = judge(
        problem="wrong_quantity",
        delivery_date="2026-03-01",
        units_ordered=1000,
        units_received=800,
        evidence=["contract", "platform_chat", "photos_video"],
    )
    assert a.claim_estimate == 1600
    assert any("US$1,600" in step for step in a.next_steps)


def test_missing_facts_are_derived_from_the_catalogue() -> None:
    facts = Facts(problem=Problem.LATE_SHIPMENT)
    needed = [s.name for s in FACTS if s.is_needed(facts) and s.name != "problem"]
    assert missing_facts(facts) == needed
    assert "agreed_date" in needed and "specs_in_contract" not in needed
