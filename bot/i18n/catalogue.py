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
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from bot.i18n.render import DOMAIN, LOCALE_DIR

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


def main() -> None:
    """Rewrite the template from the source."""
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_text(template_text(), encoding="utf-8")
    print(f"{TEMPLATE.relative_to(ROOT)}: {len(extract())} messages")


if __name__ == "__main__":
    main()
