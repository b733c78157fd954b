"""What a reader sees of an answer: the first screen, sources by publisher, the glossary."""

from __future__ import annotations

import json
import re

import pytest

from bot.answering import Advisor
from bot.commands.ask import reply_json
from bot.kb.citations import UNKNOWN, cite, cite_all
from bot.kb.glossary import find_term, terms_in
from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.markup import to_plain, visible_length
from bot.kb.models import LEAD_MAX
from bot.kb.render import render_html, render_lead_html, render_plain

FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}")
NEW_TOPICS = (
    "after-a-problem",
    "non-delivery",
    "wrong-goods",
    "is-trade-assurance-reliable",
    "appeal",
    "samples",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_the_six_situation_topics_exist_with_many_ways_to_ask(kb: KnowledgeBase) -> None:
    for topic_id in NEW_TOPICS:
        topic = kb.get(topic_id)
        assert topic is not None, topic_id
        assert len(topic.questions) >= 12
        assert len({q.lower() for q in topic.questions}) == len(topic.questions)


def test_every_first_screen_fits_and_starts_with_the_answer(kb: KnowledgeBase) -> None:
    for topic in kb.topics.values():
        assert topic.lead is not None
        assert visible_length(render_lead_html(topic, kb.seeds)) <= LEAD_MAX, topic.id
        assert topic.lead.startswith("<b>"), topic.id  # the answer itself, in bold, first
        assert "Do now:" in topic.lead or "Before you pay:" in topic.lead, topic.id


def test_sources_are_named_by_publisher_and_title_never_by_file(kb: KnowledgeBase) -> None:
    for topic in kb.topics.values():
        for text in (render_html(topic, kb.seeds), render_lead_html(topic, kb.seeds)):
            assert not FILE_NAME.search(to_plain(text)), topic.id
        full = render_plain(topic, kb.seeds)
        for seed in topic.seed_files:
            assert kb.seeds[seed].title in full


def test_cite_forms() -> None:
    seeds = load_knowledge().seeds
    file = "003_e49dd6f428c4738a.txt"
    full = cite(file, seeds)
    assert full.startswith("China Sourcing Agent") and "How Does It Protect Buyers?" in full
    assert full.endswith(
        "https://www.chinaispp.com/what-is-alibaba-trade-assurance-and-how-does-it-protect-buyers/"
    )
    assert "http" not in cite(file, seeds, full=False)
    assert cite(file, seeds, title=False) == "China Sourcing Agent (chinaispp.com)"
    assert cite("999_unknown.txt", seeds) == UNKNOWN
    assert cite_all([file, file], seeds).count("China Sourcing Agent") == 1


def test_ask_json_keeps_answer_and_file_names_and_adds_the_lead(kb: KnowledgeBase) -> None:
    advisor = Advisor(kb)
    data = reply_json(advisor.reply("paid 2 months ago and the supplier never shipped anything"))
    json.dumps(data)
    assert data["topic"] is not None
    topic = kb.get(data["topic"])
    assert topic is not None and topic.lead is not None
    assert data["answer"] == to_plain(topic.answer).strip()
    assert data["lead"] == to_plain(topic.lead).strip() and "<" not in data["lead"]
    assert data["sources"] == list(topic.seed_files)
    assert all(FILE_NAME.match(s) for s in data["sources"])
    empty = reply_json(advisor.reply("best pasta recipe with tomatoes"))
    if empty["topic"] is None:
        assert empty["lead"] is None


def test_glossary_finds_terms_as_words_not_inside_words(kb: KnowledgeBase) -> None:
    glossary = kb.glossary
    names = {
        t.term for t in terms_in(["The refund can reach you in 7 days, since ce soir."], glossary)
    }
    assert "REACH" not in names and "CE" not in names
    names = {
        t.term for t in terms_in(["Needs CE marking and REACH; priced FOB, OEM/ODM."], glossary)
    }
    assert {"CE", "REACH", "FOB", "OEM", "ODM"} <= names
    assert find_term("Bill of Lading", glossary) is not None
    assert find_term("awb", glossary) is not None
    assert find_term("nonsense", glossary) is None


AUDIT_JARGON = (
    "FOB", "CIF", "EXW", "Incoterms", "OEM", "ODM", "QC", "e-checking", "escrow", "REACH",
    "CPSIA", "Prop 65", "CE", "FCC", "FDA", "bill of lading", "air waybill", "chargeback",
)  # fmt: skip


@pytest.mark.parametrize("word", AUDIT_JARGON)
def test_every_audit_jargon_word_is_in_the_glossary(kb: KnowledgeBase, word: str) -> None:
    assert find_term(word, kb.glossary) is not None


def test_verdict_reasons_cite_publishers_not_files() -> None:
    from bot.claims.rules import RULES

    for rule in RULES:
        if rule.sources:
            shown = cite_all(rule.sources, full=False)
            assert not FILE_NAME.search(shown) and UNKNOWN not in shown, rule.code
