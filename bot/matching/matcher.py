"""Ranking topics for a message and deciding: answer, "did you mean", or no answer.

Three signals fail on different messages, so the matcher measures all of them:

* words (`words.py`): TF-IDF over canonical stemmed words; precise on clear English;
* character n-grams (`chargrams.py`): survives misspellings, pidgin and run-together words;
* a multilingual sentence encoder (`encoder.py`): Russian, Spanish, Portuguese and paraphrases
  with no word in common; it costs milliseconds per token, so it runs only when needed.

A small linear ranker turns the per-topic signals into probabilities, and a logistic decision
reads how sure the ranking is, how much of the message the base's vocabulary covers, its
language and whether it names another marketplace, then answers or declines. Both are fitted
offline (`bench/tune_matcher.py`, leave-one-out over the base's own examples plus the dev sets)
and shipped as coefficients in `model.json`. The lexical stage decides alone when it is sure of
an English answer; otherwise the encoder joins. `docs/matching.md` has the measurements.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from bot.kb.loader import KnowledgeBase
from bot.matching import classifier, indexes
from bot.matching.chargrams import CharIndex
from bot.matching.embeddings import (
    classifier_classes,
    classifier_documents,
    encoder_documents,
    load_table,
    passage_documents,
    vectors_for,
)
from bot.matching.encoder import Encoder, Vectors, encoder_text, load_default_encoder
from bot.matching.examples import (
    EXAMPLE_LANGUAGES,
    NO_EXAMPLES,
    Examples,
    Outside,
    load_examples,
    load_outside,
    translated_shorts,
)
from bot.matching.features import (
    DECISION_FEATURES,
    TOPIC_FEATURES,
    Floats,
    Signals,
    decision_features,
    softmax,
    topic_features,
)
from bot.matching.glossary import to_english
from bot.matching.language import detect_language
from bot.matching.lexicon import OTHER_PLATFORMS
from bot.matching.normalize import LEXICAL_CHARS, focus, is_flood, is_small_talk, prepare, words
from bot.matching.offplatform import OFF_PLATFORM_TOPIC, detects_off_platform
from bot.matching.words import Tuning, WordIndex

__all__ = ["Match", "Matcher", "Model", "Stage", "Tuning"]

log = logging.getLogger(__name__)

Decision = Literal["answer", "suggest", "none"]
Reason = Literal["small-talk", "other-platform", "unsure", "close"]
"""Why a message gets no answer; "close": not sure enough to answer, but its first topics are
worth offering ("did you mean"), as `Model.suggest_floor` decides."""

MODEL_FILE = Path(__file__).with_name("model.json")
DEFAULT: Any = object()
"""`Matcher(kb, encoder=DEFAULT)`: the shipped encoder (None: no encoder)."""


@dataclass(frozen=True)
class Match:
    """The matcher's verdict on one message."""

    kind: Decision
    topic_id: str | None
    score: float
    candidates: tuple[tuple[str, float], ...] = field(default=())
    lang: str = "en"
    reason: Reason | None = None
    """Why there is no answer (None when there is one)."""
    off_platform: bool = False
    """The off-platform detector read a request to pay outside the order (whatever the
    answer is)."""

    @property
    def alternatives(self) -> tuple[tuple[str, float], ...]:
        """Ranked candidates other than the chosen topic."""
        return tuple(c for c in self.candidates if c[0] != self.topic_id)


