"""The attacks of issue #14 replayed from outside (bench/attacks.py) must all be refused.

Two real bot processes (webhook and polling mode), nothing but HTTP, raw sockets, emulated
users, the command line and the files on disk; docs/reliability.md records a run. The one
attack judged by a latency measured on this machine (hostile text slowing other users) is
printed, not asserted: timing targets live in benchmarks.
"""

from __future__ import annotations

from bench.attacks import markdown, run_attacks


async def test_every_attack_of_the_issue_is_refused_from_outside() -> None:
    results = await run_attacks()
    print("\n" + markdown(results))
    failed = [f"{r.attack}: {r.observed}" for r in results if not r.ok and not r.timed]
    assert not failed, failed
    findings = {r.finding for r in results}
    assert {"2", "4", "5", "6", "7", "8", "9"} <= findings and len(results) >= 34
