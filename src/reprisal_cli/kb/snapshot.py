"""The built-in knowledge base as a validated snapshot, built when the wheel is built.

Parsing and validating the YAML files takes far longer than a command may spend starting up. The
build hook (`hatch_build.py`) loads and checks the shipped files once and pickles the result next to
them, headed by the fingerprint of the files it was made from. At run time the snapshot is used
only when that fingerprint matches the files beside it; any change to them (an edit, a damaged
install) sends the loader back to the YAML, which then also reports the change. Nothing is ever
written on the user's machine.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Iterator, Mapping
from pathlib import Path

from reprisal_cli.kb.files import builtin_dir, fingerprint_of
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import TranslationFile

SNAPSHOT = "kb.snapshot"
MAGIC = b"reprisal-cli knowledge-base snapshot 2\n"


class LazyTranslations(Mapping[str, TranslationFile]):
    """The translations of a snapshot, each unpickled the first time its language is asked for.

    They are nine tenths of the snapshot, and a command needs one language at most: unpickling
    all five cost more than the whole start-up budget for loading the knowledge base (issue 9).
    """

    def __init__(self, pickled: dict[str, bytes]) -> None:
        self._pickled = pickled
        self._loaded: dict[str, TranslationFile] = {}

    def __getitem__(self, lang: str) -> TranslationFile:
        found = self._loaded.get(lang)
        if found is None:
            found = pickle.loads(self._pickled[lang])
            if not isinstance(found, TranslationFile):
                raise KeyError(lang)
            self._loaded[lang] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._pickled)

    def __len__(self) -> int:
        return len(self._pickled)


def build(directory: Path) -> bytes:
    """Validate the knowledge base in `directory` and return its snapshot."""
    from reprisal_cli.kb.loader import load_kb

    kb = load_kb(directory)
    pickled = {
        lang: pickle.dumps(translation, protocol=pickle.HIGHEST_PROTOCOL)
        for lang, translation in sorted(kb.translations.items())
    }
    core = dataclasses.replace(kb, custom=False, modified=False, source="", translations={})
    header = MAGIC + fingerprint_of(directory).encode("ascii") + b"\n"
    return header + pickle.dumps((core, pickled), protocol=pickle.HIGHEST_PROTOCOL)


def read(directory: Path | None = None) -> KnowledgeBase | None:
    """The snapshot of the built-in knowledge base, if there is one and it matches the files."""
    root = directory or builtin_dir()
    path = root / SNAPSHOT
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(MAGIC):
        return None
    line_end = raw.find(b"\n", len(MAGIC))
    fingerprint = raw[len(MAGIC) : line_end].decode("ascii", "replace")
    if line_end < 0 or fingerprint != fingerprint_of(root):
        return None
    try:
        kb, pickled = pickle.loads(raw[line_end + 1 :])
    except Exception:
        return None
    if not isinstance(kb, KnowledgeBase) or not isinstance(pickled, dict):
        return None
    return dataclasses.replace(kb, source=str(root), translations=LazyTranslations(pickled))
