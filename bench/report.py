"""The Markdown report (`bench/RESULTS.md`) and the console summary of one benchmark run."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.methods import WRONG_COST

if TYPE_CHECKING:
    from bench.measure import Latency
    from bench.run import GrowthRow, Results, Score

LOAD_KEY = "load average at start (1, 5, 15 min)"

SECTIONS = (
    "## Summary",
    "## Machine",
    "## Method",
    "## Matching quality",
    "## Matching latency and build time",
    "## Growth",
    "## Memory",
    "## Start-up",
    "## Whole bot",
    "## Caveats",
)
"""The headings every report has, in order (the smoke test checks them)."""


def pct(score: Score | None) -> str:
    """`81.2% (56/69)`, or a dash when not measured."""
    if score is None or not score.n:
        return "–"
    return f"{score.rate:.1%} ({score.right}/{score.n})"


def us(value: float) -> str:
    """Microseconds, readable at any scale."""
    if math.isnan(value):
        return "–"
    if value < 10:
        return f"{value:.1f} µs"
    return f"{value:,.0f} µs" if value < 10_000 else f"{value / 1000:,.1f} ms"


def ms(value: float) -> str:
    """Milliseconds with sensible precision."""
    return f"{value:,.1f} ms" if value < 1000 else f"{value / 1000:,.2f} s"


def ratio(a: float, b: float) -> str:
    """a / b as `0.42x`."""
    return f"{a / b:.2f}x" if b and not math.isnan(a) and not math.isnan(b) else "–"


def mib(kib: float) -> str:
    """KiB as MiB."""
    return f"{kib / 1024:.1f} MiB"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _load_now() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def target_lines(res: Results) -> list[str]:
    """`PASS`/`FAIL`/`n/a` lines, one per target of the issue."""
    word = {True: "PASS", False: "FAIL", None: "n/a "}
    return [f"{word[t.passed]}  {t.name}: {t.detail}" for t in res.targets]


def headline(res: Results) -> list[str]:
    """The figures a reader wants first."""
    ours = res.methods[0]
    lines = []
    for m in res.methods:
        assert m.warm is not None
        never = (
            f" (never abstaining: {pct(m.open_dev_on)}, leave-one-out {m.open_loo[0]}/"
            f"{sum(m.open_loo)})"
            if m.open_loo is not None
            else ""
        )
        lines.append(
            f"{m.name}: dev top-1 {pct(m.dev_on)}, off-topic set abstained "
            f"{pct(m.offtopic)}, leave-one-out right {m.loo[0]}/{sum(m.loo)}{never}, "
            f"p50 {us(m.warm.p50_us)} p99 {us(m.warm.p99_us)}, build {ms(m.build_ms)}"
        )
    if res.growth:
        last = res.growth[-1]
        lat = last.latency[ours.name]
        lines.append(
            f"growth ({last.factor}x, {last.topics} topics): {ours.name} p50 {us(lat.p50_us)} "
            f"p99 {us(lat.p99_us)}, build {ms(last.build_ms[ours.name])}"
        )
    fresh = res.memory["fresh"]["stages_kib"]
    lines.append(
        f"memory (fresh process): ready {mib(fresh['index built (ready)'])}, after "
        f"{res.memory['questions']:,} distinct questions {mib(fresh.get('answered', math.nan))}"
    )
    st: dict[str, Any] = res.startup
    lines.append(
        f"start-up to ready {ms(st['ready_ms'])} (bare interpreter {ms(st['bare_ms'])}); "
        f"`{st['ask_cmd']}` {ms(st['ask_ms'])}"
    )
    if res.whole_bot is not None:
        from bench.report_bot import headline as bot_headline

        lines += bot_headline(res.whole_bot)
    return lines


def summary(res: Results) -> str:
    """The console summary: targets, then the headline figures."""
    mode = " (QUICK smoke run: numbers are not meaningful)" if res.config.quick else ""
    return "\n".join(
        [f"ta-advisor benchmark, {res.seconds:.0f} s{mode}", *target_lines(res), "", *headline(res)]
    )


def loo_cell(tally: tuple[int, int, int]) -> str:
    """`right / wrong / abstained (share right)`."""
    return f"{tally[0]} / {tally[1]} / {tally[2]} ({tally[0] / max(1, sum(tally)):.1%} right)"


def quality_section(res: Results) -> list[str]:
    """Accuracy and abstention of every method, with the differences in points."""
    rows = []
    for i, m in enumerate(res.methods):
        rows.append(
            [
                f"**{m.name}**" if i == 0 else m.name,
                m.decision,
                pct(m.dev_on),
                pct(m.dev_off),
                pct(m.offtopic),
                loo_cell(m.loo),
            ]
        )
        if m.open_loo is not None:
            rows.append(
                [
                    f"{m.name}, never abstains",
                    "only when no example shares a word (ranking alone)",
                    pct(m.open_dev_on),
                    pct(m.open_dev_off),
                    pct(m.open_offtopic),
                    loo_cell(m.open_loo),
                ]
            )
    out = table(
        [
            "method",
            "abstains when",
            "dev on-topic top-1",
            "dev off-topic abstained",
            "off-topic set abstained",
            f"leave-one-out right / wrong / abstained (n={res.loo_n})",
        ],
        rows,
    )
    ours = res.methods[0]
    out.append("")
    for m in res.methods[1:]:
        parts = []
        best, variant = m.best_dev_on
        if ours.dev_on and best:
            parts.append(
                f"dev top-1 {(ours.dev_on.rate - best.rate) * 100:+.1f} points (vs its {variant}"
                " variant, the better on the dev set)"
            )
        parts.append(
            f"off-topic set abstention {(ours.offtopic.rate - m.offtopic.rate) * 100:+.1f} points"
        )
        their = max(m.loo[0], m.open_loo[0] if m.open_loo else 0) / max(1, sum(m.loo))
        loo_gap = (ours.loo[0] / max(1, sum(ours.loo)) - their) * 100
        parts.append(f"leave-one-out right {loo_gap:+.1f} points (vs its better variant)")
        out.append(f"- {ours.name} vs {m.name}: " + ", ".join(parts) + ".")
    out += [f"- {note}" for note in res.notes]
    return out


def latency_section(res: Results) -> list[str]:
    """Warm and first-call latency, build time, and ratios to the baselines."""
    rows = []
    for m in res.methods:
        warm: Latency | None = m.warm
        cold: Latency | None = m.cold
        assert warm is not None and cold is not None
        rows.append(
            [
                m.name,
                ms(m.build_ms),
                us(warm.p50_us),
                us(warm.p99_us),
                us(warm.mean_us),
                f"{warm.samples:,}",
                f"{us(cold.p50_us)} / {us(cold.p99_us)}",
            ]
        )
    out = table(
        [
            "method",
            "index build (median)",
            "p50",
            "p99",
            "mean",
            "timed calls",
            "first call on a fresh index p50 / p99",
        ],
        rows,
    )
    ours = res.methods[0]
    assert ours.warm is not None
    out.append("")
    for m in res.methods[1:]:
        assert m.warm is not None
        out.append(
            f"- {ours.name} / {m.name}: p50 {ratio(ours.warm.p50_us, m.warm.p50_us)}, "
            f"p99 {ratio(ours.warm.p99_us, m.warm.p99_us)}, "
            f"build {ratio(ours.build_ms, m.build_ms)} (below 1 = ours is cheaper)."
        )
    return out


def _exponent(rows: list[GrowthRow], value: Any) -> str:
    first, last = rows[0], rows[-1]
    size = last.examples / first.examples
    a, b = value(first), value(last)
    if size <= 1 or not a or not b:
        return "–"
    return f"{math.log(b / a) / math.log(size):.2f}"


def growth_section(res: Results) -> list[str]:
    """Build time and latency per size, and the growth exponents."""
    names = [m.name for m in res.methods]
    header = ["size", "topics", "example questions"]
    for name in names:
        header += [f"{name} build", f"{name} p50", f"{name} p99"]
    header.append(f"{names[0]} RSS when ready (fresh process)")
    rows = []
    for r in res.growth:
        row = [f"{r.factor}x", f"{r.topics:,}", f"{r.examples:,}"]
        for name in names:
            lat = r.latency[name]
            row += [ms(r.build_ms[name]), us(lat.p50_us), us(lat.p99_us)]
        row.append(mib(r.ready_rss_mib * 1024) if r.ready_rss_mib is not None else "–")
        rows.append(row)
    out = table(header, rows)
    if len(res.growth) > 1:
        first, last = res.growth[0], res.growth[-1]
        out += [
            "",
            f"Growth from {first.factor}x to {last.factor}x ({last.examples / first.examples:.1f}x"
            " the example questions), as the exponent k in cost ∝ size^k (1 = linear, < 1 ="
            " sub-linear):",
            "",
        ]
        rows = []
        for name in names:
            rows.append(
                [
                    name,
                    _exponent(res.growth, lambda r, n=name: r.latency[n].p50_us),
                    _exponent(res.growth, lambda r, n=name: r.latency[n].p99_us),
                    _exponent(res.growth, lambda r, n=name: r.build_ms[n]),
                    ratio(last.latency[name].p50_us, first.latency[name].p50_us),
                ]
            )
        out += table(["method", "k of p50", "k of p99", "k of build", "p50 growth factor"], rows)
        samples = sorted({lat.samples for r in res.growth for lat in r.latency.values()})
        out += [
            "",
            f"Timed calls per cell: {samples[0]:,} to {samples[-1]:,} (a fixed sample of "
            f"{min(res.config.growth_pool, res.pool_size)} questions, repeated within a time "
            "budget per cell, at least twice), so the 1x row differs a little from the latency "
            "table; p99 over few calls is close to the maximum.",
        ]
    return out


def memory_section(res: Results) -> list[str]:
    """Resident memory by stage in a fresh process, caches, and in-process growth."""
    fresh: dict[str, Any] = res.memory["fresh"]
    stages: dict[str, int] = fresh["stages_kib"]
    rows, prev = [], None
    for stage, kib in stages.items():
        rows.append([stage, mib(kib), "" if prev is None else f"{(kib - prev) / 1024:+.1f} MiB"])
        prev = kib
    rows.append(["peak (VmHWM)", mib(fresh["peak_kib"]), ""])
    n = res.memory["questions"]
    out = [
        f"A fresh `python -m bench.probe memory --questions {n}` process: RSS from "
        "/proc/self/status after each stage; `answered` is after "
        f"{n:,} distinct questions (as from {n:,} different users: shuffled words, typos, "
        "order numbers), each through `Advisor.reply`.",
        "",
        *table(["stage", "RSS", "change"], rows),
        "",
    ]
    caches = fresh.get("caches") or {}
    if caches:
        out.append(
            "Memo caches after answering (bounded, so memory stops growing with new users): "
            + ", ".join(f"{k}: {v:,} entries" for k, v in caches.items())
            + "."
        )
    here: dict[str, int] = res.memory["here_kib"]
    built = here["index built (ready)"] - here["benchmark imported"]
    answering = here["answered"] - here["questions generated"]
    out.append(
        f"In the benchmark process itself (measured first, with numpy and rank-bm25 loaded): "
        f"{mib(here['benchmark imported'])} before, building the matcher {built / 1024:+.1f} MiB, "
        f"answering {n:,} other distinct questions {answering / 1024:+.1f} MiB "
        f"(ends at {mib(here['answered'])})."
    )
    return out


def startup_section(res: Results) -> list[str]:
    """Fresh-process wall times, median of several runs."""
    st: dict[str, Any] = res.startup
    stages: dict[str, float] = st["stages_ms"]
    lo, hi = st["ready_range"]
    alo, ahi = st["ask_range"]
    rows = [
        ["`python -c pass` (bare interpreter)", ms(st["bare_ms"]), ""],
        [
            "`python -c` import, `load_knowledge()`, `Advisor(kb)` (ready)",
            ms(st["ready_ms"]),
            f"{ms(lo)} – {ms(hi)}",
        ],
        [
            f"`{st['ask_cmd']}` one-shot, output discarded",
            ms(st["ask_ms"]),
            f"{ms(alo)} – {ms(ahi)}",
        ],
    ]
    return [
        *table([f"fresh process (median of {st['runs']})", "wall time", "range"], rows),
        "",
        "Inside the ready process (medians): "
        + ", ".join(f"{k} {ms(v)}" for k, v in stages.items())
        + " (load = reading and validating the YAML; build = the matcher's index).",
    ]


def whole_bot_section(res: Results) -> list[str]:
    """Updates through the real Application (`bench.report_bot`), or why they are missing."""
    if res.whole_bot is None:
        return ["Not measured in this run."]
    from bench.report_bot import section

    return section(res.whole_bot)


def caveats(res: Results) -> list[str]:
    """What the numbers do not say."""
    ours = res.methods[0]
    out = []
    if res.config.quick:
        out.append(
            "**QUICK smoke run**: few repetitions and a sampled leave-one-out; ignore the numbers."
        )
    if ours.dev_on:
        off_n = ours.dev_off.n if ours.dev_off else 0
        out.append(
            f"The dev set is small: one on-topic question is {100 / ours.dev_on.n:.1f} points"
            + (f", one dev off-topic question {100 / off_n:.0f} points." if off_n else ".")
        )
    else:
        out.append("No dev set was given: quality is only leave-one-out and the off-topic set.")
    out += [
        f"`{res.config.offtopic.name}` was used by `bench/tune_matcher.py` to fit our matcher's "
        "thresholds, so our abstention on it is in-sample. The baselines never see an off-topic "
        "example (their cutoffs come from leave-one-out on on-topic examples only), so on that "
        "set the comparison favours us; the dev set's off-topic items were fitted by no one.",
        "Our matcher's weights and thresholds were fitted on the same leave-one-out data, and each "
        "baseline's cutoff (and BM25's max/sum) is chosen on it too: leave-one-out figures are "
        "somewhat optimistic for all three, ours most (more parameters).",
        "Same knowledge base, not same fields: the baselines index only the example questions; "
        "ours also uses titles, keywords and a hand-made lexicon of synonyms and phrases (that "
        "is the work being measured).",
        "The dev set is visible to the developers: a lexicon or examples written with it in view "
        "can fit it, so the leave-one-out column is the more honest generalisation figure (the "
        "project is judged on an unpublished set).",
        "Warm latency repeats the same questions, so our matcher's memo caches (stems, typo "
        "corrections) hit; the first-call column times each question once on a freshly built "
        "index with an empty stem cache. Latency includes `Advisor.reply` (off-platform check).",
        "Synthetic growth recombines real questions, so the grown base shares the real "
        "vocabulary and every query touches more postings than new subject matter would: a "
        "pessimistic case. Baseline cutoffs are those fitted at 1x.",
        "rank-bm25 scores every document in Python for each query term, so its latency grows "
        "linearly by construction; an inverted-index BM25 (e.g. bm25s) would grow more slowly.",
        "Whole bot: the emulator answers on loopback in well under a millisecond, so real "
        "Telegram adds its network round trips to every latency here; the rates are the bot's "
        "core, not what Telegram would let through (about 30 messages a second). Questions "
        "repeat a pool of a few hundred texts, so the matcher's memo caches are warm in the load "
        "runs (the memory run uses distinct questions). The echo bot shares our plumbing's "
        "costs, including PTB's HTTP client, whose connection pool is scanned on every request: "
        "with many requests in flight that cost grows, and the echo bot, whose handlers do "
        "almost nothing between requests, slows down at the highest level; its best rate (at "
        "fewer users) is the one compared.",
        "Our own handling (ours − echo) is more than our code: it includes the PTB and HTTP work "
        "our replies cause (bigger messages with entities and keyboards to encode and parse) "
        "and the database round trips; the profile shows the split. Its rate is derived from "
        "two measured rates, so it is the noisier figure.",
        f"Shared machine: load average at start {res.machine.get(LOAD_KEY)}, "
        f"at the end {_load_now()}; other work on the machine inflates p99 most.",
    ]
    return [f"- {c}" for c in out]


def shown(path: Path) -> str:
    """A path relative to the repository when it is near it, else as given."""
    root = Path(__file__).resolve().parent.parent
    try:
        return os.path.relpath(path.resolve(), root)
    except ValueError:
        return str(path)


def method_section(res: Results) -> list[str]:
    """How everything was measured."""
    c = res.config
    qs = shown(c.questions) if c.questions else "none"
    return [
        f"- Knowledge base: {res.kb_topics} topics, {res.kb_examples} example questions "
        "(`knowledge/topics/*.yaml`), the same for all methods in this run.",
        f"- Question sets: dev set `{qs}`; off-topic set `{shown(c.offtopic)}`. Top-1 = the "
        'answered topic is a right one; abstaining (no answer, or our "did you mean") counts '
        "as a miss on-topic and as right off-topic.",
        "- Methods: **ta-advisor** = `Advisor(kb).reply(q).match.topic_id`; **rapidfuzz "
        "extractOne** = `process.extractOne(q.lower(), lower-cased example questions, "
        "scorer=S)`, answer = that example's topic if its score reaches the cutoff (the search "
        "always runs in full); **BM25** = `rank_bm25.BM25Okapi` over the example questions "
        "tokenised as lower-case alphanumeric runs minus a short stop-word list (no stemming), "
        "topic score = max or sum over its examples, answer = the best topic if its score "
        "reaches the cutoff.",
        "- Baseline choices, all by leave-one-out over the knowledge base's example questions "
        "(each asked of an index built without it), never on the dev set: the rapidfuzz scorer "
        "S (extractOne's default WRatio, ratio, token_sort_ratio, token_set_ratio, "
        "partial_ratio) and BM25's max/sum by top-1 when never abstaining; then the cutoff "
        f"maximising right − {WRONG_COST} × wrong (abstaining scores 0; the weight of a wrong "
        "answer in `bench/tune_matcher.py`). Each baseline is also reported *never abstaining* "
        "(cutoff 0: its ranking alone), and the 15-point target is checked against the better "
        "of the two on the dev set.",
        "- Leave-one-out column: the same procedure for all three methods "
        f"({'sampled' if c.loo_limit else 'every example question'}; ours rebuilds its index "
        "without each example).",
        f"- Latency: `time.perf_counter_ns` around each call, one warm-up pass, then {c.reps} "
        f"passes over {res.pool_size} questions (dev + off-topic sets) per method, the methods "
        "taking turns pass by pass so a burst of other load hits all of them; in this process, "
        "garbage collector on; p50/p99 are nearest-rank over all calls. Build = constructing "
        f"the method from the loaded knowledge base (median of {c.builds}).",
        f"- Growth: the real topics plus synthetic ones to {', '.join(f'{f}x' for f in c.factors)} "
        "the topic count; each synthetic topic mixes the example questions and keywords of two "
        "real topics, replaces about a third of the words with real vocabulary or three "
        "invented words of its own, so documents, postings and vocabulary all grow.",
        "- Memory and start-up: fresh subprocesses (see those sections).",
        "- Whole bot: separate processes pinned to their own CPU, real HTTP against the Bot API "
        "emulator, ours next to an echo bot (see that section).",
    ]


def render(res: Results) -> str:
    """The whole Markdown report."""
    quick = "\n\n> **QUICK smoke run** — numbers are not meaningful." if res.config.quick else ""
    lines = [
        "# ta-advisor benchmarks",
        "",
        "Matching quality and cost against two baselines, growth, memory, start-up and the whole "
        "bot (issue 6). "
        f"Produced by `.venv/bin/python bench/run.py{' --quick' if res.config.quick else ''}` "
        f"in {res.seconds:.0f} s; do not edit by hand.{quick}",
        "",
        "## Summary",
        "",
        "```",
        *target_lines(res),
        "```",
        "",
        *[f"- {line}" for line in headline(res)],
        "",
        "## Machine",
        "",
        *table(["", ""], [[k, v] for k, v in res.machine.items()]),
        "",
        "## Method",
        "",
        *method_section(res),
        "",
        "## Matching quality",
        "",
        *quality_section(res),
        "",
        "## Matching latency and build time",
        "",
        *latency_section(res),
        "",
        "## Growth",
        "",
        *growth_section(res),
        "",
        "## Memory",
        "",
        *memory_section(res),
        "",
        "## Start-up",
        "",
        *startup_section(res),
        "",
        "## Whole bot (updates through the Telegram Application)",
        "",
        *whole_bot_section(res),
        "",
        "## Caveats",
        "",
        *caveats(res),
        "",
    ]
    return "\n".join(lines)
