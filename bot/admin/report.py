"""The usage report: one structure, shown as text (terminal, Telegram) or written as CSV."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from pathlib import Path

from bot.storage.records import Stats


@dataclass(frozen=True)
class ReportRow:
    """One figure of the report (the CSV has one line per row)."""

    section: str
    name: str
    value: str


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def report_rows(stats: Stats) -> list[ReportRow]:
    """Every figure `/stats` and `ta-advisor report` show, in display order."""
    given = stats.answered + stats.suggested
    votes = stats.feedback_up + stats.feedback_down
    rows = [
        ReportRow("usage", "active users", str(stats.users)),
        ReportRow("usage", "new users", str(stats.new_users)),
        ReportRow("questions", "questions", str(stats.questions)),
        ReportRow("questions", "answered", str(stats.answered)),
        ReportRow("questions", "answered with 'did you mean'", str(stats.suggested)),
        ReportRow("questions", "unanswered", str(stats.unanswered)),
        ReportRow("questions", "answer rate", _ratio(given, stats.questions)),
        ReportRow("feedback", "helpful", str(stats.feedback_up)),
        ReportRow("feedback", "not helpful", str(stats.feedback_down)),
        ReportRow("feedback", "helpful ratio", _ratio(stats.feedback_up, votes)),
        ReportRow("checks", "started", str(stats.checks_started)),
        ReportRow("checks", "finished", str(stats.checks_finished)),
        ReportRow("checks", "cancelled", str(stats.checks_cancelled)),
    ]
    rows += [ReportRow("verdicts", verdict, str(n)) for verdict, n in stats.verdicts.items()]
    rows += [ReportRow("top topics", topic, str(n)) for topic, n in stats.top_topics]
    return rows


def report_text(stats: Stats, label: str, *, html_mode: bool = False) -> str:
    """The report for people; with `html_mode`, escaped for Telegram's HTML parse mode."""
    esc = html.escape if html_mode else (lambda s: s)
    bold = (lambda s: f"<b>{esc(s)}</b>") if html_mode else (lambda s: s.upper())
    lines = [bold(f"Usage, {label}")]
    section = ""
    for row in report_rows(stats):
        if row.section != section:
            section = row.section
            lines.append("")
            lines.append(bold(section))
        lines.append(f"{esc(row.name)}: {esc(row.value)}")
    return "\n".join(lines)


def write_csv(stats: Stats, path: Path | str, label: str) -> None:
    """`period,section,name,value` lines, for spreadsheets."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["period", "section", "name", "value"])
        for row in report_rows(stats):
            writer.writerow([label, row.section, row.name, row.value])
