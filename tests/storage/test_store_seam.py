"""The storage seam: front ends name the Protocols, the factory picks the backend."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.storage import Database, InspectableStorage, Storage
from bot.storage.factory import database_location, describe, is_server, open_storage
from bot.storage.postgres import PostgresDatabase

BOT = Path(__file__).resolve().parents[2] / "bot"
BACKEND_NAMES = {"sqlite3", "aiosqlite", "asyncpg", "Database", "PostgresDatabase"}


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.name for alias in node.names}
            if node.module:
                names.add(node.module.split(".")[0])
    return names


def test_no_front_end_names_a_backend() -> None:
    """Handlers, commands and the terminal depend on `Storage` and catch `StorageError`: a
    driver's exception or class named outside bot/storage would tie them to one backend."""
    offenders = {}
    for path in sorted(BOT.rglob("*.py")):
        if path.is_relative_to(BOT / "storage"):
            continue
        used = _names_used(path) & BACKEND_NAMES
        if used:
            offenders[str(path.relative_to(BOT))] = sorted(used)
    assert offenders == {}


def test_both_backends_implement_the_whole_protocol() -> None:
    members = {
        name
        for name in dir(InspectableStorage)
        if not name.startswith("_") or name in ("__aenter__", "__aexit__")
    }
    for backend in (Database, PostgresDatabase):  # handlers' part and inspection
        assert not {m for m in members if not hasattr(backend, m)}, backend.__name__


def test_sqlite_is_the_default_and_a_url_selects_postgresql(tmp_path: Path) -> None:
    default = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert database_location(default) == str(tmp_path / "ta-advisor.sqlite3")
    assert not is_server(database_location(default))
    url = "postgresql://bot:pw@db:5432/ta"
    server = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    assert database_location(server) == url and is_server(url)
    assert describe(url) == "postgresql://bot:***@db:5432/ta"


async def test_open_storage_opens_the_backend_the_location_names(
    tmp_path: Path, postgres_url: str
) -> None:
    async with await open_storage(tmp_path / "bot.sqlite3") as local:
        assert isinstance(local, Database) and local.kind == "sqlite"
        assert isinstance(local, Storage)
    async with await open_storage(postgres_url) as shared:
        assert isinstance(shared, PostgresDatabase) and shared.kind == "postgresql"
        assert isinstance(shared, Storage)


@pytest.mark.parametrize("url", ["postgres://x@127.0.0.1:9/y", "postgresql://x@127.0.0.1:9/y"])
def test_both_url_spellings_are_servers(url: str) -> None:
    assert is_server(url)
