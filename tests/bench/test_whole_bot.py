"""The whole-bot benchmark's pieces, fast and in process: the driver times updates through the
emulator's hooks against the echo bot, and the helpers count replies and name profile owners.

No timing is asserted; `test_bench_smoke.py` runs the real thing (bot processes) in tiny mode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bot_process import build_echo  # noqa: E402
from bench.whole_bot import (  # noqa: E402
    Driver,
    LoadRun,
    Sample,
    Step,
    check_script,
    own_per_s,
    package_of,
    peak,
    question_mix,
    question_scripts,
    reply_count,
)
from bot.answering import Advisor  # noqa: E402
from bot.kb import load_knowledge  # noqa: E402
from tests.emulator import Emulator, polling  # noqa: E402


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor(load_knowledge())


async def test_driver_times_texts_and_presses_through_the_emulator_hooks() -> None:
    async with Emulator() as emu:
        args = argparse.Namespace(
            token=emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url
        )
        async with polling(build_echo(args), poll_timeout=1.0):
            driver = Driver(emu, echo=True)
            script = [Step("typed", "hi <b>"), Step("press", "any"), Step("press", "any")]
            samples, wall = await driver.run([script, script, script], 2)

    assert [s.kind for s in samples].count("press") == 6 and len(samples) == 9
    assert all(0 < s.first_s <= s.last_s < wall for s in samples)
    assert driver.stray == 0
    assert len(emu.injected_at) == 9
    edits = [c for c in emu.requests if c.method == "editMessageText"]
    assert len(edits) == 6 and all(c.received_at > 0 for c in edits)
    assert emu.messages_to(edits[0].params["chat_id"])[0]["text"].startswith("echo #")


def test_reply_count_follows_the_private_reply(advisor: Advisor) -> None:
    assert reply_count(advisor, "👍👍👍") == 1  # refused: no words
    assert reply_count(advisor, "how do I make pasta sauce") == 1  # "I don't know" + menu
    warned = "I paid by western union, how long is the claim window"
    assert reply_count(advisor, warned) == 1  # the off-platform warning and the answer, together


def test_workloads(advisor: Advisor) -> None:
    kb = advisor.kb
    pool = question_mix(kb, ["hello there", "how do I cook rice"], seed=1)
    assert 0.2 < sum(q in ("hello there", "how do I cook rice") for q in pool) / len(pool) < 0.3
    scripts = question_scripts(pool, 10, 4, advisor)
    assert [len(s) for s in scripts] == [4, 4, 2]
    assert all(step.replies >= 1 for s in scripts for step in s)
    assert all(step.replies == 1 for s in question_scripts(pool, 5, 2, None) for step in s)
    check = check_script(dt.date(2026, 3, 10))
    assert [s.kind for s in check].count("press") == 8 and check[0].value == "/check"
    assert "2026-02-18" in [s.value for s in check]


def test_profile_owners() -> None:
    assert package_of("~") == "C builtins"
    assert package_of("<frozen importlib._bootstrap>") == "import machinery"
    site = "/x/.venv/lib/python3.11/site-packages"
    assert package_of(f"{site}/httpcore/_async/connection.py").startswith("HTTP client")
    assert package_of(f"{site}/telegram/_bot.py") == "PTB (telegram)"
    assert package_of(str(ROOT / "bot" / "matching" / "matcher.py")) == "ours: bot.matching"
    assert package_of("/usr/lib/python3.11/asyncio/base_events.py") == "asyncio"


def _run(app: str, per_s: float) -> LoadRun:
    n = int(per_s)
    samples = [Sample("question", 0.001, 0.001)] * n
    return LoadRun(app, "questions", 8, n, samples, 1.0, 1.0, 1.0, 0.1)  # type: ignore[arg-type]


def test_own_handling_is_the_core_time_beyond_echo() -> None:
    ours, echo = _run("ours", 250), _run("echo", 500)
    assert own_per_s(ours, echo) == pytest.approx(500)  # 4 ms - 2 ms = 2 ms per update
    assert math.isinf(own_per_s(echo, ours))
    assert peak([ours, _run("ours", 300), echo], "ours", "questions").per_s == 300
