"""The conversation core stays free of any front end, and keeps Telegram's input rule."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from telegram.constants import MessageLimit

import bot.conversation
from bot.conversation.guards import MAX_INPUT_CHARS

PACKAGE = Path(bot.conversation.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_of_the_core_imports_telegram() -> None:
    offenders = {
        path.name: sorted(
            m
            for m in _imported_modules(path)
            if m.split(".")[0] == "telegram" or m.startswith("bot.telegram")
        )
        for path in sorted(PACKAGE.glob("*.py"))
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_importing_the_core_loads_no_telegram_module() -> None:
    code = (
        "import sys, bot.conversation\n"
        "print(any(m.split('.')[0] == 'telegram' for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_input_limit_is_telegrams_message_limit() -> None:
    assert MAX_INPUT_CHARS == MessageLimit.MAX_TEXT_LENGTH
