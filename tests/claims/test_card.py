"""The human card: verdict line, deadline, amounts, evidence, steps, disclaimer; HTML safety."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from bot.claims.assessment import (
    DISCLAIMER,
    Assessment,
    Code,
    Figures,
    Reason,
    Severity,
    Step,
    StepCode,
    Strength,
    Verdict,
)
from bot.claims.card import (
    HEADLINES,
    MAX_CHARS,
    render_details_html,
    render_html,
    render_summary_html,
    render_text,
)
from bot.claims.facts import Evidence
from bot.kb.citations import cite

Judge = Callable[..., Assessment]
TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")


def _hostile(**changes: object) -> Assessment:
    base = Assessment(
        verdict=Verdict.ELIGIBLE_WITH_RISKS,
        strength=Strength.FAIR,
        remind_on=None,
        claim_estimate=None,
        reasons=[
            Reason(
                code=Code.COVERED_PROBLEM,
                severity=Severity.DECISIVE,
                sources=["a<b>.txt"],
            ),
            Reason(
                code=Code.COVERAGE_UNKNOWN,
                severity=Severity.RISK,
                sources=["004.txt"],
                figures=Figures(paid=12_000),
            ),
        ],
        deadline=dt.date(2026, 3, 31),
        days_left=21,
        protected_amount=1234567.5,
        unprotected_amount=0,
        missing_evidence=[Evidence.INSPECTION_REPORT],
        steps=[Step(code=StepCode.OPEN_DISPUTE), Step(code=StepCode.DONT_CONFIRM_RECEIPT)],
        missing_facts=[],
    )
    return base.model_copy(update=changes)


def test_html_escapes_all_text() -> None:
    out = render_html(_hostile())
    assert "My Alibaba &gt; Orders" in out and "supplier&#x27;s" in out
    assert "a&lt;b&gt;.txt" not in out and "an unlisted source" in out  # never a file name
    assert {m.group(1) for m in TAG.finditer(out)} <= {"b", "i"}


def test_html_tags_are_balanced() -> None:
    out = render_html(_hostile())
    for tag in ("b", "i"):
        assert out.count(f"<{tag}>") == out.count(f"</{tag}>")


def test_plain_card_has_no_markup_but_the_same_content() -> None:
    plain, rich = render_text(_hostile()), render_html(_hostile())
    assert not plain.startswith("<b>") and "</b>" not in plain and "My Alibaba > Orders" in plain
    assert plain.splitlines()[0].startswith("⚠️")
    assert len(plain.splitlines()) == len(rich.splitlines())


@pytest.mark.parametrize(
    ("changes", "symbol"),
    [
        ({}, "✅"),
        ({"coverage_limit": None}, "⚠️"),
        ({"paid_via": "western_union"}, "❌"),
        ({"amount_paid": ...}, "❓"),
    ],
)
def test_verdict_line_has_its_symbol(judge: Judge, changes: dict[str, object], symbol: str) -> None:
    a = judge(**changes)
    for out in (render_text(a), render_html(a)):
        first = out.splitlines()[0]
        assert symbol in first
        assert "\n" not in first


def test_card_contents_for_an_eligible_claim(judge: Judge) -> None:
    a = judge(amount_paid=60000, coverage_limit=25000, evidence=["contract"])
    out = render_text(a)
    assert "31 March 2026" in out and "21 days left" in out and "2026-03-31" not in out
    assert "US$25,000" in out and "US$35,000" in out
    assert "Missing evidence" in out and "your Alibaba chat with the supplier" in out
    assert "1. Open the dispute by 31 March 2026" in out
    assert DISCLAIMER in out
    for reason in a.reasons:
        for source in reason.sources:
            assert source not in out and cite(source, full=False) in out


def test_amounts_use_thousands_separators_and_cents() -> None:
    out = render_text(_hostile())
    assert "US$1,234,567.50" in out


def test_not_eligible_card_never_suggests_protection(judge: Judge) -> None:
    out = render_text(judge(problem="transit_damage"))
    assert "Protected: nothing" in out and "at risk: US$8,000" in out
    assert "Open the dispute by" not in out and "carrier" in out


def test_window_closed_card_shows_when_it_ended(judge: Judge) -> None:
    out = render_text(judge(as_of="2026-04-05"))
    assert "Ended on 31 March 2026" in out and "passed 5 days ago" in out


def test_need_more_info_card(judge: Judge) -> None:
    out = render_html(judge(problem="other"))
    assert out.startswith("<b>❓")
    assert "question" in out
    assert DISCLAIMER.replace("'", "&#x27;") in out


def test_long_cards_are_trimmed_under_the_limit() -> None:
    a = _hostile(steps=[Step(code=StepCode.SUPPORT_NEVER_ARRIVED)] * 40)
    for out in (render_html(a), render_text(a)):
        assert len(out) <= MAX_CHARS
        assert "more steps" in out and "--json" not in out  # no CLI flag in a chat
        assert DISCLAIMER.split(":")[0] in out


def test_disclaimer_is_on_every_assessment(judge: Judge) -> None:
    assert "Alibaba decides" in judge().disclaimer
    assert "take precedence" in judge(paid_via="western_union").disclaimer


def test_headline_follows_strength(judge: Judge) -> None:
    strong = render_text(judge()).splitlines()[0]
    weak = render_text(judge(evidence=[])).splitlines()[0]
    assert "strong" in strong
    assert weak.startswith(HEADLINES[Verdict.ELIGIBLE_WITH_RISKS]) and "weak" in weak
    assert "valid claim" not in weak


def test_too_early_card_says_when_to_check_again(judge: Judge) -> None:
    out = render_text(judge(agreed_date="2026-03-20", delivery_date=None))
    assert out.startswith("⏳") and "Check again on 21 March 2026" in out


def test_unknown_coverage_is_never_shown_as_protected(judge: Judge) -> None:
    out = render_text(judge(coverage_limit=None))
    assert "Protected: unknown" in out and "US$8,000 ·" not in out


def test_phone_summary_carries_verdict_deadline_amounts_and_next_step(judge: Judge) -> None:
    a = judge(amount_paid=60000, coverage_limit=25000, evidence=["contract"])
    first, rest = render_summary_html(a), render_details_html(a)
    assert "31 March 2026" in first and "US$25,000" in first and "Next step" in first
    assert "Why" not in first and "Why" in rest and "All steps" in rest
    assert len(first) < len(render_html(a))


def test_phone_screen_of_a_weak_case_says_what_would_make_it_stronger(judge: Judge) -> None:
    a = judge(evidence=[])
    first = render_summary_html(a)
    assert "What would make it stronger" in first and "no evidence yet" in first
    assert "Next step" in first and a.next_steps[1].split(":")[0] in first  # not the deadline
