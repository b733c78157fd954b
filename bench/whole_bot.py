"""The whole bot under load: updates through the real Application and real HTTP (issue 6).

Layout. The Bot API emulator (`tests/emulator`, aiohttp on 127.0.0.1) and the load driver run on
this process's event loop, pinned to one CPU; each bot runs in its own process
(`bench.bot_process`) pinned to the other CPU, so the figures are the bot's own core and the
emulator's work does not eat into it. Two bots run side by side, each against its own emulator:
ours (the real `build_application`, the real matcher, SQLite on disk in a temporary directory)
and an echo bot with the same Application plumbing. Workloads alternate between them so a burst
of other load on the machine hits both.

Latency of one update = from injecting it into the emulator (`Emulator.injected_at`) to the
arrival of the bot's reply request (`Call.received_at`): `sendMessage` for a text or command,
`editMessageText` for a button press (the new screen; the press's answerCallbackQuery comes
before it). Virtual users are closed loops (each waits for its reply before its next update, as
a person does; the next button exists only once the screen arrived); `concurrency` users run at
once. With one user there is no queueing (the pure cost of an update); with many, the bot's core
is saturated and the completion rate is its sustained throughput.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib.util
import json
import math
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bench.measure import Latency, percentile
from bot.answering import Advisor
from bot.kb.loader import KnowledgeBase
from bot.telegram.replies import input_problem, private_reply
from bot.telegram.sending import split_html
from tests.emulator import Call, Emulator, User

Json = dict[str, Any]
AppName = Literal["ours", "echo"]
Kind = Literal["question", "press", "typed"]
"""A free-text question; a button press; a typed answer or command inside a check."""

ROOT = Path(__file__).resolve().parent.parent
REPLY_METHODS = frozenset({"sendMessage", "editMessageText"})
STEP_TIMEOUT_S = 30.0
TARGET_PER_S = 300.0
"""Ten times Telegram's ~30 messages a second."""
OFFTOPIC_SHARE = 0.25
WORKLOADS = ("questions", "checks")


# -- configuration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BotConfig:
    """How much load to drive; `quick()` is the smoke-test size."""

    levels: tuple[int, ...] = (1, 2, 8, 32)
    """Concurrent users per run: 1 = no queueing (latency); more saturate the bot's core."""
    light_questions: int = 600
    light_checks: int = 50
    load_questions: int = 1200
    load_checks: int = 100
    questions_per_user: int = 6
    warmup_users: int = 16
    memory_users: int = 10_000
    memory_check_every: int = 4
    """Every n-th of the memory users also opens a check after its question."""
    memory_concurrency: int = 8
    startups: int = 3
    profile: Literal["auto", "always", "never"] = "auto"
    profile_level: int = 8
    profile_questions: int = 600
    profile_checks: int = 50
    seed: int = 6

    @classmethod
    def quick(cls) -> BotConfig:
        """A few seconds, every part exercised (numbers mean nothing)."""
        return cls(
            levels=(1, 4),
            light_questions=12,
            light_checks=2,
            load_questions=24,
            load_checks=3,
            questions_per_user=3,
            warmup_users=2,
            memory_users=20,
            memory_concurrency=4,
            startups=1,
            profile="always",
            profile_level=4,
            profile_questions=12,
            profile_checks=2,
        )


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One update: its kind, and seconds from injection to the first and the last reply."""

    kind: Kind
    first_s: float
    last_s: float


@dataclass
class LoadRun:
    """One workload on one bot at one concurrency."""

    app: AppName
    workload: str
    concurrency: int
    users: int
    samples: list[Sample]
    wall_s: float
    bot_cpu_s: float
    bot_main_cpu_s: float
    """CPU of the bot's event-loop thread; the rest is other threads (SQLite's worker)."""
    driver_cpu_s: float
    stray_replies: int = 0

    @property
    def updates(self) -> int:
        """Updates completed."""
        return len(self.samples)

    @property
    def per_s(self) -> float:
        """Completion rate: updates per second of wall time."""
        return self.updates / self.wall_s if self.wall_s else math.nan

    @property
    def bot_cpu_ms(self) -> float:
        """CPU time of the bot's process (all threads) per update, in milliseconds."""
        return self.bot_cpu_s / self.updates * 1e3 if self.updates else math.nan

    @property
    def thread_cpu_ms(self) -> float:
        """CPU time per update of the bot's threads other than the event loop (ms; the main
        thread's share comes from /proc in clock ticks, so short runs are rough)."""
        other = max(0.0, self.bot_cpu_s - self.bot_main_cpu_s)
        return other / self.updates * 1e3 if self.updates else math.nan

    @property
    def bot_busy(self) -> float:
        """Share of the wall time the bot's process was on its CPU (1.0 = core saturated)."""
        return self.bot_cpu_s / self.wall_s if self.wall_s else math.nan

    @property
    def driver_busy(self) -> float:
        """The same for the emulator and driver's process."""
        return self.driver_cpu_s / self.wall_s if self.wall_s else math.nan

    def latency(self, kinds: Sequence[Kind] = (), *, last: bool = False) -> Latency:
        """p50/p99/mean in microseconds over the samples of `kinds` (all when empty)."""
        values = [
            (s.last_s if last else s.first_s) * 1e6
            for s in self.samples
            if not kinds or s.kind in kinds
        ]
        if not values:
            return Latency(math.nan, math.nan, math.nan, 0)
        return Latency(
            percentile(values, 50), percentile(values, 99), sum(values) / len(values), len(values)
        )

    def count(self, kind: Kind) -> int:
        """How many samples are of `kind`."""
        return sum(1 for s in self.samples if s.kind == kind)


