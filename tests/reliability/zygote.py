"""A pre-loaded parent that forks real `ta-advisor run` processes in a fraction of a second.

Loading the knowledge base and building the matcher takes seconds on a busy machine; the kill
tests start the bot over fifty times, so this parent loads them once and forks a child per
start. Each child is a real process running the real `run_from_env` (settings from its own
environment, database, inbox, polling or webhook) until a SIGKILL or SIGTERM ends it; only the
advisor is the pre-built one. Commands on stdin, one JSON object a line:

    {"op": "spawn", "env": {...}, "log": "/path"}  ->  prints the child's pid
        (optional "first_reminders_s": when the reminder job first runs in that child;
         optional "uid": the user the child runs as, for a parent running as root)
    {"op": "reap", "pid": N}                        ->  prints its wait status as a return code
"""

from __future__ import annotations

import json
import os
import pwd
import sys

from bot.answering import Advisor
from bot.kb.loader import load_knowledge
from bot.telegram import reminders
from bot.telegram import run as run_module


def _child(env: dict[str, str], log: str, first_reminders_s: float | None, uid: int | None) -> None:
    if first_reminders_s is not None:  # the reminder job's first run, sooner than in production
        reminders.FIRST_RUN_S = first_reminders_s
    os.environ.clear()
    os.environ.update(env)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    if uid is not None:  # file permissions bind only a user who is not root
        os.setgroups([])
        os.setgid(pwd.getpwuid(uid).pw_gid)
        os.setuid(uid)
    code = run_module.run_from_env(env_file=None)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main() -> None:
    advisor = Advisor(load_knowledge(None))
    run_module._load_advisor = lambda settings: advisor  # type: ignore[assignment]
    print("ready", flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                _child(
                    command["env"],
                    command["log"],
                    command.get("first_reminders_s"),
                    command.get("uid"),
                )
            print(pid, flush=True)
        elif command["op"] == "reap":
            _, status = os.waitpid(int(command["pid"]), 0)
            print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    main()
