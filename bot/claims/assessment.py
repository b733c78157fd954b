"""The assessment the check returns (the JSON contract's output side)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.claims.catalog import FactName
from bot.claims.facts import Evidence


class Verdict(StrEnum):
    """The five possible outcomes of a check."""

    ELIGIBLE = "eligible"
    ELIGIBLE_WITH_RISKS = "eligible_with_risks"
    NOT_ELIGIBLE = "not_eligible"
    NEED_MORE_INFO = "need_more_info"
    TOO_EARLY = "too_early"


CLAIMABLE = frozenset({Verdict.ELIGIBLE, Verdict.ELIGIBLE_WITH_RISKS})
"""Verdicts under which a dispute can be opened now."""


class Strength(StrEnum):
    """How likely a claimable case is to win: "you can claim" is not "you will probably win"."""

    STRONG = "strong"
    FAIR = "fair"
    WEAK = "weak"


class Severity(StrEnum):
    """What a reason does: decides the verdict, weakens the case, or only informs."""

    DECISIVE = "decisive"
    RISK = "risk"
    NOTE = "note"


class Code(StrEnum):
    """Rule codes, in the contract's order; a reason always carries one of these."""

    OFF_PLATFORM_PAYMENT = "OFF_PLATFORM_PAYMENT"
    NOT_TA_ORDER = "NOT_TA_ORDER"
    NOTHING_PAID = "NOTHING_PAID"
    EXCLUDED_PROBLEM = "EXCLUDED_PROBLEM"
    RECEIPT_CONFIRMED = "RECEIPT_CONFIRMED"
    NOT_LATE = "NOT_LATE"
    TOO_EARLY = "TOO_EARLY"
    WINDOW_CLOSED = "WINDOW_CLOSED"
    NEED_FACTS = "NEED_FACTS"
    WINDOW_CLOSING = "WINDOW_CLOSING"
    PART_PAID_OUTSIDE = "PART_PAID_OUTSIDE"
    DEFECT_FOUND_IN_USE = "DEFECT_FOUND_IN_USE"
    FORCE_MAJEURE_CLAIMED = "FORCE_MAJEURE_CLAIMED"
    VAGUE_SPECS = "VAGUE_SPECS"
    NO_INSPECTION = "NO_INSPECTION"
    WEAK_EVIDENCE = "WEAK_EVIDENCE"
    OVER_COVERAGE = "OVER_COVERAGE"
    COVERAGE_UNKNOWN = "COVERAGE_UNKNOWN"
    COVERED_PROBLEM = "COVERED_PROBLEM"
    TYPICAL_WINDOW = "TYPICAL_WINDOW"


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
    severity: Severity
    text: str
    sources: list[str]


class Assessment(BaseModel):
    """Everything the check concludes about one order; JSON fields are exactly the contract's."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    strength: Strength | None
    reasons: list[Reason]
    deadline: dt.date | None
    days_left: int | None
    remind_on: dt.date | None
    protected_amount: float | None
    unprotected_amount: float | None
    claim_estimate: float | None
    missing_evidence: list[Evidence]
    next_steps: list[str]
    missing_facts: list[FactName]

    @property
    def disclaimer(self) -> str:
        """The advice-not-ruling line; a property so the JSON keeps the contract's fields only."""
        return DISCLAIMER

    @property
    def decisive(self) -> Code:
        """The code that decided the verdict (COVERED_PROBLEM for a claimable case)."""
        return next(r.code for r in self.reasons if r.severity is Severity.DECISIVE)

    @property
    def risks(self) -> list[Reason]:
        """The risks raised, in the contract's order."""
        return [r for r in self.reasons if r.severity is Severity.RISK]

    @property
    def codes(self) -> list[Code]:
        """Reason codes in order, the decisive one first."""
        return [r.code for r in self.reasons]
