"""Plain-text wording of the check's screens, shared by every front end.

Telegram shows options as buttons and the terminal as numbered lines, but the question, the
"why we ask" line, the progress hint and the review list read the same everywhere. Nothing here
is escaped: HTML front ends escape these strings themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.dialogue.machine import Prompt, ReviewItem
from bot.dialogue.question import Kind


def progress_hint(step: int, total: int) -> str:
    """ "Step 3 of about 8": "about" because later answers can shorten or lengthen the check."""
    if step >= total:
        return f"Step {step} of {total}"
    return f"Step {step} of about {total}"


def question_text(prompt: Prompt) -> str:
    """Progress, the question and why it matters (no options: front ends lay those out)."""
    head = "Change your answer" if prompt.editing else progress_hint(prompt.step, prompt.total)
    lines = [head, prompt.text, f"Why we ask: {prompt.why}"]
    if prompt.example:
        lines.append(prompt.example)
    return "\n".join(lines)


def numbered_options(prompt: Prompt, *, unknown_key: str = "0") -> str:
    """Options as "1. label" lines for text-only front ends, with how to answer."""
    lines: list[str] = []
    for number, option in enumerate(prompt.options, 1):
        mark = "[x] " if option.value in prompt.selected else ""
        lines.append(f"  {number}. {mark}{option.label}")
    if prompt.allow_unknown and prompt.options:
        lines.append(f"  {unknown_key}. I don't know")
    if prompt.kind == Kind.MULTI_CHOICE:
        lines.append("Type the numbers of everything you have, like: 1 3 4")
    elif prompt.options:
        lines.append("Type a number.")
    elif prompt.allow_unknown:
        lines.append("Type ? if you don't know.")
    return "\n".join(lines)


def review_text(items: Sequence[ReviewItem]) -> str:
    """The review screen: numbered answers, so any one can be changed before the verdict."""
    lines = ["Please check your answers:"]
    lines += [f"  {n}. {item.label}: {item.answer}" for n, item in enumerate(items, 1)]
    return "\n".join(lines)


def unknown_note(help_text: str) -> str:
    """Said after "I don't know": the check goes on, and here is how to find out."""
    note = "OK, I'll note that you don't know yet."
    return f"{note} How to find out: {help_text}" if help_text else note
