"""Measurements that need a clean process; `run.py` starts this module in a subprocess.

    python -m bench.probe memory [--factor F] [--questions N]

prints one JSON object: resident memory (KiB) after each start-up stage and after answering N
distinct questions, plus the sizes of the matcher's caches.
"""

from __future__ import annotations

import argparse
import json

from bench.measure import rss_kib


def memory(factor: int, questions: int, seed: int) -> dict[str, object]:
    """RSS at each stage of a bot's life, measured in this (fresh) process."""
    stages: dict[str, int] = {"interpreter": rss_kib()[0]}
    from bot.answering import Advisor
    from bot.kb.loader import load_knowledge

    stages["imported"] = rss_kib()[0]
    kb = load_knowledge()
    if factor > 1:
        from bench.synth import grow

        kb = grow(kb, factor, seed)
    stages["knowledge loaded"] = rss_kib()[0]
    if factor > 1:
        from bench.synth import grown_matcher

        advisor = Advisor(kb, grown_matcher(kb))
    else:
        advisor = Advisor(kb)
    stages["index built (ready)"] = rss_kib()[0]
    caches: dict[str, int] = {}
    if questions:
        from bench.synth import distinct_questions

        seeds = [q for t in kb.topics.values() for q in (t.title, *t.questions)]
        texts = distinct_questions(seeds, questions, seed)
        stages["questions generated"] = rss_kib()[0]
        for text in texts:
            advisor.reply(text)
        stages["answered"] = rss_kib()[0]
        caches = _cache_sizes(advisor)
    return {
        "stages_kib": stages,
        "peak_kib": rss_kib()[1],
        "topics": len(kb.topics),
        "questions": questions,
        "caches": caches,
    }


def _cache_sizes(advisor: object) -> dict[str, int]:
    """Entries in the matcher's memo caches (they bound how memory grows with new users)."""
    from bot.matching import normalize
    from bot.matching.words import WordIndex

    sizes = {}
    for name, fn in (("stem", normalize.stem), ("typo correction", WordIndex._correct)):
        info = getattr(fn, "cache_info", None)
        if info is not None:
            got = info()
            sizes[f"{name} (max {got.maxsize})"] = got.currsize
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Run one probe and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="probe", required=True)
    mem = sub.add_parser("memory", help="resident memory by stage")
    mem.add_argument("--factor", type=int, default=1)
    mem.add_argument("--questions", type=int, default=0)
    mem.add_argument("--seed", type=int, default=6)
    args = parser.parse_args(argv)
    print(json.dumps(memory(args.factor, args.questions, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
