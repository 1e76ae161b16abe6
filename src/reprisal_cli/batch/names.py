"""Output file names for batch: safe on any file system, unique without regard to case.

A name comes from the case's `case_id` or, without one, from the input's stem. It is lower-cased
(FAT, exFAT, NTFS and macOS disks see `Case` and `case` as one file), reduced to `[a-z0-9._-]`,
never starts with a dot, never is a name Windows reserves (CON, NUL, COM1 ...), and never is the
name of an input file. Collisions get `~2`, `~3` ... in input order, so a re-run gives the same
names. `~` is in no stem: a file named after a case id (or an input's stem) always holds that
case, never another that collided before it (`samecase~2.json` is the second `SameCase`;
`samecase-2.json` the case whose id is `samecase-2`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

MAX_STEM = 100
FALLBACK = "case"
COLLISION = "~"  # never in a stem: see the module's docstring
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{n}" for n in range(10)}
    | {f"lpt{n}" for n in range(10)}
)


def safe_stem(label: str) -> str:
    """`label` as a file stem that cannot leave the output folder or upset a FAT disk."""
    stem = _UNSAFE.sub("_", label.lower())
    stem = stem.lstrip("._").rstrip(". ")[:MAX_STEM].rstrip(".")
    if not stem:
        return FALLBACK
    if stem.split(".", 1)[0] in _RESERVED:
        return f"_{stem}"
    return stem


class Namer:
    """Gives each case its output file name, in input order; never the same name twice.

    Only a name already in the folder when the batch starts can be an input file (the batch
    never reads its output folder), so `is_input` is asked about those alone: a stat per case
    costs more than the rest of the naming while the workers fill the same folder.
    """

    def __init__(self, folder: Path, suffix: str, *, is_input: Callable[[Path], bool]) -> None:
        self.folder = folder
        self.suffix = suffix
        self._is_input = is_input
        self._taken: set[str] = set()
        try:
            with os.scandir(folder) as entries:
                self._existing = {entry.name.lower() for entry in entries}
        except OSError:
            self._existing = set()

    def claim(self, label: str) -> Path:
        """A path in the output folder for `label`, free in this run and not an input file."""
        stem = safe_stem(label)
        candidate = stem
        number = 1
        while True:
            name = f"{candidate}.{self.suffix}"
            if name not in self._taken and not (
                name in self._existing and self._is_input(self.folder / name)
            ):
                self._taken.add(name)
                return self.folder / name
            number += 1
            candidate = f"{stem}{COLLISION}{number}"
