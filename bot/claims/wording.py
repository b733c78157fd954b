"""Words for stored codes: a reason or a next step becomes a message only when it is shown.

The tables live beside their logic (`rules.REASON_WORDS`, `steps.STEP_WORDS`); this module is
the one way in, so `Worded.message` need not import the rules.
"""

from __future__ import annotations

from bot.claims.assessment import Reason, Step, Worded
from bot.i18n import Text


def words(item: Worded) -> Text:
    """The sentence for a reason's or a next step's code and figures."""
    from bot.claims.rules import REASON_WORDS
    from bot.claims.steps import STEP_WORDS

    if isinstance(item, Reason):
        return REASON_WORDS[item.code](item.figures)
    if isinstance(item, Step):
        return STEP_WORDS[item.code](item.figures)
    raise TypeError(f"no wording for {type(item).__name__}")
