"""`reprisal-cli batch INPUT... -o OUTDIR`: one plan per case, for protection desks.

INPUT is answers files, case files (FILE.age, opened with --identity or --passphrase-file: the
consent in force on --as-of, from the ledger, drives the gates), folders (every *.yaml, *.yml and
*.json inside, and *.age when a key is given, recursively, sorted by name; a symbolic link, FIFO or
folder named so inside is reported as a failed case, never read) or `-` for JSON Lines on standard
input (one answers document per line of at most 1 MiB, named `stdin:LINE`). Each plan is written to
OUTDIR, named from its `case_id` or its input's stem (lower-cased, only a-z 0-9 . _ -, with `~2`,
`~3` ... on collisions in input order), atomically; an existing file is replaced only with --force,
and an input file never. OUTDIR may lie inside an INPUT folder (it is not read, nor is the
--report file); with --format json it may not be an INPUT folder itself (exit 2), where the
plans would be read as answers files on the next run. `--format jsonl -o -` streams the plans
to standard output instead, one per line in input order, a failed case as the contract's error
record.

A case file found in a folder without a key is not read: it is named in the summary
("skipped") and the report (`skipped`), and counted on standard error; folders with no case to
read are a usage error (exit 2).

A bad case never stops the others (unless --fail-fast). At the end, a summary goes to standard
error (with --quiet, only the failures), and --report FILE writes it as JSON (`reprisal-cli/batch-
report/v1`). The exit code is the highest-priority failure met: 4 (an output could not be written),
then 3, then 1 (an invalid case); 0 when every case is done.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from reprisal_cli.cli.boundary import Interrupted, drop_stdout, handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption
from reprisal_cli.cli.options import AsOfOption, LangOption, language
from reprisal_cli.cli.passphrase import PassphraseFileOption
from reprisal_cli.cli.reading import (
    PLAN_AFTER_WITHDRAWAL,
    IdentityOption,
    is_case_file,
    withdrawal_warning,
)
from reprisal_cli.cli.writing import RecipientOption
from reprisal_cli.errors import OutputError, ReprisalError, UsageError
from reprisal_cli.i18n import _, ngettext
from reprisal_cli.untrusted import one_line

if TYPE_CHECKING:
    import datetime as dt

    from reprisal_cli.batch import CaseResult, Summary

STREAM = "-"
LIST_OK_UP_TO = 200  # beyond this, the summary lists only failures (all are in --report)


def batch_formats() -> tuple[str, ...]:
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import PLAN_FORMATS

    return (*PLAN_FORMATS, "jsonl")


def _check(fmt: str, output: str, inputs: list[str], jobs: int | None) -> None:
    formats = batch_formats()
    if fmt not in formats:
        raise UsageError(
            f"--format: unknown format {fmt!r}", hint="Use one of: " + ", ".join(formats) + "."
        )
    if (fmt == "jsonl") != (output == STREAM):
        raise UsageError(
            "--format jsonl goes with -o - (a stream on standard output), and -o - with jsonl",
            hint="Use --format jsonl -o - for a pipeline, or another format with -o OUTDIR.",
        )
    if inputs.count(STREAM) > 1:
        raise UsageError("standard input (-) can be given only once")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs {jobs}: give 1 or more")


def _target(
    inputs: list[str], out_dir: Path | None, fmt: str, recipients: list[str] | None, *, force: bool
) -> dict[str, bytes] | None:
    """The archive to collect the plans in (with --recipient), else None; either way the output
    checked before any case runs."""
    if recipients:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.crypto import parse_recipients, with_age_suffix
        from reprisal_cli.output import check_target

        if out_dir is None:
            raise UsageError("--recipient writes one encrypted archive: give -o OUTDIR")
        parse_recipients(recipients)  # a typo in a key fails before any case runs
        check_target(with_age_suffix(out_dir), force=force)
        return {}
    if out_dir is not None and fmt == "json":
        _check_not_an_input_folder(inputs, out_dir)
    return None


def _check_not_an_input_folder(inputs: list[str], out_dir: Path) -> None:
    """JSON plans written into an INPUT folder would be read back as (broken) answers files on
    the next run: refused, exit 2, before anything is written."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.batch.inputs import input_folder_of

    if input_folder_of(inputs, out_dir) is not None:
        raise UsageError(
            _(
                "-o {folder}: this folder is also an input folder: the JSON plans written "
                "there would be read as answers files on the next run"
            ).format(folder=one_line(str(out_dir))),
            hint=_(
                "Write the plans to a folder of their own, for example -o {plans} (a folder "
                "inside an input folder is not read)."
            ).format(plans=one_line(str(out_dir / "plans"))),
        )


