"""The signals measured on one message, and the features the fitted models read from them.

Used both at run time (`matcher.py`) and by the offline fit (`bench/tune_matcher.py`), so the
model is always fed exactly what it was fitted on. Two stages share the same layout: the
lexical stage leaves the encoder's features at zero, and has its own coefficients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

TOPIC_FEATURES = (
    "word",
    "char_best",
    "char_topic",
    "char_best_foreign",
    "enc",
    "enc_short",
    "enc_foreign",
    "enc_short_foreign",
    "word_is_best",
    "char_best_is_best",
    "char_topic_is_best",
    "enc_is_best",
    "enc_clf",
    "enc_clf_is_best",
)
"""Per topic: each signal (for messages not in English, the best character cosine again, which
then includes the examples and translated topics in other languages, and the encoder's again,
where the word signals are blind), the topic classifier's log-probability (`classifier.py`), and
whether the topic is that signal's first choice (the ranker is a softmax, so only differences
between topics matter: a signal's level is the decision's job)."""

DECISION_FEATURES = (
    "bias",
    "score_top",
    "score_margin",
    "word_top",
    "word_max",
    "char_best_top",
    "char_topic_top",
    "enc_top",
    "enc_margin",
    "enc_short_top",
    "word_coverage",
    "char_coverage",
    "log_words",
    "english",
    "other_platform",
    "agree_word",
    "agree_enc",
    "outside_char",
    "outside_char_gap",
    "outside_enc",
    "outside_enc_gap",
    "clf_top",
    "clf_outside",
    "clf_margin",
    "agree_clf",
    "agree_char",
)
"""For the ranked message: how sure the ranking is (the ranker's raw scores, which unlike
probabilities do not depend on how many topics there are), how strong each signal is for the chosen
topic, how much of the message the base's vocabulary covers, whether the signals (words,
characters, encoder, classifier) put the same topic first and how far the classifier prefers
it, and how close the message is to the messages the base must not answer
(`examples.load_outside`), alone and against its closeness to the chosen topic: "how do I
change my alibaba email" shares words with the topics, but more with "how to reset my alibaba
password"."""


@dataclass(frozen=True)
class Signals:
    """Raw measurements of one message against every topic (knowledge-base order)."""

    word: Floats
    char_best: Floats
    char_topic: Floats
    enc: Floats | None
    """Encoder: mean cosine of the topic's two closest example questions (or title)."""
    enc_short: Floats | None
    """Encoder: cosine to the topic's short answer (as a passage)."""
    word_coverage: float
    char_coverage: float
    n_words: int
    lang: str
    other_platform: bool
    outside_char: Floats = field(default_factory=lambda: np.zeros(0))
    """Character cosine to each message from outside the base's subject."""
    outside_enc: Floats | None = None
    """Encoder cosine to each message from outside the base's subject."""
    enc_clf: Floats | None = None
    """The topic classifier's log-probability of each topic (`classifier.py`)."""
    clf_outside: float = 0.0
    """The topic classifier's probability that the message is from outside the subject."""
    off_platform: bool = False
    """The off-platform detector (`offplatform/`) reads a request to pay outside the order.
    Not a feature: as one, the fit learnt nothing the rule in `Matcher.match` does not give
    (the base's examples label many such requests with their other topic)."""


_COLUMN = {name: i for i, name in enumerate(TOPIC_FEATURES)}


def _is_best(values: Floats) -> Floats:
    top = values.max() if len(values) else 0.0
    if top <= 0:
        return np.zeros_like(values)
    best: Floats = (values == top).astype(np.float64)
    return best


