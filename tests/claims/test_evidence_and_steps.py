"""Evidence checklists per problem and the concrete next steps built from them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.claims.assessment import Assessment, Verdict
from bot.claims.evidence import called_for, missing_evidence
from bot.claims.evidence import how_to_get as _how_to_get
from bot.claims.facts import Evidence, Problem
from bot.i18n import render


def how_to_get(item: E, problem: Problem | None) -> str:
    return render(_how_to_get(item, problem))


Judge = Callable[..., Assessment]
E = Evidence


@pytest.mark.parametrize(
    ("problem", "extra"),
    [
        (Problem.LATE_SHIPMENT, {E.TRACKING}),
        (Problem.NOT_DELIVERED, {E.TRACKING}),
        (Problem.QUALITY_MISMATCH, {E.INSPECTION_REPORT, E.PHOTOS_VIDEO}),
        (Problem.WRONG_QUANTITY, {E.INSPECTION_REPORT, E.PHOTOS_VIDEO}),
        (Problem.SUPPLIER_CANCELLED, set()),
        (Problem.TRANSIT_DAMAGE, {E.PHOTOS_VIDEO, E.TRACKING}),
        (Problem.OTHER, set()),
        (None, set()),
    ],
)
def test_checklist_per_problem(problem: Problem | None, extra: set[Evidence]) -> None:
    base = {E.CONTRACT, E.PLATFORM_CHAT, E.TIMELINE}
    assert set(called_for(problem)) == base | extra


@pytest.mark.parametrize("problem", [*Problem, None])
def test_checklist_order_is_stable(problem: Problem | None) -> None:
    items = called_for(problem)
    assert items == [e for e in Evidence if e in items]


def test_missing_evidence_excludes_held_items() -> None:
    held = frozenset({E.CONTRACT, E.PHOTOS_VIDEO})
    assert missing_evidence(Problem.QUALITY_MISMATCH, held) == [
        E.INSPECTION_REPORT,
        E.PLATFORM_CHAT,
        E.TIMELINE,
    ]


@pytest.mark.parametrize("problem", [*Problem, None])
@pytest.mark.parametrize("item", list(Evidence))
def test_every_item_has_an_instruction(item: Evidence, problem: Problem | None) -> None:
    assert len(how_to_get(item, problem)) > 30


def test_instructions_name_where_and_who(judge: Judge) -> None:
    assert "SGS" in how_to_get(E.INSPECTION_REPORT, Problem.QUALITY_MISMATCH)
    assert "Alibaba chat" in how_to_get(E.PLATFORM_CHAT, None)
    assert "My Alibaba > Orders" in how_to_get(E.CONTRACT, None)
    assert "count" in how_to_get(E.INSPECTION_REPORT, Problem.WRONG_QUANTITY)


def test_eligible_steps_in_order(judge: Judge) -> None:
    steps = judge(evidence=["contract", "platform_chat", "tracking"]).next_steps
    assert steps[0] == (
        "Open the dispute by 31 March 2026 (21 days left); this uses the typical window, so "
        "check the real last day on the order page."
    )
    idx = {
        key: next(i for i, s in enumerate(steps) if key in s)
        for key in ("dated timeline", "Open Dispute", "Negotiate first", "appeal")
    }
    assert idx["dated timeline"] < idx["Open Dispute"] < idx["Negotiate first"] < idx["appeal"]
    assert "My Alibaba > Orders > this order > Open Dispute" in steps[idx["Open Dispute"]]
    assert "7 days" in steps[idx["appeal"]]


def test_each_missing_item_gets_a_step(judge: Judge) -> None:
    a = judge(problem="quality_mismatch", specs_in_contract="measurable", evidence=[])
    joined = " ".join(a.next_steps)
    for item in a.missing_evidence:
        assert how_to_get(item, Problem.QUALITY_MISMATCH) in joined


def test_not_delivered_before_the_ship_by_date_says_when_to_come_back(judge: Judge) -> None:
    a = judge(problem="not_delivered", agreed_date="2026-03-20", delivery_date=...)
    assert a.verdict is Verdict.TOO_EARLY
    assert any("Come back on 21 March 2026" in step for step in a.next_steps)


def test_one_day_left_is_singular(judge: Judge) -> None:
    assert "1 day left" in judge(as_of="2026-03-30").next_steps[0]
    assert "today is the last day" in judge(as_of="2026-03-31").next_steps[0]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"paid_via": "western_union"},
        {"trade_assurance_order": False},
        {"problem": "customs_hold"},
        {"receipt_confirmed": True},
        {"as_of": "2026-05-01"},
        {"coverage_limit": ...},
        {"amount_paid": 0},
        {"delivery_date": "2026-02-19"},
        {"delivery_date": None, "agreed_date": "2026-03-15"},
    ],
)
def test_every_decided_verdict_has_next_steps(judge: Judge, changes: dict[str, object]) -> None:
    a = judge(**changes)
    assert a.verdict is not Verdict.NEED_MORE_INFO
    assert a.next_steps
    assert all(s.strip() and s[0].isupper() for s in a.next_steps)


def test_need_more_info_steps_ask_for_each_fact(judge: Judge) -> None:
    a = judge(trade_assurance_order=..., amount_paid=..., delivery_date=...)
    assert a.missing_facts == ["trade_assurance_order", "amount_paid", "delivery_date"]
    assert a.deadline is None  # the window may start at the arrival, still unknown
    assert len(a.next_steps) == 3 and "arrived" in a.next_steps[2]


def test_texts_do_not_leak_python_reprs(judge: Judge) -> None:
    variants: list[dict[str, object]] = [
        {},
        {"paid_via": "paypal_outside_order"},
        {"problem": "other"},
        {"evidence": []},
    ]
    for changes in variants:
        a = judge(**changes)
        text = " ".join([*a.next_steps, *(r.text for r in a.reasons)])
        assert not re.search(r"None|<|Problem\.|Evidence\.|PaidVia\.", text)


@pytest.mark.parametrize(
    "changes",
    [
        {"problem": "not_delivered", "agreed_date": "2026-03-20", "delivery_date": ...},
        {"problem": "customs_hold"},
        {"receipt_confirmed": True},
        {"as_of": "2026-05-01"},
        {"amount_paid": 0},
    ],
)
def test_money_sent_outside_is_recalled_first_whatever_the_verdict(
    judge: Judge, changes: dict[str, object]
) -> None:
    a = judge(amount_paid_outside=400, **changes)
    assert a.verdict in (Verdict.TOO_EARLY, Verdict.NOT_ELIGIBLE)
    assert "US$400 paid outside the order can be recalled" in a.next_steps[0]
    assert not any("recalled" in s for s in judge(**changes).next_steps)


def test_receipt_confirmed_for_goods_that_never_came_goes_to_support_not_defects(
    judge: Judge,
) -> None:
    a = judge(problem="not_delivered", agreed_date="2026-03-01", receipt_confirmed=True)
    assert a.verdict is Verdict.NOT_ELIGIBLE
    assert "Contact Alibaba support at once" in a.next_steps[0]
    assert "never arrived" in a.next_steps[0]
    assert not any("defect" in s for s in a.next_steps)
