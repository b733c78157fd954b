"""Forgiving parsers for typed answers: dates, money, yes/no and choices.

Users type on phones, often in a second language, so every parser accepts the many ways people
write a value and, when it cannot be sure, raises `ParseError` with a short re-ask that says what
to type. Guessing is never allowed where a wrong guess moves money: an ambiguous 1/5/2026, a
`12.500` that could be twelve thousand or twelve and a half, or euros typed as if they were
dollars all come back as a question.

Everything here is pure and uses the standard library plus rapidfuzz.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rapidfuzz import fuzz
from rapidfuzz import utils as fuzz_utils

from bot.claims.labels import day as day_label
from bot.claims.labels import usd as usd_label

MAX_INPUT_CHARS = 200
"""Answers longer than this are not a date, an amount or a choice; refusing them keeps parsing
cheap whatever is pasted in."""

MAX_AMOUNT = 100_000_000.0
"""US$100 million: far above any order a small importer places, low enough to catch pasted
order numbers and runaway zeros."""

MIN_YEAR = 2000
"""Trade Assurance is younger than this; earlier years are typos."""

DATE_HELP = "I couldn't read that date. Try 2026-05-01, 1 May or 3 days ago."
AMOUNT_HELP = "I couldn't read that amount. Try 12500, $12,500 or 12.5k."
YES_NO_HELP = "Please answer yes or no."


class ParseError(ValueError):
    """An answer we could not read; `message` is the friendly re-ask to show the user.

    `suggestions` holds option values worth offering as buttons (for "did you mean").
    """

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions: tuple[str, ...] = tuple(suggestions)


# --------------------------------------------------------------------------- text clean-up


def normalize(text: str) -> str:
    """NFKC, every Unicode digit as ASCII, lower case, single spaces.

    NFKC turns full-width digits and letters (common on Chinese and Japanese keyboards) into
    ASCII; the digit pass also covers Arabic-Indic and Devanagari digits.
    """
    text = unicodedata.normalize("NFKC", text)
    chars = []
    for ch in text:
        digit = unicodedata.decimal(ch, None)
        chars.append(str(digit) if digit is not None and not ch.isascii() else ch)
    text = "".join(chars).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.lower().split())


def _guard(text: str, help_text: str) -> str:
    """Normalised text, or a ParseError for empty and overlong input."""
    if len(text) > MAX_INPUT_CHARS:
        raise ParseError("That answer is too long. " + help_text)
    cleaned = normalize(text)
    if not cleaned:
        raise ParseError(help_text)
    return cleaned


_UNKNOWN_PHRASES = frozenset(
    {
        "?",
        "??",
        "???",
        "i don't know",
        "i dont know",
        "i do not know",
        "don't know",
        "dont know",
        "do not know",
        "idk",
        "dunno",
        "not sure",
        "i'm not sure",
        "im not sure",
        "i am not sure",
        "unsure",
        "no idea",
        "i have no idea",
        "don't remember",
        "dont remember",
        "i don't remember",
        "i dont remember",
        "unknown",
        "no clue",
        "not known",
    }
)


def is_unknown(text: str) -> bool:
    """True when the user says they don't know ("idk", "not sure", "?")."""
    if len(text) > MAX_INPUT_CHARS:
        return False
    cleaned = normalize(text).strip(" .!")
    return cleaned in _UNKNOWN_PHRASES or (cleaned.rstrip("?") in _UNKNOWN_PHRASES)


# --------------------------------------------------------------------------- yes / no

_YES_WORDS = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yea",
        "ya",
        "yah",
        "yep",
        "yup",
        "ye",
        "yse",
        "sure",
        "ok",
        "okay",
        "k",
        "correct",
        "true",
        "right",
        "definitely",
        "certainly",
        "absolutely",
        "confirmed",
        "affirmative",
        "si",
        "sí",
        "oui",
        "ja",
        "da",
        "haan",
        "evet",
        "sim",
        "👍",
    }
)
_NO_WORDS = frozenset(
    {
        "no",
        "n",
        "nope",
        "nah",
        "nop",
        "never",
        "false",
        "not",
        "didn't",
        "didnt",
        "haven't",
        "havent",
        "hasn't",
        "hasnt",
        "wasn't",
        "wasnt",
        "isn't",
        "isnt",
        "don't",
        "dont",
        "non",
        "nein",
        "nahi",
        "nai",
        "hayir",
        "nao",
        "não",
        "👎",
    }
)
_YES_PHRASES = frozenset({"of course", "i did", "i have", "it is", "it was", "i think so", "did"})


