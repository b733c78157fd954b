"""An assessment as a card for people: plain text for the terminal, HTML for Telegram.

Both flavours come from one `Card` structure so they can never disagree; only the markup
differs. HTML output escapes every piece of text and uses <b> and <i> only, and is kept under
Telegram's 4096-character message limit by trimming the tail of the next steps if ever needed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.claims.assessment import Assessment, Code, Verdict
from bot.claims.labels import EVIDENCE_LABELS, days_phrase, usd
from bot.kb.citations import cite_all

MAX_CHARS = 4096
"""Telegram's limit for one message."""

HEADLINES: dict[Verdict, str] = {
    Verdict.ELIGIBLE: "✅ Eligible: this looks like a valid Trade Assurance claim",
    Verdict.ELIGIBLE_WITH_RISKS: "⚠️ Eligible with risks: a valid claim, with weak spots to fix",
    Verdict.NOT_ELIGIBLE: "❌ Not eligible for a Trade Assurance claim",
    Verdict.NEED_MORE_INFO: "❓ Need more information before I can judge",
}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a section: main text plus an optional aside (rendered in italics)."""

    text: str
    aside: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A titled block of lines, bulleted or numbered."""

    title: str
    lines: tuple[Line, ...]
    numbered: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """The flavour-neutral content of a card."""

    headline: str
    sections: tuple[Section, ...]
    footer: str


def build_card(a: Assessment) -> Card:
    """Lay out an assessment: verdict, reasons, deadline, amounts, evidence, steps, disclaimer.

    For a claim Trade Assurance will not take, the deadline (unless it is the reason) and the
    protected amount are left out: showing them would suggest there is something to claim.
    """
    claimable = a.verdict is not Verdict.NOT_ELIGIBLE
    sections = [Section("Why", tuple(_reason_line(r.text, r.sources) for r in a.reasons))]
    if claimable or a.codes[:1] == [Code.WINDOW_CLOSED]:
        sections += _deadline_section(a)
    if claimable:
        sections += _amount_section(a)
    if a.missing_evidence:
        title = "Missing evidence" if claimable else "Evidence worth keeping anyway"
        sections.append(Section(title, tuple(Line(EVIDENCE_LABELS[e]) for e in a.missing_evidence)))
    if a.next_steps:
        sections.append(Section("Next steps", tuple(Line(s) for s in a.next_steps), True))
    return Card(HEADLINES[a.verdict], tuple(sections), a.disclaimer)


def _reason_line(text: str, sources: list[str]) -> Line:
    # People read publisher and title; the seed file names stay in the assessment's data.
    return Line(text, f"sources: {cite_all(sources, full=False)}" if sources else "")


def _deadline_section(a: Assessment) -> list[Section]:
    if a.deadline is None or a.days_left is None:
        return []
    verb = "Ended on" if a.days_left < 0 else "Open the dispute by"
    text = f"{verb} {a.deadline}: {days_phrase(a.days_left)}"
    return [Section("Deadline", (Line(text, "typical window: 30 days from the delivery date"),))]


def _amount_section(a: Assessment) -> list[Section]:
    if a.protected_amount is None or a.unprotected_amount is None:
        return []
    text = f"Protected: {usd(a.protected_amount)} · unprotected: {usd(a.unprotected_amount)}"
    aside = ""
    if Code.COVERAGE_UNKNOWN in a.codes:
        aside = "assuming the supplier's coverage is at least what you paid; check it"
    return [Section("Amounts", (Line(text, aside),))]


# --- rendering ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Markup:
    escape: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]


_PLAIN = _Markup(escape=lambda s: s, bold=lambda s: s, italic=lambda s: f"({s})")
_HTML = _Markup(
    escape=html.escape,
    bold=lambda s: f"<b>{s}</b>",
    italic=lambda s: f"<i>{s}</i>",
)


def _render(card: Card, m: _Markup) -> str:
    out = [m.bold(m.escape(card.headline))]
    for section in card.sections:
        out += ["", m.bold(m.escape(section.title))]
        for n, line in enumerate(section.lines, 1):
            mark = f"{n}." if section.numbered else "•"
            text = f"{mark} {m.escape(line.text)}"
            if line.aside:
                text += " " + m.italic(m.escape(line.aside))
            out.append(text)
    out += ["", m.italic(m.escape(card.footer))]
    return "\n".join(out)


def _fit(card: Card, m: _Markup) -> str:
    """Render, dropping next steps from the end (with a note) until the card fits one message."""
    text = _render(card, m)
    while len(text) > MAX_CHARS:
        steps = next((s for s in card.sections if s.numbered), None)
        if steps is None or len(steps.lines) <= 1:
            return text[: MAX_CHARS - 1] + "…" if m is _PLAIN else text
        kept = steps.lines[:-2] if steps.lines[-1].text.startswith("…") else steps.lines[:-1]
        note = Line("… more steps in the full assessment (--json).")
        shorter = replace(steps, lines=(*kept, note))
        card = replace(card, sections=tuple(shorter if s is steps else s for s in card.sections))
        text = _render(card, m)
    return text


def render_text(a: Assessment) -> str:
    """The card as plain text for a terminal."""
    return _fit(build_card(a), _PLAIN)


def render_html(a: Assessment) -> str:
    """The card as Telegram HTML (parse_mode=HTML): escaped text, <b>/<i> only, ≤ 4096 chars."""
    return _fit(build_card(a), _HTML)
