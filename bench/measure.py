"""Timing, percentiles, resident memory and machine facts: the measuring instruments."""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Latency:
    """Per-call latency figures in microseconds, and how many calls they rest on."""

    p50_us: float
    p99_us: float
    mean_us: float
    samples: int


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0-100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summarise(samples_ns: Sequence[int]) -> Latency:
    """p50, p99 and mean of nanosecond samples, in microseconds."""
    if not samples_ns:
        return Latency(math.nan, math.nan, math.nan, 0)
    return Latency(
        percentile(samples_ns, 50) / 1000,
        percentile(samples_ns, 99) / 1000,
        sum(samples_ns) / len(samples_ns) / 1000,
        len(samples_ns),
    )


def time_calls(
    fns: Mapping[str, Callable[[str], object]],
    inputs: Sequence[str],
    *,
    reps: int,
    budget_s: float | None = None,
    min_reps: int = 1,
) -> dict[str, Latency]:
    """Time each function once per input per repetition with `perf_counter_ns`, after one
    warm-up pass of each.

    A repetition runs every function over all the inputs in turn, so the functions alternate
    every pass: a burst of other work on the machine hits all of them, not the one being timed
    at that moment. With `budget_s`, the repetitions are cut to what the warm-up passes say fits
    in the budget (never below `min_reps`).
    """
    start = time.perf_counter()
    for fn in fns.values():
        for text in inputs:
            fn(text)
    per_pass = time.perf_counter() - start
    if budget_s is not None and per_pass > 0:
        reps = max(min_reps, min(reps, int(budget_s / per_pass)))
    samples: dict[str, list[int]] = {name: [] for name in fns}
    clock = time.perf_counter_ns
    gc.collect()
    for _ in range(reps):
        for name, fn in fns.items():
            out = samples[name]
            for text in inputs:
                t0 = clock()
                fn(text)
                out.append(clock() - t0)
    return {name: summarise(got) for name, got in samples.items()}


def time_first_calls(fn: Callable[[str], object], inputs: Sequence[str]) -> Latency:
    """Each input timed once, on whatever state `fn` is in (a fresh index: cold caches)."""
    samples = []
    clock = time.perf_counter_ns
    for text in inputs:
        t0 = clock()
        fn(text)
        samples.append(clock() - t0)
    return summarise(samples)


def timed(build: Callable[[], T]) -> tuple[T, float]:
    """The result of `build()` and how long it took, in milliseconds."""
    gc.collect()
    t0 = time.perf_counter_ns()
    value = build()
    return value, (time.perf_counter_ns() - t0) / 1e6


def rss_kib() -> tuple[int, int]:
    """(current, peak) resident set size of this process in KiB.

    From /proc/self/status (VmRSS, VmHWM) on Linux; elsewhere both are getrusage's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        fields = {}
        for line in status.read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0])
        if len(fields) == 2:
            return fields["VmRSS"], fields["VmHWM"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak // 1024 if sys.platform == "darwin" else peak
    return peak, peak


def mapped_rss_kib(is_file: Callable[[str], bool]) -> int:
    """Resident KiB of this process's mappings whose path `is_file` accepts
    (/proc/self/smaps; 0 elsewhere)."""
    total, inside = 0, False
    try:
        with open("/proc/self/smaps", encoding="utf-8") as smaps:
            for line in smaps:
                head = line.split(maxsplit=1)[0]
                if "-" in head and not head.endswith(":"):
                    inside = is_file(line.rstrip())
                elif inside and head == "Rss:":
                    total += int(line.split()[1])
    except OSError:
        return 0
    return total


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what `platform` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, str]:
    """The facts a reader needs to compare these numbers with theirs."""
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(),
        "cores": f"{cores} logical ({usable} usable by this process)",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
        "load average at start (1, 5, 15 min)": load,
    }
