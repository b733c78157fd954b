"""bench/offplatform.py still runs in its --quick mode and reports every adversarial input.

Timings are never asserted: only that the report has a row per input and a verdict line.
"""

from __future__ import annotations

import re

import pytest

from bench import offplatform


def test_quick_run_reports_every_adversarial_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert offplatform.main(["--quick"]) == 0
    report = capsys.readouterr().out
    for name in offplatform.ADVERSARIAL:
        assert f"| {name} |" in report
    assert re.search(r"^(PASS|FAIL): worst per-character cost", report, re.MULTILINE)
