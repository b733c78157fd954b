"""The guided check as a state machine: a checklist, not a flowchart.

The next question is always *the first fact the rules still need*, worked out by running the real
assessment (`bot.claims.assess.assess`) on the facts so far. So the questionnaire can never drift
from the rules: an off-platform payment ends the questions at once (the first rule decides the
case), specs are asked only when the rules need them (quality and quantity problems), and a
closed window stops the questions as soon as the date is known.

Asking order is the catalogue's (`bot.claims.catalog.FACTS`): the problem first (it decides
what else applies, and "something else" ends the check at once), then the payment, then what
the decisive rules read, then the optional facts that only change risks and amounts. A fact is
asked only while it applies to the answers so far; an edit drops the answers that stop applying.

The whole conversation is one frozen pydantic value, `CheckState`; every operation returns a new
state and never mutates, so any front end can store the JSON anywhere and resume after a restart.
Back is an undo stack of earlier positions, which makes it correct across skipped questions,
edits and pruned answers alike.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.claims.assess import assess
from bot.claims.assessment import Assessment, Verdict
from bot.claims.catalog import BY_NAME, FACT_NAMES, FACTS, FactName, dependents
from bot.claims.facts import Evidence, Facts, PaidVia, Problem
from bot.dialogue.parsers import Option, ParseError, is_unknown, parse_multi
from bot.dialogue.question import ABSENT, DONE, DONT_KNOW, NONE_OF_THESE, PART_OUTSIDE, Kind
from bot.dialogue.questions import question_for, review_answer
from bot.i18n import DEFAULT_LANG, N_, Text, _, deferred, join

STATE_VERSION: Literal[2] = 2
"""Bump when `CheckState` changes shape, and add a migration to `_MIGRATIONS`."""

HISTORY_LIMIT = 50
"""Back steps kept; enough for any real check, small enough for a per-user database row."""

DECIDED = (Verdict.NOT_ELIGIBLE, Verdict.TOO_EARLY)
"""Verdicts no further answer can change: the questions stop there."""

Stage = Literal["asking", "review", "done", "cancelled"]


class StateError(ValueError):
    """An operation that does not fit the state (confirming mid-check, an unreadable JSON)."""


class Position(BaseModel):
    """Where the conversation stands; `CheckState` adds the undo stack and bookkeeping."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: Facts
    answered: tuple[FactName, ...] = ()
    """Facts the user has answered, including "I don't know" (which may leave the fact null)."""
    current: FactName | None = None
    stage: Stage = "asking"
    selected: tuple[Evidence, ...] = ()
    """Evidence toggled so far while the multi-choice evidence question is open."""


class CheckState(Position):
    """The whole check as one serialisable value. Store `to_json()`, resume with `from_json()`."""

    version: Literal[2] = STATE_VERSION
    check_id: str = ""
    """Names this check across corrections, so a new verdict supersedes the older one."""

    as_of: dt.date
    history: tuple[Position, ...] = ()

    def to_json(self) -> str:
        """Compact JSON; `CheckState.from_json(s.to_json()) == s` for every state."""
        data = self.model_dump(mode="json")
        _sort_evidence(data)
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> CheckState:
        """Read a stored state, migrating older versions; StateError when unreadable."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise StateError(f"stored check state is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise StateError("stored check state is not a JSON object")
        version = data.get("version")
        while isinstance(version, int) and version in _MIGRATIONS:
            data = _MIGRATIONS[version](data)
            version = data.get("version")
        if version != STATE_VERSION:
            raise StateError(f"stored check state has unknown version {version!r}")
        try:
            state = cls.model_validate(data)
        except ValidationError as exc:
            raise StateError(f"stored check state is invalid: {exc.error_count()} errors") from None
        if (state.stage == "asking") != (state.current is not None):
            raise StateError("stored check state has no open question while asking")
        return state


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 stored every fact (unknown as null) and used `delivery_date` as the expected
    date for shipping problems: keep only real answers, move that date to `agreed_date`, and
    drop the undo stack (its positions have the old shape)."""
    facts = dict(data.get("facts") or {})
    answered = list(data.get("answered") or [])
    kept = {k: v for k, v in facts.items() if v is not None or k == "coverage_limit"}
    if "coverage_limit" not in answered:
        kept.pop("coverage_limit", None)
    if kept.get("problem") in ("late_shipment", "not_delivered", "supplier_cancelled"):
        if "delivery_date" in kept:
            kept["agreed_date"] = kept.pop("delivery_date")
            answered = ["agreed_date" if a == "delivery_date" else a for a in answered]
        if data.get("current") == "delivery_date":
            data["current"] = "agreed_date"
    if kept.get("paid_via") == "alibaba_order":  # v1 had no part-outside answer: all inside
        kept["amount_paid_outside"] = 0.0
        answered.append("amount_paid_outside")
    answered = [name for name in FACT_NAMES if name in answered]
    return {**data, "version": 2, "facts": kept, "answered": answered, "history": []}


