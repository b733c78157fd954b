"""`ta-advisor ask`: answers for a person, or the JSON-lines contract for tools and scoring."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from bot.answering import Advisor, Reply
from bot.commands.common import load_advisor
from bot.i18n import DEFAULT_LANG
from bot.kb.markup import to_plain
from bot.kb.render import heading, lead_text, render_plain


def reply_json(reply: Reply) -> dict[str, Any]:
    """The `ask --json` object: the contract fields first, our extensions after."""
    topic = reply.topic
    return {
        "question": reply.question,
        "topic": topic.id if topic else None,
        "score": reply.match.score,
        "answer": to_plain(topic.answer).strip() if topic else None,
        "sources": list(topic.seed_files) if topic else [],
        "alternatives": [{"topic": t, "score": s} for t, s in reply.match.alternatives],
        "decision": reply.match.kind,
        "warning": reply.warning.id if reply.warning else None,
        "off_platform": reply.off_platform,
        "lead": to_plain(lead_text(topic)).strip() if topic else None,
        "lang": reply.match.lang,
    }


def reply_text(reply: Reply, advisor: Advisor) -> str:
    """A readable answer: the warning first, then the answer, suggestions or an honest no."""
    parts = []
    if reply.warning:  # its first screen: what to do if you already paid outside
        parts.append(f"{heading(reply.warning)}\n{to_plain(lead_text(reply.warning)).strip()}")
    if reply.topic:
        parts.append(render_plain(reply.topic, advisor.kb.seeds))
        related = [t.title for r in reply.topic.related if (t := advisor.kb.get(r))]
        if reply.suggestions:
            others = "\n".join(f"  - {t.title}" for t in reply.suggestions)
            parts.append(f"Not what you asked? Did you mean:\n{others}")
        elif related:
            parts.append("Related: " + "; ".join(related))
    else:
        if reply.match.reason == "other-platform":
            parts.append(
                "That sounds like another marketplace: its own buyer protection rules apply, so "
                "ask its support. I only cover Alibaba.com Trade Assurance."
            )
        parts.append(
            "Sorry, I don't have an answer to that one. I answer questions about Alibaba Trade "
            "Assurance: what it covers, how to pay safely, claims and deadlines. Topics:\n"
            + "\n".join(f"  - {t.title}" for t in advisor.kb.topics.values())
        )
    return "\n\n".join(parts)


def _stream(advisor: Advisor, lines: TextIO) -> None:
    for line in lines:
        question = line.rstrip("\n")
        print(json.dumps(reply_json(advisor.reply(question)), ensure_ascii=False), flush=False)
    sys.stdout.flush()


def run(
    question: str | None, *, as_json: bool, kb_dir: str | None = None, lang: str = DEFAULT_LANG
) -> int:
    """Answer one question, or with `--json` and no question, every line of standard input.

    `lang` is the reader's language (`--lang`, validated); the knowledge base answers in English
    until the languages issue adds its translations.
    """
    advisor = load_advisor(kb_dir)
    if advisor is None:
        return 1
    if question is None:
        if not as_json:
            print(
                "Give a question, or use --json to read questions from standard input.",
                file=sys.stderr,
            )
            return 2
        _stream(advisor, sys.stdin)
        return 0
    reply = advisor.reply(question)
    print(
        json.dumps(reply_json(reply), ensure_ascii=False) if as_json else reply_text(reply, advisor)
    )
    return 0
