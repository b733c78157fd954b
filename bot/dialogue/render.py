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

from bot.dialogue.machine import Prompt, ReviewItem
from bot.dialogue.question import Kind
from bot.i18n import DEFAULT_LANG, Text, _, deferred, gettext_for, join, render


def progress_hint(step: int, total: int) -> Text:
    """ "Step 3 of about 8": "about" because later answers can shorten or lengthen the check."""
    if step >= total:
        return _("Step {step} of {total}", step=step, total=total)
    return _("Step {step} of about {total}", step=step, total=total)


def question_text(prompt: Prompt, lang: str = DEFAULT_LANG) -> str:
    """Progress, the question and why it matters (no options: front ends lay those out)."""
    if prompt.editing:
        head = render(_("Change your answer"), lang)
    else:
        head = render(progress_hint(prompt.step, prompt.total), lang)
    why = _("Why we ask: {why}", why=gettext_for(prompt.why, lang))
    lines = [head, gettext_for(prompt.text, lang), render(why, lang)]
    if prompt.example:
        lines.append(gettext_for(prompt.example, lang))
    return "\n".join(lines)


def option_label(label: str, lang: str = DEFAULT_LANG) -> str:
    """An option's label (declared with `N_`) for a reader, for buttons and numbered lines."""
    return gettext_for(label, lang)


def numbered_options(prompt: Prompt, *, unknown_key: str = "0", lang: str = DEFAULT_LANG) -> str:
    """Options as "1. label" lines for text-only front ends, with how to answer."""
    lines: list[str] = []
    for number, option in enumerate(prompt.options, 1):
        mark = "[x] " if option.value in prompt.selected else ""
        lines.append(f"  {number}. {mark}{option_label(option.label, lang)}")
    if prompt.allow_unknown and prompt.options:
        dont_know = render(_("I don't know"), lang)
        lines.append(f"  {unknown_key}. {dont_know}")
    how: Text | None = None
    if prompt.kind == Kind.MULTI_CHOICE:
        how = _("Type the numbers of everything you have, like: 1 3 4")
    elif prompt.options:
        how = _("Type a number.")
    elif prompt.allow_unknown:
        how = _("Type ? if you don't know.")
    if how is not None:
        lines.append(render(how, lang))
    return "\n".join(lines)


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
