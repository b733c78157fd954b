"""Prometheus metrics of the running bot (served at /metrics in webhook mode).

A registry per process (not the library's global one), so tests can build several bots.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "BotMetrics"]


class BotMetrics:
    """Counters and the latency histogram the operators watch."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "ta_advisor_updates", "Updates handled, by type", ["type"], registry=self.registry
        )
        self.answers = Counter(
            "ta_advisor_answers",
            "Free-text questions by decision (answer, suggest, none)",
            ["decision"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ta_advisor_handler_seconds",
            "Time to handle one update",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=self.registry,
        )
        self.api_errors = Counter(
            "ta_advisor_api_errors", "Bot API errors, by kind", ["kind"], registry=self.registry
        )
        self.retries = Counter(
            "ta_advisor_flood_retries", "Bot API calls retried after a 429", registry=self.registry
        )

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
