"""deploy/.env.example documents exactly bot.settings.Settings, with the real defaults and no
secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import ENV_NAMES, TOKEN_PATTERN, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / ".env.example"
TEXT = EXAMPLE.read_text()
COMPOSE_ONLY = "# --- Docker Compose only"
ASSIGNMENT = re.compile(r"^(#?)([A-Z][A-Z0-9_]*)=(.*)$")
"""`NAME=value`, or `#NAME=value` for a setting left at its default (no space after `#`)."""


def _assignments(text: str) -> list[tuple[bool, str, str]]:
    """(commented out, name, value) per setting line."""
    found = []
    for line in text.splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            found.append((match[1] == "#", match[2], match[3]))
    return found


SETTINGS_PART, _, COMPOSE_PART = TEXT.partition(COMPOSE_ONLY)


def test_lists_exactly_the_settings_once() -> None:
    names = [name for _, name, _ in _assignments(SETTINGS_PART)]
    aliases = {field.validation_alias for field in Settings.model_fields.values()}
    assert len(names) == len(set(names))
    assert set(names) == set(ENV_NAMES.values()) == aliases


def test_compose_only_variables_are_not_settings() -> None:
    names = {name for _, name, _ in _assignments(COMPOSE_PART)}
    assert names and not names & set(ENV_NAMES.values())


def test_the_documented_values_are_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every line uncommented, the file must configure exactly the defaults."""
    for name in ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    uncommented = tmp_path / "all.env"
    uncommented.write_text("".join(f"{n}={v}\n" for _, n, v in _assignments(TEXT)))
    assert load_settings(str(uncommented)).model_dump() == load_settings(None).model_dump()


def test_only_the_token_is_uncommented() -> None:
    """An uncommented default would override the image's and the unit's TA_ADVISOR_DATA_DIR."""
    active = [name for commented, name, _ in _assignments(TEXT) if not commented]
    assert active == ["TELEGRAM_BOT_TOKEN"]


def test_every_setting_has_a_one_line_meaning_above_it() -> None:
    lines = TEXT.splitlines()
    for i, line in enumerate(lines):
        if ASSIGNMENT.match(line):
            j = i - 1
            while ASSIGNMENT.match(lines[j]):  # a group of related settings shares one comment
                j -= 1
            assert lines[j].startswith("# ") and len(lines[j]) > 10, line


def test_holds_no_secret() -> None:
    values = {name: value for _, name, value in _assignments(TEXT)}
    assert values["TELEGRAM_BOT_TOKEN"] == "" and values["TELEGRAM_WEBHOOK_SECRET"] == ""
    for word in re.findall(r"\S+", TEXT):
        assert not TOKEN_PATTERN.search(word.split("=")[-1]), word
    # Long runs of letters and digits (API keys, hex or base64 secrets); rulers of dashes pass.
    for run in re.findall(r"[A-Za-z0-9_+/-]{24,}", TEXT):
        assert not (re.search(r"\d", run) and re.search(r"[A-Za-z]", run)), run
