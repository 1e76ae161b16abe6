"""The built-in knowledge base as a validated snapshot, built when the wheel is built.

Parsing and validating the YAML files takes far longer than a command may spend starting up. The
build hook (`hatch_build.py`) loads and checks the shipped files once and pickles the result next to
them, headed by the fingerprint of the files it was made from. At run time the snapshot is used
only when that fingerprint matches the files beside it; any change to them (an edit, a damaged
install) sends the loader back to the YAML, which then also reports the change. Nothing is ever
written on the user's machine.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from reprisal_cli.kb.files import builtin_dir, fingerprint_of
from reprisal_cli.kb.knowledge import KnowledgeBase

SNAPSHOT = "kb.snapshot"
MAGIC = b"reprisal-cli knowledge-base snapshot 1\n"


def build(directory: Path) -> bytes:
    """Validate the knowledge base in `directory` and return its snapshot."""
    from reprisal_cli.kb.loader import load_kb

    kb = dataclasses.replace(load_kb(directory), custom=False, modified=False, source="")
    header = MAGIC + fingerprint_of(directory).encode("ascii") + b"\n"
    return header + pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL)


def read(directory: Path | None = None) -> KnowledgeBase | None:
    """The snapshot of the built-in knowledge base, if there is one and it matches the files."""
    root = directory or builtin_dir()
    path = root / SNAPSHOT
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(MAGIC):
        return None
    line_end = raw.find(b"\n", len(MAGIC))
    fingerprint = raw[len(MAGIC) : line_end].decode("ascii", "replace")
    if line_end < 0 or fingerprint != fingerprint_of(root):
        return None
    try:
        kb = pickle.loads(raw[line_end + 1 :])
    except Exception:
        return None
    if not isinstance(kb, KnowledgeBase):
        return None
    return dataclasses.replace(kb, source=str(root))
