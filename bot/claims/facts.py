"""The facts about one order that the claim-eligibility check collects (the JSON contract, v2).

Absent and null differ (contract v2): an absent field is unanswered, and null is an answer only
where the contract gives it a meaning (`delivery_date` null = not arrived, `coverage_limit` null =
unknown). Pydantic's `model_fields_set` records which fields were given, so `Facts.given(name)`
tells the two apart, and JSON dumps keep only given fields so the difference survives storage.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


class PaidVia(StrEnum):
    """How the money paid through the order was paid; only `alibaba_order` keeps it protected."""

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
        Problem.SUBJECTIVE_QUALITY,
        Problem.MATCHES_APPROVED_SAMPLE,
        Problem.SERVICE_OR_WARRANTY,
    }
)
"""Problems EXCLUDED_PROBLEM decides (force majeure and defects after use are weak risks now)."""

QUALITY_PROBLEMS = frozenset({Problem.QUALITY_MISMATCH, Problem.DEFECT_AFTER_USE})
"""Problems judged against the written specifications: the only ones that ask about specs."""

SHIPPING_PROBLEMS = frozenset(
    {
        Problem.LATE_SHIPMENT,
        Problem.NOT_DELIVERED,
        Problem.SUPPLIER_CANCELLED,
        Problem.FORCE_MAJEURE,
    }
)
"""Problems about the supplier's ship-by date: `agreed_date` applies to them."""

NEVER_ARRIVED_PROBLEMS = frozenset(
    {Problem.NOT_DELIVERED, Problem.SUPPLIER_CANCELLED, Problem.FORCE_MAJEURE}
)
"""Problems whose goods have not arrived by definition: an absent `delivery_date` = not arrived."""

ARRIVED_PROBLEMS = frozenset(
    {
        Problem.LATE_SHIPMENT,
        Problem.QUALITY_MISMATCH,
        Problem.WRONG_QUANTITY,
        Problem.DEFECT_AFTER_USE,
        Problem.TRANSIT_DAMAGE,
        Problem.SUBJECTIVE_QUALITY,
        Problem.MATCHES_APPROVED_SAMPLE,
        Problem.SERVICE_OR_WARRANTY,
    }
)
"""Problems about goods that (may have) arrived: `delivery_date` applies to them."""

COVERED_PROBLEMS = (
    Problem.LATE_SHIPMENT,
    Problem.NOT_DELIVERED,
    Problem.QUALITY_MISMATCH,
    Problem.WRONG_QUANTITY,
    Problem.SUPPLIER_CANCELLED,
)
"""What Trade Assurance covers (003's table), in the order the card lists them."""

_MONEY = Field(default=None, ge=0, allow_inf_nan=False)
_UNITS = Field(default=None, ge=0, le=10**12)


class Facts(BaseModel):
    """Everything known about one order; any field may be absent (unanswered)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True)

    as_of: dt.date | None = None
    trade_assurance_order: bool | None = None
    paid_via: PaidVia | None = None
    amount_paid_outside: float | None = _MONEY
    problem: Problem | None = None
    specs_in_contract: Specs | None = None
    units_ordered: int | None = _UNITS
    units_received: int | None = _UNITS
    receipt_confirmed: bool | None = None
    agreed_date: dt.date | None = None
    delivery_date: dt.date | None = None
    order_window_end: dt.date | None = None
    amount_paid: float | None = _MONEY
    coverage_limit: float | None = _MONEY
    evidence: frozenset[Evidence] | None = None

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dump only the fields that were given, so absent stays absent after a round trip."""
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if k in self.model_fields_set}

    def given(self, name: str) -> bool:
        """Whether `name` was answered (null included), as opposed to absent."""
        return name in self.model_fields_set

    def with_answer(self, name: str, value: Any) -> Facts:
        """A copy with one fact answered (validated); `as_of` and the rest stay as they are."""
        data = self.model_dump()
        data[name] = value
        return Facts.model_validate(data)

    def without(self, *names: str) -> Facts:
        """A copy in which `names` are absent again (unanswered)."""
        data = {k: v for k, v in self.model_dump().items() if k not in names}
        return Facts.model_validate(data)