def _squeeze(word: str) -> str:
    """Collapse letters typed three or more times: "yesss" -> "yes", "nooo" -> "no"."""
    return re.sub(r"(.)\1{2,}", r"\1", word)


def parse_yes_no(text: str) -> bool:
    """Yes or no from "yes", "y", "yeah", "nope", "not yet", "no I didn't" and the like.

    Both a yes-word and a no-word ("yes and no") or neither is a re-ask, never a guess.
    """
    cleaned = _guard(text, YES_NO_HELP)
    if is_unknown(cleaned):
        raise ParseError(YES_NO_HELP + " If you're not sure, say \"I don't know\".")
    phrase = cleaned.strip(" .!,")
    words = [_squeeze(w) for w in re.findall(r"[\w'👍👎]+", phrase)]
    if not words:
        raise ParseError(YES_NO_HELP)
    joined = " ".join(words)
    if joined.startswith("not yet"):
        return False
    if joined in _YES_PHRASES:
        return True
    has_no = any(w in _NO_WORDS for w in words)
    has_yes_word = any(w in _YES_WORDS for w in words)
    if has_no and has_yes_word:
        raise ParseError("I'm not sure if that is a yes or a no. Please answer just yes or no.")
    if has_no:  # "no I didn't", "I did not", "I don't think so"
        return False
    if has_yes_word or any(p in joined for p in _YES_PHRASES):
        return True
    raise ParseError(YES_NO_HELP + " If you're not sure, say \"I don't know\".")


# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Option:
    """One answer a question offers: a short ASCII `value` (fits Telegram callback data), the
    `label` people see, and extra `keywords` people type for it."""

    value: str
    label: str
    keywords: tuple[str, ...] = field(default=())


_NUMBER_CHOICE = re.compile(r"^(?:option|number|no\.?|nr\.?|#)?\s*(\d{1,2})\s*[.)]?$")
_NOT_A_STATEMENT = re.compile(
    r"\?|\b(?:wants?|asks?|asking|asked\s+me|should|could|would|will|going\s+to|plan\w*|"
    r"if\s+i|can\s+i|tells?\s+me|told\s+me)\b"
)
"""A question or a plan ("he wants me to pay by Western Union") is not an answer to "how did
you pay?": picking an option from its keywords would record something that did not happen."""
_FUZZY_ACCEPT = 86.0
_FUZZY_SUGGEST = 60.0
_FUZZY_MARGIN = 8.0


def _numbered(options: Sequence[Option]) -> str:
    return "; ".join(f"{i} = {o.label}" for i, o in enumerate(options, 1))


def _choice_help(options: Sequence[Option]) -> str:
    return f"Please choose one by number: {_numbered(options)}."


def _word_in(needle: str, haystack: str) -> bool:
    """Whole-word (or whole-phrase) containment, so "card" does not match "discarded"."""
    return re.search(r"(?<![\w])" + re.escape(needle) + r"(?![\w])", haystack) is not None


