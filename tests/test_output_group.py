"""`output.GroupWriter`, batch's writer: files written under temporary names, made durable in
groups (one syncfs), then renamed. Checked on the real file system: every file whole under its
name, no temporary file left, existing files refused without `force`, a full disk reported per
file, and no file given its name before its group was flushed to disk.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

import pytest

from reprisal_cli.errors import OutputError
from reprisal_cli.output import GroupWriter
from test_safety_files import tmpfs


def payload(index: int) -> bytes:
    return f"plan {index}\n".encode() * (index % 50 + 1)


def test_every_file_whole_under_its_name_and_no_temp_file_left(tmp_path: Path) -> None:
    writer = GroupWriter(group=7)
    futures = [writer.submit(tmp_path / f"c{i}.json", payload(i)) for i in range(100)]
    writer.close()
    for future in futures:
        assert future.result() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"c{i}.json" for i in range(100))
    for i in range(100):
        assert (tmp_path / f"c{i}.json").read_bytes() == payload(i)


def test_a_group_is_committed_after_its_delay_without_a_flush(tmp_path: Path) -> None:
    writer = GroupWriter(group=1000, delay=0.05)
    try:
        future = writer.submit(tmp_path / "one.json", b"{}")
        assert future.result(timeout=30) is None
        assert (tmp_path / "one.json").read_bytes() == b"{}"
    finally:
        writer.close()


def test_flush_commits_what_was_submitted(tmp_path: Path) -> None:
    writer = GroupWriter(group=1000, delay=3600)
    try:
        future = writer.submit(tmp_path / "one.json", b"{}")
        writer.flush()
        assert future.result(timeout=30) is None
    finally:
        writer.close()


def test_an_existing_file_needs_force_and_the_others_are_written(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_bytes(b"precious")
    writer = GroupWriter(group=4)
    kept = writer.submit(tmp_path / "old.json", b"new")
    others = [writer.submit(tmp_path / f"c{i}.json", b"x") for i in range(5)]
    writer.close()
    with pytest.raises(OutputError, match="already exists"):
        kept.result()
    assert all(f.result() is None for f in others)
    assert (tmp_path / "old.json").read_bytes() == b"precious"

    writer = GroupWriter()
    replaced = writer.submit(tmp_path / "old.json", b"new", force=True)
    writer.close()
    assert replaced.result() is None
    assert (tmp_path / "old.json").read_bytes() == b"new"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_missing_folder_fails_that_file_only(tmp_path: Path) -> None:
    writer = GroupWriter()
    lost = writer.submit(tmp_path / "nowhere" / "a.json", b"x")
    fine = writer.submit(tmp_path / "b.json", b"x")
    writer.close()
    with pytest.raises(OutputError, match="the folder does not exist"):
        lost.result()
    assert fine.result() is None


def test_a_full_disk_fails_the_files_that_do_not_fit_and_leaves_no_part(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=64k") as small:
        writer = GroupWriter(group=5)
        futures = [writer.submit(small / f"c{i}.json", bytes(10_000)) for i in range(12)]
        writer.close()
        written, full = [], []
        for i, future in enumerate(futures):
            try:
                future.result()
                written.append(i)
            except OutputError as exc:
                assert "the disk is full" in exc.render()
                full.append(i)
        assert written and full
        assert sorted(p.name for p in small.iterdir()) == sorted(f"c{i}.json" for i in written)
        for i in written:
            assert (small / f"c{i}.json").read_bytes() == bytes(10_000)


def test_no_file_has_its_name_before_its_group_is_flushed(tmp_path: Path) -> None:
    writer = GroupWriter(group=10)
    real = writer._syncfs
    if real is None:
        pytest.skip("no syncfs here: each file is fsynced before its rename")
    seen: list[list[str]] = []

    def watched(folder: Path) -> None:
        # Called once per group, before its renames: no name of this group exists yet.
        seen.append(sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")))
        real(folder)

    writer._syncfs = watched
    futures: list[Future[None]] = []
    for i in range(30):
        futures.append(writer.submit(tmp_path / f"c{i:02d}.json", b"x"))
    writer.close()
    assert all(future.result() is None for future in futures)
    assert seen == [
        [],
        [f"c{i:02d}.json" for i in range(10)],
        [f"c{i:02d}.json" for i in range(20)],
    ]
