"""Pydantic models of a knowledge topic, as curators write it in `knowledge/topics/*.yaml`."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHORT_MAX = 350
ANSWER_MAX = 3000
LEAD_MAX = 600
"""Characters a lead may show once rendered: one phone screen, the rest behind "More"."""


class SourceRef(BaseModel):
    """One seed document a topic rests on, and the part of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: str = Field(min_length=1)
    section: str = Field(min_length=1)

    @property
    def prefix(self) -> str:
        """The three-digit prefix the spec uses to name a seed (e.g. `003`)."""
        return self.seed[:3]


class Topic(BaseModel):
    """One question area with its curated answer and what the matcher needs to find it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str = Field(min_length=3, max_length=80)
    warning: bool = False
    lead: str | None = None
    """The first screen: what the situation means for the reader, then the one thing to do now
    (Telegram HTML subset). `kb check` holds it to LEAD_MAX rendered characters."""
    short: str = Field(min_length=20, max_length=SHORT_MAX)
    answer: str = Field(min_length=40, max_length=ANSWER_MAX)
    questions: tuple[str, ...] = Field(min_length=3)
    keywords: tuple[str, ...] = Field(default=())
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    related: tuple[str, ...] = Field(default=())

    @field_validator("id")
    @classmethod
    def _kebab_case(cls, value: str) -> str:
        if not TOPIC_ID.match(value):
            raise ValueError("must be kebab-case (a-z, 0-9 and single hyphens)")
        return value

    @field_validator("questions", "keywords")
    @classmethod
    def _no_blank_entries(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(v.strip() for v in values)
        if any(not v for v in cleaned):
            raise ValueError("must not contain empty entries")
        return cleaned

    @property
    def seed_files(self) -> tuple[str, ...]:
        """Seed file names cited, in order, without repeats."""
        return tuple(dict.fromkeys(s.seed for s in self.sources))
