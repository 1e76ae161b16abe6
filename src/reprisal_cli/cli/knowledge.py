"""The knowledge base a command runs on (`--kb`, `--kb-add`), and its fingerprint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from reprisal_cli.errors import KnowledgeBaseError, Problem
from reprisal_cli.i18n import current_lang
from reprisal_cli.untrusted import one_line

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        help="Use this knowledge-base folder instead of the built-in one (labelled 'custom').",
        file_okay=False,
        show_default=False,
    ),
]
KbAddOption = Annotated[
    Path | None,
    typer.Option(
        "--kb-add",
        help="Lay local organisations and contacts (organisations.yaml, contacts.yaml in this "
        "folder) over the knowledge base.",
        file_okay=False,
        show_default=False,
    ),
]


def load_kb_for(kb: Path | None, kb_add: Path | None, *, translate: bool = True) -> Any:
    """The knowledge base a command runs on, its texts in the interface language where a
    translation exists (`translate=False` keeps the source texts, e.g. to validate them)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.loader import load_kb

    knowledge = load_kb(kb, overlay=kb_add)
    return in_language(knowledge, current_lang()) if translate else knowledge


def in_language(knowledge: Any, lang: str) -> Any:
    """A knowledge base (as loaded, in its source language) with its texts in `lang` where a
    translation exists."""
    translation = knowledge.translations.get(lang)
    if translation is None:
        return knowledge
    # lazy: the evaluator (whose cache keeps each translation) only for a translated knowledge
    # base, so `followup` in English does not load it (bench/followup)
    from reprisal_cli.engine.evaluate import translated

    return translated(knowledge, translation)


def warn_if_changed(knowledge: Any) -> None:
    """On standard error, in the interface language, the knowledge base's own warning when its
    installed files changed since release: for `followup` and `export`, whose output is not a
    plan (a plan carries it among its warnings) but whose consent notes and left-out fields
    follow what the knowledge base says each body needs (red team red39)."""
    if knowledge.modified:
        text = in_language(knowledge, current_lang()).safety.modified_kb
        sys.stderr.write(one_line(text) + "\n")


def builtin_fingerprint() -> str:
    """The built-in knowledge base's fingerprint, marked when its files changed since release."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.files import DataFileError, builtin_dir, check_builtin, fingerprint_from

    try:
        hashes, modified = check_builtin(builtin_dir())
    except DataFileError as exc:
        raise KnowledgeBaseError([Problem(exc.reason, file=str(exc.path))]) from None
    fingerprint = fingerprint_from(hashes)
    if modified:
        fingerprint += " (modified since release: reinstall from a trusted source)"
    return fingerprint


def fingerprint_of_folder(directory: Path) -> str:
    """The fingerprint of the knowledge base in `directory`; exit 3 for a folder that is not a
    knowledge base (a file every one has is missing, as `kb validate` says), or for a file too
    large to be one, a link or a device. The fingerprint of an empty folder is the sha256 of
    nothing: recorded as checked, it would vouch for a knowledge base that does not exist
    (red35)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.files import DataFileError, fingerprint_of, missing_files, short_name

    if not directory.is_dir():
        raise KnowledgeBaseError([Problem("is not a folder", file=str(directory))])
    missing = missing_files(directory)
    if missing:
        raise KnowledgeBaseError([Problem("does not exist", file=short_name(p)) for p in missing])
    try:
        return fingerprint_of(directory)
    except DataFileError as exc:
        raise KnowledgeBaseError([Problem(exc.reason, file=str(exc.path))]) from None
