"""Which language a chat message is written in (ISO 639-1), cheaply and without a model.

Chat messages are short, mixed ("trade assurance" inside Russian), and full of pidgin and
Taglish that a general detector calls Yoruba or Tagalog. The product answers in English and
cares about English, Russian, Spanish and Portuguese first, so the rules are: the script decides
non-Latin text; for Latin text, the language whose common function words and spelling marks
appear most wins, and English (the language of the platform and of regional Englishes) is the
default when nothing stands out. Every pattern here is a plain character class or a word lookup:
linear in the message length.
"""

from __future__ import annotations

import re
import unicodedata

from bot.matching.normalize import MAX_CHARS

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("uk", re.compile(r"[ієїґ]")),
    ("ru", re.compile(r"[а-яё]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
)
"""Scripts that name their language well enough for routing (Cyrillic: Russian, unless a letter
only Ukrainian uses appears)."""

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and is are was my i you what how can do does did to of for it this that with have "
        "not no if my me when why will would should they he she we our your from a in on at be "
        "any anyone know get got please "
        # regional Englishes' own small words: Taglish, Hindi-Urdu-English, Nigerian pidgin
        "po ba ng ang yung ko lang naman kasi mag pano paano ano saan wala rin din "
        "hai nahi kya aur bhai ka ki mera meri kitna karu "
        "abeg wetin dey oga wey".split()
    ),
    "es": frozenset(
        "el la los las que de y es en un una por para con mi me no se lo al del pero como qué "
        "cómo cuánto cuántos cuál está son hace pedí pagué llegó tengo puedo ya muy gracias hola "
        "buenos buenas muchas amigo".split()
    ),
    "pt": frozenset(
        "o a os as que de e é em um uma por para com meu minha não se do da dos das mas como "
        "pra tá tô já quanto quantos está são fiz paguei chegou tenho posso muito você vocês no "
        "na nos nas ao pelo pela obrigado obrigada valeu bom dia oi pessoal tudo".split()
    ),
    "fr": frozenset(
        "le la les des et est un une pour avec mon ma mes pas que qui je il elle nous vous "
        "sur dans toujours rien comment après".split()
    ),
    "de": frozenset(
        "der die das und ist ein eine nicht ich mit für auf wie dass bin sind von zu ich mich "
        "dann noch".split()
    ),
    "it": frozenset(
        "il lo la gli le e è un una per con mio mia non che di come mi ho sono del della".split()
    ),
    "id": frozenset(
        "yang dan di ke dari ini itu tidak gak bisa saya aku sama beda gimana cara minta ke "
        "barang barangnya sih aman waktu".split()
    ),
    "tr": frozenset("ve bir bu için ile mi mı mu mü değil ne nasıl ben siparişi".split()),
}
"""Frequent short words per language; English's list keeps regional Englishes English."""

_MARKS: dict[str, re.Pattern[str]] = {
    "es": re.compile(r"[ñ¿¡]"),
    "pt": re.compile(r"[ãõç]|ção\b"),
    "de": re.compile(r"[äöüß]"),
    "tr": re.compile(r"[ğşı]"),
    "fr": re.compile(r"[èêëàùœ]"),
}
"""Letters typical of one language among the Latin ones (each counts as one function word).
Every one is outside ASCII, so an ASCII message has none (`_read` skips them)."""

_WORD = re.compile(r"[^\W\d_]+")
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, vocab in _FUNCTION_WORDS.items() if word in vocab)
    for word in set().union(*_FUNCTION_WORDS.values())
}
"""Each function word's languages: a message's words are looked up once, not once per
language."""
_ASCII_NON_LETTERS = {i: None for i in range(128) if not chr(i).isalpha()}
"""Deletes every ASCII character but the letters: what is left of an ASCII message is its
letters (`str.isalpha` on ASCII)."""


FUNCTION_SHARE = 0.1
"""The least share of a Latin-script message's words that another language's evidence must
reach before it outvotes English. Function words are a third or more of ordinary prose in any of
these languages; one "o", "na" or "le" inside a Taglish or Hindi-English message is not Portuguese
or French. With the regional Englishes' small words in the English list, the base's own examples
(1,072 English, 1,296 ru/es/pt, 162 from outside the subject) are 2,501 of 2,530 right against
2,490 before; 0.15 loses Spanish and Portuguese examples."""


def _read(text: str) -> tuple[int, str | None, dict[str, int]]:
    """(letters, language of a non-Latin script, Latin languages' evidence): the script decides
    a message mostly in another script (its evidence is then empty); otherwise each Latin
    language scores its function words and spelling marks, and a language whose evidence is too
    small a share of the words (`FUNCTION_SHARE`) scores nothing."""
    folded = unicodedata.normalize("NFC", text[:MAX_CHARS]).lower()
    ascii_only = folded.isascii()  # most messages: all Latin, and no spelling mark
    if ascii_only:
        n_letters = len(folded.translate(_ASCII_NON_LETTERS))
    else:
        letters = [c for c in folded if c.isalpha()]
        n_letters = len(letters)
        latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
        if latin < n_letters * 0.7:  # "trade assurance" inside a Russian sentence stays Russian
            script = next((code for code, pattern in _SCRIPTS if pattern.search(folded)), None)
            return n_letters, script, {}
    words = _WORD.findall(folded)
    scores = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in words:
        for lang in _LANGUAGES_OF.get(word, ()):
            scores[lang] += 1
    if not ascii_only:
        for lang, pattern in _MARKS.items():
            scores[lang] += len(pattern.findall(folded))
    floor = FUNCTION_SHARE * len(words)
    return n_letters, None, {k: v if k == "en" or v >= floor else 0 for k, v in scores.items()}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the message's language; "en" when nothing else is evident."""
    letters, script, scores = _read(text)
    if not letters or not scores:
        return script or "en"
    best = max(scores, key=lambda lang: scores[lang])
    if best == "en" or scores[best] <= scores["en"]:
        return "en"
    return best


EVIDENCE_WORDS = 2
"""Function words (or marks) a Latin-script message needs before its language counts as
evident: one shared word ("no", "a") says nothing."""


def evident_language(text: str) -> str | None:
    """The message's language when the text clearly shows it, else None (numbers, "ok", a
    product code, two languages tied): what may switch the language of a reply."""
    letters, script, scores = _read(text)
    if letters < 2:
        return None
    if not scores:
        return script
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] < EVIDENCE_WORDS or (len(ranked) > 1 and ranked[1] >= scores[best]):
        return None
    return best
