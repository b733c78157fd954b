"""Leave-one-out over the knowledge base's example questions (shared by the tuner and the
benchmarks): each example is asked against an index built without it."""

from __future__ import annotations

from dataclasses import replace

from bot.kb.loader import KnowledgeBase


def without_question(kb: KnowledgeBase, topic_id: str, index: int) -> KnowledgeBase:
    """The knowledge base with one example question removed."""
    topic = kb.topics[topic_id]
    questions = topic.questions[:index] + topic.questions[index + 1 :]
    topics = dict(kb.topics)
    topics[topic_id] = topic.model_copy(update={"questions": questions})
    return replace(kb, topics=topics)