def parse_choice(text: str, options: Sequence[Option]) -> str:
    """The value of the option the user means: by number ("2", "#2", "option 2"), by value, by
    label, by keyword, or by a close fuzzy match of the label.

    Keywords shared by several options (say "wire", which may be the Alibaba account or the
    supplier's own) make a re-ask that lists just those options.
    """
    if not options:
        raise ParseError("There is nothing to choose here.")
    cleaned = _guard(text, _choice_help(options)).strip(" .!")
    number = _NUMBER_CHOICE.match(cleaned)
    if number:
        index = int(number.group(1))
        if 1 <= index <= len(options):
            return options[index - 1].value
        raise ParseError(f"Please pick a number from 1 to {len(options)}: {_numbered(options)}.")
    for option in options:
        if cleaned in (option.value.lower(), normalize(option.label).strip(" .!")):
            return option.value

    hits: dict[str, int] = {}
    for option in options:
        count = sum(1 for k in option.keywords if _word_in(normalize(k), cleaned))
        if count:
            hits[option.value] = count
    if hits:
        best = max(hits.values())
        top = [o for o in options if hits.get(o.value) == best]
        if _NOT_A_STATEMENT.search(cleaned):
            raise ParseError(
                "I need what actually happened. " + _choice_help(options),
                suggestions=[o.value for o in top],
            )
        if len(top) == 1:
            return top[0].value
        raise ParseError(
            "That could mean more than one thing. Which one? "
            + "; ".join(f"{options.index(o) + 1} = {o.label}" for o in top)
            + ".",
            suggestions=[o.value for o in top],
        )

    if len(re.sub(r"\W", "", cleaned)) < 3:
        raise ParseError(_choice_help(options))
    scored = sorted(
        ((_fuzzy_score(cleaned, o), i) for i, o in enumerate(options)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    best_score, best_index = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= _FUZZY_ACCEPT and best_score - runner_up >= _FUZZY_MARGIN:
        return options[best_index].value
    close = [options[i] for score, i in scored[:3] if score >= _FUZZY_SUGGEST]
    if close:
        raise ParseError(
            "Did you mean "
            + " or ".join(f"{options.index(o) + 1} ({o.label})" for o in close)
            + "? Please send the number.",
            suggestions=[o.value for o in close],
        )
    raise ParseError("I didn't catch that. " + _choice_help(options))


def _fuzzy_score(cleaned: str, option: Option) -> float:
    """Best similarity of the answer to the option's label, value or keywords (0-100)."""
    phrases = [option.label, option.value.replace("_", " "), *option.keywords]
    return max(
        float(
            fuzz.WRatio(cleaned, phrase, processor=fuzz_utils.default_process)
            if len(cleaned) >= 4
            else fuzz.ratio(cleaned, phrase, processor=fuzz_utils.default_process)
        )
        for phrase in phrases
    )


_SPLIT_MULTI = re.compile(r"\s*(?:,|;|/|&|\+|\band\b|\bplus\b|\n)\s*")


def parse_multi(text: str, options: Sequence[Option]) -> frozenset[str]:
    """Several choices at once: numbers ("1 3 4", "1,3") or names ("photos and chat").

    Returns the set of values; an unreadable part is a re-ask naming that part.
    """
    cleaned = _guard(text, _choice_help(options))
    if re.fullmatch(r"[\d\s,;.&+#and]+", cleaned) and re.search(r"\d", cleaned):
        picked: set[str] = set()
        for raw in re.findall(r"\d+", cleaned):
            index = int(raw)
            if not 1 <= index <= len(options):
                raise ParseError(
                    f"{raw} is not on the list. Please use numbers from 1 to {len(options)}."
                )
            picked.add(options[index - 1].value)
        return frozenset(picked)
    parts = [p for p in _SPLIT_MULTI.split(cleaned) if p.strip()]
    values: set[str] = set()
    for part in parts:
        try:
            values.add(parse_choice(part, options))
        except ParseError as exc:
            raise ParseError(
                f'I couldn\'t match "{part}". {exc.message}', exc.suggestions
            ) from None
    return frozenset(values)


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
    ("CNY/JPY", "yuan or yen", ("¥",), ()),
    ("INR", "Indian rupees", ("₹",), ("inr", "rupee", "rupees", "rs", "lakh", "lakhs", "crore")),
    ("PKR", "Pakistani rupees", (), ("pkr",)),
    ("NGN", "Nigerian naira", ("₦",), ("ngn", "naira")),
    ("GHS", "Ghana cedis", ("₵",), ("ghs", "cedi", "cedis")),
    ("KES", "Kenyan shillings", (), ("kes", "ksh", "kshs")),
    ("ZAR", "South African rand", (), ("zar", "rand")),
    ("PHP", "Philippine pesos", ("₱",), ("php",)),
    ("PESO", "pesos", (), ("peso", "pesos")),
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
    r"containers?|days?|weeks?|months?)\b|%"
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
}
_NUMBER = re.compile(
    r"(?P<sign>-|\bminus\s)?\s*"
    r"(?<![a-z0-9])(?P<num>(?>\d+(?:[ ,.'_]\d+)*))"  # atomic: never read 3000x as 300
    r"\s*(?P<mult>k|thousand|grand|mn|mio|millions?|m)?(?![a-z])"
)
_CONVERSION = re.compile(r"\s*(?:=|≈|~|->|→|=>|\bis about\b|\bis\b|\bequals\b|\bor\b)\s*")


_SYMBOLS = sorted(
    ((symbol, code, name) for code, name, symbols, _ in _CURRENCIES for symbol in symbols),
    key=lambda item: -len(item[0]),
)
"""Longest first, so "us$" is not read as "s$" (Singapore) nor "a$" as "$"."""


def _currencies_in(text: str) -> tuple[list[tuple[str, str]], str]:
    """The currencies mentioned, and the text with their markers blanked out."""
    found: dict[str, str] = {}
    for symbol, code, name in _SYMBOLS:
        if symbol in text:
            text = text.replace(symbol, " ")
            found[code] = name
    for code, name, _, words in _CURRENCIES:
        for word in words:
            pattern = r"(?<![a-z])" + re.escape(word) + r"(?![a-z])"
            if re.search(pattern, text):
                text = re.sub(pattern, " ", text)
                found[code] = name
    return list(found.items()), text


def _to_decimal(raw: str) -> Decimal:
    """Read one number with thousands separators and a decimal mark, refusing the ambiguous."""
    parts = re.split(r"([ ,.'_])", raw)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return Decimal(raw)
    last_sep, last_group = seps[-1], groups[-1]
    decimal_mark: str | None = None
    zero_point = len(seps) == 1 and last_sep == "." and groups[0] == "0"  # 0.500
    if (last_sep in ".," and len(last_group) != 3) or zero_point:
        decimal_mark = last_sep
    elif len(seps) == 1 and last_sep == "." and len(groups[0]) <= 3:
        whole = int(groups[0] + last_group)
        small = f"{Decimal(f'{groups[0]}.{last_group}').normalize():f}"
        raise ParseError(
            f"Is that {whole:,} or {small}? Please write it without dots, like {whole}."
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


def _one_amount(text: str) -> Money:
    """One amount with at most one currency, from already-normalised text."""
    if _UNIT_WORDS.search(text):
        raise ParseError(
            "That looks like a quantity or a time, not money. "
            "Please send the amount in US dollars, like $12,500."
        )
    currencies, rest = _currencies_in(text)
    numbers = list(_NUMBER.finditer(rest))
    if not numbers:
        raise ParseError(AMOUNT_HELP)
    leftover = _NUMBER.sub(" ", rest)
    if len(numbers) > 1 or re.search(r"\d", leftover):
        raise ParseError(
            "I see more than one number there. Please send just the total amount, like $12,500."
        )
    match = numbers[0]
    try:
        value = _to_decimal(match.group("num"))
    except InvalidOperation:
        raise ParseError(AMOUNT_HELP) from None
    if match.group("mult"):
        value *= _MULTIPLIERS[match.group("mult")]
    if value > Decimal(MAX_AMOUNT):
        raise ParseError(
            "That amount is too large to be right. Please check it and send it again, like $12,500."
        )
    if len({code for code, _ in currencies}) > 1:
        raise ParseError(
            "I see more than one currency there. Please send the amount in US dollars only."
        )
    if match.group("sign") or re.search(r"(?<![\w])-\s*$", rest[: match.start()]):
        raise ParseError("The amount must be more than 0. Please send what you paid, like $3,000.")
    if value <= 0:
        raise ParseError("The amount must be more than 0. Please send what you paid, like $3,000.")
    amount = float(round(value, 2))
    if amount > MAX_AMOUNT:
        raise ParseError(
            "That amount is too large to be right. Please check it and send it again, like $12,500."
        )
    if amount <= 0:
        raise ParseError("The amount must be at least one cent.")
    code, name = currencies[0] if currencies else ("USD", "US dollars")
    return Money(amount=amount, currency=code, currency_name=name)


def parse_amount(text: str) -> Money:
    """An amount from "$12,500", "12.5k", "USD 3000", "3 000", "3.000,50", "US$ 8,000".

    Decisions (for phone users from many countries):
    - no currency means US dollars (the question asks for dollars);
    - a comma or dot followed by one or two digits is a decimal mark ("12,5" = 12.5);
    - a comma followed by three digits is a thousands separator ("12,500"), and so is any mark
      used twice ("1.234.567") or before a different decimal mark ("3.000,50" = 3000.50);
    - a single dot followed by three digits ("12.500") is ambiguous and asked back;
    - another currency is returned with its code so the caller can ask for dollars;
    - an explicit conversion ("€3000 = $3250") yields the dollar side.
    """
    cleaned = _guard(text, AMOUNT_HELP)
    sides = [s for s in _CONVERSION.split(cleaned) if s.strip()]
    if len(sides) == 2:
        try:
            parsed = [_one_amount(side) for side in sides]
        except ParseError:
            parsed = []
        usd = [m for m in parsed if m.is_usd]
        if len(usd) == 1 and len(parsed) == 2:
            return usd[0]
    return _one_amount(cleaned)


def format_usd(amount: float) -> str:
    """US$12,500 or US$99.50: amounts are echoed the way the card writes them."""
    return usd_label(amount)


# --------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _number:
        _MONTHS[_name.lower()] = _number
        _MONTHS[_name.lower()[:3]] = _number
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower()[:3]: i for i, name in enumerate(calendar.day_name)})
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "a couple of": 2,
    "few": 3,
}
_UNIT_DAYS = {"day": 1, "week": 7}
_RELATIVE_AGO = re.compile(
    r"^(?P<n>\d{1,4}|a couple of|couple of|[a-z]+)\s+(?P<unit>day|week|month|year)s?\s+"
    r"(?P<dir>ago|before|back|earlier|from now|later|from today)$"
)
_RELATIVE_IN = re.compile(
    r"^in\s+(?P<n>\d{1,4}|a couple of|couple of|[a-z]+)\s+(?P<unit>day|week|month|year)s?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$")
