"""`assess()`: the pure function from facts to assessment that every front end shares.

No I/O and no clock beyond the `as_of` default, so the questionnaire can call it after every
answer to decide what to ask next.
"""

from __future__ import annotations

import datetime as dt

from bot.claims.assessment import CLAIMABLE, Assessment, Verdict
from bot.claims.case import Case, cents, claim_estimate, remind_on
from bot.claims.evidence import missing_evidence
from bot.claims.facts import Facts
from bot.claims.rules import Outcome, evaluate
from bot.claims.steps import next_steps


def assess(facts: Facts, today: dt.date | None = None) -> Assessment:
    """Assess one order. `today` stands in for a missing `as_of` (default: the real date)."""
    case = Case.of(facts, today)
    outcome = evaluate(case)
    protected, unprotected = _amounts(case, outcome)
    estimate = None
    if outcome.verdict is not Verdict.NOT_ELIGIBLE:
        estimate = claim_estimate(facts, protected)
    return Assessment(
        verdict=outcome.verdict,
        strength=outcome.strength,
        reasons=list(outcome.reasons),
        deadline=case.deadline,
        days_left=case.days_left,
        remind_on=_remind_on(case, outcome),
        protected_amount=protected,
        unprotected_amount=unprotected,
        claim_estimate=estimate,
        missing_evidence=missing_evidence(facts.problem, case.held, facts.amount_paid),
        steps=next_steps(case, outcome, estimate),
        missing_facts=list(outcome.missing_facts),
    )


def _amounts(case: Case, outcome: Outcome) -> tuple[float | None, float | None]:
    """Nothing is protected once a rule says not eligible: everything paid is at risk."""
    if outcome.verdict is Verdict.NOT_ELIGIBLE:
        paid = case.facts.amount_paid
        return 0.0, None if paid is None else cents(paid + case.outside)
    return case.protected_amount, case.unprotected_amount


def _remind_on(case: Case, outcome: Outcome) -> dt.date | None:
    if outcome.verdict in CLAIMABLE:
        return remind_on(case.deadline, case.as_of)
    if outcome.verdict is Verdict.TOO_EARLY and case.agreed is not None:
        after = case.agreed + dt.timedelta(days=1)
        if case.deadline is not None:  # a reminder never falls after the deadline
            after = min(after, case.deadline)
        return after if after > case.as_of else None
    return None
