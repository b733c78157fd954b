"""Cost of the off-platform detector per message, worst case included (issue #9).

    .venv/bin/python bench/offplatform.py            # about 20 seconds; writes bench/OFFPLATFORM.md
    .venv/bin/python bench/offplatform.py --quick    # a smoke run whose numbers mean nothing

Every group message goes through the detector, so its cost must stay small and, on hostile
input, linear: a 4,096-character message (Telegram's limit) of repeated separators, digits or
cue words may cost more than a normal message only in proportion to its length. Figures are
ratios against a normal message and against a baseline measured in the same run (lower-casing
and splitting the same text, the least any reader of the text does); no test asserts a time.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `bot` importable
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bench.measure import Latency, machine, time_calls  # noqa: E402
from bot.matching.offplatform import detects_off_platform  # noqa: E402
from bot.matching.offplatform.detector import (  # noqa: E402
    OffPlatformDetector,
    OperatingPoint,
    load_cues,
)

LIMIT = 4096
HELD_OUT = ROOT / "tests" / "matching" / "data" / "warnings-heldout.yaml"
TUNING = ROOT / "tests" / "matching" / "data" / "warnings-tuning.yaml"
DEV = ROOT.parent / "shared" / "eval" / "warnings.yaml"
OUT = ROOT / "bench" / "OFFPLATFORM.md"
FALSE_ALARM_COST = 3
"""A false alarm in a group (a warning on good advice, spending the group's one warning per
cool-down and teaching members to ignore it) counts as three misses."""
PER_CHAR_TARGET = 10.0
"""The worst adversarial input may cost at most this many times a normal message per
character: linear time with a modest constant."""


def _fill(unit: str) -> str:
    return (unit * (LIMIT // len(unit) + 1))[:LIMIT]


ADVERSARIAL: dict[str, str] = {
    "digits and commas": _fill("1,"),
    "money-like": _fill("$1,1.1 "),
    "dots": _fill("."),
    "digits": _fill("9"),
    "one long word": _fill("a"),
    "one-letter words": _fill("a "),
    "payment words": _fill("pay "),
    "cue soup": _fill("pay his account never "),
    "outside routes": _fill("western union "),
    "contrasts": _fill("but pay "),
    "conditions": _fill("if a "),
    "negated inside": _fill("not through the order "),
    "Cyrillic prefixes": _fill("оплат "),
    "accents": _fill("é"),
    "emoji": _fill("😀"),
    "mixed request": _fill("Supplier wants USDT to his wife's Alipay, 5% off! "),
}


def normal_messages() -> list[str]:
    """Real-looking group messages: our labelled sets, and the dev set when it is there."""
    messages: list[str] = []
    for path in (HELD_OUT, TUNING, DEV):
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            messages += [*data["warn"], *data["quiet"]]
    return messages


POINTS: dict[str, OperatingPoint] = {
    "default": OperatingPoint(),
    "no frame needed": OperatingPoint(need_frame=False),
    "request is enough": OperatingPoint(request_is_enough=True),
    "clause-level blockers only": OperatingPoint(whole_message_blockers=False),
    "most lenient": OperatingPoint(False, True, False),
}


def operating_points() -> str:
    """Misses and false alarms of each operating point on every labelled set; the choice is
    made on the sets we tune on (dev, tuning), the held-out figures only report."""
    sets = {"dev": DEV, "tuning": TUNING, "held-out": HELD_OUT}
    data = {k: yaml.safe_load(p.read_text(encoding="utf-8")) for k, p in sets.items() if p.exists()}
    cues = load_cues()
    lines = [
        "## Operating point",
        "",
        f"Group cost = {FALSE_ALARM_COST} × false alarms + misses; private cost = false alarms "
        "+ misses (a banner too many in a private chat is cheap, a miss is not). Both on dev + "
        "tuning only; held-out only reports.",
        "",
        "| operating point | "
        + " | ".join(f"{k} missed | {k} false alarms" for k in data)
        + " | group cost | private cost |",
        "|---|" + "---:|---:|" * len(data) + "---:|---:|",
    ]
    for name, point in POINTS.items():
        detector = OffPlatformDetector(cues, point)
        cells, cost, private = [], 0, 0
        for key, d in data.items():
            missed = sum(not detector.assess(m).off_platform for m in d["warn"])
            alarms = sum(detector.assess(m).off_platform for m in d["quiet"])
            cells += [f"{missed}/{len(d['warn'])}", f"{alarms}/{len(d['quiet'])}"]
            if key != "held-out":
                cost += FALSE_ALARM_COST * alarms + missed
                private += alarms + missed
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {cost} | {private} |")
    return "\n".join([*lines, ""])


def baseline(text: str) -> object:
    return text.lower().split()


def run(reps: int, budget_s: float) -> str:
    normal = normal_messages()
    fns: dict[str, Callable[[str], object]] = {"detector": detects_off_platform, "split": baseline}
    base = time_calls(fns, normal, reps=reps, budget_s=budget_s)
    mean_chars = sum(map(len, normal)) / len(normal)
    per_char = base["detector"].mean_us / mean_chars
    rows = []
    worst = 0.0
    for name, text in ADVERSARIAL.items():
        lat = time_calls(fns, [text], reps=max(3, reps // 10), budget_s=budget_s / 10, min_reps=3)
        ratio = lat["detector"].mean_us / base["detector"].mean_us
        char_ratio = lat["detector"].mean_us / len(text) / per_char
        worst = max(worst, char_ratio)
        rows.append((name, lat, ratio, char_ratio))
    return _report(normal, mean_chars, base, rows, worst)


def _report(
    normal: list[str],
    mean_chars: float,
    base: dict[str, Latency],
    rows: list[tuple[str, dict[str, Latency], float, float]],
    worst: float,
) -> str:
    det, split = base["detector"], base["split"]
    verdict = "PASS" if worst <= PER_CHAR_TARGET else "FAIL"
    lines = [
        "# Off-platform detector: cost per message",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in machine().items()),
        "",
        f"Normal group messages: {len(normal)} (mean {mean_chars:.0f} characters): detector "
        f"p50 {det.p50_us:.0f} µs, p99 {det.p99_us:.0f} µs, mean {det.mean_us:.0f} µs; "
        f"baseline lower+split mean {split.mean_us:.1f} µs "
        f"(detector = {det.mean_us / split.mean_us:.0f}× baseline).",
        "",
        f"Adversarial inputs of {LIMIT} characters (Telegram's limit), against the mean normal "
        "message: the whole-message ratio, and the ratio per character (1 = as cheap per "
        "character as a normal message; linear time keeps it flat).",
        "",
        "| input | detector mean µs | × normal message | × normal per character | baseline µs |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, lat, ratio, char_ratio in rows:
        lines.append(
            f"| {name} | {lat['detector'].mean_us:.0f} | {ratio:.0f} | {char_ratio:.1f} | "
            f"{lat['split'].mean_us:.0f} |"
        )
    lines += [
        "",
        f"{verdict}: worst per-character cost {worst:.1f}× a normal message "
        f"(target ≤ {PER_CHAR_TARGET:g}×).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run; numbers mean nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    reps, budget = (2, 0.5) if args.quick else (40, 8.0)
    report = run(reps, budget) + "\n" + operating_points()
    print(report)
    if not args.quick:
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
