"""kill -9 in the middle of a guided check: every committed state survives."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.storage import Database

REPO = Path(__file__).resolve().parents[2]

WRITER = """
import asyncio, json, sys
from bot.storage import Database

async def main(path):
    db = await Database.open(path)
    step = 0
    while True:
        step += 1
        await db.save_check(42, json.dumps({"step": step, "pad": "x" * 500}))
        await db.log_check_event(42, "started")
        print(step, flush=True)  # only after save_check returned, i.e. committed

asyncio.run(main(sys.argv[1]))
"""


def run_and_kill(path: Path, min_steps: int) -> int:
    """Start the writer, SIGKILL it once it reported `min_steps` saves; the last reported step."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    last = 0
    deadline = time.monotonic() + 60
    try:
        while last < min_steps:
            line = proc.stdout.readline()
            assert line, f"writer died: {proc.stderr.read() if proc.stderr else ''}"
            last = int(line)
            assert time.monotonic() < deadline, "writer too slow"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        # Steps it committed after our last read are fine too; count what it reported. Read
        # through the same buffered stream as readline: `communicate` would skip the lines
        # that readline already pulled into its buffer.
        remaining = proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for line in remaining.splitlines():
        if line.strip():
            last = int(line)
    return last


async def test_state_survives_sigkill_and_database_opens_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    for round_ in range(2):
        last = run_and_kill(path, min_steps=200 if round_ == 0 else 50)
        assert Path(f"{path}-wal").exists()  # killed with its WAL still in place

        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        async with await Database.open(path) as db:
            assert await db.integrity_check() == "ok"
            state = await db.load_check(42)
            assert state is not None
            # Every reported step was committed; the writer may have committed one more.
            assert json.loads(state)["step"] in (last, last + 1)
