"""Masking what identifies a person or an account in the questions kept for curators.

Unanswered questions are stored so that curators can add the missing topics; a phone number,
an e-mail address or a bank account in them is of no use for that and a risk if the database
leaks, so each is replaced by a placeholder before the text is stored. Every pattern has
bounded repetitions and may start only where a run of its characters starts (the lookbehinds),
so masking stays linear in the length of the text, whatever it is made of.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
DIGIT_RUN = re.compile(r"(?<![\d+])\+?\d(?:[ ().\-/]{0,2}\d){6,40}")
"""Seven or more digits with the separators people put in phone and account numbers."""

MIN_DIGITS = 9
"""Fewer digits (a date, an amount, a short order number) are kept; a run starting with "+"
(an international phone number) is masked from seven digits."""


def _digits(match: re.Match[str]) -> str:
    text = match.group(0)
    count = sum(ch.isdigit() for ch in text)
    if count >= MIN_DIGITS or text.startswith("+"):
        return "[number]"
    return text


def mask_personal_data(text: str) -> str:
    """`text` with e-mail addresses, IBANs and long digit runs (phones, cards, accounts)
    replaced by `[email]`, `[iban]` and `[number]`."""
    text = EMAIL.sub("[email]", text)
    text = IBAN.sub("[iban]", text)
    return DIGIT_RUN.sub(_digits, text)
