"""A language added for a test the way the languages issue will add one: one `.po` file."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

i18n_render = importlib.import_module("bot.i18n.render")  # the package's `render` is the function
i18n_text = importlib.import_module("bot.i18n.text")


@contextmanager
def installed_language(
    lang: str,
    entries: Mapping[str | tuple[str, str], str | tuple[str, ...]],
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    fuzzy: tuple[str, ...] = (),
) -> Iterator[None]:
    """`lang` supported, with `entries` translated (and `fuzzy` ids marked fuzzy, untranslated)."""
    catalog = Catalog(locale=lang, domain="messages")
    for msgid, translation in entries.items():
        catalog.add(msgid, translation)
    for msgid in fuzzy:
        catalog.add(msgid, "", flags=["fuzzy"])
    where = folder / lang / "LC_MESSAGES"
    where.mkdir(parents=True)
    with (where / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(i18n_render, "LOCALE_DIR", folder)
    monkeypatch.setattr(i18n_text, "SUPPORTED_LANGS", ("en", lang))
    i18n_render.translations.cache_clear()
    try:
        yield
    finally:
        i18n_render.translations.cache_clear()
