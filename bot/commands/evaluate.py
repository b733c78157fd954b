"""`ta-advisor eval FILE`: accuracy, misses and topic confusions on a labelled question set."""

from __future__ import annotations

import sys
from collections.abc import Collection
from pathlib import Path

import yaml

from bot.answering import Advisor
from bot.commands.question_set import QuestionSetError, check_question_set
from bot.kb.loader import KnowledgeError, load_knowledge
from bot.matching.evaluation import Labelled, Report, evaluate


def load_questions(path: str | Path, topic_ids: Collection[str] | None = None) -> list[Labelled]:
    """Read `questions: [{q, topic, lang?, kind?}]` (topic: an id, a list of ids, or null);
    with `topic_ids`, the set is checked first (`QuestionSetError`)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if topic_ids is not None:
        check_question_set(data, topic_ids)
    rows = data.get("questions", []) if isinstance(data, dict) else []
    items = []
    for row in rows:
        topic = row.get("topic")
        expected = tuple(topic) if isinstance(topic, list) else topic
        lang, kind = row.get("lang"), row.get("kind")
        items.append(
            Labelled(
                str(row["q"]).replace("\n", " "),
                expected,
                str(lang) if lang else None,
                str(kind) if kind else None,
            )
        )
    return items


def print_report(report: Report, *, title: str) -> None:
    """The figures first, then every miss, then the confusions, most frequent first."""
    print(f"{title}")
    print(f"  on-topic top-1: {report.on_right}/{report.on_topic} = {report.on_accuracy:.1%}")
    print(f"  on-topic top-3: {report.top3_right}/{report.on_topic} = {report.top3_accuracy:.1%}")
    print(
        f"  off-topic abstained: {report.off_right}/{report.off_topic}"
        f" = {report.off_abstention:.1%}"
    )
    if report.suggested:
        print(
            f"  'did you mean' offered: {report.suggested} "
            f"({report.suggested_with_right} with the right topic among the choices)"
        )
    for prefix, label in (("lang", "by language"), ("kind", "by kind")):
        rows = sorted((k, v) for k, v in report.groups.items() if k.startswith(prefix + " "))
        if rows:
            cells = ", ".join(f"{k.split(' ', 1)[1]} {r}/{n}" for k, (r, n) in rows)
            print(f"  {label} (right/all): {cells}")
    if report.misses:
        print("  misses:")
        for item, m in report.misses:
            got = m.topic_id or f"({m.kind})"
            alts = ", ".join(f"{t} {s:.2f}" for t, s in m.candidates[:3])
            print(
                f"    want {item.expected} got {got} {m.score:.2f} [{alts}] :: {item.question[:80]}"
            )
    if report.confusion:
        print("  confusion (expected -> got):")
        for (want, got), n in report.confusion.most_common():
            print(f"    {n} x {want} -> {got}")


def run(file: str, *, kb_dir: str | None, min_on: float, min_off: float) -> int:
    """Evaluate and exit non-zero when a minimum is not met."""
    try:
        advisor = Advisor(load_knowledge(kb_dir))
        items = load_questions(file, advisor.kb.topics)
    except KnowledgeError as exc:
        print(f"knowledge base is broken:\n{exc}", file=sys.stderr)
        return 1
    except QuestionSetError as exc:
        print(f"{file}: not a usable question set:\n{exc}", file=sys.stderr)
        return 2
    except (OSError, yaml.YAMLError, KeyError, AttributeError) as exc:
        print(f"{file}: cannot read the question set ({exc})", file=sys.stderr)
        return 1
    report = evaluate(items, lambda q: advisor.reply(q).match)
    print_report(report, title=f"{file}: {len(items)} questions, {len(advisor.kb)} topics")
    ok = report.on_accuracy >= min_on and report.off_abstention >= min_off
    print(f"{'PASS' if ok else 'FAIL'} (minimum on-topic {min_on:.0%}, off-topic {min_off:.0%})")
    return 0 if ok else 1
