"""Per-chat flood limit for incoming messages.

A user (or a script) hammering the bot must not make it spam replies or starve everyone else.
Each chat gets a sliding window; beyond the limit the bot says "slow down" once and then ignores
that chat until it is calm again (fewer than `limit` messages in the window, ignored ones
included, so a flood that keeps going stays ignored). Kept in memory on purpose: nothing here is
worth keeping across a restart.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class FloodVerdict(Enum):
    """What to do with one incoming message."""

    ALLOW = "allow"
    WARN = "warn"
    """Over the limit for the first time: say "slow down" once, then ignore."""
    DROP = "drop"


@dataclass
class _Window:
    times: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodGate:
    """Sliding-window counter per chat; `check(chat_id, now)` with `now` in seconds."""

    def __init__(self, limit: int = 20, window_s: float = 60.0, max_chats: int = 50_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_chats = max_chats
        self._chats: dict[int, _Window] = {}

    def check(self, chat_id: int, now: float) -> FloodVerdict:
        """Count one message from `chat_id` at `now` and say what to do with it."""
        win = self._chats.get(chat_id)
        if win is None:
            if len(self._chats) >= self.max_chats:
                self._prune(now)
            win = self._chats[chat_id] = _Window()
        while win.times and win.times[0] <= now - self.window_s:
            win.times.popleft()
        if len(win.times) < self.limit:
            win.warned = False  # calm again
        win.times.append(now)
        if len(win.times) <= self.limit:
            return FloodVerdict.ALLOW
        if win.warned:
            return FloodVerdict.DROP
        win.warned = True
        return FloodVerdict.WARN

    def _prune(self, now: float) -> None:
        """Forget chats that have been quiet for a whole window (bounded memory)."""
        quiet = [
            c for c, w in self._chats.items() if not w.times or w.times[-1] <= now - self.window_s
        ]
        for chat_id in quiet:
            del self._chats[chat_id]
