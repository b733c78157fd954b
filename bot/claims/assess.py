"""`assess()`: the pure function from facts to assessment that every front end shares.

No I/O and no clock beyond the `as_of` default, so the questionnaire can call it after every
answer to decide what to ask next.
"""

from __future__ import annotations

import datetime as dt

from bot.claims.assessment import Assessment
from bot.claims.case import Case
from bot.claims.evidence import missing_evidence
from bot.claims.facts import Facts
from bot.claims.rules import evaluate
from bot.claims.steps import next_steps


def assess(facts: Facts, today: dt.date | None = None) -> Assessment:
    """Assess one order. `today` stands in for a missing `as_of` (default: the real date)."""
    case = Case.of(facts, today)
    outcome = evaluate(case)
    return Assessment(
        verdict=outcome.verdict,
        reasons=list(outcome.reasons),
        deadline=case.deadline,
        days_left=case.days_left,
        protected_amount=case.protected_amount,
        unprotected_amount=case.unprotected_amount,
        missing_evidence=missing_evidence(facts.problem, case.held),
        next_steps=next_steps(case, outcome),
        missing_facts=list(outcome.missing_facts),
    )
