"""The benchmark (bench/run.py) still runs end to end in its tiny --quick mode.

Timings are never asserted: only that the report is produced with every section. Skipped when
the bench extra (rank-bm25) is not installed.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("rank_bm25", reason="bench extra not installed: pip install -e '.[bench]'")

ROOT = Path(__file__).resolve().parents[2]

QUESTIONS = """\
questions:
  - {q: "what is trade assurance", topic: what-is-trade-assurance}
  - {q: "how much does trade assurance cost", topic: cost-and-fees}
  - {q: "supplier wants payment to his personal account", topic: [off-platform-payment]}
  - {q: "how do I make pasta sauce", topic: null}
"""


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """The `bench.run` module, importable from the repository root."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import run

    return run


def sections_in_order(text: str) -> bool:
    from bench.report import SECTIONS

    positions = [text.find(heading) for heading in SECTIONS]
    return -1 not in positions and positions == sorted(positions)


def test_quick_run_writes_a_report_with_every_section(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    out = tmp_path / "RESULTS.md"

    assert bench.main(["--quick", "--questions", str(questions), "--out", str(out)]) == 0

    text = out.read_text(encoding="utf-8")
    assert sections_in_order(text)
    assert "QUICK smoke run" in text
    for method in ("ta-advisor", "rapidfuzz extractOne", "BM25 (rank-bm25)"):
        assert method in text
    assert "| 2x |" in text  # the quick growth step
    assert "dev-set top-1 at least 15 points" in text
    assert_whole_bot_reported(text)
    printed = capsys.readouterr().out
    assert "p99 latency under 1 ms" in printed
    assert "our own handling ≥ 300 updates/s on one core" in printed
    assert re.search(r"whole bot, free-text questions: [\d,]+/s sustained", printed)
    assert str(out) in printed


def assert_whole_bot_reported(text: str) -> None:
    """The whole-bot section has every part, with numbers (never their values checked)."""
    section = text[text.index("## Whole bot") : text.index("## Caveats")]
    for heading in WHOLE_BOT_PARTS:
        assert heading in section, heading
    for app in ("**ours**", "echo"):
        assert app in section
    # p50 / p99 for questions and presses, ours and echo; rates; memory; start-up.
    assert len(re.findall(r"\| [\d.,]+ ms / [\d.,]+ ms \|", section)) >= 4
    assert len(re.findall(r"\| [\d,]+/s \(at \d+ users\) \|", section)) == 4
    assert re.search(r"ours, after \d[\d,]* distinct users .*\| [\d.,]+ MiB \|", section)
    assert re.search(r"\| ours \| [\d,]+ ms \|", section)
    assert "Replies not matched to a waiting update: 0." in section
    assert "Pending" not in section


WHOLE_BOT_PARTS = (
    "### Ours against echo",
    "### Every run",
    "### Memory",
    "### Start-up to polling",
    "### Profile under load",
)


def test_quick_run_without_a_dev_set_or_the_whole_bot(bench: ModuleType) -> None:
    from bench.report import render

    res = bench.run(replace(bench.Config.quick_config(None), whole_bot=False))
    text = render(res)
    assert sections_in_order(text)
    assert "no dev set" in text
    assert "Not measured in this run." in text
    assert res.pool_size > 0


def test_cutoff_fitting_and_growth_helpers(bench: ModuleType) -> None:
    from bench.methods import LooRow, fit_cutoff, loo_tally
    from bench.synth import distinct_questions, grow
    from bot.kb.loader import load_knowledge

    rows = [LooRow(True, 90), LooRow(True, 80), LooRow(False, 40), LooRow(True, 30)]
    cutoff = fit_cutoff(rows)
    assert 40 < cutoff < 80
    assert loo_tally(rows, cutoff) == (2, 0, 2)
    assert fit_cutoff([LooRow(False, 50)]) == float("inf")

    kb = load_knowledge()
    grown = grow(kb, 3)
    assert len(grown.topics) == 3 * len(kb.topics)
    assert set(kb.topics) <= set(grown.topics)
    texts = distinct_questions(["what is trade assurance"], 50)
    assert len(set(texts)) == 50
