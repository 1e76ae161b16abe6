"""Hostile files (issue 8, point 6): answers files built to hurt (alias bombs, deep nesting, a
100 MB file, binary, invalid UTF-8) and output paths that are not plain files (a symbolic link,
/dev/full, a FIFO, a full disk, a read-only folder). Each ends in one clear line and the contract's
exit code, quickly, with no traceback and no partial file; the answers loader never raises
anything but `AnswersError`, whatever it is fed.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reprisal_cli.answers import MAX_ANSWERS_BYTES, Answers, parse_answers
from reprisal_cli.contract import ANSWER_KEYS
from reprisal_cli.errors import AnswersError
from test_safety_support import AS_OF, cli, write_answers


def one_error_line(done: subprocess.CompletedProcess[bytes]) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# -- hostile answers files ---------------------------------------------------------------------


def alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        refs = ", ".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return ("schema: reprisal-cli/answers/v1\n" + "\n".join(lines) + "\n").encode()


HOSTILE_FILES = {
    "alias_bomb.yaml": alias_bomb(),
    "deep.yaml": b"notes: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
    "deep_block.yaml": b"".join(b"  " * i + b"- \n" for i in range(2_000)),
    "deep.json": b'{"notes": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "binary.yaml": bytes(range(256)) * 8,
    "latin1.yaml": "schema: reprisal-cli/answers/v1\nnotes: café\n".encode("latin-1"),
    "overlong.yaml": b"schema: reprisal-cli/answers/v1\nnotes: \xc0\xaf\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_answers_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE_FILES[name])
    started = time.monotonic()
    done = cli("plan", path, "--as-of", AS_OF, cwd=tmp_path)
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    assert str(path) in one_error_line(done)
    assert done.stdout == b""


def test_a_100_mb_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"schema: reprisal-cli/answers/v1\nnotes: ")
        handle.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written or read
    started = time.monotonic()
    done = cli("plan", path, cwd=tmp_path)
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    assert "larger than the limit" in one_error_line(done)

    # the same from standard input: read up to the limit and no further
    big = b"schema: reprisal-cli/answers/v1\nnotes: " + b"x" * (8 * MAX_ANSWERS_BYTES)
    piped = cli("plan", "-", stdin=big, cwd=tmp_path)
    assert piped.returncode == 1
    assert "larger than the limit" in one_error_line(piped)


def test_fifo_and_folder_as_answers(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    done = cli("plan", fifo, cwd=tmp_path, timeout=30)  # must not block waiting for a writer
    assert done.returncode == 1
    assert "not a regular file" in one_error_line(done)


@pytest.mark.parametrize(
    "case_id", ["../../etc/passwd", "-rf", ".hidden", "a" * 65, "caf\u00e9", "x\x1b[2Jy", ""]
)
def test_case_id_outside_the_pattern_is_refused(tmp_path: Path, case_id: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "schema: reprisal-cli/answers/v1\ncase_id: " + json.dumps(case_id) + "\n", encoding="utf-8"
    )
    done = cli("plan", path, cwd=tmp_path)
    assert done.returncode == 1
    line = one_error_line(done)
    assert "case_id" in line and "\x1b" not in line


# -- hostile output paths ----------------------------------------------------------------------


def refused(tmp_path: Path, target: Path, *extra: str) -> str:
    answers = write_answers(tmp_path, "in.yaml")
    listing = sorted(p.name for p in target.parent.iterdir()) if target.parent.is_dir() else None
    done = cli("plan", answers, "--format", "pdf", "-o", target, *extra, cwd=tmp_path, timeout=60)
    assert done.returncode == 4, done.stderr
    line = one_error_line(done)
    if listing is not None:  # no temp file left behind
        assert sorted(p.name for p in target.parent.iterdir()) == listing
    return line


def test_output_symlink_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.pdf"
    link.symlink_to(elsewhere)
    assert "symbolic link" in refused(tmp_path, link, "--force")
    assert elsewhere.read_text(encoding="utf-8") == "precious"
    assert link.is_symlink()


def test_output_device_is_refused(tmp_path: Path) -> None:
    assert "not a regular file" in refused(tmp_path, Path("/dev/full"), "--force")


def test_output_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(tmp_path, fifo, "--force")


def test_output_under_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert "not a folder" in refused(tmp_path, tmp_path / "file" / "out.pdf")


@contextlib.contextmanager
def tmpfs(where: Path, options: str) -> Iterator[Path]:
    """A real small tmpfs (needs root); the test is skipped where mounting is not permitted."""
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()}): needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_full_disk(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=64k") as small:
        filler = small / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as handle:
            handle.write(b"\0" * (60 * 1024))
        line = refused(tmp_path, small / "plan.pdf")
        assert "the disk is full" in line
        assert sorted(p.name for p in small.iterdir()) == ["filler"]


def test_read_only_folder(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=64k") as ro:
        assert "read-only" in refused(tmp_path, ro / "plan.pdf")


# -- the loader, fuzzed --------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "undecided", "self", "africa", "2017", "2017-13-45", "x"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.one_of(st.sampled_from(["schema", *ANSWER_KEYS]), st.text(max_size=12))
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=8).map(
    lambda d: {"schema": "reprisal-cli/answers/v1", **d} if len(d) % 2 else d
)


def _check(raw: bytes | str) -> None:
    try:
        result = parse_answers(raw, "fuzz")
    except AnswersError as exc:
        assert exc.render()
    else:
        assert isinstance(result, Answers)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_fuzz_yaml_documents(doc: dict[str, object]) -> None:
    _check(yaml.safe_dump(doc, allow_unicode=True))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_fuzz_json_documents(doc: dict[str, object]) -> None:
    _check(json.dumps(doc))


@given(st.binary(max_size=400))
def test_fuzz_bytes(raw: bytes) -> None:
    _check(raw)


@given(st.text(alphabet=st.sampled_from(list("{}[]:,-&*!|>'\"#%@` \n\tab01yes")), max_size=80))
def test_fuzz_yaml_syntax(text: str) -> None:
    _check(text)


def test_batch_goes_on_after_an_output_failure(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for case in ("one", "two", "three", "four"):
        write_answers(inputs, f"{case}.yaml", case_id=case)
    plans = tmp_path / "plans"
    plans.mkdir()
    os.mkfifo(plans / "two.json")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("precious", encoding="utf-8")
    (plans / "three.json").symlink_to(elsewhere)
    done = cli("batch", inputs, "-o", plans, "-q", "--force", "--as-of", AS_OF, timeout=120)
    assert done.returncode == 4, done.stderr
    err = done.stderr.decode()
    assert "Traceback" not in err and "two.yaml" in err and "three.yaml" in err
    assert sorted(p.name for p in plans.iterdir()) == [
        "four.json",
        "one.json",
        "three.json",
        "two.json",
    ]  # the two good plans written, nothing half-written, no temp file
    assert json.loads((plans / "four.json").read_text(encoding="utf-8"))["case_id"] == "four"
    assert elsewhere.read_text(encoding="utf-8") == "precious"
