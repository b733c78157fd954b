"""The matching contracts seen from outside: `ask --json` fields and `eval` breakdowns."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.commands import ask, evaluate
from bot.matching.embeddings import TABLE, stale_texts
from bot.matching.matcher import shared_encoder

CONTRACT = ("question", "topic", "score", "answer", "sources", "alternatives", "decision")


def test_ask_json_keeps_every_field_and_adds_the_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = "how much does trade assurance cost\nСколько стоит trade assurance?\n👍\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert ask.run(None, as_json=True) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["lang"] for r in rows] == ["en", "ru", "en"]
    for row in rows:
        assert all(key in row for key in (*CONTRACT, "warning"))
    assert rows[0]["topic"] == "cost-and-fees"
    assert rows[2]["topic"] is None and rows[2]["decision"] == "none"


def test_eval_reports_top3_and_breakdowns_by_language_and_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "questions:\n"
        "  - {q: 'how much does trade assurance cost', topic: cost-and-fees, lang: en, kind: a}\n"
        "  - {q: 'el trade assurance cobra comision al comprador?', topic: cost-and-fees,"
        " lang: es, kind: a}\n"
        "  - {q: 'who won the football match', topic: null, lang: en, kind: b}\n",
        encoding="utf-8",
    )
    evaluate.run(str(path), kb_dir=None, min_on=0.0, min_off=0.0)
    out = capsys.readouterr().out
    assert "on-topic top-3:" in out
    assert "by language (right/all): en " in out and "es " in out
    assert "by kind (right/all): a " in out and "b 1/1" in out


def test_shipped_embeddings_are_fresh_for_the_knowledge_text() -> None:
    from bot.kb.loader import load_knowledge

    encoder = shared_encoder()
    if encoder is None:
        pytest.skip("no encoder installed")
    stale = stale_texts(load_knowledge(), encoder.name, TABLE)
    assert not stale, f"run `python -m bot.matching.embeddings`: {stale[:3]}"