@dataclass(frozen=True)
class Startup:
    """One bot process from spawn to polling, and its memory then."""

    spawn_to_ready_ms: float
    stages_ms: dict[str, float]
    rss_kib: int


@dataclass(frozen=True)
class Hotspot:
    """One row of a profile: where own time went."""

    name: str
    own_s: float
    cumulative_s: float
    calls: int


@dataclass
class Profile:
    """cProfile of a bot's event-loop thread during a saturated run."""

    app: AppName
    workload: str
    updates: int
    total_s: float
    functions: list[Hotspot]
    packages: list[tuple[str, float]]
    import_s: float = 0.0
    """Time inside `import` statements executed while serving (failed imports search sys.path
    again every time)."""
    idle_s: float = 0.0
    """Wall time the loop waited in epoll with nothing to do (not in `total_s`)."""


@dataclass
class Memory:
    """Resident memory of a fresh bot process before and after many distinct users."""

    users: int
    updates: int
    checks: int
    ready_kib: int
    after_kib: int
    peak_kib: int
    db_bytes: int
    wall_s: float
    per_s: float
    object_growth: list[tuple[str, int]] = field(default_factory=list)
    """Types of live objects whose count grew most during the run, and by how much."""


@dataclass
class WholeBot:
    """Everything the whole-bot benchmark measured."""

    config: BotConfig
    cpus: dict[str, str]
    runs: list[LoadRun]
    startups: dict[AppName, list[Startup]]
    memory: Memory
    after_runs_kib: dict[AppName, int]
    question_mix: dict[str, int]
    check_steps: int
    profiles: list[Profile] = field(default_factory=list)
    sniffio_missing: bool = False
    """httpcore imports `sniffio` on every connection-pool lock; without it, each is a failed
    import that searches sys.path."""

    def run(self, app: AppName, workload: str, concurrency: int) -> LoadRun:
        """The run of `app` on `workload` at `concurrency` users."""
        return next(
            r
            for r in self.runs
            if (r.app, r.workload, r.concurrency) == (app, workload, concurrency)
        )


# -- workloads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One update a virtual user sends: a text (or command), or a press of a labelled button."""

    kind: Kind
    value: str
    replies: int = 1
    """Reply requests (messages or edits to the user's chat) the update is answered with."""


Script = list[Step]
"""One virtual user's updates, in order."""


def reply_count(advisor: Advisor, text: str) -> int:
    """How many messages our bot sends in answer to a free-text question (mirrors
    `private.on_text` outside a check: a refusal, or the answer with any warning, split)."""
    if input_problem(text, in_check=False) is not None:
        return 1
    _, out = private_reply(advisor, text)
    return sum(len(split_html(o.text)) for o in out)


def question_mix(kb: KnowledgeBase, offtopic: Sequence[str], seed: int) -> list[str]:
    """The knowledge base's example questions and off-topic ones (repeated up to about
    `OFFTOPIC_SHARE` of the mix), shuffled."""
    examples = [q for t in kb.topics.values() for q in t.questions]
    want = round(len(examples) * OFFTOPIC_SHARE / (1 - OFFTOPIC_SHARE))
    extra = [offtopic[i % len(offtopic)] for i in range(want)] if offtopic else []
    mixed = examples + extra
    random.Random(seed).shuffle(mixed)
    return mixed


