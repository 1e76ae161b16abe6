"""`reprisal-cli batch`: through the CLI runner (and a real subprocess for the pipeline), on real
files and folders: mixed good and bad cases, JSON Lines in and out, safe and unique names,
unwritable outputs, --fail-fast, --report, and byte-identical outputs on re-runs and across
--jobs."""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from reprisal_cli.answers import parse_answers
from reprisal_cli.batch import REPORT_SCHEMA, safe_stem
from reprisal_cli.batch.inputs import discover
from reprisal_cli.cli import app
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.render.json import plan_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
AS_OF = "2026-11-25"
SCHEMA = "schema: reprisal-cli/answers/v1\n"
BAD_REGION = SCHEMA + "region: mars\n"

runner = CliRunner()


def batch(*args: str, stdin: str | None = None) -> object:
    return runner.invoke(app, ["batch", *args, "--as-of", AS_OF], input=stdin)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def jsonl(obj: dict[str, object]) -> str:
    return json.dumps(obj) + "\n"


def answers(**keys: object) -> dict[str, object]:
    return {"schema": "reprisal-cli/answers/v1", **keys}


def test_mixed_good_and_bad_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for example in EXAMPLES[:3]:
        shutil.copy(example, cases / example.name)
    write(cases / "sub" / "bad_region.yaml", BAD_REGION)
    write(cases / "sub" / "typo.json", '{"schema": "reprisal-cli/answers/v1", "regoin": "x"}')
    write(cases / "broken.yml", "schema: [unclosed\n")
    write(cases / "readme.txt", "not an answers file: ignored")
    out = tmp_path / "out"

    result = batch(str(cases), "-o", str(out))

    assert result.exit_code == 1, result.output
    assert sorted(tree(out)) == ["bahrain-2012.json", "burundi-2016.json", "china-2017.json"]
    lines = {line.split()[1]: line for line in result.stderr.splitlines()[1:-1]}
    assert "'mars' is not one of" in lines[str(cases / "sub" / "bad_region.yaml")]
    assert "unknown key 'regoin'" in lines[str(cases / "sub" / "typo.json")]
    assert "invalid YAML" in lines[str(cases / "broken.yml")]
    assert lines[str(cases / "china_2017.yaml")].startswith("ok")
    assert result.stderr.splitlines()[-1] == "6 cases: 3 ok, 3 failed."
    assert "readme" not in result.stderr


def test_written_plan_is_the_plan_commands_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert batch(*map(str, EXAMPLES), "-o", str(out)).exit_code == 0
    for example in EXAMPLES:
        single = runner.invoke(app, ["plan", str(example), "--format", "json", "--as-of", AS_OF])
        case_id = parse_answers(example.read_bytes(), "x").case_id or example.stem
        assert (out / f"{case_id}.json").read_bytes() == single.stdout_bytes, example.name


