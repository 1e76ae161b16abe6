"""The built-in knowledge base as a validated snapshot, built when the wheel is built.

Parsing and validating the YAML files takes far longer than a command may spend starting up. The
build hook (`hatch_build.py`) loads and checks the shipped files once and writes the result next
to them as JSON, headed by the fingerprint of the YAML it was made from. JSON, not pickle: reading
it can only ever build the knowledge base's own records (a fixed list of classes, by name), so a
changed snapshot cannot run code. It is fingerprinted and listed in the release manifest like the
YAML files (kb/files.py), and the loader uses it only when the installed data folder matches the
manifest and the YAML beside it matches its header; anything else sends the loader back to the
YAML, which reports the change. Nothing is ever written on the user's machine.

The file is lines of bytes: the magic line, the YAML's fingerprint, the knowledge base without
its translations and States (JSON), the States' codes (JSON), the list of languages (JSON), one
line of JSON per language, then one line of JSON per State, in the order of their codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from reprisal_cli.countries import known_countries
from reprisal_cli.kb import conditions, knowledge, models, questions, rules, states
from reprisal_cli.kb.files import (
    KB_FILES,
    MAX_HASHED_BYTES,
    SNAPSHOT,
    builtin_dir,
    fingerprint_from,
    hashes_of,
)
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import TranslationFile
from reprisal_cli.kb.states import State

MAGIC = b"reprisal-cli knowledge-base snapshot 5"
_TYPE = "@"
_TUPLE = "@tuple"
_DATE = "@date"

__all__ = ["SNAPSHOT", "LazyStates", "LazyTranslations", "build", "read"]


class LazyStates(Mapping[str, State]):
    """The States of a snapshot, each decoded the first time it is asked for: three quarters of
    the knowledge base's records, of which a plan reads the one or two its answers name (issue
    9's start-up budget; decoding all 195 cost more than the rest of the knowledge base)."""

    def __init__(self, raw: bytes, spans: dict[str, tuple[int, int]]) -> None:
        self._raw = raw
        self._spans = spans  # each State's code: where its line starts and ends in `raw`
        self._loaded: dict[str, State] = {}

    def __getitem__(self, code: str) -> State:
        found = self._loaded.get(code)
        if found is None:
            start, end = self._spans[code]
            found = _decode(self._raw[start:end])
            if not isinstance(found, State) or found.code != code:
                raise KeyError(code)
            self._loaded[code] = found
        return found

    def __contains__(self, code: object) -> bool:
        return code in self._spans

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)


class LazyTranslations(Mapping[str, TranslationFile]):
    """The translations of a snapshot, each decoded the first time its language is asked for.

    They are nine tenths of the snapshot, and a command needs one language at most: decoding all
    five would cost more than the whole start-up budget for loading the knowledge base (issue 9).
    """

    def __init__(self, encoded: dict[str, tuple[bytes, int, int]]) -> None:
        self._encoded = encoded  # each language: the snapshot's bytes, where its line starts, ends
        self._loaded: dict[str, TranslationFile] = {}

    def __getitem__(self, lang: str) -> TranslationFile:
        found = self._loaded.get(lang)
        if found is None:
            raw, start, end = self._encoded[lang]
            found = _decode(raw[start:end])
            if not isinstance(found, TranslationFile):
                raise KeyError(lang)
            self._loaded[lang] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)


def build(kb: KnowledgeBase) -> bytes:
    """The snapshot of `kb`, a knowledge base just validated from its folder
    (`load_kb(directory)`, whose `source` names that folder)."""
    directory = Path(kb.source)
    langs = sorted(kb.translations)
    core = dataclasses.replace(
        kb, custom=False, modified=False, source="", fingerprint="", translations={}, states={}
    )
    hashes = hashes_of(directory, KB_FILES)
    codes = list(kb.states)
    lines = [
        MAGIC,
        fingerprint_from(hashes, KB_FILES).encode("ascii"),
        _encode(core),
        json.dumps(codes).encode("ascii"),
        json.dumps(langs).encode("ascii"),
        *(_encode(kb.translations[lang]) for lang in langs),
        *(_encode(kb.states[code]) for code in codes),
    ]
    return b"\n".join(lines) + b"\n"


