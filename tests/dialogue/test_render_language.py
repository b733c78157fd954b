"""The screens the conversation core lays out read in the session's language, not in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue.machine import ReviewItem
from bot.dialogue.render import progress_hint, review_text, unknown_note
from bot.i18n import deferred, render
from tests.i18n.fake import installed_language

LATIN: dict[str | tuple[str, str], str | tuple[str, ...]] = {
    "Please check your answers:": "Responsa inspice:",
    "Problem": "Vitium",
    "Yes": "Ita",
    "OK, I'll note that you don't know yet. How to find out: {help}": "Notavi. Quaere: {help}",
    "See the order page.": "Paginam vide.",
    "Step {step} of about {total}": "Gradus {step} ex circiter {total}",
}


def test_the_review_list_the_note_and_the_progress_follow_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = review_text([ReviewItem("trade_assurance_order", "Problem", deferred("Yes"))])
    note = unknown_note("See the order page.")
    assert render(review) == "Please check your answers:\n  1. Problem: Yes"
    assert (
        render(note)
        == "OK, I'll note that you don't know yet. How to find out: See the order page."
    )
    with installed_language("la", LATIN, tmp_path, monkeypatch):
        assert render(review, "la") == "Responsa inspice:\n  1. Vitium: Ita"
        assert render(note, "la") == "Notavi. Quaere: Paginam vide."
        assert render(progress_hint(2, 5), "la") == "Gradus 2 ex circiter 5"
