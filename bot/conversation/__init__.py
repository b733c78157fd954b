"""The conversation core: every conversational decision, for every front end.

A front end turns what the user did into an input (typed text, a chosen option, a command),
hands it with the stored state to `Session`, shows the messages of the returned `Turn` in its own
way and stores its state. Nothing here imports `telegram`: the same transcripts run through the
terminal, `ta-advisor ask` and the Telegram bot.
"""

from __future__ import annotations

from bot.conversation.output import (
    Act,
    Block,
    Choice,
    Kind,
    Line,
    Message,
    Option,
    Style,
    TopicBlock,
    VerdictBlock,
    View,
)
from bot.conversation.session import ChatState, Command, Session, Turn

__all__ = [
    "Act",
    "Block",
    "ChatState",
    "Choice",
    "Command",
    "Kind",
    "Line",
    "Message",
    "Option",
    "Session",
    "Style",
    "TopicBlock",
    "Turn",
    "VerdictBlock",
    "View",
]
