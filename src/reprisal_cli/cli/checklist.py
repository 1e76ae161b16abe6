"""`reprisal-cli checklist [ID]`: list the checklists, or print / write one."""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Annotated

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
from reprisal_cli.errors import UsageError

if TYPE_CHECKING:
    from reprisal_cli.kb.models import Checklist


def available_formats() -> tuple[str, ...]:
    """The checklist formats of `render.CHECKLIST_FORMATS` whose renderer is installed."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import CHECKLIST_FORMATS

    # A format's module may land after its name (pdf): offer only what can run.
    return tuple(
        fmt
        for fmt in CHECKLIST_FORMATS
        if fmt in ("md", "txt") or importlib.util.find_spec(f"reprisal_cli.render.{fmt}")
    )


def checklist(
    ident: Annotated[
        str | None,
        typer.Argument(
            metavar="ID",
            help="Checklist to show. Without it, the checklists are listed.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: md, txt, html or pdf, as installed (default: with -o, from the "
            "file name; else md).",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    paper: PaperOption = "a4",
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    as_of: PrintedAsOfOption = None,
    lang: LangOption = None,
) -> None:
    """List the safety checklists, or print one with tick boxes to fill in."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import RenderOptions, render_checklist
    from reprisal_cli.render.escape import one_line
    from reprisal_cli.timeutil import resolve_as_of

    chosen = choose_format(fmt, output, available_formats(), default="md")
    options = RenderOptions(paper=paper_size(paper), as_of=resolve_as_of(as_of).isoformat())
    base = load_kb_for(kb, kb_add)
    checklists: dict[str, Checklist] = base.checklists
    if ident is None:
        width = max((len(cid) for cid in checklists), default=0)
        for cid in sorted(checklists):
            typer.echo(f"{cid.ljust(width)}  {one_line(checklists[cid].title)}")
        return
    found = checklists.get(ident)
    if found is None:
        known = ", ".join(sorted(checklists)) or "(none)"
        raise UsageError(
            f"no checklist with id {one_line(ident)!r}",
            hint=f"Known checklists: {known}. Run 'reprisal-cli checklist' to list them.",
        )
    data = render_checklist(found, chosen, base, options)
    emit(data, output, force=force, fmt=chosen, what="Checklist")


def register(app: typer.Typer) -> None:
    """Add the `checklist` command to the app."""
    app.command("checklist")(handle_errors(checklist))
