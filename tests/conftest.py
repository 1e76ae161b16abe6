"""Shared fixtures: the built-in knowledge base (loaded once) and the CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

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


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()
