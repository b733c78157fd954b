"""`ta-advisor run`: start the bot, or explain in one line why it cannot start.

Start-up problems users can fix (no token, a malformed one, a token Telegram refuses, an API
that cannot be reached, an unusable database or knowledge base) print a single line to stderr
and exit non-zero: no traceback, and never the token, which is also scrubbed from every log
line in case a library puts it in a URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.answering import Advisor
from bot.kb.loader import KnowledgeError, load_knowledge
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import Storage, StorageError
from bot.storage.factory import database_location, describe, is_server, open_storage
from bot.storage.lock import InstanceLock
from bot.telegram.app import ALLOWED_UPDATES, build_application, startup
from bot.telegram.context import BotApp
from bot.telegram.webhook import MetricsServer, WebhookServer

_LOG = logging.getLogger(__name__)

EXIT_CONFIG = 2
EXIT_STARTUP = 1


class StartupError(Exception):
    """A problem the operator must fix; `str()` is the one line we print (no secrets)."""


def _fail(message: str, code: int) -> int:
    print(f"ta-advisor: {message}", file=sys.stderr)
    return code


def run(settings: Settings) -> int:
    """Run the bot until SIGINT/SIGTERM; 0 on a clean stop, non-zero if it cannot start."""
    try:
        token = settings.require_token()
    except SettingsError as exc:
        return _fail("; ".join(exc.problems), EXIT_CONFIG)
    os.umask(0o077)  # the database, its WAL and the lock file: readable by the bot's user only
    secrets = [token]
    for extra in (settings.telegram_webhook_secret, settings.metrics_token):
        if extra is not None:
            secrets.append(extra.get_secret_value())
    configure_logging(
        level=settings.log_level,
        json_lines=settings.log_format == "json",
        secrets=secrets,
        user_text=settings.log_user_text,
    )
    try:
        asyncio.run(_serve(settings))
    except StartupError as exc:
        message = str(exc)
        for secret in secrets:
            message = message.replace(secret, "***")
        return _fail(message, EXIT_STARTUP)
    except KeyboardInterrupt:
        return 0
    return 0


def run_from_env(
    env_file: str | None = ".env", kb_dir: str | None = None, log_format: str | None = None
) -> int:
    """Load the settings (environment and `.env`), apply the command-line overrides, `run`."""
    try:
        settings = load_settings(env_file)
    except SettingsError as exc:
        return _fail("configuration error: " + "; ".join(exc.problems), EXIT_CONFIG)
    if kb_dir is not None:
        settings = settings.model_copy(update={"kb_dir": Path(kb_dir)})
    if log_format is not None:
        settings = settings.model_copy(update={"log_format": log_format})
    return run(settings)


def _take_lock(settings: Settings) -> InstanceLock:
    """The single-instance lock (shared with `TA_ADVISOR_SHARED_DB`); refuses a second bot."""
    path = settings.database_path.expanduser()
    lock = InstanceLock(path, shared=settings.shared_database)
    existed = lock.path.exists()
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
        lock.acquire()
    except StorageError as exc:
        raise StartupError(str(exc)) from None
    except OSError as exc:
        raise StartupError(f"cannot use the data folder {path.parent}: {exc.strerror}") from None
    missing = not path.exists() or path.stat().st_size == 0
    if missing and settings.new_database:
        _LOG.warning("starting a new, empty database at %s (TA_ADVISOR_NEW_DB)", path)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    elif not path.exists() and existed:
        lock.release()
        raise StartupError(
            f"the database {path} is missing, though the bot ran here before; restore it from "
            "a backup, or set TA_ADVISOR_NEW_DB=true to start a new, empty one"
        )
    return lock


async def _open_db(settings: Settings) -> Storage:
    """The database, checked: not empty, not damaged, writable (one clear line if not)."""
    location = database_location(settings)
    try:
        return await open_storage(location, verify=True)
    except StorageError as exc:
        message = str(exc)
        if "empty (0 bytes)" in message:  # deleting it would not do: the lock file remembers
            message = (
                f"the database file {settings.database_path} is empty (0 bytes): restore it "
                "from a backup, or set TA_ADVISOR_NEW_DB=true to start a new, empty one"
            )
        raise StartupError(message) from None
    except OSError as exc:
        raise StartupError(f"cannot open the database {describe(location)}: {exc}") from None


def _load_advisor(settings: Settings) -> Advisor:
    try:
        kb = load_knowledge(str(settings.kb_dir) if settings.kb_dir is not None else None)
    except KnowledgeError:
        raise StartupError(
            "the knowledge base is broken; run `ta-advisor kb check` for details"
        ) from None
    return Advisor(kb)


async def _initialize(app: BotApp, settings: Settings) -> None:
    """Connect to the Bot API (getMe); turn its failures into one clear line."""
    try:
        await app.initialize()
    except InvalidToken:
        await app.bot.shutdown()
        raise StartupError(
            "Telegram refused the bot token (TELEGRAM_BOT_TOKEN); check it with @BotFather"
        ) from None
    except NetworkError as exc:
        await app.bot.shutdown()
        reason = type(exc).__name__
        raise StartupError(
            f"cannot reach the Telegram Bot API at {settings.telegram_api_base_url} ({reason}); "
            "check the network and TELEGRAM_API_BASE_URL"
        ) from None
    except TelegramError as exc:
        await app.bot.shutdown()
        raise StartupError(f"the Telegram Bot API refused to start: {type(exc).__name__}") from None


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _serve(settings: Settings) -> None:
    advisor = _load_advisor(settings)
    # A database server is shared by replicas on purpose (claims keep them apart); a SQLite
    # file takes one process unless TA_ADVISOR_SHARED_DB says otherwise.
    lock = None if is_server(database_location(settings)) else _take_lock(settings)
    try:
        db = await _open_db(settings)
        try:
            app = build_application(settings, advisor, db)
            await _initialize(app, settings)
            try:
                await startup(app)
                await _run_started(app, settings)
            finally:
                await app.shutdown()
        finally:
            await db.close()
    finally:
        if lock is not None:
            lock.release()


async def _run_started(app: BotApp, settings: Settings) -> None:
    """Receive updates (polling or webhook) until a stop signal."""
    stop = _stop_event()
    server: WebhookServer | None = None
    metrics: MetricsServer | None = None
    if settings.metrics_port is not None:
        metrics = MetricsServer(app, listen=settings.metrics_listen, port=settings.metrics_port)
        try:
            await metrics.start()
        except OSError as exc:
            raise StartupError(f"cannot listen for /metrics: {exc.strerror or exc}") from None
    if settings.telegram_webhook_url is not None and settings.telegram_webhook_secret is not None:
        secret = settings.telegram_webhook_secret.get_secret_value()
        token = settings.metrics_token
        server = WebhookServer(
            app,
            secret=secret,
            path=settings.telegram_webhook_path,
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            metrics_token=token.get_secret_value() if token is not None else None,
        )
        try:
            await server.start()
        except OSError as exc:
            raise StartupError(f"cannot listen for the webhook: {exc.strerror or exc}") from None
        try:
            await app.bot.set_webhook(
                settings.telegram_webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
        except TelegramError as exc:
            await server.stop()
            raise StartupError(f"Telegram refused the webhook: {exc.message}") from None
        await app.start()
        _LOG.info("bot started in webhook mode")
    else:
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await app.start()
        _LOG.info("bot started with long polling")
    try:
        await stop.wait()
    finally:
        _LOG.info("stopping")
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        if server is not None:
            await server.stop()
        if metrics is not None:
            await metrics.stop()
