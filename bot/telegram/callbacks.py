"""Compact, strictly validated callback data for inline buttons.

Telegram gives a button at most 64 bytes of data, and a modified client can send any bytes it
likes, so button data is treated as untrusted input: `decode` accepts only the exact shapes that
`encode` produces and returns None for anything else (stale formats, forgeries, garbage). It
never raises. Authorisation is not encoded here: handlers re-check it against the sender (the
owner id on group buttons, the stored check state for check buttons, admin rights for settings).

Format: ``1:<op>[:<arg>...]`` — a version digit, a short operation code and its arguments, all
ASCII. Changing the format means bumping the version, so old buttons decode to None and get the
friendly "this menu has expired" instead of doing something unintended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from telegram.constants import InlineKeyboardButtonLimit

from bot.claims.catalog import FACT_NAMES
from bot.conversation.output import Act, Choice

VERSION = "1"
MAX_BYTES = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
"""Telegram's limit for `callback_data`."""


class Op(StrEnum):
    """What a button does; the value is its code in the data."""

    TOPIC = "t"
    """Send a topic's full answer (private)."""
    TOPICS = "tp"
    """Show one page of the topic menu."""
    FEEDBACK = "fb"
    """👍 / 👎 on an answer."""
    CHECK = "c"
    """Start the guided check, or resume the one in progress."""
    ANSWER = "a"
    """Answer the open check question with an option value."""
    BACK = "b"
    """Undo one step; carries the screen it was shown on, so an old Back button expires."""
    CANCEL = "x"
    EDIT = "e"
    """Change one answer from the review screen."""
    CONFIRM = "ok"
    """Show the verdict from the review screen."""
    REMIND = "r"
    """Set a deadline reminder for a stored assessment."""
    DETAILS = "d"
    """Show the rest of a stored assessment's card (why, evidence, all steps)."""
    FORGET = "f"
    """Confirm or refuse /forget."""
    FULL = "g"
    """Group: expand a short answer in place (owner only)."""
    SETTINGS = "s"
    """Group: switch the off-platform warning (owner, who must be an admin)."""
    MORE = "m"
    """Private: expand an answer's first screen to the full answer; the flag says the message
    also carries the off-platform warning, which stays on top."""
    TERMS = "gl"
    """Private: explain the glossary terms a topic uses."""
    TERM = "gt"
    """Private: explain one glossary term (from the /glossary list)."""


_TOPIC = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VALUE = re.compile(r"[a-z0-9_]{1,32}")
_PAGE = re.compile(r"0|[1-9][0-9]{0,2}")
_ID = re.compile(r"[1-9][0-9]{0,17}")
_OWNER = re.compile(r"[1-9][0-9]{0,15}")
_FLAG = re.compile(r"[01]")
_FACTS = frozenset(FACT_NAMES)
SCREENS = frozenset({*FACT_NAMES, "review", "done"})
"""Where a Back button can be shown: a question (its fact), the review or the verdict."""


# Per operation: whether it carries an owner, and one validator per argument.
_SCHEMA: dict[Op, tuple[bool, tuple[re.Pattern[str] | str, ...]]] = {
    Op.TOPIC: (False, (_TOPIC,)),
    Op.TOPICS: (False, (_PAGE,)),
    Op.FEEDBACK: (False, (_TOPIC, _FLAG)),
    Op.CHECK: (False, ()),
    Op.ANSWER: (False, ("fact", _VALUE)),
    Op.BACK: (False, ("screen",)),
    Op.CANCEL: (False, ()),
    Op.EDIT: (False, ("fact",)),
    Op.CONFIRM: (False, ()),
    Op.REMIND: (False, (_ID,)),
    Op.DETAILS: (False, (_ID,)),
    Op.FORGET: (False, (_FLAG,)),
    Op.FULL: (True, (_TOPIC,)),
    Op.SETTINGS: (True, (_FLAG,)),
    Op.MORE: (False, (_TOPIC, _FLAG)),
    Op.TERMS: (False, (_TOPIC,)),
    Op.TERM: (False, (_TOPIC,)),
}


def _valid_arg(rule: re.Pattern[str] | str, text: str) -> bool:
    if rule == "fact":
        return text in _FACTS
    if rule == "screen":
        return text in SCREENS
    if isinstance(rule, str):
        raise AssertionError(f"unknown rule {rule!r}")
    return rule.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class Callback:
    """One decoded button press: the operation, its owner (group buttons) and arguments."""

    op: Op
    args: tuple[str, ...] = ()
    owner: int | None = None

    def arg(self, index: int) -> str:
        return self.args[index]

    @property
    def flag(self) -> bool:
        """The 0/1 argument of FEEDBACK, FORGET and SETTINGS."""
        return self.args[-1] == "1"


