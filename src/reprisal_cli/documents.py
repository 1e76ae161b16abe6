"""Reading YAML and JSON documents safely, keeping where each value was written.

Knowledge-base files and answers files both come through here. Whatever the bytes, the result is
either plain data (dicts, lists, scalars) with a way to find the line and column of any value,
or one `ReprisalError` naming the file and the place: never a traceback, a hang or an
exponential blow-up.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reprisal_cli.errors import Problem, ReprisalError
from reprisal_cli.positions import MAX_DEPTH, PathPart, Position

__all__ = [
    "MAX_DEPTH",
    "Document",
    "PathPart",
    "Position",
    "format_path",
    "json_int",
    "load",
    "parse",
    "read_bytes",
]


@dataclass
class Document:
    """Parsed data plus the positions of its values, for error messages."""

    name: str
    data: Any
    _positions: dict[int, dict[PathPart, Position]] = field(default_factory=dict, repr=False)
    _root: Position | None = None

    def locate(self, path: Sequence[PathPart]) -> Position | None:
        """Line and column of the value at `path` (or of its nearest ancestor that was found)."""
        found = self._root
        node = self.data
        for part in path:
            marks = self._positions.get(id(node))
            if marks is None or part not in marks:
                break
            found = marks[part]
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return found

    def problem(self, path: Sequence[PathPart], message: str, **extra: Any) -> Problem:
        """A `Problem` at `path`, with the path written as `a.b[3].c`."""
        pos = self.locate(path)
        return Problem(
            message,
            file=self.name,
            line=pos[0] if pos else None,
            column=pos[1] if pos else None,
            path=format_path(path),
            **extra,
        )


def format_path(path: Sequence[PathPart]) -> str:
    """`("organisations", 3, "contacts", 0)` -> `organisations[3].contacts[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def read_bytes(
    path: Path, *, max_bytes: int, error: type[ReprisalError], follow_symlinks: bool = True
) -> bytes:
    """Read at most `max_bytes` of a regular file, or raise `error` saying why not.

    With `follow_symlinks` False, a symbolic link is refused, even one put in place after the
    file was found (the check is the open itself)."""
    name = str(path)
    if not follow_symlinks:
        return _read_no_follow(path, max_bytes=max_bytes, error=error)
    try:
        if not path.is_file():
            what = "does not exist" if not path.exists() else "is not a regular file"
            raise error([Problem(f"{what}", file=name)])
        with path.open("rb") as handle:
            raw = _read_limited(handle, max_bytes)
    except OSError as exc:
        raise error([Problem(f"cannot be read: {exc.strerror or exc}", file=name)]) from None
    if len(raw) > max_bytes:
        raise error(
            [Problem(f"is larger than the limit of {max_bytes // 1024} KiB", file=name)],
        )
    return raw


def _read_limited(handle: BinaryIO, max_bytes: int) -> bytes:
    """At most `max_bytes + 1` bytes (one more than allowed tells a file over the limit), read
    in one call sized by the file's length, not by the limit: asked for the limit, Python set
    aside the whole of it (32 MiB for an encrypted file) for each read, a tenth of reading a
    caseload's files (bench/RESULTS.md, 2026-12-03, night). A file that grew since its length
    was taken is read on, up to the limit."""
    size = os.fstat(handle.fileno()).st_size
    raw = handle.read(min(size, max_bytes) + 1)
    if size < len(raw) <= max_bytes:
        raw += handle.read(max_bytes + 1 - len(raw))
    return raw


def _read_no_follow(path: Path, *, max_bytes: int, error: type[ReprisalError]) -> bytes:
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise error([Problem("is a symbolic link: not followed", file=name)]) from None
        raise error([Problem(f"cannot be read: {exc.strerror or exc}", file=name)]) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise error([Problem("is not a regular file", file=name)])
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = _read_limited(handle, max_bytes)
    except OSError as exc:
        raise error([Problem(f"cannot be read: {exc.strerror or exc}", file=name)]) from None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        raise error([Problem(f"is larger than the limit of {max_bytes // 1024} KiB", file=name)])
    return raw


def parse(raw: bytes, name: str, *, error: type[ReprisalError]) -> Document:
    """Decode and parse YAML or JSON (chosen by content). Raises `error` with a position."""
    if b"\x00" in raw:
        raise error([Problem("is a binary file, not YAML or JSON text", file=name)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            [Problem("is not valid UTF-8 text", file=name, line=line, code="encoding")],
        ) from None
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("{"):
        doc = _parse_json(text, name, error)
    else:
        doc = _parse_yaml(text, name, error)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_surrogates(doc, error)
    return doc


# A `\ud800` escape with no partner decodes to a lone surrogate: not a character, and no output
# can be written with one in it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(doc: Document, error: type[ReprisalError]) -> None:
    stack: list[tuple[Any, list[PathPart]]] = [(doc.data, [])]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                stack += [(key, path), (value, [*path, key])]
        elif isinstance(item, list):
            stack += [(value, [*path, index]) for index, value in enumerate(item)]
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise error(
                [
                    doc.problem(
                        path,
                        "holds a \\u escape of half a character (a lone surrogate): write "
                        "the text as it is, in UTF-8",
                        key=str(path[0]) if path else None,
                        code="encoding",
                    )
                ]
            )


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; a key given twice is refused, as YAML refuses it: the
    last value winning would let a repeated key flip a consent (contract §1)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _duplicate_line(text: str, key: str) -> int | None:
    """The line of the second time `key` is written as an object key (where the parser stopped)."""
    written = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    found = [m.start() for m in written.finditer(text)]
    if len(found) < 2:
        return None
    return text.count("\n", 0, found[1]) + 1


def _parse_json(text: str, name: str, error: type[ReprisalError]) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_int=json_int)
    except _DuplicateKeyError as exc:
        raise error(
            [
                Problem(
                    f"the key {exc.key!r} is given twice in one object; give it once",
                    file=name,
                    line=_duplicate_line(text, exc.key),
                    path=exc.key,
                    key=exc.key,
                    code="duplicate_key",
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise error(
            [
                Problem(
                    f"invalid JSON: {exc.msg}",
                    file=name,
                    line=exc.lineno,
                    column=exc.colno,
                    code="syntax",
                )
            ]
        ) from None
    except RecursionError:
        raise error([Problem(f"nested more than {MAX_DEPTH} levels deep", file=name)]) from None
    if _depth_exceeds(data, MAX_DEPTH):
        raise error([Problem(f"nested more than {MAX_DEPTH} levels deep", file=name)])
    return Document(name, data)


def json_int(digits: str) -> int | str:
    """An integer as JSON writes it; one too long for Python (over 4,300 digits) is kept as the
    text written, for the check of its field to say what is wrong with it (as YAML does)."""
    limit = sys.get_int_max_str_digits()  # 0: no limit
    if limit and len(digits.lstrip("-")) > limit:
        return digits
    return int(digits)


def _parse_yaml(text: str, name: str, error: type[ReprisalError]) -> Document:
    # lazy: PyYAML only when YAML is read or written (bench/startup)
    import yaml

    from reprisal_cli.yaml_loader import DocumentError, PositionedLoader

    loader = PositionedLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_tree(node)
        root = None if node is None else _pos(node.start_mark)
    except DocumentError as exc:
        raise error(
            [
                Problem(
                    exc.message,
                    file=name,
                    line=exc.mark.line + 1,
                    column=exc.mark.column + 1,
                    code="syntax",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}"
        raise error(
            [
                Problem(
                    message,
                    file=name,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    code="syntax",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise error([Problem(f"invalid YAML: {exc}", file=name, code="syntax")]) from None
    except RecursionError:
        raise error(
            [Problem(f"nested more than {MAX_DEPTH} levels deep", file=name, code="syntax")]
        ) from None
    finally:
        loader.dispose()
    return Document(name, data, loader.positions, root)


def _depth_exceeds(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def load(
    path: Path, *, max_bytes: int, error: type[ReprisalError], name: str | None = None
) -> Document:
    """Read and parse one file."""
    raw = read_bytes(path, max_bytes=max_bytes, error=error)
    return parse(raw, name or str(path), error=error)
