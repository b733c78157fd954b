"""An assessment as a card for people: plain text for the terminal, HTML for Telegram.

Both flavours come from one `Card` structure so they can never disagree; only the markup
differs. HTML output escapes every piece of text and uses <b> and <i> only, and is kept under
Telegram's 4096-character message limit by trimming the tail of the next steps if ever needed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.claims.assessment import CLAIMABLE, Assessment, Code, Strength, Verdict
from bot.claims.labels import EVIDENCE_LABELS, day, days_phrase, usd
from bot.kb.citations import cite_all

MAX_CHARS = 4096
"""Telegram's limit for one message."""

HEADLINES: dict[Verdict, str] = {
    Verdict.ELIGIBLE: "✅ You can claim",
    Verdict.ELIGIBLE_WITH_RISKS: "⚠️ You can claim",
    Verdict.NOT_ELIGIBLE: "❌ Not eligible for a Trade Assurance claim",
    Verdict.NEED_MORE_INFO: "❓ Need more information before I can judge",
    Verdict.TOO_EARLY: "⏳ Too early to claim: nothing is late yet",
}
"""How each verdict's headline starts (front ends and tests match on these prefixes)."""

STRENGTH_WORDS: dict[Strength, str] = {
    Strength.STRONG: ": a strong Trade Assurance claim",
    Strength.FAIR: ": a fair case, with weak spots to fix first",
    Strength.WEAK: (
        " (open a dispute), but the case is weak as it stands: see what would make it stronger"
    ),
}
"""The headline follows `strength`: a weak case is never called a valid claim."""


def headline(a: Assessment) -> str:
    """The verdict line, worded by strength for a claimable case."""
    if a.verdict in CLAIMABLE and a.strength is not None:
        return HEADLINES[a.verdict] + STRENGTH_WORDS[a.strength]
    return HEADLINES[a.verdict]


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
    return Card(headline(a), (*summary_sections(a), *detail_sections(a)), a.disclaimer)


def build_summary(a: Assessment) -> Card:
    """The first screen on a phone: verdict, deadline, amounts and the next step only."""
    return Card(headline(a), tuple(summary_sections(a)), a.disclaimer)


def summary_sections(a: Assessment) -> list[Section]:
    """Deadline, amounts and the first next step: what the buyer acts on today."""
    claimable = a.verdict is not Verdict.NOT_ELIGIBLE
    sections: list[Section] = []
    if claimable or a.decisive is Code.WINDOW_CLOSED:
        sections += _deadline_section(a)
    sections += _amount_section(a)
    if a.strength in (Strength.WEAK, Strength.FAIR) and a.risks:
        weak = [r for r in a.risks if r.code in WEAKENING] or a.risks
        sections.append(Section("What would make it stronger", (Line(weak[0].text),)))
    if a.next_steps:
        # A claimable case's first step is the deadline, shown above already.
        first = 1 if a.verdict in CLAIMABLE and len(a.next_steps) > 1 else 0
        sections.append(Section("Next step", (Line(a.next_steps[first]),)))
    return sections


WEAKENING = frozenset(
    {
        Code.WEAK_EVIDENCE,
        Code.VAGUE_SPECS,
        Code.DEFECT_FOUND_IN_USE,
        Code.FORCE_MAJEURE_CLAIMED,
        Code.NO_INSPECTION,
    }
)
"""Risks the buyer can act on to strengthen the case, shown first on the phone's screen."""


def detail_sections(a: Assessment) -> list[Section]:
    """Why, the evidence to gather and every step: behind the "Details" button on a phone."""
    claimable = a.verdict is not Verdict.NOT_ELIGIBLE
    sections = [Section("Why", tuple(_reason_line(r.text, r.sources) for r in a.reasons))]
    if a.missing_evidence:
        title = "Missing evidence" if claimable else "Evidence worth keeping anyway"
        sections.append(Section(title, tuple(Line(EVIDENCE_LABELS[e]) for e in a.missing_evidence)))
    if len(a.next_steps) > 1:
        sections.append(Section("All steps", tuple(Line(s) for s in a.next_steps), True))
    return sections


def _reason_line(text: str, sources: list[str]) -> Line:
    # People read publisher and title; the seed file names stay in the assessment's data.
    return Line(text, f"sources: {cite_all(sources, full=False)}" if sources else "")


def _deadline_section(a: Assessment) -> list[Section]:
    if a.deadline is None or a.days_left is None:
        return []
    verb = "Ended on" if a.days_left < 0 else "Open the dispute by"
    text = f"{verb} {day(a.deadline)}: {days_phrase(a.days_left)}"
    typical = Code.TYPICAL_WINDOW in a.codes
    aside = "typical window; your order page shows the real one" if typical else "your order page"
    lines = [Line(text, aside)]
    if a.remind_on is not None and a.verdict is Verdict.TOO_EARLY:
        lines.insert(0, Line(f"Check again on {day(a.remind_on)}"))
    return [Section("Deadline", tuple(lines))]


def _amount_section(a: Assessment) -> list[Section]:
    if a.verdict is Verdict.NOT_ELIGIBLE:
        if a.unprotected_amount is None or a.unprotected_amount == 0:
            return []
        text = f"Protected: nothing · at risk: {usd(a.unprotected_amount)}"
        return [Section("Amounts", (Line(text),))]
    protected = "unknown" if a.protected_amount is None else usd(a.protected_amount)
    if a.unprotected_amount is None:
        unprotected = "unknown"
    elif a.protected_amount is None:
        unprotected = f"at least {usd(a.unprotected_amount)}"
    else:
        unprotected = usd(a.unprotected_amount)
    if a.protected_amount is None and a.unprotected_amount is None and a.verdict not in CLAIMABLE:
        return []
    lines = [Line(f"Protected: {protected} · unprotected: {unprotected}")]
    if a.protected_amount is None:
        lines[0] = Line(lines[0].text, "check the supplier's coverage amount")
    if a.claim_estimate is not None:
        lines.append(Line(f"Claim for the missing units: about {usd(a.claim_estimate)}"))
    return [Section("Amounts", tuple(lines))]


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
        note = Line("… and more steps: see the full assessment.")
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


def render_summary_html(a: Assessment) -> str:
    """The phone's first screen as Telegram HTML: verdict, deadline, amounts, next step."""
    return _fit(build_summary(a), _HTML)


def render_details_html(a: Assessment) -> str:
    """The rest of the card (why, evidence, all steps) as Telegram HTML."""
    card = Card("Details", tuple(detail_sections(a)), a.disclaimer)
    return _fit(card, _HTML)
