"""Configuration from the environment and an optional `.env` file.

Only `ta-advisor run` needs a bot token, so the token is checked by `Settings.require_token()`
rather than at load time: the terminal chat, `assess` and `db backup` work without one. Secrets
are `SecretStr` so that no repr, log line or error message can show them, and `load_settings`
turns pydantic's errors into one line per field that names the environment variable and the
problem, never the value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as _SourceError

TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
"""Telegram bot tokens: the bot's numeric id, a colon and a long URL-safe secret."""

WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
"""What Telegram accepts as `secret_token` for setWebhook."""

DB_FILE_NAME = "ta-advisor.sqlite3"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

ENV_NAMES: dict[str, str] = {
    "telegram_bot_token": "TELEGRAM_BOT_TOKEN",
    "telegram_api_base_url": "TELEGRAM_API_BASE_URL",
    "telegram_api_base_file_url": "TELEGRAM_API_BASE_FILE_URL",
    "telegram_webhook_url": "TELEGRAM_WEBHOOK_URL",
    "telegram_webhook_secret": "TELEGRAM_WEBHOOK_SECRET",
    "telegram_webhook_listen": "TELEGRAM_WEBHOOK_LISTEN",
    "telegram_webhook_port": "TELEGRAM_WEBHOOK_PORT",
    "telegram_webhook_path": "TELEGRAM_WEBHOOK_PATH",
    "data_dir": "TA_ADVISOR_DATA_DIR",
    "db_path": "TA_ADVISOR_DB_PATH",
    "database_url": "TA_ADVISOR_DATABASE_URL",
    "admin_ids": "TA_ADVISOR_ADMIN_IDS",
    "kb_dir": "TA_ADVISOR_KB",
    "log_format": "TA_ADVISOR_LOG_FORMAT",
    "log_level": "TA_ADVISOR_LOG_LEVEL",
    "group_warning_cooldown_s": "TA_ADVISOR_WARNING_COOLDOWN",
    "reminder_days_before": "TA_ADVISOR_REMINDER_DAYS",
    "shared_database": "TA_ADVISOR_SHARED_DB",
    "new_database": "TA_ADVISOR_NEW_DB",
    "question_retention_days": "TA_ADVISOR_QUESTION_RETENTION_DAYS",
    "log_user_text": "TA_ADVISOR_LOG_USER_TEXT",
    "metrics_token": "TA_ADVISOR_METRICS_TOKEN",
    "metrics_listen": "TA_ADVISOR_METRICS_LISTEN",
    "metrics_port": "TA_ADVISOR_METRICS_PORT",
    "backup_keep_days": "TA_ADVISOR_BACKUP_KEEP_DAYS",
}
"""Field name -> environment variable; the single source for aliases and error messages."""


