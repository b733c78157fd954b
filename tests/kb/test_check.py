"""`ta-advisor kb check` and strict loading report every defect as `file: problem`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.commands.kb import run_check
from bot.kb.check import check_knowledge
from bot.kb.loader import KnowledgeError, load_knowledge, load_topic_files
from bot.kb.markup import markup_problems, to_plain, visible_length

SEED = "000_aaaaaaaaaaaaaaaa.txt"


def topic_yaml(tid: str, **overrides: str) -> str:
    fields = {
        "id": tid,
        "title": f"Title of {tid}",
        "lead": "'<b>The answer first.</b> Then <b>Do now:</b> the one thing to do.'",
        "short": "A short plain answer that is long enough to pass validation.",
        "answer": "<b>Bold start.</b> Then a plain sentence that explains the topic.",
        "questions": "[how does it work, what is it, tell me about it]",
        "keywords": "[word]",
        "sources": f"[{{seed: {SEED}, section: Intro}}]",
        "related": "[]",
    }
    fields.update(overrides)
    return "\n".join(f"{k}: {v}" for k, v in fields.items()) + "\n"


def make_kb(tmp: Path, topics: dict[str, str], required: str = "") -> Path:
    (tmp / "topics").mkdir(parents=True)
    for name, text in topics.items():
        (tmp / "topics" / f"{name}.yaml").write_text(text)
    (tmp / "seeds.yaml").write_text(
        f"seeds:\n  - {{file: {SEED}, publisher: Seed Press, title: The seed}}\n"
    )
    if required:
        (tmp / "required.yaml").write_text(textwrap.dedent(required))
    return tmp


def problems_of(folder: Path, seeds_dir: Path | None = None) -> list[str]:
    from bot.kb.loader import KnowledgeBase, load_required, load_seeds

    pairs, problems = load_topic_files(folder)
    kb = KnowledgeBase(
        topics={t.id: t for _, t in pairs},
        seeds=load_seeds(folder),
        required=load_required(folder),
    )
    return problems + check_knowledge(kb, pairs, seeds_dir)


def test_sound_base_has_no_problems(tmp_path: Path) -> None:
    folder = make_kb(tmp_path, {"alpha": topic_yaml("alpha"), "beta": topic_yaml("beta")})
    assert problems_of(folder) == []
    assert len(load_knowledge(folder)) == 2


def test_duplicate_ids_and_name_mismatch(tmp_path: Path) -> None:
    folder = make_kb(tmp_path, {"alpha": topic_yaml("alpha"), "copy": topic_yaml("alpha")})
    found = problems_of(folder)
    assert "alpha.yaml: duplicate topic id 'alpha'" in found
    assert "copy.yaml: duplicate topic id 'alpha'" in found
    assert "copy.yaml: id 'alpha' differs from the file name" in found


def test_unknown_related_and_self_reference(tmp_path: Path) -> None:
    folder = make_kb(tmp_path, {"alpha": topic_yaml("alpha", related="[alpha, nowhere]")})
    found = problems_of(folder)
    assert "alpha.yaml: related: a topic cannot relate to itself" in found
    assert "alpha.yaml: related: unknown topic id 'nowhere'" in found


def test_missing_and_unknown_sources(tmp_path: Path) -> None:
    folder = make_kb(
        tmp_path,
        {
            "alpha": topic_yaml("alpha", sources="[]"),
            "beta": topic_yaml("beta", sources="[{seed: 999_nope.txt, section: X}]"),
        },
    )
    found = problems_of(folder)
    assert any(p.startswith("alpha.yaml: sources:") for p in found)
    assert "beta.yaml: sources: unknown seed '999_nope.txt'" in found


def test_answer_too_long_and_bad_markup(tmp_path: Path) -> None:
    long_answer = "'" + "word " * 700 + "'"
    folder = make_kb(
        tmp_path,
        {
            "alpha": topic_yaml("alpha", answer=long_answer),
            "beta": topic_yaml("beta", answer="'<b>never closed and <h1>heading</h1> & more text'"),
            "gamma": topic_yaml("gamma", short="'<b>tags</b> are not allowed in the short answer'"),
        },
    )
    found = problems_of(folder)
    assert any(p.startswith("alpha.yaml: answer:") and "3000" in p for p in found)
    assert "beta.yaml: answer: invalid markup: tag <h1> is not allowed (use b, code, i, u)" in found
    assert "beta.yaml: answer: invalid markup: a bare & must be written &amp;" in found
    assert "beta.yaml: answer: invalid markup: <b> is never closed" in found
    assert "gamma.yaml: short: must be plain text (no tags or entities)" in found


def test_required_topic_missing_and_uncited_seed(tmp_path: Path) -> None:
    required = """\
        required:
          - {id: alpha, title: Alpha, sources: ["000", "001"]}
          - {id: missing-one, title: Missing, sources: ["000"]}
    """
    folder = make_kb(tmp_path, {"alpha": topic_yaml("alpha")}, required)
    found = problems_of(folder)
    assert "required.yaml: topic 'missing-one' is missing" in found
    assert "alpha.yaml: sources: must also cite seed(s) 001" in found


def test_invalid_yaml_and_wrong_shape(tmp_path: Path) -> None:
    folder = make_kb(tmp_path, {"alpha": "id: [unclosed\n", "beta": "- just\n- a list\n"})
    found = problems_of(folder)
    assert any(p.startswith("alpha.yaml:") and "invalid YAML" in p for p in found)
    assert "beta.yaml: expected a mapping of topic fields" in found


def test_copied_sentence_from_a_seed_is_rejected(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SEED).write_text(
        "Intro. The quick brown fox jumps over the lazy dog every single day."
    )
    copied = "'We say: the quick brown fox jumps over the lazy dog every morning.'"
    folder = make_kb(tmp_path / "kb", {"alpha": topic_yaml("alpha", answer=copied)})
    found = problems_of(folder, seeds)
    assert any(p.startswith("alpha.yaml: answer: copies a seed:") for p in found)


def test_strict_load_raises_with_every_problem(tmp_path: Path) -> None:
    folder = make_kb(tmp_path, {"alpha": topic_yaml("alpha", related="[ghost]")})
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(folder)
    assert err.value.problems == ["alpha.yaml: related: unknown topic id 'ghost'"]


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = make_kb(tmp_path / "good", {"alpha": topic_yaml("alpha")})
    assert run_check(str(good)) == 0
    bad = make_kb(tmp_path / "bad", {"alpha": topic_yaml("alpha", related="[ghost]")})
    assert run_check(str(bad)) == 1
    assert "alpha.yaml: related: unknown topic id 'ghost'" in capsys.readouterr().out


def test_markup_helpers() -> None:
    assert markup_problems("<b>ok</b> &amp; <i>fine</i> &lt;3") == []
    assert markup_problems("<a href='x'>link</a>") != []
    assert to_plain("<b>A</b> &amp; B") == "A & B"
    assert visible_length("<b>😀</b>") == 2


def test_bundled_knowledge_base_is_sound() -> None:
    """The shipped base passes every check the bot enforces at start-up."""
    kb = load_knowledge()
    assert len(kb) >= 29
    assert all(kb.get(r.id) for r in kb.required)


def _seeded(tmp_path: Path, seed_text: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / SEED).write_text(seed_text)
    return seeds


def test_copy_check_covers_titles_leads_questions_and_keywords(tmp_path: Path) -> None:
    seeds = _seeded(tmp_path, "Never send money outside the platform to a private account.")
    copied = "never send money outside the platform to a private account"
    folder = make_kb(
        tmp_path / "kb",
        {
            "alpha": topic_yaml("alpha", title=f"'{copied[:60]}'"),
            "beta": topic_yaml("beta", questions=f"[{copied}, what is it, and more]"),
            "gamma": topic_yaml("gamma", lead=f"'<b>{copied}</b>'"),
            "delta": topic_yaml("delta", keywords=f"[{copied}]"),
        },
    )
    found = problems_of(folder, seeds)
    assert any(p.startswith("alpha.yaml: title: copies a seed") for p in found)
    assert any(p.startswith("beta.yaml: questions[0]: copies a seed") for p in found)
    assert any(p.startswith("gamma.yaml: lead: copies a seed") for p in found)
    assert any(p.startswith("delta.yaml: keywords[0]: copies a seed") for p in found)


def test_copy_check_sees_through_entities_and_quote_styles(tmp_path: Path) -> None:
    seeds = _seeded(
        tmp_path, "<p>Alibaba&#8217;s team &#8220;won&#8217;t&#8221; act on vague specs at all.</p>"
    )
    straight = "'We say: Alibaba''s team \"won''t\" act on vague specs at all, ever.'"
    curly = "'Alibaba’s team “won’t” act on vague specs at all.'"
    folder = make_kb(
        tmp_path / "kb",
        {"alpha": topic_yaml("alpha", answer=straight), "beta": topic_yaml("beta", answer=curly)},
    )
    found = problems_of(folder, seeds)
    assert any(p.startswith("alpha.yaml: answer: copies a seed") for p in found)
    assert any(p.startswith("beta.yaml: answer: copies a seed") for p in found)


def test_seven_shared_words_count_as_a_copy(tmp_path: Path) -> None:
    seeds = _seeded(tmp_path, "This is not a valid claim unless the contract says so.")
    folder = make_kb(
        tmp_path / "kb",
        {
            "alpha": topic_yaml(
                "alpha", answer="'Taste is not a valid claim unless the contract measured it.'"
            )
        },
    )
    assert any(
        "copies a seed: 'is not a valid claim unless the'" in p for p in problems_of(folder, seeds)
    )


def test_glossary_entries_are_validated_and_copy_checked(tmp_path: Path) -> None:
    seeds = _seeded(tmp_path, "The seller pays for the goods to be loaded on the ship at the port.")
    folder = make_kb(tmp_path / "kb", {"alpha": topic_yaml("alpha")})
    (folder / "glossary.yaml").write_text(
        textwrap.dedent(
            """\
            terms:
              - id: fob
                term: FOB
                text: "The seller pays for the goods to be loaded on the ship."
              - {id: bad, term: X, text: "<b>tags</b> are not allowed in a glossary text"}
              - {id: short, term: Y, text: "too short"}
            """
        )
    )
    from bot.kb.glossary import load_glossary
    from bot.kb.loader import KnowledgeBase, load_seeds

    glossary, problems = load_glossary(folder)
    assert "glossary.yaml: bad: text must be plain (no tags or entities)" in problems
    assert any(p.startswith("glossary.yaml: entry 3:") for p in problems)
    pairs, _ = load_topic_files(folder)
    kb = KnowledgeBase(
        topics={t.id: t for _, t in pairs}, seeds=load_seeds(folder), glossary=glossary
    )
    found = check_knowledge(kb, pairs, seeds)
    assert any(p.startswith("glossary.yaml: fob: text: copies a seed") for p in found)


def test_lead_is_required_and_limited(tmp_path: Path) -> None:
    long_lead = "'<b>Answer.</b> " + "word " * 130 + "'"
    folder = make_kb(
        tmp_path,
        {"alpha": topic_yaml("alpha", lead="null"), "beta": topic_yaml("beta", lead=long_lead)},
    )
    found = problems_of(folder)
    assert any(p.startswith("alpha.yaml: lead: missing") for p in found)
    assert any(p.startswith("beta.yaml: lead:") and "over 600" in p for p in found)


def test_no_text_may_show_a_seed_file_name(tmp_path: Path) -> None:
    folder = make_kb(
        tmp_path,
        {
            "alpha": topic_yaml(
                "alpha", answer="'<b>As 003_e49dd6f428c4738a.txt says</b>, it works.'"
            )
        },
    )
    assert "alpha.yaml: answer: shows a seed file name; cite the publisher and title instead" in (
        problems_of(folder)
    )


def test_seeds_setting_pointing_nowhere_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_kb(tmp_path / "kb", {"alpha": topic_yaml("alpha")})
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("TA_ADVISOR_SEEDS", str(empty))
    assert run_check(str(folder)) == 1
    assert "no seed documents" in capsys.readouterr().out


def test_bundled_knowledge_base_passes_the_copy_check_when_the_seeds_are_here() -> None:
    from bot.kb.check import find_seeds_dir

    kb = load_knowledge()
    seeds = find_seeds_dir(kb.folder)
    if seeds is None:
        pytest.skip("the seed documents are not on this machine (TA_ADVISOR_SEEDS)")
    pairs = [(kb.folder / "topics" / f"{t.id}.yaml", t) for t in kb.topics.values()]  # type: ignore[operator]
    assert check_knowledge(kb, pairs, seeds) == []
    assert len(kb.topics) >= 35 and len(kb.glossary) >= 17
