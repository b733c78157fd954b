"""The knowledge base in Russian, Spanish and Portuguese: every offered language has every topic,
with exactly the English figures, and answers render from the reader's translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.commands.kb import run_check
from bot.i18n import DEFAULT_LANG, SUPPORTED_LANGS
from bot.kb.loader import KnowledgeBase, load_knowledge
from bot.kb.render import render_lead_plain, render_plain
from bot.kb.translations import figure_problems, figures
from tests.kb.test_check import make_kb, topic_yaml

OFFERED = [lang for lang in SUPPORTED_LANGS if lang != DEFAULT_LANG]


def test_figures_agree_across_number_formats() -> None:
    english = figures("Up to US$12,000, 2.5% or 30 days (2026)")
    assert figures("До 12 000 $, 2,5 % или 30 дней (2026)") == english
    assert figures("Hasta US$12.000, 2,5 % o 30 días (2026)") == english
    assert figures("<b>2026</b> &amp; 1 000 000") == figures("2026 and 1,000,000")


def test_a_changed_dropped_or_added_figure_is_reported() -> None:
    english = "Open it within 30 days; 15 days after customs, says another source."
    assert figure_problems(english, "Ábrela en 30 días; 15 días tras la aduana.") == []
    changed = figure_problems(english, "Ábrela en 30 días; 14 días tras la aduana.")
    assert changed == [
        "missing figure(s) 15 that the English text states",
        "figure(s) 14 that the English text does not state",
    ]
    assert figure_problems(english, "Ábrela en 30 días.") == [
        "missing figure(s) 15 that the English text states"
    ]


def _translation(tid: str, **overrides: str) -> str:
    fields = {
        "id": tid,
        "title": f"Título de {tid}",
        "lead": "'<b>La respuesta primero.</b> Luego <b>Qué hacer ahora:</b> una cosa.'",
        "short": "Una respuesta corta y sencilla, lo bastante larga para validar.",
        "answer": "<b>Inicio en negrita.</b> Luego una frase que explica el tema.",
    }
    fields.update(overrides)
    return "\n".join(f"{k}: {v}" for k, v in fields.items()) + "\n"


def _base(tmp: Path, translations: dict[str, dict[str, str]]) -> Path:
    folder = make_kb(
        tmp,
        {
            "alpha": topic_yaml(
                "alpha", answer="'<b>Within 30 days.</b> Open the dispute on the order page.'"
            )
        },
    )
    for lang, files in translations.items():
        (folder / "translations" / lang).mkdir(parents=True)
        for name, text in files.items():
            (folder / "translations" / lang / f"{name}.yaml").write_text(text)
    return folder


def test_kb_check_names_each_translation_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_answer = "'<b>Dentro de 31 días.</b> Abre la disputa en la página del pedido.'"
    unclosed = "'<b>Em 30 dias. Abra a disputa na página do pedido.'"
    folder = _base(
        tmp_path,
        {
            "es": {"alpha": _translation("alpha", answer=bad_answer)},
            "pt": {"alpha": _translation("alpha", answer=unclosed)},
        },
    )
    assert run_check(str(folder)) == 1
    out = capsys.readouterr().out
    assert "translations/es/alpha.yaml: answer: missing figure(s) 30" in out
    assert "translations/es/alpha.yaml: answer: figure(s) 31 that the English" in out
    assert "translations/pt/alpha.yaml: answer: invalid markup" in out
    assert "translations/ru/alpha.yaml: missing" in out  # an offered language, absent


def test_a_base_without_translations_is_english_only(tmp_path: Path) -> None:
    folder = _base(tmp_path, {})
    kb = load_knowledge(folder)
    assert kb.localized("ru") is kb


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.mark.parametrize("lang", OFFERED)
def test_the_shipped_base_has_every_topic_and_term_in_each_offered_language(
    kb: KnowledgeBase, lang: str
) -> None:
    assert set(kb.translations.topics[lang]) == set(kb.topics)
    assert set(kb.translations.glossary[lang]) == set(kb.glossary)


@pytest.mark.parametrize(
    ("lang", "title", "label"),
    [
        ("ru", "Сроки для открытия спора", "Источники:"),
        ("es", "Plazos para abrir una disputa", "Fuentes:"),
        ("pt", "Prazos para abrir uma disputa", "Fontes:"),
    ],
)
def test_a_topic_renders_in_the_reader_s_language_with_the_same_sources(
    kb: KnowledgeBase, lang: str, title: str, label: str
) -> None:
    local = kb.localized(lang)
    topic, english = local.get("claim-window"), kb.get("claim-window")
    assert topic is not None and english is not None
    assert topic.title == title and topic.sources == english.sources
    assert topic.related == english.related
    full = render_plain(topic, local.seeds, lang)
    assert label in full and "Terrace International" in full
    assert "Sources" not in render_lead_plain(topic, local.seeds, lang)
    assert local.localized(lang) is local and kb.localized(lang) is local  # built once


def test_translated_glossary_terms_are_found_in_translated_answers(kb: KnowledgeBase) -> None:
    from bot.kb.glossary import terms_in

    local = kb.localized("ru")
    topic = local.get("off-platform-payment")
    assert topic is not None
    assert terms_in((topic.answer,), local.glossary)  # at least the terms it names
    assert all(t.text != kb.glossary[t.id].text for t in local.glossary.values())
