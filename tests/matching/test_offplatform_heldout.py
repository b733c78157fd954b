"""The detector on held-out group messages it was never tuned on (tests/matching/data).

The figures are the honest estimate of how it does on messages it has not seen; the floor
below them catches a change that generalises worse, without pinning every sentence.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.matching.offplatform import detects_off_platform

HELD_OUT = Path(__file__).parent / "data" / "warnings-heldout.yaml"
FLOOR = 0.9


def _rates() -> tuple[float, float, list[str]]:
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    missed = [m for m in data["warn"] if not detects_off_platform(m)]
    false_alarms = [m for m in data["quiet"] if detects_off_platform(m)]
    warned = 1 - len(missed) / len(data["warn"])
    quiet = 1 - len(false_alarms) / len(data["quiet"])
    return warned, quiet, missed + false_alarms


def test_held_out_set_is_big_and_balanced_enough() -> None:
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    assert len(data["warn"]) >= 50 and len(data["quiet"]) >= 50


def test_held_out_warn_and_quiet_rates_stay_above_the_floor() -> None:
    warned, quiet, wrong = _rates()
    assert warned >= FLOOR and quiet >= FLOOR, (warned, quiet, wrong)
