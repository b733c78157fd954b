"""One option or several from a list: by number, by words, or close enough to offer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz import utils as fuzz_utils

from bot.dialogue.parsers.text import ParseError, guard, normalize
from bot.i18n import N_, SUPPORTED_LANGS, Text, _, deferred, gettext_for, join

# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Option:
    """One answer a question offers: a short ASCII `value` (fits Telegram callback data), the
    `label` people see, and extra `keywords` people type for it."""

    value: str
    label: str
    keywords: tuple[str, ...] = field(default=())
    words: tuple[str, ...] = field(default=())
    """Words of the other offered languages (`option_words.yaml`): matched as whole words only,
    never fuzzily, since many are short and would come "close" to anything."""


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


def _numbered(options: Sequence[Option], numbers: Sequence[int] = ()) -> Text:
    """ "1 = label; 2 = label": a layout of the options' numbers and translated labels."""
    numbers = numbers or range(1, len(options) + 1)
    return join(
        *(
            Text(
                "{number} = {label}",
                (("number", str(n)), ("label", deferred(o.label))),
                verbatim=True,
            )
            for n, o in zip(numbers, options, strict=True)
        ),
        sep="; ",
    )


def _choice_help(options: Sequence[Option]) -> Text:
    return _("Please choose one by number: {options}.", options=_numbered(options))


def _labels(option: Option) -> tuple[str, ...]:
    """The option's label in every offered language: a reader may type the words of the
    buttons they see (or of their own language when the interface is another)."""
    return tuple(dict.fromkeys(gettext_for(option.label, lang) for lang in SUPPORTED_LANGS))


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
        raise ParseError(N_("There is nothing to choose here."))
    cleaned = guard(text, _choice_help(options)).strip(" .!")
    number = _NUMBER_CHOICE.match(cleaned)
    if number:
        index = int(number.group(1))
        if 1 <= index <= len(options):
            return options[index - 1].value
        raise ParseError(
            _(
                "Please pick a number from 1 to {count}: {options}.",
                count=str(len(options)),
                options=_numbered(options),
            )
        )
    for option in options:
        names = {
            option.value.lower(),
            *(normalize(label).strip(" .!") for label in _labels(option)),
        }
        if cleaned in names:
            return option.value

    hits: dict[str, int] = {}
    for option in options:
        words = dict.fromkeys((*option.keywords, *option.words))  # a shared word counts once
        count = sum(1 for k in words if _word_in(normalize(k), cleaned))
        if count:
            hits[option.value] = count
    if hits:
        best = max(hits.values())
        top = [o for o in options if hits.get(o.value) == best]
        if _NOT_A_STATEMENT.search(cleaned):
            raise ParseError(
                join(_("I need what actually happened."), _choice_help(options)),
                suggestions=[o.value for o in top],
            )
        if len(top) == 1:
            return top[0].value
        which = _numbered(top, [options.index(o) + 1 for o in top])
        raise ParseError(
            _("That could mean more than one thing. Which one? {options}.", options=which),
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
        raise ParseError(_did_you_mean(close, options), suggestions=[o.value for o in close])
    raise ParseError(join(_("I didn't catch that."), _choice_help(options)))


def _did_you_mean(close: Sequence[Option], options: Sequence[Option]) -> Text:
    """ "Did you mean 2 (label) or 3 (label)?": one whole sentence per count of close options
    (at most three), so a translator words each "or" in place."""
    named = [
        Text(
            "{number} ({label})",
            (("number", str(options.index(o) + 1)), ("label", deferred(o.label))),
            verbatim=True,
        )
        for o in close
    ]
    if len(named) == 1:
        return _("Did you mean {a}? Please send the number.", a=named[0])
    if len(named) == 2:
        return _("Did you mean {a} or {b}? Please send the number.", a=named[0], b=named[1])
    return _(
        "Did you mean {a} or {b} or {c}? Please send the number.",
        a=named[0],
        b=named[1],
        c=named[2],
    )


def _fuzzy_score(cleaned: str, option: Option) -> float:
    """Best similarity of the answer to the option's label, value or keywords (0-100).

    The English label and keywords are compared part by part (`WRatio`), as before; the labels
    in the other languages only as whole strings (a typo of the label), since part-matching
    three more labels per option finds "close" options in any garbage."""
    phrases = [option.label, option.value.replace("_", " "), *option.keywords]
    whole = [label for label in _labels(option) if label != option.label]
    process = fuzz_utils.default_process
    partial = (
        fuzz.WRatio(cleaned, p, processor=process)
        if len(cleaned) >= 4
        else fuzz.ratio(cleaned, p, processor=process)
        for p in phrases
    )
    typos = (fuzz.ratio(cleaned, label, processor=process) for label in whole)
    return float(max((*partial, *typos)))


_SPLIT_MULTI = re.compile(r"\s*(?:,|;|/|&|\+|\b(?:and|plus|и|y|e)\b|\n)\s*")


def parse_multi(text: str, options: Sequence[Option]) -> frozenset[str]:
    """Several choices at once: numbers ("1 3 4", "1,3") or names ("photos and chat").

    Returns the set of values; an unreadable part is a re-ask naming that part.
    """
    cleaned = guard(text, _choice_help(options))
    if re.fullmatch(r"[\d\s,;.&+#and]+", cleaned) and re.search(r"\d", cleaned):
        picked: set[str] = set()
        for raw in re.findall(r"\d+", cleaned):
            index = int(raw)
            if not 1 <= index <= len(options):
                raise ParseError(
                    _(
                        "{number} is not on the list. Please use numbers from 1 to {count}.",
                        number=raw,
                        count=str(len(options)),
                    )
                )
            picked.add(options[index - 1].value)
        return frozenset(picked)
    parts = [p for p in _SPLIT_MULTI.split(cleaned) if p.strip()]
    values: set[str] = set()
    for part in parts:
        try:
            values.add(parse_choice(part, options))
        except ParseError as exc:
            reask = join(_('I couldn\'t match "{part}".', part=part), exc.text)
            raise ParseError(reask, exc.suggestions) from None
    return frozenset(values)
