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
