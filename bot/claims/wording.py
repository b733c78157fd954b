"""Words for stored codes: a reason or a next step becomes a message only when it is shown.

The tables live beside their logic (`rules.REASON_WORDS`, `steps.STEP_WORDS`); this module is
the one way in, so `Reason.message` and `Step.message` need not import the rules.
"""

from __future__ import annotations

from bot.claims.assessment import Reason, Step
from bot.i18n import Text


def reason_text(reason: Reason) -> Text:
    """The reason's sentence for its code and figures."""
    from bot.claims.rules import REASON_WORDS

    return REASON_WORDS[reason.code](reason.figures)


def step_text(step: Step) -> Text:
    """The next step's sentence for its code and figures."""
    from bot.claims.steps import STEP_WORDS

    return STEP_WORDS[step.code](step.figures)
