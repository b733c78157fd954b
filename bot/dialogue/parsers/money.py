"""Amounts of money: US dollars only, anything ambiguous asked again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from bot.dialogue.parsers.lexicon import (
    CURRENCY_WORDS,
    DOT_GROUPS_LANGS,
    LOCAL_CURRENCY_WORDS,
    MULTIPLIER_WORDS,
    UNIT_WORDS,
)
from bot.dialogue.parsers.text import AMOUNT_HELP, MAX_AMOUNT, ParseError, guard
from bot.i18n import DEFAULT_LANG, N_, _

# --------------------------------------------------------------------------- money


@dataclass(frozen=True)
class Money:
    """An amount and the currency it was written in (ISO code, or a best guess like CNY/JPY).

    Only `currency == "USD"` may be stored as a fact; anything else must be re-asked.
    """

    amount: float
    currency: str = "USD"
    currency_name: str = "US dollars"

    @property
    def is_usd(self) -> bool:
        return self.currency == "USD"


# (code, name, symbols found anywhere, words/codes found as whole words)
_CURRENCIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("AUD", "Australian dollars", ("a$", "au$"), ("aud", "australian dollars")),
    ("CAD", "Canadian dollars", ("c$", "ca$"), ("cad", "canadian dollars")),
    ("HKD", "Hong Kong dollars", ("hk$",), ("hkd",)),
    ("SGD", "Singapore dollars", ("s$",), ("sgd",)),
    ("NZD", "New Zealand dollars", ("nz$",), ("nzd",)),
    ("MXN", "Mexican pesos", ("mx$",), ("mxn",)),
    ("BRL", "Brazilian reais", ("r$",), ("brl", "reais")),
    ("TWD", "Taiwan dollars", ("nt$",), ("twd", "ntd")),
    ("EUR", "euros", ("€",), ("eur", "euro", "euros")),
    ("GBP", "British pounds", ("£",), ("gbp", "pound", "pounds", "quid")),
    ("CNY", "Chinese yuan", ("元",), ("cny", "rmb", "yuan")),
    ("JPY", "Japanese yen", ("円",), ("jpy", "yen")),
    ("CNY/JPY", N_("yuan or yen"), ("¥",), ()),
    ("INR", "Indian rupees", ("₹",), ("inr", "rupee", "rupees", "rs", "lakh", "lakhs", "crore")),
    ("PKR", "Pakistani rupees", (), ("pkr",)),
    ("NGN", "Nigerian naira", ("₦",), ("ngn", "naira")),
    ("GHS", "Ghana cedis", ("₵",), ("ghs", "cedi", "cedis")),
    ("KES", "Kenyan shillings", (), ("kes", "ksh", "kshs")),
    ("ZAR", "South African rand", (), ("zar", "rand")),
    ("PHP", "Philippine pesos", ("₱",), ("php",)),
    ("PESO", N_("pesos"), (), ("peso", "pesos")),
    ("IDR", "Indonesian rupiah", (), ("idr", "rp", "rupiah")),
    ("VND", "Vietnamese dong", ("₫",), ("vnd", "dong")),
    ("TRY", "Turkish lira", ("₺",), ("lira", "tl")),
    ("RUB", "Russian roubles", ("₽",), ("rub", "rubles", "roubles")),
    ("UAH", "Ukrainian hryvnia", ("₴",), ("uah", "hryvnia")),
    ("KRW", "Korean won", ("₩",), ("krw",)),
    ("AED", "UAE dirhams", (), ("aed", "dirham", "dirhams")),
    ("SAR", "Saudi riyals", (), ("sar", "riyal", "riyals")),
    ("EGP", "Egyptian pounds", (), ("egp",)),
    ("BDT", "Bangladeshi taka", ("৳",), ("bdt", "taka")),
    ("THB", "Thai baht", ("฿",), ("thb", "baht")),
    ("MYR", "Malaysian ringgit", (), ("myr", "ringgit", "rm")),
    ("CHF", "Swiss francs", (), ("chf", "franc", "francs")),
    ("PLN", "Polish zloty", ("zł",), ("pln", "zloty")),
    ("USD", "US dollars", ("us$", "u.s.$", "$"), ("usd", "dollar", "dollars", "bucks")),
)
_UNIT_WORDS = re.compile(
    r"\b(?:pcs|pc|pieces?|units?|kgs?|kilos?|tons?|tonnes?|boxes|cartons?|sets?|pairs?|"
    r"containers?|days?|weeks?|months?)\b|%|(?<!\w)(?:"
    + "|".join(map(re.escape, UNIT_WORDS))
    + r")(?!\w)"
)
_MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "grand": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "mio": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "millions": Decimal(1_000_000),
    **{word: Decimal(value) for word, value in MULTIPLIER_WORDS.items()},
}
_MULTIPLIER_PATTERN = "|".join(
    re.escape(word) for word in sorted(_MULTIPLIERS, key=len, reverse=True)
)
_NUMBER = re.compile(
    r"(?P<sign>-|\bminus\s)?\s*"
    r"(?<![^\W\d_])(?<!\d)(?P<num>(?>\d+(?:[ ,.'_]\d+)*))"  # atomic: never read 3000x as 300
    rf"\s*(?P<mult>{_MULTIPLIER_PATTERN})?(?![^\W\d_])"
)
_CONVERSION = re.compile(r"\s*(?:=|≈|~|->|→|=>|\bis about\b|\bis\b|\bequals\b|\bor\b)\s*")


_SYMBOLS = sorted(
    ((symbol, code, name) for code, name, symbols, _ in _CURRENCIES for symbol in symbols),
    key=lambda item: -len(item[0]),
)
"""Longest first, so "us$" is not read as "s$" (Singapore) nor "a$" as "$"."""


@cache
def _words_of(lang: str) -> tuple[tuple[str, str, str], ...]:
    """(word, code, name) for every currency word read in `lang`, longest first (built once
    per language, not per typed amount)."""
    words = [(w, code, name) for code, name, _s, ws in _CURRENCIES for w in ws]
    words += [(w, code, name) for w, (code, name) in CURRENCY_WORDS.items()]
    words += [(w, code, name) for w, (code, name) in LOCAL_CURRENCY_WORDS.get(lang, {}).items()]
    return tuple(sorted(words, key=lambda item: -len(item[0])))


def _currencies_in(text: str, lang: str) -> tuple[list[tuple[str, str]], str]:
    """The currencies mentioned, and the text with their markers blanked out."""
    found: dict[str, str] = {}
    for symbol, code, name in _SYMBOLS:
        if symbol in text:
            text = text.replace(symbol, " ")
            found[code] = name
    for word, code, name in _words_of(lang):
        pattern = r"(?<![^\W\d_])" + re.escape(word) + r"\.?(?![^\W\d_])"
        if re.search(pattern, text):
            text = re.sub(pattern, " ", text)
            found[code] = name
    return list(found.items()), text


def _to_decimal(raw: str, lang: str = DEFAULT_LANG) -> Decimal:
    """Read one number with thousands separators and a decimal mark, refusing the ambiguous.

    A single mark before three digits groups thousands when it is the reader's grouping mark
    (a comma in English, a dot in Russian, Spanish and Portuguese) and is asked back otherwise.
    """
    parts = re.split(r"([ ,.'_])", raw)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return Decimal(raw)
    last_sep, last_group = seps[-1], groups[-1]
    decimal_mark: str | None = None
    zero_point = len(seps) == 1 and last_sep == "." and groups[0] == "0"  # 0.500
    other_mark = "," if lang in DOT_GROUPS_LANGS else "."
    zero_point = zero_point or (len(seps) == 1 and last_sep == other_mark and groups[0] == "0")
    if (last_sep in ".," and len(last_group) != 3) or zero_point:
        decimal_mark = last_sep
    elif len(seps) == 1 and last_sep == other_mark and len(groups[0]) <= 3:
        whole = int(groups[0] + last_group)
        small = Decimal(f"{groups[0]}.{last_group}").normalize()
        raise ParseError(
            _(
                "Is that {whole} or {small}? Please write it without dots or commas, like {plain}.",
                whole=whole,
                small=small,
                plain=str(whole),
            )
        )
    thousands = seps[:-1] if decimal_mark else seps
    int_groups = groups[:-1] if decimal_mark else groups
    if thousands:
        if len(set(thousands)) != 1 or thousands[0] == decimal_mark:
            raise ParseError(AMOUNT_HELP)
        if not 1 <= len(int_groups[0]) <= 3 or any(len(g) != 3 for g in int_groups[1:]):
            raise ParseError(AMOUNT_HELP)
    integer = "".join(int_groups)
    if decimal_mark:
        return Decimal(f"{integer}.{last_group}")
    return Decimal(integer)


_NOT_MONEY = N_(
    "That looks like a quantity or a time, not money. "
    "Please send the amount in US dollars, like $12,500."
)
_SEVERAL_NUMBERS = N_(
    "I see more than one number there. Please send just the total amount, like $12,500."
)
_TOO_LARGE = N_(
    "That amount is too large to be right. Please check it and send it again, like $12,500."
)
_SEVERAL_CURRENCIES = N_(
    "I see more than one currency there. Please send the amount in US dollars only."
)
_NOT_POSITIVE = N_("The amount must be more than 0. Please send what you paid, like $3,000.")


def _one_amount(text: str, lang: str) -> Money:
    """One amount with at most one currency, from already-normalised text."""
    if _UNIT_WORDS.search(text):
        raise ParseError(_NOT_MONEY)
    currencies, rest = _currencies_in(text, lang)
    numbers = list(_NUMBER.finditer(rest))
    if not numbers:
        raise ParseError(AMOUNT_HELP)
    leftover = _NUMBER.sub(" ", rest)
    if len(numbers) > 1 or re.search(r"\d", leftover):
        raise ParseError(_SEVERAL_NUMBERS)
    match = numbers[0]
    try:
        value = _to_decimal(match.group("num"), lang)
    except InvalidOperation:
        raise ParseError(AMOUNT_HELP) from None
    if match.group("mult"):
        value *= _MULTIPLIERS[match.group("mult")]
    if value > Decimal(MAX_AMOUNT):
        raise ParseError(_TOO_LARGE)
    if len({code for code, _name in currencies}) > 1:
        raise ParseError(_SEVERAL_CURRENCIES)
    if match.group("sign") or re.search(r"(?<![\w])-\s*$", rest[: match.start()]):
        raise ParseError(_NOT_POSITIVE)
    if value <= 0:
        raise ParseError(_NOT_POSITIVE)
    amount = float(round(value, 2))
    if amount > MAX_AMOUNT:
        raise ParseError(_TOO_LARGE)
    if amount <= 0:
        raise ParseError(N_("The amount must be at least one cent."))
    code, name = currencies[0] if currencies else ("USD", "US dollars")
    return Money(amount=amount, currency=code, currency_name=name)


def parse_amount(text: str, lang: str = DEFAULT_LANG) -> Money:
    """An amount from "$12,500", "12.5k", "USD 3000", "3 000", "3.000,50", "US$ 8,000".

    Decisions (for phone users from many countries):
    - no currency means US dollars (the question asks for dollars);
    - a comma or dot followed by one or two digits is a decimal mark ("12,5" = 12.5);
    - a comma followed by three digits is a thousands separator ("12,500"), and so is any mark
      used twice ("1.234.567") or before a different decimal mark ("3.000,50" = 3000.50);
    - a single dot followed by three digits ("12.500") is ambiguous and asked back in English;
      in Russian, Spanish and Portuguese (`lang`) the dot groups thousands and a single comma
      before three digits ("12,500") is the one asked back;
    - thousand and million words of those languages count ("3 тыс.", "1,2 mil", "2 millones");
    - another currency is returned with its code so the caller can ask for dollars;
    - an explicit conversion ("€3000 = $3250") yields the dollar side.
    """
    cleaned = guard(text, AMOUNT_HELP)
    sides = [s for s in _CONVERSION.split(cleaned) if s.strip()]
    if len(sides) == 2:
        try:
            parsed = [_one_amount(side, lang) for side in sides]
        except ParseError:
            parsed = []
        usd = [m for m in parsed if m.is_usd]
        if len(usd) == 1 and len(parsed) == 2:
            return usd[0]
    return _one_amount(cleaned, lang)
