"""No input ends in a traceback (review M1, L3, L13): impossible or unlikely dates, numbers too
long for Python, lone surrogates in JSON and in arguments, very long lines, in answers files and
knowledge bases; each gives one clear error (file, line, field, what is allowed) and the
contract's exit code (1 answers, 2 usage, 3 knowledge base). A reader that stops reading (`| head`)
ends the command quietly. A property: whatever the bytes of an answers file, exit 0 or 1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.contract import ANSWER_KEYS
from reprisal_cli.crypto import encrypt_passphrase
from reprisal_cli.kb.files import builtin_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "honduras_2017.yaml"
AS_OF = "2026-11-25"
SCHEMA = "schema: reprisal-cli/answers/v1\n"
LONG_NUMBER = "9" * 5000  # Python reads at most 4,300 digits

runner = CliRunner()


def cli(*args: str | Path, input: bytes | None = None) -> Any:
    result = runner.invoke(app, [str(a) for a in args], input=input)
    # Anything but a clean exit is a bug: CliRunner keeps the exception instead of a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result


def one_error(result: Any, code: int, *parts: str) -> str:
    """The single error line of `result`, checked: exit `code`, and each of `parts` in it."""
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ")
    first = result.stderr.splitlines()[0]
    for part in parts:
        assert part in first, first
    return str(first)


# -- the property ----------------------------------------------------------------------------

# Values that once crashed, or that sit on an edge, written as they appear in the file.
RAW_JSON = [
    LONG_NUMBER,
    "-" + LONG_NUMBER,
    "1e999999",
    "NaN",
    "-Infinity",
    '"\\ud800"',
    '"a\\udfffb\\ud800"',
    '"2026-02-30"',
    '"0000-01-01"',
    '"2999-12-31"',
    "[" * 80 + "]" * 80,
    '"' + "x" * 5000 + '"',
]
RAW_YAML = [
    "2026-02-30",
    "0000-01-01",
    "0001-01-01",
    "2999-12-31",
    "2017-13-01",
    LONG_NUMBER,
    "!!timestamp 2026-02-30",
    "!!int x",
    "!!float x",
    "!!binary ?",
    '"\\ud800"',
    "&a [*a]",
    "*nowhere",
    "{",
    "'" + "x" * 5000 + "'",
]
KEYS = st.sampled_from(["schema", *ANSWER_KEYS, "\x1b[2J", "\u202e", "x" * 300])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@st.composite
def json_document(draw: st.DrawFn) -> bytes:
    items = draw(st.lists(st.tuples(KEYS, st.sampled_from(RAW_JSON) | JSON_VALUES.map(json.dumps))))
    body = ", ".join(f"{json.dumps(key)}: {value}" for key, value in items)
    return ('{"schema": "reprisal-cli/answers/v1", ' + body + "}").encode()


@st.composite
def yaml_document(draw: st.DrawFn) -> bytes:
    items = draw(st.lists(st.tuples(KEYS, st.sampled_from(RAW_YAML) | st.text(max_size=30))))
    body = "".join(f"{json.dumps(key)}: {value}\n" for key, value in items)
    return (SCHEMA + body).encode("utf-8", "surrogatepass")


ANSWERS_BYTES = (
    st.binary(max_size=500)
    | st.text(max_size=500).map(lambda text: text.encode("utf-8", "surrogatepass"))
    | json_document()
    | yaml_document()
)


def _any_answers_file_exits_0_or_1(data: bytes, command: str) -> None:
    result = cli(command, "-", "--as-of", AS_OF, input=data)
    assert result.exit_code in (0, 1), result.output


# Each example runs a whole command (about 30 ms): the fast suite tries at most the everyday
# count of files, the slow step the profile's own (300 under CI).
_ANY_ANSWERS = given(data=ANSWERS_BYTES, command=st.sampled_from(["plan", "draft"]))
test_any_answers_file_exits_0_or_1_without_a_traceback = settings(
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=min(100, settings.default.max_examples),
)(_ANY_ANSWERS(_any_answers_file_exits_0_or_1))
test_any_answers_file_exits_0_or_1_without_a_traceback_in_depth = pytest.mark.slow(
    settings(suppress_health_check=[HealthCheck.too_slow])(
        _ANY_ANSWERS(_any_answers_file_exits_0_or_1)
    )
)


# -- named cases: answers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2026-02-30", "is not a date that exists"),
        ("2017-13-01", "is not a date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000-01-01", "is before 1945"),
        ("0001-01-01", "is before 1945"),
        ("2999-01-01", "is in the future"),
        ("2999-01", "is in the future"),
    ],
)
@pytest.mark.parametrize("written", ["yaml", "yaml quoted", "json"])
def test_an_impossible_incident_date_names_the_file_line_and_field(
    date: str, why: str, written: str, tmp_path: Path
) -> None:
    if written == "json":
        path = tmp_path / "a.json"
        path.write_text(json.dumps({"schema": "reprisal-cli/answers/v1", "incident_date": date}))
        where = f"{path} incident_date: "  # JSON documents carry no line numbers
    else:
        path = tmp_path / "a.yaml"
        value = f"'{date}'" if written == "yaml quoted" else date
        path.write_text(SCHEMA + f"incident_date: {value}\n")
        where = f"{path}:2:1 incident_date: "
    one_error(cli("plan", path), 1, where, why)


def test_a_possible_incident_date_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(SCHEMA + "incident_date: 2024-02-29\n")
    assert cli("plan", path, "--format", "json", "--as-of", AS_OF).exit_code == 0


@pytest.mark.parametrize("key", ["immediate_danger", "incident_date", "region"])
@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_number_too_long_for_python_names_the_field(
    key: str, suffix: str, tmp_path: Path
) -> None:
    path = tmp_path / f"a.{suffix}"
    if suffix == "json":
        path.write_text(f'{{"schema": "reprisal-cli/answers/v1", "{key}": {LONG_NUMBER}}}')
    else:
        path.write_text(SCHEMA + f"{key}: {LONG_NUMBER}\n")
    line = one_error(cli("plan", path), 1, f"{key}: '999")
    assert len(line) < 300


@pytest.mark.parametrize("kind", ["plan", "answers"])
@pytest.mark.slow
def test_open_of_an_encrypted_file_with_a_number_too_long_names_the_field(
    kind: str, tmp_path: Path
) -> None:
    if kind == "plan":
        plan = cli("plan", EXAMPLE, "--format", "json", "--as-of", AS_OF).stdout
        text = plan.replace('"priority": 1', f'"priority": {LONG_NUMBER}', 1)
        expected = ("holds a plan that is not valid: steps.0.priority",)
    else:
        text = SCHEMA + f"immediate_danger: {LONG_NUMBER}\n"
        expected = ("immediate_danger: '999",)
    locked = tmp_path / "file.age"
    locked.write_bytes(encrypt_passphrase(text, "correct horse"))
    passfile = tmp_path / "pass"
    passfile.write_text("correct horse\n")
    one_error(cli("open", locked, "--passphrase-file", passfile, "-f", "md"), 1, *expected)


@pytest.mark.parametrize("command", ["plan", "draft", "card"])
@pytest.mark.parametrize("field", ["notes", "case_id"])
def test_a_lone_surrogate_in_json_is_refused(command: str, field: str, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    data = {"schema": "reprisal-cli/answers/v1", "consent_share_with_un": "yes", field: "a\ud800b"}
    path.write_text(json.dumps(data))  # written as "a\ud800b"
    one_error(cli(command, path), 1, f"{path} {field}: ", "lone surrogate")


def test_a_lone_surrogate_in_a_json_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"schema": "reprisal-cli/answers/v1", "\\udc80": 1}')
    one_error(cli("plan", path), 1, str(path), "lone surrogate")


def test_batch_refuses_a_bad_record_and_writes_the_others(tmp_path: Path) -> None:
    records = [
        f'{{"schema": "reprisal-cli/answers/v1", "immediate_danger": {LONG_NUMBER}}}',
        '{"schema": "reprisal-cli/answers/v1", "notes": "a\\ud800b"}',
        '{"schema": "reprisal-cli/answers/v1", "incident_date": "2017-02-30"}',
        '{"schema": "reprisal-cli/answers/v1", "region": "americas"}',
    ]
    stream = ("batch", "-", "--format", "jsonl", "-o", "-", "--as-of", AS_OF)
    result = cli(*stream, input="\n".join(records).encode())
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["schema"] for o in out] == ["reprisal-cli/error/v1"] * 3 + ["reprisal-cli/plan/v1.1"]
    assert [o["error"]["key"] for o in out[:3]] == ["immediate_danger", "notes", "incident_date"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("key.json", json.dumps({"schema": "reprisal-cli/answers/v1", "k" * 200_000: 1})),
        ("value.json", json.dumps({"schema": "reprisal-cli/answers/v1", "region": "r" * 200_000})),
        ("schema.json", json.dumps({"schema": "s" * 200_000})),
        ("key.yaml", SCHEMA + "k" * 200_000 + ": 1\n"),
        ("notes.yaml", SCHEMA + "notes: " + "n" * 200_000 + "\n"),
        ("case.yaml", SCHEMA + "case_id: " + "c" * 200_000 + "\n"),
    ],
)
def test_a_very_long_line_gives_a_short_error(name: str, text: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = cli("plan", path)
    assert result.exit_code == 1
    assert len(result.stderr) < 1000


# -- named cases: knowledge bases ------------------------------------------------------------


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(
        builtin_dir(), folder, ignore=shutil.ignore_patterns("MANIFEST.json", "*.pickle")
    )
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "command", [("kb", "validate", "{kb}"), ("plan", str(EXAMPLE), "--kb", "{kb}")]
)
def test_a_kb_date_that_does_not_exist_exits_3_with_its_place(
    command: tuple[str, ...], kb_copy: Path
) -> None:
    edit(kb_copy / "organisations.yaml", "source_date: 2019-02-25", "source_date: 2019-02-30")
    args = [a.format(kb=kb_copy) for a in command]
    one_error(cli(*args), 3, "organisations.yaml:", "source_date", "2019-02-30")


def test_a_kb_contact_verified_on_the_last_day_python_knows_is_no_crash(kb_copy: Path) -> None:
    path = kb_copy / "organisations.yaml"
    path.write_text(
        path.read_text()
        .replace("date: 2023-10-20", "date: 9999-12-31")
        .replace("source_date: 2023-10-20", "source_date: 9999-12-31")
    )
    for args in (("kb", "validate", kb_copy), ("plan", EXAMPLE, "--kb", kb_copy)):
        result = cli(*args, "--as-of", AS_OF)
        assert result.exit_code in (0, 3), result.output  # 3 once future dates are refused


def test_a_kb_number_too_long_for_python_exits_3(kb_copy: Path) -> None:
    edit(kb_copy / "kb.yaml", "stale_after_months: 12", f"stale_after_months: {LONG_NUMBER}")
    one_error(cli("kb", "validate", kb_copy), 3, "kb.yaml:", "stale_after_months")


# -- arguments, pipes and help ---------------------------------------------------------------


def run(
    *args: str | bytes, stdout: int | None = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    """The real command in a process of its own (arguments as bytes reach it as they are)."""
    env = {**os.environ, "PYTHONUTF8": "0", "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "reprisal_cli", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((b"plan", b"\xff.yaml"), 1),
        ((b"plan", str(EXAMPLE).encode(), b"--as-of", b"\xff"), 2),
        ((b"plan", str(EXAMPLE).encode(), b"--kb", b"\xff"), 3),
        ((b"kb", b"show", b"\xff"), 3),
        ((b"kb", b"search", b"\xff"), 1),
        ((b"checklist", b"\xff"), 2),
    ],
)
def test_undecodable_bytes_in_arguments_give_a_clean_error(
    args: tuple[bytes, ...], code: int
) -> None:
    result = run(*args)
    assert result.returncode == code, result.stderr
    assert b"Traceback" not in result.stderr


# A file name that is not UTF-8 (byte 0xff) is "\udcff" to Python, and 0xff again on disk.
UNDECODABLE = "\udcff"


def test_an_undecodable_output_name_is_written_and_reported(tmp_path: Path) -> None:
    target = tmp_path / f"{UNDECODABLE}.md"
    result = run("plan", str(EXAMPLE), "--as-of", AS_OF, "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert b"Traceback" not in result.stderr


def test_an_undecodable_input_name_is_valid_json_in_the_batch_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / f"{UNDECODABLE}.yaml")
    report = tmp_path / "report.json"
    result = run("batch", str(folder), "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.returncode == 0, result.stderr
    (case,) = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert case["input"].endswith(f"/{UNDECODABLE}.yaml")


@pytest.mark.parametrize(
    "args",
    [
        ("kb", "search", "the"),
        ("kb", "list", "organisations"),
        ("kb", "show", "front_line_defenders"),
        ("kb", "validate"),
        ("checklist",),
        ("plan", "examples/honduras_2017.yaml", "--format", "md", "--as-of", AS_OF),
        ("plan", "examples/honduras_2017.yaml", "--format", "pdf", "--as-of", AS_OF),
    ],
    ids=" ".join,
)
def test_a_reader_that_stops_reading_ends_the_command_quietly(args: tuple[str, ...]) -> None:
    # The reading end is closed before the command writes: its first write meets a broken pipe.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""


def test_plan_help_lists_every_format_plan_accepts() -> None:
    from reprisal_cli.cli.plan import plan_formats

    result = cli("plan", "--help")
    help_text = " ".join(result.stdout.split())
    line = help_text.split("--format", 1)[1].split("(default", 1)[0]
    for fmt in plan_formats():
        assert fmt in line, line
