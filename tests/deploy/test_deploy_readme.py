"""deploy/README.md tells BotFather the same command menus the bot registers itself."""

from __future__ import annotations

import re
from pathlib import Path

from bot.telegram.app import ADMIN_COMMANDS, GROUP_COMMANDS, PRIVATE_COMMANDS

README = (Path(__file__).resolve().parents[2] / "deploy" / "README.md").read_text()


def test_setcommands_block_is_the_private_menu() -> None:
    after = README.split("`/setcommands`", 1)[1]
    block = re.search(r"```\n(.*?)```", after, re.S)
    assert block is not None
    lines = [line.strip() for line in block[1].strip().splitlines()]
    assert lines == [f"{c.command} - {c.description}" for c in PRIVATE_COMMANDS]


def test_group_and_admin_menus_are_listed() -> None:
    text = " ".join(README.split())  # the lists wrap across lines
    for command in [*GROUP_COMMANDS, *ADMIN_COMMANDS]:
        assert f"`{command.command} - {command.description}`" in text, command.command
