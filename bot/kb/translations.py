"""Topics and glossary entries in the other languages, and the checks that keep them faithful.

A translation restates an English topic's title, lead, short answer and full answer; the facts
stay with the English file (sources, related topics, warning flag), so a translation can never
cite a different seed or drift to another topic. `kb check` holds every translation to the
same figures as its English text, field by field: a day count or a percentage that changes in
translation is wrong advice in that language.

Layout: `knowledge/translations/<lang>/<topic-id>.yaml` and
`knowledge/translations/<lang>/glossary.yaml`.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.kb.glossary import Term
from bot.kb.markup import markup_problems, to_plain
from bot.kb.models import Topic

TRANSLATED_LANGS: tuple[str, ...] = ("ru", "es", "pt")
"""Languages whose knowledge base must be complete (`kb check` reports every gap)."""

TITLE_MAX = 90
SHORT_MAX = 420
ANSWER_MAX = 3600
LEAD_SHOWN_MAX = 720
"""Visible characters of the first screen (title, lead, sources line), a fifth over English's."""
"""Translations run longer than English (Russian by a fifth); the rendered-length checks
(one phone screen for the lead, Telegram's message limit) still apply as in English."""


class TopicTranslation(BaseModel):
    """One topic's reader-facing text in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=3, max_length=TITLE_MAX)
    lead: str = Field(min_length=40)
    short: str = Field(min_length=20, max_length=SHORT_MAX)
    answer: str = Field(min_length=40, max_length=ANSWER_MAX)


class TermTranslation(BaseModel):
    """One glossary entry's text in one language; the term and its id stay as in English
    unless the language has its own word (then `term`, with English kept as an alias)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    term: str | None = Field(default=None, min_length=1, max_length=40)
    expansion: str | None = None
    aliases: tuple[str, ...] = ()
    text: str = Field(min_length=20, max_length=500)


class Translations(BaseModel):
    """Every language's topics and glossary entries, by language then id."""

    model_config = ConfigDict(frozen=True)

    topics: dict[str, dict[str, TopicTranslation]] = Field(default_factory=dict)
    glossary: dict[str, dict[str, TermTranslation]] = Field(default_factory=dict)

    def localize_topics(self, english: Mapping[str, Topic], lang: str) -> dict[str, Topic]:
        """The English topics with their text in `lang` where translated, in the same order."""
        texts = self.topics.get(lang, {})
        return {
            topic_id: topic.model_copy(update=texts[topic_id].model_dump(exclude={"id"}))
            if topic_id in texts
            else topic
            for topic_id, topic in english.items()
        }

    def localize_glossary(self, english: Mapping[str, Term], lang: str) -> dict[str, Term]:
        """The English terms with their text in `lang`; a local name is added to the names the
        term is recognised by, so translated answers still offer it."""
        texts = self.glossary.get(lang, {})
        localized: dict[str, Term] = {}
        for term_id, term in english.items():
            text = texts.get(term_id)
            if text is None:
                localized[term_id] = term
                continue
            names = tuple(
                dict.fromkeys((*term.aliases, *text.aliases, *([term.term] if text.term else [])))
            )
            localized[term_id] = Term.model_construct(  # validated as a translation
                id=term.id,
                term=text.term or term.term,
                expansion=text.expansion or term.expansion,
                aliases=names,
                text=text.text,
            )
        return localized


def translations_dir(kb_folder: Path) -> Path:
    """Where the translated texts live inside a knowledge folder."""
    return kb_folder / "translations"


def load_translations(kb_folder: Path) -> tuple[Translations, list[str]]:
    """All translations found, and one `file: problem` line per file that cannot be read."""
    from bot.kb.loader import KnowledgeError, format_validation, read_yaml

    topics: dict[str, dict[str, TopicTranslation]] = {}
    glossary: dict[str, dict[str, TermTranslation]] = {}
    problems: list[str] = []
    root = translations_dir(kb_folder)
    for lang_dir in sorted(p for p in root.glob("*") if p.is_dir()):
        lang = lang_dir.name
        topics[lang] = {}
        for path in sorted(lang_dir.glob("*.yaml")):
            name = f"translations/{lang}/{path.name}"
            try:
                data = read_yaml(path)
            except KnowledgeError as exc:
                problems += [f"translations/{lang}/{p}" for p in exc.problems]
                continue
            if path.stem == "glossary":
                terms, term_problems = _glossary(name, data)
                glossary[lang] = terms
                problems += term_problems
                continue
            try:
                topic = TopicTranslation.model_validate(data)
            except ValidationError as exc:
                problems += format_validation(name, exc)
                continue
            if topic.id != path.stem:
                problems.append(f"{name}: id {topic.id!r} differs from the file name")
            topics[lang][topic.id] = topic
    return Translations(topics=topics, glossary=glossary), problems


