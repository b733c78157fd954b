"""Operator views over the stored usage: periods, the stats report, unanswered questions
grouped for curators (no Telegram; shared by `/stats` and `ta-advisor report`)."""
