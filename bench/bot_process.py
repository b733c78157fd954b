"""One bot in its own process for the whole-bot benchmark: ours, or the echo baseline.

    python -m bench.bot_process --app ours|echo --base-url URL --token TOKEN --data-dir DIR
                                [--cpu N]

The process pins itself to one CPU (`os.sched_setaffinity`) before importing anything heavy, so
the event loop, the HTTP client and aiosqlite's worker thread (created later, and inheriting the
affinity) all share that core. It then builds the Application exactly as `ta-advisor run` does
(`build_application`, `initialize`, `startup`, long polling with the same allowed updates), or an
echo Application with the same plumbing, and speaks JSON lines:

- stdout: `{"event": "ready", "stages_ms": {...}, ...}` once polling, then one object per command;
- stdin: `stats` (resident memory, CPU time of the whole process), `objects` (live objects by
  type), `profile on`, `profile off FILE` (cProfile of the event loop's thread), `stop`.

Rate limiting: see `UnthrottledLimiter`. Logging is configured as in production (INFO, text
lines with the token scrubbed), written to `bot.log` in the data directory.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports: they are part of start-up

import argparse  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def pin(cpu: int | None) -> None:
    """Run this process (and the threads it starts later) on one CPU only."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app", choices=("ours", "echo"), required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--base-file-url", default=None)
    parser.add_argument("--token", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--cpu", type=int, default=None)
    return parser.parse_args(argv)


if __name__ == "__main__":  # pin before the imports below start any thread
    pin(parse_args().cpu)

import asyncio  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from telegram import (  # noqa: E402
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode  # noqa: E402
from telegram.ext import (  # noqa: E402
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bench.measure import rss_kib  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.telegram.throttle import MAX_RETRIES, ChatRateLimiter, PerChatUpdateProcessor  # noqa: E402

AnyApp = Application[Any, Any, Any, Any, Any, Any]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
"""`bot.telegram.app.ALLOWED_UPDATES`, repeated so the echo bot does not import our bot (ours
checks they are the same)."""
ECHO_KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Echo", callback_data="echo")]])
"""The echo bot's one button, so button presses can be echoed too."""


class UnthrottledLimiter(ChatRateLimiter):
    """The production limiter's code path with every wait switched off.

    `ChatRateLimiter()` (production) holds replies to about 30 a second overall, 20 a minute per
    group and one a second per private chat after a burst of 5: under benchmark load it would
    measure those limits, not the bot. `burst=None` (what the test harness uses) turns the
    per-chat pace off; the overall and group limits of PTB's `AIORateLimiter` are switched off
    too, with its own "0 = no limit" arguments. Every request still goes through
    `process_request`, so the limiter's own cost is counted.
    """

    def __init__(self) -> None:
        super().__init__(burst=None, max_retries=MAX_RETRIES)
        AIORateLimiter.__init__(
            self,
            overall_max_rate=0,
            overall_time_period=0,
            group_max_rate=0,
            group_time_period=0,
            max_retries=MAX_RETRIES,
        )


# -- the echo baseline -----------------------------------------------------------------------


async def echo_text(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text (escaped: HTML is the default parse mode, as in our bot)."""
    message = update.message
    if message is not None and message.text is not None:
        await message.reply_text(html.escape(message.text), reply_markup=ECHO_KEYBOARD)


async def echo_press(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press, then edit the message (new text each time, so the edit is accepted)."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text(
            f"{html.escape(query.data or '')} #{query.id}", reply_markup=ECHO_KEYBOARD
        )


def build_echo(args: argparse.Namespace) -> AnyApp:
    """An Application with our bot's plumbing (defaults, limiter, per-chat update processor)
    and two handlers: echo every text message, answer and edit on every button press."""
    builder = (
        ApplicationBuilder()
        .token(args.token)
        .base_url(args.base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(UnthrottledLimiter())
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if args.base_file_url:
        builder = builder.base_file_url(args.base_file_url)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo_text))
    app.add_handler(CallbackQueryHandler(echo_press))
    return app


# -- start-up ----------------------------------------------------------------------------------


class Stages:
    """Milliseconds since process start at each named stage."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def mark(self, name: str) -> None:
        """Record `name` as reached now."""
        self.ms[name] = (time.perf_counter() - STARTED) * 1e3


async def start_ours(args: argparse.Namespace, stages: Stages) -> tuple[AnyApp, Any]:
    """Our bot as `ta-advisor run` starts it (real matcher, database on disk); returns the
    application and the database to close."""
    from bot.answering import Advisor
    from bot.kb.loader import load_knowledge
    from bot.settings import Settings
    from bot.storage import Database
    from bot.telegram import app as bot_app

    assert bot_app.ALLOWED_UPDATES == ALLOWED_UPDATES
    stages.mark("imported")
    kb = load_knowledge()
    stages.mark("knowledge loaded")
    advisor = Advisor(kb)
    stages.mark("index built")
    settings = Settings(
        _env_file=None,
        telegram_bot_token=args.token,
        telegram_api_base_url=args.base_url,
        telegram_api_base_file_url=args.base_file_url or args.base_url,
        data_dir=Path(args.data_dir),
    )
    db = await Database.open(settings.database_path)
    stages.mark("database opened")
    app = bot_app.build_application(settings, advisor, db, rate_limiter=UnthrottledLimiter())
    stages.mark("application built")
    await app.initialize()
    stages.mark("initialized (getMe)")
    await bot_app.startup(app, reminder_interval_s=None)
    stages.mark("command menus registered")
    return app, db


async def start_app(args: argparse.Namespace, stages: Stages) -> tuple[AnyApp, Any]:
    """Build, initialize and start polling; returns the application and what else to close."""
    closing: Any = None
    if args.app == "ours":
        app, closing = await start_ours(args, stages)
    else:
        stages.mark("imported")
        app = build_echo(args)
        stages.mark("application built")
        await app.initialize()
        stages.mark("initialized (getMe)")
    assert app.updater is not None
    await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)  # as `ta-advisor run`
    await app.start()
    stages.mark("polling (ready)")
    return app, closing


async def stop_app(app: AnyApp, closing: Any) -> None:
    """Stop polling and shut the application (and the database) down."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if closing is not None:
        await closing.close()


# -- the command loop --------------------------------------------------------------------------


def emit(obj: dict[str, Any]) -> None:
    """One JSON line to the benchmark."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main_thread_cpu_s() -> float:
    """CPU seconds of the main thread (the event loop) alone, from /proc; NaN elsewhere."""
    stat = Path(f"/proc/self/task/{os.getpid()}/stat")
    if not stat.exists():
        return float("nan")
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stats(data_dir: Path) -> dict[str, Any]:
    """Resident memory, CPU time of the whole process (all threads) and of the event loop's
    thread, and the database's size on disk."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss, peak = rss_kib()
    db_bytes = sum(p.stat().st_size for p in data_dir.glob("*.sqlite3*"))
    return {
        "rss_kib": rss,
        "peak_kib": peak,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "main_cpu_s": main_thread_cpu_s(),
        "db_bytes": db_bytes,
    }


def object_counts(top: int = 400) -> dict[str, int]:
    """Live objects tracked by the garbage collector, by type, after a collection (what stays
    per user shows up as a type whose count grows with the users)."""
    gc.collect()
    counts = Counter(type(o).__qualname__ for o in gc.get_objects())
    return dict(counts.most_common(top))


async def stdin_reader() -> asyncio.StreamReader:
    """Standard input as an asyncio stream (no thread)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


async def serve(args: argparse.Namespace) -> None:
    """Start, report ready, then obey commands until `stop` (or end of input)."""
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / "bot.log").open("a", encoding="utf-8")
    configure_logging(level="INFO", secrets=[args.token], stream=log)
    stages = Stages()
    app, closing = await start_app(args, stages)
    emit({"event": "ready", "stages_ms": stages.ms, **stats(data_dir)})
    reader = await stdin_reader()
    profiler: cProfile.Profile | None = None
    try:
        while line := (await reader.readline()).decode().strip():
            command, _, arg = line.partition(" ")
            if command == "stats":
                emit(stats(data_dir))
            elif line == "profile on":
                profiler = cProfile.Profile()
                profiler.enable()
                emit({"event": "profiling"})
            elif line.startswith("profile off") and profiler is not None:
                profiler.disable()
                profiler.dump_stats(arg.partition(" ")[2])
                profiler = None
                emit({"event": "profiled"})
            elif command == "objects":
                emit({"objects": object_counts()})
            elif command == "stop":
                break
    finally:
        await stop_app(app, closing)
        log.close()
    emit({"event": "stopped"})


def main(argv: list[str] | None = None) -> int:
    """Run one bot until told to stop."""
    args = parse_args(argv)
    pin(args.cpu)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
