"""The assessment the check returns (the JSON contract's output side)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from bot.claims.catalog import FactName
from bot.claims.facts import Evidence, PaidVia, Problem, Specs
from bot.i18n import DEFAULT_LANG, N_, Text, render


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


DISCLAIMER = N_(
    "This is advice, not a ruling: Alibaba decides every dispute, and the protection window "
    "and coverage amount shown on your own order take precedence over the typical figures "
    "used here."
)
"""Shown with every verdict, because users act on it with real money."""


class Figures(BaseModel):
    """The figures and codes a reason or a next step is worded from (never the words).

    Every field is optional; a stored reason keeps only those it was given. `variant` names
    which of a code's sentences applies when the choice is the rules' decision (a small order
    gets other inspection advice than a large one), so wording never re-decides a rule.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    variant: str | None = None
    problem: Problem | None = None
    paid_via: PaidVia | None = None
    specs: Specs | None = None
    evidence: Evidence | None = None
    gaps: tuple[Evidence, ...] = ()
    facts: tuple[FactName, ...] = ()
    fact: FactName | None = None
    paid: float | None = None
    limit: float | None = None
    outside: float | None = None
    protected: float | None = None
    unprotected: float | None = None
    estimate: float | None = None
    deadline: dt.date | None = None
    agreed: dt.date | None = None
    arrival: dt.date | None = None
    day: dt.date | None = None
    days_left: int | None = None
    typical: bool | None = None

    @model_serializer(mode="wrap")
    def _only_set(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Stored rows keep only the figures that were set."""
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None and v != () and v != []}


class Worded(BaseModel):
    """A code with its figures that the catalogue words when it is shown."""

    model_config = ConfigDict(frozen=True)

    figures: Figures = Figures()

    @property
    def message(self) -> Text:
        """The message to render for a reader."""
        from bot.claims.wording import words  # the wording reads the rules' and steps' tables

        return words(self)

    @property
    def text(self) -> str:
        """In English: the JSON contract's reason `text` and `next_steps` entries."""
        return render(self.message, DEFAULT_LANG)


class Reason(Worded):
    """Why the verdict is what it is: one fired rule's code and figures, with the seeds behind
    it."""

    code: Code
    severity: Severity
    sources: list[str]


class StepCode(StrEnum):
    """Next steps by code; the catalogue words each one (`bot.claims.steps.STEP_WORDS`)."""

    DEADLINE = "DEADLINE"
    RECALL_PART_OUTSIDE = "RECALL_PART_OUTSIDE"
    GET_EVIDENCE = "GET_EVIDENCE"
    SKIP_INSPECTION = "SKIP_INSPECTION"
    KEEP_GOODS_UNUSED = "KEEP_GOODS_UNUSED"
    STOP_USING = "STOP_USING"
    FORCE_MAJEURE_ASK = "FORCE_MAJEURE_ASK"
    COLLECT_SPECS = "COLLECT_SPECS"
    COMPARE_SHIP_DATES = "COMPARE_SHIP_DATES"
    COUNT_UNITS = "COUNT_UNITS"
    KEEP_CANCELLATION = "KEEP_CANCELLATION"
    DONT_CONFIRM_RECEIPT = "DONT_CONFIRM_RECEIPT"
    OPEN_DISPUTE = "OPEN_DISPUTE"
    CLAIM_ESTIMATE = "CLAIM_ESTIMATE"
    CLAIM_UP_TO_COVERAGE = "CLAIM_UP_TO_COVERAGE"
    CHECK_COVERAGE = "CHECK_COVERAGE"
    CLAIM_UP_TO = "CLAIM_UP_TO"
    NEGOTIATE_FIRST = "NEGOTIATE_FIRST"
    APPEAL = "APPEAL"
    CHECK_TA_ORDER = "CHECK_TA_ORDER"
    ASK_SUPPLIER_REFUND = "ASK_SUPPLIER_REFUND"
    ASK_BANK_CHARGEBACK = "ASK_BANK_CHARGEBACK"
    NEXT_TIME_TA_ORDER = "NEXT_TIME_TA_ORDER"
    DONT_PAY_YET = "DONT_PAY_YET"
    PAY_ONLY_CHECKOUT = "PAY_ONLY_CHECKOUT"
    CLOSE_CANCELLED_ORDER = "CLOSE_CANCELLED_ORDER"
    NOT_LATE_OTHER_PROBLEM = "NOT_LATE_OTHER_PROBLEM"
    CHECK_BEFORE_CONFIRMING = "CHECK_BEFORE_CONFIRMING"
    HIDDEN_DEFECT_SUPPORT = "HIDDEN_DEFECT_SUPPORT"
    ASK_SUPPLIER_TERMS = "ASK_SUPPLIER_TERMS"
    SUPPORT_AFTER_CONFIRMING = "SUPPORT_AFTER_CONFIRMING"
    KEEP_RECORDS = "KEEP_RECORDS"
    NEXT_TIME_INSPECT = "NEXT_TIME_INSPECT"
    SUPPORT_NEVER_ARRIVED = "SUPPORT_NEVER_ARRIVED"
    ASK_SHIP_OR_REFUND = "ASK_SHIP_OR_REFUND"
    NO_MONEY_TO_FIX = "NO_MONEY_TO_FIX"
    NEXT_TIME_CONFIRM_AFTER = "NEXT_TIME_CONFIRM_AFTER"
    CHECK_ORDER_PAGE_NOW = "CHECK_ORDER_PAGE_NOW"
    NEGOTIATE_DIRECTLY = "NEGOTIATE_DIRECTLY"
    NEXT_TIME_DISPUTE_EARLY = "NEXT_TIME_DISPUTE_EARLY"
    RECALL_OUTSIDE = "RECALL_OUTSIDE"
    ASK_PRODUCTION_UPDATE = "ASK_PRODUCTION_UPDATE"
    CHECK_SHIP_BY_DATE = "CHECK_SHIP_BY_DATE"
    COME_BACK = "COME_BACK"
    NO_BALANCE_OUTSIDE = "NO_BALANCE_OUTSIDE"
    RECOVER_PAYMENT = "RECOVER_PAYMENT"
    STOP_PAYING_OUTSIDE = "STOP_PAYING_OUTSIDE"
    REPORT_SUPPLIER = "REPORT_SUPPLIER"
    KEEP_PAYMENT_RECORDS = "KEEP_PAYMENT_RECORDS"
    DESIGNATED_ACCOUNT = "DESIGNATED_ACCOUNT"
    NEXT_TIME_CHECKOUT = "NEXT_TIME_CHECKOUT"
    EXCLUDED_ADVICE = "EXCLUDED_ADVICE"
    TAKE_UP_WITH_SUPPLIER = "TAKE_UP_WITH_SUPPLIER"
    MIND_THE_DATE = "MIND_THE_DATE"
    FIND_FACT = "FIND_FACT"
    CHOOSE_COVERED_PROBLEM = "CHOOSE_COVERED_PROBLEM"


class Step(Worded):
    """One next step: a code and its figures."""

    code: StepCode


class Assessment(BaseModel):
    """Everything the check concludes about one order, as codes and figures.

    Its own JSON (`model_dump_json`) is what the store keeps: no sentence in it, so a stored
    check reads in today's wording and the reader's language. `contract()` is the JSON contract
    (claim-check.md), with each reason's `text` and the next steps rendered at output time.
    """

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
    steps: list[Step]
    missing_facts: list[FactName]

    @property
    def disclaimer(self) -> str:
        """The advice-not-ruling line (a message id; render with `gettext_for`)."""
        return DISCLAIMER

    @property
    def next_steps(self) -> list[str]:
        """The next steps in English (the contract's `next_steps`)."""
        return [step.text for step in self.steps]

    def contract(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """The JSON contract's object, fields exactly and in order; words rendered for `lang`
        (the contract's consumers read English, the default)."""
        data = self.model_dump(mode="json")
        reasons = [
            {"code": r.code.value, "severity": r.severity.value,
             "text": render(r.message, lang), "sources": list(r.sources)}
            for r in self.reasons
        ]  # fmt: skip
        return {
            "verdict": data["verdict"],
            "strength": data["strength"],
            "reasons": reasons,
            "deadline": data["deadline"],
            "days_left": data["days_left"],
            "remind_on": data["remind_on"],
            "protected_amount": data["protected_amount"],
            "unprotected_amount": data["unprotected_amount"],
            "claim_estimate": data["claim_estimate"],
            "missing_evidence": data["missing_evidence"],
            "next_steps": [render(step.message, lang) for step in self.steps],
            "missing_facts": data["missing_facts"],
        }

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
