"""The facts about one order that the claim-eligibility check collects (the JSON contract)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class PaidVia(StrEnum):
    """How the buyer paid; only `alibaba_order` keeps the order protected."""

    ALIBABA_ORDER = "alibaba_order"
    SUPPLIER_BANK_ACCOUNT = "supplier_bank_account"
    WESTERN_UNION = "western_union"
    PAYPAL_OUTSIDE_ORDER = "paypal_outside_order"
    OTHER_OFF_PLATFORM = "other_off_platform"
    UNKNOWN = "unknown"


class Problem(StrEnum):
    """What went wrong with the order."""

    LATE_SHIPMENT = "late_shipment"
    NOT_DELIVERED = "not_delivered"
    QUALITY_MISMATCH = "quality_mismatch"
    WRONG_QUANTITY = "wrong_quantity"
    SUPPLIER_CANCELLED = "supplier_cancelled"
    TRANSIT_DAMAGE = "transit_damage"
    CUSTOMS_HOLD = "customs_hold"
    FORCE_MAJEURE = "force_majeure"
    SUBJECTIVE_QUALITY = "subjective_quality"
    MATCHES_APPROVED_SAMPLE = "matches_approved_sample"
    SERVICE_OR_WARRANTY = "service_or_warranty"
    DEFECT_AFTER_USE = "defect_after_use"
    OTHER = "other"


class Specs(StrEnum):
    """How precisely the contract states what was ordered."""

    MEASURABLE = "measurable"
    VAGUE = "vague"
    NONE = "none"


class Evidence(StrEnum):
    """Evidence items a buyer can hold."""

    CONTRACT = "contract"
    INSPECTION_REPORT = "inspection_report"
    PHOTOS_VIDEO = "photos_video"
    PLATFORM_CHAT = "platform_chat"
    TRACKING = "tracking"
    TIMELINE = "timeline"


EXCLUDED_PROBLEMS = frozenset(
    {
        Problem.TRANSIT_DAMAGE,
        Problem.CUSTOMS_HOLD,
        Problem.FORCE_MAJEURE,
        Problem.SUBJECTIVE_QUALITY,
        Problem.MATCHES_APPROVED_SAMPLE,
        Problem.SERVICE_OR_WARRANTY,
        Problem.DEFECT_AFTER_USE,
    }
)
"""Problems Trade Assurance does not cover."""

SPEC_PROBLEMS = frozenset({Problem.QUALITY_MISMATCH, Problem.WRONG_QUANTITY})
"""Problems judged against the contract's specifications (the only ones that ask about specs)."""

DELIVERY_PROBLEMS = frozenset({Problem.LATE_SHIPMENT, Problem.NOT_DELIVERED})
"""Problems proven by tracking."""

EXPECTED_DATE_PROBLEMS = frozenset(
    {Problem.LATE_SHIPMENT, Problem.NOT_DELIVERED, Problem.SUPPLIER_CANCELLED}
)
"""Problems whose `delivery_date` is the contract's expected delivery date, not an actual one."""


class Facts(BaseModel):
    """Everything known about one order; any field may still be missing (None)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)

    as_of: dt.date | None = None
    trade_assurance_order: bool | None = None
    paid_via: PaidVia | None = None
    problem: Problem | None = None
    specs_in_contract: Specs | None = None
    receipt_confirmed: bool | None = None
    delivery_date: dt.date | None = None
    amount_paid: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    coverage_limit: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    evidence: frozenset[Evidence] | None = None
