"""The 21 development cases (a copy of ../shared/eval/scenarios-v2.yaml), the held-out cases
written from the contract's principles (data/heldout-v2.yaml) and an independent reviewer's cases
for the contract's corners (data/review-v2.yaml), checked as score.py checks them, through
`assess()` and through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.claims.assess import assess
from bot.claims.cli import run
from bot.claims.facts import Facts

DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))[
        "scenarios"
    ]
    return cases


DEV = _load("scenarios-v2.yaml")
HELD_OUT = _load("heldout-v2.yaml")
REVIEW = _load("review-v2.yaml")
ALL = (
    [("dev", c) for c in DEV]
    + [("held-out", c) for c in HELD_OUT]
    + [("review", c) for c in REVIEW]
)
IDS = [f"{kind}: {c['name']}" for kind, c in ALL]
FIGURES = (
    "deadline",
    "days_left",
    "remind_on",
    "protected_amount",
    "unprotected_amount",
    "claim_estimate",
    "strength",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check(got: dict[str, Any], expect: dict[str, Any]) -> None:
    assert got["verdict"] == expect["verdict"]
    codes = [r["code"] for r in got["reasons"]]
    for code in expect.get("codes", []):
        assert code in codes
    for code in expect.get("absent_codes", []):
        assert code not in codes
    for key in FIGURES:
        if key in expect:
            want = _plain(expect[key])
            if isinstance(want, int | float) and not isinstance(want, bool):
                assert got[key] == pytest.approx(want, abs=0.005), key
            else:
                assert got[key] == want, key
    if "missing_facts" in expect:
        assert sorted(got["missing_facts"]) == sorted(expect["missing_facts"])
    for item in expect.get("no_missing_evidence", []):
        assert item not in got["missing_evidence"]
    for word in expect.get("no_step_mentions", []):
        assert not any(word in step for step in got["next_steps"])
    for reason in got["reasons"]:
        assert reason["sources"] or reason["code"] in ("NEED_FACTS", "NOTHING_PAID")
    if got["verdict"] != "need_more_info":
        assert got["next_steps"]


def test_the_development_set_has_21_cases_and_the_held_out_and_review_sets_at_least_20() -> None:
    assert len(DEV) == 21
    assert len(HELD_OUT) >= 20
    assert len(REVIEW) >= 30


@pytest.mark.parametrize(("kind", "case"), ALL, ids=IDS)
def test_scenario_through_assess(kind: str, case: dict[str, Any]) -> None:
    facts = Facts.model_validate(case["facts"])
    _check(assess(facts).contract(), case["expect"])


@pytest.mark.parametrize(("kind", "case"), ALL, ids=IDS)
def test_scenario_through_the_cli(
    kind: str, case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "facts.json"
    file.write_text(json.dumps({k: _plain(v) for k, v in case["facts"].items()}))
    assert run(str(file), as_json=True) == 0
    _check(json.loads(capsys.readouterr().out), case["expect"])
