"""Writing outputs: atomically (temp file in the same folder, then rename), never over an existing
file unless forced, never into a symlink, device or FIFO. Errors become `OutputError` (exit 4)."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import queue
import stat
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reprisal_cli.errors import OutputError, Problem

if TYPE_CHECKING:
    from concurrent.futures import Future


def check_target(path: Path, *, force: bool = False) -> None:
    """Raise `OutputError` now if `path` could not be written by `write_atomic` (a link, a
    device, a FIFO, a folder, or an existing file without `force`). Never opens it."""
    name = str(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _output_error(path, exc) from None
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
            raise _exists(path)


# Every file `write_atomic` wrote in this process, in order, so that a command left early can say
# what is on disk (assess after Ctrl-C: never "nothing was written" once a file was saved).
_written: list[Path] = []


def written_files() -> tuple[Path, ...]:
    """The files `write_atomic` wrote in this process, in order, as absolute paths."""
    return tuple(_written)


def write_atomic(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write `data` to `path` so that `path` is either the old file or the whole new one.

    Without `force` the name is created, never replaced, even when another process creates it
    meanwhile (`link()` fails then: "already exists"). Where the system can (Linux), the data is
    written to a file with no name at all, which gets its name only once all of it is on disk:
    a process killed before that leaves nothing behind.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_target(path, force=force)
    try:
        fd = stage_nameless(path.parent, payload, durable=True)
        if fd is not None:
            try:
                name_nameless(fd, path, force=force, tmp=temp_name(path).name)
            finally:
                os.close(fd)
        else:
            tmp = temp_name(path)
            stage(tmp, payload, durable=True)
            try:
                publish(tmp, path, force=force)
            except OSError:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
        _written.append(path.absolute())  # named: on disk even if interrupted from here on
        _fsync_folder(path.parent)
    except FileExistsError:
        raise _exists(path) from None
    except OSError as exc:
        raise _output_error(path, exc) from None


def temp_name(path: Path) -> Path:
    """A new temporary name beside `path`: short, so any name a folder takes can be written
    (NAME_MAX is 255 bytes), and in the pattern `sweep_stale` removes once its process is gone."""
    return path.parent / f"{STAGED_PREFIX}{os.getpid()}-{os.urandom(6).hex()}.tmp"


def publish(tmp: Path, path: Path, *, force: bool) -> None:
    """Give the staged file `tmp` the name `path` (`tmp` is gone afterwards): over an existing
    file only when `force`; else `FileExistsError` if `path` exists, however late it appeared
    (`tmp` is then left for the caller to remove)."""
    if force:
        tmp.replace(path)
        return
    rename_noreplace = _rename_noreplace_function()
    if rename_noreplace is not None:
        try:
            rename_noreplace(tmp, path)
            return
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_RENAME_NOREPLACE:
                raise
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # A file system without hard links (FAT on a USB stick): claim the name, then move the
        # whole file over the empty claim.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        tmp.replace(path)
        return
    with contextlib.suppress(OSError):
        tmp.unlink()


_NO_RENAME_NOREPLACE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}
_NO_HARD_LINKS = {
    errno.EPERM,
    errno.EMLINK,
    errno.EXDEV,
    errno.ENOSYS,
    errno.EOPNOTSUPP,
    getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
}


def _exists(path: Path) -> OutputError:
    return OutputError(
        [Problem("already exists", file=str(path))],
        hint="Choose another name, or add --force to replace it.",
    )


def stdout_error(exc: OSError) -> OutputError | None:
    """The `OutputError` (exit 4) for a failed write to standard output, such as a full disk
    behind `> file`; None for an error that is not about writing. What was not written is
    dropped, so that nothing fails again when Python exits."""
    if exc.errno not in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return None
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return OutputError(
        [Problem(f"cannot be written: {_reason(exc)}", file="standard output")],
        hint="What was written is incomplete: free some space, or write with -o to another disk.",
    )


def flush_stdout() -> None:
    """Flush standard output now, so a write error is reported (exit 4), not lost at exit."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        error = stdout_error(exc)
        if error is None:
            raise
        raise error from None


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EEXIST:
        return "already exists"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    if exc.errno == errno.ENOTDIR:
        return "part of the folder path is a file, not a folder"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    return exc.strerror or str(exc)


