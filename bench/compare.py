"""Matching methods compared in one run on the same knowledge text (issue #10).

    python bench/compare.py [--quick]    # writes bench/RESULTS-matching.md (a few minutes)

Methods: the product (`Advisor.reply`, all signals and the fitted decision), BM25, character
n-gram TF-IDF alone and the sentence encoder alone; the baselines' cutoffs are fitted by
leave-one-out over the knowledge base's examples (`methods.fit_cutoff`), never on a message
set. Sets: the shared dev sets (real, multilingual) and our held-out set. Cost: latency
p50/p99 per message on this process (one thread), the product's latency split by path (lexical
only, or with the encoder), resident memory and start-up of fresh processes, and the product's
latency with the knowledge base grown 10x and 100x by synthetic topics (their encoder vectors
are pseudo-random: the same cost as real ones, without embedding 40,000 texts first).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bench.methods import (  # noqa: E402
    BM25Baseline,
    CharNgramBaseline,
    EncoderBaseline,
    Method,
    fit_cutoff,
    loo_rows,
)
from bench.synth import grow, grown_matcher  # noqa: E402
from bot.answering import Advisor  # noqa: E402
from bot.commands.evaluate import load_questions  # noqa: E402
from bot.kb.loader import KnowledgeBase, load_knowledge  # noqa: E402
from bot.matching.evaluation import Labelled  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "dev real": SHARED / "questions-real.yaml",
    "dev multilingual": SHARED / "questions-multilingual.yaml",
    "dev original": SHARED / "questions.yaml",
    "held-out (ours)": ROOT / "bench" / "data" / "heldout.yaml",
}
OUT = ROOT / "bench" / "RESULTS-matching.md"


class Product:
    """The product through `Advisor.reply`, as every front end calls it."""

    name = "ta-advisor (product)"

    def __init__(self, kb: KnowledgeBase, matcher: Matcher | None = None) -> None:
        self.advisor = Advisor(kb, matcher)

    def answer(self, text: str) -> str | None:
        """The answered topic ("did you mean" shows the best topic too), or None."""
        return self.advisor.reply(text).match.topic_id


def quality(method: Method, items: Sequence[Labelled]) -> dict[str, object]:
    on = [i for i in items if i.expected is not None]
    off = [i for i in items if i.expected is None]
    got = {id(i): method.answer(i.question) for i in items}
    right = sum(i.accepts(got[id(i)]) for i in on)
    wrong = sum(got[id(i)] is not None and not i.accepts(got[id(i)]) for i in on)
    declined = sum(got[id(i)] is None for i in off)
    langs: dict[str, list[int]] = {}
    for i in items:
        tally = langs.setdefault(i.lang or "en", [0, 0])
        tally[0] += i.accepts(got[id(i)])
        tally[1] += 1
    return {
        "on": f"{right}/{len(on)} ({right / max(1, len(on)):.0%})",
        "wrong": wrong,
        "off": f"{declined}/{len(off)} ({declined / max(1, len(off)):.0%})",
        "langs": ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(langs.items())),
    }


def latencies(fn: Callable[[str], object], texts: Sequence[str], reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        for text in texts:
            t = time.perf_counter_ns()
            fn(text)
            out.append((time.perf_counter_ns() - t) / 1e6)
    return out


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def fresh(code: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


STARTUP = """
import json, time, os
t = time.perf_counter()
from bot.answering import Advisor
from bot.kb.loader import load_knowledge
advisor = Advisor(load_knowledge())
ready = time.perf_counter() - t
for q in {questions!r}:
    advisor.reply(q)
