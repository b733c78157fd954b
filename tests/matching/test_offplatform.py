"""The off-platform payment detector: high precision, good recall on how people say it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.offplatform import detects_off_platform

WARN = [
    "can i pay by western union",
    "Can I pay via WU?",
    "The supplier wants me to pay to his personal bank account, is that ok?",
    "seller offers 5% discount if I pay directly instead of through alibaba",
    "supplier asks payment to their company account in hong kong not through alibaba",
    "he says pay with paypal friends and family to save fees",
    "they only accept USDT",
    "is it ok to wire the supplier directly to save fees",
    "seller wants me to send deposit to his account first",
    "I can get a better price if I pay outside the platform?",
    "he wants me to send the money to his wife account in guangzhou",
    "PayPal friends and family is fine right?",
]
QUIET = [
    "never pay by Western Union!",
    "Never pay by WU. Always use the order.",
    "do not send money outside alibaba, ever",
    "which payment methods are protected",
    "can I pay with credit card",
    "I paid through alibaba by T/T",
    "paypal vs trade assurance",
    "is bank transfer safer than paypal",
    "what is western union",
    "the bank account alibaba gave me is in singapore, why?",
    "how do I file a claim",
]


@pytest.mark.parametrize("text", WARN)
def test_warns(text: str) -> None:
    assert detects_off_platform(text)


@pytest.mark.parametrize("text", QUIET)
def test_stays_quiet(text: str) -> None:
    assert not detects_off_platform(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=5000))
def test_never_raises_on_any_text(text: str) -> None:
    assert detects_off_platform(text) in (True, False)
