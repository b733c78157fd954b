"""What every terminal front end does the same way."""

from __future__ import annotations

import sys

from bot.answering import Advisor
from bot.kb.loader import KnowledgeError, load_knowledge


def load_advisor(kb_dir: str | None) -> Advisor | None:
    """The advisor over a valid knowledge base; None (with the problems on stderr) otherwise."""
    try:
        return Advisor(load_knowledge(kb_dir))
    except KnowledgeError as exc:
        print("The knowledge base is broken (run `ta-advisor kb check`):", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return None
