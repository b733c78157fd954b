"""`ta-advisor ask`: answers for a person, or the JSON-lines contract for tools and scoring."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from bot.answering import Advisor, Reply
from bot.commands.common import load_advisor
from bot.conversation import Session, View
from bot.conversation.plain import PlainRenderer
from bot.i18n import DEFAULT_LANG, SUPPORTED_LANGS
from bot.kb.markup import to_plain
from bot.kb.render import lead_text
from bot.matching.language import detect_language


def reply_json(reply: Reply) -> dict[str, Any]:
    """The `ask --json` object: the contract fields first, our extensions after. `answer` and
    `lead` are in the reply's language (`answer_lang`); `lang` is the message's language."""
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
        "answer_lang": reply.lang,
    }


def answer_language(question: str, lang: str | None) -> str:
    """`--lang` when given, else the question's own language when the product offers it."""
    if lang is not None:
        return lang
    detected = detect_language(question)
    return detected if detected in SUPPORTED_LANGS else DEFAULT_LANG


def reply_text(question: str, advisor: Advisor, lang: str = DEFAULT_LANG) -> str:
    """A readable answer, as the chat would give it: the warning first, then the whole answer,
    suggestions, small talk or an honest no."""
    _, messages = Session(advisor, lang=lang).answer(question, view=View.FULL)
    return "\n\n".join(PlainRenderer(advisor.kb, lang, interactive=False).messages(messages))


def _json_line(advisor: Advisor, question: str, lang: str | None) -> str:
    reply = advisor.reply(question, answer_language(question, lang))
    return json.dumps(reply_json(reply), ensure_ascii=False)


def _stream(advisor: Advisor, lines: TextIO, lang: str | None) -> None:
    for line in lines:
        print(_json_line(advisor, line.rstrip("\n"), lang), flush=False)
    sys.stdout.flush()


def run(
    question: str | None, *, as_json: bool, kb_dir: str | None = None, lang: str | None = None
) -> int:
    """Answer one question, or with `--json` and no question, every line of standard input.

    `lang` is the reader's language (`--lang`, validated); without it each question is answered
    in its own language when the product offers it, else in English.
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
        _stream(advisor, sys.stdin, lang)
        return 0
    if as_json:
        print(_json_line(advisor, question, lang))
    else:
        print(reply_text(question, advisor, answer_language(question, lang)))
    return 0
