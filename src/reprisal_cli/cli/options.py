"""The options every command shares that choose how it speaks: the interface language, the day
it acts on, the format and paper of a document; and the checks of their values (exit 2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import _, resolve_lang, set_lang
from reprisal_cli.untrusted import one_line

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language: en, fr, es, ar, ru, zh (default: from LANG / LC_ALL, else en).",
        show_default=False,
    ),
]
# What `--as-of` does differs by command; each help says it in plain words.
_AS_OF_DEFAULT = (
    " Default: today (or the day in the SOURCE_DATE_EPOCH environment variable, if set). "
    "Give the same day to get the same file again."
)
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: it is the date shown, and the age of "
        "every contact check is counted from it." + _AS_OF_DEFAULT,
        show_default=False,
    ),
]
PrintedAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: it is the date printed on the document."
        + _AS_OF_DEFAULT,
        show_default=False,
    ),
]
CheckAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: the age of every contact check is "
        "counted from it." + _AS_OF_DEFAULT,
        show_default=False,
    ),
]
DraftAsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Act as if today were this day, YYYY-MM-DD: a draft shows no date, but from a case "
        "file it follows the consent of that day, or the consent in force now where it was "
        "withdrawn or narrowed since." + _AS_OF_DEFAULT,
        show_default=False,
    ),
]


def language(lang: str | None) -> str:
    """The language of this run (`--lang`, else the locale, else English), now in effect for
    every message; `UsageError` (exit 2) for an unknown `--lang`."""
    chosen = resolve_lang(lang)
    set_lang(chosen)
    return chosen


PaperOption = Annotated[
    str, typer.Option("--paper", help="Paper size for PDF and HTML: a4 or letter.")
]


def choose_format(
    fmt: str | None, output: Path | None, formats: tuple[str, ...], *, default: str
) -> str:
    """The format to write: `--format` if given, else the one the file name says, else
    `default`. `UsageError` (exit 2) for a format not in `formats`, and for a file name whose
    suffix says another format than `--format` (Markdown must never land in a .pdf)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import suffix_format

    if fmt is not None and fmt not in formats:
        raise UsageError(
            _("--format: unknown format {format!r}").format(format=fmt),
            hint=_("Use one of: {formats}.").format(formats=", ".join(formats)),
        )
    named = suffix_format(output) if output is not None else None
    if named is None:
        return default if fmt is None else fmt
    if fmt is not None and fmt != named:
        raise UsageError(
            _("the file name {file} says .{suffix}, but --format says {format}").format(
                file=one_line(str(output)), suffix=named, format=fmt
            ),
            hint=_("Leave out --format, or end the file name in .{format}.").format(format=fmt),
        )
    if named not in formats:
        raise UsageError(
            _("this command does not write .{suffix} files").format(suffix=named),
            hint=_("Use one of: {formats}.").format(formats=", ".join(formats)),
        )
    return named


def check_choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    """`UsageError` (exit 2) unless `value` is one of `allowed`."""
    if value not in allowed:
        raise UsageError(
            f"{option}: unknown value {value!r}", hint="Use one of: " + ", ".join(allowed) + "."
        )


def paper_size(value: str) -> Literal["a4", "letter"]:
    """`--paper`, checked."""
    if value == "letter":
        return "letter"
    check_choice("--paper", value, ("a4", "letter"))
    return "a4"
