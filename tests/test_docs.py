"""The README stays true: its two first commands, the CI script, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from reprisal_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _commands() -> list[str]:
    return re.findall(r"^    (python3 -m venv .*)$", README, flags=re.M)


def test_readme_opens_with_the_two_commands() -> None:
    head = "\n".join(README.splitlines()[:12])
    first, second = _commands()[:2]
    assert first in head and second in head
    assert first.endswith("reprisal-cli assess")
    assert "pytest" in second


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci
    # Under `set -e` a failure before the last && of a list does not stop the script: the line
    # must end the run itself, or a red fast suite ends in a green CI.
    line = next(line for line in ci.splitlines() if _commands()[1] in line)
    assert line.endswith(" || exit 1"), line


def test_the_readme_test_command_runs_the_fast_and_the_slow_suite() -> None:
    """Split in two steps, the command still runs every test: the fast ones, then the slow ones."""
    runs = re.findall(r"\.venv/bin/python -m pytest(.*?)(?: &&|$)", _commands()[1])
    assert runs == [" -m 'not slow' -n auto", " -m slow"]
    developer = README.split("## Development", 1)[1]
    assert ".venv/bin/python -m pytest -m 'not slow' -n auto" in developer


def _command_names() -> list[str]:
    names = []
    for info in app.registered_commands:
        names.append(info.name or info.callback.__name__)  # type: ignore[union-attr]
    for group in app.registered_groups:
        sub = group.typer_instance
        for info in sub.registered_commands:
            name = info.name or info.callback.__name__  # type: ignore[union-attr]
            names.append(f"{group.name} {name.rstrip('_')}")
    return names


def test_every_command_has_help_and_is_in_the_readme() -> None:
    names = _command_names()
    assert "kb validate" in names
    for name in names:
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert len(result.output.strip().splitlines()) > 3, name
        assert f"reprisal-cli {name}" in README, f"README does not document {name!r}"


def test_every_answers_key_and_value_is_in_the_readme_table() -> None:
    from reprisal_cli.contract import FILE_KEYS

    table = README[README.index("### The answers file") : README.index("### Consent, by purpose")]
    rows = {
        row.split("|")[1].strip(): row.split("|")[2]
        for row in table.splitlines()
        if row.startswith("| `")
    }
    for key, spec in FILE_KEYS.items():
        row = next((v for k, v in rows.items() if f"`{key}`" in k), None)
        assert row is not None, f"README's answers table lacks {key!r}"
        if spec.type in ("enum", "list") and key != "individual_complaint":  # treaty_body's
            missing = [v for v in spec.values if f"`{v}`" not in row]
            assert not missing, (key, missing)
