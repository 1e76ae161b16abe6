"""A copy of the built-in knowledge base to edit in a test: `kb validate` on a changed file, a
custom knowledge base, a key removed."""

from __future__ import annotations

import shutil
from pathlib import Path

from reprisal_cli.kb.files import KB_FILES, builtin_dir


def copy_builtin_kb(target: Path) -> Path:
    """Every knowledge-base file the built-in one has, copied under `target`."""
    for name in KB_FILES:
        if (builtin_dir() / name).exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(builtin_dir() / name, target / name)
    return target
