"""`reprisal-cli export FILE.age` and `reprisal-cli import ESF.json`: a case to and from an
organisation's case database, the consented tier only (see `case.export`)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.case import _saved, case_key, require_age_name
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for, warn_if_changed
from reprisal_cli.cli.options import AsOfOption, LangOption, check_choice, language
from reprisal_cli.cli.passphrase import PassphraseFileOption
from reprisal_cli.cli.reading import (
    IdentityOption,
    read_answers_or_case,
    refuse_after_withdrawal,
    withdrawn_since,
)
from reprisal_cli.cli.writing import (
    ForceOption,
    OutputOption,
    RecipientOption,
    emit,
    output_target,
    refuse_age_name,
)
from reprisal_cli.errors import AnswersError, UsageError
from reprisal_cli.untrusted import json_escape, one_line

FORMATS = ("esf-json", "uwazi-csv")


@handle_errors
def export(
    file: Annotated[
        Path, typer.Argument(metavar="FILE.age", help="The case file.", dir_okay=False)
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="esf-json or uwazi-csv.")] = "esf-json",
    output: OutputOption = None,
    force: ForceOption = False,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Export a case for an organisation's case database (HURIDOCS ESF-shaped JSON, or CSV for
    Uwazi), with only what the consent in force on --as-of allows. NOT encrypted: -o writes a
    plain file."""
    language(lang)  # the messages; the export's data stays in the case's words
    # lazy: case export (the KB models) only when exporting, not for --help
    from reprisal_cli.case.export import export_parts, uwazi_rows
    from reprisal_cli.render.export import left_out_said
    from reprisal_cli.timeutil import resolve_as_of

    check_choice("--format", fmt, FORMATS)
    if output is not None:
        refuse_age_name(output)
        # lazy: output (file writing, queue) is not loaded by --help (bench/startup)
        from reprisal_cli.output import check_target

        check_target(output, force=force)
    day = resolve_as_of(as_of)
    _answers, case = read_answers_or_case(
        file, as_of=day, passphrase_file=passphrase_file, identity=identity
    )
    if case is None:
        raise UsageError(f"{file} is not a case file", hint="Export takes a case file (FILE.age).")
    # An export leaves the encrypted case: never with what the person has since withdrawn.
    refuse_after_withdrawal(withdrawn_since(case, day), day, made="the export")
    knowledge = load_kb_for(kb, kb_add, translate=False)
    warn_if_changed(knowledge)
    doc, left_out = export_parts(case, knowledge, day)
    for what in left_out:
        sys.stderr.write(left_out_said(what) + "\n")
    if fmt == "esf-json":
        data = json_escape(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    else:
        data = _csv(uwazi_rows(doc))
    emit(data, output, force=force, fmt=fmt, what="Export (not encrypted)")


def _csv(rows: list[dict[str, str]]) -> str:
    # lazy: csv only for the Uwazi CSV format, not loaded by --help (bench/startup)
    import csv

    buffer = io.StringIO()
    head = [
        "title",
        "kind",
        "date",
        "type",
        "with",
        "status",
        "case",
        "stage",
        "region",
        "state",
        "profile",
        "engagement",
    ]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for row in rows:
        cells = [one_line(row.get(h, "")) for h in head]
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])
    return buffer.getvalue()


@handle_errors
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="ESF.json", help="reprisal-cli/esf/v1 JSON (from export).", dir_okay=False
        ),
    ],
    case_file: Annotated[
        Path,
        typer.Option("--output", "-o", help="The case file to create (FILE.age).", dir_okay=False),
    ],
    passphrase_file: PassphraseFileOption = None,
    recipient: RecipientOption = None,
) -> None:
    """Make a new case file (encrypted) from an export: what another tool or organisation sends."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.export import import_esf
    from reprisal_cli.case.store import create_case
    from reprisal_cli.documents import parse, read_bytes
    from reprisal_cli.render.export import left_out_by_the_export

    require_age_name(case_file)
    output_target(case_file, encrypt=True)
    doc = parse(
        read_bytes(source, max_bytes=8 * 1024 * 1024, error=AnswersError),
        str(source),
        error=AnswersError,
    )
    case = import_esf(doc.data, str(source))
    key = case_key(passphrase_file, None, recipient, new=True)
    _saved(case_file, create_case(case_file, case, key))
    # What the exporting organisation left out, and why: it may be an act a withdrawal calls
    # for, which the new case cannot hold (red team red32: dropped at the handover).
    for what in doc.data.get("left_out", []):  # a list of texts: checked by import_esf
        sys.stderr.write(left_out_by_the_export(one_line(str(what)[:500])) + "\n")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
