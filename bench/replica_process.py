"""One replica for `bench/replicas.py`: the real `ta-advisor run` (settings from the environment,
webhook mode, inbox, database) with the production rate limiter's waits switched off, so the
benchmark measures the bot and its database rather than Telegram's 30 messages a second.

    python -m bench.replica_process      # environment as for `ta-advisor run`
"""

from __future__ import annotations

import sys

from bench.bot_process import UnthrottledLimiter
from bot.telegram import app as bot_app
from bot.telegram.run import run_from_env


def main() -> int:
    bot_app.ChatRateLimiter = UnthrottledLimiter  # type: ignore[misc]
    return run_from_env(env_file=None)


if __name__ == "__main__":
    sys.exit(main())
