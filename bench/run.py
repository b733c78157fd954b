"""Benchmarks of ta-advisor (issue 6): matching, growth, memory, start-up and the whole bot;
writes `bench/RESULTS.md`.

    .venv/bin/python bench/run.py [--questions ../shared/eval/questions.yaml] [--quick] [--out FILE]
                                  [--no-whole-bot]

Needs the bench and test extras (`.venv/bin/pip install -e '.[bench,test]'`: rank-bm25, and
aiohttp for the emulator in `tests/emulator`). Everything is measured in one run
on the same knowledge base: our matcher against two baselines (rapidfuzz extractOne and BM25) for
quality and latency, the latency again with the knowledge base grown 10x and 100x, resident
memory in a fresh process, start-up time, and the whole bot: updates through the real Telegram
Application and HTTP against the Bot API emulator, ours next to an echo bot (`whole_bot.py`).
`--quick` is a tiny smoke run (few repetitions, 2x growth only) whose numbers mean nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `bot` importable
    sys.path.insert(0, str(ROOT))

from bench.measure import Latency, machine, time_calls, time_first_calls, timed  # noqa: E402
from bench.methods import (  # noqa: E402
    SCORERS,
    WRONG_COST,
    Aggregate,
    BM25Baseline,
    FuzzBaseline,
    LooRow,
    Method,
    OurMatcher,
    Scorer,
    fit_cutoff,
    leave_one_out,
    loo_rows,
    loo_tally,
)
from bench.synth import distinct_questions, grow, grown_matcher  # noqa: E402
from bench.whole_bot import TARGET_PER_S, WORKLOADS, BotConfig, WholeBot, own_per_s, peak  # noqa: E402
from bot.commands.evaluate import load_questions  # noqa: E402
from bot.kb.loader import KnowledgeBase, load_knowledge  # noqa: E402
from bot.matching.evaluation import Labelled  # noqa: E402
from bot.matching.normalize import stem  # noqa: E402

K = TypeVar("K", bound=str)

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "questions.yaml"
DEFAULT_OFFTOPIC = ROOT / "bench" / "data" / "offtopic.yaml"
DEFAULT_OUT = ROOT / "bench" / "RESULTS.md"
ASK_QUESTION = "how much does trade assurance cost"


@dataclass(frozen=True)
class Config:
    """How much to measure; `quick_config()` is the smoke-test size."""

    questions: Path | None
    offtopic: Path = DEFAULT_OFFTOPIC
    quick: bool = False
    reps: int = 30
    builds: int = 3
    factors: tuple[int, ...] = (1, 10, 100)
    growth_pool: int = 40
    growth_budget_s: float = 12.0
    loo_limit: int | None = None
    memory_questions: int = 10_000
    startup_runs: int = 7
    seed: int = 6
    bot: BotConfig = field(default_factory=BotConfig)
    whole_bot: bool = True
    """False leaves the whole-bot benchmark out (`--no-whole-bot`)."""

    @classmethod
    def quick_config(cls, questions: Path | None, offtopic: Path = DEFAULT_OFFTOPIC) -> Config:
        """A run of a few seconds that exercises every part (numbers are not meaningful)."""
        return cls(
            questions=questions,
            offtopic=offtopic,
            quick=True,
            reps=2,
            builds=1,
            factors=(1, 2),
            growth_pool=8,
            growth_budget_s=0.5,
            loo_limit=10,
            memory_questions=200,
            startup_runs=2,
            bot=BotConfig.quick(),
        )


@dataclass(frozen=True)
class Score:
    """`right` of `n` items."""

    right: int
    n: int

    @property
    def rate(self) -> float:
        """The share right (NaN when there were no items)."""
        return self.right / self.n if self.n else math.nan


@dataclass
class MethodResult:
    """Quality and cost of one method on the real knowledge base."""

    name: str
    decision: str
    build_ms: float = math.nan
    dev_on: Score | None = None
    dev_off: Score | None = None
    offtopic: Score = Score(0, 0)
    loo: tuple[int, int, int] = (0, 0, 0)
    warm: Latency | None = None
    cold: Latency | None = None
    open_dev_on: Score | None = None
    """Baselines only: the same figures for the variant that never abstains (cutoff 0)."""
    open_dev_off: Score | None = None
    open_offtopic: Score | None = None
    open_loo: tuple[int, int, int] | None = None

    @property
    def best_dev_on(self) -> tuple[Score | None, str]:
        """The better dev top-1 of the fitted and the never-abstaining variant, and which."""
        if self.open_dev_on and self.dev_on and self.open_dev_on.rate > self.dev_on.rate:
            return self.open_dev_on, "never abstaining"
        return self.dev_on, "fitted cutoff"


@dataclass
class GrowthRow:
    """Build time and latency of every method at one size of the knowledge base."""

    factor: int
    topics: int
    examples: int
    build_ms: dict[str, float] = field(default_factory=dict)
    latency: dict[str, Latency] = field(default_factory=dict)
    ready_rss_mib: float | None = None


@dataclass
class Target:
    """One target of the issue: None = not measured in this run."""

    name: str
    passed: bool | None
    detail: str


@dataclass
class Results:
    """Everything one run measured."""

    config: Config
    machine: dict[str, str]
    kb_topics: int
    kb_examples: int
    pool_size: int
    loo_n: int
    methods: list[MethodResult]
    notes: list[str]
    growth: list[GrowthRow]
    memory: dict[str, Any]
    startup: dict[str, Any]
    whole_bot: WholeBot | None = None
    targets: list[Target] = field(default_factory=list)
    seconds: float = 0.0


# -- quality ---------------------------------------------------------------------------------


def score_items(method: Method, items: Sequence[Labelled]) -> tuple[Score, Score]:
    """(on-topic top-1, off-topic abstention) of a method on labelled questions."""
    on_right = on_n = off_right = off_n = 0
    for item in items:
        ok = item.accepts(method.answer(item.question))
        if item.expected is None:
            off_n += 1
            off_right += ok
        else:
            on_n += 1
            on_right += ok
    return Score(on_right, on_n), Score(off_right, off_n)


def our_loo(kb: KnowledgeBase, limit: int | None) -> tuple[int, int, int]:
    """(right, wrong, abstained) of our matcher, each example asked of an index without it."""
    right = wrong = 0
    n = 0
    for tid, question, sub in leave_one_out(kb, limit):
        got = OurMatcher(sub).answer(question)
        n += 1
        right += got == tid
        wrong += got is not None and got != tid
    return right, wrong, n - right - wrong


def utility(tally: tuple[int, int, int]) -> float:
    """right - WRONG_COST * wrong: what the cutoff fitting maximises."""
    return tally[0] - WRONG_COST * tally[1]


@dataclass
class Fitted:
    """What leave-one-out chose for the baselines, and their leave-one-out tallies."""

    fuzz_scorer: str
    fuzz_cutoff: float
    bm25_aggregate: Aggregate
    bm25_cutoff: float
    loo: dict[str, tuple[int, int, int]]
    loo_open: dict[str, tuple[int, int, int]]
    loo_n: int


def choose_variant(
    kb: KnowledgeBase, variants: dict[K, Callable[[KnowledgeBase], Scorer]], limit: int | None
) -> tuple[K, list[LooRow], dict[K, int]]:
    """The variant with the best leave-one-out top-1 when never abstaining (ties: the first),
    its rows, and every variant's count of right answers."""
    rows = {key: loo_rows(kb, build, limit) for key, build in variants.items()}
    right = {key: sum(r.right for r in rs) for key, rs in rows.items()}
    best = max(variants, key=lambda key: right[key])
    return best, rows[best], right