rss = int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20
print(json.dumps({{"ready_s": ready, "rss_mib": rss}}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small samples; numbers mean little")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    kb = load_knowledge()
    sets = {k: load_questions(p) for k, p in SETS.items() if p.exists()}
    loo_limit = 60 if args.quick else 150  # an even sample: the cutoffs settle well before 424
    lines = [
        "# Matching methods compared (issue #10)",
        "",
        f"`python bench/compare.py` on {time.strftime('%Y-%m-%d')}, {len(kb.topics)} topics, "
        f"{sum(len(t.questions) for t in kb.topics.values())} example questions, one thread "
        f"(OMP_NUM_THREADS=1), on a 2-core machine shared with other work (load average "
        f"{os.getloadavg()[0]:.1f} at the start).",
        "",
    ]
    builders: dict[str, Callable[[KnowledgeBase], Method]] = {}
    cutoffs: dict[str, float] = {}
    for cls in (BM25Baseline, CharNgramBaseline, EncoderBaseline):
        rows = loo_rows(kb, cls, loo_limit)
        cutoffs[cls.name] = fit_cutoff(rows)
        builders[cls.name] = lambda kb, cls=cls: cls(kb, cutoff=cutoffs[cls.name])
    methods: dict[str, Method] = {Product.name: Product(kb)}
    methods.update({name: build(kb) for name, build in builders.items()})
    never_abstaining: dict[str, Method] = {
        f"{cls.name}, never abstaining": cls(kb)
        for cls in (BM25Baseline, CharNgramBaseline, EncoderBaseline)
    }

    lines += ["## Quality", ""]
    lines += [
        "Right = an on-topic message answered with an acceptable topic; declined = a message "
        "that must not be answered got no answer. Baselines' cutoffs, fitted by leave-one-out "
        f"over {loo_limit} of the base's own examples (an even sample; inf: no cutoff makes "
        "right - 1.5 x wrong positive, so it always abstains; the never-abstaining rows show its "
        "ranking alone): "
        + ", ".join(f"{k} {v:.3f}" for k, v in cutoffs.items() if k != Product.name)
        + ".",
        "",
        "| method | set | on-topic right | wrong answers | declined | by language (right/all) |",
        "|---|---|---|---|---|---|",
    ]
    for set_name, items in sets.items():
        for name, method in {**methods, **never_abstaining}.items():
            q = quality(method, items)
            lines.append(
                f"| {name} | {set_name} | {q['on']} | {q['wrong']} | {q['off']} | {q['langs']} |"
            )
    lines.append("")

    pool = [i.question for items in sets.values() for i in items]
    if args.quick:
        pool = pool[::10]
    reps = 1
    lines += [
        "## Latency per message (ms, this process, one thread)",
        "",
        f"Over {len(pool)} messages of all the sets above, {reps} pass after a warm-up pass.",
        "",
        "| method | p50 | p90 | p99 | max |",
        "|---|---|---|---|---|",
    ]
    for name, method in methods.items():
        latencies(method.answer, pool[:20], 1)
        ms = latencies(method.answer, pool, reps)
        lines.append(
            f"| {name} | {pct(ms, 50):.2f} | {pct(ms, 90):.2f} | {pct(ms, 99):.2f} | "
            f"{max(ms):.2f} |"
        )
    product = methods[Product.name]
    assert isinstance(product, Product)
    matcher = product.advisor.matcher
    lexical_ms, encoder_ms = [], []
    for text in pool:
        t = time.perf_counter_ns()
        sig = matcher.signals(text, encode=False)
        stage = matcher.model.lexical
        scores = stage.scores(sig)
        sure = sig.lang == "en" and stage.confidence(sig, scores) >= matcher.model.gate
        t2 = time.perf_counter_ns()
        product.answer(text)
        t3 = time.perf_counter_ns()
        (lexical_ms if sure else encoder_ms).append((t3 - t2) / 1e6)
        del t
    lines += [
        "",
        f"The product by path: {len(lexical_ms)} messages decided by the lexical stage alone "
        f"(clear English): p50 {pct(lexical_ms, 50):.2f} ms, p99 {pct(lexical_ms, 99):.2f} ms; "
        f"{len(encoder_ms)} with the encoder: p50 {pct(encoder_ms, 50):.1f} ms, "
        f"p99 {pct(encoder_ms, 99):.1f} ms.",
        "",
    ]
    long_text = "my supplier is late and " * 200
    worst = latencies(product.answer, [long_text[:4096], "1," * 2048, "🙂" * 4096], 2)
    lines.append(
        f"Worst-case inputs (4,096 characters of prose, of '1,' and of emoji): max "
        f"{max(worst):.1f} ms."
    )
    lines.append("")

    lines += [
        "## Growth (synthetic topics)",
        "",
        "| topics | examples | build s | p50 ms | p99 ms |",
    ]
    lines.append("|---|---|---|---|---|")
    sample = pool[:: max(1, len(pool) // (20 if args.quick else 60))]
    for factor in (1, 10) if args.quick else (1, 10, 100):
        grown = grow(kb, factor, 6)
        t = time.perf_counter()
        m = grown_matcher(grown)
        build_s = time.perf_counter() - t
        ms = latencies(m.match, sample, 1)
        n_ex = sum(len(tp.questions) for tp in grown.topics.values())
        lines.append(
            f"| {len(grown.topics)} | {n_ex} | {build_s:.1f} | {pct(ms, 50):.2f} | "
            f"{pct(ms, 99):.2f} |"
        )
    lines.append("")

    runs = [fresh(STARTUP.format(questions=pool[:200])) for _ in range(1 if args.quick else 3)]
    lines += [
        "## Fresh process: start-up and memory",
        "",
        "Import, load the knowledge base and its shipped indexes (built when stale), load the "
        "encoder and the "
        f"shipped embeddings: median {statistics.median(r['ready_s'] for r in runs):.2f} s "
        f"({len(runs)} runs). Resident memory after answering 200 messages: "
        f"{max(r['rss_mib'] for r in runs):.0f} MiB (matching alone; the whole bot adds "
        "python-telegram-bot and the store: `bench/run.py`).",
        "",
        f"Run took {time.perf_counter() - started:.0f} s.",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