def question_scripts(
    pool: Sequence[str], n: int, per_user: int, advisor: Advisor | None, start: int = 0
) -> list[Script]:
    """`n` questions from `pool` (cycling from `start`), `per_user` to a user, each with the
    number of messages that answer it (1 for the echo bot, `advisor` None)."""
    scripts: list[Script] = []
    for i in range(n):
        text = pool[(start + i) % len(pool)]
        replies = reply_count(advisor, text) if advisor is not None else 1
        if i % per_user == 0:
            scripts.append([])
        scripts[-1].append(Step("question", text, replies))
    return scripts


def check_script(today: dt.date) -> Script:
    """A whole guided check: late shipment, typed date and amounts, two pieces of evidence,
    the review and the verdict (presses answered with an edit, texts with a message)."""
    delivery = (today - dt.timedelta(days=20)).isoformat()
    presses = ("Through the Alibaba order", "Yes", "Shipped late", "No")
    typed = (delivery, "$3,000", "50000")
    evidence = ("The order contract", "Tracking details", "Done", "See the result")
    return [
        Step("typed", "/check"),
        *(Step("press", label) for label in presses),
        *(Step("typed", text) for text in typed),
        *(Step("press", label) for label in evidence),
    ]


def check_scripts(n: int, today: dt.date) -> list[Script]:
    """`n` users, each doing one whole check."""
    return [check_script(today) for _ in range(n)]


def memory_scripts(questions: Sequence[str], advisor: Advisor, check_every: int) -> list[Script]:
    """One user per question: the question and, for every `check_every`-th user, `/check`
    afterwards (a check left open in the database)."""
    scripts = []
    for i, text in enumerate(questions):
        script = [Step("question", text, reply_count(advisor, text))]
        if check_every and i % check_every == 0:
            script.append(Step("typed", "/check"))
        scripts.append(script)
    return scripts


# -- the bot processes -------------------------------------------------------------------------


class BotProcess:
    """A `bench.bot_process` child: started against an emulator, driven by JSON lines."""

    def __init__(self, app: AppName, emu: Emulator, data_dir: Path, cpu: int | None) -> None:
        self.app = app
        self.emu = emu
        self.data_dir = data_dir
        self.cpu = cpu
        self.proc: asyncio.subprocess.Process | None = None
        self.startup: Startup | None = None

    async def start(self) -> BotProcess:
        """Spawn the bot and wait until it polls."""
        cmd = [sys.executable, "-m", "bench.bot_process", "--app", self.app]
        cmd += ["--base-url", self.emu.base_url, "--base-file-url", self.emu.base_file_url]
        cmd += ["--token", self.emu.token, "--data-dir", str(self.data_dir)]
        if self.cpu is not None:
            cmd += ["--cpu", str(self.cpu)]
        t0 = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(
            *cmd,
            cwd=ROOT,
            env=_child_env(),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        ready = await self._read()
        spawn_ms = (time.perf_counter() - t0) * 1e3
        self.startup = Startup(spawn_ms, ready["stages_ms"], ready["rss_kib"])
        return self

    async def _read(self) -> Json:
        assert self.proc is not None and self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), 60)
        if not line:
            raise RuntimeError(f"the {self.app} bot process ended (exit {self.proc.returncode})")
        result: Json = json.loads(line)
        return result

    async def command(self, line: str) -> Json:
        """Send one command and return the bot's answer."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()
        return await self._read()

    async def stats(self) -> Json:
        """Resident memory, CPU seconds so far, database size."""
        return await self.command("stats")

    async def stop(self) -> None:
        """Ask the bot to stop; kill it if it does not."""
        if self.proc is None or self.proc.returncode is not None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.command("stop"), 15)
        try:
            await asyncio.wait_for(self.proc.wait(), 15)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


def _child_env() -> dict[str, str]:
    """This environment with the repository first on the module path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


@contextlib.asynccontextmanager
async def bot_on_emulator(
    app: AppName, cpu: int | None, tmp: Path
) -> AsyncIterator[tuple[Emulator, BotProcess]]:
    """A fresh emulator and a bot process polling it; both stopped at the end."""
    async with Emulator() as emu:
        bot = BotProcess(app, emu, Path(tempfile.mkdtemp(prefix=f"{app}-", dir=tmp)), cpu)
        try:
            yield emu, await bot.start()
        finally:
            await bot.stop()


