"""Synthetic data for the benchmark: a knowledge base grown with plausible fake topics, and
streams of distinct user questions.

Growth keeps every real topic and adds synthetic ones built by recombining real topics' example
questions, titles and keywords, with a few invented words unique to each synthetic topic, so the
index's documents, postings and vocabulary all really grow (an index that only repeated the real
text would flatter the cost).
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.kb.loader import KnowledgeBase
from bot.kb.models import Topic
from bot.matching.classifier import OUTSIDE, Classifier
from bot.matching.encoder import Vectors
from bot.matching.matcher import Matcher, shared_encoder

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


class NonceWords:
    """Pronounceable invented words, never repeated and never a word of `avoid`."""

    def __init__(self, rng: random.Random, avoid: set[str]) -> None:
        self._rng = rng
        self._seen = set(avoid)

    def __call__(self) -> str:
        """A new word of three or four consonant-vowel syllables."""
        while True:
            n = self._rng.choice((3, 4))
            word = "".join(
                self._rng.choice(_CONSONANTS) + self._rng.choice(_VOWELS) for _ in range(n)
            )
            if word not in self._seen:
                self._seen.add(word)
                return word


def vocabulary(kb: KnowledgeBase) -> list[str]:
    """The lower-case words of the example questions, titles and keywords, sorted."""
    texts = (text for t in kb.topics.values() for text in (t.title, *t.questions, *t.keywords))
    return sorted({w.lower() for text in texts for w in _WORD.findall(text)})


def _mutate(text: str, rng: random.Random, own: list[str], vocab: list[str]) -> str:
    """Replace about a third of the longer words: half by the topic's own invented words, half
    by random words of the real vocabulary; sometimes add one more own word."""
    out = []
    for w in text.split():
        if len(w) > 3 and rng.random() < 0.35:
            out.append(rng.choice(own) if rng.random() < 0.5 else rng.choice(vocab))
        else:
            out.append(w)
    if rng.random() < 0.5:
        out.insert(rng.randrange(len(out) + 1), rng.choice(own))
    return " ".join(out)


def synthetic_topic(
    number: int, real: list[Topic], rng: random.Random, nonce: NonceWords, vocab: list[str]
) -> Topic:
    """One fake topic: the questions of two real topics recombined and mutated."""
    first, second = rng.sample(real, 2)
    own = [nonce() for _ in range(3)]
    pool = list(first.questions) + rng.sample(list(second.questions), k=len(second.questions) // 2)
    count = max(3, len(first.questions))
    questions = tuple(
        _mutate(q, rng, own, vocab) for q in rng.sample(pool, k=min(count, len(pool)))
    )
    keywords = [_mutate(k, rng, own, vocab) for k in (*first.keywords[:6], *second.keywords[:3])]
    keywords.append(own[0])
    return first.model_copy(
        update={
            "id": f"synthetic-{number:05d}",
            "title": f"{first.title} ({own[0]} {own[1]})",
            "questions": questions,
            "keywords": tuple(keywords),
            "related": (),
        }
    )


def grow(kb: KnowledgeBase, factor: int, seed: int = 6) -> KnowledgeBase:
    """The knowledge base with `factor` times as many topics: every real one plus synthetic ones
    (deterministic for a seed)."""
    if factor <= 1:
        return kb
    rng = random.Random(seed)
    real = list(kb.topics.values())
    vocab = vocabulary(kb)
    nonce = NonceWords(rng, set(vocab))
    topics = dict(kb.topics)
    for n in range((factor - 1) * len(real)):
        topic = synthetic_topic(n, real, rng, nonce, vocab)
        topics[topic.id] = topic
    return replace(kb, topics=topics)


def _typo(word: str, rng: random.Random) -> str:
    """Swap two neighbouring letters, or drop one."""
    i = rng.randrange(len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def distinct_questions(seeds: list[str], n: int, seed: int = 6) -> list[str]:
    """`n` different messages made from `seeds`: words shuffled or dropped, a typo now and then,
    and an order number or amount, as a crowd of different users would write them."""
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        words = rng.choice(seeds).split()
        if len(words) > 3 and rng.random() < 0.3:
            del words[rng.randrange(len(words))]
        if len(words) > 2 and rng.random() < 0.3:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        if rng.random() < 0.4:
            i = rng.randrange(len(words))
            if len(words[i]) > 4:
                words[i] = _typo(words[i], rng)
        tail = rng.choice(
            (
                f"order {rng.randrange(10**6)}",
                f"${rng.randrange(100, 90000)}",
                f"#{rng.randrange(10**5)}",
            )
        )
        text = f"{' '.join(words)} {tail}"
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


class SyntheticVectors:
    """The real encoder for messages and known texts; a fixed pseudo-random unit vector for
    synthetic knowledge texts (growth runs measure cost, not quality)."""

    def __init__(self) -> None:
        real = shared_encoder()
        if real is None:
            raise RuntimeError("no encoder installed")
        self.real = real
        self.name = real.name

    def embed(self, texts: Sequence[str]) -> Vectors:
        if len(texts) == 1:
            return self.real.embed(texts)
        rows = []
        for text in texts:
            seed = int(hashlib.sha1(text.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed(texts)


def synthetic_classifier(kb: KnowledgeBase, seed: int = 6) -> Classifier:
    """A topic classifier of the grown base's shape with pseudo-random weights: its cost at
    run time is the real one's (training one on 100x the topics would take hours)."""
    classes = (*kb.topics, OUTSIDE)
    rng = np.random.default_rng(seed)
    return Classifier(
        rng.standard_normal((384, len(classes))) * 0.1, np.zeros(len(classes)), classes
    )


def grown_matcher(kb: KnowledgeBase) -> Matcher:
    """The product's matcher for a grown base: real encoder for messages, pseudo-random
    vectors for synthetic knowledge texts and a pseudo-random topic classifier (when an
    encoder is installed)."""
    if shared_encoder() is None:
        return Matcher(kb, encoder=None)
    return Matcher(kb, encoder=SyntheticVectors(), topic_classifier=synthetic_classifier(kb))
