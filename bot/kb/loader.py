"""Finding and loading the knowledge base folder.

The data lives in the repository's top-level `knowledge/`; a wheel carries a copy as
`bot/_knowledge`, so `pip install .` works without the source tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.kb.glossary import Term, load_glossary
from bot.kb.models import Topic
from bot.kb.translations import Translations, load_translations
from bot.yamltext import parse

ENV_KB_DIR = "TA_ADVISOR_KB"


class KnowledgeError(Exception):
    """The knowledge base cannot be loaded; `problems` holds `file: problem` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Seed(BaseModel):
    """A source document the topics may cite: its file (for data and tools) and how people
    can find it (publisher, title, date, public address when the document gives one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    publisher: str = Field(min_length=1)
    title: str = Field(min_length=1)
    date: str | None = None
    url: str | None = Field(default=None, pattern=r"^https://\S+$")


class RequiredTopic(BaseModel):
    """A topic the content contract demands."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    sources: tuple[str, ...]
    must_cover: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    """All topics, in a stable order (file name), plus the seed and contract lists."""

    topics: dict[str, Topic]
    seeds: dict[str, Seed] = field(default_factory=dict)
    required: tuple[RequiredTopic, ...] = ()
    folder: Path | None = None
    glossary: dict[str, Term] = field(default_factory=dict)
    translations: Translations = field(default_factory=Translations)
    lang: str = "en"
    """The language of `topics` and `glossary` (a view from `localized`, or English)."""
    _views: dict[str, KnowledgeBase] = field(default_factory=dict, compare=False, repr=False)

    def get(self, topic_id: str) -> Topic | None:
        """The topic with this id, or None."""
        return self.topics.get(topic_id)

    def localized(self, lang: str) -> KnowledgeBase:
        """The same base with each topic's and term's reader-facing text in `lang` where a
        translation exists (English otherwise): ids, sources and links stay the English file's,
        so every caller renders a reader's language by rendering this view."""
        if lang == self.lang or lang not in self.translations.topics:
            return self
        view = self._views.get(lang)
        if view is None:
            view = self._views[lang] = KnowledgeBase(
                topics=self.translations.localize_topics(self.topics, lang),
                seeds=self.seeds,
                required=self.required,
                folder=self.folder,
                glossary=self.translations.localize_glossary(self.glossary, lang),
                translations=self.translations,
                lang=lang,
            )
        return view

    def __len__(self) -> int:
        return len(self.topics)


def default_kb_dir() -> Path:
    """`$TA_ADVISOR_KB`, else the copy inside the installed package, else the repository's."""
    env = os.environ.get(ENV_KB_DIR)
    if env:
        return Path(env)
    bundled = Path(__file__).resolve().parent.parent / "_knowledge"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent.parent / "knowledge"


def read_yaml(path: Path) -> object:
    """Parse one YAML file; errors become KnowledgeError lines naming the file."""
    try:
        return parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError([f"{path.name}: cannot read ({exc})"]) from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise KnowledgeError([f"{path.name}:{line} invalid YAML ({exc})"]) from exc


def format_validation(name: str, exc: ValidationError) -> list[str]:
    """One `file: field: message` line per pydantic error."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top)"
        lines.append(f"{name}: {loc}: {err['msg']}")
    return lines


def load_topic_files(folder: Path) -> tuple[list[tuple[Path, Topic]], list[str]]:
    """Every parseable topic with its file, and the problems of the others."""
    topics: list[tuple[Path, Topic]] = []
    problems: list[str] = []
    files = sorted((folder / "topics").glob("*.yaml"))
    if not files:
        problems.append(f"{folder / 'topics'}: no topic files")
    for path in files:
        try:
            data = read_yaml(path)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, dict):
            problems.append(f"{path.name}: expected a mapping of topic fields")
            continue
        try:
            topics.append((path, Topic.model_validate(data)))
        except ValidationError as exc:
            problems.extend(format_validation(path.name, exc))
    return topics, problems


def load_seeds(folder: Path) -> dict[str, Seed]:
    """The seed list (`seeds.yaml`); empty when the file is absent."""
    path = folder / "seeds.yaml"
    if not path.exists():
        return {}
    data = read_yaml(path)
    entries = data.get("seeds", []) if isinstance(data, dict) else []
    try:
        seeds = [Seed.model_validate(e) for e in entries]
    except ValidationError as exc:
        raise KnowledgeError(format_validation(path.name, exc)) from exc
    return {s.file: s for s in seeds}


def load_required(folder: Path) -> tuple[RequiredTopic, ...]:
    """The content contract (`required.yaml`); empty when the file is absent."""
    path = folder / "required.yaml"
    if not path.exists():
        return ()
    data = read_yaml(path)
    entries = data.get("required", []) if isinstance(data, dict) else []
    try:
        return tuple(RequiredTopic.model_validate(e) for e in entries)
    except ValidationError as exc:
        raise KnowledgeError(format_validation(path.name, exc)) from exc


def read_knowledge(folder: Path) -> tuple[KnowledgeBase, list[tuple[Path, Topic]], list[str]]:
    """Everything in a knowledge folder that parses, the topic files, and one `file: problem`
    line for each file that does not (what `kb check` and strict loading both start from)."""
    pairs, problems = load_topic_files(folder)
    glossary, glossary_problems = load_glossary(folder)
    translations, translation_problems = load_translations(folder)
    problems += glossary_problems + translation_problems
    topics = {t.id: t for _, t in pairs}
    try:
        seeds, required = load_seeds(folder), load_required(folder)
    except KnowledgeError as exc:
        problems += exc.problems
        seeds, required = {}, ()
    kb = KnowledgeBase(
        topics=topics,
        seeds=seeds,
        required=required,
        folder=folder,
        glossary=glossary,
        translations=translations,
    )
    return kb, pairs, problems


def load_knowledge(kb_dir: str | Path | None = None, *, strict: bool = True) -> KnowledgeBase:
    """Load the knowledge base; with `strict`, any defect `kb check` finds raises KnowledgeError.

    The bot refuses to start (or to `/reload`) on a broken base rather than serve wrong advice.
    """
    folder = Path(kb_dir) if kb_dir else default_kb_dir()
    if not folder.is_dir():
        raise KnowledgeError([f"{folder}: knowledge folder not found"])
    kb, pairs, problems = read_knowledge(folder)
    if strict:
        from bot.kb.check import check_knowledge

        problems += check_knowledge(kb, pairs)
    if problems:
        raise KnowledgeError(problems)
    return kb