def describe_cutoff(name: str, cutoff: float, fmt: str) -> str:
    """`name ≥ cutoff`, or why the baseline never answers."""
    if math.isinf(cutoff):
        return f"always (no {name} cutoff makes answering pay)"
    return f"{name} < {cutoff:{fmt}}"


def fit_baselines(kb: KnowledgeBase, limit: int | None, notes: list[str]) -> Fitted:
    """Leave-one-out choices for both baselines: scorer or aggregate (by top-1), then cutoff."""
    scorer, fuzz_rows, fuzz_right = choose_variant(
        kb, {name: partial(FuzzBaseline, scorer=name) for name in SCORERS}, limit
    )
    aggregates: tuple[Aggregate, ...] = ("max", "sum")
    aggregate, bm25_rows, bm25_right = choose_variant(
        kb, {a: partial(BM25Baseline, aggregate=a) for a in aggregates}, limit
    )
    n = len(fuzz_rows)
    notes.append(
        "rapidfuzz scorer, by leave-one-out top-1 when never abstaining: "
        + ", ".join(f"{k} {v}/{n}" for k, v in fuzz_right.items())
        + f"; **{scorer}** kept."
    )
    notes.append(
        "BM25 topic score, the same way: "
        + ", ".join(f"{k} over examples {v}/{n}" for k, v in bm25_right.items())
        + f"; **{aggregate}** kept."
    )
    fuzz_cut, bm25_cut = fit_cutoff(fuzz_rows), fit_cutoff(bm25_rows)
    if math.isinf(fuzz_cut) or math.isinf(bm25_cut):
        notes.append(
            "A baseline whose fitted cutoff is infinite always abstains: no cutoff leaves it "
            f"answers more than {WRONG_COST / (1 + WRONG_COST):.0%} right, the precision at "
            f"which right − {WRONG_COST} × wrong turns positive. Its raw score does not tell "
            "when it is right; the *never abstains* row shows what its ranking alone achieves."
        )
    return Fitted(
        fuzz_scorer=scorer,
        fuzz_cutoff=fuzz_cut,
        bm25_aggregate=aggregate,
        bm25_cutoff=bm25_cut,
        loo={"fuzz": loo_tally(fuzz_rows, fuzz_cut), "bm25": loo_tally(bm25_rows, bm25_cut)},
        loo_open={"fuzz": loo_tally(fuzz_rows, -math.inf), "bm25": loo_tally(bm25_rows, -math.inf)},
        loo_n=n,
    )


