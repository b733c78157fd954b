"""`ta-advisor assess FILE [--json]`: facts JSON in, assessment out.

Bad input must never end in a traceback: the user gets one line per problem, naming the field,
on stderr and exit status 2, so scripts and people can both see what to fix.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.claims.assess import assess
from bot.claims.card import render_text
from bot.claims.facts import Evidence, Facts, PaidVia, Problem, Specs
from bot.i18n import DEFAULT_LANG

EXIT_BAD_INPUT = 2

_ENUMS: dict[str, list[str]] = {
    "paid_via": [v.value for v in PaidVia],
    "problem": [v.value for v in Problem],
    "specs_in_contract": [v.value for v in Specs],
    "evidence": [v.value for v in Evidence],
}


class InputError(Exception):
    """Input that cannot become Facts; each message names the field it is about."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def run(file: str, as_json: bool, lang: str = DEFAULT_LANG) -> int:
    """Assess the facts in `file` ("-" for stdin); print JSON or the plain card. 2 on bad input.

    The JSON contract's words are English whatever `lang` is (its consumers are scripts and
    the scorer); the card is rendered for `lang`."""
    try:
        facts = parse_facts(_read(file))
    except InputError as err:
        for problem in err.problems:
            print(f"ta-advisor assess: error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    assessment = assess(facts)
    if as_json:
        print(json.dumps(assessment.contract()))
    else:
        print(render_text(assessment, lang))
    return 0


def _read(file: str) -> str:
    if file == "-":
        try:
            return sys.stdin.read()
        except UnicodeDecodeError as err:
            raise InputError([f"input: standard input is not UTF-8 text ({err.reason})"]) from None
    try:
        return Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError([f"input: {file} is not UTF-8 text ({err.reason})"]) from None
    except OSError as err:
        raise InputError([f"input: cannot read {file}: {err.strerror or err}"]) from None


def parse_facts(text: str) -> Facts:
    """Strictly parse one facts object: no coercion of "yes" to true or "5" to 5."""
    if not text.strip():
        raise InputError(["input: empty; expected one JSON object with the order's facts"])
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as err:
        raise InputError(
            [f"input: not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})"]
        ) from None
    except RecursionError:
        raise InputError(["input: JSON nested too deeply"]) from None
    except InputError:
        raise
    if not isinstance(data, dict):
        kind = type(data).__name__.replace("NoneType", "null")
        raise InputError([f"input: expected one JSON object, got a JSON {kind}"])
    try:
        return Facts.model_validate_json(text, strict=True)
    except ValidationError as err:
        raise InputError([_describe(e) for e in err.errors()]) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise InputError([f"{k}: given more than once" for k in dupes])
    return dict(pairs)


def _describe(error: Any) -> str:
    """One readable line for one pydantic error, starting with the field it concerns."""
    loc = error.get("loc", ())
    field = str(loc[0]) if loc else "input"
    where = field + "".join(f"[{part}]" for part in loc[1:])
    kind = error.get("type", "")
    got = json.dumps(error.get("input"), default=str)
    if not loc:
        return "input: expected one JSON object"
    if kind == "extra_forbidden":
        return f"{where}: unknown field (known fields: {', '.join(Facts.model_fields)})"
    if kind == "enum":
        return f"{where}: {got} is not one of {', '.join(_ENUMS.get(field, []))}"
    if kind.startswith("date"):
        return f"{where}: {got} is not a valid date; use YYYY-MM-DD"
    if kind == "greater_than_equal":
        return f"{where}: must not be negative (got {got})"
    if kind == "finite_number":
        return f"{where}: must be a finite number"
    if kind == "bool_type":
        return f"{where}: must be true or false (got {got})"
    if kind in ("float_type", "float_parsing"):
        return f"{where}: must be a number in US dollars (got {got})"
    if kind in ("frozen_set_type", "set_type", "list_type"):
        return f"{where}: must be a list of {', '.join(_ENUMS.get(field, []))} (got {got})"
    return f"{where}: {error.get('msg', 'invalid value')} (got {got})"
