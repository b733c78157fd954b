"""Plain-text wording of the check's screens, shared by every front end, in the reader's language.

Telegram shows options as buttons and the terminal as numbered lines, but the question, the
"why we ask" line, the progress hint and the review list read the same everywhere. The pieces
the conversation core lays out (progress, review list, the "I don't know" note) are `Text`, so
its front end renders them in the session's language; the rest take the reader's `lang`. Every word
comes from the catalogue: a question's wording is declared with `N_` (`bot.claims.catalog`) and
translated here with `gettext_for`; screen sentences are `_()` messages. Nothing here is
escaped: HTML front ends escape these strings themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.dialogue.machine import ReviewItem
from bot.i18n import DEFAULT_LANG, Text, _, deferred, gettext_for, join


def progress_hint(step: int, total: int) -> Text:
    """ "Step 3 of about 8": "about" because later answers can shorten or lengthen the check."""
    if step >= total:
        return _("Step {step} of {total}", step=step, total=total)
    return _("Step {step} of about {total}", step=step, total=total)


def option_label(label: str, lang: str = DEFAULT_LANG) -> str:
    """An option's label (declared with `N_`) for a reader, for buttons and numbered lines."""
    return gettext_for(label, lang)


def review_text(items: Sequence[ReviewItem]) -> Text:
    """The review screen: numbered answers, so any one can be changed before the verdict."""
    lines = (
        Text(
            "  {n}. {label}: {answer}",
            (("n", str(n)), ("label", deferred(item.label)), ("answer", item.answer)),
            verbatim=True,
        )
        for n, item in enumerate(items, 1)
    )
    return join(_("Please check your answers:"), *lines, sep="\n")


def unknown_note(help_text: str) -> Text:
    """Said after "I don't know": the check goes on, and here is how to find out."""
    if not help_text:
        return _("OK, I'll note that you don't know yet.")
    return _(
        "OK, I'll note that you don't know yet. How to find out: {help}",
        help=deferred(help_text),
    )
