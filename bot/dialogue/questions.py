"""The question catalogue: what the check asks for each fact, in plain words for phones.

Each question says why we ask (people answer more carefully when they see the point) and, where
"I don't know" is allowed, where on Alibaba.com to find the answer. Option values are short ASCII
strings so a front end can put them in Telegram callback data (64 bytes at most).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.claims.catalog import FACT_NAMES, FactName
from bot.claims.facts import Facts, PaidVia, Problem, Specs
from bot.dialogue.parsers import (
    Option,
    ParseError,
    format_date,
    format_usd,
    parse_amount,
    parse_choice,
    parse_date,
    parse_yes_no,
)

__all__ = ["FACT_NAMES", "FactName"]

ABSENT: Any = object()
"""An answer that leaves the fact unanswered in the facts (an "I don't know" the rules can use
only as "still missing")."""

PART_OUTSIDE = "part_outside"
"""The paid_via option "Part through Alibaba, part outside": paid through the order, and the
amount sent outside is asked next."""
NOT_ARRIVED = "not_arrived"
"""The delivery-date option "Not arrived yet": null, which the contract reads as not arrived."""

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
    COUNT = "count"


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
    unknown: Any = ABSENT
    """What "I don't know" records: ABSENT (still unanswered), None or a value."""
    future_ok: bool = False
    """Dates only: may the date lie ahead (a ship-by date) or must it have passed (an arrival)."""

    def parse(self, raw: str, today: dt.date) -> Any:
        """The fact's value from one typed answer or option value; a ValueError (ParseError)
        is the re-ask, as with aiogram-dialog's `TextInput(type_factory, on_error)`."""
        if self.kind == Kind.YES_NO:
            if re.fullmatch(r"\s*#?\d{1,2}\s*[.)]?\s*", raw):
                return parse_choice(raw, YES_NO_OPTIONS) == "yes"
            return parse_yes_no(raw)
        if self.kind == Kind.CHOICE:
            return _CHOICE_TYPES[self.fact](parse_choice(raw, self.options))
        if self.kind == Kind.DATE:
            if self.options and parse_option(raw, self.options) == NOT_ARRIVED:
                return None
            return parse_date(raw, today=today, must_not_be_future=not self.future_ok)
        if self.kind == Kind.AMOUNT:
            return 0.0 if is_zero(raw) else _usd(raw)
        if self.kind == Kind.COUNT:
            return parse_count(raw)
        raise ParseError("Please use the buttons.")


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
            PART_OUTSIDE,
            "Part on Alibaba, part outside",
            (
                "part through alibaba",
                "part",
                "partly",
                "deposit",
                "balance",
                "half",
                "some outside",
                "both",
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

_OUTSIDE = Question(
    fact="amount_paid_outside",
    kind=Kind.AMOUNT,
    label="Paid outside the order",
    text="How much did you send outside the Alibaba order for this deal, in US dollars?",
    why="Money sent outside the order (a balance wired directly, a fee) is not protected.",
    allow_unknown=True,
    help="Add up the transfers you made directly to the supplier for this order.",
    example="For example: 7000 or $7,000.",
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
            "Supplier blames typhoon etc.",
            (
                "disaster",
                "typhoon",
                "lockdown",
                "holiday",
                "war",
                "strike",
                "flood",
                "earthquake",
                "pandemic",
                "force majeure",
            ),
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
            "Defect found after use",
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

_AGREED = Question(
    fact="agreed_date",
    kind=Kind.DATE,
    label="Ship-by date",
    text="By what date did the order contract say the supplier must ship?",
    why="Late-shipment claims count from this date, and nothing is late before it.",
    allow_unknown=True,
    help=(
        "Open the order in My Alibaba > Orders: the contract shows the Expected Ship Date, or "
        "a lead time such as 30 days after payment (then count from your payment date)."
    ),
    example=_DATE_EXAMPLE,
    future_ok=True,
)

_DELIVERY = Question(
    fact="delivery_date",
    kind=Kind.DATE,
    label="Goods arrived",
    text="Have the goods arrived? If so, on what day?",
    why="The dispute window usually runs 30 days from the day the goods arrived.",
    options=(Option(NOT_ARRIVED, "Not arrived yet", ("not yet", "not arrived", "no", "never")),),
    allow_unknown=True,
    help=(
        "Use the day the goods reached you or your forwarder. The tracking page or the "
        "carrier's delivery note shows it."
    ),
    example=_DATE_EXAMPLE,
)

_WINDOW_END = Question(
    fact="order_window_end",
    kind=Kind.DATE,
    label="Last day on the order page",
    text=(
        "Not seeing this is normal (then answer I don't know): does your order page show "
        "a last day to open a dispute, and which day?"
    ),
    why="Your own order's date beats the typical 30 days.",
    allow_unknown=True,
    help=(
        "Open My Alibaba > Orders and tap the order: while the protection runs, the page may "
        "show how long you have left to open a dispute. If it shows nothing, that's fine."
    ),
    example=_DATE_EXAMPLE,
    future_ok=True,
)

_UNITS_ORDERED = Question(
    fact="units_ordered",
    kind=Kind.COUNT,
    label="Units ordered",
    text="Optional: how many units did you order?",
    why="With both counts I can estimate the refund for what is missing.",
    allow_unknown=True,
    help="The quantity is in the order contract.",
    example="For example: 1000.",
)

_UNITS_RECEIVED = Question(
    fact="units_received",
    kind=Kind.COUNT,
    label="Units received",
    text="How many units did you receive?",
    why="A claim is for what is missing, not the whole payment.",
    allow_unknown=True,
    help="Count carton by carton, on video if you can.",
    example="For example: 800.",
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
    unknown=None,
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
        _PROBLEM,
        _PAID_VIA,
        _OUTSIDE,
        _TA_ORDER,
        _AMOUNT,
        _RECEIPT,
        _AGREED,
        _DELIVERY,
        _SPECS,
        _UNITS_ORDERED,
        _UNITS_RECEIVED,
        _WINDOW_END,
        _COVERAGE,
        _EVIDENCE,
    )
}
"""The wording and parser of each catalogued fact (`bot.claims.catalog` says when it applies)."""

_CHOICE_TYPES: dict[str, Any] = {"paid_via": str, "problem": Problem, "specs_in_contract": Specs}
"""Choice facts and their value types (paid_via stays a string: PART_OUTSIDE is an option)."""


def parse_option(raw: str, options: tuple[Option, ...]) -> str | None:
    """An option the text clearly names, or None (the text may still be a date or amount)."""
    try:
        return parse_choice(raw, options)
    except ParseError:
        return None


def parse_count(raw: str) -> int:
    """A whole number of units ("1,000", "800 pcs"); ParseError re-asks."""
    cleaned = re.sub(r"(?i)\s*(units?|pcs|pieces|pc|items?)\.?$", "", raw.strip())
    cleaned = cleaned.replace(",", "").replace(" ", "")
    if not re.fullmatch(r"\d{1,12}", cleaned):
        raise ParseError("Please type a whole number of units, like 1000.")
    return int(cleaned)


_ZERO = re.compile(r"(?i)\s*(?:us\s*)?\$?\s*0+(?:[.,]0+)?\s*(?:usd|us\$|\$|dollars?)?\s*")
_ZERO_WORDS = frozenset({"nothing", "none", "zero", "nothing yet", "not yet", "no"})


def is_zero(raw: str) -> bool:
    """ "0", "$0", "nothing": a real answer for amounts (nothing paid yet, no coverage shown),
    which the money parser refuses because a payment is normally above zero."""
    return bool(_ZERO.fullmatch(raw)) or raw.strip().lower().strip(".!") in _ZERO_WORDS


def _usd(raw: str) -> float:
    money = parse_amount(raw)
    if not money.is_usd:
        shown = f"{money.amount:,.2f}".removesuffix(".00")
        raise ParseError(
            f"That looks like {shown} in {money.currency_name}. Please give the amount in "
            "US dollars, as the Alibaba order page shows it. If you know both figures, you "
            "can write them like this: 3,000 EUR = 3,250 USD."
        )
    return money.amount


def question_for(fact: FactName, problem: Problem | None = None) -> Question:
    """The question for a fact."""
    return QUESTIONS[fact]


def display_answer(fact: FactName, facts: Facts) -> str:
    """The stored answer in words for the review screen; "I don't know" for an unknown."""
    question = QUESTIONS[fact]
    if not facts.given(fact):
        return "I don't know"
    value = getattr(facts, fact)
    if fact == "paid_via" and value is PaidVia.ALIBABA_ORDER and (facts.amount_paid_outside or 0):
        return "Part through Alibaba, part outside"
    if fact == "delivery_date" and value is None:
        return "Not arrived yet"
    if value is None or (fact == "paid_via" and value == "unknown"):
        return "I don't know"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return format_date(value)
    if fact in ("units_ordered", "units_received"):
        return f"{value:,}"
    if isinstance(value, float | int):
        return format_usd(float(value))
    if isinstance(value, frozenset):
        labels = [o.label for o in question.options if o.value in value]
        return ", ".join(labels) if labels else "None of these"
    for option in question.options:
        if option.value == value:
            return option.label
    return str(value)
