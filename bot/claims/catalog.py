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
from bot.dialogue.parsers import Option
from bot.dialogue.question import (
    NONE_OF_THESE,
    NOT_ARRIVED,
    PART_OUTSIDE,
    YES_NO_OPTIONS,
    Kind,
    Question,
)
from bot.i18n import N_, Text, _

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

_NAMES: dict[str, FactName] = {name: name for name in get_args(FactName)}


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


# --- the questions (wording, options, help, parser), one per fact --------------------------

_PAID_VIA = Question(
    fact="paid_via",
    kind=Kind.CHOICE,
    label=N_("How you paid"),
    text=N_("How did you pay for this order?"),
    why=N_("Only money paid through the Alibaba order is protected. This matters most."),
    options=(
        Option(
            "alibaba_order",
            N_("Through the Alibaba order"),
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
            N_("Part on Alibaba, part outside"),
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
            N_("Wire to supplier's own bank"),
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
        Option("western_union", N_("Western Union"), ("western union", "western", "wu")),
        Option(
            "paypal_outside_order",
            N_("PayPal, outside the order"),
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
            N_("Other way, outside Alibaba"),
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
    help=N_(
        "Open My Alibaba > Orders and tap this order. If you paid through Alibaba, the order "
        "shows your payment: card, e-checking, or a T/T to the bank account Alibaba gave for "
        "this order. If you used bank details the supplier sent you by chat or email, you paid "
        "outside Alibaba."
    ),
)

_OUTSIDE = Question(
    fact="amount_paid_outside",
    kind=Kind.AMOUNT,
    label=N_("Paid outside the order"),
    text=N_("How much did you send outside the Alibaba order for this deal, in US dollars?"),
    why=N_("Money sent outside the order (a balance wired directly, a fee) is not protected."),
    allow_unknown=True,
    help=N_("Add up the transfers you made directly to the supplier for this order."),
    example=N_("For example: 7000 or $7,000."),
)

_TA_ORDER = Question(
    fact="trade_assurance_order",
    kind=Kind.YES_NO,
    label=N_("Trade Assurance order"),
    text=N_(
        "Did you place this order on Alibaba.com as a Trade Assurance order, "
        "with an online order contract?"
    ),
    why=N_("Trade Assurance only protects orders made on Alibaba.com with an order contract."),
    options=YES_NO_OPTIONS,
    allow_unknown=True,
    help=N_(
        "Open My Alibaba > Orders. A Trade Assurance order is listed there, with the Trade "
        "Assurance mark and an order contract you can open. A deal made only in chat, email "
        "or WhatsApp is not one."
    ),
)

_PROBLEM = Question(
    fact="problem",
    kind=Kind.CHOICE,
    label=N_("Problem"),
    text=N_("What went wrong with the order?"),
    why=N_("Trade Assurance covers some problems, like late or wrong goods, but not others."),
    options=(
        Option("late_shipment", N_("Shipped late"), ("late", "delay", "delayed", "not shipped")),
        Option(
            "not_delivered",
            N_("Never arrived"),
            ("never arrived", "not arrived", "not received", "never came", "lost", "missing"),
        ),
        Option(
            "quality_mismatch",
            N_("Not as in the contract"),
            ("quality", "wrong product", "different", "fake", "poor quality", "bad quality"),
        ),
        Option(
            "wrong_quantity",
            N_("Wrong quantity"),
            ("quantity", "short", "fewer", "less", "missing", "too few", "short shipped"),
        ),
        Option("supplier_cancelled", N_("Supplier cancelled"), ("cancel", "cancelled", "canceled")),
        Option(
            "transit_damage",
            N_("Damaged in transport"),
            ("damaged", "damage", "broken in transit", "crushed", "shipping damage"),
        ),
        Option("customs_hold", N_("Stuck in customs"), ("customs", "seized", "held")),
        Option(
            "force_majeure",
            N_("Supplier blames typhoon etc."),
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
            N_("I just don't like it"),
            ("don't like", "dont like", "not happy with", "taste", "not my style"),
        ),
        Option(
            "matches_approved_sample",
            N_("Same as the sample I approved"),
            ("sample", "approved sample", "same as sample"),
        ),
        Option(
            "service_or_warranty",
            N_("Warranty or after-sales"),
            ("warranty", "after sales", "after-sales", "installation", "service", "repair"),
        ),
        Option(
            "defect_after_use",
            N_("Defect found after use"),
            ("after use", "stopped working", "broke after", "wore out"),
        ),
        Option("other", N_("Something else"), ("something else", "other", "none of these")),
    ),
    help=N_("If none fits, choose Something else; you can describe it as a question afterwards."),
)

_RECEIPT = Question(
    fact="receipt_confirmed",
    kind=Kind.YES_NO,
    label=N_("Receipt confirmed"),
    text=N_('Have you already tapped "Confirm receipt" for this order on Alibaba?'),
    why=N_("After you confirm receipt, the money goes to the supplier and most claims close."),
    options=YES_NO_OPTIONS,
    allow_unknown=True,
    help=N_(
        "Open the order in My Alibaba > Orders. If its status says completed, or that you "
        "confirmed receipt, the answer is yes."
    ),
)

_DATE_EXAMPLE = N_("For example: 1 May, 2026-05-01 or 3 days ago.")

_AGREED = Question(
    fact="agreed_date",
    kind=Kind.DATE,
    label=N_("Ship-by date"),
    text=N_("By what date did the order contract say the supplier must ship?"),
    why=N_("Late-shipment claims count from this date, and nothing is late before it."),
    allow_unknown=True,
    help=N_(
        "Open the order in My Alibaba > Orders: the contract shows the Expected Ship Date, or "
        "a lead time such as 30 days after payment (then count from your payment date)."
    ),
    example=_DATE_EXAMPLE,
    future_ok=True,
)

_DELIVERY = Question(
    fact="delivery_date",
    kind=Kind.DATE,
    label=N_("Goods arrived"),
    text=N_("Have the goods arrived? If so, on what day?"),
    why=N_("The dispute window usually runs 30 days from the day the goods arrived."),
    options=(
        Option(NOT_ARRIVED, N_("Not arrived yet"), ("not yet", "not arrived", "no", "never")),
    ),
    allow_unknown=True,
    help=N_(
        "Use the day the goods reached you or your forwarder. The tracking page or the "
        "carrier's delivery note shows it."
    ),
    example=_DATE_EXAMPLE,
)

_WINDOW_END = Question(
    fact="order_window_end",
    kind=Kind.DATE,
    label=N_("Last day on the order page"),
    text=N_(
        "Not seeing this is normal (then answer I don't know): does your order page show "
        "a last day to open a dispute, and which day?"
    ),
    why=N_("Your own order's date beats the typical 30 days."),
    allow_unknown=True,
    help=N_(
        "Open My Alibaba > Orders and tap the order: while the protection runs, the page may "
        "show how long you have left to open a dispute. If it shows nothing, that's fine."
    ),
    example=_DATE_EXAMPLE,
    future_ok=True,
)

_UNITS_ORDERED = Question(
    fact="units_ordered",
    kind=Kind.COUNT,
    label=N_("Units ordered"),
    text=N_("Optional: how many units did you order?"),
    why=N_("With both counts I can estimate the refund for what is missing."),
    allow_unknown=True,
    help=N_("The quantity is in the order contract."),
    example=N_("For example: 1000."),
)

_UNITS_RECEIVED = Question(
    fact="units_received",
    kind=Kind.COUNT,
    label=N_("Units received"),
    text=N_("How many units did you receive?"),
    why=N_("A claim is for what is missing, not the whole payment."),
    allow_unknown=True,
    help=N_("Count carton by carton, on video if you can."),
    example=N_("For example: 800."),
)

_SPECS = Question(
    fact="specs_in_contract",
    kind=Kind.CHOICE,
    label=N_("Specs in the contract"),
    text=N_("Does your order contract describe the product with exact details?"),
    why=N_(
        "Claims are judged against the contract. Without exact specs, an inspector's "
        "general standards decide."
    ),
    options=(
        Option(
            "measurable",
            N_("Yes, exact specs"),
            ("exact", "yes", "measurable", "sizes", "detailed", "numbers"),
        ),
        Option("vague", N_("Only a general description"), ("vague", "general", "some", "basic")),
        Option("none", N_("No specs at all"), ("no", "none", "nothing", "no specs")),
    ),
    allow_unknown=True,
    help=N_(
        "Open the order contract and read the product details. 'Cotton, 180 g/m2, 60 x 90 cm' "
        "is exact; 'good quality' is general."
    ),
)

_AMOUNT = Question(
    fact="amount_paid",
    kind=Kind.AMOUNT,
    label=N_("Amount paid"),
    text=N_("How much did you pay through this order, in US dollars?"),
    why=N_("This is the money a claim could get back."),
    allow_unknown=True,
    help=N_("The order page in My Alibaba > Orders shows the amount paid in US dollars."),
    example=N_("For example: 12500 or $12,500."),
)

_COVERAGE = Question(
    fact="coverage_limit",
    kind=Kind.AMOUNT,
    label=N_("Supplier's coverage amount"),
    text=N_("What is the supplier's Trade Assurance coverage amount, in US dollars?"),
    why=N_("Each supplier is covered only up to a set amount. Money above it is not protected."),
    allow_unknown=True,
    unknown=None,
    help=N_(
        "Open the supplier's profile page or one of its product pages on Alibaba.com. Next "
        "to the Trade Assurance mark you see an amount, like US$ 50,000. You can also ask the "
        "supplier in Alibaba chat."
    ),
    example=N_("For example: 50000 or $50,000."),
)

_EVIDENCE = Question(
    fact="evidence",
    kind=Kind.MULTI_CHOICE,
    label=N_("Your evidence"),
    text=N_("Which of these do you have? Choose all that apply, then Done."),
    why=N_("Claims are won with proof. This shows what to gather now."),
    options=(
        Option("contract", N_("The order contract"), ("contract", "order contract")),
        Option("inspection_report", N_("Inspection report"), ("inspection", "qc", "report")),
        Option("photos_video", N_("Photos or video"), ("photo", "photos", "pictures", "video")),
        Option("platform_chat", N_("Chat on Alibaba"), ("chat", "messages", "messenger")),
        Option("tracking", N_("Tracking details"), ("tracking", "shipping", "waybill", "bill")),
        Option("timeline", N_("Dated timeline"), ("timeline", "dates", "diary", "log")),
        Option(NONE_OF_THESE, N_("None of these"), ("none", "nothing", "no")),
    ),
    help=N_("Pick only what you have now. You can still gather the rest before you open a claim."),
)


@dataclass(frozen=True, slots=True)
class FactSpec:
    """One fact: its meaning in words, whether the rules need it, and when it applies.

    `applies` decides from the facts so far whether the fact is relevant at all (a question is
    asked only then, and an answer that stops applying is dropped); `depends_on` names the facts
    `applies` reads, so an edit of one of them re-checks this one.
    """

    question: Question
    """How the check asks for it: wording, options, help and the parser."""
    label: Text
    """The fact in words, for reasons ("how you paid")."""
    need: Need
    applies: Callable[[Facts], bool]
    depends_on: tuple[FactName, ...] = ()
    where: Text | None = None
    """What to do to find the answer, as a next step while the fact is missing."""

    def __post_init__(self) -> None:
        if self.question.fact not in _NAMES:
            raise ValueError(f"{self.question.fact!r} is not a fact of the contract")

    @property
    def name(self) -> FactName:
        """The fact's name in the JSON contract (the question's)."""
        return _NAMES[self.question.fact]

    def is_needed(self, facts: Facts) -> bool:
        """Needed by the rules for these facts (so it may appear in `missing_facts`)."""
        return self.need == "needed" and self.applies(facts)


FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        _PROBLEM,
        _("what went wrong"),
        "needed",
        _always,
        where=_(
            "Say what went wrong: late shipment, goods never delivered, quality or quantity not "
            "as in the contract, or the supplier cancelling."
        ),
    ),
    FactSpec(
        _PAID_VIA,
        _("how you paid"),
        "needed",
        _always,
        where=_(
            "Find out how you paid: card, e-checking or T/T into the account shown on the Alibaba"
            " order page is protected; a wire to the supplier's own account, Western Union or "
            "PayPal outside the order is not."
        ),
    ),
    FactSpec(
        _OUTSIDE,
        _("how much you paid outside the order"),
        "optional",
        _paid_through_order,
        ("paid_via",),
        where=_(
            "Add up what you sent outside the order for the same deal (a balance wired directly, "
            "a fee by Western Union)."
        ),
    ),
    FactSpec(
        _TA_ORDER,
        _("whether the order is a Trade Assurance order"),
        "needed",
        _always,
        where=_(
            "Check in My Alibaba > Orders whether the order is listed there as a Trade Assurance "
            "order with an online order contract."
        ),
    ),
    FactSpec(
        _AMOUNT,
        _("the amount paid through the order"),
        "needed",
        _always,
        where=_(
            "Give the amount in US dollars you paid through the order: My Alibaba > Orders > the "
            "order's payment record."
        ),
    ),
    FactSpec(
        _RECEIPT,
        _("whether you have confirmed receipt on Alibaba"),
        "needed",
        _always,
        where=_(
            "Check the order status in My Alibaba > Orders: completed, or receipt confirmed, "
            "means yes. If not, do not confirm it while the problem is open."
        ),
    ),
    FactSpec(
        _AGREED,
        _("the ship-by date in the order contract"),
        "needed",
        _for(SHIPPING_PROBLEMS),
        ("problem",),
        where=_(
            "Give the ship-by date (Expected Ship Date) in the order contract: My Alibaba > "
            "Orders > the order; a lead time counts from your payment date."
        ),
    ),
    FactSpec(
        _DELIVERY,
        _("whether and when the goods arrived"),
        "needed",
        _for(ARRIVED_PROBLEMS),
        ("problem",),
        where=_(
            "Say whether the goods have arrived and on which day: the tracking page or the "
            "carrier's delivery note shows it."
        ),
    ),
    FactSpec(
        _SPECS,
        _("how precisely the contract states the specifications"),
        "needed",
        _for(QUALITY_PROBLEMS),
        ("problem",),
        where=_(
            "Look at the contract: does it state measurable specifications (dimensions, "
            "materials, tolerances), only vague words like 'good quality', or none at all?"
        ),
    ),
    FactSpec(
        _UNITS_ORDERED,
        _("the units ordered"),
        "optional",
        _short_count,
        ("problem",),
        where=_("The order contract gives the quantity ordered."),
    ),
    FactSpec(
        _UNITS_RECEIVED,
        _("the units received"),
        "optional",
        _counted,
        ("problem", "units_ordered"),
        where=_("Count the units received, on video, carton by carton."),
    ),
    FactSpec(
        _WINDOW_END,
        _("the last day to open a dispute shown on the order page"),
        "optional",
        _known_problem,
        ("problem",),
        where=_(
            "The order page (My Alibaba > Orders > the order) shows the last day to open a "
            "dispute while the protection runs."
        ),
    ),
    FactSpec(
        _COVERAGE,
        _("the supplier's coverage amount"),
        "optional",
        _known_problem,
        where=_(
            "The supplier's coverage amount is shown next to the Trade Assurance mark on its "
            "profile and product pages."
        ),
    ),
    FactSpec(
        _EVIDENCE,
        _("the evidence you hold"),
        "optional",
        _known_problem,
        where=_(
            "Gather the order contract, your Alibaba chat, photos or video, tracking and a dated "
            "timeline."
        ),
    ),
)
"""The catalogue, in asking order: the problem first (it decides what else applies), then the
payment (the most common way to lose cover), then what the decisive rules read."""

FACT_NAMES: tuple[FactName, ...] = get_args(FactName)
BY_NAME: dict[FactName, FactSpec] = {spec.name: spec for spec in FACTS}
assert tuple(BY_NAME) == FACT_NAMES, "declare every fact once, in asking order"


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


def label(name: FactName) -> Text:
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
