"""Whole-base validation behind `ta-advisor kb check` and strict loading.

Each problem is one `file: problem` line, so a curator can go straight to the defect.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bot.kb.loader import KnowledgeBase
from bot.kb.markup import MESSAGE_LIMIT, markup_problems, visible_length
from bot.kb.models import LEAD_MAX, Topic
from bot.kb.render import render_html, render_short_html

ENV_SEEDS_DIR = "TA_ADVISOR_SEEDS"
COPY_RUN_WORDS = 8
"""A run of this many words shared with a seed counts as a copied sentence."""

_WORD = re.compile(r"[a-z0-9$%]+(?:['’.,][a-z0-9]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(re.sub(r"<[^>]*>", " ", text.lower()))


def _runs(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def seed_runs(seeds_dir: Path, n: int = COPY_RUN_WORDS) -> set[tuple[str, ...]]:
    """All n-word runs of the seed documents (lower-cased, tags dropped)."""
    runs: set[tuple[str, ...]] = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        runs |= _runs(_words(path.read_text(encoding="utf-8", errors="replace")), n)
    return runs


def find_seeds_dir(kb_folder: Path | None) -> Path | None:
    """`$TA_ADVISOR_SEEDS`, else `../shared/seeds` beside the repository, when present.

    The seeds are not shipped, so the copy check runs only where they are (CI, curators).
    """
    env = os.environ.get(ENV_SEEDS_DIR)
    if env:
        return Path(env)
    if kb_folder is None:
        return None
    candidate = kb_folder.resolve().parent.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


def _topic_problems(topic: Topic, kb: KnowledgeBase) -> Iterable[str]:
    for problem in markup_problems(topic.answer):
        yield f"answer: invalid markup: {problem}"
    if topic.lead is not None:
        for problem in markup_problems(topic.lead):
            yield f"lead: invalid markup: {problem}"
        if visible_length(topic.lead) > LEAD_MAX:
            yield f"lead: {visible_length(topic.lead)} characters rendered, over {LEAD_MAX}"
    if "<" in topic.short or "&" in topic.short:
        yield "short: must be plain text (no tags or entities)"
    for name, text in (("answer", render_html(topic)), ("short", render_short_html(topic))):
        if visible_length(text) > MESSAGE_LIMIT:
            yield f"{name}: {visible_length(text)} characters rendered, over {MESSAGE_LIMIT}"
    for ref in topic.related:
        if ref == topic.id:
            yield "related: a topic cannot relate to itself"
        elif ref not in kb.topics:
            yield f"related: unknown topic id {ref!r}"
    for seed in topic.seed_files:
        if kb.seeds and seed not in kb.seeds:
            yield f"sources: unknown seed {seed!r}"


def _copied_runs(topic: Topic, runs: set[tuple[str, ...]]) -> Iterable[str]:
    for field, text in (
        ("answer", topic.answer),
        ("short", topic.short),
        ("lead", topic.lead or ""),
    ):
        hit = next((r for r in _runs(_words(text), COPY_RUN_WORDS) if r in runs), None)
        if hit:
            yield f"{field}: copies a seed: {' '.join(hit)!r}"


def check_knowledge(
    kb: KnowledgeBase,
    files: list[tuple[Path, Topic]],
    seeds_dir: Path | None = None,
) -> list[str]:
    """Every defect of a loaded base, as `file: problem` lines (empty when it is sound)."""
    problems: list[str] = []
    counts = Counter(t.id for _, t in files)
    runs = seed_runs(seeds_dir) if seeds_dir else set()
    for path, topic in files:
        name = path.name
        if counts[topic.id] > 1:
            problems.append(f"{name}: duplicate topic id {topic.id!r}")
        if path.stem != topic.id:
            problems.append(f"{name}: id {topic.id!r} differs from the file name")
        problems += [f"{name}: {p}" for p in _topic_problems(topic, kb)]
        problems += [f"{name}: {p}" for p in _copied_runs(topic, runs)]
    for req in kb.required:
        required_topic = kb.topics.get(req.id)
        if required_topic is None:
            problems.append(f"required.yaml: topic {req.id!r} is missing")
            continue
        cited = {s.prefix for s in required_topic.sources}
        missing = [p for p in req.sources if p not in cited]
        if missing:
            problems.append(f"{req.id}.yaml: sources: must also cite seed(s) {', '.join(missing)}")
    return problems
