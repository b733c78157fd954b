"""Every rule of the contract reached through the questionnaire, as a user would answer it
(the terminal and Telegram share this machine; their transcripts cover the screens)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.claims.assessment import Code, Verdict
from bot.claims.rules import RULES
from bot.dialogue import machine as m

TODAY = dt.date(2026, 5, 10)
QUALITY = ["quality", "1", "yes", "3000", "no", "3 days ago"]
# Evidence numbers: 1 contract, 2 inspection, 3 photos, 4 Alibaba chat, 5 tracking, 6 timeline.

SCRIPTS: dict[Code, list[str]] = {
    Code.OFF_PLATFORM_PAYMENT: ["late", "wire to supplier's own bank"],
    Code.NOT_TA_ORDER: ["quality", "1", "no"],
    Code.NOTHING_PAID: ["cancel", "1", "yes", "0"],
    Code.EXCLUDED_PROBLEM: ["damaged in transport"],
    Code.RECEIPT_CONFIRMED: ["quality", "1", "yes", "3000", "yes"],
    Code.NOT_LATE: ["late", "1", "yes", "3000", "no", "2026-05-08", "2026-05-05"],
    Code.TOO_EARLY: ["never arrived", "1", "yes", "3000", "no", "in 5 days"],
    Code.WINDOW_CLOSED: ["quality", "1", "yes", "3000", "no", "2026-01-02"],
    Code.NEED_FACTS: ["late", "idk", "yes", "3000", "no", "2026-05-01", "not yet", "?", "20000"],
    Code.WINDOW_CLOSING: [
        "wrong quantity",
        "1",
        "yes",
        "3000",
        "no",
        "2026-04-12",
        "?",
        "?",
        "20000",
        "1 3 4",
    ],
    Code.PART_PAID_OUTSIDE: [
        "quality",
        "part on alibaba, part outside",
        "7000",
        "yes",
        "3000",
        "no",
        "3 days ago",
        "1",
        "?",
        "20000",
        "1 2 3 4",
    ],
    Code.DEFECT_FOUND_IN_USE: [
        "defect found after use",
        *QUALITY[1:],
        "1",
        "?",
        "20000",
        "1 2 3 4",
    ],
    Code.FORCE_MAJEURE_CLAIMED: [
        "typhoon",
        "1",
        "yes",
        "3000",
        "no",
        "2026-05-01",
        "?",
        "20000",
        "1 4",
    ],
    Code.VAGUE_SPECS: [*QUALITY, "2", "?", "20000", "1 2 3 4"],
    Code.NO_INSPECTION: [*QUALITY, "1", "?", "20000", "1 3 4"],
    Code.WEAK_EVIDENCE: [*QUALITY, "1", "?", "20000", "none"],
    Code.OVER_COVERAGE: [*QUALITY, "1", "?", "1000", "1 2 3 4"],
    Code.COVERAGE_UNKNOWN: [*QUALITY, "1", "?", "?", "1 2 3 4"],
    Code.COVERED_PROBLEM: [*QUALITY, "1", "?", "20000", "1 2 3 4"],
    Code.TYPICAL_WINDOW: [*QUALITY, "1", "?", "20000", "1 2 3 4"],
}


def test_every_rule_has_a_script() -> None:
    assert set(SCRIPTS) == {rule.code for rule in RULES}


@pytest.mark.parametrize("code", list(SCRIPTS), ids=[c.value for c in SCRIPTS])
def test_the_rule_is_reached_by_answering_questions(code: Code) -> None:
    state = m.start(TODAY)
    for text in SCRIPTS[code]:
        result = m.answer(state, text)
        assert isinstance(result, m.CheckState), (text, getattr(result, "message", ""))
        state = result
    if code is Code.NEED_FACTS:  # the rest of the questions, answered "don't know"
        while state.stage == "asking":
            unknown = m.answer(state, "none") if state.current == "evidence" else None
            result = unknown or m.answer_unknown(state)
            assert isinstance(result, m.CheckState)
            state = result
    assert state.stage == "review", (state.stage, state.current)
    _, result = m.confirm(state)
    assert code in result.codes, (result.verdict, result.codes)
    if code is Code.COVERED_PROBLEM:
        assert result.verdict is Verdict.ELIGIBLE
