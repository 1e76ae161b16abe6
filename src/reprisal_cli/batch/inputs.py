"""Finding the cases of a batch, lazily: files, folders (recursive) and JSON Lines on stdin.

Nothing is read here but folder listings and standard input; a file's bytes are read by the
worker that evaluates it. Order is deterministic: the INPUT arguments in the order given, each
folder walked with its entries sorted by name.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")
ENCRYPTED_SUFFIX = ".age"
STDIN = "-"
LINE_LIMIT = 1024 * 1024  # one JSON Lines record; `plan -` reads 256 KiB at most
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Source:
    """One case to evaluate: a file to read, or one line of standard input."""

    index: int  # 0-based position in input order
    name: str  # the file as given, or `stdin:LINE`
    stem: str  # names the output when the case has no case_id
    path: str | None = None
    data: bytes | None = None
    line: int | None = None  # the stdin line, which every error on it points to
    # Why this entry is not read at all (a link, a FIFO, a line too long): it fails as a case.
    problem: str | None = None
    # Found inside a folder: a symbolic link put there since the folder was listed is refused.
    in_folder: bool = False


def is_answers_file(name: str, *, encrypted: bool = False) -> bool:
    """Whether a folder entry is picked up as an answers file (with `encrypted`, a `.age` file
    too: a case file, or answers saved encrypted)."""
    suffixes = (*ANSWERS_SUFFIXES, ENCRYPTED_SUFFIX) if encrypted else ANSWERS_SUFFIXES
    return name.lower().endswith(suffixes) and not name.startswith(".")


def discover(
    inputs: Iterable[str],
    stdin: BinaryIO | None,
    *,
    skip: Path | None = None,
    skip_file: Path | None = None,
    encrypted: bool = False,
    unread: list[str] | None = None,
) -> Iterator[Source]:
    """Every case of the batch, in input order, found as they are needed.

    `skip` is the output folder: when it lies inside an INPUT folder, the walk does not enter
    it, or the plans written so far would come back as (invalid) answers files; `skip_file`
    (the report) is not picked up from a folder either. With `encrypted`, folders also give
    their `.age` files; without, each one found in a folder is added to `unread` (as it is
    walked), for the batch to say it made no plan for them.
    """
    skipped = _Skipped(
        _identity(skip) if skip is not None else None,
        _identity(skip_file) if skip_file is not None else None,
    )
    for index, source in enumerate(
        found for given in inputs for found in _expand(given, stdin, skipped, encrypted, unread)
    ):
        yield dataclasses.replace(source, index=index)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


@dataclass(frozen=True, slots=True)
class _Skipped:
    """What the walk leaves out: the output folder, and the report (by device and inode)."""

    folder: tuple[int, int] | None
    file: tuple[int, int] | None

    def is_file(self, entry: os.DirEntry[str]) -> bool:
        if self.file is None or entry.inode() != self.file[1]:  # the inode costs no stat
            return False
        return _identity(Path(entry.path)) == self.file


def input_folder_of(inputs: Iterable[str], out_dir: Path) -> str | None:
    """The INPUT folder that is `out_dir` itself, or None. Its own files are walked (only a
    folder below an INPUT folder is skipped), so plans written there as `.json` would be read
    back as answers files on the next run."""
    target = _identity(out_dir)
    if target is None:
        return None
    for given in inputs:
        if given != STDIN and Path(given).is_dir() and _identity(Path(given)) == target:
            return given
    return None


def _expand(
    given: str,
    stdin: BinaryIO | None,
    skipped: _Skipped,
    encrypted: bool,
    unread: list[str] | None = None,
) -> Iterator[Source]:
    if given == STDIN:
        if stdin is not None:
            yield from _stdin_lines(stdin)
        return
    path = Path(given)
    if path.is_dir():
        yield from _walk(path, skipped, encrypted=encrypted, unread=unread)
    else:
        # A missing or unreadable file fails as its own case, with its reason.
        yield Source(0, given, path.stem, path=given)


LINK = "is a symbolic link: not followed (copy the file itself into the folder)"
NOT_A_FILE = "is not a regular file (a FIFO, a device or a socket): not read"
FOLDER = "is a folder named like an answers file: not read"


def _walk(
    top: Path,
    skipped: _Skipped,
    *,
    encrypted: bool = False,
    unread: list[str] | None = None,
) -> Iterator[Source]:
    """The answers files under `top`, depth first, each folder's entries in name order.

    With a stack of its own rather than recursion: a folder nested a thousand deep is walked
    like any other. Symbolic links are never followed (a folder from someone else could point
    at any file this user can read); a link, a FIFO or a folder named like an answers file is
    reported as a failed case rather than skipped without a word.
    """
    stack: list[Iterator[os.DirEntry[str]]] = []
    if (listing := _listing(top)) is None:
        yield Source(0, str(top), top.stem, path=str(top))  # fails, naming the folder and why
        return
    stack.append(listing)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        looks_like_answers = is_answers_file(entry.name, encrypted=encrypted)
        try:
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            is_file = not is_link and entry.is_file(follow_symlinks=False)
        except OSError:
            continue
        # A case file with nothing to open it: not read, but never left out without a word (a
        # skipped case kept its old plan, made before its consent was withdrawn: red35).
        if (
            unread is not None
            and not (encrypted or is_dir or looks_like_answers)
            and is_answers_file(entry.name, encrypted=True)
        ):
            unread.append(entry.path)
        problem = None
        if is_link:
            if looks_like_answers or _points_to_folder(entry):
                problem = LINK
        elif is_dir and looks_like_answers:
            problem = FOLDER
        elif is_dir:
            if skipped.folder is None or _identity(Path(entry.path)) != skipped.folder:
                listing = _listing(Path(entry.path))
                if listing is None:
                    yield Source(0, entry.path, entry.name, path=entry.path)
                else:
                    stack.append(listing)
            continue
        elif looks_like_answers and not is_file:
            problem = NOT_A_FILE
        if problem is not None:
            yield Source(0, entry.path, Path(entry.name).stem, problem=problem)
        elif is_file and looks_like_answers and not skipped.is_file(entry):
            yield Source(0, entry.path, Path(entry.name).stem, path=entry.path, in_folder=True)


def _listing(folder: Path) -> Iterator[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as it:
            return iter(sorted(it, key=lambda e: e.name))
    except OSError:
        return None


def _points_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _stdin_lines(stream: BinaryIO) -> Iterator[Source]:
    """One source per non-blank line, each read `LINE_LIMIT` bytes at most: a longer line fails
    as its own case, the rest of it read and dropped, never held."""
    number = 0
    while raw := stream.readline(LINE_LIMIT + 1):
        number += 1
        name = f"stdin:{number}"
        if len(raw) > LINE_LIMIT and not raw.endswith(b"\n"):
            while (rest := stream.readline(LINE_LIMIT)) and not rest.endswith(b"\n"):
                pass
            problem = f"is longer than the limit of {LINE_LIMIT // 1024} KiB for one line"
            yield Source(0, name, f"stdin-{number}", line=number, problem=problem)
            continue
        raw = raw.removeprefix(BOM)  # as in a file: a BOM at its start is not part of it
        if not raw.strip():
            continue
        yield Source(0, name, f"stdin-{number}", data=raw, line=number)
