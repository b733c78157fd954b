"""Each button goes to exactly one handler, chosen by the codec's pattern for its operation."""

from __future__ import annotations

import pytest

from bot.telegram import buttons
from bot.telegram.callbacks import Op

ROUTES = {
    "check": buttons.CHECK_PATTERN,
    "private": buttons.PRIVATE_PATTERN,
    "group": buttons.GROUP_PATTERN,
}
SAMPLES = {
    Op.TOPIC: "1:t:what-is-covered",
    Op.TOPICS: "1:tp:0",
    Op.FEEDBACK: "1:fb:what-is-covered:1",
    Op.CHECK: "1:c",
    Op.ANSWER: "1:a:paid_via:western_union",
    Op.BACK: "1:b:review",
    Op.CANCEL: "1:x",
    Op.EDIT: "1:e:paid_via",
    Op.CONFIRM: "1:ok",
    Op.REMIND: "1:r:12",
    Op.DETAILS: "1:d:12",
    Op.FORGET: "1:f:0",
    Op.FULL: "1:g:42:what-is-covered",
    Op.SETTINGS: "1:s:42:1",
    Op.MORE: "1:m:what-is-covered:0",
    Op.TERMS: "1:gl:what-is-covered",
    Op.TERM: "1:gt:fob",
}


def _route(op: Op) -> str:
    if op in buttons.CHECK_OPS:
        return "check"
    return "group" if op in buttons.GROUP_OPS else "private"


@pytest.mark.parametrize("op", list(Op))
def test_every_operation_has_one_route(op: Op) -> None:
    data = SAMPLES[op]
    matched = [name for name, pattern in ROUTES.items() if pattern.match(data)]
    assert matched == [_route(op)]


@pytest.mark.parametrize("data", ["", "2:t:x", "1:zz", "1:", "hello", "1:tpx:0", "1:okay"])
def test_other_data_reaches_only_the_stale_handler(data: str) -> None:
    assert not any(pattern.match(data) for pattern in ROUTES.values())
