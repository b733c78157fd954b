"""Yes or no, in the many ways people type it."""

from __future__ import annotations

import re

from bot.dialogue.parsers.lexicon import NO_WORDS, NOT_YET_PHRASES, YES_PHRASES, YES_WORDS
from bot.dialogue.parsers.text import YES_NO_HELP, ParseError, guard, is_unknown
from bot.i18n import N_, deferred, join

# --------------------------------------------------------------------------- yes / no

_YES_WORDS = (
    frozenset(
        {
            "yes",
            "y",
            "yeah",
            "yea",
            "ya",
            "yah",
            "yep",
            "yup",
            "ye",
            "yse",
            "sure",
            "ok",
            "okay",
            "k",
            "correct",
            "true",
            "right",
            "definitely",
            "certainly",
            "absolutely",
            "confirmed",
            "affirmative",
            "si",
            "sí",
            "oui",
            "ja",
            "da",
            "haan",
            "evet",
            "sim",
            "👍",
        }
    )
    | YES_WORDS
)
_NO_WORDS = (
    frozenset(
        {
            "no",
            "n",
            "nope",
            "nah",
            "nop",
            "never",
            "false",
            "not",
            "didn't",
            "didnt",
            "haven't",
            "havent",
            "hasn't",
            "hasnt",
            "wasn't",
            "wasnt",
            "isn't",
            "isnt",
            "don't",
            "dont",
            "non",
            "nein",
            "nahi",
            "nai",
            "hayir",
            "nao",
            "não",
            "👎",
        }
    )
    | NO_WORDS
)
_YES_PHRASES = (
    frozenset({"of course", "i did", "i have", "it is", "it was", "i think so", "did"})
    | YES_PHRASES
)
_NOT_SURE = N_("If you're not sure, say \"I don't know\".")
_YES_OR_NO = N_("I'm not sure if that is a yes or a no. Please answer just yes or no.")


def _squeeze(word: str) -> str:
    """Collapse letters typed three or more times: "yesss" -> "yes", "nooo" -> "no"."""
    return re.sub(r"(.)\1{2,}", r"\1", word)


def parse_yes_no(text: str) -> bool:
    """Yes or no from "yes", "y", "yeah", "nope", "not yet", "no I didn't" and the like.

    Both a yes-word and a no-word ("yes and no") or neither is a re-ask, never a guess.
    """
    cleaned = guard(text, YES_NO_HELP)
    if is_unknown(cleaned):
        raise ParseError(join(deferred(YES_NO_HELP), deferred(_NOT_SURE)))
    phrase = cleaned.strip(" .!,")
    words = [_squeeze(w) for w in re.findall(r"[\w'👍👎]+", phrase)]
    if not words:
        raise ParseError(YES_NO_HELP)
    joined = " ".join(words)
    if joined.startswith("not yet") or joined.startswith(NOT_YET_PHRASES):
        return False
    if joined in _YES_PHRASES:
        return True
    has_no = any(w in _NO_WORDS for w in words)
    has_yes_word = any(w in _YES_WORDS for w in words)
    if has_no and has_yes_word:
        raise ParseError(_YES_OR_NO)
    if has_no:  # "no I didn't", "I did not", "I don't think so"
        return False
    if has_yes_word or any(p in joined for p in _YES_PHRASES):
        return True
    raise ParseError(join(deferred(YES_NO_HELP), deferred(_NOT_SURE)))
