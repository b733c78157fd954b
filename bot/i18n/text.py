"""The neutral message value: a message id and its figures, nothing rendered yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

DEFAULT_LANG = "en"
"""The catalogue's source language; the reader's language falls back to it."""

SUPPORTED_LANGS: tuple[str, ...] = ("en", "ru", "es", "pt")
"""Languages with a complete catalogue and knowledge base (`kb check` and the catalogue test hold
them to it); the first is the source."""


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in US dollars, formatted for the reader's locale when rendered."""

    amount: Decimal | float | int
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class Month:
    """A month named in the reader's language ("April", "апрель", "abril")."""

    number: int


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day of a month without its year ("1 May", "1 мая", "1 de mayo"): what a person typed
    when they gave no year."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency named in the reader's language: CLDR's name for an ISO code, else `name`
    (an English message id such as "yuan or yen", translated through the catalogue)."""

    code: str
    name: str


Param: TypeAlias = (
    "str | int | float | Decimal | dt.date | Money | Month | MonthDay | Currency | Text | None"
)


@dataclass(frozen=True, slots=True)
class Text:
    """One sentence to show: a gettext message id (the English source) plus named figures.

    `plural` and `count` are set for messages whose wording depends on a number (`n_`); the
    count is also available to the message as `{n}`.
    """

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()
    plural: str | None = None
    count: int | None = None
    verbatim: bool = False
    """A layout of other texts (`join`), not a sentence: never looked up in the catalogue."""

    def param_dict(self) -> dict[str, Param]:
        """The figures by name (with `n` for plural messages)."""
        values = dict(self.params)
        if self.count is not None:
            values.setdefault("n", self.count)
        return values


def _(msgid: str, /, **params: Param) -> Text:
    """Mark a sentence for the catalogue; it is rendered later, for its reader."""
    return Text(msgid, tuple(params.items()))


def n_(singular: str, plural: str, count: int, /, **params: Param) -> Text:
    """Mark a sentence whose wording follows a number (the locale's plural rules pick the form)."""
    return Text(singular, tuple(params.items()), plural, count)


def N_(msgid: str, /) -> str:
    """Mark a constant for the catalogue without making it a `Text` (gettext's deferred marker).

    For wording declared as data that other code still reads as `str` (a question's text, an
    option's label): the string is the message id, translated with `gettext` when shown.
    """
    return msgid


def deferred(msgid: str, /) -> Text:
    """A constant marked with `N_` (a question's wording, an option's label) as a `Text`, so a
    screen built from data is translated when it is rendered, like any other sentence."""
    return Text(msgid)


def join(*parts: Text, sep: str = " ") -> Text:
    """Sentences shown one after another (a reason with an optional second sentence): each part
    is translated on its own; only the separator is fixed."""
    names = [f"p{i}" for i in range(len(parts))]
    layout = sep.join("{" + name + "}" for name in names)
    return Text(layout, tuple(zip(names, parts, strict=True)), verbatim=True)


def language_tag(code: str | None) -> str | None:
    """The primary language subtag of a Telegram `language_code` ("pt-BR" → "pt"), or None.

    This is what is stored at first contact, not `normalize_lang`'s answer: a Russian user who
    arrives before Russian is supported is stored as "ru" and is answered in Russian as soon
    as the catalogue exists, while reading it through `normalize_lang` gives English today.
    """
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base.isascii() and base.isalpha() and 2 <= len(base) <= 3 else None


def normalize_lang(code: str | None) -> str:
    """A supported language from a Telegram `language_code` or a `--lang` value ("pt-BR" → pt).

    Unknown or missing codes fall back to the default language rather than failing: a reader
    always gets an answer.
    """
    base = language_tag(code)
    return base if base in SUPPORTED_LANGS else DEFAULT_LANG
