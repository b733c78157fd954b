"""pytest plugin with emulator fixtures.

Enable it in the root ``conftest.py`` (``tests/conftest.py`` works too, as it is loaded
before collection)::

    pytest_plugins = ["tests.emulator.fixtures"]

Then a test can simply ask for ``emulator`` (a started :class:`Emulator`, stopped after the
test) and ``emulator_app_builder`` (an ``ApplicationBuilder`` already pointed at it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram.ext import ApplicationBuilder

from .ptb import app_builder
from .server import Emulator


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A running emulator on a free port; torn down (long polls released) after the test."""
    async with Emulator() as emu:
        yield emu


@pytest.fixture
def emulator_app_builder(emulator: Emulator) -> ApplicationBuilder:  # type: ignore[type-arg]
    """Token, base_url and base_file_url set; the test adds the rest and calls ``build()``."""
    return app_builder(emulator)