@dataclass(frozen=True)
class Stage:
    """Fitted coefficients of one stage: the topic ranker and the answer-or-decline model."""

    ranker: Floats
    decision: Floats
    threshold: float

    def scores(self, s: Signals) -> Floats:
        """The ranker's linear score per topic."""
        out: Floats = topic_features(s) @ self.ranker
        return out

    def confidence(self, s: Signals, scores: Floats) -> float:
        """Probability that answering with the best topic is right."""
        z = float(decision_features(s, scores) @ self.decision)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class Model:
    """Both stages, the gate between them and the "did you mean" rule."""

    lexical: Stage
    full: Stage
    gate: float
    """The lexical stage answers alone at or above this confidence (English only)."""
    suggest_ratio: float
    """Topics whose probability is at least this share of the best one are offered too."""
    max_suggestions: int = 3
    suggest_floor: float = 1.0
    """A declined message at or above this confidence gets its first topics offered, never
    answered: fitted so that most such offers hold a right topic (1.0: never)."""
    foreign: Stage | None = None
    """The full stage for messages not in English, when fitted apart (their signals include
    the translated base; English messages keep `full`)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        """Read the fitted file; refuse coefficients fitted for other features."""
        if tuple(data["topic_features"]) != TOPIC_FEATURES or tuple(data["decision_features"]) != (
            DECISION_FEATURES
        ):
            raise ValueError("model.json was fitted for other features: refit it")

        def stage(d: dict[str, Any]) -> Stage:
            return Stage(
                np.array(d["ranker"], dtype=np.float64),
                np.array(d["decision"], dtype=np.float64),
                float(d["threshold"]),
            )

        return cls(
            stage(data["lexical"]),
            stage(data["full"]),
            float(data["gate"]),
            float(data["suggest_ratio"]),
            suggest_floor=float(data.get("suggest_floor", 1.0)),
            foreign=stage(data["foreign"]) if data.get("foreign") else None,
        )

    def full_for(self, lang: str, translated: frozenset[str] = frozenset()) -> Stage:
        """The full stage that decides a message in `lang`: the one fitted with the translated
        base for a language the base is translated into, else the one fitted before it (a
        message in Indonesian or French has none of the translated signals to weigh)."""
        if self.foreign is not None and lang != "en" and (not translated or lang in translated):
            return self.foreign
        return self.full


@cache
def shipped_model() -> Model:
    """The coefficients fitted by `bench/tune_matcher.py`."""
    return Model.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


@cache
def shared_encoder() -> Encoder | None:
    """One encoder per process: every matcher (and every test) shares the loaded model."""
    return load_default_encoder()


class Matcher:
    """An index over one knowledge base; build once, query many times (no I/O after build)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        tuning: Tuning | None = None,
        *,
        encoder: Encoder | None = DEFAULT,
        model: Model | None = None,
        examples: Examples | None = None,
        outside: Outside | None = None,
        topic_classifier: classifier.Classifier | None = DEFAULT,
    ) -> None:
        self.tuning = tuning or Tuning()
        self.topic_ids: list[str] = list(kb.topics)
        self.translated_langs = frozenset(kb.translations.topics)
        index = {tid: i for i, tid in enumerate(self.topic_ids)}
        self._off_platform_topic = index.get(OFF_PLATFORM_TOPIC)
        """Where the off-platform detector's topic is (None in a base without it)."""
        examples = load_examples(kb) if examples is None else examples
        outside = load_outside(kb) if outside is None else outside
        lexical = indexes.load(kb, self.tuning, examples, outside)
        self.words: WordIndex = lexical.words
        self.chars: CharIndex = lexical.chars
        self.example_chars: CharIndex = lexical.example_chars
        """A message not in English is also compared with the examples and translated topics in
        other languages (all of them: Spanish and Portuguese share most n-grams and are told
        apart least reliably); an English message only with English text, so the examples'
        brand names ("western union", "paypal") do not pull English messages towards them."""
        self.outside_chars: CharIndex = lexical.outside_chars
        """One "topic" per message from outside the base's subject: the cosine to each."""
        self.encoder = shared_encoder() if encoder is DEFAULT else encoder
        self._outside_vectors = np.zeros((0, 1), dtype=np.float32)
        self.classifier: classifier.Classifier | None = None
        self._clf_topics = np.zeros(0, dtype=np.intp)
        self._clf_outside: int | None = None
        self._enc_slots: dict[str, npt.NDArray[np.intp]] = {}
        self._enc_vectors = np.zeros((0, 1), dtype=np.float32)
        self._enc_shorts = np.zeros((0, 1), dtype=np.float32)
        self._enc_shorts_lang: dict[str, npt.NDArray[np.float32]] = {}
        """Per translated language, per topic its translated short answer (a zero row without
        one)."""
        if self.encoder is not None:
            shipped = load_table()
            docs = encoder_documents(kb, examples)
            self._enc_vectors = vectors_for([t for _, t in docs], self.encoder, shipped)
            self._enc_shorts = vectors_for(
                [t for _, t in passage_documents(kb)], self.encoder, shipped, passages=True
            )
            if outside:
                self._outside_vectors = vectors_for([q for _, q in outside], self.encoder, shipped)
            self._use_classifier(
                self._classifier(kb, examples, outside)
                if topic_classifier is DEFAULT
                else topic_classifier
            )
            for lang in EXAMPLE_LANGUAGES:
                if (table := self._passages_in(translated_shorts(kb, lang), shipped)) is not None:
                    self._enc_shorts_lang[lang] = table
            english = set(encoder_documents(kb, NO_EXAMPLES, translations=False))
            for lang in ("en", "other"):
                rows: list[list[int]] = [[] for _ in self.topic_ids]
                for di, doc in enumerate(docs):
                    if lang == "other" or doc in english:
                        rows[index[doc[0]]].append(di)
                width = max(2, *(len(r) for r in rows))
                # per topic, its texts' rows, padded with a sentinel row of similarity -1
                slots = np.full((len(rows), width), len(docs), dtype=np.intp)
                for ti, r in enumerate(rows):
                    slots[ti, : len(r)] = r
                self._enc_slots[lang] = slots
        self._model = model

    def _classifier(
        self, kb: KnowledgeBase, examples: Examples, outside: Outside
    ) -> classifier.Classifier:
        """The shipped topic classifier when it was trained on exactly these texts, else one
        trained now on the vectors at hand (seconds; logged)."""
        assert self.encoder is not None
        labels, texts = classifier_documents(kb, examples, outside)
        key = classifier.training_key(labels, texts, self.encoder.name)
        clf = classifier.Classifier.load()
        if clf is None or clf.key != key:
            log.warning("the shipped topic classifier is stale; training one now")
            classes = classifier_classes(kb, labels)
            clf = classifier.train(self.classifier_rows(), labels, classes, key)
        return clf

    def _use_classifier(self, clf: classifier.Classifier | None) -> None:
        """Map the classifier's columns onto the topics (a matcher may have none)."""
        self.classifier = clf
        if clf is None:
            return
        self._clf_topics = np.array([clf.classes.index(t) for t in self.topic_ids], dtype=np.intp)
        self._clf_outside = (
            clf.classes.index(classifier.OUTSIDE) if classifier.OUTSIDE in clf.classes else None
        )

    def classifier_rows(self) -> Vectors:
        """The vectors the topic classifier learns from, in `classifier_documents` order."""
        if not len(self._outside_vectors):
            return self._enc_vectors
        return np.concatenate([self._enc_vectors, self._outside_vectors])

    def classify(
        self, vector: Floats, clf: classifier.Classifier | None = None
    ) -> tuple[Floats, float]:
        """The classifier's (or `clf`'s, trained with the same classes) log-probability per
        topic, and its probability that the message is from outside the subject (0 without
        such a class)."""
        clf = clf or self.classifier
        assert clf is not None
        logp = clf.log_probs(vector)
        outside = math.exp(logp[self._clf_outside]) if self._clf_outside is not None else 0.0
        return logp[self._clf_topics], outside

    def _passages_in(
        self, texts: list[str], shipped: dict[str, Vectors]
    ) -> npt.NDArray[np.float32] | None:
        """Per topic, the vector of its text as a passage (a zero row without one); None when
        no topic has one."""
        if self.encoder is None or not any(texts):
            return None
        vectors = vectors_for([t for t in texts if t], self.encoder, shipped, passages=True)
        table = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        table[[i for i, t in enumerate(texts) if t]] = vectors
        return table

    @property
    def model(self) -> Model:
        """The fitted coefficients (the shipped ones unless given)."""
        return self._model or shipped_model()

    def signals(self, text: str, *, encode: bool) -> Signals:
        """Every raw measurement of the message; the encoder's only when `encode`."""
        text = focus(text, LEXICAL_CHARS)
        lang = detect_language(text)
        encoded: dict[str, Any] = {"enc": None, "enc_short": None}
        if encode and self.encoder is not None:
            encoded = self.encoded(self.encoder.embed([encoder_text(text)])[0], lang)
        # the word and character signals read English: other languages through the glossary
        lexical = to_english(text, lang)
        char_best, char_topic, char_coverage = self.chars.read(lexical)
        if lang != "en" and len(self.example_chars.doc_topic):
            own_best, _, own_coverage = self.example_chars.read(lexical)
            char_best = np.maximum(char_best, own_best)
            char_coverage = max(char_coverage, own_coverage)
        word, word_coverage = self.words.read(lexical)
        return Signals(
            word=word,
            char_best=char_best,
            char_topic=char_topic,
            word_coverage=word_coverage,
            char_coverage=char_coverage,
            n_words=len(words(lexical)),
            lang=lang,
            other_platform=bool(OTHER_PLATFORMS.search(prepare(text))),
            outside_char=self.outside_chars.best(lexical),
            off_platform=detects_off_platform(text),
            **encoded,
        )

    def encoded(self, vector: Floats, lang: str) -> dict[str, Any]:
        """The encoder's signals for one message vector, as `Signals` fields."""
        enc, enc_short = self.encoder_scores(vector, lang=lang)
        enc_clf, clf_outside = self.classify(vector) if self.classifier else (None, 0.0)
        return {
            "enc": enc,
            "enc_short": enc_short,
            "outside_enc": self.outside_scores(vector),
            "enc_clf": enc_clf,
            "clf_outside": clf_outside,
        }

    def outside_scores(self, query: Floats) -> Floats:
        """Encoder cosine to each message from outside the base's subject."""
        if not len(self._outside_vectors):
            return np.zeros(0)
        out: Floats = (self._outside_vectors @ query).astype(np.float64)
        return out

    def encoder_scores(
        self, query: Floats, exclude: Sequence[int] = (), *, lang: str = "en"
    ) -> tuple[Floats, Floats]:
        """Per topic: mean cosine of its two closest texts (English ones; for a message in
        another language, the examples in other languages too), and cosine to its short
        answer (for a message in a translated language, the better of the English short answer
        and its translation). For a message not in English, the texts include the examples in
        other languages and the translated titles. `exclude` leaves texts out (the fit's
        leave-one-out)."""
        sims = np.append(self._enc_vectors @ query, -1.0).astype(np.float64)
        sims[list(exclude)] = -1.0
        grid = sims[self._enc_slots["en" if lang == "en" else "other"]]
        top2 = np.partition(grid, grid.shape[1] - 2, axis=1)[:, -2:]
        short = (self._enc_shorts @ query).astype(np.float64)
        if (own := self._enc_shorts_lang.get(lang)) is not None:
            short = np.maximum(short, (own @ query).astype(np.float64))
        return top2.mean(axis=1), short

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every topic with its probability, best first (both stages, as `match` decides)."""
        _, probs, _, _ = self._evaluate(text)
        order = np.argsort(-probs, kind="stable")
        return [(self.topic_ids[i], round(float(probs[i]), 4)) for i in order]

    def _evaluate(self, text: str, *, encode: bool = True) -> tuple[Signals, Floats, float, Stage]:
        model = self.model
        sig = self.signals(text, encode=False)
        scores = model.lexical.scores(sig)
        confidence = model.lexical.confidence(sig, scores)
        if not encode or self.encoder is None or (sig.lang == "en" and confidence >= model.gate):
            return sig, softmax(scores), confidence, model.lexical
        vector = self.encoder.embed([encoder_text(text)])[0]
        sig = dataclasses.replace(sig, **self.encoded(vector, sig.lang))
        full = model.full_for(sig.lang, self.translated_langs)
        scores = full.scores(sig)
        return sig, softmax(scores), full.confidence(sig, scores), full

    def _detected(
        self,
        sig: Signals,
        probs: Floats,
        ranked: tuple[tuple[str, float], ...],
        score: float,
        close: bool,
    ) -> Match:
        """The off-platform topic for a message the ranker is unsure of but the detector reads
        as a request to pay outside the order (the two are independent, and the detector is
        precise on its own held-out set); a close guess keeps its topics offered beside it."""
        assert self._off_platform_topic is not None  # `match` asks only when the base has it
        own = (OFF_PLATFORM_TOPIC, round(float(probs[self._off_platform_topic]), 4))
        others = tuple(c for c in ranked if c[0] != OFF_PLATFORM_TOPIC) if close else ()
        kind: Decision = "suggest" if others else "answer"
        return Match(kind, OFF_PLATFORM_TOPIC, score, (own, *others), sig.lang, None, True)

    def match(self, text: str) -> Match:
        """Rank, then decide between a confident answer, suggestions and no answer."""
        flood = is_flood(text, focused := focus(text, LEXICAL_CHARS))
        text = focused
        if is_small_talk(text):
            lang, off_platform = detect_language(text), detects_off_platform(text)
            return Match(
                "none", None, 0.0, lang=lang, reason="small-talk", off_platform=off_platform
            )
        if not self.topic_ids:
            return Match("none", None, 0.0, lang=detect_language(text), reason="unsure")
        sig, probs, confidence, stage = self._evaluate(text, encode=not flood)
        model = self.model
        order = [int(i) for i in np.argsort(-probs, kind="stable")[: model.max_suggestions]]
        ranked = tuple((self.topic_ids[i], round(float(probs[i]), 4)) for i in order)
        score = round(confidence, 4)
        detected = sig.off_platform and self._off_platform_topic is not None
        if confidence < stage.threshold and detected and not sig.other_platform:
            return self._detected(sig, probs, ranked, score, confidence >= model.suggest_floor)
        if confidence < stage.threshold:
            reason: Reason = "unsure"
            if sig.other_platform:
                reason = "other-platform"
            elif confidence >= model.suggest_floor:
                reason = "close"
            return Match("none", None, score, ranked, sig.lang, reason, sig.off_platform)
        top = float(probs[order[0]])
        close = tuple(c for c in ranked if c[1] >= model.suggest_ratio * top)
        kind: Decision = "suggest" if len(close) >= 2 else "answer"
        candidates = close if kind == "suggest" else ranked
        return Match(kind, ranked[0][0], score, candidates, sig.lang, None, sig.off_platform)
