"""Hostile batches (security review of 2026-12-02, issue 19): a record that crashes a parser, an
endless line, a folder full of links, FIFOs and a thousand levels of folders, and a batch killed
with `kill -9` or stopped with SIGTERM. One bad case fails alone; nothing outlives the batch, no
plan is left on disk under a hidden name, and no file outside the input folders is read."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.cli import app

AS_OF = "2026-11-25"
SCHEMA = "schema: reprisal-cli/answers/v1\n"
SECRET = "root:$6$not-for-your-eyes:20228:0:99999:7:::"
LINUX = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")

runner = CliRunner()


def batch(*args: str, stdin: str | bytes | None = None) -> object:
    return runner.invoke(app, ["batch", *args, "--as-of", AS_OF], input=stdin)


def record(**keys: object) -> str:
    return json.dumps({"schema": "reprisal-cli/answers/v1", **keys}) + "\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stream_records(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


# -- one bad case fails alone (M2, M7, L7) ----------------------------------------------------


def test_a_record_that_crashes_the_parser_fails_alone() -> None:
    # 5,000 digits: Python's int() limit, which the JSON parser ran into in the worker.
    huge = '{"schema":"reprisal-cli/answers/v1","incident_date":' + "9" * 5000 + "}\n"
    stdin = record(case_id="before") + huge + record(case_id="after")
    result = batch("-", "--format", "jsonl", "-o", "-", stdin=stdin)
    assert result.exit_code == 1, result.output
    first, bad, last = stream_records(result.stdout)
    assert first["case_id"] == "before" and last["case_id"] == "after"
    assert bad["schema"] == "reprisal-cli/error/v1" and bad["input"] == "stdin:2"
    assert "Traceback" not in result.stderr


def test_a_bad_record_among_files_in_workers_leaves_the_other_plans_written(
    tmp_path: Path,
) -> None:
    cases = tmp_path / "cases"
    for n in range(40):
        write(cases / f"c{n:02d}.yaml", SCHEMA + f"case_id: c{n:02d}\n")
    write(cases / "c20-bad.json", '{"schema":"reprisal-cli/answers/v1","notes":' + "9" * 5000 + "}")
    out = tmp_path / "out"
    result = batch(str(cases), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert len(list(out.iterdir())) == 40
    assert "worker process stopped" not in result.stderr


def test_an_endless_line_fails_as_its_own_case_and_the_next_is_read() -> None:
    stdin = b"{" + b"a" * (3 * 1024 * 1024) + b"\n" + record(case_id="next").encode()
    result = batch("-", "--format", "jsonl", "-o", "-", stdin=stdin)
    assert result.exit_code == 1, result.output
    long, following = stream_records(result.stdout)
    assert long["input"] == "stdin:1"
    assert "longer than the limit of 1024 KiB" in long["error"]["message"]  # type: ignore[index]
    assert following["case_id"] == "next"


def test_a_record_with_a_bom_is_read_like_a_file_with_one() -> None:
    result = batch("-", "--format", "jsonl", "-o", "-", stdin="\ufeff" + record(case_id="bom"))
    assert result.exit_code == 0, result.output
    assert stream_records(result.stdout)[0]["case_id"] == "bom"


# -- what a folder may hold (M10, M16, L6) -----------------------------------------------------


def test_links_in_an_input_folder_are_refused_and_never_read(tmp_path: Path) -> None:
    secret = write(tmp_path / "elsewhere" / "shadow", SECRET + "\n")
    cases = tmp_path / "cases"
    write(cases / "real.yaml", SCHEMA)
    (cases / "shadow.yaml").symlink_to(secret)
    (cases / "linked_folder").symlink_to(secret.parent, target_is_directory=True)
    report = tmp_path / "report.json"
    result = batch(str(cases), "-o", str(tmp_path / "out"), "--report", str(report))
    assert result.exit_code == 1, result.output
    assert SECRET[:10] not in result.stderr
    assert SECRET[:10] not in report.read_text()
    failed = {
        r["input"]: r["error"]["message"]
        for r in json.loads(report.read_text())["results"]
        if r["status"] == "failed"
    }
    assert set(failed) == {str(cases / "shadow.yaml"), str(cases / "linked_folder")}
    assert all("symbolic link" in message for message in failed.values())


def test_links_in_a_custom_knowledge_base_are_refused_and_never_read(tmp_path: Path) -> None:
    import shutil

    from reprisal_cli.kb.loader import builtin_dir

    secret = write(tmp_path / "elsewhere" / "shadow", SECRET + "\n")
    custom = tmp_path / "kb"
    shutil.copytree(builtin_dir(), custom)
    (custom / "organisations.yaml").unlink()
    (custom / "organisations.yaml").symlink_to(secret)
    done = runner.invoke(app, ["kb", "validate", str(custom)])
    assert done.exit_code == 3, done.output
    assert "organisations.yaml: is a symbolic link" in done.output
    assert SECRET[:10] not in done.output

    overlay = tmp_path / "add"
    overlay.mkdir()
    (overlay / "contacts.yaml").symlink_to(secret)
    case = write(tmp_path / "case.yaml", SCHEMA)
    done = runner.invoke(app, ["plan", str(case), "--kb-add", str(overlay), "--format", "json"])
    assert done.exit_code == 3, done.output
    assert "contacts.yaml: is a symbolic link" in done.output
    assert SECRET[:10] not in done.output


def test_links_fifos_and_folders_named_like_answers_are_reported(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    write(cases / "good.yaml", SCHEMA)
    (cases / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    os.mkfifo(cases / "pipe.yaml")
    (cases / "folder.yaml").mkdir()
    result = batch(str(cases), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == "4 cases: 1 ok, 3 failed."
    rows = {line.split()[1]: line for line in result.stderr.splitlines()[1:-1]}
    assert "symbolic link" in rows[str(cases / "dangling.yaml")]
    assert "not a regular file" in rows[str(cases / "pipe.yaml")]
    assert "folder" in rows[str(cases / "folder.yaml")]


def test_a_file_swapped_for_a_link_after_the_listing_is_not_followed(tmp_path: Path) -> None:
    from reprisal_cli.documents import read_bytes
    from reprisal_cli.errors import AnswersError

    link = tmp_path / "case.yaml"
    link.symlink_to(write(tmp_path / "shadow", SECRET))
    with pytest.raises(AnswersError, match="symbolic link"):
        read_bytes(link, max_bytes=1024, error=AnswersError, follow_symlinks=False)


def test_a_folder_a_thousand_levels_deep_is_walked(tmp_path: Path) -> None:
    top = tmp_path / "deep"
    top.mkdir()
    folder = top
    for _ in range(1100):  # one level at a time: os.makedirs itself recurses
        folder = folder / "d"
        folder.mkdir()
    write(folder / "a.yaml", SCHEMA + "case_id: deepest\n")
    try:
        result = batch(str(top), "-o", str(tmp_path / "out"))
        assert "RecursionError" not in result.output
        assert result.stderr.splitlines()[-1] == "1 case: 1 ok, 0 failed.", result.output
        assert (tmp_path / "out" / "deepest.json").exists()
    finally:  # bottom up: pytest's own clean-up (shutil.rmtree) recurses, and would fail
        (folder / "a.yaml").unlink()
        while folder != top:
            folder.rmdir()
            folder = folder.parent


# -- names (L5) and workers (L11) --------------------------------------------------------------


def test_a_file_named_after_a_case_id_holds_that_case(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    for name in "abc":
        write(cases / f"{name}.yaml", SCHEMA + "case_id: SameCase\n")
    write(cases / "d.yaml", SCHEMA + "case_id: samecase-2\n")
    out = tmp_path / "out"
    result = batch(str(cases), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads((out / "samecase-2.json").read_text())["case_id"] == "samecase-2"
    assert sorted(p.name for p in out.iterdir()) == [
        "samecase-2.json",
        "samecase.json",
        "samecase~2.json",
        "samecase~3.json",
    ]


_forks: list[int] = []


def _count_fork() -> None:
    _forks.append(1)


os.register_at_fork(before=_count_fork)


def test_jobs_are_bounded_by_cores_and_by_the_work_there_is(tmp_path: Path) -> None:
    from reprisal_cli.batch import default_jobs

    one = write(tmp_path / "one.yaml", SCHEMA)
    _forks.clear()
    assert batch(str(one), "-o", str(tmp_path / "a"), "--jobs", "5000").exit_code == 0
    assert _forks == []  # one case: no worker at all

    for n in range(100):
        write(tmp_path / "many" / f"c{n}.yaml", SCHEMA)
    _forks.clear()
    result = batch(str(tmp_path / "many"), "-o", str(tmp_path / "b"), "--jobs", "5000")
    assert result.exit_code == 0, result.output
    assert 0 < len(_forks) <= default_jobs()


# -- kills and signals (M3, M4, L8, L10) -------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in task.read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def _start(tmp_path: Path, cases: int = 20_000) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A real `batch --jobs 2 --format md` writing plans, and its two workers."""
    stream = write(tmp_path / "in.jsonl", record(region="africa", case_id="x") * cases)
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "reprisal_cli", "batch", "-", "-o", str(out), "-q"]
    with stream.open("rb") as stdin:
        proc = subprocess.Popen(
            [*argv, "--jobs", "2", "--format", "md", "--as-of", AS_OF],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until both workers run and plans are being written
        workers = _children(proc.pid)
        if len(workers) >= 2 and out.is_dir() and len(list(out.iterdir())) > 300:
            return proc, workers
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("the batch did not get going")


@pytest.mark.slow
@LINUX
def test_kill_9_leaves_no_worker_and_no_plan_under_a_hidden_name(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    time.sleep(2)
    assert not [pid for pid in workers if _alive(pid)]
    assert _hidden(tmp_path / "out") == []


@pytest.mark.slow
@LINUX
def test_sigterm_is_ctrl_c_exit_130_and_the_count_is_what_is_on_disk(tmp_path: Path) -> None:
    proc, workers = _start(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err
    out = tmp_path / "out"
    assert _hidden(out) == []
    on_disk = len(list(out.iterdir()))
    assert err.decode().strip().splitlines()[-1] == f"Interrupted after {on_disk} cases."
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]


def test_a_rerun_removes_what_a_killed_batch_staged_and_keeps_a_live_ones(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = write(out / f".reprisal-{dead}-0badc0de-7.tmp", "a plan, in the clear")
    live = write(out / f".reprisal-{os.getpid()}-0badc0de-8.tmp", "being written")
    case = write(tmp_path / "case.yaml", SCHEMA)
    assert batch(str(case), "-o", str(out)).exit_code == 0
    assert not stale.exists()
    assert live.exists()


def test_staging_with_names_where_files_cannot_be_nameless(tmp_path: Path) -> None:
    # vfat or NFS (a USB stick, a share): no O_TMPFILE; files are staged under names then.
    from reprisal_cli.output import GroupWriter

    writer = GroupWriter(group=3)
    writer._anonymous = False
    futures = [writer.submit(tmp_path / f"c{i}.json", b"x" * i) for i in range(7)]
    writer.close()
    assert all(f.result() is None for f in futures)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"c{i}.json" for i in range(7))


@pytest.mark.parametrize("force", [False, True])
def test_a_single_output_has_no_name_until_it_is_whole_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    # `plan -o`, `open -o`: the review left `.plan.md.<hex>.tmp` behind by killing the process
    # during its fsync. Look at the folder at that moment: only what was there before.
    from reprisal_cli import output

    if not output._anonymous_files():
        pytest.skip("no O_TMPFILE here: the temporary file has a name")
    target = tmp_path / "plan.md"
    if force:
        target.write_text("old")
    seen: list[list[str]] = []
    real = os.fsync

    def watched(fd: int) -> None:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        real(fd)

    monkeypatch.setattr(os, "fsync", watched)
    output.write_atomic(target, "the plan", force=force)
    monkeypatch.undo()
    assert seen[0] == (["plan.md"] if force else [])
    assert target.read_text() == "the plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.md"]
