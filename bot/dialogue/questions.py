"""The question catalogue: what the check asks for each fact, in plain words for phones.

Each question says why we ask (people answer more carefully when they see the point) and, where
"I don't know" is allowed, where on Alibaba.com to find the answer. Option values are short ASCII
strings so a front end can put them in Telegram callback data (64 bytes at most).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, get_args

from bot.claims.facts import SHIPPING_PROBLEMS, Facts, Problem
from bot.dialogue.parsers import Option, format_date, format_usd

FactName = Literal[
    "paid_via",
    "trade_assurance_order",
    "problem",
    "receipt_confirmed",
    "delivery_date",
    "specs_in_contract",
    "amount_paid",
    "coverage_limit",
    "evidence",
]
"""Every fact the check asks about (all of `Facts` except `as_of`), in asking order."""

FACT_NAMES: tuple[FactName, ...] = get_args(FactName)

DONE = "done"
"""Value of the "Done" button that closes a multi-choice question."""
NONE_OF_THESE = "none"
"""Value of the "None of these" option of the evidence question."""
DONT_KNOW = "dont_know"
"""Value a front end may send for its "I don't know" button."""


class Kind(StrEnum):
    """How an answer is given and read."""

    CHOICE = "choice"
    YES_NO = "yes_no"
    DATE = "date"
    AMOUNT = "amount"
    MULTI_CHOICE = "multi_choice"


@dataclass(frozen=True)
class Question:
    """One question: wording, options and the help for finding the answer."""

    fact: FactName
    kind: Kind
    label: str
    """Short name of the answer on the review screen."""
    text: str
    why: str
    options: tuple[Option, ...] = ()
    allow_unknown: bool = False
    help: str = ""
    """Where to find the answer; shown with "I don't know" and when a user is stuck."""
    example: str = ""
    """How to type the answer, for questions without buttons."""


YES_NO_OPTIONS = (Option("yes", "Yes"), Option("no", "No"))

_PAID_VIA = Question(
    fact="paid_via",
    kind=Kind.CHOICE,
    label="How you paid",
    text="How did you pay for this order?",
    why="Only money paid through the Alibaba order is protected. This matters most.",
    options=(
        Option(
            "alibaba_order",
            "Through the Alibaba order",
            (
                "alibaba",
                "on alibaba",
                "order page",
                "card",
                "credit card",
                "debit card",
                "visa",
                "mastercard",
                "e-checking",
                "echecking",
                "apple pay",
                "google pay",
                "pay later",
                "designated account",
                "alibaba account",
                "t/t",
                "tt",
                "wire",
                "bank transfer",
                "paypal",
            ),
        ),
        Option(
            "supplier_bank_account",
            "Wire to supplier's own bank",
            (
                "supplier's account",
                "supplier account",
                "suppliers account",
                "supplier bank",
                "supplier's bank",
                "his account",
                "her account",
                "their account",
                "his bank",
                "their bank",
                "personal account",
                "company account",
                "own account",
                "own bank",
                "t/t",
                "tt",
                "wire",
                "bank transfer",
            ),
        ),
        Option("western_union", "Western Union", ("western union", "western", "wu")),
        Option(
            "paypal_outside_order",
            "PayPal, outside the order",
            (
                "paypal",
                "pay pal",
                "paypal link",
                "paypal invoice",
                "paypal outside",
                "paypal friends",
                "paypal to supplier",
            ),
        ),
        Option(
            "other_off_platform",
            "Other way, outside Alibaba",
            (
                "cash",
                "crypto",
                "bitcoin",
                "usdt",
                "moneygram",
                "wise",
                "transferwise",
                "zelle",
                "venmo",
                "cash app",
                "payoneer",
                "remitly",
                "outside",
                "off platform",
            ),
        ),
    ),
    allow_unknown=True,
    help=(
        "Open My Alibaba > Orders and tap this order. If you paid through Alibaba, the order "
        "shows your payment: card, e-checking, or a T/T to the bank account Alibaba gave for "
        "this order. If you used bank details the supplier sent you by chat or email, you paid "
        "outside Alibaba."
    ),
)

_TA_ORDER = Question(
    fact="trade_assurance_order",
    kind=Kind.YES_NO,
    label="Trade Assurance order",
    text=(
        "Did you place this order on Alibaba.com as a Trade Assurance order, "
        "with an online order contract?"
    ),
    why="Trade Assurance only protects orders made on Alibaba.com with an order contract.",
    options=YES_NO_OPTIONS,
    allow_unknown=True,
    help=(
        "Open My Alibaba > Orders. A Trade Assurance order is listed there, with the Trade "
        "Assurance mark and an order contract you can open. A deal made only in chat, email "
        "or WhatsApp is not one."
    ),
)

_PROBLEM = Question(
    fact="problem",
    kind=Kind.CHOICE,
    label="Problem",
    text="What went wrong with the order?",
    why="Trade Assurance covers some problems, like late or wrong goods, but not others.",
    options=(
        Option("late_shipment", "Shipped late", ("late", "delay", "delayed", "not shipped")),
        Option(
            "not_delivered",
            "Never arrived",
            ("never arrived", "not arrived", "not received", "never came", "lost", "missing"),
        ),
        Option(
            "quality_mismatch",
            "Not as in the contract",
            ("quality", "wrong product", "different", "fake", "poor quality", "bad quality"),
        ),
        Option(
            "wrong_quantity",
            "Wrong quantity",
            ("quantity", "short", "fewer", "less", "missing", "too few", "short shipped"),
        ),
        Option("supplier_cancelled", "Supplier cancelled", ("cancel", "cancelled", "canceled")),
        Option(
            "transit_damage",
            "Damaged in transport",
            ("damaged", "damage", "broken in transit", "crushed", "shipping damage"),
        ),
        Option("customs_hold", "Stuck in customs", ("customs", "seized", "held")),
        Option(
            "force_majeure",
            "Disaster, war or strike",
            ("disaster", "war", "strike", "flood", "earthquake", "pandemic", "force majeure"),
        ),
        Option(
            "subjective_quality",
            "I just don't like it",
            ("don't like", "dont like", "not happy with", "taste", "not my style"),
        ),
        Option(
            "matches_approved_sample",
            "Same as the sample I approved",
            ("sample", "approved sample", "same as sample"),
        ),
        Option(
            "service_or_warranty",
            "Warranty or after-sales",
            ("warranty", "after sales", "after-sales", "installation", "service", "repair"),
        ),
        Option(
            "defect_after_use",
            "Broke after some use",
            ("after use", "stopped working", "broke after", "wore out"),
        ),
        Option("other", "Something else", ("something else", "other", "none of these")),
    ),
    help="If none fits, choose Something else; you can describe it as a question afterwards.",
)

_RECEIPT = Question(
    fact="receipt_confirmed",
    kind=Kind.YES_NO,
    label="Receipt confirmed",
    text='Have you already tapped "Confirm receipt" for this order on Alibaba?',
    why="After you confirm receipt, the money goes to the supplier and most claims close.",
    options=YES_NO_OPTIONS,
    allow_unknown=True,
    help=(
        "Open the order in My Alibaba > Orders. If its status says completed, or that you "
        "confirmed receipt, the answer is yes."
    ),
)

_DATE_EXAMPLE = "For example: 1 May, 2026-05-01 or 3 days ago."

_DELIVERY_ACTUAL = Question(
    fact="delivery_date",
    kind=Kind.DATE,
    label="Delivery date",
    text="On what day did the goods arrive?",
    why="You usually have 30 days from delivery to open a claim.",
    allow_unknown=True,
    help=(
        "Use the day the goods reached you or your forwarder. The tracking page or the "
        "carrier's delivery note shows it."
    ),
    example=_DATE_EXAMPLE,
)

_DELIVERY_EXPECTED = Question(
    fact="delivery_date",
    kind=Kind.DATE,
    label="Expected delivery date",
    text="What delivery date does your order contract give?",
    why="You usually have 30 days from the expected delivery date to open a claim.",
    allow_unknown=True,
    help=(
        "Open the order in My Alibaba > Orders and look at the order contract. The shipping "
        "part gives the delivery date, or a lead time such as 30 days after payment: then "
        "count the days from your payment date."
    ),
    example=_DATE_EXAMPLE,
)

_SPECS = Question(
    fact="specs_in_contract",
    kind=Kind.CHOICE,
    label="Specs in the contract",
    text="Does your order contract describe the product with exact details?",
    why=(
        "Claims are judged against the contract. Without exact specs, an inspector's "
        "general standards decide."
    ),
    options=(
        Option(
            "measurable",
            "Yes, exact specs",
            ("exact", "yes", "measurable", "sizes", "detailed", "numbers"),
        ),
        Option("vague", "Only a general description", ("vague", "general", "some", "basic")),
        Option("none", "No specs at all", ("no", "none", "nothing", "no specs")),
    ),
    allow_unknown=True,
    help=(
        "Open the order contract and read the product details. 'Cotton, 180 g/m2, 60 x 90 cm' "
        "is exact; 'good quality' is general."
    ),
)

_AMOUNT = Question(
    fact="amount_paid",
    kind=Kind.AMOUNT,
    label="Amount paid",
    text="How much did you pay through this order, in US dollars?",
    why="This is the money a claim could get back.",
    allow_unknown=True,
    help="The order page in My Alibaba > Orders shows the amount paid in US dollars.",
    example="For example: 12500 or $12,500.",
)

_COVERAGE = Question(
    fact="coverage_limit",
    kind=Kind.AMOUNT,
    label="Supplier's coverage amount",
    text="What is the supplier's Trade Assurance coverage amount, in US dollars?",
    why="Each supplier is covered only up to a set amount. Money above it is not protected.",
    allow_unknown=True,
    help=(
        "Open the supplier's profile page or one of its product pages on Alibaba.com. Next "
        "to the Trade Assurance mark you see an amount, like US$ 50,000. You can also ask the "
        "supplier in Alibaba chat."
    ),
    example="For example: 50000 or $50,000.",
)

_EVIDENCE = Question(
    fact="evidence",
    kind=Kind.MULTI_CHOICE,
    label="Your evidence",
    text="Which of these do you have? Choose all that apply, then Done.",
    why="Claims are won with proof. This shows what to gather now.",
    options=(
        Option("contract", "The order contract", ("contract", "order contract")),
        Option("inspection_report", "Inspection report", ("inspection", "qc", "report")),
        Option("photos_video", "Photos or video", ("photo", "photos", "pictures", "video")),
        Option("platform_chat", "Chat on Alibaba", ("chat", "messages", "messenger")),
        Option("tracking", "Tracking details", ("tracking", "shipping", "waybill", "bill")),
        Option("timeline", "Dated timeline", ("timeline", "dates", "diary", "log")),
        Option(NONE_OF_THESE, "None of these", ("none", "nothing", "no")),
    ),
    help="Pick only what you have now. You can still gather the rest before you open a claim.",
)

QUESTIONS: dict[FactName, Question] = {
    q.fact: q
    for q in (
        _PAID_VIA,
        _TA_ORDER,
        _PROBLEM,
        _RECEIPT,
        _DELIVERY_ACTUAL,
        _SPECS,
        _AMOUNT,
        _COVERAGE,
        _EVIDENCE,
    )
}
"""The catalogue, one question per fact; `delivery_date` holds the actual-date wording."""


def expects_planned_date(problem: Problem | None) -> bool:
    """True when `delivery_date` means the contract's expected date, which may lie ahead."""
    return problem in SHIPPING_PROBLEMS


def question_for(fact: FactName, problem: Problem | None = None) -> Question:
    """The question for a fact, worded for the problem (expected vs actual delivery date)."""
    if fact == "delivery_date" and expects_planned_date(problem):
        return _DELIVERY_EXPECTED
    return QUESTIONS[fact]


def display_answer(fact: FactName, facts: Facts) -> str:
    """The stored answer in words for the review screen; "I don't know" for an unknown."""
    value = getattr(facts, fact)
    question = question_for(fact, facts.problem)
    if value is None or (fact == "paid_via" and value == "unknown"):
        return "I don't know"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float | int):
        return format_usd(float(value))
    if isinstance(value, frozenset):
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else "None of these"
    for option in question.options:
        if option.value == value:
            return option.label
    return str(value)