# -- one run ---------------------------------------------------------------------------------


def latency_pool(
    dev: Sequence[Labelled], offtopic: Sequence[Labelled], kb: KnowledgeBase
) -> list[str]:
    """The questions every method is timed on: the dev set and the off-topic set (the knowledge
    base's own example questions stand in when there is no dev set)."""
    pool = [it.question for it in (*dev, *offtopic)]
    if not dev:
        pool += [q for t in kb.topics.values() for q in t.questions]
    return pool


def even_sample(items: Sequence[str], n: int) -> list[str]:
    """`n` items spread evenly over the sequence (all of them when there are fewer)."""
    if len(items) <= n:
        return list(items)
    step = len(items) / n
    return [items[int(k * step)] for k in range(n)]


def measure_methods(
    kb: KnowledgeBase,
    builders: dict[str, Callable[[KnowledgeBase], Method]],
    dev: list[Labelled],
    offtopic: list[Labelled],
    pool: list[str],
    config: Config,
    open_builders: dict[str, Callable[[KnowledgeBase], Method]],
) -> dict[str, MethodResult]:
    """Build time, cold and warm latency, and quality of each method on the real base (and the
    quality of the never-abstaining variants in `open_builders`)."""
    results: dict[str, MethodResult] = {}
    methods: dict[str, Method] = {}
    for key, build in builders.items():
        res = MethodResult(name=key, decision="")
        build_times = []
        method: Method | None = None
        for _ in range(config.builds):
            stem.cache_clear()  # as in a fresh process: the index fills the stem cache
            method, ms = timed(partial(build, kb))
            build_times.append(ms)
        assert method is not None
        res.build_ms = statistics.median(build_times)
        res.cold = time_first_calls(method.answer, pool)
        if dev:
            res.dev_on, res.dev_off = score_items(method, dev)
        _, res.offtopic = score_items(method, offtopic)
        methods[key] = method
        if key in open_builders:
            method = open_builders[key](kb)
            if dev:
                res.open_dev_on, res.open_dev_off = score_items(method, dev)
            _, res.open_offtopic = score_items(method, offtopic)
        results[key] = res
    warm = time_calls({k: m.answer for k, m in methods.items()}, pool, reps=config.reps)
    for key, latency in warm.items():
        results[key].warm = latency
    return results


