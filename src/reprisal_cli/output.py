"""Writing outputs: atomically (temp file in the same folder, then rename), never over an existing
file unless forced, never into a symlink, device or FIFO. Errors become `OutputError` (exit 4)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from reprisal_cli.errors import OutputError, Problem


def check_target(path: Path, *, force: bool = False) -> None:
    """Raise `OutputError` now if `path` could not be written by `write_atomic` (a link, a
    device, a FIFO, a folder, or an existing file without `force`). Never opens it."""
    name = str(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError([Problem(f"cannot be written: {_reason(exc)}", file=name)]) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(
                [Problem("is a symbolic link: refusing to write through it", file=name)]
            )
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(
                [
                    Problem(
                        "is not a regular file (a device, FIFO or folder): refusing to write",
                        file=name,
                    )
                ]
            )
        if not force:
            raise OutputError(
                [Problem("already exists", file=name)],
                hint="Choose another name, or add --force to replace it.",
            )


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write `data` to `path` so that `path` is either the old file or the whole new one."""
    name = str(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_target(path, force=force)
    folder = path.parent
    fd = -1
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
        tmp = ""
    except OSError as exc:
        raise OutputError([Problem(f"cannot be written: {_reason(exc)}", file=name)]) from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    if exc.errno == errno.ENOTDIR:
        return "part of the folder path is a file, not a folder"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    return exc.strerror or str(exc)
