"""Plain-text layout of the core's messages, for text-only front ends (terminal, `ask`).

Options become numbered lines (their `key`), commands stand in for buttons, and every `Text` is
rendered for the reader's language here, at the edge.
"""

from __future__ import annotations

from bot.claims.card import render_text
from bot.conversation.output import (
    Act,
    Block,
    Kind,
    Line,
    Message,
    Option,
    TopicBlock,
    VerdictBlock,
    View,
)
from bot.dialogue.question import DONE
from bot.i18n import Text, _, render
from bot.kb.loader import KnowledgeBase
from bot.kb.markup import to_plain
from bot.kb.render import heading, lead_text, render_lead_plain, render_plain

TYPE_A_NUMBER = _("Type a number.")
TYPE_A_TOPIC_NUMBER = _("Type a number to read one.")
TYPE_NUMBERS = _("Type the numbers of everything you have, like: 1 3 4")
TYPE_UNKNOWN = _("Type ? if you don't know.")
REVIEW_HINT = _("Type ok to see the result, or a number to change that answer.")
MORE_HINT = _("(Type /more for the details and sources.)")
CHECK_HINT = _("Type /topics to see what I can explain, or /check to see if your claim is covered.")


class PlainRenderer:
    """Lays out messages as plain text for one reader."""

    def __init__(
        self, kb: KnowledgeBase, lang: str, help_text: Text | str = "", *, interactive: bool = True
    ) -> None:
        self.kb = kb.localized(lang)
        self.lang = lang
        self.help_text = help_text
        self.interactive = interactive
        """False for one-shot output (`ask`): options are listed, nothing says what to type."""

    def text(self, text: Text | str) -> str:
        return render(text, self.lang)

    def messages(self, messages: tuple[Message, ...] | list[Message]) -> list[str]:
        return [out for message in messages if (out := self.message(message))]

    def message(self, message: Message) -> str:
        if message.kind is Kind.HELP:
            return self.text(self.help_text)
        lines = [self.block(block) for block in message.blocks]
        lines += self._options(message)
        return "\n".join(line for line in lines if line)

    def block(self, block: Block) -> str:
        if isinstance(block, Line):
            return self.text(block.text)
        if isinstance(block, VerdictBlock):
            return render_text(block.assessment, self.lang)
        return self.topic(block)

    def topic(self, block: TopicBlock) -> str:
        topic = self.kb.get(block.topic_id)
        if topic is None:
            return ""
        if block.view is View.FULL:
            return render_plain(topic, self.kb.seeds, self.lang)
        if block.view is View.HEADLINE_LEAD:
            return f"{heading(topic)}\n{to_plain(lead_text(topic)).strip()}"
        return render_lead_plain(topic, self.kb.seeds, self.lang)

    def _options(self, message: Message) -> list[str]:
        if not self.interactive:
            return [f"  - {self.text(o.label)}" for o in message.options if o.key]
        if message.kind is Kind.REVIEW:
            return [self.text(REVIEW_HINT)]  # the answers are numbered in the text already
        lines = [self._numbered(o) for o in message.options if o.key and o.key != "?"]
        acts = {o.choice.act for o in message.options}
        if message.kind is Kind.QUESTION:
            values = {o.choice.args[-1] for o in message.options if o.choice.act is Act.ANSWER}
            if DONE in values:
                lines.append(self.text(TYPE_NUMBERS))
            elif any(o.key and o.key not in ("?", "0") for o in message.options):
                lines.append(self.text(TYPE_A_NUMBER))
            elif any(o.key == "?" for o in message.options):
                lines.append(self.text(TYPE_UNKNOWN))
        elif Act.TOPIC in acts:
            lines.append(self.text(TYPE_A_TOPIC_NUMBER))
        if Act.MORE in acts:
            lines.append(self.text(MORE_HINT))
        if Act.CHECK in acts:
            lines.append(self.text(CHECK_HINT))
        return lines

    def _numbered(self, option: Option) -> str:
        mark = "[x] " if option.selected else ""
        label = self.text(option.label).removeprefix("🤷 ")
        return f"  {option.key}. {mark}{label}"
