"""Shared fixtures: the built-in knowledge base (loaded once) and the CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from reprisal_cli.kb.loader import KnowledgeBase, builtin_dir, load_kb

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = builtin_dir()

settings.register_profile("ci", derandomize=True, max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
# scripts/mutation: each surviving mutant runs every test that reaches it, so fewer examples.
settings.register_profile("mutation", max_examples=10, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()
