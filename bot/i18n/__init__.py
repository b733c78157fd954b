"""Text at the edge: what the product says travels as keys with figures until a reader sees it.

Domain code and the conversation core return `Text` values (a gettext message id, the English
source sentence, plus named parameters); a front end renders them with `render(text, lang)` when
it shows them. Stored data keeps codes and figures, so an old check or a pending reminder is shown
in today's wording and in the reader's language.

Conventions (the ecosystem's: gettext catalogues managed with Babel):
- mark a sentence with `_("Deadline: {deadline}", deadline=some_date)`; plurals with
  `n_("{n} day", "{n} days", n)`; extraction uses the keywords `_` and `n_:1,2`;
- parameters are figures (`int`, `Decimal`/`float` money via `Money`, `datetime.date`), codes, or
  other `Text`; they are rendered in the reader's locale (one formatter for dates and money);
- catalogues live in `bot/i18n/locale/<lang>/LC_MESSAGES/messages.po`; English is the source
  language, so an English reader gets the message id itself.
"""

from __future__ import annotations

from bot.i18n.render import (
    format_day,
    format_money,
    format_number,
    gettext_for,
    render,
    render_all,
    render_html,
)
from bot.i18n.text import (
    DEFAULT_LANG,
    N_,
    SUPPORTED_LANGS,
    Currency,
    Money,
    Month,
    MonthDay,
    Text,
    _,
    deferred,
    join,
    language_tag,
    n_,
    normalize_lang,
)

__all__ = [
    "DEFAULT_LANG",
    "N_",
    "SUPPORTED_LANGS",
    "Currency",
    "Money",
    "Month",
    "MonthDay",
    "Text",
    "_",
    "deferred",
    "format_day",
    "format_money",
    "format_number",
    "gettext_for",
    "join",
    "language_tag",
    "n_",
    "normalize_lang",
    "render",
    "render_all",
    "render_html",
]
