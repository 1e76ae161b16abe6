"""`reprisal-cli card [ANSWERS]`: the one-page emergency card to fold into a wallet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.cli.common import (
    AsOfOption,
    ForceOption,
    KbAddOption,
    KbOption,
    LangOption,
    OutputOption,
    PaperOption,
    check_choice,
    emit,
    handle_errors,
    language,
    load_kb_for,
    paper_size,
)


def card(
    answers_file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[ANSWERS]",
            help="Answers file, or - for standard input. Without it: the generic card.",
            dir_okay=False,
            allow_dash=True,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output format: pdf, txt or html.")
    ] = "pdf",
    output: OutputOption = None,
    force: ForceOption = False,
    paper: PaperOption = "a4",
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Print the emergency card: 24-hour lines, key contacts, first steps; no names."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.answers import Answers, read_answers
    from reprisal_cli.engine import evaluate
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.card import CARD_FORMATS, render_card
    from reprisal_cli.timeutil import resolve_as_of

    check_choice("--format", fmt, CARD_FORMATS)
    date = resolve_as_of(as_of)
    options = RenderOptions(paper=paper_size(paper), as_of=date.isoformat(), redact=True)
    answers = Answers() if answers_file is None else read_answers(answers_file)
    knowledge = load_kb_for(kb, kb_add)
    # The card never shows free text: drop it before the engine even sees it.
    result = evaluate(answers.redacted(), knowledge, as_of=date)
    data = render_card(result, knowledge, fmt, options, generic=answers_file is None)
    emit(data, output, force=force, fmt=fmt, what="Card")


def register(app: typer.Typer) -> None:
    """Add the `card` command to the app."""
    app.command("card")(handle_errors(card))
