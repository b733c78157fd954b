"""Spotting a request to pay outside the Alibaba order, in any language we have cues for.

One detector serves the group warning, the private-chat banner, the check's interruption and
`ta-advisor ask --json` (`off_platform`), so all of them agree on what a request is.
"""

from __future__ import annotations

from bot.matching.offplatform.detector import Finding, OffPlatformDetector, default_detector

__all__ = [
    "OFF_PLATFORM_TOPIC",
    "Finding",
    "OffPlatformDetector",
    "assess_off_platform",
    "detects_off_platform",
]

OFF_PLATFORM_TOPIC = "off-platform-payment"
"""The knowledge-base topic that answers a request to pay outside the order."""


def assess_off_platform(text: str) -> Finding:
    """The decision with its reason and the clause that decided it."""
    return default_detector().assess(text)


def detects_off_platform(text: str) -> bool:
    """True when someone is about to pay, or is asked to pay, outside the order."""
    return default_detector().assess(text).off_platform