_MIGRATIONS: dict[int, Any] = {1: _v1_to_v2}
"""version -> function(dict) -> dict of the next version."""


def _sort_evidence(data: Any) -> None:
    """Frozensets dump in hash order; sort them so equal states give identical JSON."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("evidence", "selected") and isinstance(value, list):
                value.sort()
            else:
                _sort_evidence(value)
    elif isinstance(data, list):
        for item in data:
            _sort_evidence(item)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class Prompt:
    """Everything a front end needs to show the open question."""

    fact: FactName
    kind: Kind
    text: str
    why: str
    help: str
    example: str
    options: tuple[Option, ...]
    allow_unknown: bool
    selected: frozenset[str]
    """Evidence already toggled on (multi-choice only)."""
    step: int
    total: int
    can_go_back: bool
    editing: bool
    """True when changing an earlier answer from the review screen."""


class ReviewItem(NamedTuple):
    """One line of the review screen."""

    fact: FactName
    label: str
    answer: Text


# --------------------------------------------------------------------------- checklist


def _todo(facts: Facts, answered: tuple[FactName, ...]) -> list[FactName]:
    """The facts still to ask, in catalogue order: those that apply to the answers so far and
    have not been asked, unless a decisive rule already settled the case."""
    if facts.problem is Problem.OTHER or assess(facts).verdict in DECIDED:
        return []
    return [s.name for s in FACTS if s.applies(facts) and s.name not in answered]


def jumped_because(state: CheckState) -> Text | str:
    """Why the check went to review with questions left unasked (a decisive rule settled it),
    or "" when nothing was skipped."""
    if state.stage != "review":
        return ""
    left = [s for s in FACTS if s.applies(state.facts) and s.name not in state.answered]
    result = assessment(state)
    if not left or result.verdict not in DECIDED:
        return ""
    return _("No more questions needed: {reason}", reason=result.reasons[0].message)


def _ordered(names: set[FactName]) -> tuple[FactName, ...]:
    return tuple(f for f in FACT_NAMES if f in names)


def _position(state: CheckState) -> Position:
    return Position(
        facts=state.facts,
        answered=state.answered,
        current=state.current,
        stage=state.stage,
        selected=state.selected,
    )


def _push(state: CheckState) -> tuple[Position, ...]:
    return (*state.history, _position(state))[-HISTORY_LIMIT:]


def _advance(state: CheckState) -> CheckState:
    """Move to the first fact still needed; to review when none is left; straight to the
    result when the problem is "something else" (nothing to review: say what to do instead)."""
    todo = _todo(state.facts, state.answered)
    if todo:
        selected = state.facts.evidence if todo[0] == "evidence" else None
        return state.model_copy(
            update={
                "current": todo[0],
                "stage": "asking",
                "selected": tuple(sorted(selected or ())),
            }
        )
    stage = "done" if state.facts.problem is Problem.OTHER else "review"
    return state.model_copy(update={"current": None, "stage": stage, "selected": ()})


def _prune(facts: Facts, changed: FactName, answered: set[FactName]) -> Facts:
    """Drop the answers that stop applying after `changed` changed (derived from the
    catalogue's `depends_on`), so they are asked again only if needed."""
    drop = [
        name
        for name in dependents(changed)
        if name in answered and not BY_NAME[name].applies(facts)
    ]
    for name in drop:
        answered.discard(name)
    return facts.without(*drop) if drop else facts


def _apply(state: CheckState, fact: FactName, value: Any) -> CheckState:
    """Record one answer (pushing the old position for Back) and move on."""
    answered = set(state.answered) | {fact}
    facts = state.facts
    if fact == "paid_via" and value == PART_OUTSIDE:
        facts = facts.with_answer("paid_via", PaidVia.ALIBABA_ORDER).without("amount_paid_outside")
        answered.discard("amount_paid_outside")
    elif value is ABSENT:
        facts = facts.without(fact)
    else:
        facts = facts.with_answer(fact, value)
        if fact == "paid_via" and value == PaidVia.ALIBABA_ORDER:
            facts = facts.with_answer("amount_paid_outside", 0.0)
            answered.add("amount_paid_outside")
    facts = _prune(facts, fact, answered)
    moved = state.model_copy(
        update={
            "facts": facts,
            "answered": _ordered(answered),
            "selected": (),
            "history": _push(state),
        }
    )
    return _advance(moved)


# --------------------------------------------------------------------------- operations


def start(today: dt.date, check_id: str | None = None) -> CheckState:
    """A new check made on `today` (the day the claim window is measured from)."""
    state = CheckState(
        as_of=today,
        facts=Facts.model_validate({"as_of": today}),
        check_id=check_id or secrets.token_hex(8),
    )
    return _advance(state)


def with_today(state: CheckState, today: dt.date) -> CheckState:
    """The same check seen from `today`: call it when resuming a stored check on a later day,
    so relative dates ("3 days ago") and the days left are counted from the real date."""
    if today == state.as_of:
        return state
    return state.model_copy(
        update={"as_of": today, "facts": state.facts.with_answer("as_of", today)}
    )


def current_question(state: CheckState) -> Prompt | None:
    """The open question, worded for the facts so far; None outside the asking stage."""
    if state.stage != "asking" or state.current is None:
        return None
    question = question_for(state.current, state.facts.problem)
    step, total = progress(state)
    return Prompt(
        fact=state.current,
        kind=question.kind,
        text=question.text,
        why=question.why,
        help=question.help,
        example=question.example,
        options=question.options,
        allow_unknown=question.allow_unknown,
        selected=frozenset(str(e) for e in state.selected),
        step=step,
        total=total,
        can_go_back=bool(state.history),
        editing=state.current in state.answered,
    )


def progress(state: CheckState) -> tuple[int, int]:
    """(step, estimated total) for "step 3 of about 6", from the checklist as it now stands.

    The total is an estimate: a later answer can end the check early (an off-platform
    payment) or add a question (specs, once the problem is a quality or quantity one).
    """
    if state.stage != "asking" or state.current is None:
        return len(state.answered), len(state.answered)
    todo = _todo(state.facts, state.answered)
    done = [f for f in state.answered if f != state.current]
    extra = [f for f in todo if f != state.current]
    return len(done) + 1, len(done) + 1 + len(extra)


def answer(state: CheckState, text: str, lang: str = DEFAULT_LANG) -> CheckState | ParseError:
    """Read a typed answer (or an option value) for the open question.

    Returns the next state, or a ParseError whose `message` re-asks; the state is unchanged
    then. "I don't know" in words is accepted where the question allows it. For the evidence
    question typed text is the complete answer ("1 3 4", "photos and chat"); use `press` for
    toggle buttons.
    """
    if state.stage != "asking" or state.current is None:
        return ParseError(N_("There is no open question right now."))
    fact = state.current
    question = question_for(fact, state.facts.problem)
    raw = text.strip()
    if raw == DONT_KNOW or is_unknown(raw):
        return answer_unknown(state)
    try:
        if question.kind == Kind.MULTI_CHOICE:
            if raw.lower() == DONE:
                return _apply(state, fact, frozenset(state.selected))
            return _apply(state, fact, _evidence(parse_multi(raw, question.options)))
        return _apply(state, fact, question.parse(raw, state.as_of, lang))
    except ParseError as exc:
        return exc


def press(state: CheckState, fact: str, value: str) -> CheckState | ParseError:
    """Handle a button: `fact` is the question it was shown for, `value` an option value,
    `DONE` or `DONT_KNOW`. Evidence buttons toggle; `DONE` (or "None of these") closes.

    A button from an older message returns a ParseError, so a stale tap never answers the
    wrong question.
    """
    if state.stage != "asking" or state.current != fact:
        return ParseError(
            N_("That button belongs to an earlier question. Here is the current one.")
        )
    question = question_for(state.current, state.facts.problem)
    if value == DONT_KNOW:
        return answer_unknown(state)
    if question.kind == Kind.MULTI_CHOICE:
        if value == DONE:
            return _apply(state, state.current, frozenset(state.selected))
        if value == NONE_OF_THESE:
            return _apply(state, state.current, frozenset())
        if value not in {e.value for e in Evidence}:
            return ParseError(N_("Please use the buttons."))
        chosen = set(state.selected) ^ {Evidence(value)}
        return state.model_copy(update={"selected": tuple(sorted(chosen))})
    if value not in {o.value for o in question.options}:
        return ParseError(N_("Please use the buttons."))
    try:
        return _apply(state, state.current, question.parse(value, state.as_of))
    except ParseError as exc:
        return exc


def is_retyped_answer(state: CheckState, text: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether `text` reads as the answer already stored for the previous question: what a
    user types again when the bot stopped after storing an answer but before showing the next
    question. Front ends ask this only when the open question may not have been shown."""
    if state.stage != "asking" or not state.history:
        return False
    previous = state.history[-1].current
    if previous is None or previous == state.current or not state.facts.given(previous):
        return False
    question = question_for(previous)
    try:
        value = question.parse(text.strip(), state.as_of, lang)
    except ParseError:
        return False
    stored = getattr(state.facts, previous)
    if previous == "paid_via" and value == PART_OUTSIDE:
        value = PaidVia.ALIBABA_ORDER
    return bool(value == stored)


def answer_unknown(state: CheckState) -> CheckState | ParseError:
    """ "I don't know": `paid_via` becomes `unknown`, other facts stay null but count as asked.

    The check goes on; the verdict then says which facts are still needed (or, for the
    coverage amount, raises the COVERAGE_UNKNOWN risk). Questions without the option re-ask
    with their help text.
    """
    if state.stage != "asking" or state.current is None:
        return ParseError(N_("There is no open question right now."))
    question = question_for(state.current, state.facts.problem)
    if not question.allow_unknown:
        reask = _("Please choose one of the answers.")
        return ParseError(join(reask, deferred(question.help)) if question.help else reask)
    value = PaidVia.UNKNOWN if state.current == "paid_via" else question.unknown
    return _apply(state, state.current, value)


def back(state: CheckState) -> CheckState:
    """Undo the last step: the previous question comes back as it was before it was answered.

    Back from review reopens the last question, back from a question opened with `edit`
    returns to review, and back at the first question changes nothing.
    """
    if not state.history or state.stage == "cancelled":
        return state
    previous = state.history[-1]
    return CheckState(
        version=state.version,
        check_id=state.check_id,
        as_of=state.as_of,
        history=state.history[:-1],
        facts=previous.facts.with_answer("as_of", state.as_of),
        answered=previous.answered,
        current=previous.current,
        stage=previous.stage,
        selected=previous.selected,
    )


def can_go_back(state: CheckState) -> bool:
    """Whether `back` would change anything (hide the Back button when it would not)."""
    return bool(state.history)


def review(state: CheckState) -> list[ReviewItem]:
    """The answers given so far, in asking order, for the screen shown before the verdict."""
    problem = state.facts.problem
    return [
        ReviewItem(fact, question_for(fact, problem).label, review_answer(fact, state.facts))
        for fact in state.answered
    ]


def edit(state: CheckState, fact: str) -> CheckState:
    """Reopen one answered question from the review (or verdict) screen.

    After the new answer the check asks whatever that change makes necessary (a changed
    problem may drop the specs or the delivery date) and then returns to review.
    """
    if state.stage not in ("review", "done"):
        raise StateError("answers can be changed from the review screen only")
    if fact not in state.answered:
        raise StateError(f"{fact!r} has not been answered in this check")
    name: FactName = next(f for f in FACT_NAMES if f == fact)
    selected = tuple(sorted(state.facts.evidence or ())) if name == "evidence" else ()
    return state.model_copy(
        update={
            "current": name,
            "stage": "asking",
            "selected": selected,
            "history": _push(state),
        }
    )


def confirm(state: CheckState) -> tuple[CheckState, Assessment]:
    """Close the review: the state is done and the assessment is returned (not stored, since
    `assessment(state)` recomputes it identically from the facts)."""
    if state.stage == "done":
        return state, assessment(state)
    if state.stage != "review":
        raise StateError("the check can be confirmed from the review screen only")
    done = state.model_copy(update={"stage": "done", "current": None, "history": _push(state)})
    return done, assessment(done)


def assessment(state: CheckState) -> Assessment:
    """The assessment of the facts collected so far (at any stage)."""
    return assess(state.facts.with_answer("as_of", state.as_of))


def cancel(state: CheckState) -> CheckState:
    """Stop the check; front ends normally just forget the state."""
    return state.model_copy(update={"stage": "cancelled", "current": None, "selected": ()})


# --------------------------------------------------------------------------- reading answers


def _evidence(values: frozenset[str]) -> frozenset[Evidence]:
    """Typed evidence as a set, refusing "None of these" mixed with items."""
    if NONE_OF_THESE in values:
        if len(values) > 1:
            raise ParseError(
                N_('You chose "None of these" and other items. Please send only what you have.')
            )
        return frozenset()
    return frozenset(Evidence(v) for v in values)
