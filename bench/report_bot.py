"""The whole-bot part of `bench/RESULTS.md` (see `bench.whole_bot` for what is measured)."""

from __future__ import annotations

import inspect
import math
import statistics
from collections.abc import Sequence

from bench.whole_bot import (
    TARGET_PER_S,
    WORKLOADS,
    AppName,
    Kind,
    LoadRun,
    Profile,
    Startup,
    WholeBot,
    own_per_s,
    peak,
)
from bot.telegram.flood import FloodGate

WORKLOAD_NAMES = {"questions": "free-text questions", "checks": "guided checks"}
LATENCY_KINDS: dict[str, tuple[Kind, ...]] = {"questions": ("question",), "checks": ("press",)}
"""Which updates the headline latency is about: questions, and button presses in a check."""


def _ms(us: float) -> str:
    """Microseconds shown as milliseconds."""
    return "–" if math.isnan(us) else f"{us / 1000:,.1f} ms"


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.1f} MiB"


def _rate(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:,.0f}/s"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(row) + " |" for row in rows]


def light(wb: WholeBot, app: AppName, workload: str) -> LoadRun:
    """The one-user run (no queueing): the latency of a single update."""
    return wb.run(app, workload, min(wb.config.levels))


def headline(wb: WholeBot) -> list[str]:
    """One line per workload for the summary, then memory and start-up."""
    lines = []
    for workload in WORKLOADS:
        kinds = LATENCY_KINDS[workload]
        o, e = light(wb, "ours", workload), light(wb, "echo", workload)
        po, pe = peak(wb.runs, "ours", workload), peak(wb.runs, "echo", workload)
        lo, le = o.latency(kinds), e.latency(kinds)
        what = "button presses" if workload == "checks" else "questions"
        lines.append(
            f"whole bot, {WORKLOAD_NAMES[workload]}: {_rate(po.per_s)} sustained on one core "
            f"(echo {_rate(pe.per_s)}); {what} p50 {_ms(lo.p50_us)} p99 {_ms(lo.p99_us)} "
            f"(echo {_ms(le.p50_us)} / {_ms(le.p99_us)}); our own handling "
            f"{_rate(own_per_s(po, pe))}"
        )
    m = wb.memory
    ready = statistics.median(s.spawn_to_ready_ms for s in wb.startups["ours"])
    rss = statistics.median(s.rss_kib for s in wb.startups["ours"])
    lines.append(
        f"whole bot memory: {_mib(rss)} when polling, {_mib(m.after_kib)} after "
        f"{m.users:,} distinct users; start-up to polling {ready:,.0f} ms (spawn to ready)"
    )
    return lines


def section(wb: WholeBot) -> list[str]:
    """The whole `## Whole bot` section body."""
    return [
        *method(wb),
        "",
        "### Ours against echo",
        "",
        *comparison(wb),
        "",
        "### Every run",
        "",
        *runs_table(wb),
        "",
        "### Memory",
        "",
        *memory(wb),
        "",
        "### Start-up to polling",
        "",
        *startup(wb),
        *profiles(wb),
    ]


