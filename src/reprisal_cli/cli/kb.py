"""`reprisal-cli kb ...`: validate, list, show, search the knowledge base; print its fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import (
    KbAddOption,
    KbOption,
    builtin_fingerprint,
    fingerprint_of_folder,
    load_kb_for,
)
from reprisal_cli.cli.options import CheckAsOfOption, LangOption, language
from reprisal_cli.errors import KnowledgeBaseError, Problem

app = typer.Typer(help="Check and browse the knowledge base.", no_args_is_help=True)

# The folder `kb validate`, `kb audit` and `kb fingerprint` read.
KbDirArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Knowledge-base folder (default: the built-in one).",
        file_okay=False,
        show_default=False,
    ),
]

Table = Literal["mechanisms", "organisations", "risks", "checklists", "cases", "protection"]


@app.command()
@handle_errors
def validate(
    directory: KbDirArgument = None,
    kb_add: KbAddOption = None,
    as_of: CheckAsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Check every file, id, reference and source; exit 3 if anything is wrong."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.report import validation_report
    from reprisal_cli.timeutil import resolve_as_of

    kb = load_kb_for(directory, kb_add, translate=False)
    typer.echo(validation_report(kb, resolve_as_of(as_of)))


@app.command()
@handle_errors
def audit(
    directory: KbDirArgument = None,
    kb_add: KbAddOption = None,
    fmt: Annotated[
        Literal["md", "csv", "json"],
        typer.Option("--format", help="md for reading, csv for a spreadsheet, json for a program."),
    ] = "md",
    as_of: CheckAsOfOption = None,
    fail_on_stale: Annotated[
        bool,
        typer.Option(
            "--fail-on-stale",
            help="Exit 3 when any contact was not confirmed within the knowledge base's limit "
            "(for the CI of an organisation's own knowledge base).",
        ),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Every contact and dated fact: its source date, how and when it was last confirmed, its
    age, and what to re-confirm first (emergency lines and UN mailboxes first)."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.kb.audit import build_audit, render_audit
    from reprisal_cli.timeutil import resolve_as_of

    kb = load_kb_for(directory, kb_add, translate=False)
    report = build_audit(kb, resolve_as_of(as_of))
    typer.echo(render_audit(report, fmt), nl=False)
    failing = report.failing() if fail_on_stale else []
    if failing:
        raise KnowledgeBaseError(
            [
                Problem(
                    f"{len(failing)} contacts not confirmed in the last "
                    f"{report.stale_after_months} months, first {failing[0].id}"
                )
            ],
            hint="Confirm them on the official page or with the organisation, then record "
            "last_confirmed (see README, Keeping contacts current)",
        )


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
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
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
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
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
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
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
    directory: KbDirArgument = None,
    lang: LangOption = None,
) -> None:
    """Print the knowledge-base fingerprint, to compare with one published elsewhere."""
    language(lang)

    if directory is None:
        typer.echo(builtin_fingerprint())
    else:
        typer.echo(fingerprint_of_folder(directory))
