"""Cited seed names must be the ones the knowledge base declares."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.claims.case import Case
from bot.claims.facts import Facts, Problem
from bot.claims.rules import RULES
from bot.claims.sources import SEED_FILES, cite

SEEDS_YAML = Path(__file__).resolve().parents[2] / "knowledge" / "seeds.yaml"


def test_seed_files_match_knowledge_seeds_yaml() -> None:
    if not SEEDS_YAML.exists():
        pytest.skip("knowledge/seeds.yaml not present")
    declared = {s["file"] for s in yaml.safe_load(SEEDS_YAML.read_text(encoding="utf-8"))["seeds"]}
    assert set(SEED_FILES.values()) <= declared
    for number, name in SEED_FILES.items():
        assert name.startswith(number + "_")


def test_every_rule_but_need_facts_cites_sources() -> None:
    for rule in RULES:
        sourced = bool(rule.sources(Case.of(Facts(problem=Problem.TRANSIT_DAMAGE))))
        assert sourced is (rule.code.value not in ("NEED_FACTS", "NOTHING_PAID"))


def test_cite_keeps_order() -> None:
    assert cite("003", "001") == (SEED_FILES["003"], SEED_FILES["001"])


def test_reason_texts_name_publishers_not_seed_numbers() -> None:
    """A buyer reading the typical-window note learns who says 30 days and who says 15."""
    import re

    from bot.claims.assess import assess

    data = Path(__file__).parent / "data"
    seed_number = re.compile(r"(?<![\d,])00[0-4](?![\d,])")
    for name in ("scenarios-v2.yaml", "heldout-v2.yaml", "review-v2.yaml"):
        for case in yaml.safe_load((data / name).read_text(encoding="utf-8"))["scenarios"]:
            for reason in assess(Facts.model_validate(case["facts"])).reasons:
                assert not seed_number.search(reason.text), (case["name"], reason.text)
