"""`reprisal-cli plan` and `reprisal-cli schema` through the CLI runner: snapshots of the JSON plan
of every example (regenerate with UPDATE_SNAPSHOTS=1), byte-identical output, answers-file errors,
atomic output."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SNAPSHOTS = Path(__file__).parent / "snapshots"
AS_OF = "2026-11-25"
PRECEDENT_EXAMPLES = {"china_2017", "burundi_2016", "bahrain_2012", "honduras_2017", "cuba_2018"}

runner = CliRunner()


def plan_json(path: Path, *extra: str) -> str:
    result = runner.invoke(app, ["plan", str(path), "--format", "json", "--as-of", AS_OF, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_five_precedents_are_examples() -> None:
    assert {p.stem for p in EXAMPLES} >= PRECEDENT_EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_snapshot(example: Path) -> None:
    # The fingerprint changes with every edit of any data file (a translation, say); the plan's
    # content is what the snapshot guards. The fingerprint itself is tested in test_kb_*.
    out = re.sub(
        r'"fingerprint": "sha256:[0-9a-f]+"', '"fingerprint": "sha256:…"', plan_json(example)
    )
    snapshot = SNAPSHOTS / f"{example.stem}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") or not snapshot.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(out, encoding="utf-8")
    assert out == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "md", "txt"])
def test_byte_identical_on_repeated_runs(fmt: str) -> None:
    example = ROOT / "examples" / "china_2017.yaml"
    args = ["plan", str(example), "--format", fmt, "--as-of", AS_OF]
    first = runner.invoke(app, args)
    second = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == second.stdout_bytes


def test_as_of_drives_dates_and_staleness() -> None:
    example = ROOT / "examples" / "bahrain_2012.yaml"
    early = json.loads(plan_json(example, "--as-of", "2019-03-01"))
    late = json.loads(plan_json(example))
    assert early["as_of"] == "2019-03-01"
    assert late["as_of"] == AS_OF
    # No contact of this plan is confirmed in the year before it: said once, plainly.
    assert "no_contact_confirmed" in {w["id"] for w in late["warnings"]}
    # Staleness comes from `last_confirmed`: a contact nobody confirmed is never "confirmed".
    for step in late["steps"]:
        for contact in step["contacts"]:
            if contact["last_confirmed"]["how"] == "not_confirmed":
                assert contact["status"] == "check_current"


def test_redact_drops_case_id() -> None:
    data = json.loads(plan_json(ROOT / "examples" / "china_2017.yaml", "--redact"))
    assert data["case_id"] is None


def test_output_is_atomic_and_refuses_to_overwrite(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "cuba_2018.yaml")
    target = tmp_path / "plan.json"
    ok = runner.invoke(app, ["plan", example, "-o", str(target), "--as-of", AS_OF])
    assert ok.exit_code == 0, ok.output
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "reprisal-cli/plan/v1.1"
    again = runner.invoke(app, ["plan", example, "-o", str(target), "--as-of", AS_OF])
    assert again.exit_code == 4
    assert "already exists" in again.stderr
    forced = runner.invoke(app, ["plan", example, "-o", str(target), "--force", "--as-of", AS_OF])
    assert forced.exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_terminal_format_cannot_go_to_a_file(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "cuba_2018.yaml")
    result = runner.invoke(
        app, ["plan", example, "-f", "terminal", "-o", str(tmp_path / "x"), "--as-of", AS_OF]
    )
    assert result.exit_code == 2


def test_terminal_view_numbers_steps() -> None:
    example = str(ROOT / "examples" / "immediate_danger_hacked.yaml")
    result = runner.invoke(app, ["plan", example, "-f", "terminal", "--as-of", AS_OF, "--explain"])
    assert result.exit_code == 0, result.output
    assert "emergency" in result.stdout.lower()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "key", "expected"),
    [
        (
            "schema: reprisal-cli/answers/v1\nstage: reprisal_suffered\nstgae: planning\n",
            3,
            "stgae",
            "unknown key 'stgae'",
        ),
        (
            "schema: reprisal-cli/answers/v1\nstage: maybe\n",
            2,
            "stage",
            "planning, engaged, reprisal_feared, reprisal_suffered",
        ),
        (
            "schema: reprisal-cli/answers/v1\nimmediate_danger: [1, 2]\n",
            2,
            "immediate_danger",
            "true or false",
        ),
        ("schema: reprisal-cli/answers/v9\n", 1, "schema", "reprisal-cli/answers/v1"),
    ],
    ids=["unknown key", "wrong value", "wrong type", "wrong schema"],
)
def test_answers_errors(tmp_path: Path, text: str, line: int, key: str, expected: str) -> None:
    path = _write(tmp_path, text)
    result = runner.invoke(app, ["plan", str(path), "-f", "json", "--as-of", AS_OF])
    assert result.exit_code == 1
    assert f"{path}:{line}" in result.stderr
    assert key in result.stderr
    assert expected in result.stderr
    assert result.stdout == ""


def test_bad_knowledge_base_exits_3(tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "cuba_2018.yaml")
    result = runner.invoke(app, ["plan", example, "-f", "json", "--kb", str(tmp_path)])
    assert result.exit_code == 3


@pytest.mark.parametrize("which", ["answers", "plan"])
def test_schema(which: str) -> None:
    result = runner.invoke(app, ["schema", which])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$id"] == f"reprisal-cli/{which}/v1.1"
    assert "schema" in schema["properties"]
    if which == "answers":
        assert schema["required"] == ["schema"]
