"""Processes a test forked, read from /proc (Linux): shared by the workers' tests and red46's,
and importable by a test's own child interpreter (nothing but the standard library)."""

from __future__ import annotations

import os
from pathlib import Path


def live_children() -> set[int]:
    """This process's children still running or not yet waited for."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.add(int(entry.name))
    return found
