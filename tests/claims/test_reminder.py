"""Reminder texts are written from the current assessment on the day they are sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.claims.assessment import Assessment
from bot.claims.reminder import reminder_message

Judge = Callable[..., Assessment]


def test_a_claimable_case_is_reminded_of_its_deadline(judge: Judge) -> None:
    a = judge()
    text = reminder_message(a, dt.date(2026, 3, 24))
    assert "31 March 2026 (7 days left)" in text and "Open Dispute" in text
    assert "<" not in text  # plain text: front ends escape it


def test_a_passed_deadline_sends_the_buyer_to_the_order_page(judge: Judge) -> None:
    text = reminder_message(judge(), dt.date(2026, 4, 2))
    assert "was 31 March 2026" in text and "order page" in text


def test_too_early_reminds_to_run_the_check_again(judge: Judge) -> None:
    a = judge(agreed_date="2026-03-20", delivery_date=None)
    assert a.remind_on == dt.date(2026, 3, 21)
    text = reminder_message(a, dt.date(2026, 3, 21))
    assert "ship-by date" in text and "/check" in text
