"""Plain data types shared by the emulator server and the tests that drive it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

Json = dict[str, Any]


def _compact(obj: Any) -> Json:
    """Drop unset fields: Telegram omits them, and PTB would keep unknown ones in api_kwargs."""
    return {k: v for k, v in asdict(obj).items() if v is not None}


@dataclass(frozen=True)
class User:
    """A Telegram user (or another bot, with ``is_bot=True``)."""

    id: int
    first_name: str
    is_bot: bool = False
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> Json:
        return _compact(self)


@dataclass(frozen=True)
class Chat:
    """A chat as Telegram embeds it in messages (``type``: private/group/supergroup/channel)."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    def to_api(self) -> Json:
        return _compact(self)


@dataclass(frozen=True)
class Call:
    """One Bot API request the bot made, with decoded params and the response we gave."""

    index: int
    method: str
    params: Json
    status: int
    response: Json
    received_at: float = 0.0
    """``time.perf_counter()`` when the request reached the emulator (before it was handled)."""

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")


@dataclass(frozen=True)
class Delivery:
    """Outcome of pushing one update to the bot's webhook (``status`` None = no HTTP answer)."""

    update_id: int
    url: str
    status: int | None
    error: str | None = None


@dataclass
class RateLimit:
    """Per-chat sliding windows ``(max_calls, seconds)``; defaults are Telegram's soft limits."""

    private: tuple[int, float] = (1, 1.0)
    group: tuple[int, float] = (20, 60.0)


@dataclass
class Webhook:
    """What the bot registered through setWebhook (``url`` empty = polling mode)."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


class ApiError(Exception):
    """Raised by method handlers; rendered as Telegram's ``{"ok": false, ...}`` error body."""

    def __init__(self, code: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> Json:
        body: Json = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")
