"""Shared fixtures: the built-in knowledge base (loaded once) and the CLI runner."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from reprisal_cli import documents
from reprisal_cli.documents import Document
from reprisal_cli.errors import ReprisalError
from reprisal_cli.kb import loader, snapshot
from reprisal_cli.kb.files import (
    CHECKOUT_SNAPSHOT_ENV,
    FINGERPRINTED,
    builtin_dir,
    hashes_of,
    packaged_dir,
)
from reprisal_cli.kb.loader import KnowledgeBase, load_kb

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = builtin_dir()

settings.register_profile("ci", derandomize=True, max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
# scripts/mutation: each surviving mutant runs every test that reaches it, so fewer examples.
settings.register_profile("mutation", max_examples=10, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_configure(config: pytest.Config) -> None:
    """Before any test, write the built-in knowledge base's snapshot into the checkout's `data/`,
    as the wheel's build hook writes it into an install (kb/snapshot.py). Without it every command
    a test runs as a real process parsed and checked all the YAML files anew, about 0.75 s of a
    `plan` that takes 0.2 s from an install: most of the fast suite's time. The tests then run
    what users run; the YAML path keeps its own tests (a folder given with `--kb`, and
    tests/test_kb_snapshot.py, which checks that the snapshot reads back as the YAML).

    Written once per session, by xdist's controller before its workers start (or by the only
    process), atomically, and left in place (`.gitignore`): a concurrent session writes the same
    bytes (the snapshot is reproducible), and a stale one is never read (its header holds the
    fingerprint of the YAML it was made from). The tool reads it only because the session names
    its sha256 in `REPRISAL_CLI_CHECKOUT_SNAPSHOT` (kb/files.check_builtin). A knowledge base
    that does not load writes none, so its tests see the loader's own errors."""
    if hasattr(config, "workerinput") or builtin_dir() == packaged_dir():
        return
    target = DATA / snapshot.SNAPSHOT
    try:
        built = snapshot.build(loader.load_kb(DATA))
    except ReprisalError:
        target.unlink(missing_ok=True)
        return
    # The tool reads a checkout's snapshot only when told its sha256 (kb/files.check_builtin);
    # the workers and the commands the tests run inherit it.
    os.environ[CHECKOUT_SNAPSHOT_ENV] = hashlib.sha256(built).hexdigest()
    if target.is_file() and target.read_bytes() == built:
        return
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(built)
    partial.replace(target)


@pytest.fixture(scope="session", autouse=True)
def builtin_kb_parsed_once() -> Iterator[None]:
    """The built-in knowledge base is loaded once per test session, as a command loads it once:
    every in-process command (`plan`, `draft`, ...) read it anew (the snapshot `pytest_configure`
    writes, or all the YAML files, about 0.6 s, when there is none). It is kept by the files'
    sha256, so a test that changes a built-in file gets it loaded (and checked) anew; a folder,
    an overlay or an installed copy go to the real loader every time."""
    parsed: dict[tuple[tuple[str, str], ...], KnowledgeBase] = {}
    real = loader.load_kb

    def load_kb_once(
        directory: Path | None = None, *, overlay: Path | None = None
    ) -> KnowledgeBase:
        root = builtin_dir()
        if directory is not None or overlay is not None or root == packaged_dir():
            return real(directory, overlay=overlay)
        key = tuple(sorted(hashes_of(root, FINGERPRINTED).items()))
        if key not in parsed:
            parsed[key] = real()
        return parsed[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "load_kb", load_kb_once)
        yield


@pytest.fixture(scope="session", autouse=True)
def kb_files_parsed_once() -> Iterator[None]:
    """Each knowledge-base file's YAML is parsed once per test session for the same bytes under
    the same name. Many tests copy the built-in knowledge base into a folder and change one file
    (`kb validate`, overlays, hostile files): the loader read and parsed all sixteen files anew,
    about 0.4 s a load, though fifteen were the built-in ones byte for byte. The file is still
    read as the loader reads it (limits, symbolic links, every check after the parse), and the
    parsed data and positions are shared only between files with the same sha256, which parse to
    the same document (under each file's own name): the loader and its checks only read it."""
    parsed: dict[bytes, Document] = {}

    def load_once(
        path: Path, *, max_bytes: int, error: type[ReprisalError], name: str | None = None
    ) -> Document:
        raw = documents.read_bytes(path, max_bytes=max_bytes, error=error)
        label = name or str(path)
        key = hashlib.sha256(raw).digest()
        if key not in parsed:
            parsed[key] = documents.parse(raw, label, error=error)
        # The same data and positions under this file's own name, for its messages.
        return dataclasses.replace(parsed[key], name=label)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "load", load_once)
        yield


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()
