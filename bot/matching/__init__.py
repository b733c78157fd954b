"""Matching a message to knowledge topics, and spotting off-platform payment talk (no Telegram)."""

from bot.matching.matcher import Match, Matcher, Tuning

__all__ = ["Match", "Matcher", "Tuning"]
