"""A parser's re-ask is a message with figures, so it reads in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bot.dialogue.parsers import Option, ParseError, parse_choice, parse_multi
from bot.dialogue.question import YES_NO_OPTIONS
from bot.i18n import render
from tests.i18n.fake import installed_language

LATIN: dict[str | tuple[str, str], str | tuple[str, ...]] = {
    "Please choose one by number: {options}.": "Elige numero: {options}.",
    "I didn't catch that.": "Non intellexi.",
    'I couldn\'t match "{part}".': 'Non congruit "{part}".',
    "Yes": "Ita",
    "No": "Minime",
    "Did you mean {a} or {b}? Please send the number.": "{a} an {b}? Numerum mitte.",
}


def _reask(parse: Callable[[str, Sequence[Option]], object], text: str) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(text, YES_NO_OPTIONS)
    return info.value


def test_the_numbered_options_are_rendered_for_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = _reask(parse_choice, "zzzzqqq xx")
    assert str(error) == "I didn't catch that. Please choose one by number: 1 = Yes; 2 = No."
    with installed_language("la", LATIN, tmp_path, monkeypatch):
        assert render(error.text, "la") == "Non intellexi. Elige numero: 1 = Ita; 2 = Minime."
        assert render(error.text, "en") == str(error)


def test_a_re_ask_about_one_part_keeps_the_part_and_the_inner_re_ask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    error = _reask(parse_multi, "yes and ab")
    assert str(error) == 'I couldn\'t match "ab". Please choose one by number: 1 = Yes; 2 = No.'
    with installed_language("la", LATIN, tmp_path, monkeypatch):
        assert render(error.text, "la") == 'Non congruit "ab". Elige numero: 1 = Ita; 2 = Minime.'


def test_did_you_mean_is_one_sentence_with_its_or_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = (Option("wu", "Western Union"), Option("wise", "Wise transfer"), Option("c", "Cash"))
    with pytest.raises(ParseError) as info:
        parse_choice("westrn", options)
    error = info.value
    assert str(error) == (
        "Did you mean 1 (Western Union) or 2 (Wise transfer)? Please send the number."
    )
    assert error.suggestions == ("wu", "wise")
    with installed_language("la", LATIN, tmp_path, monkeypatch):
        assert render(error.text, "la") == "1 (Western Union) an 2 (Wise transfer)? Numerum mitte."