def _glossary(name: str, data: object) -> tuple[dict[str, TermTranslation], list[str]]:
    from bot.kb.loader import format_validation

    entries = data.get("terms", []) if isinstance(data, dict) else []
    terms: dict[str, TermTranslation] = {}
    problems: list[str] = []
    for n, entry in enumerate(entries, 1):
        try:
            term = TermTranslation.model_validate(entry)
        except ValidationError as exc:
            problems += format_validation(f"{name}: entry {n}", exc)
            continue
        terms[term.id] = term
    return terms, problems


# Figures: digits with an optional grouping (1,000 / 1.000 / 1 000) and an optional decimal part
# (2.5 / 2,5). A separator followed by exactly three digits groups thousands; one followed by one
# or two digits is a decimal mark. Languages differ only in which mark they use.
_FIGURE = re.compile(r"\d+(?:[,.\u00a0\u202f ]\d{3}(?!\d))*(?:[.,]\d{1,2}(?!\d))?")
_GROUP = re.compile(r"[,.\u00a0\u202f ](?=\d{3}(?!\d))")


def figures(text: str) -> Counter[str]:
    """The figures a text states, normalised so 1,000 (en), 1.000 (es) and 1 000 (ru) agree,
    as do 2.5 and 2,5."""
    plain = to_plain(text)
    found: Counter[str] = Counter()
    for match in _FIGURE.finditer(plain):
        figure = _GROUP.sub("", match.group())
        found[figure.replace(",", ".")] += 1
    return found


def figure_problems(english: str, translated: str) -> list[str]:
    """What differs between the figures of an English text and its translation (empty: none)."""
    want, got = figures(english), figures(translated)
    problems = []
    missing = sorted((want - got).elements())
    extra = sorted((got - want).elements())
    if missing:
        problems.append(f"missing figure(s) {', '.join(missing)} that the English text states")
    if extra:
        problems.append(f"figure(s) {', '.join(extra)} that the English text does not state")
    return problems


TOPIC_FIELDS = ("title", "lead", "short", "answer")


def lead_shown_length(text: TopicTranslation, source: Topic) -> int:
    """About what the first screen shows: the title, the lead and the English topic's sources
    line (publisher names are the same in every language; the label is a few letters longer)."""
    from bot.kb.markup import visible_length
    from bot.kb.render import sources_line

    sources = len(sources_line(source, sections=False))
    return visible_length(f"<b>{text.title}</b>\n{text.lead.strip()}") + 1 + sources + 4


def check_translations(
    english: Mapping[str, Topic],
    translations: Translations,
    english_glossary: Iterable[str] = (),
    required: Iterable[str] = TRANSLATED_LANGS,
) -> list[str]:
    """Every gap and mismatch of the translations against the English topics (`id` → Topic).

    A `required` language (one the product offers) must have every topic and glossary entry;
    every language present is checked for the same figures as English in each field, valid
    markup, a plain short answer and a first screen that fits.
    """
    problems: list[str] = []
    glossary_ids = list(english_glossary)
    required = tuple(required)
    for lang in dict.fromkeys((*required, *translations.topics)):
        have = translations.topics.get(lang, {})
        terms = translations.glossary.get(lang, {})
        if lang in required:
            problems += [
                f"translations/{lang}/{topic_id}.yaml: missing"
                for topic_id in english
                if topic_id not in have
            ]
            problems += [
                f"translations/{lang}/glossary.yaml: {tid}: missing"
                for tid in glossary_ids
                if tid not in terms
            ]
        for topic_id, text in have.items():
            problems += _topic_problems(f"translations/{lang}/{topic_id}.yaml", text, english)
        problems += [
            f"translations/{lang}/glossary.yaml: {tid}: not in the English glossary"
            for tid in terms
            if glossary_ids and tid not in glossary_ids
        ]
    return problems


def _topic_problems(name: str, text: TopicTranslation, english: Mapping[str, Topic]) -> list[str]:
    source = english.get(text.id)
    if source is None:
        return [f"{name}: no English topic {text.id!r}"]
    problems = []
    for field in TOPIC_FIELDS:
        original = getattr(source, field) or ""
        for problem in figure_problems(original, getattr(text, field)):
            problems.append(f"{name}: {field}: {problem}")
    for field in ("lead", "answer"):
        for problem in markup_problems(getattr(text, field)):
            problems.append(f"{name}: {field}: invalid markup: {problem}")
    shown = lead_shown_length(text, source)
    if shown > LEAD_SHOWN_MAX:
        problems.append(
            f"{name}: lead: {shown} characters shown with title and sources, over {LEAD_SHOWN_MAX}"
        )
    if "<" in text.short or "&" in text.short:
        problems.append(f"{name}: short: must be plain text (no tags or entities)")
    return problems


def main(argv: list[str]) -> int:
    """`python -m bot.kb.translations [LANG ...]`: the translation problems of the repository's
    knowledge base (for translators, before `kb check` runs everything)."""
    from bot.kb.loader import default_kb_dir, load_knowledge

    folder = default_kb_dir()
    kb = load_knowledge(folder, strict=False)
    translations, problems = load_translations(folder)
    langs = argv or list(TRANSLATED_LANGS)
    problems += check_translations(kb.topics, translations, kb.glossary, langs)
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
