"""The seven development cases (a copy in data/scenarios.yaml), checked as score.py checks them."""

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

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "scenarios.yaml").read_text(encoding="utf-8")
)["scenarios"]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check(got: dict[str, Any], expect: dict[str, Any]) -> None:
    assert got["verdict"] == expect["verdict"]
    codes = [r["code"] for r in got["reasons"]]
    for code in expect.get("codes", []):
        assert code in codes
    for key in ("deadline", "days_left", "protected_amount", "unprotected_amount"):
        if key in expect:
            want = _plain(expect[key])
            if isinstance(want, int | float):
                assert got[key] == pytest.approx(want, abs=0.005)
            else:
                assert got[key] == want
    if "missing_facts" in expect:
        assert got["missing_facts"] == expect["missing_facts"]  # also in the contract's order
    for reason in got["reasons"]:
        assert reason["sources"] or reason["code"] == "NEED_FACTS"
    if got["verdict"] != "need_more_info":
        assert got["next_steps"]


def test_there_are_seven_cases() -> None:
    assert len(CASES) == 7


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario_through_assess(case: dict[str, Any]) -> None:
    facts = Facts.model_validate(case["facts"])
    _check(assess(facts).model_dump(mode="json"), case["expect"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario_through_the_cli(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "facts.json"
    file.write_text(json.dumps({k: _plain(v) for k, v in case["facts"].items()}))
    assert run(str(file), as_json=True) == 0
    _check(json.loads(capsys.readouterr().out), case["expect"])
