"""Claim-eligibility assessment: facts about one order in, a sourced verdict out (no Telegram)."""
