"""`ta-advisor assess`: valid input, the JSON shape, stdin, and every class of bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

CLEAN: dict[str, Any] = {
    "as_of": "2026-03-10",
    "trade_assurance_order": True,
    "paid_via": "alibaba_order",
    "problem": "late_shipment",
    "receipt_confirmed": False,
    "agreed_date": "2026-02-20",
    "delivery_date": "2026-03-01",
    "amount_paid": 8000,
    "coverage_limit": 20000,
    "evidence": ["contract", "platform_chat", "tracking"],
}
CONTRACT_FIELDS = {
    "verdict",
    "strength",
    "remind_on",
    "claim_estimate",
    "reasons",
    "deadline",
    "days_left",
    "protected_amount",
    "unprotected_amount",
    "missing_evidence",
    "next_steps",
    "missing_facts",
}

Capsys = pytest.CaptureFixture[str]


def _assess(text: str, capsys: Capsys, monkeypatch: pytest.MonkeyPatch, *flags: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    return main(["assess", "-", *flags])


def test_json_output_has_exactly_the_contract_fields(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _assess(json.dumps(CLEAN), capsys, monkeypatch, "--json") == 0
    out = capsys.readouterr().out
    got = json.loads(out)
    assert set(got) == CONTRACT_FIELDS
    assert out.count("\n") == 1  # one object, one line
    assert got["verdict"] == "eligible" and got["strength"] == "strong"
    assert got["remind_on"] == "2026-03-24" and got["claim_estimate"] is None
    assert got["deadline"] == "2026-03-31" and got["days_left"] == 21
    assert got["protected_amount"] == 8000 and got["unprotected_amount"] == 0
    assert got["missing_evidence"] == ["timeline"]
    assert got["missing_facts"] == []
    for reason in got["reasons"]:
        assert set(reason) == {"code", "severity", "text", "sources"}
        assert all(s.endswith(".txt") for s in reason["sources"])
    assert all(isinstance(s, str) and s for s in got["next_steps"])


def test_plain_card_by_default(capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _assess(json.dumps(CLEAN), capsys, monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.startswith("✅")
    assert "31 March 2026" in out and "Alibaba decides" in out
    assert "<b>" not in out


def test_lang_is_validated_and_the_json_stays_english(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _assess(json.dumps(CLEAN), capsys, monkeypatch, "--json") == 0
    english = capsys.readouterr().out
    assert _assess(json.dumps(CLEAN), capsys, monkeypatch, "--json", "--lang", "en-GB") == 0
    assert capsys.readouterr().out == english  # the contract's words are English
    with pytest.raises(SystemExit) as exit_info:
        _assess(json.dumps(CLEAN), capsys, monkeypatch, "--lang", "xx")
    assert exit_info.value.code == 2
    assert "'xx' is not a supported language (en, ru, es, pt)" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["chat"], ["ask", "hello"]])
def test_chat_and_ask_take_lang_too(command: list[str], capsys: Capsys) -> None:
    with pytest.raises(SystemExit):
        main([*command, "--lang", "klingon"])
    assert "not a supported language" in capsys.readouterr().err


def test_reads_a_file(tmp_path: Path, capsys: Capsys) -> None:
    file = tmp_path / "facts.json"
    file.write_text(json.dumps({"paid_via": "western_union"}), encoding="utf-8")
    assert main(["assess", str(file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "not_eligible"


def test_empty_object_needs_more_info(capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _assess("{}", capsys, monkeypatch, "--json") == 0
    got = json.loads(capsys.readouterr().out)
    assert got["verdict"] == "need_more_info"
    assert got["missing_facts"] == [
        "problem",
        "paid_via",
        "trade_assurance_order",
        "amount_paid",
        "receipt_confirmed",
    ]


def test_nulls_mean_unknown(capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    data = {**CLEAN, "coverage_limit": None, "evidence": None, "specs_in_contract": None}
    assert _assess(json.dumps(data), capsys, monkeypatch, "--json") == 0
    assert "COVERAGE_UNKNOWN" in {r["code"] for r in json.loads(capsys.readouterr().out)["reasons"]}


BAD_INPUTS = [
    ("not json", "{as_of: 2026}", "input"),
    ("truncated", '{"as_of": "2026-03-01"', "input"),
    ("empty", "   ", "input"),
    ("array", "[1, 2]", "input"),
    ("string", '"hello"', "input"),
    ("null", "null", "input"),
    ("unknown field", '{"colour": "red"}', "colour"),
    ("unknown paid_via", '{"paid_via": "cash"}', "paid_via"),
    ("unknown problem", '{"problem": "bad_vibes"}', "problem"),
    ("unknown specs", '{"specs_in_contract": "precise"}', "specs_in_contract"),
    ("unknown evidence item", '{"evidence": ["contract", "receipt"]}', "evidence[1]"),
    ("evidence not a list", '{"evidence": "contract"}', "evidence"),
    ("impossible date", '{"as_of": "2026-02-30"}', "as_of"),
    ("date in words", '{"delivery_date": "yesterday"}', "delivery_date"),
    ("date as number", '{"delivery_date": 20260301}', "delivery_date"),
    ("datetime", '{"delivery_date": "2026-03-01T10:00:00"}', "delivery_date"),
    ("negative amount", '{"amount_paid": -5}', "amount_paid"),
    ("negative limit", '{"coverage_limit": -1}', "coverage_limit"),
    ("NaN", '{"amount_paid": NaN}', "amount_paid"),
    ("infinite", '{"coverage_limit": 1e999}', "coverage_limit"),
    ("amount as string", '{"amount_paid": "8000"}', "amount_paid"),
    ("amount as bool", '{"amount_paid": true}', "amount_paid"),
    ("bool as string", '{"trade_assurance_order": "yes"}', "trade_assurance_order"),
    ("bool as number", '{"receipt_confirmed": 0}', "receipt_confirmed"),
    ("enum as number", '{"problem": 3}', "problem"),
    ("duplicate key", '{"amount_paid": 1, "amount_paid": 2}', "amount_paid"),
]


@pytest.mark.parametrize(
    ("text", "field"), [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_exits_2_naming_the_field(
    text: str, field: str, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _assess(text, capsys, monkeypatch, "--json") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines and all(line.startswith("ta-advisor assess: error: ") for line in lines)
    assert any(
        line.removeprefix("ta-advisor assess: error: ").startswith(f"{field}:") for line in lines
    )
    assert "Traceback" not in captured.err


def test_every_problem_gets_its_own_line(capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    text = '{"paid_via": "cash", "amount_paid": -1, "as_of": "soon", "extra": 1}'
    assert _assess(text, capsys, monkeypatch) == 2
    err = capsys.readouterr().err
    for field in ("paid_via:", "amount_paid:", "as_of:", "extra:"):
        assert f"error: {field}" in err
    assert len(err.strip().splitlines()) == 4


def test_enum_error_lists_the_allowed_values(
    capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assess('{"paid_via": "cash"}', capsys, monkeypatch)
    err = capsys.readouterr().err
    assert "alibaba_order" in err and "western_union" in err and '"cash"' in err


def test_missing_file(tmp_path: Path, capsys: Capsys) -> None:
    assert main(["assess", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_binary_file(tmp_path: Path, capsys: Capsys) -> None:
    file = tmp_path / "facts.json"
    file.write_bytes(b"\xff\xfe{")
    assert main(["assess", str(file)]) == 2
    assert "UTF-8" in capsys.readouterr().err


def test_console_script_end_to_end() -> None:
    """The real entry point, stdin "-", one process: what score.py does."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "assess", "-", "--json"],
        input=json.dumps({**CLEAN, "paid_via": "supplier_bank_account"}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert got["verdict"] == "not_eligible"
    assert got["reasons"][0]["code"] == "OFF_PLATFORM_PAYMENT"


def test_console_script_bad_input_has_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "assess", "-"],
        input="[]",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and "input:" in proc.stderr
