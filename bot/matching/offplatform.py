"""Spotting a message about paying outside the Alibaba order, with high precision.

A warning is only useful if it is rare and right: "can I pay by Western Union?" or "he gives 5%
off if I pay to his own account" must trigger it; "never pay by Western Union!" (someone already
giving the right advice), "which payment methods are protected?" and "PayPal vs Trade
Assurance" must not. So a clause must name an off-platform channel *and* talk about paying (or
being asked to), and must not be a warning against it.
"""

from __future__ import annotations

import re

from bot.matching.normalize import prepare

# Off-platform by nature: naming them while talking about paying is enough.
_STRONG = (
    r"westernunion|personalaccount|crypto\w*|bitcoins?|btc|usdt|cash|friends?\s+(?:and|&)\s+family|"
    r"(?:his|her|their|supplier'?s?)\s+(?:\w+\s+){0,2}(?:account|acc|acct)s?|"
    r"(?:company|chinese|another|different|new|other|hk|hong\s+kong)"
    r"\s+(?:bank\s+)?(?:account|acc|acct)s?|"
    r"outside\s+(?:of\s+)?(?:the\s+)?(?:alibaba|platform|order|tradeassurance|system)|"
    r"off[\s-]*(?:platform|alibaba)|not\s+(?:through|via|on|in)\s+(?:the\s+)?(?:alibaba|platform|order)|"
    r"without\s+(?:using\s+)?(?:alibaba|tradeassurance|the\s+platform)|"
    r"instead\s+of\s+(?:through\s+|via\s+|using\s+)?(?:alibaba|tradeassurance|the\s+platform)"
)
# Fine inside the order, off-platform only when said to go straight to the supplier.
_DIRECT = (
    r"direct(?:ly)?|to\s+(?:the\s+)?supplier|to\s+(?:him|her|them)|friends?\s+(?:and|&)\s+family|"
    r"(?:him|her|them)\s+direct(?:ly)?"
)
_PAY = r"pay(?!pal)\w*|paid|send\w*|sent|wir\w*|transfer\w*|remit\w*|money|deposit\w*"
_INTENT = (
    r"want\w*|ask\w*|request\w*|insist\w*|told|tell\w*|says?|said|ok|okay|safe|can|should|"
    r"offer\w*|accept\w*|only|fine|right|allowed|possible|normal"
)
_DISCOUNT = (
    r"discount|cheaper|lower\s+price|better\s+price|save\s+(?:the\s+)?fees?|"
    r"avoid\s+(?:the\s+)?fees?|no\s+fees?|percent\s+off"
)
_NEGATION = (
    r"never|dont|do\s+not|not\s+to|avoid|stop|shouldnt|should\s+not|must\s+not|refuse[ds]?|"
    r"warning|beware|careful|careful\s+with"
)

_STRONG_RE = re.compile(rf"\b(?:{_STRONG})\b")
_DIRECT_RE = re.compile(rf"\b(?:{_DIRECT})\b")
_PAY_RE = re.compile(rf"\b(?:{_PAY})\b")
_INTENT_RE = re.compile(rf"\b(?:{_INTENT})\b")
_DISCOUNT_RE = re.compile(rf"\b(?:{_DISCOUNT})\b")
_NEGATION_RE = re.compile(rf"\b(?:{_NEGATION})\b")
_CLAUSE = re.compile(r"[.!?;\n]+|\bbut\b|\bhowever\b")


def _clause_is_off_platform(clause: str) -> bool:
    channel = _STRONG_RE.search(clause)
    paying = _PAY_RE.search(clause)
    if channel is None:
        direct = _DIRECT_RE.search(clause)
        if direct is None or paying is None:
            return False
        # "pay directly" alone is common talk; it is off-platform when it is the deal on offer.
        if not (_DISCOUNT_RE.search(clause) or _INTENT_RE.search(clause)):
            return False
        channel = direct
    elif paying is None and _INTENT_RE.search(clause) is None:
        return False
    negation = _NEGATION_RE.search(clause)
    return not (negation and negation.start() < channel.start())


def detects_off_platform(text: str) -> bool:
    """True when the message is about paying (or being asked to pay) outside the order."""
    return any(_clause_is_off_platform(c) for c in _CLAUSE.split(prepare(text)) if c.strip())
