"""Health check for a running ta-advisor: exit 0 when healthy, 1 (with one line why) otherwise.

Used by the Dockerfile's HEALTHCHECK and compose.yaml; run it with the bot's own Python and
environment. It reads the same settings as the bot (environment and `.env`), then:

* webhook mode (TELEGRAM_WEBHOOK_URL set): GET /healthz on the bot's own webhook server, which
  reports whether the live process's database answers and its knowledge base is loaded;
* long polling (no HTTP server to ask): opens the database file the bot created (never
  creating one) and reads its schema version, and loads the knowledge base the way the bot
  does at start-up.
"""

from __future__ import annotations

import sqlite3
import sys
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

from bot.kb.loader import KnowledgeError, load_knowledge
from bot.settings import Settings, SettingsError, load_settings

TIMEOUT_S = 5.0
HEALTH_PATH = "/healthz"
LOOPBACK = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}
"""A server listening on every address is probed on loopback."""


def probe_webhook(settings: Settings) -> str | None:
    """None if /healthz answers 200, else the problem."""
    host = settings.telegram_webhook_listen
    host = LOOPBACK.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{settings.telegram_webhook_port}{HEALTH_PATH}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # 503: the server says it is unhealthy
        status = exc.code
    except (OSError, ValueError) as exc:
        return f"{url}: {exc}"
    return None if status == 200 else f"{url}: HTTP {status}"


def check_database(path: Path) -> str | None:
    """None if the bot's database opens, has a schema and takes writes, else the problem."""
    if not path.is_file():
        return f"{path}: no database (has the bot started?)"
    # mode=rw: never create a file; the bot makes and migrates it at start-up.
    uri = path.resolve().as_uri() + "?mode=rw"
    try:
        with closing(
            sqlite3.connect(uri, uri=True, timeout=TIMEOUT_S, isolation_level=None)
        ) as conn:
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            conn.execute("BEGIN IMMEDIATE")  # the file takes writes (not read-only, not full)
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return f"{path}: {exc}"
    return None if version > 0 else f"{path}: schema not created yet"


def check_knowledge(settings: Settings) -> str | None:
    """None if the knowledge base loads as strictly as at start-up, else the problem."""
    try:
        kb = load_knowledge(settings.kb_dir)
    except KnowledgeError as exc:
        return f"knowledge base: {len(exc.problems)} problem(s); run `ta-advisor kb check`"
    return None if len(kb) > 0 else "knowledge base: no topics"


def main() -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        problem: str | None = "configuration: " + "; ".join(exc.problems)
    else:
        if settings.webhook_mode:
            problem = probe_webhook(settings)
        else:
            problem = check_database(settings.database_path) or check_knowledge(settings)
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    print("healthy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
