"""Finding the cases of a batch, lazily: files, folders (recursive) and JSON Lines on stdin.

Nothing is read here but folder listings and standard input; a file's bytes are read by the
worker that evaluates it. Order is deterministic: the INPUT arguments in the order given, each
folder walked with its entries sorted by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One case to evaluate: a file to read, or one line of standard input."""

    index: int  # 0-based position in input order
    name: str  # the file as given, or `stdin:LINE`
    stem: str  # names the output when the case has no case_id
    path: str | None = None
    data: bytes | None = None
    line: int | None = None  # the stdin line, which every error on it points to


def is_answers_file(name: str) -> bool:
    """Whether a folder entry is picked up as an answers file."""
    return name.lower().endswith(ANSWERS_SUFFIXES) and not name.startswith(".")


def discover(
    inputs: Iterable[str], stdin: BinaryIO | None, *, skip: Path | None = None
) -> Iterator[Source]:
    """Every case of the batch, in input order, found as they are needed.

    `skip` is the output folder: when it lies inside an INPUT folder, the walk does not enter
    it, or the plans written so far would come back as (invalid) answers files.
    """
    skipped = _identity(skip) if skip is not None else None
    index = 0
    for given in inputs:
        for source in _expand(given, stdin, skipped):
            yield Source(index, source.name, source.stem, source.path, source.data, source.line)
            index += 1


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _expand(
    given: str, stdin: BinaryIO | None, skipped: tuple[int, int] | None
) -> Iterator[Source]:
    if given == STDIN:
        if stdin is not None:
            yield from _stdin_lines(stdin)
        return
    path = Path(given)
    if path.is_dir():
        for found in _walk(path, skipped):
            yield Source(0, found, Path(found).stem, path=found)
    else:
        # A missing or unreadable file fails as its own case, with its reason.
        yield Source(0, given, path.stem, path=given)


def _walk(folder: Path, skipped: tuple[int, int] | None) -> Iterator[str]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        yield str(folder)  # fails as a case that names the folder and why
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            if skipped is None or _identity(Path(entry.path)) != skipped:
                yield from _walk(Path(entry.path), skipped)
        elif is_file and is_answers_file(entry.name):
            yield entry.path


def _stdin_lines(stream: BinaryIO) -> Iterator[Source]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        name = f"stdin:{number}"
        yield Source(0, name, f"stdin-{number}", data=raw, line=number)
