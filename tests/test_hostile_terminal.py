"""Hostile text never drives the terminal or hides in an output (review H5, L1, L2, L13).

Control sequences (CSI, OSC 0 title, OSC 8 hyperlink, OSC 52 clipboard, 8-bit CSI), bidi
controls, zero-width and tag characters are put where a file, an argument or a custom knowledge
base can put them: answers keys and notes, file names, `-o` and `--kb` paths, a batch input's
name, every text of a knowledge base. Every command and format is then read back: what reaches
a terminal or a text file holds none of them, and JSON holds them only as `\\u` escapes.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.crypto import encrypt_passphrase
from reprisal_cli.kb.files import KB_FILES, builtin_dir
from reprisal_cli.untrusted import clean, json_escape, one_line

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "honduras_2017.yaml"
AS_OF = "2026-11-25"
SCHEMA = "schema: reprisal-cli/answers/v1\n"

# Clear the screen, set the window title, a hyperlink, a clipboard write, an 8-bit CSI (cursor
# report), a right-to-left override, bidi marks, zero-width characters, a tag character.
PAYLOAD = (
    "\x1b[2J\x1b[H\x1b]0;PWNED\x07\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\"
    "\x1b]52;c;ZWNobyBwd25lZA==\x07\x9b6n\u202egnp.exe\u2066\u200f\u200e\u061c"
    "\u200b\u200d\ufeff\u2060\U000e0041"
)
NAME = PAYLOAD.replace("/", "")  # the same, as a file name
# Nothing of this may reach a terminal or a text output.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
    "\U000e0000-\U000e007f]"
)

runner = CliRunner()


def assert_inert(text: str) -> None:
    """No control, bidi or invisible character (a message may quote one as `\\x1b`)."""
    found = FORBIDDEN.search(text)
    assert found is None, f"{found.group(0)!r} at {found.start()}: {text[found.start() - 40 :]!r}"


def cli(*args: str | Path, input: bytes | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], input=input)


def shown(data: bytes) -> str:
    """What a reader sees: the text of a PDF, else the bytes as UTF-8."""
    if data.startswith(b"%PDF-"):
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() for page in reader.pages)
    return data.decode("utf-8")


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built-in knowledge base whose version, names, titles, summaries, details,
    conditions, sources and contact values all end with the payload."""
    texts = {"name", "title", "summary", "label", "detail", "version", "description", "text"}
    texts |= {"source", "note"}

    def spoil(value: Any, key: str | None = None, parent: Any = None, refs: bool = False) -> Any:
        if isinstance(value, dict):
            return {k: spoil(v, k, value, refs) for k, v in value.items()}
        if isinstance(value, list):
            return [spoil(v, key, parent, refs) for v in value]
        contact_value = key == "value" and "channel" in parent
        reference = refs and key == "source"  # states.yaml: `source` names an id of `sources`
        if isinstance(value, str) and (key in texts or contact_value) and not reference:
            return value + PAYLOAD
        return value

    folder = tmp_path_factory.mktemp("hostile") / "kb"
    folder.mkdir()
    for name in KB_FILES:
        source = builtin_dir() / name
        if "/" in name or not source.exists():
            continue  # translations left out: English is what is checked
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        spoiled = spoil(data, refs=name == "states.yaml")
        (folder / name).write_text(yaml.safe_dump(spoiled, sort_keys=False), encoding="utf-8")
    return folder


# -- answers files: key names, values and notes ----------------------------------------------


@pytest.fixture
def hostile_key(tmp_path: Path) -> Path:
    """The review's fake plan: a key that clears the screen and draws a false emergency line."""
    path = tmp_path / "key.yaml"
    key = PAYLOAD + "\nRisk level: LOW\n1. Call +1 555 0100\n\x1b[8m"
    path.write_text(SCHEMA + yaml.safe_dump({key: 1}), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["plan", "draft", "card"])
def test_a_hostile_key_in_answers_gives_one_inert_error_line(
    command: str, hostile_key: Path
) -> None:
    result = cli(command, hostile_key)
    assert result.exit_code == 1
    assert_inert(result.stderr)
    # One problem, one line: the key's line breaks cannot start lines of their own.
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {hostile_key}:2:")