class SettingsError(Exception):
    """Configuration is missing or invalid; `str()` is safe to print (never holds a secret)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _env(field: str) -> str:
    """The environment variable of `field`, used as its validation alias."""
    return ENV_NAMES[field]


class Settings(BaseSettings):
    """Everything the bot reads from its environment; see `ENV_NAMES` for the variable names."""

    model_config = SettingsConfigDict(
        env_file=None,
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        case_sensitive=False,
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=_env("telegram_bot_token")
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org/bot", validation_alias=_env("telegram_api_base_url")
    )
    telegram_api_base_file_url: str = Field(
        default="https://api.telegram.org/file/bot",
        validation_alias=_env("telegram_api_base_file_url"),
    )
    telegram_webhook_url: str | None = Field(
        default=None, validation_alias=_env("telegram_webhook_url")
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("telegram_webhook_secret")
    )
    telegram_webhook_listen: str = Field(
        default="127.0.0.1", validation_alias=_env("telegram_webhook_listen")
    )
    telegram_webhook_port: int = Field(
        default=8443, ge=1, le=65535, validation_alias=_env("telegram_webhook_port")
    )
    telegram_webhook_path: str = Field(
        default="/telegram", validation_alias=_env("telegram_webhook_path")
    )
    data_dir: Path = Field(default=Path("data"), validation_alias=_env("data_dir"))
    db_path: Path | None = Field(default=None, validation_alias=_env("db_path"))
    database_url: SecretStr | None = Field(default=None, validation_alias=_env("database_url"))
    """A PostgreSQL server (`postgresql://user:password@host/db`) shared by several replicas;
    unset: the SQLite file `database_path`. Secret: the URL usually carries a password."""
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias=_env("admin_ids")
    )
    kb_dir: Path | None = Field(default=None, validation_alias=_env("kb_dir"))
    log_format: Literal["text", "json"] = Field(default="text", validation_alias=_env("log_format"))
    log_level: str = Field(default="INFO", validation_alias=_env("log_level"))
    group_warning_cooldown_s: int = Field(
        default=3600, ge=0, validation_alias=_env("group_warning_cooldown_s")
    )
    reminder_days_before: int = Field(
        default=3, ge=0, validation_alias=_env("reminder_days_before")
    )
    shared_database: bool = Field(default=False, validation_alias=_env("shared_database"))
    """Several bot processes on one database (no single-instance lock; claims expire)."""
    new_database: bool = Field(default=False, validation_alias=_env("new_database"))
    """Start a new, empty database where one existed before (missing or empty file)."""
    question_retention_days: int = Field(
        default=90, ge=1, validation_alias=_env("question_retention_days")
    )
    log_user_text: bool = Field(default=False, validation_alias=_env("log_user_text"))
    """Let DEBUG log lines carry what users wrote (off: text never reaches the logs)."""
    metrics_token: SecretStr | None = Field(default=None, validation_alias=_env("metrics_token"))
    metrics_listen: str = Field(default="127.0.0.1", validation_alias=_env("metrics_listen"))
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias=_env("metrics_port")
    )
    backup_keep_days: int = Field(default=14, ge=1, validation_alias=_env("backup_keep_days"))

    @field_validator(
        "telegram_bot_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "db_path",
        "database_url",
        "kb_dir",
        "metrics_token",
        "metrics_port",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """`FOO=` in a `.env` file means "not set", and pasted values often carry a newline."""
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: Any) -> Any:
        """Accept "1,2", "1 2", a JSON list, or any iterable of ints."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                raise ValueError("must be a JSON list or comma-separated user ids") from None
        parts = [part for part in re.split(r"[,\s;]+", text) if part]
        if not all(re.fullmatch(r"-?\d+", part) for part in parts):
            raise ValueError("must be comma-separated numeric Telegram user ids")
        return [int(part) for part in parts]

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("telegram_webhook_url", "telegram_api_base_url", "telegram_api_base_file_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.match(
            r"^postgres(?:ql)?://", value.get_secret_value(), re.IGNORECASE
        ):
            raise ValueError("must be a postgresql:// URL (unset it to use SQLite)")
        return value

    @field_validator("telegram_webhook_path")
    @classmethod
    def _check_path(cls, value: str) -> str:
        if not value.startswith("/") or any(ch.isspace() for ch in value):
            raise ValueError("must start with / and contain no spaces")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _check_log_level(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().upper()
            if value not in LOG_LEVELS:
                raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_log_format(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        """Fail at load, not at run: a webhook without its secret would accept forged updates."""
        if self.telegram_webhook_url is not None and self.telegram_webhook_secret is None:
            raise ValueError(
                f"{ENV_NAMES['telegram_webhook_secret']} is required when "
                f"{ENV_NAMES['telegram_webhook_url']} is set"
            )
        return self

    @property
    def database_path(self) -> Path:
        """The SQLite file: `TA_ADVISOR_DB_PATH`, or `ta-advisor.sqlite3` in the data folder."""
        return self.db_path if self.db_path is not None else self.data_dir / DB_FILE_NAME

    @property
    def webhook_mode(self) -> bool:
        """Webhook when a public URL is configured, long polling otherwise."""
        return self.telegram_webhook_url is not None

    def require_token(self) -> str:
        """The bot token, or a one-line `SettingsError` that never contains it."""
        name = ENV_NAMES["telegram_bot_token"]
        if self.telegram_bot_token is None:
            raise SettingsError([f"{name} is not set: get a token from @BotFather"])
        token = self.telegram_bot_token.get_secret_value()
        if not TOKEN_PATTERN.match(token):
            raise SettingsError(
                [f"{name} is malformed: expected <bot id>:<secret>, as given by @BotFather"]
            )
        return token

    def is_admin(self, user_id: int | None) -> bool:
        """Whether `user_id` may use the admin commands (`/stats`, `/unanswered`)."""
        return user_id is not None and user_id in self.admin_ids


def _describe(error: ErrorDetails) -> str:
    """One line for one pydantic error: the field, its variable and the problem, never the input."""
    loc = tuple(str(part) for part in error.get("loc", ()))
    by_env = {env.lower(): field for field, env in ENV_NAMES.items()}
    head = loc[0] if loc else ""
    field = by_env.get(head.lower(), head)
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if not field:
        return message
    env = ENV_NAMES.get(field)
    where = f"{field} ({env})" if env else field
    return f"{where}: {message}"


def load_settings(env_file: str | None = ".env") -> Settings:
    """Read the environment (and `env_file` if it exists); raise `SettingsError` if invalid."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as exc:
        raise SettingsError([_describe(error) for error in exc.errors()]) from None
    except _SourceError as exc:
        # Raised by pydantic-settings when a source cannot be decoded; its text names the
        # field and the source only.
        raise SettingsError([str(exc)]) from None
