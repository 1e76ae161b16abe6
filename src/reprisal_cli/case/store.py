"""Reading and writing case files: always age-encrypted, written atomically, never over a
revision the writer did not read.

There is no plaintext case file: the JSON is encrypted in memory and handed to the one writer
(`output.write_atomic`), which gives the name only to a complete file. Concurrency is optimistic:
a writer keeps the digest of the encrypted bytes it read (revision N); under an exclusive lock on
the folder it checks that the file still has those bytes before it replaces it, so of two
writers that read revision N, the second is refused (`CaseChangedError`, exit 4) instead of
silently undoing the first one's change.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from reprisal_cli.answers import Answers, parse_answers
from reprisal_cli.case.model import CASE_SCHEMA, CaseFile, load_case_data
from reprisal_cli.crypto import (
    AGE_MAGIC,
    decrypt,
    encrypt_passphrase,
    encrypt_recipients,
    read_encrypted,
)
from reprisal_cli.documents import json_int
from reprisal_cli.errors import AnswersError, OutputError, Problem, UsageError
from reprisal_cli.output import write_atomic

MAX_CASE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class CaseKey:
    """How a case file is opened and locked again: a passphrase, or age identities (secret keys)
    to read and recipients (public keys) to write to."""

    passphrase: str | None = None
    identities: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()

    def write_recipients(self) -> tuple[str, ...]:
        """The public keys to encrypt to: those given, else those of the identities."""
        if self.recipients:
            return self.recipients
        # lazy: pyrage only to derive public keys from identities (bench/startup)
        import pyrage

        keys = []
        for text in self.identities:
            try:
                keys.append(str(pyrage.x25519.Identity.from_str(text.strip()).to_public()))
            except pyrage.IdentityError:
                raise UsageError("the age identity (secret key) is not valid") from None
        return tuple(keys)


@dataclass(frozen=True)
class OpenedCase:
    """A case as read: its content, and what the writer must find unchanged to replace it."""

    path: Path
    case: CaseFile
    digest: str
    key_stanzas: int  # X25519 recipients the file is encrypted to (0: a passphrase)


def encrypt_case(case: CaseFile, key: CaseKey) -> bytes:
    """The case as an age file (to the recipients, else with the passphrase)."""
    recipients = key.write_recipients()
    if recipients:
        return encrypt_recipients(case.to_json(), list(recipients))
    if key.passphrase is None:
        raise UsageError(
            "a case file is always encrypted: give --passphrase-file FILE or --recipient age1..."
        )
    return encrypt_passphrase(case.to_json(), key.passphrase)


def is_case_data(data: bytes) -> bool:
    """Whether decrypted bytes are a case file rather than answers or a plan: a case file's
    schema key comes first."""
    return CASE_SCHEMA.encode() in data[:200]


def decode_case_or_answers(data: bytes, name: str) -> CaseFile | Answers:
    """Decrypted bytes read as the case file they are, else as answers (saved with --encrypt)."""
    if is_case_data(data):
        return decode_case(data, name)
    return parse_answers(data, name)


def decode_case(data: bytes, name: str) -> CaseFile:
    """Parse decrypted case JSON (a key given twice is refused, as in answers files)."""

    def unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
        out = dict(pairs)
        if len(out) != len(pairs):  # the slow search only when there is something to find
            seen: set[str] = set()
            twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            raise AnswersError([Problem(f"the key {twice[:40]!r} is given twice", file=name)])
        return out

    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=unique, parse_int=json_int)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AnswersError(
            [Problem("is encrypted but does not hold a case file (not JSON)", file=name)]
        ) from None
    return load_case_data(doc, name)


def key_stanzas(raw: bytes) -> int:
    """How many X25519 recipients an age file's header names."""
    end = raw.find(b"\n--- ")
    return raw[: end if end >= 0 else 0].count(b"\n-> X25519 ")


def uses_passphrase(raw: bytes) -> bool:
    """Whether an age file is locked with a passphrase (scrypt), from its header alone."""
    end = raw.find(b"\n--- ")
    return b"\n-> scrypt " in raw[: end if end >= 0 else 0]


def read_case(path: Path, key: CaseKey) -> OpenedCase:
    """Read, decrypt and validate a case file. `AnswersError` (exit 1) when it is not one or
    cannot be opened with `key`."""
    raw = read_encrypted(path)
    return open_case_bytes(path, raw, key)


def open_case_bytes(path: Path, raw: bytes, key: CaseKey) -> OpenedCase:
    """`read_case` on bytes already read."""
    name = str(path)
    plain = decrypt(raw, passphrase=key.passphrase, identities=key.identities, name=name)
    return OpenedCase(
        path=path,
        case=decode_case(plain, name),
        digest=hashlib.sha256(raw).hexdigest(),
        key_stanzas=key_stanzas(raw),
    )


