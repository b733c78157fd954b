"""Rendering a `Text` for one reader: catalogue lookup, plural form, then locale-aware figures."""

from __future__ import annotations

import datetime as dt
import gettext
import html
import io
from collections.abc import Iterable
from decimal import Context, Decimal, localcontext
from functools import cache
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_name
from babel.support import Translations

from bot.i18n.text import (
    DEFAULT_LANG,
    Currency,
    Money,
    Month,
    MonthDay,
    Param,
    Text,
    normalize_lang,
)

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


FORMAT_LOCALES: dict[str, str] = {"en": "en_GB", "pt": "pt_BR"}
"""Locale used for figures: day-first English dates and "US$" (our readers are worldwide, and
an amount in dollars must never look like local money), Brazilian Portuguese for pt."""


@cache
def figure_locale(lang: str) -> Locale:
    """The Babel locale that formats a language's dates and numbers."""
    return Locale.parse(FORMAT_LOCALES.get(lang, lang))


def catalogue_path(lang: str) -> Path:
    """Where a language's catalogue lives: adding this one file adds the language."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """A language's catalogue, read from its `.po` file once per process.

    The `.po` is read with Babel rather than compiled to `.mo` at build time: there is no build
    step to forget (an editable install and CI use the source tree as it is), a translator's
    edit shows on the next start, and reading a few hundred messages costs milliseconds. Fuzzy
    and empty entries fall back to English, as gettext's own compiler does. The source language
    and a language without a file need none.
    """
    path = catalogue_path(lang)
    if lang == DEFAULT_LANG or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # skips fuzzy entries; empty ones stay untranslated
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def load_catalogues() -> None:
    """Read every offered language's catalogue now: at start-up a broken `.po` stops the
    process, and no reader's first message waits for the file."""
    from bot.i18n.text import SUPPORTED_LANGS

    for lang in SUPPORTED_LANGS:
        translations(lang)


def gettext_for(msgid: str, lang: str = DEFAULT_LANG) -> str:
    """A constant marked with `N_` (a question's wording, an option's label) for a reader."""
    return translations(normalize_lang(lang)).gettext(msgid)


MONEY_PATTERNS: dict[str, str] = {"ru": "#,##0\u00a0¤"}
"""The sign where the reader's language puts it ("3 000 $" in Russian, "US$3,000" elsewhere)."""


def format_money(value: Money, lang: str) -> str:
    """US$12,000 in English, the locale's separators elsewhere; cents only when there are any."""
    amount = Decimal(str(value.amount))
    if not amount.is_finite():
        return str(value.amount)  # never from a parser; shown rather than raising
    # To the cent, then shown; from 10^15 on a float has no cents left, and rounding it (ours
    # and Babel's) needs more digits than the default context has.
    with localcontext(Context(prec=max(28, amount.adjusted() + 3))):
        amount = amount.quantize(Decimal("0.01"))
        whole = amount == amount.to_integral_value()
        pattern = MONEY_PATTERNS.get(normalize_lang(lang), "¤#,##0")
        if not whole:
            pattern = pattern.replace("#,##0", "#,##0.00")
        return format_currency(
            amount,
            value.currency,
            format=pattern,
            locale=figure_locale(lang),
            currency_digits=False,
        )


def currency_name(value: Currency, lang: str) -> str:
    """ "euros", "евро", "euros": CLDR's plural name for an ISO code in the reader's locale."""
    if len(value.code) == 3 and value.code.isalpha():
        try:
            count = None if lang == "ru" else 2  # ru: «валюта: российский рубль»
            name = get_currency_name(value.code, count=count, locale=figure_locale(lang))
        except (UnknownLocaleError, LookupError):
            name = ""
        if name and name != value.code:
            # mid-sentence: "reais brasileiros", not CLDR's list form "Reais brasileiros"
            return name[:1].lower() + name[1:] if lang != DEFAULT_LANG else value.name
    return translations(normalize_lang(lang)).gettext(value.name)


DATE_PATTERNS: dict[str, str] = {"ru": "d MMMM y"}
"""Where CLDR's long date ends in an abbreviation ("19 апреля 2026 г."), which doubles the
full stop of any sentence that ends with a date."""


def format_day(value: dt.date, lang: str) -> str:
    """19 April 2026: one long form per locale, never an ambiguous 04/19."""
    pattern = DATE_PATTERNS.get(normalize_lang(lang), "long")
    return format_date(value, format=pattern, locale=figure_locale(lang))


def format_number(value: int | float | Decimal, lang: str) -> str:
    """1,000 in English, the locale's grouping elsewhere (counts of units)."""
    return format_decimal(value, locale=figure_locale(lang))


def _figure(value: Param, lang: str) -> str:
    if isinstance(value, Text):
        return render(value, lang)
    if isinstance(value, Money):
        return format_money(value, lang)
    if isinstance(value, Currency):
        return currency_name(value, lang)
    if isinstance(value, MonthDay):
        day = dt.date(2000, value.month, value.day)  # a leap year: 29 February exists
        return str(format_skeleton("MMMMd", day, locale=figure_locale(lang)))
    if isinstance(value, Month):
        return str(get_month_names("wide", "stand-alone", figure_locale(lang))[value.number])
    if isinstance(value, dt.date):
        return format_day(value, lang)
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | Decimal | float):
        return format_number(value, lang)
    return value


def render(text: Text | str, lang: str = DEFAULT_LANG) -> str:
    """The sentence in the reader's language, with figures in their locale's format.

    A plain `str` passes through unchanged (knowledge-base text is already per language).
    """
    return _rendered(text, lang, escape=False)


def render_html(text: Text | str, lang: str = DEFAULT_LANG) -> str:
    """A message whose wording carries Telegram HTML markup (`<b>`, `<i>`, `<code>`): the markup
    is the catalogue's, every figure (user text among them) is escaped, so a translator can
    move the markup but no parameter can inject any. A plain `str` is escaped whole."""
    return _rendered(text, lang, escape=True)


def _rendered(text: Text | str, lang: str, *, escape: bool) -> str:
    if isinstance(text, str):
        return html.escape(text) if escape else text
    lang = normalize_lang(lang)
    catalogue = translations(lang)
    if text.verbatim:
        template = text.msgid
    elif text.plural is not None and text.count is not None:
        template = catalogue.ngettext(text.msgid, text.plural, text.count)
    else:
        template = catalogue.gettext(text.msgid)
    params = text.param_dict()
    if not params:
        return template

    def figure(value: Param) -> str:
        shown = _figure(value, lang)
        return html.escape(shown) if escape else shown

    return template.format(**{name: figure(value) for name, value in params.items()})


def render_all(texts: Iterable[Text | str], lang: str = DEFAULT_LANG) -> list[str]:
    """Render several texts for one reader."""
    return [render(text, lang) for text in texts]