def read(
    directory: Path | None = None, hashes: Mapping[str, str] | None = None
) -> KnowledgeBase | None:
    """The snapshot of the built-in knowledge base, if there is one and it matches the YAML files
    beside it (`hashes`: their sha256 by name, when the caller has them already)."""
    root = directory or builtin_dir()
    path = root / SNAPSHOT
    if hashes is None:
        hashes = hashes_of(root)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_HASHED_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_HASHED_BYTES:
        return None
    lines = _lines(raw)

    def line(number: int) -> bytes:
        start, end = lines[number]
        return raw[start:end]

    if len(lines) < 6 or line(0) != MAGIC:
        return None
    if line(1).decode("ascii", "replace") != fingerprint_from(hashes, KB_FILES):
        return None
    try:
        codes = json.loads(line(3))
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            return None
        # The rules' country codes are the States' (checked when the snapshot was built): taken
        # without loading CLDR, a tenth of a command's start-up.
        with known_countries(codes):
            kb = _decode(line(2))
        langs = json.loads(line(4))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(kb, KnowledgeBase) or not isinstance(langs, list):
        return None
    if len(set(codes)) != len(codes) or len(lines) != 5 + len(langs) + len(codes):
        return None
    encoded = {lang: (raw, *span) for lang, span in zip(langs, lines[5:], strict=False)}
    states = dict(zip(codes, lines[5 + len(langs) :], strict=True))
    return dataclasses.replace(
        kb,
        source=str(root),
        fingerprint=fingerprint_from(hashes),
        translations=LazyTranslations(encoded),
        states=LazyStates(raw, states),
    )


def _lines(raw: bytes) -> list[tuple[int, int]]:
    """Where each line of `raw` starts and ends: the translations, nine tenths of the file, are
    sliced out only when their language is asked for (splitting all of it cost a millisecond)."""
    spans = []
    start = 0
    while (end := raw.find(b"\n", start)) >= 0:
        spans.append((start, end))
        start = end + 1
    return spans


def _encode(value: Any) -> bytes:
    text = json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def _plain(value: Any) -> Any:
    """Records, tuples and dates as tagged JSON objects; anything else JSON cannot hold is a bug."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _classes().get(name) is not type(value):
            raise TypeError(f"{name} is not a knowledge-base record")
        out: dict[str, Any] = {_TYPE: name}
        for f in dataclasses.fields(value):
            if f.init:
                out[f.name] = _plain(getattr(value, f.name))
        return out
    if isinstance(value, tuple):
        return {_TUPLE: [_plain(item) for item in value]}
    if isinstance(value, dict):
        if any(not isinstance(key, str) or key.startswith("@") for key in value):
            raise TypeError("knowledge-base keys are text not starting with @")
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise TypeError(f"{type(value).__name__} cannot go in the snapshot")


def _decode(line: bytes) -> Any:
    return json.loads(line, object_hook=_from_object)


def _from_object(obj: dict[str, Any]) -> Any:
    name = obj.pop(_TYPE, None)
    if name is not None:
        return _classes()[name](**obj)
    if _TUPLE in obj:
        return tuple(obj[_TUPLE])
    if _DATE in obj:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


_registry: dict[str, type] = {}


def _classes() -> dict[str, type]:
    """The only classes a snapshot can make: the knowledge base's records, by class name."""
    if not _registry:
        for module in (conditions, knowledge, models, questions, rules, states):
            for name, obj in vars(module).items():
                if (
                    isinstance(obj, type)
                    and dataclasses.is_dataclass(obj)
                    and obj.__module__ == module.__name__
                ):
                    if name in _registry:
                        raise TypeError(f"two knowledge-base records are named {name}")
                    _registry[name] = obj
    return _registry
