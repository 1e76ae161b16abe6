"""Encryption at rest with age (https://age-encryption.org), through pyrage.

A file made here decrypts with the standard `age` tool, and the reverse. Two ways to lock a file:
a passphrase (age's scrypt recipient), for one person's own files, or age X25519 public keys
(`age1...`), for batch outputs handed to an organisation. This module never asks for a passphrase
and never prints: the command layer asks (without echo) and passes it in.
"""

from __future__ import annotations

import base64
import binascii
import io
import tarfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from reprisal_cli.documents import read_bytes
from reprisal_cli.errors import AnswersError, OutputError, Problem, UsageError
from reprisal_cli.output import write_atomic

AGE_SUFFIX = ".age"
AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
# An encrypted plan, answers file or PDF is far smaller; more is not ours and is not read.
MAX_ENCRYPTED_BYTES = 32 * 1024 * 1024
MAX_PASSPHRASE_FILE_BYTES = 4096
# The header names one recipient per stanza: one for a passphrase, one per key for an archive.
# pyrage takes time in the square of their number (5,000 took 4 s, 20,000 a minute), so a file
# with more than any made here is refused before it is handed over.
MAX_STANZAS = 64
# What is written stays well inside what is read: rage adds a "grease" stanza of its own.
MAX_RECIPIENTS = 32
MAX_HEADER_BYTES = 64 * 1024


def is_encrypted(data: bytes) -> bool:
    """True when `data` starts like an age file (binary or ASCII-armoured)."""
    return data.startswith(AGE_MAGIC) or data.lstrip().startswith(AGE_ARMOR)


def with_age_suffix(path: Path) -> Path:
    """`plan.pdf` -> `plan.pdf.age`; a name already ending in `.age` is kept."""
    if path.name.lower().endswith(AGE_SUFFIX):
        return path
    return path.with_name(path.name + AGE_SUFFIX)


def without_age_suffix(path: Path) -> Path:
    """`plan.pdf.age` -> `plan.pdf` (what the file holds once decrypted)."""
    if path.name.lower().endswith(AGE_SUFFIX) and len(path.name) > len(AGE_SUFFIX):
        return path.with_name(path.name[: -len(AGE_SUFFIX)])
    return path


