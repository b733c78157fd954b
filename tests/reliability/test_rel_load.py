"""Load: 200 users at once, each through a whole guided check, through the real Application.

Every user taps and types their own answers (four kinds of case, every amount different), all
at the same time; afterwards each one saw the verdict their own answers call for, the database
holds exactly one finished check per user and passes `integrity_check`, and every update got its
reply (each message one answer, each tap one answered query and one edited screen).

Telegram's own send limits are left out of the way (the emulator enforces none by default, and
the bot's limiter runs without its global and per-chat pace here, as in the harness): what is
measured is that nothing is lost or mixed up under concurrency, not Telegram's pacing, which
would stretch 200 checks over minutes.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter

from bot.answering import Advisor
from bot.claims.assessment import Verdict
from bot.claims.card import HEADLINES
from bot.dialogue import questions
from bot.storage.factory import database_location
from tests.emulator import Call, Emulator, User
from tests.reliability import backend
from tests.telegram.harness import Harness, button, make_settings

Json = dict[str, Any]
USERS = 200
STEP_TIMEOUT_S = 30.0
"""Per reply; generous for two busy CI cores (the whole test takes a few seconds)."""

QUESTION_FACTS = {q.text: q.fact for q in questions.QUESTIONS.values()}
"""Question wording -> fact, to tell which question a screen asks."""


class RoutedEmulator(Emulator):
    """The emulator plus one inbox per chat: each user waits on its own queue of the bot's
    calls instead of rescanning every call at every change (200 waiters would be quadratic)."""

    def __init__(self) -> None:
        super().__init__()
        self.inboxes: dict[int, asyncio.Queue[Call]] = {}
        self.query_chat: dict[str, int] = {}
        self._routed = 0

    def _notify(self) -> None:
        calls = self._calls
        while self._routed < len(calls):
            call = calls[self._routed]
            self._routed += 1
            chat = call.params.get("chat_id")
            if call.method == "answerCallbackQuery":
                chat = self.query_chat.get(str(call.params.get("callback_query_id")))
            if isinstance(chat, int) and chat in self.inboxes:
                self.inboxes[chat].put_nowait(call)
        super()._notify()


@dataclass
class Scenario:
    """One user's answers: per fact, a button label to tap or a text to type."""

    kind: str
    expected: Verdict
    answers: dict[str, str | list[str]]
    typed: set[str] = field(default_factory=set)


def scenario(n: int) -> Scenario:
    """Four kinds of case, with an amount of their own (to see no user gets another's data)."""
    amount = f"${1000 + n:,}"
    base: dict[str, str | list[str]] = {
        "paid_via": "Through the Alibaba order",
        "trade_assurance_order": "Yes",
        "problem": "Shipped late",
        "receipt_confirmed": "No",
        "agreed_date": "2026-02-20",
        "delivery_date": "2026-03-01",  # 21 days of the window left on the harness's day
        "order_window_end": "I don't know",
        "amount_paid": amount,
        "coverage_limit": "50000",
        "evidence": ["The order contract", "Chat on Alibaba", "Tracking details"],
    }
    typed = {"agreed_date", "delivery_date", "amount_paid", "coverage_limit"}
    if n % 8 >= 4:  # half of them type their yes/no answers
        base |= {"trade_assurance_order": "yes", "receipt_confirmed": "no"}
        typed |= {"trade_assurance_order", "receipt_confirmed"}
    kind = ("eligible", "risky", "off_platform", "unknown")[n % 4]
    if kind == "eligible":
        return Scenario(kind, Verdict.ELIGIBLE, base, typed)
    if kind == "risky":  # paid more than the coverage, and no evidence yet
        base |= {"coverage_limit": "500", "evidence": []}
        return Scenario(kind, Verdict.ELIGIBLE_WITH_RISKS, base, typed)
    if kind == "off_platform":
        late = {"problem": "Shipped late"}
        if n % 8 == 2:
            answers = {**late, "paid_via": "western union"}
            return Scenario(kind, Verdict.NOT_ELIGIBLE, answers, {"paid_via"})
        return Scenario(kind, Verdict.NOT_ELIGIBLE, {**late, "paid_via": "Western Union"})
    base |= {"paid_via": "I don't know"}
    return Scenario(kind, Verdict.NEED_MORE_INFO, base, typed)