def measure_growth(
    kb: KnowledgeBase,
    builders: dict[str, Callable[[KnowledgeBase], Method]],
    pool: list[str],
    config: Config,
) -> list[GrowthRow]:
    """Build time and latency at each growth factor, on the same questions."""
    rows = []
    questions = even_sample(pool, config.growth_pool)
    for factor in config.factors:
        grown = grow(kb, factor, config.seed)
        row = GrowthRow(
            factor, len(grown.topics), sum(len(t.questions) for t in grown.topics.values())
        )
        methods: dict[str, Method] = {}
        for key, build in builders.items():
            if key == OurMatcher.name:  # synthetic texts get stand-in encoder vectors
                build = lambda kb: OurMatcher(kb, grown_matcher(kb))  # noqa: E731
            methods[key], row.build_ms[key] = timed(partial(build, grown))
        row.latency = time_calls(
            {k: m.answer for k, m in methods.items()},
            questions,
            reps=config.reps,
            budget_s=config.growth_budget_s,
            min_reps=2,
        )
        del methods
        probe = run_probe("memory", "--factor", str(factor), "--seed", str(config.seed))
        row.ready_rss_mib = probe["stages_kib"]["index built (ready)"] / 1024
        rows.append(row)
    return rows


# -- fresh processes -------------------------------------------------------------------------


