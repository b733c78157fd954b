"""Is this message a request to pay outside the Alibaba order? Clause by clause, from cues.

A word list cannot tell "supplier wants Western Union" from "never pay by Western Union", so a
clause (a sentence, cut again at "but"/"но"/"pero"…) must combine three things:

- a **destination outside the order**: a route that is outside by nature (Western Union,
  USDT, cash, "directly"), a person's or company's account ("his wife's Alipay", "their HK
  account"), new or changed bank details, an agent or relative paying the supplier for you,
  "not through the order"; or an ordinary channel (T/T, PayPal, Alipay) with a discount for it
  or with Alibaba "not working" as the pretext;
- a **payment**: paying, sending, the balance, a deposit, details to pay to;
- a **frame** that makes it this speaker's deal: someone asks or offers, the speaker is doing it
  or plans to, or asks whether to; a clause opening with "pay…"/"переведите…" is a request.

and none of the **blockers**: a negation or imperative warning over it ("never pay…",
"no paguen…"), a condition about anyone ("if a supplier asks…"), advice words, a refusal or a
lesson with a loss in the message, paying inside the order or the checkout (only against
ordinary channels: "half on Alibaba and half to his Alipay" still warns), money that is not for
a supplier (family remittances, clients paying you), or a general question about rules.

Every cue is data (`cues/<lang>.yaml`); the rules here are the same for every language.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Final

from bot.matching.offplatform.text import BREAK, Hit, PhraseIndex, tokens
from bot.yamltext import parse

CATEGORIES: Final = (
    "outside",
    "details",
    "changed",
    "channel",
    "account",
    "party",
    "intermediary",
    "service",
    "goods",
    "supplier",
    "beneficiary",
    "pay",
    "request",
    "intent",
    "act",
    "imperative",
    "question",
    "incentive",
    "negation",
    "inside",
    "unlike",
    "dropped",
    "excuse",
    "fine",
    "self",
    "advice",
    "refusal",
    "loss",
    "other",
    "hypothetical",
    "generic",
    "contrast",
)
"""Every cue file fills some of these; docs/warnings.md says what each one means."""

NEAR: Final = 4
"""Words between a party and an account ("the supplier's Bank of China account")."""
NEGATION_REACH: Final = 4
"""Words a negation reaches forward ("don't ever pay", "не переводите деньги на карты")."""
INSIDE_REACH: Final = 6
"""Words a negation or a contrast reaches to an inside cue ("not the one on the TA order")."""
CLAUSE_OPENING: Final = 2
"""A negation this close to a clause's start is an imperative warning to everyone."""

# Categories whose phrases are not negated by a "no"/"not" inside them ("no fees", "sin
# comisión", "not through the order" is read separately as a negated inside).
_SHIELDING = (
    "incentive",
    "outside",
    "dropped",
    "loss",
    "refusal",
    "advice",
    "other",
    "hypothetical",
)
# What a negation in front of it blocks.
_NEGATABLE = ("pay", "outside", "channel", "details", "account")
# What makes it this speaker's deal: a request, a plan, an act, asking whether, a discount.
_FRAMES = ("request", "intent", "act", "question", "incentive")


def _advice_to_others(hits: Sequence[Hit], text: str) -> bool:
    """Advice words in a message that neither asks nor speaks of the speaker's own deal
    ("Saw a post: seller asks to cancel the order and pay directly. Classic scam, avoid.")."""
    if "?" in text or "¿" in text:
        return False
    categories = {h.category for h in hits}
    return "advice" in categories and "self" not in categories


class Clause:
    """The cues found in one clause, by category, with the word positions they start at."""

    def __init__(self, start: int, end: int, hits: Sequence[Hit]) -> None:
        self.start = start
        self.end = end
        self.hits = tuple(hits)
        self._starts: dict[str, list[int]] = {}
        for h in self.hits:
            self._starts.setdefault(h.category, []).append(h.start)

    def has(self, category: str) -> bool:
        return category in self._starts

    def starts(self, category: str) -> list[int]:
        """Start positions of `category`'s phrases, ascending."""
        return self._starts.get(category, [])

    def any_within(self, categories: Sequence[str], low: int, high: int) -> bool:
        """Whether a phrase of one of `categories` starts in [low, high]."""
        for category in categories:
            found = self.starts(category)
            i = bisect_left(found, low)
            if i < len(found) and found[i] <= high:
                return True
        return False


@dataclass(frozen=True)
class Finding:
    """Why a message was or was not read as an off-platform request (for tests and docs)."""

    off_platform: bool
    reason: str
    clause: str = ""
    cues: tuple[str, ...] = field(default_factory=tuple)