def _payload(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def encrypt_passphrase(data: str | bytes, passphrase: str) -> bytes:
    """`data` as an age file locked with `passphrase` (scrypt)."""
    # lazy: pyrage only when encrypting or decrypting (bench/startup)
    import pyrage

    if not passphrase:
        raise UsageError("the passphrase is empty", hint="Choose a passphrase of several words.")
    try:
        return bytes(pyrage.passphrase.encrypt(_payload(data), passphrase))
    except pyrage.EncryptError as exc:  # pragma: no cover - pyrage fails only on broken input
        raise OutputError([Problem(f"could not encrypt: {exc}")]) from None


WEAK_SCORE = 3  # zxcvbn's scores run 0-4; below 3 it is "guessable" offline, even through scrypt
ESTIMATE_CHARS = 72  # zxcvbn refuses more (it slows down on long input)


def passphrase_weakness(passphrase: str) -> str | None:
    """Why `passphrase` is easy to guess (zxcvbn's estimate: common words, names, dates, keyboard
    patterns, repeats), or None when it is not. The reason is zxcvbn's, in English; it may be
    empty when the passphrase is simply too short."""
    # lazy: zxcvbn (1.7 MB of word lists) only when a passphrase is chosen
    from zxcvbn import zxcvbn

    estimate = zxcvbn(passphrase[:ESTIMATE_CHARS])
    if int(estimate["score"]) >= WEAK_SCORE:
        return None
    return str(estimate["feedback"].get("warning") or "")


def parse_recipients(recipients: Sequence[str]) -> list[object]:
    """age X25519 public keys (`age1...`) checked; `UsageError` (exit 2) names a bad one."""
    # lazy: pyrage only when encrypting or decrypting (bench/startup)
    import pyrage

    if not recipients:
        raise UsageError("no recipient given", hint="Give an age public key: --recipient age1...")
    if len(recipients) > MAX_RECIPIENTS:
        raise UsageError(
            f"{len(recipients)} recipients: at most {MAX_RECIPIENTS} can be given",
            hint="Encrypt to fewer keys (a team can share one key).",
        )
    parsed: list[object] = []
    for text in recipients:
        key = text.strip()
        try:
            parsed.append(pyrage.x25519.Recipient.from_str(key))
        except pyrage.RecipientError:
            shown = key if len(key) <= 70 else key[:67] + "..."
            raise UsageError(
                f"--recipient: {shown!r} is not an age public key",
                hint="An age public key starts with age1 (see `age-keygen -y KEYFILE`).",
            ) from None
    return parsed


def encrypt_recipients(data: str | bytes, recipients: Sequence[str]) -> bytes:
    """`data` as an age file that only the holders of these X25519 keys can open."""
    # lazy: pyrage only when encrypting or decrypting (bench/startup)
    import pyrage

    parsed = parse_recipients(recipients)
    try:
        return bytes(pyrage.encrypt(_payload(data), parsed))
    except pyrage.EncryptError as exc:  # pragma: no cover
        raise OutputError([Problem(f"could not encrypt: {exc}")]) from None


def check_encrypted(data: bytes, name: str) -> None:
    """`AnswersError` (exit 1) when `data` is not an age file: a command checks it before it
    asks for a passphrase, so that nobody types theirs for a file it cannot open."""
    if not is_encrypted(data):
        raise AnswersError(
            [Problem("is not an age-encrypted file", file=name)],
            hint="Files written with --encrypt start with 'age-encryption.org/v1'.",
        )


def decrypt(
    data: bytes,
    *,
    passphrase: str | None = None,
    identities: Sequence[str] = (),
    name: str = "<input>",
) -> bytes:
    """The plain bytes of an age file. `AnswersError` (exit 1) when it is not one, or when the
    passphrase or keys do not open it."""
    # lazy: pyrage only when encrypting or decrypting (bench/startup)
    import pyrage

    check_encrypted(data, name)
    if data.lstrip().startswith(AGE_ARMOR):
        data = _dearmor(data, name)
    _check_header(data, name)
    try:
        if identities:
            keys = [pyrage.x25519.Identity.from_str(i.strip()) for i in identities]
            return bytes(pyrage.decrypt(data, keys))
        if passphrase is None:
            raise UsageError("no passphrase given to decrypt with")
        return bytes(pyrage.passphrase.decrypt(data, passphrase))
    except pyrage.IdentityError:
        raise UsageError("the age identity (secret key) is not valid") from None
    except pyrage.DecryptError:
        raise AnswersError(
            [Problem("could not be decrypted: wrong passphrase or damaged file", file=name)],
        ) from None


def _check_header(data: bytes, name: str) -> None:
    """`AnswersError` for a header no file made by this tool (or by `age`, for a few people)
    would have: more than `MAX_STANZAS` recipients, or longer than `MAX_HEADER_BYTES`."""
    end = data.find(b"\n--- ", 0, MAX_HEADER_BYTES)
    header = data[: end + 1] if end >= 0 else data[:MAX_HEADER_BYTES]
    stanzas = header.count(b"\n-> ")
    if stanzas > MAX_STANZAS:
        what = f"more than {MAX_STANZAS} recipients"
    elif end < 0 and len(data) > MAX_HEADER_BYTES:
        what = f"a header longer than {MAX_HEADER_BYTES // 1024} KiB"
    else:
        return
    raise AnswersError(
        [
            Problem(
                f"has {what}, more than any file made here: it is damaged, or made to "
                "slow this tool down",
                file=name,
            )
        ]
    )


def _dearmor(data: bytes, name: str) -> bytes:
    lines = data.strip().splitlines()
    if len(lines) < 2 or not lines[-1].startswith(b"-----END AGE ENCRYPTED FILE-----"):
        raise AnswersError([Problem("is a damaged ASCII-armoured age file", file=name)])
    try:
        return base64.b64decode(b"".join(lines[1:-1]), validate=True)
    except (binascii.Error, ValueError):
        raise AnswersError([Problem("is a damaged ASCII-armoured age file", file=name)]) from None


def read_encrypted(path: Path) -> bytes:
    """The bytes of an encrypted file, read up to `MAX_ENCRYPTED_BYTES` (a regular file only)."""
    return read_bytes(path, max_bytes=MAX_ENCRYPTED_BYTES, error=AnswersError)


MAX_IDENTITY_BYTES = 64 * 1024


def read_identity_file(path: Path) -> list[str]:
    """The age secret keys (`AGE-SECRET-KEY-1...`) in an identity file, as `age-keygen` writes
    it (comments and public-key lines are skipped). `UsageError` (exit 2) when it holds none."""
    raw = read_bytes(path, max_bytes=MAX_IDENTITY_BYTES, error=UsageError)
    keys = [
        line.strip()
        for line in raw.decode("utf-8", errors="replace").splitlines()
        if line.strip().upper().startswith("AGE-SECRET-KEY-")
    ]
    if not keys:
        raise UsageError([Problem("holds no age secret key (AGE-SECRET-KEY-1...)", file=str(path))])
    return keys


def read_passphrase_file(path: Path) -> str:
    """The passphrase in the first line of `path` (its line end removed). `UsageError` (exit 2)
    when the file is missing, empty, binary or not UTF-8."""
    raw = read_bytes(path, max_bytes=MAX_PASSPHRASE_FILE_BYTES, error=UsageError)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError([Problem("is not UTF-8 text", file=str(path))]) from None
    first = text.splitlines()[0] if text else ""
    if not first or "\x00" in first:
        raise UsageError(
            [Problem("holds no passphrase on its first line", file=str(path))],
            hint="Write the passphrase on the first line of the file.",
        )
    return first


def tar_bytes(members: Iterable[tuple[str, bytes]]) -> bytes:
    """Files (name, bytes) as an uncompressed tar, in memory, in the order given.

    Times, owners and permissions are fixed (mtime 0, uid/gid 0, no user names, mode 0600), so the
    archive says nothing about who made it or when beyond what its files say.
    """
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o600
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def archive_folder(folder: Path) -> bytes:
    """The regular files under `folder` as a tar (see `tar_bytes`), in name order. Symbolic links,
    devices and FIFOs are left out, never followed."""
    paths = sorted(p for p in folder.rglob("*") if not p.is_symlink() and p.is_file())
    return tar_bytes((p.relative_to(folder).as_posix(), p.read_bytes()) for p in paths)


def write_encrypted_archive(
    source: Path | Mapping[str, bytes],
    output: Path,
    *,
    recipients: Sequence[str] = (),
    passphrase: str | None = None,
    force: bool = False,
) -> Path:
    """Write one age-encrypted tar to `output` (`.age` added if absent) and return its path.

    `source` is a folder, or better, the files themselves ({name: bytes}, names in order), so
    that no unencrypted copy ever touches the disk.

    `recipients` (age public keys) are used if given, else `passphrase`. Errors: `UsageError`
    for a bad key, `OutputError` (exit 4) when it cannot be written. Decrypt with
    `age -d -i KEYFILE out.tar.age | tar x`.
    """
    target = with_age_suffix(output)
    if isinstance(source, Path):
        try:
            plain = archive_folder(source)
        except OSError as exc:
            raise OutputError(
                [Problem(f"cannot be archived: {exc.strerror or exc}", file=str(source))]
            ) from None
    else:
        plain = tar_bytes(source.items())
    if recipients:
        data = encrypt_recipients(plain, recipients)
    elif passphrase is not None:
        data = encrypt_passphrase(plain, passphrase)
    else:
        raise UsageError("an encrypted archive needs --recipient or a passphrase")
    write_atomic(target, data, force=force)
    return target