def test_fast_json_matches_the_renderer_on_synthetic_cases(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from batch import synthetic_case  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    rng = random.Random(3)
    folder = tmp_path / "in"
    expected: dict[str, str] = {}
    for index in range(60):
        doc = synthetic_case(rng, index)
        write(folder / f"{index}.json", json.dumps(doc))
        plan = evaluate(parse_answers(json.dumps(doc), "x"), kb, as_of=_date())
        expected[f"{doc['case_id']}.json"] = plan_json(plan)
    out = tmp_path / "out"
    assert batch(str(folder), "-o", str(out), "--jobs", "2").exit_code == 0
    assert {k: v.decode() for k, v in tree(out).items()} == expected


def test_batch_json_is_the_plan_json_in_every_example() -> None:
    # batch serialises with orjson, `plan --format json` with the standard library: the same bytes.
    from reprisal_cli.answers import load_answers
    from reprisal_cli.batch import run
    from reprisal_cli.kb.loader import load_kb

    kb = load_kb()
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        plan = evaluate(load_answers(example), kb, as_of=_date(), lang="fr")
        expected = plan_json(plan).encode()
        assert run.plan_bytes(plan, indent=2) == expected
        compact = run.plan_bytes(plan, indent=None)
        assert json.loads(compact) == json.loads(expected)
        assert compact.count(b"\n") == 1 and compact.endswith(b"\n")


def test_only_the_plan_itself_has_aliased_fields() -> None:
    # batch's fast JSON (plan_bytes) renames the top level only: a nested alias would need it
    # to change, and would show here first.
    import dataclasses

    from reprisal_cli.engine import plan as plan_module

    for value in vars(plan_module).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__name__ != "Plan":
            assert not any("alias" in f.metadata for f in dataclasses.fields(value)), value


def _date() -> object:
    import datetime as dt

    return dt.date.fromisoformat(AS_OF)


def test_stdin_json_lines_to_a_stream_with_error_records_in_order() -> None:
    lines = [
        jsonl(answers(case_id="first", region="africa")),
        "\n",
        jsonl(answers(region="mars")),
        "schema: not-json\n",
        jsonl(answers(case_id="last")),
    ]
    result = batch("-", "-o", "-", "--format", "jsonl", stdin="".join(lines))

    assert result.exit_code == 1, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["schema"] for r in records] == [
        "reprisal-cli/plan/v1.1",
        "reprisal-cli/error/v1",
        "reprisal-cli/error/v1",
        "reprisal-cli/plan/v1.1",
    ]
    assert records[0]["case_id"] == "first"
    assert records[1] == {
        "schema": "reprisal-cli/error/v1",
        "input": "stdin:3",
        "error": {
            "code": "value",
            "message": records[1]["error"]["message"],
            "line": 3,
            "key": "region",
        },
    }
    assert "'mars' is not one of" in records[1]["error"]["message"]
    assert records[2]["input"] == "stdin:4"
    assert records[2]["error"]["line"] == 4
    assert records[3]["case_id"] == "last"
    assert "stdin:3" in result.stderr and "stdin:4" in result.stderr


def test_stdin_json_lines_to_files_named_after_the_line(tmp_path: Path) -> None:
    stream = jsonl(answers(case_id="Named")) + jsonl(answers())
    result = batch("-", "-o", str(tmp_path / "out"), stdin=stream)
    assert result.exit_code == 0, result.output
    assert sorted(tree(tmp_path / "out")) == ["named.json", "stdin-2.json"]