def load_cues(languages: Iterable[str] | None = None) -> dict[str, list[str]]:
    """Cue phrases by category from the packaged `cues/*.yaml` (every language by default)."""
    folder = resources.files("bot.matching.offplatform") / "cues"
    merged: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if not item.name.endswith(".yaml"):
            continue
        data = parse(item.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{item.name}: expected cue categories mapping to phrases")
        if languages is not None and data.get("lang") not in set(languages):
            continue
        for category, phrases in data.items():
            if category == "lang":
                continue
            if category not in merged:
                raise ValueError(f"{item.name}: unknown cue category {category!r}")
            for phrase in phrases or ():
                if not isinstance(phrase, str):  # e.g. a bare `no`, which YAML reads as false
                    raise ValueError(f"{item.name}: {category} cue {phrase!r} is not text")
                merged[category].append(phrase)
    return merged


@dataclass(frozen=True)
class OperatingPoint:
    """How much evidence a warning needs; docs/warnings.md has the measurements behind the
    default (a false alarm in a group costs more than a miss in a private chat)."""

    need_frame: bool = True
    """An outside route also needs a request, a plan, a question about doing it or a
    discount somewhere in the message ("Western Union raised its fees" does not warn)."""
    request_is_enough: bool = False
    """An ordinary channel (T/T, PayPal, Alipay) warns on a request alone, without a
    discount or someone's account ("supplier wants T/T"): usually a payment into the order."""
    whole_message_blockers: bool = True
    """A refusal, a lesson with a loss, or advice that neither asks nor speaks of the speaker
    anywhere in the message keeps it quiet."""


CHOSEN = OperatingPoint()
"""The one operating point the product uses (groups, private chats, the check, ask --json)."""


class OffPlatformDetector:
    """The rules of the module docstring over an index of every language's cues."""

    def __init__(self, cues: dict[str, list[str]], point: OperatingPoint = CHOSEN) -> None:
        self.point = point
        self._index = PhraseIndex((c, p) for c, ps in cues.items() for p in ps)

    def assess(self, text: str) -> Finding:
        """The decision for one message, with the clause and cues that decided it."""
        words = tokens(text)
        hits = self._index.find(words)
        if self.point.whole_message_blockers:
            for h in hits:
                if h.category in ("refusal", "loss"):
                    return Finding(False, h.category)
            if _advice_to_others(hits, text):
                return Finding(False, "advice to others")
        framed = not self.point.need_frame or any(h.category in _FRAMES for h in hits)
        excuse = any(h.category == "excuse" for h in hits) and not any(
            h.category == "fine" for h in hits
        )
        last_reason = "no destination outside the order"
        found: Finding | None = None
        for sentence in _sentences(words, hits):
            if any(h.category in ("advice", "hypothetical") for h in sentence.hits):
                last_reason = "advice"
                continue
            for clause in _clauses(sentence):
                if found is not None and _paid_inside(clause):
                    # "They wanted cash, but we paid through the order": the request is over.
                    found, last_reason = None, "paid inside the order afterwards"
                    continue
                # An imperative ("pay me by Western Union", "send it to this account") is a
                # request in itself.
                imperative = clause.starts("imperative")[:1] == [clause.start]
                decided, reason = _judge(clause, framed or imperative, excuse, self.point)
                if decided and found is None:
                    shown = " ".join(words[clause.start : clause.end])
                    cues = tuple(sorted({h.category for h in clause.hits}))
                    found = Finding(True, reason, shown, cues)
                elif reason:
                    last_reason = reason
        return found or Finding(False, last_reason)


def _paid_inside(clause: Clause) -> bool:
    """The speaker paid (or pays) through the order: "…but we paid through the order"."""
    return (
        clause.has("inside")
        and (clause.has("act") or clause.has("self"))
        and not clause.has("outside")
        and not _party_account(clause)
    )


def _sentences(words: Sequence[str], hits: Sequence[Hit]) -> list[Clause]:
    """Spans between sentence breaks, each with the hits that start inside it."""
    spans: list[Clause] = []
    start = 0
    bounds = [i for i, w in enumerate(words) if w == BREAK] + [len(words)]
    ordered = sorted(hits, key=lambda h: h.start)
    k = 0
    for end in bounds:
        inside: list[Hit] = []
        while k < len(ordered) and ordered[k].start < end:
            if ordered[k].start >= start:
                inside.append(ordered[k])
            k += 1
        if end > start:
            spans.append(Clause(start, end, tuple(inside)))
        start = end + 1
    return spans


def _clauses(sentence: Clause) -> list[Clause]:
    """A sentence cut at contrast words ("but", "но", "pero"): each side is judged alone."""
    out: list[Clause] = []
    start = sentence.start
    current: list[Hit] = []
    negations = set(sentence.starts("negation"))
    cuts = [c for c in sentence.starts("contrast") if c + 1 not in negations]
    cuts.append(sentence.end)
    k = 0
    for h in sorted(sentence.hits, key=lambda h: h.start):
        while h.start >= cuts[k]:
            if cuts[k] > start:
                out.append(Clause(start, cuts[k], current))
            start, current, k = cuts[k] + 1, [], k + 1
        if h.start >= start:
            current.append(h)
    for cut in cuts[k:]:
        if cut > start:
            out.append(Clause(start, cut, current))
        start, current = cut + 1, []
    return out


def _shielded(clause: Clause) -> set[int]:
    """Positions inside multi-word phrases that a negation word in them does not negate."""
    return {
        i
        for h in clause.hits
        if h.category in _SHIELDING and h.end - h.start > 1
        for i in range(h.start, h.end)
    }


def _negations(clause: Clause) -> tuple[bool, bool]:
    """Whether a negation blocks the clause, and whether one negates paying inside
    ("don't pay through the Alibaba link", "not through the order": a route outside)."""
    blocking = False
    shielded = _shielded(clause)
    negated_inside = clause.has("dropped") and clause.has("inside")
    for u in clause.starts("unlike"):
        negated_inside |= clause.any_within(("inside",), u + 1, u + INSIDE_REACH)
    for n in clause.starts("negation"):
        if n in shielded:
            continue
        if clause.any_within(("inside",), n + 1, n + INSIDE_REACH):
            negated_inside = True
        elif n - clause.start < CLAUSE_OPENING or clause.any_within(
            _NEGATABLE, n + 1, n + NEGATION_REACH
        ):
            blocking = True
    return blocking, negated_inside


def _party_account(clause: Clause) -> bool:
    """Someone's account or bank details: "his wife's Alipay", "their company account",
    "cuenta de su esposa", "реквизиты своей фирмы"."""
    accounts = [*clause.starts("account"), *clause.starts("details")]
    return any(
        clause.any_within(("party",), a - NEAR, a + NEAR) and not _on_the_order(clause, a)
        for a in accounts
    )


def _changed_details(clause: Clause) -> bool:
    """New or changed payment details that are not the order's own."""
    return clause.has("changed") and any(
        not _on_the_order(clause, d) for d in clause.starts("details")
    )


def _on_the_order(clause: Clause, account: int) -> bool:
    """The account or details are said to be the order's own: "…details are on the order
    page", "the account shown in my order", "his Alibaba account"."""
    return clause.any_within(("inside",), account - 2, account + NEAR + 2)


def _judge(clause: Clause, framed: bool, excuse: bool, point: OperatingPoint) -> tuple[bool, str]:
    """(warn?, why) for one clause; "" as the reason when the clause says nothing about paying."""
    blocking, negated_inside = _negations(clause)
    # An agent or a relative paying the supplier for you ("pays the factory for me" frames
    # itself; "our cousin company pays its suppliers" needs a request or a plan).
    arranged = (
        clause.has("intermediary")
        and clause.has("pay")
        and (clause.has("supplier") or clause.has("beneficiary"))
        and (framed or clause.has("beneficiary"))
        and not clause.has("inside")
        and not clause.has("goods")
    )
    outside = (
        arranged
        or clause.has("outside")
        or negated_inside
        or _changed_details(clause)
        or _party_account(clause)
    )
    ordinary = clause.has("channel") or clause.has("details") or clause.has("account")
    paying = clause.has("pay") or clause.has("details")
    if not paying or not (outside or ordinary):
        return False, ""
    if blocking:
        return False, "negated"
    asked_by_supplier = clause.has("supplier") and clause.has("request")
    if clause.has("other") or (clause.has("service") and not (asked_by_supplier or arranged)):
        return False, "not a supplier payment"
    if not point.whole_message_blockers and (clause.has("refusal") or clause.has("loss")):
        return False, "refusal or lesson"
    asked = clause.has("request") or clause.has("intent")
    if clause.has("generic") and not asked:
        return False, "general question"
    if outside:
        return (True, "outside route") if framed or arranged else (False, "no request or plan")
    if excuse and framed:  # the pretext usually names the checkout it wants to avoid
        return True, "Alibaba 'not working' as the reason to pay elsewhere"
    if clause.has("inside"):
        return False, "paid inside the order"
    if clause.has("incentive") and any(clause.has(c) for c in ("request", "intent", "act")):
        return True, "discount for an ordinary channel"
    if point.request_is_enough and clause.has("request"):
        return True, "ordinary channel on request"
    return False, "ordinary channel"


@cache
def default_detector() -> OffPlatformDetector:
    """The detector over every packaged language (built once)."""
    return OffPlatformDetector(load_cues())