_COMPACT = re.compile(r"^(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})(?:[-/.](?P<y>\d{4}|\d{2}))?$")
_DATE_FILLER_WORDS = frozenset(
    "on it was it's its is around about approximately approx approx. the goods they we i "
    "arrived came delivered received got reached us me our my order shipment date".split()
)
"""Words people put around a date ("they arrived on 1 May"); dropped from the front."""
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


def _fmt_date(day: dt.date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def format_date(day: dt.date) -> str:
    """1 May 2026: the unambiguous way dates are echoed back (the card's way too)."""
    return day_label(day)


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _count(word: str) -> int | None:
    if word.isdecimal() and len(word) < 5:
        return int(word)
    return _SMALL_NUMBERS.get(word)


def _relative(cleaned: str, today: dt.date) -> dt.date | None:
    """ "3 days ago", "in 2 weeks", "yesterday", "last monday"; None when not relative."""
    simple = {
        "today": 0,
        "now": 0,
        "this morning": 0,
        "tonight": 0,
        "yesterday": -1,
        "the day before yesterday": -2,
        "day before yesterday": -2,
        "tomorrow": 1,
        "the day after tomorrow": 2,
        "day after tomorrow": 2,
    }
    if cleaned in simple:
        return today + dt.timedelta(days=simple[cleaned])
    match = _RELATIVE_AGO.match(cleaned) or _RELATIVE_IN.match(cleaned)
    if match:
        count = _count(match.group("n"))
        if count is None:
            raise ParseError(DATE_HELP)
        direction = match.groupdict().get("dir")
        sign = -1 if direction in ("ago", "before", "back", "earlier") else 1
        unit = match.group("unit")
        if count > 3660:
            raise ParseError("That is too far away. " + DATE_HELP)
        if unit in _UNIT_DAYS:
            return today + dt.timedelta(days=sign * count * _UNIT_DAYS[unit])
        months = count * (12 if unit == "year" else 1)
        if months > 1200:
            raise ParseError("That is too far away. " + DATE_HELP)
        return _shift_months(today, sign * months)
    words = cleaned.split()
    if len(words) == 2 and words[1] in _WEEKDAYS:
        target = _WEEKDAYS[words[1]]
        if words[0] in ("last", "past", "previous"):
            back = (today.weekday() - target) % 7 or 7
            return today - dt.timedelta(days=back)
        if words[0] in ("next", "this", "coming"):
            ahead = (target - today.weekday()) % 7 or 7
            return today + dt.timedelta(days=ahead)
        raise ParseError(DATE_HELP)
    if cleaned in ("last week", "last month", "this week", "this month", "recently", "soon"):
        raise ParseError(
            "Which day exactly? The 30-day claim window is counted in days. "
            "Try 1 May or 10 days ago."
        )
    return None


def _infer_year(month: int, day: int, today: dt.date, past: bool) -> dt.date:
    """The most recent past occurrence (past=True) or the nearest one to today."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ParseError(f"There is no {day} {calendar.month_name[month]}. Please check the date.")
    if past:
        earlier = [c for c in candidates if c <= today]
        if earlier:
            return max(earlier)
        return min(candidates)
    return min(candidates, key=lambda c: (abs((c - today).days), c))


def _build(year: int | None, month: int, day: int, today: dt.date, past: bool) -> dt.date:
    if not 1 <= month <= 12:
        raise ParseError(DATE_HELP)
    if not 1 <= day <= 31:
        raise ParseError(f"{day} is not a day of the month. " + DATE_HELP)
    if year is None:
        return _infer_year(month, day, today, past)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f"There is no {day} {calendar.month_name[month]} {year}. Please check the date."
        ) from None


def _full_year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if len(raw) == 2 else year


def _numeric(match: re.Match[str], today: dt.date, past: bool) -> dt.date:
    """d/m/y or m/d/y: accepted only when one reading is impossible or both agree."""
    a, b = int(match.group("a")), int(match.group("b"))
    year = _full_year(match.group("y")) if match.group("y") else None
    if a == b or (a > 12 and b <= 12):
        day, month = a, b
    elif b > 12 and a <= 12:
        day, month = b, a
    elif a > 12 and b > 12:
        raise ParseError(DATE_HELP)
    else:
        first = f"{a} {calendar.month_name[b]}"
        second = f"{b} {calendar.month_name[a]}"
        raise ParseError(
            f"Is that {first} or {second}? Please write the month as a word, like {first}."
        )
    return _build(year, month, day, today, past)


def _textual(cleaned: str, today: dt.date, past: bool) -> dt.date | None:
    """ "1 May", "May 1st", "1st of May 2026", "May 1, 2026", "01-May-26"; None if no month."""
    tokens = [t for t in re.split(r"[\s,/.\-]+", cleaned) if t and t not in ("of", "the", "on")]
    tokens = [t for t in tokens if t not in _WEEKDAYS]
    month_tokens = [t for t in tokens if t.isalpha()]
    if len(month_tokens) != 1 or month_tokens[0] not in _MONTHS:
        return None
    month = _MONTHS[month_tokens[0]]
    position = tokens.index(month_tokens[0])
    others = [t for t in tokens if t != month_tokens[0]]
    day: int | None = None
    year: int | None = None
    for index, token in enumerate(others):
        if re.fullmatch(r"\d{4}", token) and year is None:
            year = int(token)
            continue
        ordinal = _ORDINAL.match(token)
        if ordinal and day is None:
            day = int(ordinal.group(1))
            continue
        if (
            re.fullmatch(r"'?\d{2}", token)
            and year is None
            and day is not None
            and index == len(others) - 1
            and position < len(tokens) - 1
        ):
            year = _full_year(token.lstrip("'"))
            continue
        raise ParseError(DATE_HELP)
    if day is None:
        raise ParseError(
            f"Which day of {calendar.month_name[month]}? Please add the day, like 1 "
            f"{calendar.month_name[month]}."
        )
    return _build(year, month, day, today, past)


def parse_date(text: str, *, today: dt.date, must_not_be_future: bool = False) -> dt.date:
    """A calendar date from ISO, "1 May", "May 1st", "25/12/2025", "yesterday", "3 days ago",
    "last monday", relative to `today`.

    `must_not_be_future` is for things that already happened (an actual delivery); it also makes
    a missing year mean the most recent past occurrence. Otherwise a missing year means the
    occurrence nearest to today (an expected date may be either side of today).
    Numeric dates are read only when d/m and m/d cannot be confused; 1/5 is asked back.
    """
    cleaned = _guard(text, DATE_HELP).strip(" .!")
    words = cleaned.split()
    while len(words) > 1 and words[0] in _DATE_FILLER_WORDS:
        words.pop(0)
    cleaned = " ".join(words)
    day: dt.date | None = _relative(cleaned, today)
    if day is None:
        words = cleaned.split()
        if len(words) == 1 and words[0] in _WEEKDAYS:
            if not must_not_be_future:
                name = calendar.day_name[_WEEKDAYS[words[0]]]
                raise ParseError(f"Last {name} or next {name}? Please say which, or give the date.")
            target = _WEEKDAYS[words[0]]
            back = (today.weekday() - target) % 7 or 7
            day = today - dt.timedelta(days=back)
    if day is None:
        iso = _ISO.match(cleaned) or _COMPACT.match(cleaned)
        if iso:
            day = _build(
                int(iso.group("y")), int(iso.group("m")), int(iso.group("d")), today, False
            )
        else:
            numeric = _NUMERIC.match(cleaned)
            if numeric:
                day = _numeric(numeric, today, must_not_be_future)
            else:
                day = _textual(cleaned, today, must_not_be_future)
    if day is None:
        raise ParseError(DATE_HELP)
    if day.year < MIN_YEAR:
        raise ParseError(f"{day.year} looks too early. Please check the year. " + DATE_HELP)
    if day.year > today.year + 5:
        raise ParseError(f"{day.year} looks too far ahead. Please check the year.")
    if must_not_be_future and day > today:
        raise ParseError(
            f"{_fmt_date(day)} is in the future. Please give a day that has already passed, "
            "like yesterday, 3 days ago or 1 May."
        )
    return day