class Driver:
    """One simulated user going through the check, waiting for each reply in its inbox."""

    def __init__(self, emu: RoutedEmulator, user: User, plan: Scenario) -> None:
        self.emu, self.user, self.plan = emu, user, plan
        self.inbox: asyncio.Queue[Call] = asyncio.Queue()
        emu.inboxes[user.id] = self.inbox
        self.messages_sent = 0
        self.presses: list[str] = []
        self.screens: list[str] = []

    async def _next(self, method: str) -> Call:
        call = await asyncio.wait_for(self.inbox.get(), STEP_TIMEOUT_S)
        assert call.ok, (call.method, call.response)
        assert call.method == method, (method, call.method, call.params.get("text", "")[:80])
        return call

    async def type(self, text: str) -> Json:
        self.emu.send_text(self.user, None, text)
        self.messages_sent += 1
        screen: Json = (await self._next("sendMessage")).result
        return screen

    async def tap(self, screen: Json, label: str) -> Json:
        self.emu.press_button(self.user, screen, button(screen, label))
        query_id = str(self.emu.updates[-1]["callback_query"]["id"])
        self.emu.query_chat[query_id] = self.user.id
        self.presses.append(query_id)
        answered = await self._next("answerCallbackQuery")
        assert answered.params["callback_query_id"] == query_id
        edited: Json = (await self._next("editMessageText")).result
        return edited

    async def run(self) -> str:
        """The whole check; returns the verdict screen's text."""
        screen = await self.type("/check")
        for _ in range(30):
            text = screen["text"]
            self.screens.append(text.split("\n")[0])
            if text.startswith(tuple(HEADLINES.values())):
                return str(text)
            if "Please check your answers:" in text:
                screen = await self.tap(screen, "See the result")
                continue
            fact = next(f for q, f in QUESTION_FACTS.items() if q in text)
            answer = self.plan.answers[fact]
            if isinstance(answer, list):  # evidence: tap each, then Done
                for label in answer:
                    screen = await self.tap(screen, label)
                screen = await self.tap(screen, "Done")
            elif fact in self.plan.typed:
                screen = await self.type(answer)
            else:
                screen = await self.tap(screen, answer)
        raise AssertionError(f"no verdict after 30 screens: {self.screens}")


async def test_200_users_at_once_each_get_their_own_verdict(
    tmp_path: Path, advisor: Advisor, backend_settings: dict[str, Any]
) -> None:
    emu = RoutedEmulator()
    async with emu:
        harness = Harness(emu, make_settings(emu, tmp_path, **backend_settings), advisor)
        users = [emu.create_user(f"User{n}") for n in range(USERS)]
        drivers = [Driver(emu, user, scenario(n)) for n, user in enumerate(users)]
        # No global or group pace (Telegram's 30/s would stretch this to minutes): see above.
        limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
        async with harness.running(rate_limiter=limiter):
            verdicts = await asyncio.gather(*(d.run() for d in drivers))
            db = harness.database
            assert await backend.sound(db)
            stats = await db.stats()
        for driver, verdict in zip(drivers, verdicts, strict=True):
            assert verdict.startswith(HEADLINES[driver.plan.expected]), (
                driver.plan.kind,
                driver.screens,
                verdict[:80],
            )
            assert driver.inbox.empty(), "a reply nobody asked for"

        # Every update got its reply: each message one sendMessage, each tap one answer.
        answered = {a["callback_query_id"] for a in emu.answered_callbacks}
        assert answered == {q for d in drivers for q in d.presses}
        sends: defaultdict[int, int] = defaultdict(int)
        for call in emu.requests:
            assert call.ok or call.method == "getUpdates", (call.method, call.response)
            if call.method == "sendMessage":
                sends[call.params["chat_id"]] += 1
        assert {d.user.id: d.messages_sent for d in drivers} == dict(sends)
        injected = len(emu.updates)
        assert injected == sum(d.messages_sent + len(d.presses) for d in drivers)

        assert (stats.checks_started, stats.checks_finished) == (USERS, USERS)
        await _database_is_consistent(database_location(harness.settings), drivers)


async def _database_is_consistent(where: str, drivers: list[Driver]) -> None:
    """Read with a separate connection: one finished check per user, with their own facts."""
    async with backend.opened(where) as store:
        assert await backend.sound(store)
        rows = await backend.rows(store, "SELECT user_id, verdict, facts_json FROM assessments")
        assert len(rows) == len(drivers)
        by_user = {user_id: (verdict, json.loads(facts)) for user_id, verdict, facts in rows}
        states = dict(await backend.rows(store, "SELECT user_id, state_json FROM check_states"))
        events = await backend.rows(
            store, "SELECT user_id, event, COUNT(*) FROM check_events GROUP BY user_id, event"
        )
    assert {(u, e): n for u, e, n in events} == {
        **{(d.user.id, "started"): 1 for d in drivers},
        **{(d.user.id, "finished"): 1 for d in drivers},
    }
    for n, driver in enumerate(drivers):
        verdict, facts = by_user[driver.user.id]
        assert verdict == driver.plan.expected.value
        if driver.plan.kind != "off_platform":
            assert facts["amount_paid"] == 1000 + n  # the user's own typed amount
        assert json.loads(states[driver.user.id])["stage"] == "done"
