"""`bot.settings`: parsing the environment, defaults, and never leaking a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ENV_NAMES, Settings, SettingsError, load_settings

TOKEN = "123456789:AAHk3-very_secret_token_value_XYZ"
SECRET = "webhook-Secret_value-42"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variable from the developer's shell, and no stray `.env` in the working folder."""
    for name in ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_api_base_file_url == "https://api.telegram.org/file/bot"
    assert settings.telegram_webhook_url is None and not settings.webhook_mode
    assert (settings.telegram_webhook_listen, settings.telegram_webhook_port) == ("127.0.0.1", 8443)
    assert settings.telegram_webhook_path == "/telegram"
    assert settings.data_dir == Path("data")
    assert settings.database_path == Path("data") / "ta-advisor.sqlite3"
    assert settings.admin_ids == frozenset()
    assert settings.kb_dir is None
    assert (settings.log_format, settings.log_level) == ("text", "INFO")
    assert settings.group_warning_cooldown_s == 3600
    assert settings.reminder_days_before == 3
    assert not settings.shared_database and not settings.new_database
    assert settings.question_retention_days == 90 and not settings.log_user_text
    assert settings.metrics_token is None and settings.metrics_port is None
    assert settings.database_url is None  # SQLite, no server


def test_database_url_must_be_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TA_ADVISOR_DATABASE_URL", "mysql://bot:s3cret@db/ta")
    with pytest.raises(SettingsError) as caught:
        load_settings(None)
    assert "TA_ADVISOR_DATABASE_URL" in str(caught.value) and "s3cret" not in str(caught.value)


def test_every_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
        "TELEGRAM_API_BASE_FILE_URL": "http://127.0.0.1:8081/file/bot",
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": "9000",
        "TELEGRAM_WEBHOOK_PATH": "/hook",
        "TA_ADVISOR_DATA_DIR": "/srv/ta",
        "TA_ADVISOR_DB_PATH": "/var/db/bot.sqlite3",
        "TA_ADVISOR_DATABASE_URL": "postgresql://bot:pw@db:5432/ta",
        "TA_ADVISOR_ADMIN_IDS": "1,2",
        "TA_ADVISOR_KB": "/srv/kb",
        "TA_ADVISOR_LOG_FORMAT": "json",
        "TA_ADVISOR_LOG_LEVEL": "debug",
        "TA_ADVISOR_WARNING_COOLDOWN": "60",
        "TA_ADVISOR_REMINDER_DAYS": "5",
        "TA_ADVISOR_SHARED_DB": "true",
        "TA_ADVISOR_NEW_DB": "1",
        "TA_ADVISOR_QUESTION_RETENTION_DAYS": "30",
        "TA_ADVISOR_LOG_USER_TEXT": "yes",
        "TA_ADVISOR_METRICS_TOKEN": "m-token",
        "TA_ADVISOR_METRICS_LISTEN": "0.0.0.0",
        "TA_ADVISOR_METRICS_PORT": "9464",
        "TA_ADVISOR_BACKUP_KEEP_DAYS": "7",
    }
    assert set(values) == set(ENV_NAMES.values())
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.require_token() == TOKEN
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.telegram_api_base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.webhook_mode
    assert settings.telegram_webhook_secret is not None
    assert settings.telegram_webhook_secret.get_secret_value() == SECRET
    assert (settings.telegram_webhook_listen, settings.telegram_webhook_port) == ("127.0.0.1", 9000)
    assert settings.telegram_webhook_path == "/hook"
    assert settings.data_dir == Path("/srv/ta")
    assert settings.database_path == Path("/var/db/bot.sqlite3")
    assert settings.database_url is not None
    assert settings.database_url.get_secret_value() == "postgresql://bot:pw@db:5432/ta"
    assert "pw" not in repr(settings)
    assert settings.admin_ids == frozenset({1, 2})
    assert settings.kb_dir == Path("/srv/kb")
    assert (settings.log_format, settings.log_level) == ("json", "DEBUG")
    assert settings.shared_database and settings.new_database and settings.log_user_text
    assert settings.question_retention_days == 30 and settings.backup_keep_days == 7
    assert settings.metrics_token is not None
    assert settings.metrics_token.get_secret_value() == "m-token"
    assert (settings.metrics_listen, settings.metrics_port) == ("0.0.0.0", 9464)
    assert settings.group_warning_cooldown_s == 60
    assert settings.reminder_days_before == 5