def method(wb: WholeBot) -> list[str]:
    """How the whole bot was measured."""
    c = wb.config
    mix = wb.question_mix
    return [
        f"- Layout: {wb.cpus['layout']}. Each bot is a fresh `python -m bench.bot_process` "
        "(`os.sched_setaffinity` before its imports, so aiosqlite's worker thread shares the "
        "core) polling its own emulator (`tests/emulator`, aiohttp on 127.0.0.1) with "
        "`getUpdates` over real HTTP, as `ta-advisor run` does.",
        "- **ours** = `build_application` + `initialize` + `startup` with the real matcher, "
        "the SQLite database on disk (WAL, a temporary directory on the same disk as the "
        "repository) and production logging (INFO text lines to a file). **echo** = an "
        "Application with the same plumbing (HTML defaults, the same rate limiter class, "
        "`PerChatUpdateProcessor`, logging) and two handlers: a `MessageHandler` replying the "
        "same text (with one button), a `CallbackQueryHandler` that answers the press and edits "
        "the message. Both run in the same benchmark, workloads alternating between them.",
        "- Rate limiting: `ChatRateLimiter` with every wait off (`bench.bot_process."
        "UnthrottledLimiter`): the production limiter deliberately holds replies to ~30/s "
        "overall and ~1/s per private chat, so with it the benchmark would measure Telegram's "
        "limits, not the bot. `burst=None`, the harness's setting, removes only the per-chat "
        "pace; the overall 30/s of PTB's `AIORateLimiter` is switched off too. Every request "
        "still passes through the limiter's code.",
        f"- Workloads: **questions** = the knowledge base's example questions and the off-topic "
        f"set, shuffled ({mix['pool']} texts, {mix['offtopic']} off-topic), "
        f"{c.questions_per_user} per user; **guided checks** = a whole check per user, "
        f"{wb.check_steps} updates: `/check`, 8 button presses and 3 typed answers (date, "
        "amounts) to the verdict. The echo bot gets the same number and kinds of updates.",
        "- Latency = injection into the emulator → arrival of the bot's reply request at the "
        "emulator (`Emulator.injected_at`, `Call.received_at`): the first `sendMessage` for a "
        "text, the `editMessageText` with the new screen for a press. Each virtual user waits "
        "for all its replies before its next update (the next button exists only then); "
        f"runs at {', '.join(map(str, c.levels))} users at once. With 1 user nothing queues "
        "(the headline latency); with more, the bot's core is saturated and latency is mostly "
        "queueing (Little's law). *Sustained* = the best completion rate over those levels.",
        "- CPU: `getrusage` of the bot process (all threads) and of this process (emulator "
        "and driver) around each run; *core busy* near 100% means the bot's core was the "
        "bottleneck.",
    ]


def comparison(wb: WholeBot) -> list[str]:
    """Latency without queueing, sustained rate, and our overhead per update."""
    rows = []
    notes = []
    for workload in WORKLOADS:
        kinds = LATENCY_KINDS[workload]
        what = "button press" if workload == "checks" else "question"
        for app in ("ours", "echo"):
            one, best = light(wb, app, workload), peak(wb.runs, app, workload)
            lat = one.latency(kinds)
            rows.append(
                [
                    f"{WORKLOAD_NAMES[workload]}: {what}",
                    f"**{app}**" if app == "ours" else app,
                    f"{_ms(lat.p50_us)} / {_ms(lat.p99_us)}",
                    f"{_rate(best.per_s)} (at {best.concurrency} users)",
                    f"{1000 / best.per_s:.2f} ms",
                    f"{best.bot_cpu_ms:.2f} ms",
                ]
            )
        notes.append(overhead_line(wb, workload))
    table = _table(
        [
            "workload: latency of",
            "bot",
            "p50 / p99, one user",
            "sustained updates/s on one core",
            "core time per update",
            "bot CPU per update",
        ],
        rows,
    )
    return [*table, "", *notes]


def overhead_line(wb: WholeBot, workload: str) -> str:
    """Ours minus echo: added latency and core time per update, and what that allows."""
    kinds = LATENCY_KINDS[workload]
    o, e = light(wb, "ours", workload).latency(kinds), light(wb, "echo", workload).latency(kinds)
    po, pe = peak(wb.runs, "ours", workload), peak(wb.runs, "echo", workload)
    extra_ms = 1000 / po.per_s - 1000 / pe.per_s
    own = own_per_s(po, pe)
    verdict = "≥" if own >= TARGET_PER_S else "<"
    return (
        f"- {WORKLOAD_NAMES[workload]}: ours adds {(o.p50_us - e.p50_us) / 1000:+.1f} ms to the "
        f"p50 latency ({o.p50_us / e.p50_us:.2f}x echo) and {extra_ms:+.2f} ms of core time per "
        f"update ({pe.per_s / po.per_s:.2f}x echo's); our own handling alone would allow "
        f"**{_rate(own)}** on one core ({verdict} {TARGET_PER_S:.0f}/s), the whole bot "
        f"sustains **{_rate(po.per_s)}**."
    )


