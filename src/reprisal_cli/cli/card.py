"""`reprisal-cli card [ANSWERS]`: the one-page emergency card to fold into a wallet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for
from reprisal_cli.cli.options import (
    AsOfOption,
    LangOption,
    PaperOption,
    choose_format,
    language,
    paper_size,
)
from reprisal_cli.cli.passphrase import PassphraseFileOption
from reprisal_cli.cli.reading import (
    IdentityOption,
    ahead_note,
    answers_for_now,
    dated_ahead,
    is_case_file,
    read_answers_or_case,
    withdrawn_said,
)
from reprisal_cli.cli.writing import ForceOption, OutputOption, emit
from reprisal_cli.i18n import N_, _

NOTE = N_("Note: {note}")
# A card is carried from now on: it follows the consent in force now, whatever --as-of says.
CARD_AFTER_WITHDRAWAL = N_(
    "consent was withdrawn or narrowed after {day}: {withdrawn}. The card follows the consent "
    "in force now."
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
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: pdf, txt or html (default: with -o, from the file name; else "
            "txt on a terminal and pdf otherwise).",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    paper: PaperOption = "a4",
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
    with_un: Annotated[
        bool,
        typer.Option(
            "--with-un",
            help="Also print the case's UN and regional contacts and steps (left out by "
            "default: a card found in a search must not link its bearer to the UN).",
        ),
    ] = False,
) -> None:
    """Print the emergency card: 24-hour lines, key contacts, first steps; no names."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.answers import Answers
    from reprisal_cli.engine.evaluate import evaluate
    from reprisal_cli.render import RenderOptions
    from reprisal_cli.render.card import CARD_FORMATS, render_card
    from reprisal_cli.timeutil import resolve_as_of

    # On a terminal the text card: a PDF there would only be refused.
    default = "txt" if output is None and sys.stdout.isatty() else "pdf"
    chosen = choose_format(fmt, output, CARD_FORMATS, default=default)
    date = resolve_as_of(as_of)
    options = RenderOptions(paper=paper_size(paper), as_of=date.isoformat(), redact=True)
    answers, case = (
        (Answers(), None)
        if answers_file is None
        else read_answers_or_case(
            answers_file, as_of=date, passphrase_file=passphrase_file, identity=identity
        )
    )
    # A card is carried from now on: the consent in force now (second red team 2026-12-03).
    answers, withdrawn = answers_for_now(answers, case, date, str(answers_file))
    if withdrawn:
        note = (
            ahead_note(withdrawn, date, "the card")
            if dated_ahead(date)
            else _(CARD_AFTER_WITHDRAWAL).format(
                day=date.isoformat(), withdrawn=withdrawn_said(withdrawn)
            )
        )
        sys.stderr.write(_(NOTE).format(note=note) + "\n")
    knowledge = load_kb_for(kb, kb_add)
    # The card never shows free text: drop it before the engine even sees it.
    result = evaluate(answers.redacted(), knowledge, as_of=date)
    data = render_card(
        result, knowledge, chosen, options, generic=answers_file is None, with_un=with_un
    )
    from_encrypted = answers_file is not None and is_case_file(answers_file)
    emit(data, output, force=force, fmt=chosen, what="Card", from_encrypted=from_encrypted)


def register(app: typer.Typer) -> None:
    """Add the `card` command to the app."""
    app.command("card")(handle_errors(card))
