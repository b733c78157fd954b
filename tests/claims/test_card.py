"""The human card: verdict line, deadline, amounts, evidence, steps, disclaimer; HTML safety."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from bot.claims.assessment import DISCLAIMER, Assessment, Code, Reason, Verdict
from bot.claims.card import MAX_CHARS, render_html, render_text
from bot.claims.facts import Evidence
from bot.kb.citations import cite

Judge = Callable[..., Assessment]
TAG = re.compile(r"</?([a-zA-Z]+)[^>]*>")


def _hostile(**changes: object) -> Assessment:
    base = Assessment(
        verdict=Verdict.ELIGIBLE_WITH_RISKS,
        reasons=[
            Reason(
                code=Code.COVERED_PROBLEM,
                text="<script>alert('x')</script> & co",
                sources=["a<b>.txt"],
            ),
            Reason(code=Code.COVERAGE_UNKNOWN, text='"quoted" > 5', sources=["004.txt"]),
        ],
        deadline=dt.date(2026, 3, 31),
        days_left=21,
        protected_amount=1234567.5,
        unprotected_amount=0,
        missing_evidence=[Evidence.INSPECTION_REPORT],
        next_steps=["Click <Open Dispute> & wait", "Step <i>two</i>"],
        missing_facts=[],
    )
    return base.model_copy(update=changes)


def test_html_escapes_all_text() -> None:
    out = render_html(_hostile())
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "&amp; co" in out and "&lt;Open Dispute&gt;" in out
    assert "a&lt;b&gt;.txt" not in out and "an unlisted source" in out  # never a file name
    assert {m.group(1) for m in TAG.finditer(out)} <= {"b", "i"}


def test_html_tags_are_balanced() -> None:
    out = render_html(_hostile())
    for tag in ("b", "i"):
        assert out.count(f"<{tag}>") == out.count(f"</{tag}>")


def test_plain_card_has_no_markup_but_the_same_content() -> None:
    plain, rich = render_text(_hostile()), render_html(_hostile())
    assert not plain.startswith("<b>") and "</b>" not in plain and "<script>" in plain
    assert plain.splitlines()[0].startswith("⚠️")
    assert len(plain.splitlines()) == len(rich.splitlines())


@pytest.mark.parametrize(
    ("changes", "symbol"),
    [
        ({}, "✅"),
        ({"coverage_limit": ...}, "⚠️"),
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
    assert "2026-03-31" in out and "21 days left" in out
    assert "US$25,000" in out and "US$35,000" in out
    assert "Missing evidence" in out and "your Alibaba chat with the supplier" in out
    assert "1. Open the dispute by 2026-03-31" in out
    assert DISCLAIMER in out
    for reason in a.reasons:
        for source in reason.sources:
            assert source not in out and cite(source, full=False) in out


def test_amounts_use_thousands_separators_and_cents() -> None:
    out = render_text(_hostile())
    assert "US$1,234,567.50" in out


def test_not_eligible_card_hides_claimable_amounts(judge: Judge) -> None:
    out = render_text(judge(problem="transit_damage"))
    assert "Protected:" not in out and "Open the dispute by" not in out
    assert "carrier" in out


def test_window_closed_card_shows_when_it_ended(judge: Judge) -> None:
    out = render_text(judge(as_of="2026-04-05"))
    assert "Ended on 2026-03-31" in out and "passed 5 days ago" in out


def test_need_more_info_card(judge: Judge) -> None:
    out = render_html(judge(problem="other"))
    assert out.startswith("<b>❓")
    assert "question" in out
    assert DISCLAIMER.replace("'", "&#x27;") in out


def test_long_cards_are_trimmed_under_the_limit() -> None:
    a = _hostile(next_steps=[f"Step {n}: " + "x" * 300 for n in range(40)])
    for out in (render_html(a), render_text(a)):
        assert len(out) <= MAX_CHARS
        assert "more steps" in out
        assert DISCLAIMER.split(":")[0] in out


def test_disclaimer_is_on_every_assessment(judge: Judge) -> None:
    assert "Alibaba decides" in judge().disclaimer
    assert "take precedence" in judge(paid_via="western_union").disclaimer
