"""`reprisal-cli form`: the blank questionnaire, to print for interviews on paper."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from reprisal_cli.cli.common import (
    AsOfOption,
    KbAddOption,
    KbOption,
    LangOption,
    handle_errors,
    language,
    load_kb_for,
)
from reprisal_cli.errors import UsageError

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of the screen (never replaces a file unless --force).",
        dir_okay=False,
        show_default=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]
PaperOption = Annotated[
    str, typer.Option("--paper", help="Paper size for PDF and HTML: a4 or letter.")
]


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


def emit(data: str | bytes, output: Path | None, *, force: bool, fmt: str, what: str) -> None:
    """Write `data` to `output` atomically, or to standard output (never binary to a terminal)."""
    if output is not None:
        from reprisal_cli.output import write_atomic

        write_atomic(output, data, force=force)
        sys.stderr.write(f"{what} written to {output}\n")
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            raise UsageError(
                f"--format {fmt} is binary and would garble the terminal",
                hint="Add -o FILE to write it to a file.",
            )
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(data, nl=False)


def form(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: md, txt, html or pdf.")
    ] = "md",
    output: OutputOption = None,
    force: ForceOption = False,
    paper: PaperOption = "a4",
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Print the blank questionnaire, with tick boxes, for interviews on paper."""
    language(lang)
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.form import FORM_FORMATS, render_form
    from reprisal_cli.timeutil import resolve_as_of

    check_choice("--format", fmt, FORM_FORMATS)
    options = RenderOptions(paper=paper_size(paper), as_of=resolve_as_of(as_of).isoformat())
    knowledge = load_kb_for(kb, kb_add)
    data = render_form(knowledge, fmt, options)
    emit(data, output, force=force, fmt=fmt, what="Form")


def register(app: typer.Typer) -> None:
    """Add the `form` command to the app."""
    app.command("form")(handle_errors(form))
