"""The curated knowledge base: topic models, loading and validation (no Telegram)."""

from bot.kb.loader import KnowledgeBase, KnowledgeError, load_knowledge
from bot.kb.models import SourceRef, Topic

__all__ = ["KnowledgeBase", "KnowledgeError", "SourceRef", "Topic", "load_knowledge"]
