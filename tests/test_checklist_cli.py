"""`reprisal-cli checklist`: list, print, write, refuse to overwrite, unknown id."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from render_fixtures import too_wide
from reprisal_cli.cli import app

runner = CliRunner()


def _first_id() -> str:
    result = runner.invoke(app, ["checklist"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[0].split()[0]


def test_lists_ids_and_titles() -> None:
    result = runner.invoke(app, ["checklist"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)


def test_prints_markdown_by_default_and_text_on_request() -> None:
    ident = _first_id()
    md = runner.invoke(app, ["checklist", ident])
    assert md.exit_code == 0, md.output
    assert md.output.startswith("# ") and "- [ ] " in md.output
    txt = runner.invoke(app, ["checklist", ident, "--format", "txt"])
    assert txt.exit_code == 0, txt.output
    assert "[ ] " in txt.output and "- [ ]" not in txt.output
    assert too_wide(txt.output) == []  # 80 columns, but for a link kept whole (issue 25)


def test_writes_a_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    ident = _first_id()
    target = tmp_path / "list.md"
    first = runner.invoke(app, ["checklist", ident, "-o", str(target)])
    assert first.exit_code == 0, first.output
    assert first.stdout == ""  # the document went to the file; a confirmation to stderr
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# ")
    target.write_text("mine", encoding="utf-8")
    again = runner.invoke(app, ["checklist", ident, "-o", str(target)])
    assert again.exit_code == 4
    assert "--force" in again.output
    assert target.read_text(encoding="utf-8") == "mine"
    forced = runner.invoke(app, ["checklist", ident, "-o", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8") == written


def test_unknown_id_lists_the_known_ones() -> None:
    ident = _first_id()
    result = runner.invoke(app, ["checklist", "no_such_list"])
    assert result.exit_code == 2
    assert "no_such_list" in result.output and ident in result.output


def test_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["checklist", "anything", "--format", "docx"])
    assert result.exit_code == 2
    assert "Use one of: md, txt" in result.output
