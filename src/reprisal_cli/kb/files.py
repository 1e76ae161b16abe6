"""The knowledge-base files, the fingerprint over them, and the release manifest check.

The fingerprint is the sha256 of what `sha256sum` prints for the fingerprinted files that exist,
in this fixed order (`<hex>  <name>` and a newline for each), so that anyone can recompute it
without trusting the tool (README, "Checking your copy"):

    cd DATA_FOLDER && sha256sum kb.yaml ... states.yaml i18n/fr.yaml ... kb.snapshot | sha256sum

This module imports nothing of the package, so the build hook (`hatch_build.py`) can load it by
path without the package's dependencies.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

KB_FILES = (
    "kb.yaml",
    "mechanisms.yaml",
    "organisations.yaml",
    "protection.yaml",
    "risks.yaml",
    "checklists.yaml",
    "cases.yaml",
    "rules.yaml",
    "safety.yaml",
    "questions.yaml",
    # Each State's region, treaties, complaint procedures and regional systems (optional in a
    # custom knowledge base: without it, steps cannot be routed by State).
    "states.yaml",
    # Translations of the texts (absent files are left out of the fingerprint).
    "i18n/fr.yaml",
    "i18n/es.yaml",
    "i18n/ar.yaml",
    "i18n/ru.yaml",
    "i18n/zh.yaml",
)
TRANSLATION_LANGS = ("fr", "es", "ar", "ru", "zh")
# Files a knowledge base may leave out (left out of the fingerprint too).
OPTIONAL_FILES = ("states.yaml", *(f"i18n/{lang}.yaml" for lang in TRANSLATION_LANGS))
MANIFEST = "MANIFEST.json"
# The validated knowledge base the wheel carries (kb/snapshot.py): read at run time instead of
# the YAML, so it is fingerprinted and listed in the manifest like them.
SNAPSHOT = "kb.snapshot"
FINGERPRINTED = (*KB_FILES, SNAPSHOT)
# The package's folders of words outside data/ (relative to the package): the draft's texts,
# the HTML templates, the interface catalogs. The release manifest lists their files too, so a
# changed consent statement in an installed draft template shows as a change like a changed
# contact (red team red38). They are not part of the fingerprint, which is the data's.
PACKAGE_TEXT = ("render/drafts", "render/templates", "locale")
# In a checkout, the sha256 of the snapshot the caller vouches for (`check_builtin`).
CHECKOUT_SNAPSHOT_ENV = "REPRISAL_CLI_CHECKOUT_SNAPSHOT"
# No knowledge-base file comes near this; a larger one is refused before it is read.
MAX_HASHED_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024  # larger reads cost more here (a fresh buffer per read)


class DataFileError(ValueError):
    """A file that cannot be fingerprinted: too large, not a regular file, or unreadable."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def builtin_dir() -> Path:
    """The shipped `data/` folder: inside the installed package, else the checkout's `data/`."""
    packaged = packaged_dir()
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"


def packaged_dir() -> Path:
    """Where an installed package keeps its data (it exists only in an install, not a checkout)."""
    return Path(__file__).resolve().parents[1] / "data"


def file_sha256(path: Path) -> str:
    """sha256 of one file, read in chunks; `DataFileError` past `MAX_HASHED_BYTES`, for a link,
    a device or a folder, or when it cannot be read."""
    try:
        # O_NONBLOCK: a FIFO must not hang the open (it is refused below as not a regular file).
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataFileError(path, "is a symbolic link: refusing to follow it") from None
        raise DataFileError(path, exc.strerror or "cannot be read") from None
    digest = hashlib.sha256()
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(path, "is not a regular file")
        if info.st_size > MAX_HASHED_BYTES:
            raise DataFileError(path, f"is larger than {MAX_HASHED_BYTES // (1024 * 1024)} MiB")
        total = 0
        while chunk := os.read(fd, _CHUNK):
            total += len(chunk)
            if total > MAX_HASHED_BYTES:  # grew while being read
                raise DataFileError(path, f"is larger than {MAX_HASHED_BYTES // (1024 * 1024)} MiB")
            digest.update(chunk)
    except OSError as exc:
        raise DataFileError(path, exc.strerror or "cannot be read") from None
    finally:
        os.close(fd)
    return digest.hexdigest()


