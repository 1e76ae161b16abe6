"""Redaction and hostile text in every format (issue 8, points 4 and 5).

`--redact` leaves the case id and the notes out of json, md, txt, html, pdf and the terminal view
(a unique marker is looked for in each, PDFs read back with pypdf). Notes full of terminal escapes,
rich markup, HTML, Markdown links, bidi overrides and NUL come out inert in every format.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from render_fixtures import FORBIDDEN, HOSTILE
from reprisal_cli import crypto
from test_safety_support import (
    AS_OF,
    CASE_MARKER,
    NOTES_MARKER,
    PASSPHRASE,
    cli,
    finish,
    in_process,
    spawn_cli,
    write_answers,
)

FILE_FORMATS = ("json", "md", "txt", "html", "pdf")


def shown(data: bytes, fmt: str) -> str:
    """What a reader of the output sees: the text of a PDF, the bytes of anything else."""
    if fmt != "pdf":
        return data.decode("utf-8")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata or {}
    return "\n".join(
        [*(page.extract_text() or "" for page in reader.pages), *map(str, info.values())]
    )


def plan_output(answers: Path, fmt: str, *extra: str) -> str:
    if fmt == "terminal":
        child = spawn_cli("plan", str(answers), "--as-of", AS_OF, *extra, cwd=answers.parent)
        text = child.read()
        assert finish(child) == 0
        return text
    # json through a real process; the other formats in this one (what they hold is the point)
    run = cli if fmt == "json" else in_process
    done = run("plan", answers, "--format", fmt, "--as-of", AS_OF, *extra, cwd=answers.parent)
    assert done.returncode == 0, done.stderr
    return shown(done.stdout, fmt)


@pytest.mark.parametrize("fmt", [*FILE_FORMATS, "terminal"])
def test_redact_leaves_out_case_id_and_notes(tmp_path: Path, fmt: str) -> None:
    answers = write_answers(tmp_path)
    assert CASE_MARKER in plan_output(answers, fmt), "the marker must show without --redact"
    redacted = plan_output(answers, fmt, "--redact")
    assert CASE_MARKER not in redacted
    assert NOTES_MARKER not in redacted
    assert "Zq7" not in redacted


@pytest.mark.slow
def test_redact_on_open(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    locked = tmp_path / "a.yaml.age"
    locked.write_bytes(crypto.encrypt_passphrase(answers.read_bytes(), PASSPHRASE))
    passfile = tmp_path / "pw"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    full = cli("open", locked, "--passphrase-file", passfile)
    assert CASE_MARKER.encode() in full.stdout and NOTES_MARKER.encode() in full.stdout
    for fmt in ("yaml", *FILE_FORMATS):
        done = cli("open", locked, "--passphrase-file", passfile, "--redact", "-f", fmt)
        assert done.returncode == 0, done.stderr
        assert "Zq7" not in shown(done.stdout, fmt)


@pytest.mark.slow
def test_assess_redact_saves_no_free_text(tmp_path: Path) -> None:
    from test_safety_support import drive_plain_assess, menu, terminal_env

    answers = write_answers(tmp_path)
    child = spawn_cli(
        "assess", "--plain", "--redact", "--answers-in", str(answers), "--answers-out", "a.yaml",
        "--as-of", AS_OF, cwd=tmp_path, env=terminal_env(TERM="dumb"),
    )  # fmt: skip
    drive_plain_assess(child)
    child.expect_exact("Saved the answers to a.yaml")
    menu(child, 1)
    child.expect_exact("How should the file be saved?")
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("2\r")  # not encrypted
    child.expect_exact("Which format?")
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("5\r")  # pdf
    child.expect_exact("File name for the plan:")
    child.expect_exact("> ")
    child.send("\r")  # plan.pdf: no case id in the offered name either
    child.expect_exact("Saved the plan to plan.pdf")
    menu(child, 6)
    assert finish(child) == 0
    assert "Zq7" not in (tmp_path / "a.yaml").read_text(encoding="utf-8")
    assert "Zq7" not in shown((tmp_path / "plan.pdf").read_bytes(), "pdf")


# -- hostile text -----------------------------------------------------------------------------


def assert_inert(text: str, fmt: str) -> None:
    for char in FORBIDDEN:
        assert char not in text, (fmt, repr(char))
    lowered = text.lower()
    if fmt == "html":
        assert "<script" not in lowered and "<img" not in lowered  # shown as &lt;script&gt;
    if fmt == "md":  # links, images, autolinks and HTML only ever appear escaped
        assert not re.search(r"(?<!\\)\]\(|(?<!\\)<[a-z/]", text, re.IGNORECASE), text
    if fmt == "terminal":
        assert "[bold red]" not in text or "loud" in text  # markup shown, never obeyed


@pytest.mark.parametrize("fmt", [*FILE_FORMATS, "terminal"])
def test_hostile_notes_are_inert(tmp_path: Path, fmt: str) -> None:
    answers = write_answers(tmp_path, case_id="hostile-1", notes=HOSTILE + NOTES_MARKER)
    out = plan_output(answers, fmt, "--explain")
    if fmt == "terminal":
        # the terminal view may colour its own text: only the notes' own escapes are forbidden
        for payload in ("\x1b]0;pwned", "\x1b[6n", "\x1b]8;;http://evil", "\x07", "\u202e", "\x00"):
            assert payload not in out
    else:
        assert_inert(out, fmt)


@pytest.mark.slow
def test_hostile_notes_inert_when_opened(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, notes=HOSTILE)
    locked = tmp_path / "a.age"
    locked.write_bytes(crypto.encrypt_passphrase(answers.read_bytes(), PASSPHRASE))
    passfile = tmp_path / "pw"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    piped = cli("open", locked, "--passphrase-file", passfile)
    assert piped.returncode == 0, piped.stderr
    assert_inert(piped.stdout.decode(), "yaml")
    child = spawn_cli("open", str(locked), "--passphrase-file", str(passfile), cwd=tmp_path)
    text = child.read()
    assert finish(child) == 0
    assert_inert(text, "terminal")
    assert "script" in text  # shown as text, not dropped

    # an answers file written by someone else, shown as it is (never -o): still inert
    hostile_md = tmp_path / "x.md.age"
    hostile_md.write_bytes(crypto.encrypt_passphrase(HOSTILE.replace("\x00", ""), PASSPHRASE))
    raw = cli("open", hostile_md, "--passphrase-file", passfile)
    assert raw.returncode == 0
    assert_inert(raw.stdout.decode(), "txt")
    # with a NUL it is binary: never shown, only written out with -o
    hostile_md.write_bytes(crypto.encrypt_passphrase(HOSTILE, PASSPHRASE))
    binary = cli("open", hostile_md, "--passphrase-file", passfile)
    assert binary.returncode == 2 and b"binary" in binary.stderr and binary.stdout == b""


@pytest.mark.slow
def test_hostile_plan_json_is_refused_or_inert(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    import json

    plan = json.loads(cli("plan", answers, "-f", "json", "--as-of", AS_OF).stdout)
    plan["steps"][0]["title"] = HOSTILE
    passfile = tmp_path / "pw"
    passfile.write_text(PASSPHRASE + "\n", encoding="utf-8")
    locked = tmp_path / "p.json.age"
    locked.write_bytes(crypto.encrypt_passphrase(json.dumps(plan), PASSPHRASE))
    for fmt in ("md", "txt", "html", "pdf"):
        done = cli("open", locked, "--passphrase-file", passfile, "-f", fmt)
        assert done.returncode == 0, done.stderr
        assert_inert(shown(done.stdout, fmt), fmt)
    plan["case_id"] = "\x1b[2J../../x"
    locked.write_bytes(crypto.encrypt_passphrase(json.dumps(plan), PASSPHRASE))
    bad = cli("open", locked, "--passphrase-file", passfile, "-f", "md")
    assert bad.returncode == 1 and b"case id is not valid" in bad.stderr


# -- the other outputs made from an answers file ---------------------------------------------


def _other_output(command: str, answers: Path, fmt: str, *extra: str) -> str:
    done = in_process(command, answers, "--format", fmt, *extra, cwd=answers.parent)
    assert done.returncode == 0, done.stderr
    return shown(done.stdout, fmt)


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_draft_redact_and_hostile_notes(tmp_path: Path, fmt: str) -> None:
    answers = write_answers(tmp_path)
    assert "Zq7" not in _other_output("draft", answers, fmt, "--redact")
    hostile = write_answers(tmp_path, "h.yaml", case_id="h-1", notes=HOSTILE)
    assert_inert(_other_output("draft", hostile, fmt), fmt)


@pytest.mark.parametrize("fmt", ["txt", "html", "pdf"])
def test_card_carries_no_free_text(tmp_path: Path, fmt: str) -> None:
    answers = write_answers(tmp_path)
    assert "Zq7" not in _other_output("card", answers, fmt)
    hostile = write_answers(tmp_path, "h.yaml", case_id="h-1", notes=HOSTILE)
    assert_inert(_other_output("card", hostile, fmt), fmt)