class GroupWriter:
    """Many atomic writes, made durable in groups: for batch, where an fsync per file is most of
    the time.

    Each file is first written under a temporary name in its folder (`stage`). When a group is
    full (or `delay` seconds old, or `flush` is called), the file system is flushed once
    (`syncfs`, on Linux; elsewhere each file was fsynced as it was staged), then each file is
    renamed to its name and its folder flushed. The guarantee is `write_atomic`'s: a name never
    points at a file whose bytes are not all on disk. One `syncfs` for a group costs about what
    one fsync does, while each fsync is a journal commit of its own: 10,000 files of 26 KB took
    1.3-7.2 s this way against 9.3-15.1 s with an fsync each in eight threads (bench/RESULTS.md).

    The work runs in one background thread, in submission order. One writer, not one per
    worker: two processes creating files in a folder at once each paid about twice the kernel
    time on this machine, and the batch was slower (bench/RESULTS.md). Each `submit` returns a
    future that ends when that file has its name, or raises `OutputError`. `close` commits what
    is left.
    """

    def __init__(self, *, group: int = 256, delay: float = 0.5) -> None:
        self._size = group
        self._delay = delay
        self._queue: queue.SimpleQueue[_Write | str] = queue.SimpleQueue()
        self._syncfs = _syncfs_function()
        self._thread = threading.Thread(target=self._run, name="batch-write", daemon=False)
        self._closed = False
        # The process id in the name lets a later batch tell a file left by a killed one
        # (`sweep_stale`) from one still being written.
        self._prefix = f"{STAGED_PREFIX}{os.getpid()}-{os.urandom(4).hex()}-"
        self._staged = 0
        self._anonymous = _anonymous_files()
        self._named_only: set[Path] = set()
        self._thread.start()

    def submit(
        self, path: Path, data: bytes, *, force: bool = False, future: Future[None] | None = None
    ) -> Future[None]:
        """Write `data` to `path` (see `write_atomic`); the future ends once it is durable.

        A caller that must account for every write (batch counts what is on disk when it is
        interrupted) makes the future and records it first: an interrupt between the two then
        leaves a future it can cancel, never a write it does not know of."""
        item = _Write(path, force, data=data)
        if future is not None:
            item.future = future
        return self._put(item)

    def flush(self) -> None:
        """Commit every file submitted so far without waiting for the group to fill."""
        self._queue.put(_FLUSH)

    def close(self) -> None:
        """Commit what is left and stop the thread (waits for it)."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join()

    def _put(self, item: _Write) -> Future[None]:
        if self._closed:
            raise RuntimeError("GroupWriter is closed")
        self._queue.put(item)
        return item.future

    def _run(self) -> None:
        group: list[_Write] = []
        deadline = 0.0
        while True:
            try:
                timeout = max(0.0, deadline - time.monotonic()) if group else None
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                item = _FLUSH
            if isinstance(item, str):
                self._commit(group)
                group = []
                if item == _STOP:
                    return
                continue
            if self._stage(item):
                if not group:
                    deadline = time.monotonic() + self._delay
                group.append(item)
            if len(group) >= self._size:
                self._commit(group)
                group = []

    def _stage(self, item: _Write) -> bool:
        """Have `item` under a temporary name; False (its future failed) if it cannot be."""
        if not item.future.set_running_or_notify_cancel():
            _discard(item)
            return False
        assert item.data is not None
        try:
            check_target(item.path, force=item.force)
            item.fd = self._stage_anonymous(item.path.parent, item.data)
            if item.fd < 0:
                item.tmp = str(self._stage_file(item.path.parent, item.data))
        except OutputError as exc:
            item.future.set_exception(exc)
        except OSError as exc:
            item.future.set_exception(_output_error(item.path, exc))
        item.data = None
        return not item.future.done()

    def _stage_anonymous(self, folder: Path, data: bytes) -> int:
        if not self._anonymous or folder in self._named_only:
            return -1
        try:
            fd = stage_nameless(folder, data, durable=self._syncfs is None)
        except OSError as exc:
            if exc.errno == errno.EMFILE:  # too many open: this one gets a name
                return -1
            raise
        if fd is None:
            self._named_only.add(folder)
            return -1
        return fd

    def _stage_file(self, folder: Path, data: bytes) -> Path:
        # Names in sequence, not mkstemp's random ones: creating and renaming 10,000 files
        # took a third of the kernel time so on ext4 here (bench/RESULTS.md).
        while True:
            self._staged += 1
            tmp = folder / f"{self._prefix}{self._staged}.tmp"
            try:
                stage(tmp, data, durable=self._syncfs is None)
            except FileExistsError:
                continue
            return tmp

    def _commit(self, group: list[_Write]) -> None:
        if not group:
            return
        folders = {item.path.parent for item in group}
        try:
            if self._syncfs is not None:
                for folder in folders:
                    self._syncfs(folder)
        except OSError as exc:
            for item in group:
                item.future.set_exception(_output_error(item.path, exc))
                _discard(item)
            return
        renamed = []
        for item in group:
            try:
                check_target(item.path, force=item.force)
                self._publish(item)
                renamed.append(item)
            except OutputError as exc:
                item.future.set_exception(exc)
                _discard(item)
            except FileExistsError:
                item.future.set_exception(_exists(item.path))
                _discard(item)
            except OSError as exc:
                item.future.set_exception(_output_error(item.path, exc))
                _discard(item)
        failed: dict[Path, OSError] = {}
        for folder in folders:
            try:
                _fsync_folder(folder)
            except OSError as exc:
                failed[folder] = exc
        for item in renamed:
            problem = failed.get(item.path.parent)
            if problem is None:
                item.future.set_result(None)
            else:
                item.future.set_exception(_output_error(item.path, problem))

    def _publish(self, item: _Write) -> None:
        """Give a staged file its name (`OSError` if it cannot have it)."""
        if item.fd < 0:
            Path(item.tmp).replace(item.path)
            item.tmp = ""
            return
        self._staged += 1
        name_nameless(item.fd, item.path, force=item.force, tmp=f"{self._prefix}{self._staged}.tmp")
        os.close(item.fd)
        item.fd = -1


def stage_nameless(folder: Path, data: bytes, *, durable: bool) -> int | None:
    """`data` in a new file in `folder` that has no name yet (Linux's O_TMPFILE): its open
    descriptor, or None where the system or the file system cannot (FAT, network shares).

    Such a file never has a name to be left behind under: if the process is killed before
    `name_nameless`, even with `kill -9`, the kernel frees it. Raises `OSError` (disk full...).
    """
    if not _anonymous_files():
        return None
    try:
        fd = os.open(folder, os.O_WRONLY | os.O_TMPFILE, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            return None
        raise
    try:
        _write_all(fd, data, durable=durable)
    except OSError:
        os.close(fd)
        raise
    return fd


def _write_all(fd: int, data: bytes, *, durable: bool) -> None:
    """All of `data` to the open file `fd` (a write may take only part), fsynced if `durable`."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    if durable:
        os.fsync(fd)


def name_nameless(fd: int, path: Path, *, force: bool, tmp: str) -> None:
    """Give the file `stage_nameless` made its name `path`. Without `force` an existing file is
    never replaced (`FileExistsError`, even for one that appeared since it was checked); with
    it, the file is first named `tmp` in the same folder, then renamed over."""
    anonymous = f"/proc/self/fd/{fd}"
    # linkat() with AT_SYMLINK_FOLLOW, which os.link uses only given a folder descriptor:
    # plain link() would link the /proc entry itself.
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if force:
            os.link(anonymous, tmp, dst_dir_fd=folder)
            try:
                os.rename(tmp, path.name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=folder)
                raise
        else:
            os.link(anonymous, path.name, dst_dir_fd=folder)
    finally:
        os.close(folder)


STAGED_PREFIX = ".reprisal-"


def sweep_stale(folder: Path) -> None:
    """Remove the staged files a killed batch left in `folder` (where files could not be staged
    without a name, or in the instant between naming and renaming one): those whose process is
    gone. A batch still running keeps its own."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.startswith(STAGED_PREFIX)]
    except OSError:
        return
    for name in names:
        pid = name.removeprefix(STAGED_PREFIX).split("-", 1)[0]
        if not name.endswith(".tmp") or not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's: alive
        return True
    return True


@functools.cache
def _anonymous_files() -> bool:
    """Whether files can be staged without a name: O_TMPFILE, then named through /proc."""
    return hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir()


def stage(tmp: Path, data: bytes, *, durable: bool) -> None:
    """Write `data` to the new file `tmp` (readable by its owner only; never an existing one),
    to be renamed; fsynced first if `durable`. Raises `OSError` (the file is removed)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        _write_all(fd, data, durable=durable)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)


