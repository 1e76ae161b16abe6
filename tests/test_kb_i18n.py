"""Translations of the knowledge base: complete, never touching contacts or ids, stale or missing
text shown in English with a marker, broken placeholders refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kb_support import copy_builtin_kb
from reprisal_cli.answers import load_answers
from reprisal_cli.cli import app
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.files import TRANSLATION_LANGS
from reprisal_cli.kb.i18n import UNTRANSLATED_MARKER, coverage
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.loader import load_kb

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)
runner = CliRunner()


@pytest.mark.parametrize("lang", TRANSLATION_LANGS)
def test_every_language_covers_every_text(kb: KnowledgeBase, lang: str) -> None:
    cov = coverage(kb, kb.translations[lang])
    assert (cov.translated, cov.stale) == (cov.total, 0)
    assert cov.reviewed is False  # until a native speaker has reviewed the file


@pytest.mark.parametrize("lang", TRANSLATION_LANGS)
def test_translated_plan_keeps_contacts_and_shows_no_english(kb: KnowledgeBase, lang: str) -> None:
    answers = load_answers(ROOT / "examples" / "china_2017.yaml")
    english = evaluate(answers, kb, as_of=AS_OF)
    plan = evaluate(answers, kb, as_of=AS_OF, lang=lang)
    assert (plan.lang, plan.lang_reviewed) == (lang, False)
    assert [s.id for s in plan.steps] == [s.id for s in english.steps]
    for mine, theirs in zip(plan.steps, english.steps, strict=True):
        assert [(c.id, c.value, c.channel) for c in mine.contacts] == [
            (c.id, c.value, c.channel) for c in theirs.contacts
        ]
        assert mine.title != theirs.title
        assert UNTRANSLATED_MARKER not in mine.title + mine.detail
    assert plan.steps[0].kind == "emergency" and plan.steps[0].contacts


def _copy_kb(tmp_path: Path) -> Path:
    return copy_builtin_kb(tmp_path / "kb")


def test_stale_translation_shows_english_with_marker(tmp_path: Path) -> None:
    target = _copy_kb(tmp_path)
    path = target / "i18n" / "fr.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # china_2017 is answered by a colleague: the plan speaks to them, with the texts for another
    # reader (`safety.for_other`).
    key = "safety/for_other/emergency_step/title"
    data["texts"][key]["en"] = "An older English text"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    kb = load_kb(target)
    assert coverage(kb, kb.translations["fr"]).stale == 1
    plan = evaluate(load_answers(ROOT / "examples" / "china_2017.yaml"), kb, as_of=AS_OF,
                    lang="fr")  # fmt: skip
    emergency = next(s for s in plan.steps if s.kind == "emergency")
    assert emergency.title.startswith(UNTRANSLATED_MARKER)


def test_broken_placeholder_fails_validation(tmp_path: Path) -> None:
    target = _copy_kb(tmp_path)
    path = target / "i18n" / "es.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = next(k for k, v in data["texts"].items() if "{" in v["en"])
    data["texts"][key]["text"] = data["texts"][key]["text"].replace("{", "(").replace("}", ")")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["kb", "validate", str(target)])
    assert result.exit_code == 3
    assert "placeholders" in result.output and "es.yaml" in result.output


def test_validate_reports_coverage_per_language() -> None:
    result = runner.invoke(app, ["kb", "validate"])
    assert result.exit_code == 0
    for lang in TRANSLATION_LANGS:
        assert f"{lang}: " in result.output and "(100%)" in result.output
