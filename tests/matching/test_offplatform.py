"""The off-platform payment detector: every family of request warns, good advice stays quiet.

Each family of the issue has its own requests and the look-alikes that must not warn (sharing
its words). These sentences are not in the development or held-out sets.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.offplatform import assess_off_platform, detects_off_platform
from bot.matching.offplatform.detector import CATEGORIES, OffPlatformDetector, load_cues
from bot.matching.offplatform.text import (
    MAX_PREFIX,
    MAX_TOKENS,
    PhraseIndex,
    parse_phrase,
    tokens,
)

FAMILIES: dict[str, tuple[list[str], list[str]]] = {
    "personal or company account in chat": (
        [
            "The supplier gave me his personal account for the deposit, sending it tonight",
            "seller wants the money on their company account in HK, not via the order",
            "They asked us to pay into the boss's own bank account, I'm doing it now",
            "pay me by western union, fast",
        ],
        [
            "Don't send money to a personal account, whatever they tell you",
            "I paid by T/T to the Citibank account shown in my order",
        ],
    ),
    "money transfer services": (
        [
            "can i pay by western union",
            "He asks me to send it by MoneyGram, is that ok?",
            "the factory wants the payment through Ria, I'll go to the shop tomorrow",
        ],
        [
            "never pay by MoneyGram",
            "Does trade assurance cover Western Union payments?",
            "I send money to my parents by Ria every month",
        ],
    ),
    "Wise to a person": (
        ["Supplier says send it with Wise to his private account"],
        ["Wise vs PayPal for paying my designers abroad?"],
    ),
    "PayPal friends and family or outside the order": (
        [
            "seller wants PayPal friends and family for the samples",
            "he sent me a PayPal invoice outside the order, paying it now",
        ],
        ["PayPal fees vs card fees on alibaba, which is lower?"],
    ),
    "crypto": (
        ["they only accept USDT", "Paying the factory in bitcoin tomorrow"],
        ["Bitcoin fell 8% overnight", "Avoid paying suppliers with crypto, there is no way back"],
    ),
    "Alipay or WeChat Pay to a person": (
        ["She wants me to pay her WeChat directly, 3000 yuan for the samples"],
        ["Can I pay on alibaba.com with Alipay?"],
    ),
    "an agent or relative pays for you": (
        ["My agent will pay the factory for me, I just send him the money"],
        ["Our agent charges 4% for quality checks, fair price?"],
    ),
    "cancel the order and pay directly": (
        ["Supplier asks me to cancel the order and pay him directly"],
        ["Don't let a seller talk you into cancelling the order to pay direct"],
    ),
    "new bank details": (
        ["Supplier emailed new bank details for the balance, will pay tomorrow"],
        ["If a supplier sends new bank details, call them first"],
    ),
    "a discount or fee saving for paying outside": (
        ["He gives 4% off if I pay by T/T outside Alibaba"],
        ["The seller gave me 4% off for ordering 2000 units, paid through the order"],
    ),
    "the balance outside after a deposit inside": (
        ["Deposit went through the order, but he wants the balance to his account"],
        ["Deposit and balance both went through the order, no problem"],
    ),
    "cash to a rep": (
        ["I'll hand the cash to their rep at the fair next week"],
        ["Bring cash for taxis at the Canton fair"],
    ),
    "past lessons and refusals": (
        [],
        [
            "I paid by WU once and lost everything",
            "The seller wanted MoneyGram, I refused and he made a TA order",
        ],
    ),
    "questions in a private chat (version 1's cases)": (
        [
            "can i pay by western union",
            "Can I pay via WU?",
            "The supplier wants me to pay to his personal bank account, is that ok?",
            "seller offers 5% discount if I pay directly instead of through alibaba",
            "supplier asks payment to their company account in hong kong not through alibaba",
            "he says pay with paypal friends and family to save fees",
            "they only accept USDT",
            "is it ok to wire the supplier directly to save fees",
            "seller wants me to send deposit to his account first",
            "I can get a better price if I pay outside the platform?",
            "he wants me to send the money to his wife account in guangzhou",
            "PayPal friends and family is fine right?",
        ],
        [
            "never pay by Western Union!",
            "Never pay by WU. Always use the order.",
            "do not send money outside alibaba, ever",
            "which payment methods are protected",
            "can I pay with credit card",
            "I paid through alibaba by T/T",
            "paypal vs trade assurance",
            "is bank transfer safer than paypal",
            "what is western union",
            "the bank account alibaba gave me is in singapore, why?",
            "how do I file a claim",
        ],
    ),
    "Russian": (
        ["Поставщик просит перевести деньги на карту его жены"],
        ["Никогда не переводите деньги на карты, только через заказ"],
    ),
    "Spanish": (
        ["El vendedor quiere que le pague por Western Union mañana"],
        ["No paguen por Western Union, no hay protección"],
    ),
    "Portuguese": (
        ["O fornecedor quer que eu pague direto na conta dele"],
        ["Paguei pelo pedido no alibaba com cartão, tudo certo"],
    ),
}

WARN = [(family, text) for family, (warn, _) in FAMILIES.items() for text in warn]
QUIET = [(family, text) for family, (_, quiet) in FAMILIES.items() for text in quiet]


@pytest.mark.parametrize(("family", "text"), WARN)
def test_a_request_warns(family: str, text: str) -> None:
    assert detects_off_platform(text), (family, assess_off_platform(text))


@pytest.mark.parametrize(("family", "text"), QUIET)
def test_a_look_alike_stays_quiet(family: str, text: str) -> None:
    assert not detects_off_platform(text), (family, assess_off_platform(text))


def test_the_finding_names_the_clause_that_decided() -> None:
    finding = assess_off_platform("Container left. Supplier wants the balance by Western Union")
    assert finding.off_platform and "western union" in finding.clause
    assert "container" not in finding.clause
    assert assess_off_platform("Never pay by Western Union").reason == "negated"


def test_a_contrast_separates_the_inside_part_from_the_outside_one() -> None:
    assert detects_off_platform("Half went through the order but the rest he wants in cash")
    assert not detects_off_platform("They wanted cash but we paid through the order")


def test_every_cue_file_uses_known_categories_and_bounded_prefixes() -> None:
    cues = load_cues()
    assert set(cues) == set(CATEGORIES)
    for category, phrases in cues.items():
        for phrase in phrases:
            words = parse_phrase(phrase)
            assert words, (category, phrase)
            for word in words:
                assert len(word.rstrip("*")) <= MAX_PREFIX, (category, phrase)


@pytest.mark.parametrize("lang", ["en", "ru", "es", "pt"])
def test_each_language_alone_catches_its_own_requests(lang: str) -> None:
    samples = {
        "en": "The supplier wants me to pay by Western Union",
        "ru": "Поставщик хочет оплату через Western Union",
        "es": "El proveedor quiere que le pague por Western Union",
        "pt": "O fornecedor quer que eu pague por Western Union",
    }
    alone = OffPlatformDetector(load_cues([lang]))
    assert alone.assess(samples[lang]).off_platform


def test_a_language_is_added_as_data() -> None:
    german = {c: [] for c in CATEGORIES}
    german |= {
        "outside": ["western union", "privatkonto"],
        "pay": ["zahl*", "überweis*"],
        "request": ["will", "möchte"],
        "negation": ["nie", "nicht"],
    }
    detector = OffPlatformDetector(german)
    assert detector.assess(
        "Der Lieferant möchte, dass ich auf sein Privatkonto überweise"
    ).off_platform
    assert not detector.assess("Nie auf ein Privatkonto überweisen!").off_platform


def test_phrases_match_prefixes_gaps_and_never_cross_a_sentence() -> None:
    index = PhraseIndex([("outside", "outside ~ alibaba"), ("pay", "transfer*")])
    found = {
        (h.category, h.start) for h in index.find(tokens("I transferred outside of the Alibaba"))
    }
    assert found == {("pay", 1), ("outside", 2)}
    assert index.find(tokens("outside. Alibaba")) == []


def test_portuguese_no_is_not_a_negation_but_pidgin_no_dey_is() -> None:
    assert detects_off_platform("Ele quer que eu pague no Alipay da esposa dele, vou pagar")
    assert not detects_off_platform("Na alibaba I pay, I no dey send money to personal account")


def test_a_quoted_warning_is_still_advice() -> None:
    assert not detects_off_platform("Reminder: never send the deposit to a personal account")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=5000))
def test_never_raises_on_any_text(text: str) -> None:
    assert detects_off_platform(text) in (True, False)


def test_a_request_at_the_end_of_a_full_length_message_of_prose_is_found() -> None:
    story = "We ordered the samples in March and the factory answered every question quickly. "
    text = (story * 60)[: 4096 - 60] + " Supplier says: pay to my personal Western Union."
    assert len(tokens(text)) < MAX_TOKENS  # prose is read whole
    assert detects_off_platform(text)


def test_runs_of_one_letter_tokens_are_read_only_up_to_the_bound() -> None:
    assert len(tokens("% " * 2048)) == MAX_TOKENS
