"""The message catalogue template (`locale/messages.pot`), extracted from the source with Babel.

Every sentence marked with `_`, `n_` or `N_` under `bot/` lands in the template; translators
start a language from it (`pybabel init -i bot/i18n/locale/messages.pot -d bot/i18n/locale -l
ru`) and `pybabel update` keeps their `.po` in step. The template is written without dates or
line numbers, so it changes only when a sentence does, and a test fails when it is stale:
`python -m bot.i18n.catalogue` rewrites it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n.render import DOMAIN, LOCALE_DIR, catalogue_path

ROOT = Path(__file__).resolve().parents[2]
"""The repository (the source tree holding `bot/` and `babel.cfg`)."""

TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "n_": (1, 2), "N_": None}
"""The markers: a sentence, a plural pair, a constant declared as data."""

_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
"""A fixed creation date, so the template depends on the source only."""


def extract(root: Path = ROOT) -> Catalog:
    """Every marked message under `root/bot`, in source order, with the files that use it."""
    catalog = Catalog(
        project="ta-advisor",
        domain=DOMAIN,
        creation_date=_EPOCH,
        revision_date=_EPOCH,
        fuzzy=False,
    )
    method_map = [("**.py", "python")]
    for filename, line, message, comments, context in extract_from_dir(
        str(root / "bot"), method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        location = (f"bot/{Path(filename).as_posix()}", line)  # the line is not written
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def template_text(root: Path = ROOT) -> str:
    """The `.pot` file's content for the source as it is now."""
    buffer = io.BytesIO()
    write_po(buffer, extract(root), width=100, include_lineno=False, sort_by_file=False)
    text = buffer.getvalue().decode("utf-8")
    # The generator's version is not part of the source: another Babel must not make it stale.
    return "".join(line for line in text.splitlines(keepends=True) if "Generated-By" not in line)


_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")
_TAG = re.compile(r"</?(?:b|i|u|code|a)\b[^>]*>")


def _shape(text: str) -> tuple[Counter[str], Counter[str]]:
    """What a translation must keep of its source: the named figures and the markup tags."""
    return Counter(_PLACEHOLDER.findall(text)), Counter(_TAG.findall(text))


def _forms(value: object) -> tuple[str, ...]:
    """A message id or translation as its forms (one, or one per plural form)."""
    if isinstance(value, list | tuple):
        return tuple(str(v or "") for v in value)
    return (str(value or ""),)


def catalogue_problems(lang: str) -> list[str]:
    """Why a language's catalogue is not complete and safe to render, as `file: problem` lines.

    Complete: every message of the template is translated (every plural form), none fuzzy.
    Safe: each translation has exactly the source's `{figures}` (a missing one loses a date, an
    unknown one raises at render) and the same markup tags (Telegram rejects unbalanced HTML).
    """
    path = catalogue_path(lang)
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    if not path.is_file():
        return [f"{name}: missing"]
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    problems: list[str] = []
    for message in extract():
        if not message.id:
            continue
        sources = _forms(message.id)
        key = sources[0]
        shown = key if len(key) <= 60 else key[:57] + "..."
        entry = catalog.get(message.id)
        if entry is None or entry.string in (None, "", ()):
            problems.append(f"{name}: {shown!r}: not translated")
            continue
        if entry.fuzzy:
            problems.append(f"{name}: {shown!r}: fuzzy")
        strings = _forms(entry.string)
        if any(not s for s in strings):
            problems.append(f"{name}: {shown!r}: a plural form is empty")
            continue
        placeholders, tags = _shape(sources[0])
        for source in sources[1:]:
            placeholders |= _shape(source)[0]
        for string in strings:
            got_placeholders, got_tags = _shape(string)
            if set(got_placeholders) - set(placeholders) or (
                set(placeholders) - {"n"} - set(got_placeholders)
            ):
                problems.append(f"{name}: {shown!r}: figures differ from the source")
            if got_tags != tags:
                problems.append(f"{name}: {shown!r}: markup differs from the source")
    return problems


def main(argv: list[str]) -> int:
    """Rewrite the template from the source; with `--check LANG...`, report those catalogues."""
    if argv[:1] == ["--check"]:
        problems = [p for lang in argv[1:] for p in catalogue_problems(lang)]
        print("\n".join([*problems, f"{len(problems)} problem(s)"]))
        return 1 if problems else 0
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_text(template_text(), encoding="utf-8")
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(extract())} messages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