def test_database_path_follows_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TA_ADVISOR_DATA_DIR", "/srv/ta")
    assert load_settings().database_path == Path("/srv/ta/ta-advisor.sqlite3")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,2", {1, 2}),
        (" 1 , 2 ,", {1, 2}),
        ("42", {42}),
        ("[3, 4]", {3, 4}),
        ("1 2;3", {1, 2, 3}),
        ("", set()),
    ],
)
def test_admin_ids(monkeypatch: pytest.MonkeyPatch, raw: str, expected: set[int]) -> None:
    monkeypatch.setenv("TA_ADVISOR_ADMIN_IDS", raw)
    settings = load_settings()
    assert settings.admin_ids == frozenset(expected)
    assert all(settings.is_admin(user) for user in expected)
    assert not settings.is_admin(999) and not settings.is_admin(None)


@pytest.mark.parametrize("raw", ["alice", "1,two", "[1, "])
def test_bad_admin_ids(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("TA_ADVISOR_ADMIN_IDS", raw)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith("admin_ids (TA_ADVISOR_ADMIN_IDS):")


def test_dotenv_file_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nTA_ADVISOR_ADMIN_IDS=7,8\nUNRELATED=x\n", encoding="utf-8"
    )
    monkeypatch.setenv("TA_ADVISOR_ADMIN_IDS", "9")
    settings = load_settings()
    assert settings.require_token() == TOKEN
    assert settings.admin_ids == frozenset({9})
    assert load_settings(env_file=None).telegram_bot_token is None
    other = tmp_path / "prod.env"
    other.write_text("TA_ADVISOR_REMINDER_DAYS=1\n", encoding="utf-8")
    assert load_settings(env_file=str(other)).reminder_days_before == 1


def test_missing_token_is_one_clean_line() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings().require_token()
    message = str(caught.value)
    assert "TELEGRAM_BOT_TOKEN" in message and "\n" not in message


def test_blank_token_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "   ")
    with pytest.raises(SettingsError, match="not set"):
        load_settings().require_token()


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token-at-all-but-long-enough",
        "123456:short",
        "abc:AAHk3verysecrettokenvalueXYZ",
        "123456:AAHk3 very secret token value",
        "123456:AAHk3verysecret/tokenvalueXYZ",
    ],
)
def test_malformed_token_never_appears_in_the_error(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(SettingsError) as caught:
        load_settings().require_token()
    message = str(caught.value)
    assert "malformed" in message and "\n" not in message
    assert token not in message and token.split(":")[-1] not in message
    assert token not in repr(caught.value)


def test_token_with_surrounding_whitespace_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", f"  {TOKEN}\n")
    assert load_settings().require_token() == TOKEN


def test_repr_str_and_dump_never_show_secrets() -> None:
    settings = Settings(telegram_bot_token=TOKEN, telegram_webhook_secret=SECRET)
    for text in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        repr(settings.model_dump()),
    ):
        assert TOKEN not in text and TOKEN.split(":")[1] not in text
        assert SECRET not in text


def test_webhook_url_requires_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        "TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_WEBHOOK_URL is set"
    )


@pytest.mark.parametrize("secret", ["has space", "slash/in/it", "x" * 257, "ümlaut"])
def test_bad_webhook_secret_is_reported_without_its_value(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("telegram_webhook_secret (TELEGRAM_WEBHOOK_SECRET):")
    assert secret not in message


def test_one_line_per_bad_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PORT", "eighty")
    monkeypatch.setenv("TA_ADVISOR_LOG_FORMAT", "xml")
    monkeypatch.setenv("TA_ADVISOR_LOG_LEVEL", "loud")
    monkeypatch.setenv("TA_ADVISOR_WARNING_COOLDOWN", "-1")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PATH", "telegram")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "ftp://example.com")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    problems = caught.value.problems
    assert sorted(line.split(" ", 1)[0] for line in problems) == [
        "group_warning_cooldown_s",
        "log_format",
        "log_level",
        "telegram_api_base_url",
        "telegram_webhook_path",
        "telegram_webhook_port",
    ]
    assert str(caught.value) == "\n".join(problems)
    assert TOKEN not in str(caught.value)


def test_settings_are_immutable() -> None:
    settings = load_settings()
    with pytest.raises(ValueError):
        settings.log_level = "DEBUG"  # type: ignore[misc]