def runs_table(wb: WholeBot) -> list[str]:
    """Every measured run."""
    rows = []
    for r in wb.runs:
        first = r.latency()
        rows.append(
            [
                WORKLOAD_NAMES[r.workload],
                str(r.concurrency),
                r.app,
                f"{r.updates:,}",
                _rate(r.per_s),
                f"{_ms(first.p50_us)} / {_ms(first.p99_us)}",
                f"{r.bot_cpu_ms:.2f} ms ({r.thread_cpu_ms:.2f})",
                f"{r.bot_busy:.0%}",
                f"{r.driver_busy:.0%}",
            ]
        )
    out = _table(
        [
            "workload",
            "users at once",
            "bot",
            "updates",
            "updates/s",
            "p50 / p99 (all updates)",
            "bot CPU per update (other threads)",
            "bot core busy",
            "emulator core busy",
        ],
        rows,
    )
    stray = sum(r.stray_replies for r in wb.runs)
    multi = [r for r in wb.runs if r.app == "ours" and r.workload == "questions"]
    two = sum(1 for r in multi for s in r.samples if s.last_s > s.first_s)
    total = sum(r.updates for r in multi)
    return [
        *out,
        "",
        f"Other threads = the bot's threads besides the event loop (aiosqlite's SQLite worker). "
        f"Replies not matched to a waiting update: {stray}. Of our {total:,} answered questions, "
        f"{two:,} were answered with two messages (the off-platform warning first); their "
        "latency is to the first.",
    ]


def memory(wb: WholeBot) -> list[str]:
    """Resident memory of our bot: fresh, after many users, after the load runs."""
    m = wb.memory
    ready = [s.rss_kib for s in wb.startups["ours"]]
    rows = [
        ["ours, polling (fresh process, median of start-ups)", _mib(statistics.median(ready))],
        [f"ours, after {m.users:,} distinct users ({m.updates:,} updates)", _mib(m.after_kib)],
        ["ours, peak (VmHWM) in that process", _mib(m.peak_kib)],
        ["ours, after all the load runs above", _mib(wb.after_runs_kib["ours"])],
        ["echo, after the same load runs", _mib(wb.after_runs_kib["echo"])],
    ]
    return [
        *_table(["bot process", "RSS"], rows),
        "",
        f"The {m.users:,} users went through HTTP like every other update ({m.per_s:,.0f} "
        f"updates/s at {wb.config.memory_concurrency} users at once, {m.wall_s:.0f} s): each "
        f"asked one distinct question (shuffled words, typos, order numbers), and {m.checks:,} "
        f"of them then opened a check that stays open in the database (on disk "
        f"{m.db_bytes / 2**20:.1f} MiB, database and WAL). Growth: "
        f"{(m.after_kib - m.ready_kib) / 1024:+.1f} MiB, "
        f"{(m.after_kib - m.ready_kib) * 1024 / max(1, m.users):,.0f} bytes per user "
        "(what the process keeps per user, plus SQLite's page cache and memory the allocator "
        "keeps after the peak).",
        "",
        "Live objects that grew most in number (after a garbage collection, from the bot "
        "itself): "
        + (", ".join(f"`{name}` {n:+,}" for name, n in m.object_growth) or "none")
        + "."
        + flood_note(m.object_growth),
    ]


def flood_note(growth: list[tuple[str, int]]) -> str:
    """What a growing `_Window` count means, when it is there."""
    if not any(name == "_Window" for name, _ in growth):
        return ""
    limit = inspect.signature(FloodGate).parameters["max_chats"].default
    return (
        " `_Window` and its `deque` are the flood gate's per-chat windows "
        "(`bot/telegram/flood.py`): one per chat that has written, kept until "
        f"{limit:,} chats are known and then pruned of quiet ones, so this part stops growing "
        f"there; the matcher's memo caches and SQLite's page cache are bounded too."
    )


def _median_stages(startups: Sequence[Startup]) -> dict[str, float]:
    names = list(startups[0].stages_ms)
    return {n: statistics.median(s.stages_ms[n] for s in startups) for n in names}


