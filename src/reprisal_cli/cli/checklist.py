"""`reprisal-cli checklist [ID]`: list the checklists, or print / write one."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reprisal_cli.cli.common import KbAddOption, KbOption, handle_errors, load_kb_for
from reprisal_cli.errors import UsageError

if TYPE_CHECKING:
    from reprisal_cli.kb.models import Checklist

ChecklistRenderer = Callable[["Checklist"], "str | bytes"]


def _markdown(checklist: Checklist) -> str:
    from reprisal_cli.render.text import checklist_markdown

    return checklist_markdown(checklist)


def _text(checklist: Checklist) -> str:
    from reprisal_cli.render.text import checklist_text

    return checklist_text(checklist)


# One entry per format: a new format (html, pdf) is one function and one line here.
FORMATS: dict[str, ChecklistRenderer] = {"md": _markdown, "txt": _text}


def renderer_for(fmt: str) -> ChecklistRenderer:
    """The renderer of `fmt`; `UsageError` (exit 2) for a format not known."""
    renderer = FORMATS.get(fmt)
    if renderer is None:
        raise UsageError(
            f"--format: unknown format {fmt!r}", hint="Use one of: " + ", ".join(FORMATS) + "."
        )
    return renderer


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
        str,
        typer.Option("--format", "-f", help="Output format: " + ", ".join(FORMATS) + "."),
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead of the screen (never replaces a file unless --force).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
) -> None:
    """List the safety checklists, or print one with tick boxes to fill in."""
    from reprisal_cli.output import write_atomic
    from reprisal_cli.render.escape import one_line

    render = renderer_for(fmt)
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
    data = render(found)
    if output is not None:
        write_atomic(output, data, force=force)
        return
    if isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(data, nl=False)


def register(app: typer.Typer) -> None:
    """Add the `checklist` command to the app."""
    app.command("checklist")(handle_errors(checklist))
