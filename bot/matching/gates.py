"""A cheap test of whether a rewrite pattern can match a text at all.

`normalize.prepare` runs some forty regular expressions over every message, and almost none of
them match: each scan still costs microseconds, because a pattern that begins with a word
boundary and an alternation gives the regex engine no literal to skip ahead to. Every match of
most of them begins with one of a few literal strings ("trade", "tradeassurance", "t" for the
Trade Assurance pattern) or with a digit, read off the compiled pattern; a substring test on
those decides that the pattern cannot match, and the scan is skipped. A pattern whose matches
need not begin with a literal or a digit is always scanned, so the rewrites are unchanged.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

with warnings.catch_warnings():  # the parser behind `re`, public under this name until 3.13
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as c
    import sre_parse

_DIGIT = re.compile(r"\d")
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)
_DIGIT_CLASS = [(c.CATEGORY, c.CATEGORY_DIGIT)]

Starts = tuple[frozenset[str], bool]
"""Literals one of which every match begins with, and whether a match may begin with a digit."""


def _starts(items: Any, acc: str = "") -> Starts | None:
    """How every match of the parsed sequence `items` begins (after the literal `acc`); None
    when some match may begin otherwise."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is c.LITERAL:
            acc += chr(av)
            continue
        alternatives: list[Any] | None = None
        if op is c.BRANCH:
            alternatives = list(av[1])
        elif op is c.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            alternatives = [av[3]]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:  # at least once
            alternatives = [av[2]]
        elif op is c.IN and av == _DIGIT_CLASS and not acc:
            return frozenset(), True
        if alternatives is None:
            break  # the literal so far is the most that is sure
        literals: set[str] = set()
        digit = False
        for alternative in alternatives:
            found = _starts(alternative)
            if acc:  # the literal, then what this alternative surely begins with, if anything
                sure = found is not None and not found[1]
                literals |= {acc + lit for lit in found[0]} if found and sure else {acc}
            elif found is None:
                return None
            else:
                literals |= found[0]
                digit = digit or found[1]
        # a literal holding another is redundant: the shorter one is in the text too
        return frozenset(a for a in literals if not any(b != a and b in a for b in literals)), digit
    return (frozenset({acc}), False) if acc else None


@dataclass(frozen=True)
class Gate:
    """Whether a pattern can match a text; `None` literals: it always may."""

    literals: frozenset[str] | None
    digit: bool = False

    def may_match(self, text: str) -> bool:
        """False only when no match can begin anywhere in `text`."""
        if self.literals is None:
            return True
        if any(map(text.__contains__, self.literals)):
            return True
        return self.digit and _DIGIT.search(text) is not None


def gate(pattern: re.Pattern[str]) -> Gate:
    """The gate of a compiled pattern (always open for flags that change what a literal
    matches, such as IGNORECASE)."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return Gate(None)
    found = _starts(sre_parse.parse(pattern.pattern, pattern.flags).data)
    if found is None or any(len(lit) == 1 and lit.isalpha() for lit in found[0]):
        return Gate(None)  # one letter is in nearly every text: testing for it costs more
    return Gate(found[0], found[1])
