"""An assessment as a card for people: plain text for the terminal, HTML for Telegram.

Both flavours come from one `Card` structure so they can never disagree; only the markup
differs. Every word comes from the catalogue and is rendered for the reader's `lang` (English by
default), with the one date and money format of `bot.i18n`. HTML output escapes every piece of
text and uses <b> and <i> only, and is kept under Telegram's 4096-character message limit by
trimming the tail of the next steps if ever needed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.claims.assessment import CLAIMABLE, Assessment, Code, Strength, Verdict
from bot.claims.labels import EVIDENCE_LABELS, days_left, money
from bot.i18n import DEFAULT_LANG, Money, Text, _, gettext_for, render
from bot.kb.citations import cite_all

MAX_CHARS = 4096
"""Telegram's limit for one message."""

HEADLINE_TEXTS: dict[Verdict, Text] = {
    Verdict.ELIGIBLE: _("✅ You can claim"),
    Verdict.ELIGIBLE_WITH_RISKS: _("⚠️ You can claim"),
    Verdict.NOT_ELIGIBLE: _("❌ Not eligible for a Trade Assurance claim"),
    Verdict.NEED_MORE_INFO: _("❓ Need more information before I can judge"),
    Verdict.TOO_EARLY: _("⏳ Too early to claim: nothing is late yet"),
}
"""How each verdict's headline starts."""

HEADLINES: dict[Verdict, str] = {v: render(t) for v, t in HEADLINE_TEXTS.items()}
"""The headlines' English starts (front ends and tests match on these prefixes)."""


def verdict_headline(verdict: Verdict, lang: str = DEFAULT_LANG) -> str:
    """A verdict's headline start for a reader (the /cases list)."""
    return render(HEADLINE_TEXTS[verdict], lang)


CLAIMABLE_HEADLINES: dict[tuple[Verdict, Strength], Text] = {
    (Verdict.ELIGIBLE, Strength.STRONG): _("✅ You can claim: a strong Trade Assurance claim"),
    (Verdict.ELIGIBLE, Strength.FAIR): _(
        "✅ You can claim: a fair case, with weak spots to fix first"
    ),
    (Verdict.ELIGIBLE, Strength.WEAK): _(
        "✅ You can claim (open a dispute), but the case is weak as it stands: see what would "
        "make it stronger"
    ),
    (Verdict.ELIGIBLE_WITH_RISKS, Strength.STRONG): _(
        "⚠️ You can claim: a strong Trade Assurance claim"
    ),
    (Verdict.ELIGIBLE_WITH_RISKS, Strength.FAIR): _(
        "⚠️ You can claim: a fair case, with weak spots to fix first"
    ),
    (Verdict.ELIGIBLE_WITH_RISKS, Strength.WEAK): _(
        "⚠️ You can claim (open a dispute), but the case is weak as it stands: see what would "
        "make it stronger"
    ),
}
"""The headline follows `strength`: a weak case is never called a valid claim (whole
sentences, so each language words them its own way)."""


def headline(a: Assessment, lang: str = DEFAULT_LANG) -> str:
    """The verdict line, worded by strength for a claimable case."""
    if a.verdict in CLAIMABLE and a.strength is not None:
        return render(CLAIMABLE_HEADLINES[(a.verdict, a.strength)], lang)
    return render(HEADLINE_TEXTS[a.verdict], lang)


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


def build_card(a: Assessment, lang: str = DEFAULT_LANG) -> Card:
    """Lay out an assessment: verdict, reasons, deadline, amounts, evidence, steps, disclaimer.

    For a claim Trade Assurance will not take, the deadline (unless it is the reason) and the
    protected amount are left out: showing them would suggest there is something to claim.
    """
    sections = (*summary_sections(a, lang), *detail_sections(a, lang))
    return Card(headline(a, lang), sections, gettext_for(a.disclaimer, lang))


def build_summary(a: Assessment, lang: str = DEFAULT_LANG) -> Card:
    """The first screen on a phone: verdict, deadline, amounts and the next step only."""
    summary = tuple(summary_sections(a, lang))
    return Card(headline(a, lang), summary, gettext_for(a.disclaimer, lang))


def summary_sections(a: Assessment, lang: str = DEFAULT_LANG) -> list[Section]:
    """Deadline, amounts and the first next step: what the buyer acts on today."""
    claimable = a.verdict is not Verdict.NOT_ELIGIBLE
    sections: list[Section] = []
    if claimable or a.decisive is Code.WINDOW_CLOSED:
        sections += _deadline_section(a, lang)
    sections += _amount_section(a, lang)
    if a.strength in (Strength.WEAK, Strength.FAIR) and a.risks:
        weak = [r for r in a.risks if r.code in WEAKENING] or a.risks
        title = render(_("What would make it stronger"), lang)
        sections.append(Section(title, (Line(render(weak[0].message, lang)),)))
    if a.steps:
        # A claimable case's first step is the deadline, shown above already.
        first = 1 if a.verdict in CLAIMABLE and len(a.steps) > 1 else 0
        step = render(a.steps[first].message, lang)
        sections.append(Section(render(_("Next step"), lang), (Line(step),)))
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