def run_probe(*args: str) -> dict[str, Any]:
    """Run `bench.probe` in a fresh interpreter and return its JSON."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def child_env() -> dict[str, str]:
    """This environment with the repository first on the module path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def wall_ms(cmd: list[str], runs: int) -> list[float]:
    """Wall time of a command, `runs` times (output discarded); raises if it fails."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        subprocess.run(cmd, cwd=ROOT, env=child_env(), check=True, capture_output=True)
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return times


READY_CODE = """
import json, time
t0 = time.perf_counter()
from bot.answering import Advisor
from bot.kb.loader import load_knowledge
t1 = time.perf_counter()
kb = load_knowledge()
t2 = time.perf_counter()
Advisor(kb)
t3 = time.perf_counter()
print(json.dumps({"import": (t1 - t0) * 1e3, "load": (t2 - t1) * 1e3, "build": (t3 - t2) * 1e3}))
"""


def ask_command() -> list[str]:
    """The installed `ta-advisor` next to this interpreter, else `python -m bot`."""
    script = Path(sys.executable).parent / "ta-advisor"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    return [*base, "ask", ASK_QUESTION]


def measure_startup(runs: int) -> dict[str, Any]:
    """Median wall times of fresh processes: bare interpreter, ready to answer, one-shot ask."""
    bare = wall_ms([sys.executable, "-c", "pass"], runs)
    ready = []
    stages: dict[str, list[float]] = {"import": [], "load": [], "build": []}
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        out = subprocess.run(
            [sys.executable, "-c", READY_CODE],
            cwd=ROOT,
            env=child_env(),
            check=True,
            capture_output=True,
            text=True,
        )
        ready.append((time.perf_counter_ns() - t0) / 1e6)
        for key, value in json.loads(out.stdout).items():
            stages[key].append(value)
    cmd = ask_command()
    ask = wall_ms(cmd, runs)
    return {
        "runs": runs,
        "bare_ms": statistics.median(bare),
        "ready_ms": statistics.median(ready),
        "ready_range": (min(ready), max(ready)),
        "stages_ms": {k: statistics.median(v) for k, v in stages.items()},
        "ask_ms": statistics.median(ask),
        "ask_range": (min(ask), max(ask)),
        "ask_cmd": f"{'ta-advisor' if cmd[0].endswith('ta-advisor') else 'python -m bot'}"
        f' ask "{ASK_QUESTION}"',
    }


def measure_memory_here(kb: KnowledgeBase, config: Config) -> dict[str, int]:
    """RSS (KiB) of this process before and after building our matcher and answering many
    distinct questions; run first, before other indexes have come and gone."""
    from bench.measure import rss_kib
    from bench.synth import distinct_questions

    stages = {"benchmark imported": rss_kib()[0]}
    advisor = OurMatcher(kb)
    stages["index built (ready)"] = rss_kib()[0]
    seeds = [q for t in kb.topics.values() for q in (t.title, *t.questions)]
    texts = distinct_questions(seeds, config.memory_questions, config.seed + 1)
    stages["questions generated"] = rss_kib()[0]
    for text in texts:
        advisor.answer(text)
    stages["answered"] = rss_kib()[0]
    return stages


def measure_memory(here: dict[str, int], config: Config) -> dict[str, Any]:
    """RSS stages in a fresh process, next to those measured in this process."""
    fresh = run_probe(
        "memory", "--questions", str(config.memory_questions), "--seed", str(config.seed)
    )
    return {"fresh": fresh, "here_kib": here, "questions": config.memory_questions}


# -- the whole bot ---------------------------------------------------------------------------


def measure_whole_bot(config: Config, kb: KnowledgeBase, offtopic: Sequence[Labelled]) -> WholeBot:
    """Updates through the real Application and HTTP, ours and echo (see `bench.whole_bot`)."""
    from bench.whole_bot import measure

    seeds = [q for t in kb.topics.values() for q in (t.title, *t.questions)]
    return measure(
        config.bot,
        kb,
        [it.question for it in offtopic],
        lambda n: distinct_questions(seeds, n, config.seed + 2),
    )


# -- targets ---------------------------------------------------------------------------------


def growth_exponent(rows: list[GrowthRow], key: str, value: Callable[[GrowthRow], float]) -> float:
    """Slope of log(cost) against log(size) from the smallest to the largest knowledge base
    (1.0 = linear, below 1 = sub-linear)."""
    first, last = rows[0], rows[-1]
    size = last.examples / first.examples
    return math.log(value(last) / value(first)) / math.log(size) if size > 1 else math.nan


def targets(res: Results) -> list[Target]:
    """The issue's targets as PASS/FAIL lines (None: not measured in this run)."""
    ours = res.methods[0]
    baselines = res.methods[1:]
    out = []
    if ours.dev_on is not None:
        best = max(baselines, key=lambda m: m.best_dev_on[0].rate if m.best_dev_on[0] else 0.0)
        score, variant = best.best_dev_on
        assert score is not None
        gap = (ours.dev_on.rate - score.rate) * 100
        out.append(
            Target(
                "dev-set top-1 at least 15 points above the better baseline",
                gap >= 15,
                f"{ours.dev_on.rate:.1%} vs {best.name} ({variant}) {score.rate:.1%}:"
                f" {gap:+.1f} points",
            )
        )
    else:
        out.append(
            Target("dev-set top-1 at least 15 points above the better baseline", None, "no dev set")
        )
    assert ours.warm is not None
    out.append(
        Target(
            "p99 latency under 1 ms per question",
            ours.warm.p99_us < 1000,
            f"p99 {ours.warm.p99_us:.0f} µs",
        )
    )
    big = [r for r in res.growth if r.factor >= 100]
    if big:
        p99 = big[-1].latency[ours.name].p99_us
        out.append(
            Target("p99 under 20 ms at 100x", p99 < 20_000, f"p99 {p99 / 1000:.1f} ms at 100x")
        )
    else:
        out.append(Target("p99 under 20 ms at 100x", None, "100x not run (--quick)"))
    if len(res.growth) > 1:
        k = growth_exponent(res.growth, ours.name, lambda r: r.latency[ours.name].p50_us)
        out.append(
            Target(
                "near-linear or better growth of per-question cost",
                k <= 1.1,
                f"p50 grows as size^{k:.2f} from {res.growth[0].factor}x"
                f" to {res.growth[-1].factor}x (pass at ≤ 1.1)",
            )
        )
    if res.whole_bot is not None:
        out += bot_targets(res.whole_bot)
    return out


def bot_targets(wb: WholeBot) -> list[Target]:
    """Headroom on one core: our own handling (the issue's figure) and the whole bot."""
    own, whole = [], []
    for workload in WORKLOADS:
        ours, echo = peak(wb.runs, "ours", workload), peak(wb.runs, "echo", workload)
        own.append((workload, own_per_s(ours, echo)))
        whole.append((workload, ours.per_s))
    return [
        Target(
            f"our own handling ≥ {TARGET_PER_S:.0f} updates/s on one core (10x Telegram's ~30/s)",
            all(rate >= TARGET_PER_S for _, rate in own),
            ", ".join(f"{w} {rate:,.0f}/s" for w, rate in own)
            + " (1 / (core time per update of ours − of echo))",
        ),
        Target(
            f"whole bot incl. PTB and HTTP ≥ {TARGET_PER_S:.0f} updates/s on one core",
            all(rate >= TARGET_PER_S for _, rate in whole),
            ", ".join(f"{w} {rate:,.0f}/s" for w, rate in whole) + " sustained",
        ),
    ]


