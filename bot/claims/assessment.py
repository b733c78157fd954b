"""The assessment the check returns (the JSON contract's output side)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.claims.facts import Evidence


class Verdict(StrEnum):
    """The four possible outcomes of a check."""

    ELIGIBLE = "eligible"
    ELIGIBLE_WITH_RISKS = "eligible_with_risks"
    NOT_ELIGIBLE = "not_eligible"
    NEED_MORE_INFO = "need_more_info"


class Code(StrEnum):
    """Rule codes, in the contract's order; a reason always carries one of these."""

    OFF_PLATFORM_PAYMENT = "OFF_PLATFORM_PAYMENT"
    NOT_TA_ORDER = "NOT_TA_ORDER"
    EXCLUDED_PROBLEM = "EXCLUDED_PROBLEM"
    RECEIPT_CONFIRMED = "RECEIPT_CONFIRMED"
    WINDOW_CLOSED = "WINDOW_CLOSED"
    NEED_FACTS = "NEED_FACTS"
    WINDOW_CLOSING = "WINDOW_CLOSING"
    VAGUE_SPECS = "VAGUE_SPECS"
    NO_INSPECTION = "NO_INSPECTION"
    WEAK_EVIDENCE = "WEAK_EVIDENCE"
    OVER_COVERAGE = "OVER_COVERAGE"
    COVERAGE_UNKNOWN = "COVERAGE_UNKNOWN"
    COVERED_PROBLEM = "COVERED_PROBLEM"


FactName = Literal[
    "trade_assurance_order",
    "paid_via",
    "problem",
    "receipt_confirmed",
    "delivery_date",
    "amount_paid",
    "specs_in_contract",
]
"""Facts the check may still need; the questionnaire asks for them by these names."""

DISCLAIMER = (
    "This is advice, not a ruling: Alibaba decides every dispute, and the protection window "
    "and coverage amount shown on your own order take precedence over the typical figures "
    "used here."
)
"""Shown with every verdict, because users act on it with real money."""


class Reason(BaseModel):
    """Why the verdict is what it is: one fired rule, in words, with the seeds behind it."""

    model_config = ConfigDict(frozen=True)

    code: Code
    text: str
    sources: list[str]


class Assessment(BaseModel):
    """Everything the check concludes about one order; JSON fields are exactly the contract's."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    reasons: list[Reason]
    deadline: dt.date | None
    days_left: int | None
    protected_amount: float | None
    unprotected_amount: float | None
    missing_evidence: list[Evidence]
    next_steps: list[str]
    missing_facts: list[FactName]

    @property
    def disclaimer(self) -> str:
        """The advice-not-ruling line; a property so the JSON keeps the contract's fields only."""
        return DISCLAIMER

    @property
    def codes(self) -> list[Code]:
        """Reason codes in order, the decisive one first."""
        return [r.code for r in self.reasons]
