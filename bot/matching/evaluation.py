"""Measuring the matcher on a labelled question set, for curators, CI and tuning."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.matching.matcher import Match

Expected = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Labelled:
    """A question and the topic(s) that should answer it (None: none should)."""

    question: str
    expected: Expected
    lang: str | None = None
    """The message's language, when the set says (its `lang` key)."""
    kind: str | None = None
    """The kind of message, when the set says (its `kind` key)."""

    def accepts(self, topic: str | None) -> bool:
        """Whether `topic` is a right answer to this question."""
        if self.expected is None:
            return topic is None
        allowed = (self.expected,) if isinstance(self.expected, str) else self.expected
        return topic in allowed


@dataclass
class Report:
    """Accuracy figures, misses and the topic confusions behind them."""

    on_topic: int = 0
    on_right: int = 0
    off_topic: int = 0
    off_right: int = 0
    suggested: int = 0
    suggested_with_right: int = 0
    top3_right: int = 0
    groups: dict[str, list[int]] = field(default_factory=dict)
    """"lang xx" / "kind yy" -> [right, all], for sets that carry those keys."""
    misses: list[tuple[Labelled, Match]] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def on_accuracy(self) -> float:
        """Share of on-topic questions answered with a right topic (top-1)."""
        return self.on_right / self.on_topic if self.on_topic else 1.0

    @property
    def top3_accuracy(self) -> float:
        """Share of on-topic questions with a right topic among the first three candidates."""
        return self.top3_right / self.on_topic if self.on_topic else 1.0

    @property
    def off_abstention(self) -> float:
        """Share of off-topic questions that got no answer."""
        return self.off_right / self.off_topic if self.off_topic else 1.0


def evaluate(items: Sequence[Labelled], match: Callable[[str], Match]) -> Report:
    """Run every question through `match` and tally the outcome."""
    report = Report()
    for item in items:
        result = match(item.question)
        ok = item.accepts(result.topic_id)
        if item.expected is None:
            report.off_topic += 1
            report.off_right += ok
        else:
            report.on_topic += 1
            report.on_right += ok
            firsts = [result.topic_id, *(t for t, _ in result.candidates if t != result.topic_id)]
            report.top3_right += any(item.accepts(t) for t in firsts[:3] if t)
            if result.kind == "suggest":
                report.suggested += 1
                report.suggested_with_right += any(item.accepts(t) for t, _ in result.candidates)
        for key, value in (("lang", item.lang), ("kind", item.kind)):
            if value:
                tally = report.groups.setdefault(f"{key} {value}", [0, 0])
                tally[0] += ok
                tally[1] += 1
        if not ok:
            report.misses.append((item, result))
            want = item.expected if isinstance(item.expected, str) else str(item.expected)
            got = result.topic_id or f"({result.kind})"
            report.confusion[(want, got)] += 1
    return report
