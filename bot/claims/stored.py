"""Upgrading assessments stored with words (schema 3) to codes and figures (schema 4).

Schema 3 kept each reason's English `text` and the next steps as English sentences. The codes,
severities, sources, verdict, dates and amounts in those rows are kept as they are; the figures
each sentence was written from are recomputed from the row's own facts (with the `as_of` it was
judged on), by the same rules that wrote the sentences, so the words read the same afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import ValidationError

from bot.claims.assessment import Assessment, Code, Reason, Severity, Strength, Verdict
from bot.claims.case import Case
from bot.claims.facts import Facts
from bot.claims.rules import RULES_BY_CODE, Outcome
from bot.claims.steps import next_steps


def upgrade_assessment_json(
    facts_json: str, assessment_json: str, judged_on: dt.date
) -> str | None:
    """The schema-4 JSON for a schema-3 row, or None when the row needs no change or cannot
    be read (a contract-v1 row, which front ends already treat as expired).

    `judged_on` stands in for a missing `as_of` (the day the row was stored).
    """
    try:
        old: dict[str, Any] = json.loads(assessment_json)
        facts = Facts.model_validate_json(facts_json)
    except (ValueError, ValidationError):
        return None
    if not isinstance(old, dict) or "steps" in old or "next_steps" not in old:
        return None
    try:
        return _upgrade(old, facts, judged_on).model_dump_json()
    except (KeyError, TypeError, ValueError):
        return None


def _upgrade(old: dict[str, Any], facts: Facts, judged_on: dt.date) -> Assessment:
    case = Case.of(facts, judged_on)
    reasons = tuple(
        Reason(
            code=Code(item["code"]),
            severity=Severity(item["severity"]),
            sources=list(item["sources"]),
            figures=RULES_BY_CODE[Code(item["code"])].figures(case),
        )
        for item in old["reasons"]
    )
    verdict = Verdict(old["verdict"])
    strength = Strength(old["strength"]) if old.get("strength") else None
    decisive = next((r.code for r in reasons if r.severity is Severity.DECISIVE), None)
    if decisive is None:
        raise ValueError("no decisive reason")
    missing = tuple(old.get("missing_facts") or ())
    outcome = Outcome(verdict, decisive, strength, reasons, missing)
    fields = {k: v for k, v in old.items() if k not in ("reasons", "next_steps")}
    return Assessment.model_validate(
        {
            **fields,
            "reasons": [r.model_dump() for r in reasons],
            "steps": [s.model_dump() for s in next_steps(case, outcome, old.get("claim_estimate"))],
        }
    )