@handle_errors
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Answers files, case files, folders (searched for *.yaml, *.yml, *.json, and "
            "*.age with --identity or --passphrase-file) or - for JSON Lines on standard input.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="OUTDIR",
            help="Folder for the plans (created if missing), or - with --format jsonl.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="json, md, txt, html, pdf, or jsonl (with -o -)."),
    ] = "json",
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", help="Worker processes (default, and at most: one per core).", min=1
        ),
    ] = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop at the first case that fails.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress bar; the summary lists only failures."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Also write the summary as JSON (reprisal-cli/batch-report/v1) to this file.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace existing plan files (and the report); never an input file."
        ),
    ] = False,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="Leave out free text (case id, notes); files are then named from the inputs.",
        ),
    ] = False,
    recipients: RecipientOption = None,
    identity: IdentityOption = None,
    passphrase_file: PassphraseFileOption = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Make one plan per answers file, case file (or JSON Lines record), in parallel."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.batch import Settings, Summary, default_jobs, run_batch
    from reprisal_cli.timeutil import resolve_as_of

    _check(fmt, output, inputs, jobs)
    identities, passphrase = _input_keys(identity, passphrase_file)
    settings = Settings(
        fmt=fmt,
        as_of=resolve_as_of(as_of),
        lang=language(lang),
        redact=redact,
        kb_dir=kb,
        kb_add=kb_add,
        identities=identities,
        passphrase=passphrase,
    )
    out_dir = None if output == STREAM else Path(output)
    archive = _target(inputs, out_dir, fmt, recipients, force=force)
    summary = Summary()
    made_out_dir = out_dir is not None and archive is None and not out_dir.exists()
    results = run_batch(
        inputs,
        settings,
        out_dir,
        summary,
        jobs=jobs or default_jobs(),
        force=force,
        fail_fast=fail_fast,
        stdin=sys.stdin.buffer if STREAM in inputs else None,
        archive=archive,
        report=report,
    )
    try:
        with _progress(enabled=not quiet and sys.stderr.isatty()) as advance:
            for result in results:
                if result.line is not None:
                    sys.stdout.buffer.write(result.line)
                    sys.stdout.buffer.flush()
                advance(result)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see cli.main)
        # First: the count is of the plans on disk once the writer stopped. An interrupt in
        # the middle of the worker pool's own messages can leave its pipes broken, so that
        # stopping it fails; the workers end with this process all the same (die_with_parent).
        with suppress(OSError, ReprisalError):
            results.close()
        sys.stderr.write(withdrawals_text(summary, settings.as_of))
        raise Interrupted(f"Interrupted after {len(summary.results)} cases.\n") from None
    except BrokenPipeError:
        # The reader of the stream went away (`| head`): stop; the cases left are not done.
        drop_stdout()
        raise OutputError(
            f"standard output was closed: stopped after {len(summary.results)} cases"
        ) from None
    finally:
        results.close()

    if not summary.results and STREAM not in inputs:
        refuse_nothing_read(summary, out_dir if made_out_dir else None)
    if archive is not None and out_dir is not None and archive:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.crypto import write_encrypted_archive

        written = write_encrypted_archive(
            archive, out_dir, recipients=recipients or (), force=force
        )
        sys.stderr.write(f"{len(archive)} plans written, encrypted, to {one_line(str(written))}\n")
    sys.stderr.write(withdrawals_text(summary, settings.as_of))
    sys.stderr.write(summary_text(summary, quiet=quiet))
    sys.stderr.write(
        unread_text(summary) + (plain_from_cases_text(summary) if archive is None else "")
    )
    if report is not None:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.output import write_atomic

        write_atomic(report, summary.to_json(), force=force)
    raise typer.Exit(int(summary.exit_code))


def _input_keys(
    identity: Path | None, passphrase_file: Path | None
) -> tuple[tuple[str, ...], str | None]:
    """What opens the encrypted inputs (case files): age secret keys, or one passphrase."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import read_identity_file, read_passphrase_file

    if identity is not None and passphrase_file is not None:
        raise UsageError(
            "give --identity or --passphrase-file, not both",
            hint="The case files of one batch open one way: a team's age key, or a passphrase.",
        )
    identities = tuple(read_identity_file(identity)) if identity is not None else ()
    passphrase = read_passphrase_file(passphrase_file) if passphrase_file is not None else None
    return identities, passphrase


def withdrawals_text(summary: Summary, day: dt.date) -> str:
    """A warning for each plan made from a case file whose consent was withdrawn after `day`
    (--as-of), as `plan` gives it; also with --quiet: these plans must not be acted on as they
    stand. On standard error, after the cases: a stream's lines stay plans only."""
    return "".join(
        withdrawal_warning(
            r.withdrawn, day, made="its plan", then=PLAN_AFTER_WITHDRAWAL, name=r.input
        )
        for r in summary.results
        if r.withdrawn and r.ok
    )


def plain_from_cases_text(summary: Summary) -> str:
    """Said, with --quiet too, when plans of encrypted case files were written as plain files
    (no -r): readable copies of what the cases hold are now on the disk (red team red38)."""
    count = sum(1 for r in summary.results if r.ok and r.output and is_case_file(Path(r.input)))
    if not count:
        return ""
    said = ngettext(
        "The plan of {n} case file was written NOT encrypted: delete it when you no "
        "longer need it, or give -r KEY to write the plans encrypted.",
        "The plans of {n} case files were written NOT encrypted: delete them when you "
        "no longer need them, or give -r KEY to write the plans encrypted.",
        count,
    )
    return said.format(n=count) + "\n"


