"""Forgiving parsers: every accepted format, every refusal, and properties over any input."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.dialogue.parsers import (
    MAX_AMOUNT,
    MIN_YEAR,
    Option,
    ParseError,
    format_date,
    format_usd,
    is_unknown,
    parse_amount,
    parse_choice,
    parse_date,
    parse_multi,
    parse_yes_no,
)
from bot.dialogue.questions import QUESTIONS

TODAY = dt.date(2026, 5, 10)  # a Sunday


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-01", dt.date(2026, 5, 1)),
        ("2026/5/1", dt.date(2026, 5, 1)),
        ("20260501", dt.date(2026, 5, 1)),
        ("1 May", dt.date(2026, 5, 1)),
        ("1 may 2026", dt.date(2026, 5, 1)),
        ("May 1st", dt.date(2026, 5, 1)),
        ("May 1, 2026", dt.date(2026, 5, 1)),
        ("1st of May 2026", dt.date(2026, 5, 1)),
        ("01-May-26", dt.date(2026, 5, 1)),
        ("on 3 Sept", dt.date(2025, 9, 3)),
        ("Friday, 1 May 2026", dt.date(2026, 5, 1)),
        ("25/4/2026", dt.date(2026, 4, 25)),
        ("4/25/2026", dt.date(2026, 4, 25)),
        ("25.4.26", dt.date(2026, 4, 25)),
        ("5/5", dt.date(2026, 5, 5)),
        ("today", TODAY),
        ("Yesterday", dt.date(2026, 5, 9)),
        ("the day before yesterday", dt.date(2026, 5, 8)),
        ("3 days ago", dt.date(2026, 5, 7)),
        ("three days ago", dt.date(2026, 5, 7)),
        ("a week ago", dt.date(2026, 5, 3)),
        ("2 weeks ago", dt.date(2026, 4, 26)),
        ("2 months ago", dt.date(2026, 3, 10)),
        ("last monday", dt.date(2026, 5, 4)),
        ("monday", dt.date(2026, 5, 4)),
        ("last sunday", dt.date(2026, 5, 3)),
        ("２０２６－０５－０１", dt.date(2026, 5, 1)),  # full-width digits from CJK keyboards
        ("they arrived on 1 May", dt.date(2026, 5, 1)),
        ("the goods arrived 3 days ago", dt.date(2026, 5, 7)),
        ("it was yesterday", dt.date(2026, 5, 9)),
    ],
)
def test_past_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY, must_not_be_future=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow", dt.date(2026, 5, 11)),
        ("in 3 days", dt.date(2026, 5, 13)),
        ("2 weeks from now", dt.date(2026, 5, 24)),
        ("next friday", dt.date(2026, 5, 15)),
        ("20 June", dt.date(2026, 6, 20)),
        ("1 May", dt.date(2026, 5, 1)),
        ("3 Sept", dt.date(2026, 9, 3)),  # nearer than last September
        ("20 December", dt.date(2025, 12, 20)),  # nearer than next December
        ("2027-01-15", dt.date(2027, 1, 15)),
    ],
)
def test_expected_dates_may_be_ahead(text: str, expected: dt.date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_missing_year_means_most_recent_past_for_deliveries() -> None:
    assert parse_date("20 June", today=TODAY, must_not_be_future=True) == dt.date(2025, 6, 20)
    assert parse_date("10 May", today=TODAY, must_not_be_future=True) == TODAY


@pytest.mark.parametrize("text", ["tomorrow", "in 3 days", "2027-01-01", "next friday"])
def test_future_delivery_date_is_refused(text: str) -> None:
    with pytest.raises(ParseError, match="in the future"):
        parse_date(text, today=TODAY, must_not_be_future=True)


def test_ambiguous_day_month_is_asked_back() -> None:
    with pytest.raises(ParseError) as info:
        parse_date("1/5/2026", today=TODAY)
    assert "1 May or 5 January" in info.value.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31 April", "no day 31 in April"),
        ("2026-02-30", "no day 30 in February"),
        ("May", "Which day of May"),
        ("last week", "Which day exactly"),
        ("monday", "Last Monday or next Monday"),
        ("1999-01-01", "too early"),
        ("2040-01-01", "too far ahead"),
        ("soon", "Which day"),
        ("banana", "I couldn't read that date"),
        ("", "I couldn't read that date"),
        ("x" * 500, "too long"),
    ],
)
def test_date_rejections(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_date(text, today=TODAY)
    assert fragment in info.value.message


def test_default_date_reask_names_the_formats() -> None:
    with pytest.raises(ParseError) as info:
        parse_date("the 5th thing", today=TODAY)
    assert info.value.message == ("I couldn't read that date. Try 2026-05-01, 1 May or 3 days ago.")


_dates = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2030, 12, 31))


@given(day=_dates, today=_dates)
def test_written_dates_round_trip(day: dt.date, today: dt.date) -> None:
    assume(day.year <= today.year + 5)
    for text in (day.isoformat(), format_date(day), f"{day:%B} {day.day}, {day.year}"):
        assert parse_date(text, today=today) == day


@given(today=_dates, days=st.integers(min_value=0, max_value=400))
def test_days_ago_round_trip(today: dt.date, days: int) -> None:
    expected = today - dt.timedelta(days=days)
    if expected.year < MIN_YEAR:  # before Trade Assurance existed: a typo, refused
        with pytest.raises(ParseError):
            parse_date(f"{days} days ago", today=today, must_not_be_future=True)
        return
    assert parse_date(f"{days} days ago", today=today, must_not_be_future=True) == expected


@given(day=_dates, today=_dates)
def test_past_flag_never_returns_a_future_date(day: dt.date, today: dt.date) -> None:
    try:
        got = parse_date(f"{day.day} {day:%B}", today=today, must_not_be_future=True)
    except ParseError:
        return
    assert got <= today
    assert (got.month, got.day) == (day.month, day.day)


@settings(max_examples=300)
@given(text=st.text(max_size=80), today=_dates, past=st.booleans())
def test_any_text_gives_a_date_or_a_parse_error(text: str, today: dt.date, past: bool) -> None:
    try:
        got = parse_date(text, today=today, must_not_be_future=past)
    except ParseError as exc:
        assert exc.message
    else:
        assert isinstance(got, dt.date)
        if past:
            assert got <= today


@given(text=st.from_regex(r"[0-9 /.\-a-z]{0,40}", fullmatch=True), today=_dates)
def test_date_like_text_gives_a_date_or_a_parse_error(text: str, today: dt.date) -> None:
    with contextlib.suppress(ParseError):
        parse_date(text, today=today)


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$12,500", 12500.0),
        ("12.5k", 12500.0),
        ("12k", 12000.0),
        ("USD 3000", 3000.0),
        ("3000usd", 3000.0),
        ("3 000", 3000.0),
        ("3.000,50", 3000.5),
        ("3,000.50", 3000.5),
        ("3 000,50", 3000.5),
        ("1.234.567", 1234567.0),
        ("1,234,567.89", 1234567.89),
        ("12500 dollars", 12500.0),
        ("US$ 8,000", 8000.0),
        ("$ 99.5", 99.5),
        ("12,5", 12.5),
        ("1.5 million", 1500000.0),
        ("about 3000", 3000.0),
        ("I paid 4500", 4500.0),
        ("0.50", 0.5),
        ("€3000 = $3250", 3250.0),
        ("3000 EUR is about 3250 USD", 3250.0),
        ("８０００", 8000.0),
    ],
)
def test_usd_amounts(text: str, expected: float) -> None:
    money = parse_amount(text)
    assert money.is_usd
    assert money.amount == expected


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("€3000", "EUR"),
        ("3000 euros", "EUR"),
        ("EUR 3.000,00", "EUR"),
        ("£500", "GBP"),
        ("GBP 500", "GBP"),
        ("RMB 20000", "CNY"),
        ("20000 yuan", "CNY"),
        ("CNY 20000", "CNY"),
        ("¥20000", "CNY/JPY"),
        ("₹ 100000", "INR"),
        ("INR 100000", "INR"),
        ("50000 naira", "NGN"),
        ("₦50000", "NGN"),
        ("A$ 300", "AUD"),
        ("C$300", "CAD"),
        ("HK$ 300", "HKD"),
    ],
)
def test_other_currencies_are_flagged_not_converted(text: str, currency: str) -> None:
    money = parse_amount(text)
    assert not money.is_usd
    assert money.currency == currency


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("0", "more than 0"),
        ("$0.00", "more than 0"),
        ("-500", "more than 0"),
        ("minus 500", "more than 0"),
        ("$-5", "more than 0"),
        ("12.500", "Is that 12,500 or 12.5?"),
        ("99999999999", "too large"),
        ("3000 pcs", "quantity"),
        ("3000 and 200", "more than one number"),
        ("300 usd eur", "more than one currency"),
        ("1e309", "couldn't read"),
        ("nan", "couldn't read"),
        ("inf", "couldn't read"),
        ("twelve", "couldn't read"),
        ("", "couldn't read"),
        ("1 2 3 4 5", "couldn't read"),
        ("3000abc", "couldn't read"),  # never read as 300
        ("1,234x", "couldn't read"),  # never read as 1.23
        ("PO123 3000", "more than one number"),
    ],
)
def test_amount_rejections(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_amount(text)
    assert fragment in info.value.message


@given(cents=st.integers(min_value=1, max_value=int(MAX_AMOUNT * 100)))
def test_amounts_round_trip(cents: int) -> None:
    amount = cents / 100
    for text in (format_usd(amount), f"{amount:.2f}", f"USD {amount:,.2f}", f"{amount:,.2f} usd"):
        assert parse_amount(text).amount == round(amount, 2)


@given(whole=st.integers(min_value=1, max_value=99_999_999))
def test_whole_amounts_with_spaces_round_trip(whole: int) -> None:
    assert parse_amount(f"{whole:,}".replace(",", " ")).amount == whole
    assert parse_amount(f"${whole:,}").amount == whole


@settings(max_examples=300)
@given(text=st.text(max_size=80))
def test_any_text_gives_an_amount_or_a_parse_error(text: str) -> None:
    try:
        money = parse_amount(text)
    except ParseError as exc:
        assert exc.message
    else:
        assert 0 < money.amount <= MAX_AMOUNT


@given(text=st.from_regex(r"[0-9 ,.'_$€k-]{0,40}", fullmatch=True))
def test_number_like_text_gives_an_amount_or_a_parse_error(text: str) -> None:
    try:
        money = parse_amount(text)
    except ParseError:
        return
    assert 0 < money.amount <= MAX_AMOUNT


# --------------------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    "text", ["yes", "Y", "yeah", "Yesss", "yep", "sure", "ok", "of course", "yes I did", "si"]
)
def test_yes(text: str) -> None:
    assert parse_yes_no(text) is True


@pytest.mark.parametrize(
    "text", ["no", "N", "nope", "nah", "not yet", "no I didn't", "never", "nooo", "I did not"]
)
def test_no(text: str) -> None:
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["yes and no", "maybe", "", "banana", "😀"])
def test_yes_no_rejections(text: str) -> None:
    with pytest.raises(ParseError):
        parse_yes_no(text)


@pytest.mark.parametrize("text", ["I don't know", "idk", "not sure", "?", "No idea", "Dunno."])
def test_unknown_phrases(text: str) -> None:
    assert is_unknown(text)


@pytest.mark.parametrize("text", ["no", "not yet", "yes", "3000"])
def test_answers_are_not_unknown(text: str) -> None:
    assert not is_unknown(text)


@settings(max_examples=300)
@given(text=st.text(max_size=80))
def test_any_text_gives_yes_no_or_a_parse_error(text: str) -> None:
    try:
        assert isinstance(parse_yes_no(text), bool)
    except ParseError as exc:
        assert exc.message


# --------------------------------------------------------------------------- choices

PROBLEMS = QUESTIONS["problem"].options
PAID_VIA = QUESTIONS["paid_via"].options
EVIDENCE = QUESTIONS["evidence"].options


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", "late_shipment"),
        ("#2", "not_delivered"),
        ("option 4", "wrong_quantity"),
        ("3.", "quality_mismatch"),
        ("quality_mismatch", "quality_mismatch"),
        ("Shipped late", "late_shipment"),
        ("it never came", "not_delivered"),
        ("qualty", "quality_mismatch"),
        ("wrng quantity", "wrong_quantity"),
        ("stuck in customs", "customs_hold"),
        ("cancelled", "supplier_cancelled"),
    ],
)
def test_choice_by_number_value_label_or_fuzzy(text: str, value: str) -> None:
    assert parse_choice(text, PROBLEMS) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("card", "alibaba_order"),
        ("paypal link", "paypal_outside_order"),
        ("wire to the supplier's account", "supplier_bank_account"),
        ("western union", "western_union"),
    ],
)
def test_payment_keywords(text: str, value: str) -> None:
    assert parse_choice(text, PAID_VIA) == value


@pytest.mark.parametrize("text", ["wire", "T/T", "paypal", "bank transfer"])
def test_payment_words_that_could_be_on_or_off_platform_are_asked_back(text: str) -> None:
    """A wire or PayPal payment may be inside the order or not; guessing could void a claim."""
    with pytest.raises(ParseError) as info:
        parse_choice(text, PAID_VIA)
    assert "alibaba_order" in info.value.suggestions
    assert len(info.value.suggestions) == 2


@pytest.mark.parametrize("text", ["some pieces are missing", "quality is less than agreed"])
def test_problem_words_pointing_two_ways_are_asked_back(text: str) -> None:
    """Missing pieces and a missing shipment count the claim window from different dates."""
    with pytest.raises(ParseError) as info:
        parse_choice(text, PROBLEMS)
    assert len(info.value.suggestions) == 2


@pytest.mark.parametrize("text", ["0", "14", "x", "", "zzzzzz"])
def test_choice_rejections(text: str) -> None:
    with pytest.raises(ParseError):
        parse_choice(text, PROBLEMS)


def test_multi_choice_by_numbers_and_names() -> None:
    assert parse_multi("1 3 4", EVIDENCE) == {"contract", "photos_video", "platform_chat"}
    assert parse_multi("1,5", EVIDENCE) == {"contract", "tracking"}
    assert parse_multi("photos and chat", EVIDENCE) == {"photos_video", "platform_chat"}
    with pytest.raises(ParseError, match="not on the list"):
        parse_multi("9", EVIDENCE)


_options = st.lists(
    st.builds(
        Option,
        value=st.from_regex(r"[a-z_]{1,20}", fullmatch=True),
        label=st.text(min_size=1, max_size=30),
    ),
    min_size=1,
    max_size=13,
    unique_by=lambda o: o.value,
)


@settings(max_examples=200)
@given(text=st.text(max_size=60), options=_options)
def test_any_text_gives_a_choice_or_a_parse_error(text: str, options: list[Option]) -> None:
    try:
        value = parse_choice(text, options)
    except ParseError as exc:
        assert exc.message
    else:
        assert value in {o.value for o in options}


@given(options=_options, data=st.data())
def test_choice_by_number_round_trips(options: list[Option], data: st.DataObject) -> None:
    index = data.draw(st.integers(min_value=1, max_value=len(options)))
    assert parse_choice(str(index), options) == options[index - 1].value


@settings(max_examples=200)
@given(text=st.text(max_size=60))
def test_any_text_gives_evidence_or_a_parse_error(text: str) -> None:
    try:
        values = parse_multi(text, EVIDENCE)
    except ParseError:
        return
    assert values <= {o.value for o in EVIDENCE}


def test_a_plan_or_a_question_is_not_taken_as_what_happened() -> None:
    from bot.dialogue.questions import question_for

    options = question_for("paid_via").options
    for text in (
        "My supplier wants me to pay by Western Union. How long do I have?",
        "he asked me to pay by WU",
        "should I pay by western union?",
    ):
        with pytest.raises(ParseError) as err:
            parse_choice(text, options)
        assert list(err.value.suggestions) == ["western_union"]
    assert parse_choice("I paid by western union", options) == "western_union"
