"""The conversation core's messages as Telegram messages: HTML text and inline buttons.

Every `Text` is rendered for the reader's language and escaped here; options become buttons
whose data comes from the callback codec; the lines that say how to use the buttons are
Telegram's own (a terminal says "type a number" instead).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.conversation.output import Act, Kind, Line, Message, Option, Style
from bot.dialogue.question import DONE, DONT_KNOW
from bot.i18n import Text, render, render_html
from bot.telegram import callbacks, texts
from bot.telegram.keyboards import flow_rows


@dataclass(frozen=True)
class Screen:
    """One message: HTML text and its keyboard."""

    text: str
    markup: InlineKeyboardMarkup | None


def _line(line: Line, lang: str) -> str:
    text = html.escape(render(line.text, lang))
    if line.style is Style.STRONG:
        return f"<b>{text}</b>"
    if line.style is Style.EMPHASIS:
        return f"<i>{text}</i>"
    return text


def _how_to_answer(message: Message) -> Text:
    """Telegram's line under a check question: type, tap one, or tap several then Done."""
    values = [o.choice.args[-1] for o in message.options if o.choice.act is Act.ANSWER]
    if DONE in values:
        return texts.TAP_ALL
    if any(v != DONT_KNOW for v in values):
        return texts.TAP_ANSWER
    return texts.TYPE_ANSWER


def text_of(message: Message, lang: str, *, note: Text | str = "") -> str:
    """The message's HTML: notes set apart on top, then the body lines."""
    notes = [render(note, lang)] if note else []
    body: list[str] = []
    for block in message.blocks:
        if not isinstance(block, Line):
            raise TypeError(f"{type(block).__name__} is laid out by its own screen")
        if block.style is Style.NOTE:
            notes.append(render(block.text, lang))
        else:
            body.append(_line(block, lang))
    if message.kind is Kind.QUESTION:
        body.append(render_html(_how_to_answer(message), lang))
    text = "\n".join(body)
    if message.kind is Kind.REVIEW:
        text = f"{text}\n\n{render_html(texts.REVIEW_HINT, lang)}"
    head = "\n".join(html.escape(n) for n in notes if n)
    return f"{head}\n\n{text}" if head and text else head or text


def _button(option: Option, lang: str) -> InlineKeyboardButton:
    label = render(option.label, lang)
    if option.selected:
        label = f"✔️ {label}"
    return InlineKeyboardButton(label, callback_data=callbacks.for_choice(option.choice))


def keyboard(message: Message, lang: str) -> InlineKeyboardMarkup | None:
    """Options without a row flow (one per row on the review), numbered rows follow in order,
    and row -1 (navigation: Back, Cancel) always comes last."""
    if not message.options:
        return None
    free = [_button(o, lang) for o in message.options if o.row is None]
    rows = [[b] for b in free] if message.kind is Kind.REVIEW else flow_rows(free)
    numbered = sorted({o.row for o in message.options if o.row is not None and o.row >= 0})
    for number in [*numbered, -1]:
        row = [_button(o, lang) for o in message.options if o.row == number]
        if row:
            rows.append(row)
    return InlineKeyboardMarkup(rows)


def screen(message: Message, lang: str, *, note: Text | str = "") -> Screen:
    """A message of lines and options as one Telegram message."""
    return Screen(text_of(message, lang, note=note), keyboard(message, lang))
