"""Process-wide protections: no core dump of a process that holds a passphrase or a plan, and
worker processes that end with the process that started them.

Both use `prctl`, which only Linux has; elsewhere the core-size limit is set and the rest is a
no-op (the worker processes then end when their task pipe closes, see `workers`).
"""

from __future__ import annotations

import contextlib
import os
import sys

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4


def no_core_dumps() -> None:
    """Never write a core file of this process (or of the processes it forks).

    A crash while a passphrase or a plan is in memory would otherwise write them to `./core` or
    to systemd-coredump's store, in the clear. `PR_SET_DUMPABLE` 0 also covers a core pattern
    that pipes to a helper (which ignores the size limit) and stops other processes of the same
    user from attaching a debugger.
    """
    try:
        # lazy: Unix only
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _prctl(PR_SET_DUMPABLE, 0)


def die_with_parent(parent: int, signal_number: int) -> None:
    """In a child process: be sent `signal_number` when the parent ends, however it ends
    (`kill -9` included). Exits at once if the parent is already gone."""
    _prctl(PR_SET_PDEATHSIG, signal_number)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _prctl(option: int, value: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    # lazy: the C library is looked up only where the call is used (Linux)
    import ctypes

    try:
        # The C library is already loaded in this process: no find_library (it runs ldconfig).
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - a C library without prctl
        return
