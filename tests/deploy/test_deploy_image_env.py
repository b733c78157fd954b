"""The image's Python environment, built the way deploy/Dockerfile builds it (see conftest.py),
used the way the container uses it: from its WORKDIR, outside the source tree, with its ENV,
its HEALTHCHECK command and its CMD, against the Bot API emulator instead of Telegram."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sqlite3
from pathlib import Path

import pytest

from tests.deploy.imagebuild import REPO, ImageEnv
from tests.emulator.server import Emulator

pytestmark = pytest.mark.slow


def test_package_is_installed_with_its_knowledge_base_not_run_from_the_source_tree(
    image_env: ImageEnv,
) -> None:
    done = image_env.run(
        ["python", "-c", "import bot, bot.kb.loader as k; print(bot.__file__, k.default_kb_dir())"]
    )
    assert done.returncode == 0, done.stderr
    package, kb_dir = done.stdout.split()
    venv = Path(image_env.host("/opt/venv"))
    assert Path(package).is_relative_to(venv)
    assert Path(kb_dir).is_relative_to(venv) and Path(kb_dir).name == "_knowledge"
    assert not Path(package).is_relative_to(REPO)
    # Nothing of the repository leaks in: the runtime stage only has the venv and the probe.
    assert sorted(p.name for p in Path(image_env.host("/opt/ta-advisor")).iterdir()) == [
        "healthcheck.py"
    ]


def test_kb_check_passes_in_the_image(image_env: ImageEnv) -> None:
    done = image_env.run(["ta-advisor", "kb", "check"])
    assert done.returncode == 0, done.stdout + done.stderr


def test_ask_json_answers_from_the_bundled_knowledge(image_env: ImageEnv) -> None:
    done = image_env.run(["ta-advisor", "ask", "--json"], input="can I pay by Western Union?\n")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["topic"] == "off-platform-payment"
    assert answer["decision"] == "answer" and answer["sources"]


def test_healthcheck_without_a_running_bot(image_env: ImageEnv, tmp_path: Path) -> None:
    """Polling mode: unhealthy until the bot has created its database, then healthy; a broken
    knowledge base or an unreadable database makes it unhealthy again."""
    env = {"TA_ADVISOR_DATA_DIR": str(tmp_path)}
    missing = image_env.run(image_env.healthcheck, env)
    assert missing.returncode == 1 and "no database" in missing.stderr
    assert not (tmp_path / "ta-advisor.sqlite3").exists(), "the probe must not create the db"

    # What `ta-advisor run` does first: open the database, which creates and migrates it.
    create = "import asyncio, sys; from bot.storage import Database\n" + (
        "async def main():\n    db = await Database.open(sys.argv[1])\n    await db.close()\n"
        "asyncio.run(main())"
    )
    made = image_env.run(["python", "-c", create, str(tmp_path / "ta-advisor.sqlite3")])
    assert made.returncode == 0, made.stderr
    healthy = image_env.run(image_env.healthcheck, env)
    assert healthy.returncode == 0, healthy.stderr

    broken_kb = image_env.run(image_env.healthcheck, {**env, "TA_ADVISOR_KB": str(tmp_path)})
    assert broken_kb.returncode == 1 and "knowledge base" in broken_kb.stderr

    (tmp_path / "not-a-db.sqlite3").write_bytes(b"x" * 4096)
    bad_db = {**env, "TA_ADVISOR_DB_PATH": str(tmp_path / "not-a-db.sqlite3")}
    corrupt = image_env.run(image_env.healthcheck, bad_db)
    assert corrupt.returncode == 1 and "not a database" in corrupt.stderr


# -- the container's CMD against the emulator ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _run(image_env: ImageEnv, argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        env={**image_env.env, **env},
        cwd=image_env.workdir,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def _wait_healthy(
    image_env: ImageEnv, env: dict[str, str], bot: asyncio.subprocess.Process
) -> None:
    last = ""
    for _ in range(100):
        if bot.returncode is not None:
            assert bot.stdout is not None
            log = (await bot.stdout.read()).decode()
            raise AssertionError(f"the bot exited during start-up:\n{log}")
        code, last = await _run(image_env, image_env.healthcheck, env)
        if code == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"never healthy: {last}")


async def _start_bot(image_env: ImageEnv, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *image_env.cmd,
        env={**image_env.env, **env},
        cwd=image_env.workdir,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def _stop_bot(bot: asyncio.subprocess.Process) -> str:
    """`docker stop` / `systemctl stop`: SIGTERM, and the bot must exit 0 in time."""
    if bot.returncode is None:
        bot.send_signal(signal.SIGTERM)
    try:
        out, _ = await asyncio.wait_for(bot.communicate(), 20)
    except TimeoutError:
        bot.kill()
        await bot.wait()
        raise
    log = out.decode()
    assert bot.returncode == 0, log
    return log


def _bot_env(emulator: Emulator, data_dir: Path) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": emulator.token,
        "TELEGRAM_API_BASE_URL": emulator.base_url,
        "TELEGRAM_API_BASE_FILE_URL": emulator.base_file_url,
        "TA_ADVISOR_DATA_DIR": str(data_dir),
    }


async def test_cmd_polls_answers_and_is_healthy(
    image_env: ImageEnv, emulator: Emulator, tmp_path: Path
) -> None:
    env = _bot_env(emulator, tmp_path)
    bot = await _start_bot(image_env, env)
    try:
        await _wait_healthy(image_env, env, bot)
        alice = emulator.create_user()
        emulator.send_text(alice, None, "Is Western Union covered by Trade Assurance?")
        await emulator.wait_until(lambda: bool(emulator.messages_to(alice.id)), timeout=20)
        assert "Western Union" in emulator.last_message(alice.id)["text"]
    finally:
        log = await _stop_bot(bot)
    assert emulator.token not in log
    with sqlite3.connect(tmp_path / "ta-advisor.sqlite3") as db:  # kept on the volume
        assert db.execute("PRAGMA user_version").fetchone()[0] > 0


async def test_cmd_in_webhook_mode_is_probed_on_healthz(
    image_env: ImageEnv, emulator: Emulator, tmp_path: Path
) -> None:
    port = _free_port()
    env = {
        **_bot_env(emulator, tmp_path),
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "TELEGRAM_WEBHOOK_SECRET": "test-secret_123",
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
    }
    bot = await _start_bot(image_env, env)
    try:
        await _wait_healthy(image_env, env, bot)
        assert emulator.webhook.url == env["TELEGRAM_WEBHOOK_URL"]
    finally:
        await _stop_bot(bot)
    # The database is still there, so only the HTTP probe can tell that the bot is down.
    code, out = await _run(image_env, image_env.healthcheck, env)
    assert code == 1 and f"127.0.0.1:{port}/healthz" in out


def test_cmd_without_token_fails_fast_with_one_line(image_env: ImageEnv, tmp_path: Path) -> None:
    """What a newcomer sees in `docker compose logs` before filling in .env."""
    done = image_env.run(image_env.cmd, {"TA_ADVISOR_DATA_DIR": str(tmp_path)})
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr
