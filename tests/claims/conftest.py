"""Shared builders for the claim tests: a clean eligible order, varied one field at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from bot.claims.assess import assess
from bot.claims.assessment import Assessment
from bot.claims.facts import Facts

CLEAN: dict[str, Any] = {
    "as_of": "2026-03-10",
    "trade_assurance_order": True,
    "paid_via": "alibaba_order",
    "problem": "late_shipment",
    "receipt_confirmed": False,
    "agreed_date": "2026-02-20",
    "delivery_date": "2026-03-01",
    "amount_paid": 8000,
    "coverage_limit": 20000,
    "evidence": ["contract", "platform_chat", "tracking", "timeline"],
}
"""Eligible with no risk at all: every rule but COVERED_PROBLEM stays silent."""

FIXED_TODAY = dt.date(2026, 3, 10)

MakeFacts = Callable[..., Facts]
Judge = Callable[..., Assessment]


def build_facts(**changes: Any) -> Facts:
    """CLEAN with `changes` applied; a change to `...` (Ellipsis) removes the field."""
    data = {**CLEAN, **changes}
    return Facts.model_validate({k: v for k, v in data.items() if v is not ...})


@pytest.fixture
def make_facts() -> MakeFacts:
    return build_facts


@pytest.fixture
def judge() -> Judge:
    """Assess CLEAN with changes, with a fixed `today` so no test depends on the clock."""

    def run(**changes: Any) -> Assessment:
        return assess(build_facts(**changes), today=FIXED_TODAY)

    return run
