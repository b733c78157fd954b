"""`ta-advisor kb check`: validate the knowledge base for curators and CI."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.kb.check import check_knowledge, find_seeds_dir
from bot.kb.loader import default_kb_dir, read_knowledge
from bot.kb.markup import visible_length
from bot.kb.models import LEAD_MAX
from bot.kb.render import render_lead_html


def run_check(kb_dir: str | None = None) -> int:
    """Print `file: problem` for every defect; exit 1 when there is any, 0 otherwise."""
    folder = Path(kb_dir) if kb_dir else default_kb_dir()
    if not folder.is_dir():
        print(f"{folder}: knowledge folder not found", file=sys.stderr)
        return 1
    kb, pairs, problems = read_knowledge(folder)
    seeds_dir = find_seeds_dir(folder)
    if seeds_dir is not None and not any(seeds_dir.glob("*.txt")):
        problems.append(f"{seeds_dir}: no seed documents (*.txt) here; check TA_ADVISOR_SEEDS")
        seeds_dir = None
    problems += check_knowledge(kb, pairs, seeds_dir)
    for line in problems:
        print(line)
    copy_note = f"copy check against {seeds_dir}" if seeds_dir else "copy check skipped (no seeds)"
    verdict = f"{len(problems)} problem(s)" if problems else "OK"
    longest = max((visible_length(render_lead_html(t, kb.seeds)) for _, t in pairs), default=0)
    sizes = (
        f"longest first screen {longest}/{LEAD_MAX} characters, {len(kb.glossary)} glossary terms"
    )
    print(f"kb check: {len(pairs)} topics, {sizes}, {copy_note}: {verdict}", file=sys.stderr)
    return 1 if problems else 0