# -- the driver --------------------------------------------------------------------------------


@dataclass
class _Wait:
    expected: int
    done: asyncio.Future[None]
    arrived: list[Call] = field(default_factory=list)


class Driver:
    """Virtual users on one emulator, each waiting for its replies before going on."""

    def __init__(self, emu: Emulator, *, echo: bool) -> None:
        self.emu = emu
        self.echo = echo
        self.stray = 0
        self._waiting: dict[int, _Wait] = {}
        emu.request_listeners.append(self._on_call)

    def _on_call(self, call: Call) -> None:
        """Count a reply towards the update its chat is waiting on."""
        if not call.ok or call.method not in REPLY_METHODS:
            return
        wait = self._waiting.get(call.params.get("chat_id"))  # type: ignore[arg-type]
        if wait is None or wait.done.done():
            self.stray += 1
            return
        wait.arrived.append(call)
        if len(wait.arrived) >= wait.expected:
            wait.done.set_result(None)

    def _button(self, screen: Json, label: str) -> str:
        """The callback data to press: the labelled button (ours) or the only one (echo)."""
        buttons = [(t, d) for t, d in Emulator.buttons(screen) if d is not None]
        if self.echo:
            return buttons[0][1]
        for text, data in buttons:
            if label.lower() in text.lower():
                return data
        raise RuntimeError(f"no button like {label!r} on {screen.get('text', '')[:80]!r}")

    def _inject(self, user: User, step: Step, screen: Json | None) -> int:
        if step.kind == "press":
            if screen is None:
                raise RuntimeError("a press before any screen")
            return self.emu.press_button(user, screen, self._button(screen, step.value))
        return self.emu.send_text(user, None, step.value)

    async def step(self, user: User, step: Step, screen: Json | None) -> tuple[Sample, Json]:
        """Send one update, wait for its replies; the timing and the last reply's message."""
        expected = 1 if self.echo else step.replies
        wait = _Wait(expected, asyncio.get_running_loop().create_future())
        self._waiting[user.id] = wait
        update_id = self._inject(user, step, screen)
        try:
            await asyncio.wait_for(wait.done, STEP_TIMEOUT_S)
        except TimeoutError:
            got = [c.method for c in wait.arrived]
            raise RuntimeError(
                f"no reply to a {step.kind} ({step.value[:40]!r}) within {STEP_TIMEOUT_S} s;"
                f" got {got} of {expected}"
            ) from None
        finally:
            del self._waiting[user.id]
        injected = self.emu.injected_at[update_id]
        first, last = wait.arrived[0], wait.arrived[-1]
        sample = Sample(step.kind, first.received_at - injected, last.received_at - injected)
        return sample, last.result

    async def user(self, script: Script, out: list[Sample]) -> None:
        """One virtual user going through its script."""
        user = self.emu.create_user(f"User{len(out)}")
        screen: Json | None = None
        for step in script:
            sample, screen = await self.step(user, step, screen)
            out.append(sample)

    async def run(self, scripts: Sequence[Script], concurrency: int) -> tuple[list[Sample], float]:
        """All scripts, `concurrency` users at a time; the samples and the wall time."""
        queue: asyncio.Queue[Script] = asyncio.Queue()
        for script in scripts:
            queue.put_nowait(script)
        samples: list[Sample] = []

        async def worker() -> None:
            while not queue.empty():
                await self.user(queue.get_nowait(), samples)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(min(concurrency, len(scripts)))))
        return samples, time.perf_counter() - t0


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def load_run(
    bot: BotProcess,
    driver: Driver,
    workload: str,
    scripts: Sequence[Script],
    concurrency: int,
) -> LoadRun:
    """One measured run: the scripts through the bot, with both processes' CPU time."""
    before, stray = await bot.stats(), driver.stray
    own0 = _own_cpu_s()
    samples, wall = await driver.run(scripts, concurrency)
    own = _own_cpu_s() - own0
    after = await bot.stats()
    return LoadRun(
        app=bot.app,
        workload=workload,
        concurrency=concurrency,
        users=len(scripts),
        samples=samples,
        wall_s=wall,
        bot_cpu_s=after["cpu_s"] - before["cpu_s"],
        bot_main_cpu_s=after["main_cpu_s"] - before["main_cpu_s"],
        driver_cpu_s=own,
        stray_replies=driver.stray - stray,
    )