# -- the run ---------------------------------------------------------------------------------


def run(config: Config) -> Results:
    """Measure everything the config asks for."""
    started = time.perf_counter()
    facts = machine()
    kb = load_knowledge()
    dev = load_questions(config.questions) if config.questions else []
    offtopic = load_questions(config.offtopic)
    notes: list[str] = []
    here = measure_memory_here(kb, config)

    fit = fit_baselines(kb, config.loo_limit, notes)
    builders: dict[str, Callable[[KnowledgeBase], Method]] = {
        OurMatcher.name: OurMatcher,
        FuzzBaseline.name: partial(FuzzBaseline, cutoff=fit.fuzz_cutoff, scorer=fit.fuzz_scorer),
        BM25Baseline.name: partial(
            BM25Baseline, cutoff=fit.bm25_cutoff, aggregate=fit.bm25_aggregate
        ),
    }
    open_builders: dict[str, Callable[[KnowledgeBase], Method]] = {
        FuzzBaseline.name: partial(FuzzBaseline, scorer=fit.fuzz_scorer),
        BM25Baseline.name: partial(BM25Baseline, aggregate=fit.bm25_aggregate),
    }
    pool = latency_pool(dev, offtopic, kb)
    measured = measure_methods(kb, builders, dev, offtopic, pool, config, open_builders)
    ours, fuzzy, bm25 = (measured[m.name] for m in (OurMatcher, FuzzBaseline, BM25Baseline))
    ours.loo = our_loo(kb, config.loo_limit)
    ours.decision = "its own decision: no confident answer (bench/tune_matcher.py fits it)"
    fuzzy.loo, fuzzy.open_loo = fit.loo["fuzz"], fit.loo_open["fuzz"]
    fuzzy.decision = f"{fit.fuzz_scorer}: " + describe_cutoff("score", fit.fuzz_cutoff, ".1f")
    bm25.loo, bm25.open_loo = fit.loo["bm25"], fit.loo_open["bm25"]
    bm25.decision = f"{fit.bm25_aggregate} over examples: " + describe_cutoff(
        "score", fit.bm25_cutoff, ".2f"
    )
    loo_n = fit.loo_n

    growth = measure_growth(kb, builders, pool, config)
    memory = measure_memory(here, config)
    startup = measure_startup(config.startup_runs)
    whole_bot = measure_whole_bot(config, kb, offtopic) if config.whole_bot else None
    res = Results(
        config=config,
        machine=facts,
        kb_topics=len(kb.topics),
        kb_examples=sum(len(t.questions) for t in kb.topics.values()),
        pool_size=len(pool),
        loo_n=loo_n,
        methods=list(measured.values()),
        notes=notes,
        growth=growth,
        memory=memory,
        startup=startup,
        whole_bot=whole_bot,
    )
    res.targets = targets(res)
    res.seconds = time.perf_counter() - started
    return res


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--questions",
        type=Path,
        default=DEFAULT_QUESTIONS if DEFAULT_QUESTIONS.exists() else None,
        help="labelled question set (default: ../shared/eval/questions.yaml when it exists)",
    )
    parser.add_argument("--offtopic", type=Path, default=DEFAULT_OFFTOPIC, help="off-topic set")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run; numbers mean nothing")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown report")
    parser.add_argument(
        "--no-whole-bot", action="store_true", help="leave out the whole-bot benchmark"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run, write the report, print the summary."""
    from bench.report import render, summary

    args = parse_args(argv)
    if args.quick:
        config = Config.quick_config(args.questions, args.offtopic)
    else:
        config = Config(questions=args.questions, offtopic=args.offtopic)
    if args.no_whole_bot:
        config = replace(config, whole_bot=False)
    res = run(config)
    args.out.write_text(render(res), encoding="utf-8")
    print(summary(res))
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