@pytest.mark.slow
def test_a_hostile_key_in_an_encrypted_answers_file_is_inert_through_open(
    hostile_key: Path, tmp_path: Path
) -> None:
    locked = tmp_path / "key.yaml.age"
    locked.write_bytes(encrypt_passphrase(hostile_key.read_bytes(), "correct horse"))
    passfile = tmp_path / "pass"
    passfile.write_text("correct horse\n", encoding="utf-8")
    result = cli("open", locked, "--passphrase-file", passfile)
    assert result.exit_code == 1
    assert_inert(result.stderr)
    assert result.stderr.count("\n") == 1


def test_hostile_values_in_answers_are_inert_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "values.json"
    data = {"schema": "reprisal-cli/answers/v1", "region": PAYLOAD, "stage": [PAYLOAD]}
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("plan", path)
    assert result.exit_code == 1
    assert_inert(result.stderr)


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_bidi_zero_width_and_tag_characters_in_notes_leave_no_trace_in_the_draft(
    fmt: str, tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    notes = "Held at the border\u200f on\u200e 3\u061c May\u200b\u200d\ufeff\u2060\U000e0041."
    data = {"schema": "reprisal-cli/answers/v1", "consent_share_with_un": "yes", "notes": notes}
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("draft", path, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout)
    assert "Held at the border on 3 May." in result.stdout


# -- file names and paths in messages --------------------------------------------------------


def test_a_hostile_answers_file_name_is_inert_in_the_error(tmp_path: Path) -> None:
    result = cli("plan", tmp_path / f"no{NAME}.yaml")
    assert result.exit_code == 1
    assert_inert(result.stderr)


def test_a_hostile_kb_path_is_inert_in_the_error(tmp_path: Path) -> None:
    result = cli("plan", EXAMPLE, "--kb", tmp_path / f"x{NAME}")
    assert result.exit_code == 3
    assert_inert(result.stderr)


def test_a_hostile_output_name_is_inert_in_the_message(tmp_path: Path) -> None:
    output = tmp_path / f"a\n{NAME}b.md"
    result = cli("plan", EXAMPLE, "-o", output, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert output.exists()
    assert_inert(result.stderr)
    assert result.stderr.count("\n") == 1


def test_a_hostile_output_name_is_inert_when_it_cannot_be_written(tmp_path: Path) -> None:
    output = tmp_path / f"missing{NAME}" / "plan.md"
    result = cli("plan", EXAMPLE, "-o", output, "--as-of", AS_OF)
    assert result.exit_code == 4
    assert_inert(result.stderr)


def test_batch_summary_shows_hostile_input_names_inert(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / f"good{NAME}.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    (inputs / f"bad{NAME}.yaml").write_text(SCHEMA + yaml.safe_dump({PAYLOAD: 1}))
    result = cli("batch", inputs, "-o", tmp_path / "out", "--as-of", AS_OF, "-j", "1")
    assert result.exit_code == 1, result.output
    assert_inert(result.stderr)
    assert "2 cases: 1 ok, 1 failed." in result.stderr


def test_batch_error_records_carry_controls_only_as_json_escapes(tmp_path: Path) -> None:
    record = json.dumps({"schema": "reprisal-cli/answers/v1", "notes": 1, PAYLOAD: 1})
    stream = ("batch", "-", "--format", "jsonl", "-o", "-", "--as-of", AS_OF)
    result = cli(*stream, input=record.encode())
    assert result.exit_code == 1
    assert_inert(result.stderr)
    assert not FORBIDDEN.search(result.stdout.replace("\n", ""))
    assert json.loads(result.stdout)["schema"] == "reprisal-cli/error/v1"


# -- a hostile knowledge base, in every command and format -----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["kb", "list", "organisations"],
        ["kb", "list", "checklists"],
        ["kb", "show", "front_line_defenders"],
        ["kb", "show", "front_line_defenders_phone_emergency"],
        ["kb", "search", "front"],
        ["checklist"],
    ],
    ids=" ".join,
)
def test_kb_listings_of_a_hostile_kb_are_inert(args: list[str], hostile_kb: Path) -> None:
    result = cli(*args, "--kb", hostile_kb)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)