def short_name(path: Path) -> str:
    """A short file name for messages: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def missing_files(directory: Path) -> list[Path]:
    """The files every knowledge base has (`KB_FILES` but `OPTIONAL_FILES`) that `directory`
    lacks: the folder is not a knowledge base, and `load_kb` says "does not exist" for each. A
    symbolic link is not missing here: hashing or loading refuses it with its own message."""
    return [
        directory / name
        for name in KB_FILES
        if name not in OPTIONAL_FILES
        and not (directory / name).is_symlink()
        and not (directory / name).exists()
    ]


def fingerprint_from(hashes: Mapping[str, str], names: tuple[str, ...] = FINGERPRINTED) -> str:
    """The fingerprint of the files whose sha256 `hashes` holds (by name), in `names`' order."""
    listing = "".join(f"{hashes[name]}  {name}\n" for name in names if name in hashes)
    return "sha256:" + hashlib.sha256(listing.encode("utf-8")).hexdigest()


def fingerprint_of(directory: Path, names: tuple[str, ...] = FINGERPRINTED) -> str:
    """The fingerprint of the knowledge base in `directory` (see the module docstring)."""
    return fingerprint_from(hashes_of(directory, names), names)


def hashes_of(directory: Path, names: tuple[str, ...] = FINGERPRINTED) -> dict[str, str]:
    """sha256 of each of `names` that exists in `directory`, by name."""
    hashes = {}
    for name in names:
        path = directory / name
        if path.is_symlink() or path.exists():
            hashes[name] = file_sha256(path)
    return hashes


def file_hashes(directory: Path) -> dict[str, str]:
    """sha256 of every file under `directory` but the manifest, by path relative to it with `/`:
    what the release manifest records, so that an added file shows as well as a changed one."""
    hashes: dict[str, str] = {}
    pending = [directory]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise DataFileError(folder, exc.strerror or "cannot be read") from None
        for entry in entries:
            path = Path(entry.path)
            name = path.relative_to(directory).as_posix()
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(path)
            elif name != MANIFEST:
                hashes[name] = file_sha256(path)
    return dict(sorted(hashes.items()))


def package_hashes(package: Path) -> dict[str, str]:
    """sha256 of every file in the package's `PACKAGE_TEXT` folders, by path relative to the
    package (`package`: the folder `reprisal_cli`)."""
    hashes: dict[str, str] = {}
    for folder in PACKAGE_TEXT:
        if (package / folder).is_dir():
            found = file_hashes(package / folder)
            hashes.update({f"{folder}/{name}": digest for name, digest in found.items()})
    return dict(sorted(hashes.items()))


def manifest_for(hashes: Mapping[str, str], package: Mapping[str, str] | None = None) -> str:
    """The release manifest's text, for the data files whose sha256 `hashes` holds and the
    package's files of words (`package_hashes`)."""
    manifest: dict[str, object] = {
        "fingerprint": fingerprint_from(hashes),
        "files": dict(sorted(hashes.items())),
    }
    if package is not None:
        manifest["package"] = dict(sorted(package.items()))
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def release_check(directory: Path) -> tuple[dict[str, str], bool]:
    """The sha256 of every file of the installed data folder `directory`, and whether they differ
    from the release manifest beside them: a changed, added or missing file, or a missing or
    unreadable manifest, is a change (the installed package always carries one)."""
    hashes = file_hashes(directory)
    try:
        with (directory / MANIFEST).open("rb") as handle:
            raw = handle.read(MAX_HASHED_BYTES + 1)
        manifest = json.loads(raw.decode("utf-8"))
        expected, words = manifest["files"], manifest["package"]
    except (OSError, ValueError, KeyError, TypeError):
        return hashes, True
    try:
        changed = expected != hashes or words != package_hashes(directory.parent)
    except DataFileError:  # a package file turned into a link or a folder: a change too
        changed = True
    return hashes, changed


def check_builtin(root: Path) -> tuple[dict[str, str], bool]:
    """The sha256 of the built-in data files in `root`, and whether they changed since release.

    An installed package always carries its manifest, so there a missing one is a change; a
    checkout (no packaged data folder) has no release to compare with. Nor has a checkout's
    snapshot: nothing vouches for it, and it is gitignored, so a changed one would show in
    neither `git status` nor the outputs (red team 2026-12-03). It counts (is read, and is part
    of the fingerprint) only when `CHECKOUT_SNAPSHOT_ENV` names its sha256, as the test session
    that wrote it does (tests/conftest.py); otherwise the checkout reads its YAML files.
    """
    if root == packaged_dir():
        return release_check(root)
    hashes = hashes_of(root, FINGERPRINTED)
    if SNAPSHOT in hashes and os.environ.get(CHECKOUT_SNAPSHOT_ENV) != hashes[SNAPSHOT]:
        del hashes[SNAPSHOT]
    return hashes, False