def startup(wb: WholeBot) -> list[str]:
    """Spawn to polling, median over the fresh processes, with the stages of ours."""
    rows = []
    for app in ("ours", "echo"):
        got = wb.startups[app]
        times = [s.spawn_to_ready_ms for s in got]
        rows.append(
            [
                app,
                f"{statistics.median(times):,.0f} ms",
                f"{min(times):,.0f} – {max(times):,.0f} ms",
                str(len(got)),
            ]
        )
    stages = _median_stages(wb.startups["ours"])
    prev = 0.0
    parts = []
    for name, at in stages.items():
        parts.append(f"{name} +{at - prev:,.0f}")
        prev = at
    return [
        *_table(["bot", "spawn → polling (median)", "range", "processes"], rows),
        "",
        "Ours, milliseconds since the process started its Python code (medians): "
        + ", ".join(parts)
        + ". `initialized` is `Application.initialize` (getMe against the emulator), `command "
        "menus registered` is `startup` (three setMyCommands), `polling` the Updater and "
        "Application started; the interpreter's own start (~20 ms) precedes them.",
    ]


def profiles(wb: WholeBot) -> list[str]:
    """Where the bots' event-loop time goes (only when profiles were taken)."""
    if not wb.profiles:
        return []
    reason = (
        "taken in every run of this size"
        if wb.config.profile == "always"
        else f"taken because a sustained rate missed {TARGET_PER_S:.0f}/s"
    )
    out = [
        "",
        "### Profile under load",
        "",
        f"cProfile of each bot's event-loop thread during a saturated run "
        f"({wb.config.profile_level} users at once; {reason}). cProfile roughly doubles the "
        "cost of Python code and does not see aiosqlite's thread, so read the milliseconds as "
        "relative. C functions (socket calls, regular expressions, `dict` and `str` methods) "
        "count for the package that called them; the loop's waits in epoll with nothing to do "
        "are shown apart (wall time, not work).",
    ]
    for workload in WORKLOADS:
        got = {p.app: p for p in wb.profiles if p.workload == workload}
        if "ours" in got:
            out += ["", *profile_block(got["ours"], got.get("echo"), wb.sniffio_missing)]
    return out


def _per_update(seconds: float, p: Profile | None) -> float:
    """Profiled seconds as milliseconds per update."""
    return seconds / p.updates * 1e3 if p is not None and p.updates else math.nan


def _cost_row(name: str, ours_ms: float, echo_ms: float) -> list[str]:
    return [name, f"{ours_ms:.3f}", f"{echo_ms:.3f}", f"{ours_ms - echo_ms:+.3f}"]


def profile_block(ours: Profile, echo: Profile | None, sniffio_missing: bool) -> list[str]:
    """Own time per update by package, ours next to echo, and our top functions."""
    mine = dict(ours.packages)
    theirs = dict(echo.packages) if echo is not None else {}
    names = [name for name, _ in ours.packages[:10]]
    rows = [
        _cost_row(
            name, _per_update(mine.get(name, 0.0), ours), _per_update(theirs.get(name, 0.0), echo)
        )
        for name in names
    ]
    all_echo = _per_update(echo.total_s, echo) if echo is not None else math.nan
    rows.append(_cost_row("**all work**", _per_update(ours.total_s, ours), all_echo))
    idle_echo = _per_update(echo.idle_s, echo) if echo is not None else math.nan
    rows.append(_cost_row("(waiting in epoll)", _per_update(ours.idle_s, ours), idle_echo))
    total = ours.total_s or math.nan
    functions = [
        [f"`{h.name}`", f"{h.own_s / total:.1%}", f"{h.calls / max(1, ours.updates):,.1f}"]
        for h in ours.functions
        if "select.epoll" not in h.name
    ][:10]
    lines = [
        f"**{WORKLOAD_NAMES[ours.workload]}**: own time per update under the profiler "
        f"(ms; ours {ours.updates:,} updates, echo {echo.updates if echo else 0:,}), by owner:",
        "",
        *_table(["owner", "ours", "echo", "ours − echo"], rows),
        "",
        "Our top functions by own time (share of all work; cProfile's cumulative times are "
        "left out, as they are unreliable across `await`):",
        "",
        *_table(["function", "own time", "calls per update"], functions),
    ]
    if ours.import_s > 0.02 * total:
        cause = (
            " `sniffio` is not installed, and httpcore imports it each time a connection-pool "
            "lock is set up, so each is a failed import that searches sys.path again; installing "
            "`sniffio` makes it a dictionary lookup."
            if sniffio_missing
            else ""
        )
        lines += [
            "",
            f"Imports executed while serving took {ours.import_s / total:.0%} of our profiled "
            f"time.{cause}",
        ]
    return lines
