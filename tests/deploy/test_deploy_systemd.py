"""The systemd units: `systemd-analyze verify` and `security` where systemd is installed (it is
on Debian, and so on this project's machines), and the hardening the deploy guide promises,
read from the files themselves (which runs everywhere)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SERVICE = DEPLOY / "ta-advisor.service"
UNITS = [SERVICE, DEPLOY / "ta-advisor-backup.service", DEPLOY / "ta-advisor-backup.timer"]
INSTALLED_VENV = "/opt/ta-advisor/venv"


def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> every value (systemd keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not key=value: {line}"
        current.setdefault(key, []).append(value)
    return sections


def _systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze not installed (Debian package `systemd`)")
    return tool


def _installable_copies(tmp_path: Path) -> list[Path]:
    """The units with /opt/ta-advisor/venv pointed at this test's venv: `verify` insists that
    every ExecStart binary exists, and nothing is installed under /opt here."""
    venv = str(Path(sys.executable).parent.parent)
    copies = []
    for unit in UNITS:
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace(INSTALLED_VENV, venv))
        copies.append(copy)
    return copies


def test_systemd_analyze_verify_is_silent(tmp_path: Path) -> None:
    tool = _systemd_analyze()
    done = subprocess.run(
        [tool, "verify", "--man=no", *map(str, _installable_copies(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
    )
    # verify exits 0 on unknown keys and bad values, which it only warns about: no output at all.
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), (
        done.stdout + done.stderr
    )


@pytest.mark.parametrize(
    ("unit", "max_exposure"), [("ta-advisor.service", 2.0), ("ta-advisor-backup.service", 3.0)]
)
def test_systemd_security_exposure_stays_low(
    tmp_path: Path, unit: str, max_exposure: float
) -> None:
    tool = _systemd_analyze()
    _installable_copies(tmp_path)
    done = subprocess.run(
        [
            tool,
            "security",
            "--offline=true",
            f"--threshold={int(max_exposure * 10)}",
            "--no-pager",
            str(tmp_path / unit),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    overall = [line for line in done.stdout.splitlines() if "Overall exposure" in line]
    assert done.returncode == 0, overall or done.stderr


def test_service_hardening_and_layout() -> None:
    service = _unit(SERVICE)["Service"]
    single = {key: values[-1] for key, values in service.items()}
    assert single["DynamicUser"] == "yes" and single["User"] == "ta-advisor"
    assert single["StateDirectory"] == "ta-advisor"
    assert "TA_ADVISOR_DATA_DIR=%S/ta-advisor" in service["Environment"]
    assert single["EnvironmentFile"] == "-/etc/ta-advisor/env"
    assert single["ExecStart"] == f"{INSTALLED_VENV}/bin/ta-advisor run"
    for key, value in {
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "NoNewPrivileges": "yes",
        "ProtectKernelTunables": "yes",
        "ProtectKernelModules": "yes",
        "ProtectKernelLogs": "yes",
        "ProtectControlGroups": "yes",
        "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
        "CapabilityBoundingSet": "",
        "Restart": "on-failure",
    }.items():
        assert single.get(key) == value, key
    assert "@system-service" in service["SystemCallFilter"]
    assert "RestartSec" in single
    unit = _unit(SERVICE)["Unit"]
    assert {"StartLimitIntervalSec", "StartLimitBurst"} <= unit.keys()
    assert _unit(SERVICE)["Install"]["WantedBy"] == ["multi-user.target"]


def test_backup_unit_runs_as_the_service_user_on_its_state_directory() -> None:
    service = _unit(DEPLOY / "ta-advisor-backup.service")["Service"]
    main = _unit(SERVICE)["Service"]
    for key in ("DynamicUser", "User", "Environment", "EnvironmentFile"):
        assert set(main[key]) >= set(service[key]), key
    assert service["StateDirectory"][0].split()[0] == main["StateDirectory"][0]
    (exec_start,) = service["ExecStart"]
    assert f"{INSTALLED_VENV}/bin/ta-advisor db backup " in exec_start
    timer = _unit(DEPLOY / "ta-advisor-backup.timer")
    assert timer["Timer"]["Persistent"] == ["true"] and timer["Install"]["WantedBy"]
