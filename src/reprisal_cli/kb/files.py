"""The knowledge-base files, in the fixed order the fingerprint and the release manifest use.

This module imports nothing, so the build hook (`hatch_build.py`) can load it by path without the
package's dependencies.
"""

from __future__ import annotations

import hashlib
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
    # Translations of the texts (absent files are fingerprinted as absent).
    "i18n/fr.yaml",
    "i18n/es.yaml",
    "i18n/ar.yaml",
    "i18n/ru.yaml",
    "i18n/zh.yaml",
)
TRANSLATION_LANGS = ("fr", "es", "ar", "ru", "zh")
MANIFEST = "MANIFEST.json"


def builtin_dir() -> Path:
    """The shipped `data/` folder: inside the installed package, else the checkout's `data/`."""
    packaged = Path(__file__).resolve().parents[1] / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data"


def fingerprint_of(directory: Path, names: tuple[str, ...] = KB_FILES) -> str:
    """sha256 over the data files in a fixed order (name, NUL, bytes, NUL for each)."""
    digest = hashlib.sha256()
    for name in names:
        path = directory / name
        digest.update(name.encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def file_hashes(directory: Path) -> dict[str, str]:
    """sha256 of each data file, as the release manifest records them."""
    return {
        name: hashlib.sha256((directory / name).read_bytes()).hexdigest()
        for name in KB_FILES
        if (directory / name).is_file()
    }