def encode(cb: Callback) -> str:
    """The button data for `cb`; ValueError if it does not fit the schema or 64 bytes.

    Raising here (at keyboard build time) rather than sending bad data means a too-long topic
    id is caught by the tests that build every keyboard, not by Telegram in production.
    """
    has_owner, rules = _SCHEMA[cb.op]
    if has_owner != (cb.owner is not None) or len(rules) != len(cb.args):
        raise ValueError(f"bad callback shape for {cb.op!r}: {cb!r}")
    if cb.owner is not None and not _OWNER.fullmatch(str(cb.owner)):
        raise ValueError(f"bad owner id {cb.owner!r}")
    for rule, arg in zip(rules, cb.args, strict=True):
        if not _valid_arg(rule, arg):
            raise ValueError(f"bad argument {arg!r} for {cb.op!r}")
    parts = [VERSION, cb.op.value]
    if cb.owner is not None:
        parts.append(str(cb.owner))
    parts.extend(cb.args)
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


_OPS = {op.value: op for op in Op}


def decode(data: object) -> Callback | None:
    """The press behind `data`, or None for anything `encode` would not have produced."""
    if not isinstance(data, str) or not data.isascii() or not 0 < len(data) <= MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    op = _OPS.get(parts[1])
    if op is None:
        return None
    has_owner, rules = _SCHEMA[op]
    rest = parts[2:]
    owner: int | None = None
    if has_owner:
        if not rest or not _OWNER.fullmatch(rest[0]):
            return None
        owner, rest = int(rest[0]), rest[1:]
    if len(rest) != len(rules):
        return None
    if not all(_valid_arg(rule, arg) for rule, arg in zip(rules, rest, strict=True)):
        return None
    return Callback(op, tuple(rest), owner)


# --------------------------------------------------------------------------- constructors


def topic(topic_id: str) -> str:
    return encode(Callback(Op.TOPIC, (topic_id,)))


def topics_page(page: int) -> str:
    return encode(Callback(Op.TOPICS, (str(page),)))


def feedback(topic_id: str, helpful: bool) -> str:
    return encode(Callback(Op.FEEDBACK, (topic_id, "1" if helpful else "0")))


def check() -> str:
    return encode(Callback(Op.CHECK))


def answer(fact: str, value: str) -> str:
    return encode(Callback(Op.ANSWER, (fact, value)))


def back(screen: str) -> str:
    return encode(Callback(Op.BACK, (screen,)))


def cancel() -> str:
    return encode(Callback(Op.CANCEL))


def edit(fact: str) -> str:
    return encode(Callback(Op.EDIT, (fact,)))


def confirm() -> str:
    return encode(Callback(Op.CONFIRM))


def remind(assessment_id: int) -> str:
    return encode(Callback(Op.REMIND, (str(assessment_id),)))


def details(assessment_id: int) -> str:
    return encode(Callback(Op.DETAILS, (str(assessment_id),)))


def forget(confirmed: bool) -> str:
    return encode(Callback(Op.FORGET, ("1" if confirmed else "0",)))


def full_answer(owner: int, topic_id: str) -> str:
    return encode(Callback(Op.FULL, (topic_id,), owner))


def more(topic_id: str, with_warning: bool) -> str:
    return encode(Callback(Op.MORE, (topic_id, "1" if with_warning else "0")))


def terms(topic_id: str) -> str:
    return encode(Callback(Op.TERMS, (topic_id,)))


def term(term_id: str) -> str:
    return encode(Callback(Op.TERM, (term_id,)))


def group_settings(owner: int, enable: bool) -> str:
    return encode(Callback(Op.SETTINGS, ("1" if enable else "0",), owner))


# --------------------------------------------------------------------------- the core's choices

_CHOICE_OPS: dict[Act, Op] = {
    Act.ANSWER: Op.ANSWER,
    Act.BACK: Op.BACK,
    Act.CANCEL: Op.CANCEL,
    Act.EDIT: Op.EDIT,
    Act.CONFIRM: Op.CONFIRM,
    Act.TOPIC: Op.TOPIC,
    Act.CHECK: Op.CHECK,
}
_OP_ACTS = {op: act for act, op in _CHOICE_OPS.items()}


def for_choice(choice: Choice) -> str:
    """The button data of one of the conversation core's options."""
    if choice.act is Act.MORE:
        return more(choice.args[0], False)
    return encode(Callback(_CHOICE_OPS[choice.act], choice.args))


def to_choice(press: Callback) -> Choice | None:
    """The core's choice behind a decoded press, or None for Telegram-only buttons."""
    act = _OP_ACTS.get(press.op)
    return None if act is None or press.owner is not None else Choice(act, press.args)


def pattern(*ops: Op) -> re.Pattern[str]:
    """What `CallbackQueryHandler(pattern=...)` matches for these operations (the data's
    shape is validated again by `decode`)."""
    codes = "|".join(sorted((re.escape(op.value) for op in ops), key=len, reverse=True))
    return re.compile(rf"^{VERSION}:(?:{codes})(?::|$)")
