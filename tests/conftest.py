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
from reprisal_cli.kb import loader
from reprisal_cli.kb.files import FINGERPRINTED, builtin_dir, hashes_of, packaged_dir
from reprisal_cli.kb.loader import KnowledgeBase, load_kb

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = builtin_dir()

settings.register_profile("ci", derandomize=True, max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
# scripts/mutation: each surviving mutant runs every test that reaches it, so fewer examples.
settings.register_profile("mutation", max_examples=10, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session", autouse=True)
def builtin_kb_parsed_once() -> Iterator[None]:
    """The built-in knowledge base is parsed once per test session, as an install reads it once:
    there `load_kb()` reads the snapshot its build wrote (`kb.snapshot`), but a checkout has none,
    so every in-process command (`plan`, `draft`, ...) parsed all the YAML files anew, about
    0.6 s each, most of the fast suite's time. The parse is kept by the files' sha256, so a test
    that changes a built-in file gets it parsed (and checked) anew; a folder, an overlay or an
    installed copy go to the real loader every time."""
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