def unread_text(summary: Summary) -> str:
    """How many case files the folders held that were not read (no key given), and how to read
    them; also with --quiet: their plans were not made again. The files are in the table."""
    count = len(summary.unread)
    if not count:
        return ""
    return (
        ngettext(
            "Not read: {n} case file (*.age) in the folders given, so no plan was made for it. "
            "To read it, give --identity KEYFILE or --passphrase-file FILE.",
            "Not read: {n} case files (*.age) in the folders given, so no plan was made for "
            "them. To read them, give --identity KEYFILE or --passphrase-file FILE.",
            count,
        ).format(n=count)
        + "\n"
    )


def refuse_nothing_read(summary: Summary, made: Path | None) -> NoReturn:
    """Folders with no case to read are a usage error (exit 2), as `followup` makes of them:
    "0 cases", exit 0, said a folder of case files without a key had nothing to do (red35).
    `made`, the output folder this batch created, is removed while still empty."""
    if made is not None:
        with suppress(OSError):
            made.rmdir()
    raise UsageError(_("no case found in the folders given"), hint=nothing_read_hint(summary))


def nothing_read_hint(summary: Summary) -> str:
    """The hint of the usage error for folders without a case to read."""
    count = len(summary.unread)
    if count:
        return ngettext(
            "{n} case file (*.age) was found: give --identity KEYFILE or --passphrase-file FILE "
            "to read it.",
            "{n} case files (*.age) were found: give --identity KEYFILE or --passphrase-file "
            "FILE to read them.",
            count,
        ).format(n=count)
    return _(
        "In a folder, batch reads the answers files (*.yaml, *.yml, *.json), and the case files "
        "(*.age) only with --identity KEYFILE or --passphrase-file FILE."
    )


def summary_text(summary: Summary, *, quiet: bool) -> str:
    """The end-of-batch table: failed cases with their reasons, ok cases (when few), the case
    files not read, totals; in the reader's language (the report keeps the machine's words)."""
    # lazy: loaded by the batch already (bench/startup)
    from reprisal_cli.batch.summary import UNREAD_REASON
    from reprisal_cli.render.labels import width

    rows: list[tuple[str, str, str]] = []
    list_ok = not quiet and len(summary.results) <= LIST_OK_UP_TO
    for result in summary.results:
        # Input names come from the file system and reasons quote the files: one line each,
        # nothing in them that could drive the terminal.
        if result.error is not None:
            rows.append((_("FAILED"), one_line(result.input), one_line(result.error.message)))
        elif list_ok:
            rows.append(
                (_("ok"), one_line(result.input), one_line(result.output or _("(standard output)")))
            )
    # Also with --quiet, as failures are: no plan was made for them (`unread_text`).
    rows += [(_("skipped"), one_line(name), _(UNREAD_REASON)) for name in summary.unread]
    lines: list[str] = []
    if rows:
        head = (_("status"), _("input"), _("output / reason"))
        inputs = min(60, max(width(r[1]) for r in rows))
        status = max(width(r[0]) for r in [head, *rows])

        def pad(text: str, columns: int) -> str:
            return text + " " * max(0, columns - width(text))

        lines += [f"{pad(s, status)}  {pad(i, inputs)}  {what}" for s, i, what in [head, *rows]]
    failed = len(summary.results) - summary.ok
    unread = len(summary.unread)
    # With --quiet too when files were left unread: the batch is not complete (noticed
    # 2026-12-05: "1 cases: 1 ok, 0 failed.", exit 0, read as every case done).
    if not quiet or failed or unread:
        total = ngettext(
            "{n} case: {ok} ok, {failed} failed",
            "{n} cases: {ok} ok, {failed} failed",
            len(summary.results),
        ).format(n=len(summary.results), ok=summary.ok, failed=failed)
        if unread:
            total += ngettext(
                "; {n} case file NOT read (skipped)",
                "; {n} case files NOT read (skipped)",
                unread,
            ).format(n=unread)
        if summary.stopped_early:
            total += _(" (stopped at the first failure: --fail-fast)")
        if not list_ok and summary.ok and not quiet:
            total += _("; ok cases not listed, see --report")
        lines.append(total + _("."))
    return "".join(line + "\n" for line in lines)


def _progress(*, enabled: bool) -> AbstractContextManager[Any]:
    if not enabled:
        return nullcontext(lambda result: None)
    return _RichProgress()


class _RichProgress:
    """A progress line on the terminal: cases done and failed so far (the total is not known
    in advance: inputs are found as the batch goes)."""

    def __enter__(self) -> Any:
        # lazy: rich only when drawing on a terminal (bench/startup)
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed} cases, {task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.__enter__()
        self._task = self._progress.add_task("batch", total=None, failed=0)
        self._failed = 0
        return self.advance

    def advance(self, result: CaseResult) -> None:
        if not result.ok:
            self._failed += 1
        self._progress.update(self._task, advance=1, failed=self._failed)

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