def create_case(path: Path, case: CaseFile, key: CaseKey) -> CaseFile:
    """Write a new case file (revision 1); never over an existing file (exit 4)."""
    return create_opened(path, case, key).case


def create_opened(path: Path, case: CaseFile, key: CaseKey) -> OpenedCase:
    """`create_case`, returning the case as written, ready to be saved again."""
    new = replace(case, revision=1)
    payload = encrypt_case(new, key)
    write_atomic(path, payload, force=False)
    return _as_opened(path, new, payload)


def _as_opened(path: Path, case: CaseFile, payload: bytes) -> OpenedCase:
    return OpenedCase(
        path=path,
        case=case,
        digest=hashlib.sha256(payload).hexdigest(),
        key_stanzas=key_stanzas(payload),
    )


def save_case(
    opened: OpenedCase, case: CaseFile, key: CaseKey, *, fewer_keys: bool = False
) -> CaseFile:
    """Replace the case file read as `opened` by `case`, one revision later (see `save_opened`)."""
    return save_opened(opened, case, key, fewer_keys=fewer_keys).case


def save_opened(
    opened: OpenedCase, case: CaseFile, key: CaseKey, *, fewer_keys: bool = False
) -> OpenedCase:
    """Replace the case file read as `opened` by `case`, one revision later.

    Refused (`CaseChangedError`, exit 4) when the file changed since it was read; refused
    (`UsageError`, exit 2) when it would be encrypted to fewer keys than it is now, so a team
    member is never silently locked out."""
    new = replace(case, revision=opened.case.revision + 1)
    recipients = key.write_recipients()
    if opened.key_stanzas > len(recipients) and recipients and not fewer_keys:
        raise UsageError(
            f"{opened.path} is encrypted to {opened.key_stanzas} keys: give each of them with "
            "--recipient, or it would be locked to fewer people",
        )
    payload = encrypt_case(new, key)
    with folder_lock(opened.path.parent):
        try:
            current = read_encrypted(opened.path)
        except AnswersError:
            current = b""
        if hashlib.sha256(current).hexdigest() != opened.digest:
            raise CaseChangedError(opened, current, key)
        write_atomic(opened.path, payload, force=True)
    return _as_opened(opened.path, new, payload)


class CaseChangedError(OutputError):
    """The case file changed since it was read: nothing is written (exit 4)."""

    def __init__(self, opened: OpenedCase, current: bytes, key: CaseKey) -> None:
        now = "a file that is not this case"
        if current.startswith(AGE_MAGIC):
            with contextlib.suppress(AnswersError, UsageError):
                now = f"revision {open_case_bytes(opened.path, current, key).case.revision}"
        elif not current:
            now = "no file (it was moved or deleted)"
        super().__init__(
            [
                Problem(
                    f"changed since it was read (revision {opened.case.revision} was read, the "
                    f"file now holds {now}): nothing was written",
                    file=str(opened.path),
                )
            ],
            hint="Someone else saved this case meanwhile. Run the command again: it will read "
            "their change first.",
        )


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock, between the writers of this tool, on the folder of a case file, for the
    instant between checking the file and replacing it. Released when the process ends, even
    killed. Where folders cannot be locked (not POSIX), the check alone remains."""
    try:
        # lazy: fcntl exists only on POSIX; without it the check alone remains
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise OutputError(
            [Problem(f"cannot be opened: {exc.strerror or exc}", file=str(folder))]
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def iter_case_paths(paths: list[Path]) -> list[Path]:
    """The files named, and the `*.age` files found in the folders named (links are not
    followed, however deep the folder), in order."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir() or path.is_symlink():
            found.append(path)
            continue
        in_folder: list[Path] = []
        pending = [path]
        while pending:  # a loop, not recursion: a folder nested 1,000 deep is still read
            folder = pending.pop()
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(Path(entry.path))
                        elif entry.is_file(follow_symlinks=False) and entry.name.endswith(".age"):
                            in_folder.append(Path(entry.path))
            except OSError:
                continue
        found.extend(sorted(in_folder))
    return found


def case_names(paths: list[Path], files: list[Path]) -> dict[Path, str]:
    """The name each of `files` (`iter_case_paths(paths)`) is listed under: its path inside
    the folder named (`cases/` gives `2026-014/case.age`), or the name of a file named; two
    files that would have one name have their paths as found. A caseload kept one folder per
    case listed every item under "case.age", and which case must not go to a body could not
    be told (red team red39)."""
    folders = [p for p in paths if p.is_dir() and not p.is_symlink()]
    names: dict[Path, str] = {}
    for file in files:
        inside = next((f for f in folders if file.is_relative_to(f)), None)
        names[file] = file.relative_to(inside).as_posix() if inside else file.name
    taken = Counter(names.values())
    return {file: str(file) if taken[name] > 1 else name for file, name in names.items()}