def test_kb_validate_of_a_hostile_kb_is_inert(hostile_kb: Path) -> None:
    result = cli("kb", "validate", hostile_kb, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)


def test_kb_show_keeps_one_value_per_line(hostile_kb: Path) -> None:
    result = cli("kb", "show", "front_line_defenders", "--kb", hostile_kb)
    assert result.exit_code == 0, result.output
    name = next(line for line in result.stdout.splitlines() if line.startswith("  name: "))
    # What is left of the payload: the text of its hyperlink and what its override reversed.
    assert name == "  name: Front Line Defenderslinkgnp.exe"


def test_kb_errors_from_a_hostile_kb_are_inert(hostile_kb: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in hostile_kb.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    questions = broken / "questions.yaml"
    data = yaml.safe_load(questions.read_text(encoding="utf-8"))
    data["questions"][1]["choices"][0]["value"] += PAYLOAD
    questions.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = cli("kb", "validate", broken)
    assert result.exit_code == 3
    assert_inert(result.stderr)


PLAN_TEXT_FORMATS = ["terminal", "md", "txt", "html", "pdf"]


@pytest.mark.parametrize("fmt", PLAN_TEXT_FORMATS)
def test_a_plan_from_a_hostile_kb_is_inert(fmt: str, hostile_kb: Path) -> None:
    result = cli("plan", EXAMPLE, "--kb", hostile_kb, "--format", fmt, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert_inert(shown(result.stdout_bytes))
    assert_inert(result.stderr)


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        *(("card", f) for f in ("txt", "html", "pdf")),
        *(("form", f) for f in ("md", "txt", "html", "pdf")),
        *(("checklist", f) for f in ("md", "txt", "html", "pdf")),
        *(("draft", f) for f in ("md", "txt")),
    ],
)
def test_cards_forms_checklists_and_drafts_from_a_hostile_kb_are_inert(
    command: str, fmt: str, hostile_kb: Path
) -> None:
    given = {"form": [], "checklist": ["document_incident"]}.get(command, [str(EXAMPLE)])
    result = cli(command, *given, "--kb", hostile_kb, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_inert(shown(result.stdout_bytes))


def test_plan_json_from_a_hostile_kb_escapes_c1_and_bidi(hostile_kb: Path) -> None:
    result = cli("plan", EXAMPLE, "--kb", hostile_kb, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    raw = result.stdout
    assert not FORBIDDEN.search(raw.replace("\n", ""))
    # The data read back is the knowledge base's, escapes undone.
    assert "\\u009b" in raw and "\\u202e" in raw and "\\udb40\\udc41" in raw
    assert PAYLOAD in json.loads(raw)["kb"]["version"]


def test_batch_json_from_a_hostile_kb_escapes_c1_and_bidi(hostile_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("batch", EXAMPLE, "--kb", hostile_kb, "-o", out, "--format", "json")
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    raw = written.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(raw.replace("\n", ""))
    assert PAYLOAD in json.loads(raw)["kb"]["version"]


# -- the one function ------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()))  # surrogates included


@given(ANY_TEXT)
def test_clean_lets_no_control_bidi_or_invisible_character_through(text: str) -> None:
    out = clean(text)
    assert FORBIDDEN.search(out.replace("\n", "").replace("\t", "")) is None
    assert not any("\ud800" <= char <= "\udfff" for char in out)
    assert "\n" not in one_line(text)


@given(st.recursive(ANY_TEXT, lambda inner: st.lists(inner) | st.dictionaries(ANY_TEXT, inner)))
def test_json_escape_keeps_the_data_and_shows_no_raw_control(data: Any) -> None:
    document = json.dumps(data, ensure_ascii=False)
    escaped = json_escape(document)
    assert json.loads(escaped) == data
    assert FORBIDDEN.search(escaped) is None
    assert not any("\ud800" <= char <= "\udfff" for char in escaped)