def detail_sections(a: Assessment, lang: str = DEFAULT_LANG) -> list[Section]:
    """Why, the evidence to gather and every step: behind the "Details" button on a phone."""
    claimable = a.verdict is not Verdict.NOT_ELIGIBLE
    why = tuple(_reason_line(render(r.message, lang), r.sources, lang) for r in a.reasons)
    sections = [Section(render(_("Why"), lang), why)]
    if a.missing_evidence:
        title = _("Missing evidence") if claimable else _("Evidence worth keeping anyway")
        items = tuple(Line(render(EVIDENCE_LABELS[e], lang)) for e in a.missing_evidence)
        sections.append(Section(render(title, lang), items))
    if len(a.steps) > 1:
        steps = tuple(Line(render(s.message, lang)) for s in a.steps)
        sections.append(Section(render(_("All steps"), lang), steps, True))
    return sections


def _reason_line(text: str, sources: list[str], lang: str) -> Line:
    # People read publisher and title; the seed file names stay in the assessment's data.
    if not sources:
        return Line(text)
    cited = cite_all(sources, full=False, lang=lang)
    return Line(text, render(_("sources: {sources}", sources=cited), lang))


def _deadline_section(a: Assessment, lang: str) -> list[Section]:
    if a.deadline is None or a.days_left is None:
        return []
    left = days_left(a.days_left)
    if a.days_left < 0:
        text = _("Ended on {deadline}: {left}", deadline=a.deadline, left=left)
    else:
        text = _("Open the dispute by {deadline}: {left}", deadline=a.deadline, left=left)
    if Code.TYPICAL_WINDOW in a.codes:
        aside = _("typical window; your order page shows the real one")
    else:
        aside = _("your order page")
    lines = [Line(render(text, lang), render(aside, lang))]
    if a.remind_on is not None and a.verdict is Verdict.TOO_EARLY:
        lines.insert(0, Line(render(_("Check again on {day}", day=a.remind_on), lang)))
    return [Section(render(_("Deadline"), lang), tuple(lines))]


def _amount_section(a: Assessment, lang: str) -> list[Section]:
    title = render(_("Amounts"), lang)
    if a.verdict is Verdict.NOT_ELIGIBLE:
        if a.unprotected_amount is None or a.unprotected_amount == 0:
            return []
        text = _("Protected: nothing · at risk: {amount}", amount=money(a.unprotected_amount))
        return [Section(title, (Line(render(text, lang)),))]
    unknown = _("unknown")
    protected = unknown if a.protected_amount is None else money(a.protected_amount)
    unprotected: Text | Money
    if a.unprotected_amount is None:
        unprotected = unknown
    elif a.protected_amount is None:
        unprotected = _("at least {amount}", amount=money(a.unprotected_amount))
    else:
        unprotected = money(a.unprotected_amount)
    if a.protected_amount is None and a.unprotected_amount is None and a.verdict not in CLAIMABLE:
        return []
    amounts = _(
        "Protected: {protected} · unprotected: {unprotected}",
        protected=protected,
        unprotected=unprotected,
    )
    aside = _("check the supplier's coverage amount") if a.protected_amount is None else None
    lines = [Line(render(amounts, lang), render(aside, lang) if aside else "")]
    if a.claim_estimate is not None:
        estimate = _("Claim for the missing units: about {amount}", amount=money(a.claim_estimate))
        lines.append(Line(render(estimate, lang)))
    return [Section(title, tuple(lines))]


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


def _fit(card: Card, m: _Markup, lang: str = DEFAULT_LANG) -> str:
    """Render, dropping next steps from the end (with a note) until the card fits one message."""
    text = _render(card, m)
    while len(text) > MAX_CHARS:
        steps = next((s for s in card.sections if s.numbered), None)
        if steps is None or len(steps.lines) <= 1:
            return text[: MAX_CHARS - 1] + "…" if m is _PLAIN else text
        kept = steps.lines[:-2] if steps.lines[-1].text.startswith("…") else steps.lines[:-1]
        note = Line(render(_("… and more steps than one message can hold."), lang))
        shorter = replace(steps, lines=(*kept, note))
        card = replace(card, sections=tuple(shorter if s is steps else s for s in card.sections))
        text = _render(card, m)
    return text


def render_text(a: Assessment, lang: str = DEFAULT_LANG) -> str:
    """The card as plain text for a terminal."""
    return _fit(build_card(a, lang), _PLAIN, lang)


def render_html(a: Assessment, lang: str = DEFAULT_LANG) -> str:
    """The card as Telegram HTML (parse_mode=HTML): escaped text, <b>/<i> only, ≤ 4096 chars."""
    return _fit(build_card(a, lang), _HTML, lang)


def render_summary_html(a: Assessment, lang: str = DEFAULT_LANG) -> str:
    """The phone's first screen as Telegram HTML: verdict, deadline, amounts, next step."""
    return _fit(build_summary(a, lang), _HTML, lang)


def render_details_html(a: Assessment, lang: str = DEFAULT_LANG) -> str:
    """The rest of the card (why, evidence, all steps) as Telegram HTML."""
    details = tuple(detail_sections(a, lang))
    card = Card(render(_("Details"), lang), details, gettext_for(a.disclaimer, lang))
    return _fit(card, _HTML, lang)
