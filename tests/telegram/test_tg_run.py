"""`ta-advisor run` as a real process: one-line start-up errors, and a `kill -9` mid-check."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.emulator import Emulator
from tests.telegram.harness import button

ROOT = Path(__file__).resolve().parents[2]
GOOD_SHAPE_TOKEN = "123456789:" + "Q" * 35


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TA_ADVISOR_")) and k != "PYTHONPATH"
    }
    env.update(PYTHONPATH=str(ROOT), TA_ADVISOR_DATA_DIR=str(tmp_path / "data"), **values)
    return env


async def _start(tmp_path: Path, *args: str, **values: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *args,
        "--env-file",
        str(tmp_path / "absent.env"),
        cwd=tmp_path,
        env=_env(tmp_path, **values),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _run(tmp_path: Path, **values: str) -> tuple[int, str]:
    proc = await _start(tmp_path, **values)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return proc.returncode, (out + err).decode()


@pytest.mark.parametrize(
    ("token", "base_url", "expected"),
    [
        (None, None, "TELEGRAM_BOT_TOKEN is not set"),
        ("not-a-token", None, "TELEGRAM_BOT_TOKEN is malformed"),
        ("123:short", None, "TELEGRAM_BOT_TOKEN is malformed"),
        (GOOD_SHAPE_TOKEN, "http://127.0.0.1:9/bot", "cannot reach the Telegram Bot API"),
    ],
)
async def test_startup_errors_are_one_line_without_the_token(
    tmp_path: Path, token: str | None, base_url: str | None, expected: str
) -> None:
    values = {}
    if token is not None:
        values["TELEGRAM_BOT_TOKEN"] = token
    if base_url is not None:
        values["TELEGRAM_API_BASE_URL"] = base_url
    code, output = await _run(tmp_path, **values)
    assert code != 0
    assert output.count("\n") == 1, output  # one line, no traceback
    assert expected in output
    assert "Traceback" not in output
    if token is not None:
        assert token not in output and token.split(":")[-1] not in output


async def test_token_refused_by_telegram(tmp_path: Path, emulator: Emulator) -> None:
    code, output = await _run(
        tmp_path, TELEGRAM_BOT_TOKEN=GOOD_SHAPE_TOKEN, TELEGRAM_API_BASE_URL=emulator.base_url
    )
    assert code == 1
    assert output.strip() == (
        "ta-advisor: Telegram refused the bot token (TELEGRAM_BOT_TOKEN); check it with @BotFather"
    )


async def test_kill_9_in_the_middle_of_a_check_loses_nothing(
    tmp_path: Path, emulator: Emulator
) -> None:
    values = {"TELEGRAM_BOT_TOKEN": emulator.token, "TELEGRAM_API_BASE_URL": emulator.base_url}
    alice = emulator.create_user()
    first = await _start(tmp_path, **values)
    try:
        emulator.send_text(alice, None, "/check")
        msg = (await emulator.wait_for_request("sendMessage", timeout=20)).result
        emulator.press_button(alice, msg, button(msg, "Shipped late"))
        msg = (await emulator.wait_for_request("editMessageText")).result
        assert "Step 2 of about" in msg["text"]
    finally:
        first.kill()  # SIGKILL: no shutdown code runs
        await first.wait()
    assert first.returncode == -signal.SIGKILL

    second = await _start(tmp_path, **values)
    try:
        # the old message's next button
        emulator.press_button(alice, msg, button(msg, "Through the Alibaba order"))
        msg = (await emulator.wait_for_request("editMessageText", timeout=20)).result
        assert "Did you place this order" in msg["text"]
        assert "Step 4 of about" in msg["text"]
    finally:
        second.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(second.communicate(), 20)
    assert second.returncode == 0, err.decode()
    assert emulator.token.split(":")[1] not in err.decode()


async def test_json_logs_flag(tmp_path: Path, emulator: Emulator) -> None:
    import json

    values = {"TELEGRAM_BOT_TOKEN": emulator.token, "TELEGRAM_API_BASE_URL": emulator.base_url}
    proc = await _start(tmp_path, "--log-format", "json", **values)
    try:
        alice = emulator.create_user()
        emulator.send_text(alice, None, "can I pay by western union?")
        await emulator.wait_for_request("sendMessage", timeout=20)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(e["update_id"] is not None and e["chat_type"] == "private" for e in entries)
    assert emulator.token.split(":")[1] not in err.decode()
    assert "western" not in err.decode().lower()