# -- profiling ---------------------------------------------------------------------------------


HTTP_CLIENT = frozenset({"httpx", "httpcore", "anyio", "h11", "sniffio", "certifi", "idna"})
ASYNCIO_FILES = frozenset(
    "base_events events selector_events tasks futures streams locks queues timeouts "
    "transports runners coroutines".split()
)


def package_of(filename: str) -> str:
    """Who owns a profiled function: `ours: bot.matching`, `PTB (telegram)`, `HTTP client`,
    `asyncio`, `import machinery`, `C builtins`, `stdlib: re`..."""
    path = filename.replace(os.sep, "/")
    if path == "~":
        return "C builtins"
    if path.startswith("<frozen importlib"):
        return "import machinery"
    marker = "/site-packages/"
    if marker in path:
        top = path.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
        if top in HTTP_CLIENT:
            return "HTTP client (httpx, httpcore, anyio, h11)"
        return "PTB (telegram)" if top == "telegram" else top
    root = str(ROOT).replace(os.sep, "/") + "/"
    if path.startswith(root):
        parts = path[len(root) :].removesuffix(".py").split("/")
        return "ours: " + ".".join(parts[:2])
    stem = Path(path).stem
    if "/asyncio/" in path or stem in ASYNCIO_FILES:
        return "asyncio"
    return f"stdlib: {stem}"


IDLE = "waiting for I/O (epoll)"
"""The event loop blocked in `select`: no work at hand (wall time, not CPU)."""


def read_profile(path: Path, app: AppName, workload: str, updates: int, top: int = 15) -> Profile:
    """The top functions by own time, and the own time of every owner (C functions counted
    with the Python code that called them; the loop's wait in epoll apart, as idle)."""
    table: dict[Any, Any] = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    rows = []
    owners: dict[str, float] = {}
    for (filename, line, func), (_, calls, own, cumulative, callers) in table.items():
        rows.append(
            Hotspot(f"{func} ({_short(filename)}:{line})" if line else func, own, cumulative, calls)
        )
        for owner, share in owner_shares(filename, func, callers).items():
            owners[owner] = owners.get(owner, 0.0) + own * share
    rows.sort(key=lambda h: h.own_s, reverse=True)
    idle = owners.pop(IDLE, 0.0)
    busy = sum(owners.values())
    ranked = sorted(owners.items(), key=lambda kv: kv[1], reverse=True)
    imports = sum(
        cumulative
        for (_, _, func), (_, _, _, cumulative, _) in table.items()
        if func == "_find_and_load"
    )
    return Profile(app, workload, updates, busy, rows[:top], ranked, imports, idle)


def owner_shares(filename: str, func: str, callers: dict[Any, Any]) -> dict[str, float]:
    """Who a function's own time belongs to: its package, or for a C function the packages of
    its callers, in proportion to the time spent under each caller."""
    owner = package_of(filename)
    if "'poll' of 'select.epoll'" in func:
        return {IDLE: 1.0}
    if owner != "C builtins" or not callers:
        return {owner: 1.0}
    weights: dict[str, float] = {}
    for (caller_file, _, _), edge in callers.items():
        by = package_of(caller_file)
        weights[by] = weights.get(by, 0.0) + edge[2]
    total = sum(weights.values())
    if total <= 0:
        return {owner: 1.0}
    return {by: w / total for by, w in weights.items()}