_FLUSH = "flush"
_STOP = "stop"


def _future() -> Future[None]:
    # lazy: concurrent.futures costs about 25 ms at start-up (bench/startup)
    from concurrent.futures import Future

    return Future()


@dataclass(slots=True)
class _Write:
    path: Path
    force: bool
    data: bytes | None = None
    tmp: str = ""
    fd: int = -1  # a staged file without a name (see `GroupWriter._stage_anonymous`)
    future: Future[None] = field(default_factory=_future)


def _discard(item: _Write) -> None:
    if item.fd >= 0:
        with contextlib.suppress(OSError):
            os.close(item.fd)
        item.fd = -1
    if item.tmp:
        with contextlib.suppress(OSError):
            Path(item.tmp).unlink()
        item.tmp = ""


def _output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError([Problem(f"cannot be written: {_reason(exc)}", file=str(path))])


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows cannot open a folder; its renames are durable on their own
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
            os.fsync(fd)
    finally:
        os.close(fd)


_renameat2: list[Callable[[Path, Path], None] | None] = []


def _rename_noreplace_function() -> Callable[[Path, Path], None] | None:
    """`renameat2(RENAME_NOREPLACE)`, where the C library has it (Linux): a rename that fails
    with `FileExistsError` instead of replacing, in one step like a plain rename."""
    if _renameat2:
        return _renameat2[0]
    # lazy: the C library is looked up only where the call is used (Linux)
    import ctypes
    import ctypes.util

    found: Callable[[Path, Path], None] | None = None
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            call = libc.renameat2
        except (OSError, AttributeError):
            call = None
        if call is not None:
            call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
            call.argtypes += [ctypes.c_uint]
            call.restype = ctypes.c_int

            def rename_noreplace(src: Path, dst: Path) -> None:
                at_fdcwd, noreplace = -100, 1
                if call(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), noreplace) != 0:
                    code = ctypes.get_errno()
                    raise OSError(code, os.strerror(code), str(dst))

            found = rename_noreplace
    _renameat2.append(found)
    return found


def _syncfs_function() -> Callable[[Path], None] | None:
    """`syncfs` of the file system holding a folder, where the C library has it (Linux)."""
    # lazy: the C library is looked up only where the call is used (Linux)
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int]
    call.restype = ctypes.c_int

    def syncfs(folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            if call(fd) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code))
        finally:
            os.close(fd)

    return syncfs
