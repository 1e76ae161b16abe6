"""`reprisal-cli kb ...`: validate, list, show, search the knowledge base; print its fingerprint."""

from __future__ import annotations

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

app = typer.Typer(help="Check and browse the knowledge base.", no_args_is_help=True)

Table = Literal["mechanisms", "organisations", "risks", "checklists", "cases", "protection"]


@app.command()
@handle_errors
def validate(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Knowledge-base folder (default: the built-in one).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    kb_add: KbAddOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Check every file, id, reference and source; exit 3 if anything is wrong."""
    language(lang)
    from reprisal_cli.kb.report import validation_report
    from reprisal_cli.timeutil import resolve_as_of

    kb = load_kb_for(directory, kb_add, translate=False)
    typer.echo(validation_report(kb, resolve_as_of(as_of)))


@app.command("list")
@handle_errors
def list_(
    table: Annotated[Table, typer.Argument(help="What to list.")],
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """List the entries of one part of the knowledge base, one per line: id and name."""
    language(lang)
    from reprisal_cli.kb.report import list_entries

    for line in list_entries(load_kb_for(kb, kb_add), table):
        typer.echo(line)


@app.command()
@handle_errors
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="Id of any entry or contact.")],
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Show one entry in full, with its contacts, sources and dates."""
    language(lang)
    from reprisal_cli.kb.report import show_entry

    typer.echo(show_entry(load_kb_for(kb, kb_add), ident))


@app.command()
@handle_errors
def search(
    text: Annotated[str, typer.Argument(help="Words to look for (all must appear).")],
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Find entries whose text contains every word given."""
    language(lang)
    from reprisal_cli.kb.report import search_entries

    hits = search_entries(load_kb_for(kb, kb_add), text)
    for line in hits:
        typer.echo(line)
    if not hits:
        typer.echo("No entry matches.", err=True)
        raise typer.Exit(1)


@app.command()
@handle_errors
def fingerprint(
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="Knowledge-base folder (default: the built-in one).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Print the knowledge-base fingerprint, to compare with one published elsewhere."""
    language(lang)
    from reprisal_cli.cli.common import builtin_fingerprint, fingerprint_of_folder

    if directory is None:
        typer.echo(builtin_fingerprint())
    else:
        typer.echo(fingerprint_of_folder(directory))
