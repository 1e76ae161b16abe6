"""`reprisal-cli form`: the blank questionnaire, to print for interviews on paper."""

from __future__ import annotations

from typing import Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for
from reprisal_cli.cli.options import (
    LangOption,
    PaperOption,
    PrintedAsOfOption,
    choose_format,
    language,
    paper_size,
)
from reprisal_cli.cli.writing import ForceOption, OutputOption, emit


def form(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: md, txt, html or pdf (default: with -o, from the file name; "
            "else md).",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    paper: PaperOption = "a4",
    as_of: PrintedAsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Print the blank questionnaire, with tick boxes, for interviews on paper."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.form import FORM_FORMATS, render_form
    from reprisal_cli.timeutil import resolve_as_of

    chosen = choose_format(fmt, output, FORM_FORMATS, default="md")
    options = RenderOptions(paper=paper_size(paper), as_of=resolve_as_of(as_of).isoformat())
    knowledge = load_kb_for(kb, kb_add)
    data = render_form(knowledge, chosen, options)
    emit(data, output, force=force, fmt=chosen, what="Form")


def register(app: typer.Typer) -> None:
    """Add the `form` command to the app."""
    app.command("form")(handle_errors(form))
