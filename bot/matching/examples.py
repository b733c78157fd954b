"""Example questions in Russian, Spanish and Portuguese (`knowledge/examples/<lang>.yaml`).

The base's own examples are English. A Russian message read by the encoder lands nearer a
Russian question than an English one, and the character signal has no Cyrillic n-grams to
match at all, so each topic also carries a few questions per language, written from its facts.
They feed the character index (read through the glossary, as a message in that language is)
and the encoder's table; the word signal stays English. A file per language keeps them apart
from the topics' English text, which other work edits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from bot.kb.loader import KnowledgeBase
from bot.kb.markup import to_plain
from bot.yamltext import parse

log = logging.getLogger(__name__)

EXAMPLE_LANGUAGES = ("ru", "es", "pt")

Examples = Mapping[str, tuple[tuple[str, str], ...]]
"""Topic id -> ((language, question), ...), languages in `EXAMPLE_LANGUAGES` order."""

NO_EXAMPLES: Examples = MappingProxyType({})


def load_examples(kb: KnowledgeBase) -> Examples:
    """The examples of the base's topics from `<kb folder>/examples/`; none without a folder.
    A topic id the base does not have is skipped (and logged): a renamed topic must not break
    the matcher."""
    if kb.folder is None:
        return NO_EXAMPLES
    return read_examples(kb.folder / "examples", set(kb.topics))


def read_examples(folder: Path, topic_ids: set[str]) -> Examples:
    """Read every language file present in `folder`."""
    out: dict[str, list[tuple[str, str]]] = {}
    for lang in EXAMPLE_LANGUAGES:
        path = folder / f"{lang}.yaml"
        if not path.exists():
            continue
        data = parse(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected topic ids mapping to lists of questions")
        for tid, questions in data.items():
            if tid not in topic_ids:
                log.warning("%s: no topic %r; its examples are skipped", path.name, tid)
                continue
            if not isinstance(questions, list):
                raise ValueError(f"{path}: {tid}: expected a list of questions")
            out.setdefault(str(tid), []).extend((lang, str(q).strip()) for q in questions if q)
    return MappingProxyType({tid: tuple(rows) for tid, rows in out.items()})


OUTSIDE_FILE = "outside.yaml"
Outside = tuple[tuple[str, str], ...]
"""(language, message) the base must not answer: other marketplaces, general trade, Alibaba
matters outside Trade Assurance, small talk and spam."""


def load_outside(kb: KnowledgeBase) -> Outside:
    """The base's messages from outside its subject (`<kb folder>/examples/outside.yaml`: a
    mapping of language to messages); none without the file."""
    if kb.folder is None:
        return ()
    return read_outside(kb.folder / "examples" / OUTSIDE_FILE)


def read_outside(path: Path) -> Outside:
    """Read one file of messages from outside the base's subject."""
    if not path.exists():
        return ()
    data = parse(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError(f"{path}: expected languages mapping to lists of messages")
    return tuple((str(lang), str(q).strip()) for lang, rows in data.items() for q in rows if q)


def siblings(examples: Examples, topic_id: str, index: int) -> tuple[int, ...]:
    """Positions in the topic's rows of one example and of its translations: the files are
    written in parallel (the n-th question of a topic says the same in every language), so a
    fair leave-one-out leaves all of them out."""
    rows = examples[topic_id]
    lang = rows[index][0]
    nth = sum(1 for code, _ in rows[:index] if code == lang)
    seen: dict[str, int] = {}
    out = []
    for pos, (code, _) in enumerate(rows):
        if seen.get(code, 0) == nth:
            out.append(pos)
        seen[code] = seen.get(code, 0) + 1
    return tuple(out)


def without_example(
    examples: Examples, topic_id: str, index: int, *, translations: bool = True
) -> Examples:
    """The examples without one (and its translations): the fit's leave-one-out."""
    drop = set(siblings(examples, topic_id, index)) if translations else {index}
    rows = tuple(r for pos, r in enumerate(examples[topic_id]) if pos not in drop)
    return MappingProxyType({**examples, topic_id: rows})


_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
MIN_SENTENCE = 12
"""Shorter pieces ("Qué hacer ahora:") say nothing about their topic."""
TRANSLATED_FIELDS = ("title", "lead", "short")
"""What of a topic's translation the matcher reads: the title (a question's length) and the
sentences of the lead and short answer (each topic's own facts in its own words). The full
answer is left out: it also explains neighbouring topics, which would pull messages there."""


def translated_documents(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(topic id, language, plain text) of each topic's translations (`knowledge/translations`):
    its title, then each sentence of its lead and short answer; topics in base order, languages
    in `EXAMPLE_LANGUAGES` order."""
    out: list[tuple[str, str, str]] = []
    for tid in kb.topics:
        for lang in EXAMPLE_LANGUAGES:
            translation = kb.translations.topics.get(lang, {}).get(tid)
            if translation is None:
                continue
            out.append((tid, lang, to_plain(translation.title).strip()))
            for name in TRANSLATED_FIELDS[1:]:
                for sentence in _SENTENCE.split(to_plain(getattr(translation, name))):
                    if len(sentence := sentence.strip()) >= MIN_SENTENCE:
                        out.append((tid, lang, sentence))
    return out


def translated_titles(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(topic id, plain title) of each topic's translations, topics in base order, languages in
    `EXAMPLE_LANGUAGES` order: the encoder compares a message in another language with them
    as with the examples."""
    return [
        (tid, to_plain(t.title).strip())
        for tid in kb.topics
        for lang in EXAMPLE_LANGUAGES
        if (t := kb.translations.topics.get(lang, {}).get(tid)) is not None
    ]


def translated_shorts(kb: KnowledgeBase, lang: str) -> list[str]:
    """Per topic in base order, its short answer in `lang` (plain), or "" without one: the
    encoder reads them as passages."""
    texts = kb.translations.topics.get(lang, {})
    return [to_plain(texts[tid].short).strip() if tid in texts else "" for tid in kb.topics]
