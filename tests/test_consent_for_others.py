"""Caseworker review 5 (A1, A2) through the CLI: a child whose family consented, and relatives
targeted. The short plan (what a caseworker reads first) carries the cautions: whole on the first
step that sends the case, one pointer to it on each later one."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reprisal_cli.cli import app

runner = CliRunner()

CHILD = """\
schema: reprisal-cli/answers/v1.1
respondent: organisation
profile: [child, indigenous_defender]
state: PH
engagement: [indigenous_forums, treaty_bodies]
treaty_body: [crc]
stage: reprisal_suffered
reprisals: [terrorism_label, threats, threats_to_family, online_harassment, surveillance]
incident_date: 2026-11
location: home_country
others_at_risk: [family, organisation]
consent: {share_with_un: "yes", publicity: "no", sg_report: anonymous, given_by: family}
"""


def _plan(tmp_path: Path, text: str, *extra: str) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    args = ["plan", str(path), "--format", "md", "--as-of", "2026-12-05", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_short_plan_of_a_child_shows_each_caution_once_then_one_pointer(tmp_path: Path) -> None:
    short = _plan(tmp_path, CHILD)
    assert short.count("The person at risk is a child. Decide with the child") == 1
    assert short.count("any letter that describes what was done to them") == 1
    # Both cautions are first shown on the same step: a later step points to it once, not twice.
    lines = short.splitlines()
    pointers = [i for i, line in enumerate(lines) if "Before this step, read the caution" in line]
    assert pointers
    assert all(lines[i] != lines[i + 1] for i in pointers)
    # Never worded as a consent not given: the person's own consent was given here (caseworker
    # review 7, C1).
    assert "Only with consent" not in short


def test_a_step_after_two_cautioning_steps_has_one_pointer_naming_both() -> None:
    """(b) step 19 had two pointer lines, "see step 13" and "see step 7" (caseworker review 7)."""
    answers = Path(__file__).parent / "data" / "review5_b_journalist_lt.yaml"
    result = runner.invoke(app, ["plan", str(answers), "--format", "md", "--as-of", "2026-12-05"])
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        assert line.count("Before this step, read the caution") <= 1
    assert "read the cautions in steps" in result.stdout


def test_full_plan_says_who_agreed_for_the_child(tmp_path: Path) -> None:
    full = _plan(tmp_path, CHILD, "--full")
    assert "that the person agrees to inclusion" not in full
    assert "who gave the consent for the person (their family or a representative)" in full
    assert "that the child was heard and agrees" in full


def test_without_child_and_with_the_persons_own_consent_the_plan_changes_back(
    tmp_path: Path,
) -> None:
    adult = CHILD.replace("[child, indigenous_defender]", "[indigenous_defender]")
    adult = adult.replace("given_by: family", "given_by: person")
    full = _plan(tmp_path, adult, "--full")
    assert "that the person agrees to inclusion without names only" in full
    assert "is a child" not in full
    assert "who gave the consent for the person" not in full