def test_jsonl_stream_keeps_input_order_in_parallel_through_a_real_pipe() -> None:
    stream = "".join(
        jsonl(answers(case_id=f"c{n:03d}", region="africa") if n % 7 else answers(region=n))
        for n in range(120)
    )
    script = Path(sys.executable).with_name("reprisal-cli")
    argv = [str(script), "batch", "-", "-o", "-", "--format", "jsonl", "--jobs", "2"]
    done = subprocess.run(
        [*argv, "--as-of", AS_OF], input=stream.encode(), capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 120
    for n, record in enumerate(records):
        if n % 7:
            assert record["case_id"] == f"c{n:03d}"
        else:
            assert record["input"] == f"stdin:{n + 1}"
    assert done.stderr.decode().count("FAILED") == 18
    assert "\x1b" not in done.stderr.decode()  # no progress bar when stderr is not a terminal


def test_name_collisions_are_resolved_in_input_order(tmp_path: Path) -> None:
    one = write(tmp_path / "a" / "one.yaml", SCHEMA + "case_id: same\n")
    two = write(tmp_path / "b" / "two.yaml", SCHEMA + "case_id: same\n")
    three = write(tmp_path / "c" / "same-2.yaml", SCHEMA)
    out = tmp_path / "out"
    result = batch(str(two), str(one), str(three), "-o", str(out), "--report", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r").read_text())
    assert [(r["input"], Path(r["output"]).name) for r in report["results"]] == [
        (str(two), "same.json"),
        (str(one), "same~2.json"),
        (str(three), "same-2.json"),  # named after its stem: no collision took that name
    ]


def test_names_that_differ_only_in_case_collide(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    write(cases / "Case.yaml", SCHEMA + "region: africa\n")
    write(cases / "case.yaml", SCHEMA + "region: americas\n")
    write(cases / "x.yaml", SCHEMA + "case_id: CASE\n")
    out = tmp_path / "out"
    result = batch(str(cases), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert sorted(tree(out)) == ["case.json", "case~2.json", "case~3.json"]
    assert json.loads((out / "case.json").read_text())["kb"]  # Case.yaml sorts first
    assert json.loads((out / "case~3.json").read_text())["case_id"] == "CASE"


def test_an_output_never_overwrites_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    source = write(folder / "a.json", json.dumps(answers(region="africa")))
    before = source.read_bytes()
    first = batch(str(source), "-o", str(folder))  # the folder itself: refused (test below)
    assert first.exit_code == 0, first.output
    assert sorted(tree(folder)) == ["a.json", "a~2.json"]
    again = batch(str(source), "-o", str(folder), "--force")  # a~2.json: replaced, not a.json
    assert again.exit_code == 0, again.output
    assert source.read_bytes() == before
    assert sorted(tree(folder)) == ["a.json", "a~2.json"]
    assert json.loads((folder / "a~2.json").read_text())["schema"] == "reprisal-cli/plan/v1.1"


def test_existing_outputs_need_force(tmp_path: Path) -> None:
    case = write(tmp_path / "one.yaml", SCHEMA)
    out = tmp_path / "out"
    assert batch(str(case), "-o", str(out)).exit_code == 0
    again = batch(str(case), "-o", str(out))
    assert again.exit_code == 4
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert batch(str(case), "-o", str(out), "--force").exit_code == 0


@pytest.mark.parametrize(
    ("label", "stem"),
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..", "case"),
        (".hidden", "hidden"),
        ("a/../../b", "a_.._.._b"),
        ("CON", "_con"),
        ("nul.tar", "_nul.tar"),
        ("com1", "_com1"),
        ("Ünïcode case", "n_code_case"),
        ("", "case"),
        ("x" * 300, "x" * 100),
    ],
)
def test_safe_stem(label: str, stem: str) -> None:
    assert safe_stem(label) == stem


def test_traversal_and_reserved_stems_stay_in_the_output_folder(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    inputs = [
        write(cases / "...yaml", SCHEMA),
        write(cases / "CON.yaml", SCHEMA),
        write(cases / ".hidden.yaml", SCHEMA),  # a dot file, given by name
    ]
    out = tmp_path / "deep" / "out"
    result = batch(*map(str, inputs), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(tree(out)) == ["_con.json", "case.json", "hidden.json"]
    assert sorted(p.name for p in tmp_path.rglob("*.json")) == sorted(tree(out))


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` unwritable for real, even for root (a read-only bind mount, else the
    immutable attribute); as another user, a plain chmod does."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    for on, off in (
        (["mount", "--bind", "-o", "ro", str(folder), str(folder)], ["umount", str(folder)]),
        (["chattr", "+i", str(folder)], ["chattr", "-i", str(folder)]),
    ):
        if (
            shutil.which(on[0])
            and subprocess.run(on, check=False, capture_output=True).returncode == 0
        ):
            try:
                yield
            finally:
                subprocess.run(off, check=True)
            return
    pytest.skip("cannot make a folder read-only for root here")


def test_unwritable_output_folder_exits_4_and_reports_every_case(tmp_path: Path) -> None:
    good = [write(tmp_path / f"case{n}.yaml", SCHEMA) for n in range(3)]
    bad = write(tmp_path / "bad.yaml", BAD_REGION)
    out = tmp_path / "out"
    out.mkdir()
    with read_only(out):
        probe = out / "probe"
        with pytest.raises(OSError):
            probe.write_text("x")
        result = batch(*map(str, [*good, bad]), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 4, result.output
    assert list(out.iterdir()) == []
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 4
    for path in good:
        assert any(str(path) in line and "cannot be written" in line for line in failed)
    assert result.stderr.splitlines()[-1] == "4 cases: 0 ok, 4 failed."


def test_one_unwritable_output_does_not_stop_the_others(tmp_path: Path) -> None:
    cases = [write(tmp_path / f"{name}.yaml", SCHEMA) for name in ("a", "b", "c")]
    out = tmp_path / "out"
    (out / "b.json").mkdir(parents=True)  # a folder where b's plan would go
    result = batch(*map(str, cases), "-o", str(out))
    assert result.exit_code == 4, result.output
    assert sorted(tree(out)) == ["a.json", "c.json"]
    assert "not a regular file" in result.stderr


def test_fail_fast_stops_at_the_first_failure(tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        cases = tmp_path / jobs
        write(cases / "a.yaml", SCHEMA)
        write(cases / "b.yaml", BAD_REGION)
        for name in "cdefghijk":
            write(cases / f"{name}.yaml", SCHEMA)
        out = tmp_path / f"out{jobs}"
        result = batch(str(cases), "-o", str(out), "--fail-fast", "--jobs", jobs)
        assert result.exit_code == 1, result.output
        assert sorted(tree(out)) == ["a.json"]
        assert "2 cases: 1 ok, 1 failed (stopped at the first failure" in result.stderr


def test_fail_fast_stops_at_the_first_output_that_cannot_be_written(tmp_path: Path) -> None:
    cases = [write(tmp_path / f"{name}.yaml", SCHEMA) for name in "abcd"]
    out = tmp_path / "out"
    (out / "b.json").mkdir(parents=True)
    result = batch(*map(str, cases), "-o", str(out), "--fail-fast")
    assert result.exit_code == 4, result.output
    assert sorted(tree(out)) == ["a.json"]


def test_report_json(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", SCHEMA + "case_id: G1\n")
    bad = write(tmp_path / "bad.yaml", BAD_REGION)
    report = tmp_path / "report.json"
    result = batch(str(good), str(bad), "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.exit_code == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["schema"] == REPORT_SCHEMA
    assert (data["exit_code"], data["cases"], data["ok"], data["failed"]) == (1, 2, 1, 1)
    ok, failed = data["results"]
    assert ok == {"input": str(good), "status": "ok", "output": str(tmp_path / "out" / "g1.json")}
    assert failed["input"] == str(bad) and failed["status"] == "failed"
    assert failed["error"]["code"] == "value"
    assert (failed["error"]["line"], failed["error"]["key"]) == (2, "region")
    assert failed["error"]["exit_code"] == 1


# One format in the fast suite; the others (the same code path, another renderer) in the slow step.
@pytest.mark.parametrize(
    "fmt", ["txt", *(pytest.param(f, marks=pytest.mark.slow) for f in ("json", "md", "html"))]
)
def test_reruns_and_jobs_give_byte_identical_outputs(tmp_path: Path, fmt: str) -> None:
    outputs = {}
    for name, jobs in (("first", "1"), ("again", "1"), ("parallel", "2")):
        out = tmp_path / name
        result = batch(*map(str, EXAMPLES), "-o", str(out), "--format", fmt, "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs[name] = tree(out)
    assert len(outputs["first"]) == len(EXAMPLES)
    assert all(name.endswith(f".{fmt}") for name in outputs["first"])
    assert outputs["first"] == outputs["again"] == outputs["parallel"]


def test_redact_names_files_from_inputs_and_drops_the_case_id(tmp_path: Path) -> None:
    example = ROOT / "examples" / "china_2017.yaml"
    out = tmp_path / "out"
    assert batch(str(example), "-o", str(out), "--redact").exit_code == 0
    assert sorted(tree(out)) == ["china_2017.json"]
    assert json.loads((out / "china_2017.json").read_text())["case_id"] is None


@pytest.mark.parametrize(
    "args",
    [
        ["x.yaml", "-o", "-"],
        ["x.yaml", "-o", "out", "--format", "jsonl"],
        ["x.yaml", "-o", "out", "--format", "docx"],
        ["-", "-", "-o", "-", "--format", "jsonl"],
        ["x.yaml", "-o", "out", "--jobs", "0"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert batch(*args).exit_code == 2


def test_a_broken_knowledge_base_exits_3_before_any_case(tmp_path: Path) -> None:
    case = write(tmp_path / "one.yaml", SCHEMA)
    (tmp_path / "kb").mkdir()
    result = batch(str(case), "-o", str(tmp_path / "out"), "--kb", str(tmp_path / "kb"))
    assert result.exit_code == 3
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    import pexpect

    script = str(Path(sys.executable).with_name("reprisal-cli"))
    args = ["batch", *map(str, EXAMPLES), "-o", str(tmp_path / "out"), "--as-of", AS_OF]
    child = pexpect.spawn(script, args, encoding="utf-8", timeout=120, dimensions=(24, 120))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert f"{len(EXAMPLES)} cases, 0 failed" in child.before  # the bar's last state
    quiet = pexpect.spawn(script, [*args, "--force", "--quiet"], encoding="utf-8", timeout=120)
    quiet.expect(pexpect.EOF)
    quiet.close()
    assert quiet.exitstatus == 0
    assert quiet.before.strip() == ""


def test_a_closed_stream_stops_the_batch_with_exit_4(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("reprisal-cli")
    stream = write(tmp_path / "in.jsonl", jsonl(answers()) * 3000)
    argv = [str(script), "batch", "-", "-o", "-", "--format", "jsonl", "--as-of", AS_OF]
    with stream.open("rb") as stdin:
        proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait() == 4
    # One line, from the one error boundary; no "Exception ignored" from a second flush at exit.
    assert re.fullmatch(rb"error: standard output was closed: stopped after \d+ cases\n", err), err


def test_an_output_folder_inside_an_input_folder_is_not_read_back(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    for name in "abcdefgh":
        write(cases / f"{name}.yaml", SCHEMA)
    out = cases / "plans"
    for jobs in ("1", "2"):
        result = batch(str(cases), "-o", str(out), "--jobs", jobs, "--force")
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines()[-1] == "8 cases: 8 ok, 0 failed."


def test_force_replaces_the_json_plans_of_an_output_folder_inside_an_input_folder(
    tmp_path: Path,
) -> None:
    """`batch cases -o cases/plans --format json --force` a second time wrote `a~2.json` beside
    `a.json` (noticed 2026-12-05): the plans already there were taken for answers files of the
    input folder, which --force never replaces, though the batch never reads that folder. Now
    they are replaced, as --force says, and the report beside the cases is not read back
    either."""
    cases = tmp_path / "cases"
    for name in "abc":
        write(cases / f"{name}.yaml", SCHEMA)
    out = cases / "plans"
    report = cases / "report.json"
    for as_of in ("2026-11-24", "2026-11-25"):
        result = runner.invoke(
            app,
            ["batch", str(cases), "-o", str(out), "--format", "json", "--force", "--report",
             str(report), "--as-of", as_of],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.stderr.splitlines()[-1] == "3 cases: 3 ok, 0 failed.", result.stderr
        assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json", "c.json"]
        assert all(json.loads(p.read_bytes())["as_of"] == as_of for p in out.iterdir())


def test_the_output_folder_of_json_plans_cannot_be_an_input_folder(tmp_path: Path) -> None:
    """`batch cases -o cases --format json` put the plans among the answers files: the next run
    read every plan as a broken answers file (8 FAILED, exit 1) and wrote `a~2.json` beside
    `a.json`. Refused before anything runs (exit 2), with the way out; plans in another format
    cannot be taken for answers files and may go there."""
    cases = tmp_path / "cases"
    write(cases / "a.yaml", SCHEMA)
    result = batch(str(cases), "-o", str(cases), "--format", "json")
    assert result.exit_code == 2, result.output
    assert "would be read as answers files" in result.stderr
    assert "plans" in result.stderr  # the hint names a folder of their own
    assert sorted(p.name for p in cases.iterdir()) == ["a.yaml"]
    result = batch(str(cases), "-o", str(cases), "--format", "md")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in cases.iterdir()) == ["a.md", "a.yaml"]


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in task.read_text().split()]
    return found


def _running_batch(tmp_path: Path, cases: int) -> subprocess.Popen[bytes]:
    """A real `batch --jobs 2` on `cases` cases, once both its workers have started."""
    stream = write(tmp_path / "in.jsonl", jsonl(answers(region="africa")) * cases)
    script = Path(sys.executable).with_name("reprisal-cli")
    argv = [str(script), "batch", "-", "-o", str(tmp_path / "out"), "--jobs", "2", "-q"]
    with stream.open("rb") as stdin:
        proc = subprocess.Popen(
            [*argv, "--as-of", AS_OF], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    deadline = time.monotonic() + 60  # a loaded machine: the knowledge base is parsed first
    while time.monotonic() < deadline:
        if len(_children(proc.pid)) >= 2:
            return proc
        time.sleep(0.01)
    proc.kill()
    raise AssertionError("the batch started no workers")


def _ended(proc: subprocess.Popen[bytes]) -> bytes:
    """The batch's standard error once it ended; a batch still running after two minutes is
    killed (its workers die with it), not left behind, and the test fails as a hang."""
    try:
        return proc.communicate(timeout=120)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("the batch did not end within 120 s: a hang") from None


_threads_at_fork: list[int] = []
_watching_forks: list[bool] = []


def _count_threads_at_fork() -> None:
    if _watching_forks:
        _threads_at_fork.append(threading.active_count())


os.register_at_fork(before=_count_threads_at_fork)


def test_workers_are_forked_before_the_batch_starts_a_thread(tmp_path: Path) -> None:
    # Forking a process with threads can deadlock the child (a lock held by a thread that does
    # not exist there): the workers must be started while the writer's thread does not exist.
    for n in range(40):
        write(tmp_path / "in" / f"c{n}.yaml", SCHEMA + "region: africa\n")
    assert threading.active_count() == 1
    _watching_forks.append(True)
    try:
        result = batch(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "2")
    finally:
        _watching_forks.clear()
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").iterdir())) == 40
    assert _threads_at_fork == [1, 1]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_a_killed_worker_ends_the_batch_with_exit_4_not_a_hang(tmp_path: Path) -> None:
    proc = _running_batch(tmp_path, 20_000)
    os.kill(_children(proc.pid)[0], signal.SIGKILL)
    err = _ended(proc)
    assert proc.returncode == 4, err.decode()
    assert b"a worker process stopped before it finished its cases" in err
    assert b"Traceback" not in err
    out = tmp_path / "out"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_stops_the_batch_with_exit_130_and_no_half_written_file(tmp_path: Path) -> None:
    proc = _running_batch(tmp_path, 20_000)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    err = _ended(proc)
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    out = tmp_path / "out"
    written = list(out.iterdir())
    assert not [p.name for p in written if p.name.endswith(".tmp")]
    for plan in written:  # every name that exists holds a whole plan
        assert json.loads(plan.read_bytes())["schema"] == "reprisal-cli/plan/v1.1"


def _slow_reader() -> object:
    def read(item: int) -> int:
        time.sleep(0.5)  # a file locked with a passphrase takes about a second to open
        return item

    return read


_BIG_RESULTS = """
import sys, time
from reprisal_cli.workers import Workers

def big():
    return lambda item: b"x" * 30_000_000  # a result far larger than a pipe's buffer

if __name__ == "__main__":
    for _ in range(3):
        results = Workers(2, big, (), chunksize=1, lost="items").run(range(40))
        next(results)
        began = time.monotonic()
        results.close()  # as Ctrl-C does: the workers are ended while they send results
        print(round(time.monotonic() - began, 2), flush=True)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_stopping_workers_while_they_send_results_does_not_hang(tmp_path: Path) -> None:
    """Ctrl-C on a large `batch` hung about one time in three (2026-12-04): a worker ended in
    the middle of sending a result left the pool's thread waiting for the rest of it, and the
    shutdown waiting for that thread."""
    script = tmp_path / "big.py"
    script.write_text(_BIG_RESULTS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert all(float(t) < 10 for t in done.stdout.split()), done.stdout


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_stopping_the_workers_does_not_wait_for_the_chunks_they_hold() -> None:
    """Red team red25: Ctrl-C (or SIGTERM) during `followup` over a caseload locked with a
    passphrase took over a minute to end: the pool waited for the workers, which ignore Ctrl-C,
    to open every file of the chunks already handed to them."""
    from reprisal_cli.workers import Workers

    pool: Workers[int, int] = Workers(2, _slow_reader, (), chunksize=16, lost="items")
    processes = list(pool._pool._processes.values())  # type: ignore[attr-defined]
    results = pool.run(range(200))
    assert next(results) == 0
    began = time.monotonic()
    results.close()  # as an interrupt in the reader does
    assert time.monotonic() - began < 4  # 16 items a chunk, two chunks ahead: 8 s and more
    for process in processes:
        process.join(timeout=5)
        assert not process.is_alive()


def test_case_files_in_a_folder_without_a_key_are_named_counted_and_reported(
    tmp_path: Path,
) -> None:
    """red35: a folder of answers files and case files, without --identity: the case files
    are not read (nothing opens them), but each is named on standard error (also with
    --quiet), counted with how to read them, and listed in the report under `skipped`."""
    folder = tmp_path / "cases"
    write(folder / "good.yaml", SCHEMA + "case_id: G1\n")
    write(folder / "one.age", "not read")
    write(folder / "sub" / "two.AGE", "not read")
    write(folder / ".hidden.age", "a hidden file is never picked up")
    (folder / "dir.age").mkdir()
    report = tmp_path / "report.json"
    for quiet in ((), ("-q",)):
        result = batch(
            str(folder), "-o", str(tmp_path / "out"), "--report", str(report), "--force", *quiet
        )
        assert result.exit_code == 0, result.output
        said = result.output
        assert "1 case: 1 ok, 0 failed" in said or quiet
        assert f"skipped  {folder / 'one.age'}" in said
        assert f"skipped  {folder / 'sub' / 'two.AGE'}" in said
        assert "hidden" not in said and "dir.age" not in said
        assert "Not read: 2 case files (*.age)" in said
        assert "--identity KEYFILE or --passphrase-file FILE" in said
        data = json.loads(report.read_text(encoding="utf-8"))
        assert (data["exit_code"], data["cases"], data["ok"]) == (0, 1, 1)
        assert data["skipped"]["case_files"] == 2
        assert data["skipped"]["inputs"] == [str(folder / "one.age"), str(folder / "sub/two.AGE")]
        assert "--identity" in data["skipped"]["reason"]


def test_a_report_without_skipped_case_files_has_no_skipped_key(tmp_path: Path) -> None:
    """The report of a batch that left nothing out is as before (batch-report/v1)."""
    report = tmp_path / "report.json"
    good = write(tmp_path / "in" / "good.yaml", SCHEMA + "case_id: G1\n")
    result = batch(str(good.parent), "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert "skipped" not in json.loads(report.read_text(encoding="utf-8"))
    assert "skipped  " not in result.output and "Not read" not in result.output


@pytest.mark.parametrize("content", ["case files", "nothing", "other files"])
def test_folders_with_no_case_to_read_are_a_usage_error(tmp_path: Path, content: str) -> None:
    """red35: a folder of case files without a key (or an empty folder, or one without an
    answers file) gave "0 cases", exit 0; now exit 2, as `followup` does, saying what was
    found and how to read it, and the output folder it would have made is not left behind."""
    folder = tmp_path / "cases"
    folder.mkdir()
    if content == "case files":
        write(folder / "one.age", "not read")
        write(folder / "two.age", "not read")
    elif content == "other files":
        write(folder / "notes.txt", "not a case")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    result = batch(str(folder), "-o", str(out), "--report", str(report))
    assert result.exit_code == 2, result.output
    assert "no case found in the folders given" in result.output
    assert "Traceback" not in result.output
    if content == "case files":
        assert "2 case files (*.age) were found: give --identity KEYFILE" in result.output
    else:
        assert "In a folder, batch reads the answers files" in result.output
    assert not out.exists() and not report.exists()


def test_an_empty_stream_is_still_zero_cases_not_an_error() -> None:
    """Standard input that holds no line is a pipeline with nothing to do this time."""
    result = batch("-", "-o", "-", "--format", "jsonl", stdin="")
    assert result.exit_code == 0, result.output


NAMES = st.tuples(
    st.sampled_from(["", "sub/", "sub/deeper/", "other/"]),
    st.sampled_from(["a", "b", ".hidden", "c d"]),
    st.sampled_from([".yaml", ".json", ".age", ".AGE", ".txt", ""]),
)


@given(st.sets(NAMES, max_size=12), st.booleans())
def test_no_case_file_in_a_folder_is_left_out_without_a_word(
    names: set[tuple[str, str, str]], keyed: bool
) -> None:
    """The rule of red35 over any tree: each *.age file in a folder (not hidden) is either a
    case of the batch (a key was given) or in `unread` (none was); never neither, never both;
    and nothing else is ever in `unread`."""
    with tempfile.TemporaryDirectory() as top:
        root = Path(top)
        for folder, stem, suffix in names:
            write(root / f"{folder}{stem}{suffix}", "x")
        unread: list[str] = []
        cases = {s.path for s in discover([top], None, encrypted=keyed, unread=unread)}
        age = {
            str(root / f"{folder}{stem}{suffix}")
            for folder, stem, suffix in names
            if suffix.lower() == ".age" and not stem.startswith(".")
        }
        assert len(unread) == len(set(unread))
        if keyed:
            assert unread == [] and age <= cases
        else:
            assert set(unread) == age and not age & cases


@pytest.mark.parametrize("locale", ["fr_FR.UTF-8", "es_ES.UTF-8", "ru_RU.UTF-8", "ar_EG.UTF-8",
                                    "zh_CN.UTF-8"])  # fmt: skip
def test_the_summary_of_skipped_case_files_is_in_the_readers_language(
    tmp_path: Path, locale: str
) -> None:
    """The summary table said "status input output / reason", "skipped", "case file: not read
    without --identity KEYFILE..." and "1 cases: 1 ok, 0 failed." in English whatever the
    language, and its last line (exit 0) did not say that case files were left unread (noticed
    2026-12-05): a caseworker reading it takes the batch for complete. The table and the total
    are in the reader's language and the total says how many files were NOT read; the report's
    `skipped.reason` stays the English machine text."""
    from reprisal_cli.i18n import translations

    folder = tmp_path / "cases"
    write(folder / "good.yaml", SCHEMA + "case_id: G1\n")
    write(folder / "one.age", "not read")
    report = tmp_path / "report.json"
    env = {"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    for quiet in ((), ("-q",)):
        result = runner.invoke(
            app,
            ["batch", str(folder), "-o", str(tmp_path / "out"), "--report", str(report),
             "--force", "--as-of", AS_OF, *quiet],
            env=env,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        said = result.stderr
        for english in ("output / reason", "skipped ", "not read without", "cases:", " ok, "):
            assert english not in said, (english, said)
        tr = translations(locale[:2])
        unread = tr.ngettext(
            "; {n} case file NOT read (skipped)", "; {n} case files NOT read (skipped)", 1
        ).format(n=1)
        assert unread in said, said
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["skipped"]["reason"].startswith("case file: not read without --identity")


def test_the_total_says_how_many_case_files_were_not_read(tmp_path: Path) -> None:
    """In English too, the last line says it ("1 case: 1 ok, 0 failed; 2 case files NOT read
    (skipped)."), with --quiet as well: a batch that left files unread is not complete."""
    folder = tmp_path / "cases"
    write(folder / "good.yaml", SCHEMA + "case_id: G1\n")
    write(folder / "one.age", "not read")
    write(folder / "two.age", "not read")
    for quiet in ((), ("-q",)):
        result = batch(str(folder), "-o", str(tmp_path / "out"), "--force", *quiet)
        assert result.exit_code == 0, result.output
        total = "1 case: 1 ok, 0 failed; 2 case files NOT read (skipped)."
        assert total in result.stderr.splitlines(), result.stderr


def test_a_signal_that_reaches_a_worker_before_it_starts_prints_no_traceback(
    tmp_path: Path,
) -> None:
    """Under load the pool stopped a worker (SIGTERM, when another was lost) before its
    initializer had run: it ran the handler it was forked with, the main process's, which raises
    KeyboardInterrupt, and a traceback reached the user (2026-12-05). Here each worker sends
    itself SIGTERM the instant it is forked; the signal waits until the worker has its own
    handling, and the batch ends with its message alone."""
    stream = write(tmp_path / "in.jsonl", jsonl(answers(region="africa")) * 50)
    code = (
        "import os, signal, sys\n"
        "os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGTERM))\n"
        "from reprisal_cli.cli import main\n"
        "sys.argv[0] = 'reprisal-cli'\n"
        "main()\n"
    )
    argv = [sys.executable, "-c", code, "batch", "-", "-o", str(tmp_path / "out"), "--jobs", "2"]
    with stream.open("rb") as stdin:
        proc = subprocess.run(
            [*argv, "-q", "--as-of", AS_OF],
            stdin=stdin,
            capture_output=True,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 4, proc.stderr.decode()
    assert b"a worker process stopped before it finished its cases" in proc.stderr
    assert b"Traceback" not in proc.stderr
    assert b"KeyboardInterrupt" not in proc.stderr
