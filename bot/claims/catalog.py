"""One declaration per fact: what it means, when it applies, and whether the rules need it.

The rules (`bot.claims.rules`) read facts through this catalogue and `missing_facts` is derived
from it, and the questionnaire (`bot.dialogue.questions`) hangs each question on the same name,
so adding a fact means: its declaration here, the rule that reads it, its question and the docs.
The order of `FACTS` is the asking order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from bot.claims.facts import (
    ARRIVED_PROBLEMS,
    QUALITY_PROBLEMS,
    SHIPPING_PROBLEMS,
    Facts,
    PaidVia,
    Problem,
)

FactName = Literal[
    "problem",
    "paid_via",
    "amount_paid_outside",
    "trade_assurance_order",
    "amount_paid",
    "receipt_confirmed",
    "agreed_date",
    "delivery_date",
    "specs_in_contract",
    "units_ordered",
    "units_received",
    "order_window_end",
    "coverage_limit",
    "evidence",
]
"""Every fact the check can ask about (all of `Facts` but `as_of`), in asking order."""

Need = Literal["needed", "optional"]


def _always(facts: Facts) -> bool:
    return True


def _for(problems: frozenset[Problem]) -> Callable[[Facts], bool]:
    def applies(facts: Facts) -> bool:
        return facts.problem in problems

    return applies


def _paid_through_order(facts: Facts) -> bool:
    return facts.paid_via is PaidVia.ALIBABA_ORDER


def _short_count(facts: Facts) -> bool:
    return facts.problem is Problem.WRONG_QUANTITY


def _counted(facts: Facts) -> bool:
    return facts.problem is Problem.WRONG_QUANTITY and facts.units_ordered is not None


def _known_problem(facts: Facts) -> bool:
    return facts.problem is not None and facts.problem is not Problem.OTHER


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One fact: its meaning in words, whether the rules need it, and when it applies.

    `applies` decides from the facts so far whether the fact is relevant at all (a question is
    asked only then, and an answer that stops applying is dropped); `depends_on` names the facts
    `applies` reads, so an edit of one of them re-checks this one.
    """

    name: FactName
    label: str
    need: Need
    applies: Callable[[Facts], bool]
    depends_on: tuple[FactName, ...] = ()
    where: str = ""
    """Where on Alibaba.com (or in the buyer's papers) the answer is found."""

    def is_needed(self, facts: Facts) -> bool:
        """Needed by the rules for these facts (so it may appear in `missing_facts`)."""
        return self.need == "needed" and self.applies(facts)


FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "problem",
        "what went wrong",
        "needed",
        _always,
        where=(
            "Say what went wrong: late shipment, goods never delivered, quality or quantity not "
            "as in the contract, or the supplier cancelling."
        ),
    ),
    FactSpec(
        "paid_via",
        "how you paid",
        "needed",
        _always,
        where=(
            "Find out how you paid: card, e-checking or T/T into the account shown on the Alibaba"
            " order page is protected; a wire to the supplier's own account, Western Union or "
            "PayPal outside the order is not."
        ),
    ),
    FactSpec(
        "amount_paid_outside",
        "how much you paid outside the order",
        "optional",
        _paid_through_order,
        ("paid_via",),
        where=(
            "Add up what you sent outside the order for the same deal (a balance wired directly, "
            "a fee by Western Union)."
        ),
    ),
    FactSpec(
        "trade_assurance_order",
        "whether the order is a Trade Assurance order",
        "needed",
        _always,
        where=(
            "Check in My Alibaba > Orders whether the order is listed there as a Trade Assurance "
            "order with an online order contract."
        ),
    ),
    FactSpec(
        "amount_paid",
        "the amount paid through the order",
        "needed",
        _always,
        where=(
            "Give the amount in US dollars you paid through the order: My Alibaba > Orders > the "
            "order's payment record."
        ),
    ),
    FactSpec(
        "receipt_confirmed",
        "whether you have confirmed receipt on Alibaba",
        "needed",
        _always,
        where=(
            "Check the order status in My Alibaba > Orders: completed, or receipt confirmed, "
            "means yes. If not, do not confirm it while the problem is open."
        ),
    ),
    FactSpec(
        "agreed_date",
        "the ship-by date in the order contract",
        "needed",
        _for(SHIPPING_PROBLEMS),
        ("problem",),
        where=(
            "Give the ship-by date (Expected Ship Date) in the order contract: My Alibaba > "
            "Orders > the order; a lead time counts from your payment date."
        ),
    ),
    FactSpec(
        "delivery_date",
        "whether and when the goods arrived",
        "needed",
        _for(ARRIVED_PROBLEMS),
        ("problem",),
        where=(
            "Say whether the goods have arrived and on which day: the tracking page or the "
            "carrier's delivery note shows it."
        ),
    ),
    FactSpec(
        "specs_in_contract",
        "how precisely the contract states the specifications",
        "needed",
        _for(QUALITY_PROBLEMS),
        ("problem",),
        where=(
            "Look at the contract: does it state measurable specifications (dimensions, "
            "materials, tolerances), only vague words like 'good quality', or none at all?"
        ),
    ),
    FactSpec(
        "units_ordered",
        "the units ordered",
        "optional",
        _short_count,
        ("problem",),
        where="The order contract gives the quantity ordered.",
    ),
    FactSpec(
        "units_received",
        "the units received",
        "optional",
        _counted,
        ("problem", "units_ordered"),
        where="Count the units received, on video, carton by carton.",
    ),
    FactSpec(
        "order_window_end",
        "the last day to open a dispute shown on the order page",
        "optional",
        _known_problem,
        ("problem",),
        where=(
            "The order page (My Alibaba > Orders > the order) shows the last day to open a "
            "dispute while the protection runs."
        ),
    ),
    FactSpec(
        "coverage_limit",
        "the supplier's coverage amount",
        "optional",
        _known_problem,
        where=(
            "The supplier's coverage amount is shown next to the Trade Assurance mark on its "
            "profile and product pages."
        ),
    ),
    FactSpec(
        "evidence",
        "the evidence you hold",
        "optional",
        _known_problem,
        where=(
            "Gather the order contract, your Alibaba chat, photos or video, tracking and a dated "
            "timeline."
        ),
    ),
)
"""The catalogue, in asking order: the problem first (it decides what else applies), then the
payment (the most common way to lose cover), then what the decisive rules read."""

FACT_NAMES: tuple[FactName, ...] = get_args(FactName)
BY_NAME: dict[FactName, FactSpec] = {spec.name: spec for spec in FACTS}


def is_answered(facts: Facts, name: FactName) -> bool:
    """Given with a value the rules can use: `paid_via: unknown`, `problem: other` and a null
    where the contract gives null no meaning all leave a needed fact open."""
    if not facts.given(name):
        return False
    value = getattr(facts, name)
    if name == "paid_via":
        return value not in (None, PaidVia.UNKNOWN)
    if name == "problem":
        return value not in (None, Problem.OTHER)
    if name == "delivery_date":
        return True  # null = not arrived
    return value is not None


def missing_facts(facts: Facts) -> list[FactName]:
    """The needed facts still open, in asking order (derived from the catalogue)."""
    return [s.name for s in FACTS if s.is_needed(facts) and not is_answered(facts, s.name)]


def label(name: FactName) -> str:
    """A fact's name in words, for reasons and cards."""
    return BY_NAME[name].label


def dependents(changed: FactName) -> tuple[FactName, ...]:
    """Facts whose relevance depends on `changed`, directly or through another dependent."""
    found: list[FactName] = []
    frontier = [changed]
    while frontier:
        current = frontier.pop()
        for spec in FACTS:
            if current in spec.depends_on and spec.name not in found:
                found.append(spec.name)
                frontier.append(spec.name)
    return tuple(found)