def _short(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    for marker in ("/site-packages/", str(ROOT).replace(os.sep, "/") + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return Path(path).name


async def profiled(
    bot: BotProcess, driver: Driver, workload: str, scripts: Sequence[Script], cfg: BotConfig
) -> Profile:
    """A saturated run of a bot under cProfile (its event-loop thread)."""
    target = bot.data_dir / f"profile-{workload}.pstats"
    await bot.command("profile on")
    samples, _ = await driver.run(scripts, cfg.profile_level)
    await bot.command(f"profile off {target}")
    return read_profile(target, bot.app, workload, len(samples))


# -- orchestration -----------------------------------------------------------------------------


@dataclass
class Bench:
    """Shared inputs of the whole-bot measurement."""

    cfg: BotConfig
    advisor: Advisor
    pool: list[str]
    today: dt.date
    bot_cpu: int | None
    tmp: Path


def cpu_plan() -> tuple[int | None, int | None, dict[str, str]]:
    """(bot CPU, driver CPU, description): two different CPUs when there are two."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None, {"layout": "no CPU pinning on this platform"}
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return cpus[0], cpus[0], {"layout": f"only CPU {cpus[0]} usable: bot and emulator share it"}
    bot, driver = cpus[0], cpus[1]
    return (
        bot,
        driver,
        {
            "layout": f"bot processes pinned to CPU {bot}; emulator and load driver (this "
            f"process's event loop) pinned to CPU {driver}"
        },
    )


@contextlib.contextmanager
def pinned(cpu: int | None) -> Iterator[None]:
    """Run this thread on `cpu` for the block, then restore its affinity."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def workloads(b: Bench, echo: bool, level: int) -> dict[str, list[Script]]:
    """The question and check scripts for one bot at one level (expected replies depend on
    the bot); the question pool is entered at a different place for each level."""
    cfg, advisor = b.cfg, None if echo else b.advisor
    light = level == 1
    n_q = cfg.light_questions if light else cfg.load_questions
    n_c = cfg.light_checks if light else cfg.load_checks
    start = level * 97
    return {
        "questions": question_scripts(b.pool, n_q, cfg.questions_per_user, advisor, start),
        "checks": check_scripts(n_c, b.today),
    }


async def warm_up(b: Bench, pairs: dict[AppName, tuple[BotProcess, Driver]]) -> None:
    """A few users through every workload on each bot (connections, caches, first writes)."""
    for app, (_, driver) in pairs.items():
        advisor = None if app == "echo" else b.advisor
        n = b.cfg.warmup_users
        await driver.run(question_scripts(b.pool, n * 2, 2, advisor, start=len(b.pool) // 2), n)
        await driver.run(check_scripts(max(1, n // 4), b.today), n)


async def measure_runs(b: Bench) -> tuple[list[LoadRun], dict[AppName, int], list[Profile]]:
    """Every workload on both bots at every level, alternating between the bots; then
    profiles when asked for."""
    runs: list[LoadRun] = []
    after: dict[AppName, int] = {}
    profiles: list[Profile] = []
    async with (
        bot_on_emulator("echo", b.bot_cpu, b.tmp) as (echo_emu, echo_bot),
        bot_on_emulator("ours", b.bot_cpu, b.tmp) as (ours_emu, ours_bot),
    ):
        pairs: dict[AppName, tuple[BotProcess, Driver]] = {
            "echo": (echo_bot, Driver(echo_emu, echo=True)),
            "ours": (ours_bot, Driver(ours_emu, echo=False)),
        }
        await warm_up(b, pairs)
        for level in b.cfg.levels:
            plans = {app: workloads(b, app == "echo", level) for app in pairs}
            for workload in WORKLOADS:
                for app, (bot, driver) in pairs.items():
                    scripts = plans[app][workload]
                    runs.append(await load_run(bot, driver, workload, scripts, level))
        for app, (bot, _) in pairs.items():
            after[app] = (await bot.stats())["rss_kib"]
        if wants_profile(b.cfg, runs):
            profiles = await profile_both(b, pairs)
    return runs, after, profiles


def peak(runs: Sequence[LoadRun], app: AppName, workload: str) -> LoadRun:
    """The run with the highest completion rate of `app` on `workload` (the sustained rate)."""
    return max((r for r in runs if (r.app, r.workload) == (app, workload)), key=lambda r: r.per_s)


def own_per_s(ours: LoadRun, echo: LoadRun) -> float:
    """Updates per second our own handling alone would allow on the core: 1 / (core time per
    update of ours - that of echo), from the sustained completion rates."""
    extra = 1 / ours.per_s - 1 / echo.per_s
    return 1 / extra if extra > 0 else math.inf


def wants_profile(cfg: BotConfig, runs: Sequence[LoadRun]) -> bool:
    """Profile when asked to always, or (auto) when a sustained rate misses the target."""
    if cfg.profile != "auto":
        return cfg.profile == "always"
    for workload in WORKLOADS:
        ours, echo = peak(runs, "ours", workload), peak(runs, "echo", workload)
        if ours.per_s < TARGET_PER_S or own_per_s(ours, echo) < TARGET_PER_S:
            return True
    return False


async def profile_both(b: Bench, pairs: dict[AppName, tuple[BotProcess, Driver]]) -> list[Profile]:
    """Both bots under cProfile, each workload, so our extra cost can be placed."""
    out = []
    for workload in WORKLOADS:
        for app, (bot, driver) in pairs.items():
            advisor = None if app == "echo" else b.advisor
            if workload == "questions":
                n, per_user = b.cfg.profile_questions, b.cfg.questions_per_user
                scripts = question_scripts(b.pool, n, per_user, advisor, 13)
            else:
                scripts = check_scripts(b.cfg.profile_checks, b.today)
            out.append(await profiled(bot, driver, workload, scripts, b.cfg))
    return out


async def measure_startups(b: Bench) -> dict[AppName, list[Startup]]:
    """Fresh bot processes started and stopped again (spawn to polling)."""
    out: dict[AppName, list[Startup]] = {"ours": [], "echo": []}
    apps: tuple[AppName, ...] = ("echo", "ours")
    for _ in range(b.cfg.startups):
        for app in apps:
            async with bot_on_emulator(app, b.bot_cpu, b.tmp) as (_, bot):
                assert bot.startup is not None
                out[app].append(bot.startup)
    return out


async def measure_memory(b: Bench, questions: Sequence[str]) -> tuple[Memory, Startup]:
    """A fresh bot: memory when ready, then after a question (and every n-th user a `/check`)
    from each of many distinct users, through HTTP like everything else."""
    async with bot_on_emulator("ours", b.bot_cpu, b.tmp) as (emu, bot):
        assert bot.startup is not None
        ready = await bot.stats()
        before = (await bot.command("objects"))["objects"]
        scripts = memory_scripts(questions, b.advisor, b.cfg.memory_check_every)
        samples, wall = await Driver(emu, echo=False).run(scripts, b.cfg.memory_concurrency)
        after = await bot.stats()
        grown = growth((await bot.command("objects"))["objects"], before)
        memory = Memory(
            users=len(scripts),
            updates=len(samples),
            checks=sum(1 for s in samples if s.kind == "typed"),
            ready_kib=ready["rss_kib"],
            after_kib=after["rss_kib"],
            peak_kib=after["peak_kib"],
            db_bytes=after["db_bytes"],
            wall_s=wall,
            per_s=len(samples) / wall if wall else math.nan,
            object_growth=grown,
        )
        return memory, bot.startup


def growth(after: dict[str, int], before: dict[str, int], top: int = 6) -> list[tuple[str, int]]:
    """The types whose live-object count grew most."""
    grown = {name: n - before.get(name, 0) for name, n in after.items()}
    ranked = sorted(grown.items(), key=lambda kv: kv[1], reverse=True)
    return [(name, n) for name, n in ranked[:top] if n > 0]


async def _measure(b: Bench, memory_questions: Sequence[str]) -> WholeBot:
    runs, after, profiles = await measure_runs(b)
    startups = await measure_startups(b)
    memory, fresh = await measure_memory(b, memory_questions)
    startups["ours"].append(fresh)
    return WholeBot(
        config=b.cfg,
        cpus={},
        runs=runs,
        startups=startups,
        memory=memory,
        after_runs_kib=after,
        question_mix={},
        check_steps=len(check_script(b.today)),
        profiles=profiles,
    )


def measure(
    cfg: BotConfig,
    kb: KnowledgeBase,
    offtopic: Sequence[str],
    distinct: Callable[[int], list[str]],
) -> WholeBot:
    """The whole-bot benchmark: load runs on ours and echo, start-ups, memory, profile.

    `distinct(n)` gives `n` different user questions for the memory run.
    """
    bot_cpu, driver_cpu, cpus = cpu_plan()
    pool = question_mix(kb, offtopic, cfg.seed)
    with tempfile.TemporaryDirectory(prefix="ta-advisor-bench-") as tmp, pinned(driver_cpu):
        b = Bench(cfg, Advisor(kb), pool, dt.date.today(), bot_cpu, Path(tmp))
        result = asyncio.run(_measure(b, distinct(cfg.memory_users)))
    off = set(offtopic)
    result.cpus = cpus
    result.question_mix = {"pool": len(pool), "offtopic": sum(1 for q in pool if q in off)}
    result.sniffio_missing = importlib.util.find_spec("sniffio") is None
    return result
