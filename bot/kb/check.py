"""Whole-base validation behind `ta-advisor kb check` and strict loading.

Each problem is one `file: problem` line, so a curator can go straight to the defect.
"""

from __future__ import annotations

import html
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bot.i18n import DEFAULT_LANG, SUPPORTED_LANGS
from bot.kb.loader import KnowledgeBase
from bot.kb.markup import MESSAGE_LIMIT, markup_problems, to_plain, visible_length
from bot.kb.models import LEAD_MAX, Topic
from bot.kb.render import render_html, render_lead_html, render_short_html
from bot.kb.translations import check_translations, translations_dir

ENV_SEEDS_DIR = "TA_ADVISOR_SEEDS"
COPY_RUN_WORDS = 7
"""A run of this many words shared with a seed counts as copied (the audit found a 7-word one)."""

SEED_FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{8,}(?:\.txt)?\b")
"""How a seed file is named (`003_e49dd6f428c4738a.txt`): never shown to people."""

_WORD = re.compile(r"[a-z0-9$%]+(?:['.,][a-z0-9]+)*")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'})


def normalise(text: str) -> str:
    """What the copy check compares: tags dropped, entities decoded (`&#8217;` is `’`), curly
    quotes made straight, lower case. Both sides go through it, so neither an entity nor a
    quote style hides a copy."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    return text.translate(_QUOTES).lower()


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def _runs(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def seed_runs(seeds_dir: Path, n: int = COPY_RUN_WORDS) -> set[tuple[str, ...]]:
    """All n-word runs of the seed documents, normalised like our texts."""
    runs: set[tuple[str, ...]] = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        runs |= _runs(_words(path.read_text(encoding="utf-8", errors="replace")), n)
    return runs


def copied_run(text: str, runs: set[tuple[str, ...]]) -> str | None:
    """The first run of `text` that stands in a seed, or None."""
    words = _words(text)
    for i in range(len(words) - COPY_RUN_WORDS + 1):
        run = tuple(words[i : i + COPY_RUN_WORDS])
        if run in runs:
            return " ".join(run)
    return None


def topic_texts(topic: Topic) -> list[tuple[str, str]]:
    """Every text of a topic people read or the matcher learns from, as (field, text).

    Source `section`s are left out: they name the part of a seed cited, often by its heading."""
    texts = [("title", topic.title), ("lead", topic.lead or ""), ("short", topic.short)]
    texts.append(("answer", topic.answer))
    texts += [(f"questions[{n}]", q) for n, q in enumerate(topic.questions)]
    texts += [(f"keywords[{n}]", k) for n, k in enumerate(topic.keywords)]
    return texts


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
    if topic.lead is None:
        yield "lead: missing (every topic needs a first screen that answers the situation)"
    else:
        for problem in markup_problems(topic.lead):
            yield f"lead: invalid markup: {problem}"
        shown = visible_length(render_lead_html(topic, kb.seeds))
        if shown > LEAD_MAX:
            yield f"lead: {shown} characters rendered with title and sources, over {LEAD_MAX}"
    if "<" in topic.short or "&" in topic.short:
        yield "short: must be plain text (no tags or entities)"
    for name, text in (
        ("answer", render_html(topic, kb.seeds)),
        ("short", render_short_html(topic, kb.seeds)),
    ):
        if visible_length(text) > MESSAGE_LIMIT:
            yield f"{name}: {visible_length(text)} characters rendered, over {MESSAGE_LIMIT}"
    for name, text in topic_texts(topic):
        if SEED_FILE_NAME.search(text):
            yield f"{name}: shows a seed file name; cite the publisher and title instead"
    for ref in topic.related:
        if ref == topic.id:
            yield "related: a topic cannot relate to itself"
        elif ref not in kb.topics:
            yield f"related: unknown topic id {ref!r}"
    for seed in topic.seed_files:
        if kb.seeds and seed not in kb.seeds:
            yield f"sources: unknown seed {seed!r}"


def _copied_runs(topic: Topic, runs: set[tuple[str, ...]]) -> Iterable[str]:
    for name, text in topic_texts(topic):
        hit = copied_run(text, runs)
        if hit:
            yield f"{name}: copies a seed: {hit!r}"


def _glossary_problems(kb: KnowledgeBase, runs: set[tuple[str, ...]]) -> Iterable[str]:
    for term in kb.glossary.values():
        for name, text in (("term", term.term), ("text", term.text)):
            hit = copied_run(text, runs)
            if hit:
                yield f"glossary.yaml: {term.id}: {name}: copies a seed: {hit!r}"
            if SEED_FILE_NAME.search(text):
                yield f"glossary.yaml: {term.id}: {name}: shows a seed file name"


def _rendered_problems(topic: Topic, kb: KnowledgeBase) -> Iterable[str]:
    """What people see must never name a seed file: checks the rendered lead and answer."""
    views = (
        ("rendered answer", render_html(topic, kb.seeds)),
        ("rendered lead", render_lead_html(topic, kb.seeds)),
    )
    for name, text in views:
        if SEED_FILE_NAME.search(to_plain(text)):
            yield f"{name}: shows a seed file name (is the seed listed in seeds.yaml?)"


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
        problems += [f"{name}: {p}" for p in _rendered_problems(topic, kb)]
    problems += list(_glossary_problems(kb, runs))
    # A base with translations must carry every offered language whole; one without any (a
    # curator's test base) is English only and is answered in English.
    translated = kb.folder is not None and translations_dir(kb.folder).is_dir()
    offered = [lang for lang in SUPPORTED_LANGS if lang != DEFAULT_LANG and translated]
    problems += check_translations(kb.topics, kb.translations, kb.glossary, offered)
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