def topic_features(s: Signals) -> Floats:
    """n_topics x len(TOPIC_FEATURES); encoder columns are zero without the encoder (filled
    column by column into one array: the lexical stage's encoder columns stay zero)."""
    out: Floats = np.zeros((len(s.word), len(TOPIC_FEATURES)))
    foreign = float(s.lang != "en")
    out[:, _COLUMN["word"]] = s.word
    out[:, _COLUMN["char_best"]] = s.char_best
    out[:, _COLUMN["char_topic"]] = s.char_topic
    out[:, _COLUMN["char_best_foreign"]] = s.char_best * foreign
    out[:, _COLUMN["word_is_best"]] = _is_best(s.word)
    out[:, _COLUMN["char_best_is_best"]] = _is_best(s.char_best)
    out[:, _COLUMN["char_topic_is_best"]] = _is_best(s.char_topic)
    if s.enc is None:
        return out
    enc = s.enc
    enc_short = s.enc_short if s.enc_short is not None else np.zeros_like(s.word)
    out[:, _COLUMN["enc"]] = enc
    out[:, _COLUMN["enc_short"]] = enc_short
    out[:, _COLUMN["enc_foreign"]] = enc * foreign
    out[:, _COLUMN["enc_short_foreign"]] = enc_short * foreign
    out[:, _COLUMN["enc_is_best"]] = _is_best(enc)
    # log-probabilities are never positive, so `_is_best` (which needs a positive best) does
    # not apply to them
    if (clf := s.enc_clf) is not None:
        out[:, _COLUMN["enc_clf"]] = clf
        out[:, _COLUMN["enc_clf_is_best"]] = (clf == clf.max()).astype(np.float64)
    return out


def softmax(scores: Floats) -> Floats:
    """Probabilities from the ranker's linear scores."""
    z: Floats = np.exp(scores - scores.max())
    out: Floats = z / z.sum()
    return out


def decision_features(s: Signals, scores: Floats) -> Floats:
    """One row for the answer-or-decline model, about the ranker's best topic."""
    top = int(np.argmax(scores))  # the first best, as a stable sort puts it
    second = float(np.partition(scores, len(scores) - 2)[-2]) if len(scores) > 1 else 0.0
    enc_top = enc_margin = agree_enc = outside_enc = outside_enc_gap = clf_top = clf_outside = 0.0
    clf_margin = agree_clf = 0.0
    if s.enc is not None:
        enc_sorted = np.sort(s.enc)[::-1]
        enc_top = float(s.enc[top])
        enc_margin = float(enc_sorted[0] - enc_sorted[1]) if len(enc_sorted) > 1 else 0.0
        agree_enc = float(int(np.argmax(s.enc)) == top)
        outside_enc = _mean_top2(s.outside_enc)
        outside_enc_gap = enc_top - outside_enc
        if s.enc_clf is not None:
            clf_top, clf_outside = math.exp(float(s.enc_clf[top])), s.clf_outside
            probs = np.sort(np.exp(s.enc_clf))[::-1]
            clf_margin = float(probs[0] - probs[1]) if len(probs) > 1 else float(probs[0])
            agree_clf = float(int(np.argmax(s.enc_clf)) == top)
    enc_short_top = float(s.enc_short[top]) if s.enc_short is not None else 0.0
    outside_char = float(s.outside_char.max()) if len(s.outside_char) else 0.0
    word_max = float(s.word.max())
    return np.array(
        [
            1.0,
            float(scores[top]),
            float(scores[top]) - second,
            float(s.word[top]),
            word_max,
            float(s.char_best[top]),
            float(s.char_topic[top]),
            enc_top,
            enc_margin,
            enc_short_top,
            s.word_coverage,
            s.char_coverage,
            math.log1p(s.n_words),
            float(s.lang == "en"),
            float(s.other_platform),
            float(int(np.argmax(s.word)) == top and word_max > 0),
            agree_enc,
            outside_char,
            float(s.char_best[top]) - outside_char,
            outside_enc,
            outside_enc_gap,
            clf_top,
            clf_outside,
            clf_margin,
            agree_clf,
            float(int(np.argmax(s.char_best)) == top and s.char_best.max() > 0),
        ]
    )


def _mean_top2(values: Floats | None) -> float:
    """Mean of the two highest values (as the encoder's topic signal reads its examples)."""
    if values is None or not len(values):
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return float(np.partition(values, len(values) - 2)[-2:].mean())
