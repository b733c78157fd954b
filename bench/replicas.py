"""Updates per second: one and two replicas on PostgreSQL against one process on SQLite.

    .venv/bin/python -m bench.replicas [--users 30] [--questions 10] [--out FILE]

(default output: bench/RESULTS-postgres.md)

Same run, same machine, same workload for every configuration: the Bot API emulator
(`tests/emulator`) pushes updates to the bot's webhook, as Telegram does, and `users` virtual
users each ask `questions` free-text questions in a closed loop (the next one once the reply
arrived). Bots are real `ta-advisor run` processes (`bench.replica_process`: production code,
rate limiter waits off) in webhook mode:

* `sqlite, 1 process`: the embedded default, the database a file in a temporary folder;
* `postgresql, 1 replica` and `postgresql, 2 replicas` behind the test suite's round-robin
  reverse proxy (`tests/replicas/fleet.py`), on a throw-away PostgreSQL server started here
  with its normal durability (fsync on, like SQLite's WAL with synchronous=NORMAL it is not).

Reported: completed updates per second and reply latency p50/p99 (inject -> reply request).
Also, the driver choice: the same small statements (an upsert and a read by key, as a check
step does) through asyncpg and psycopg 3 (async), one connection each, when psycopg is
installed (`pip install -e '.[bench]'`). On a machine with few cores, the replicas share them
with the server and the driver: the figures say what a replica costs, not how it scales.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg

from tests.emulator import Emulator
from tests.postgres_server import Cluster, find_bindir
from tests.replicas.fleet import Proxy, replica_env

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "What does Trade Assurance cover?",
    "How long do I have to open a dispute?",
    "what documents do I need for a claim",
    "is damage during shipping covered",
    "can I pay by Western Union?",
)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _replica(emu: Emulator, public: str, port: int, data: Path, url: str | None) -> Any:
    env = replica_env(emu, public, port, data, url)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.replica_process", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


async def _load(emu: Emulator, users: int, questions: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    people = [emu.create_user(f"U{n}") for n in range(users)]

    async def person(index: int) -> None:
        user = people[index]
        for n in range(questions):
            since = len(emu.requests)
            started = time.perf_counter()
            emu.send_text(user, None, QUESTIONS[(index + n) % len(QUESTIONS)])
            await emu.wait_for_request(
                "sendMessage",
                lambda c, s=since, u=user.id: c.index >= s and c.params.get("chat_id") == u,
                timeout=120,
            )
            latencies.append((time.perf_counter() - started) * 1e3)

    begin = time.perf_counter()
    await asyncio.gather(*(person(i) for i in range(users)))
    return users * questions / (time.perf_counter() - begin), latencies


async def configuration(
    name: str, replicas: int, url: str | None, users: int, questions: int
) -> dict[str, object]:
    async with Emulator() as emu:
        emu.webhook_retry = True
        ports = [_free_port() for _ in range(replicas)]
        proxy = Proxy([f"http://127.0.0.1:{p}" for p in ports])
        proxy_port = await proxy.start()
        public = f"http://127.0.0.1:{proxy_port}/telegram"
        with tempfile.TemporaryDirectory() as tmp:
            procs = [
                await _replica(emu, public, port, Path(tmp) / f"r{i}", url)
                for i, port in enumerate(ports)
            ]
            try:
                await emu.wait_until(
                    lambda: sum(c.method == "setWebhook" for c in emu.requests) >= replicas,
                    timeout=180,
                )
                await _load(emu, 4, 2)  # warm-up: caches, prepared statements, connections
                rate, latencies = await _load(emu, users, questions)
            finally:
                for proc in procs:
                    proc.send_signal(signal.SIGTERM)
                for proc in procs:
                    await asyncio.wait_for(proc.wait(), 60)
                await proxy.stop()
    cuts = statistics.quantiles(latencies, n=100)
    return {"name": name, "per_s": rate, "p50": cuts[49], "p99": cuts[98]}


async def drivers(url: str, rounds: int = 2000) -> dict[str, float]:
    """Microseconds per check-step-like round trip (upsert, then read by key) per driver."""
    results: dict[str, float] = {}
    setup = "CREATE TABLE IF NOT EXISTS bench_kv (k BIGINT PRIMARY KEY, v TEXT NOT NULL)"
    upsert = "INSERT INTO bench_kv VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v"
    conn = await asyncpg.connect(url)
    await conn.execute(setup)
    begin = time.perf_counter()
    for n in range(rounds):
        await conn.execute(upsert, n % 100, f"state {n}")
        await conn.fetchval("SELECT v FROM bench_kv WHERE k = $1", n % 100)
    results["asyncpg"] = (time.perf_counter() - begin) / rounds * 1e6
    await conn.close()
    try:
        import psycopg
    except ImportError:
        return results
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as pconn:
        begin = time.perf_counter()
        for n in range(rounds):
            await pconn.execute(upsert.replace("$1", "%s").replace("$2", "%s"), (n % 100, f"s{n}"))
            cur = await pconn.execute("SELECT v FROM bench_kv WHERE k = %s", (n % 100,))
            await cur.fetchone()
        results["psycopg 3 (async)"] = (time.perf_counter() - begin) / rounds * 1e6
    return results


def report(
    rows: list[dict[str, object]], drivers_us: dict[str, float], args: argparse.Namespace
) -> str:
    base = float(rows[0]["per_s"])  # type: ignore[arg-type]
    lines = [
        "# PostgreSQL and replicas: updates per second (bench/replicas.py)",
        "",
        f"{args.users} users x {args.questions} free-text questions each, closed loop, webhook "
        f"mode through a reverse proxy; {os.cpu_count()} CPUs shared by the bots, the server "
        "and the driver. Same run, same machine; load average "
        f"{args.load_before:.1f} before, {os.getloadavg()[0]:.1f} after (other work on the "
        "machine counts in every configuration alike).",
        "",
        "| configuration | updates/s | vs SQLite | reply p50 ms | reply p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        per_s = float(row["per_s"])  # type: ignore[arg-type]
        lines.append(
            f"| {row['name']} | {per_s:.1f} | {per_s / base:.2f}x | "
            f"{float(row['p50']):.0f} | {float(row['p99']):.0f} |"  # type: ignore[arg-type]
        )
    if drivers_us:
        lines += [
            "",
            "Driver, one connection, upsert + read by key (a check step's statements):",
            "",
        ]
        lines += [f"- {name}: {us:.0f} µs per round trip" for name, us in drivers_us.items()]
    return "\n".join(lines) + "\n"


async def main_async(args: argparse.Namespace) -> str:
    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
    cluster = Cluster(bindir, durable=True)
    admin = cluster.start()
    try:
        conn = await asyncpg.connect(admin)
        await conn.execute('CREATE DATABASE "bench"')
        await conn.close()
        url = admin.rpartition("/")[0] + "/bench"
        drivers_us = await drivers(url)
        rows = [await configuration("sqlite, 1 process", 1, None, args.users, args.questions)]
        for replicas in (1, 2):
            conn = await asyncpg.connect(admin)
            await conn.execute('DROP DATABASE IF EXISTS "bench" WITH (FORCE)')
            await conn.execute('CREATE DATABASE "bench"')
            await conn.close()
            label = f"postgresql, {replicas} replica{'s' if replicas > 1 else ''}"
            rows.append(await configuration(label, replicas, url, args.users, args.questions))
    finally:
        cluster.stop()
    return report(rows, drivers_us, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS-postgres.md"))
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    text = asyncio.run(main_async(args))
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
