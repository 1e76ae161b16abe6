"""`reprisal-cli followup FILE|DIR...`: what is due across a caseload, most overdue first.

Reads case files (decrypted in memory only) and prints; it has no option to write a file, so no
plaintext copy of a caseload is ever made.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for, warn_if_changed
from reprisal_cli.cli.options import AsOfOption, LangOption, check_choice, language
from reprisal_cli.cli.passphrase import PassphraseFileOption, passphrase_for
from reprisal_cli.cli.reading import withdrawal_warning
from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import N_, ngettext
from reprisal_cli.untrusted import json_escape_bytes, one_line

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping

    from reprisal_cli.case.followup import CaseRead, Item
    from reprisal_cli.case.store import CaseKey
    from reprisal_cli.kb.knowledge import KnowledgeBase

FORMATS = ("terminal", "md", "json", "csv")
PROGRESS_FROM = 50  # files: fewer open in a blink
# The narrowest `what` column worth having; narrower, `what` goes under its row.
WHAT_MIN_COLUMNS = 30
PASSPHRASE_NOTE_FROM = 10  # passphrase-locked files met: about a second each
# Files per process from which a caseload is read in parallel: below, forking costs more than
# it saves (bench/followup.py, bench/RESULTS.md).
PARALLEL_FROM = 100
CHUNKSIZE = 32
# A follow-up (a reminder, a further message) shares the case again with the body it goes to.
LIST_AFTER_WITHDRAWAL = N_(
    "before any follow-up that would share the case, check the consent in force today (case "
    "show, without --as-of or SOURCE_DATE_EPOCH)."
)


@handle_errors
def followup(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE|DIR...",
            help="Case files, or folders of case files (*.age, searched in subfolders).",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="terminal, md, json or csv (default: terminal on a terminal, md otherwise).",
            show_default=False,
        ),
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    identity: Annotated[
        Path | None,
        typer.Option(
            "--identity",
            "-i",
            help="Open case files encrypted to age keys with the secret key in this file.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """List every follow-up due in one case or a caseload: actions whose follow-up date has come
    and cases due for risk reassessment, most overdue first. Nothing is written."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.followup import followup_document, ordered
    from reprisal_cli.case.store import case_names, iter_case_paths
    from reprisal_cli.countries import known_countries
    from reprisal_cli.timeutil import resolve_as_of

    language(lang)
    chosen = fmt or ("terminal" if sys.stdout.isatty() else "md")
    check_choice("--format", chosen, FORMATS)
    if passphrase_file is not None and identity is not None:
        raise UsageError("give --passphrase-file or --identity, not both")
    day = resolve_as_of(as_of)
    files = iter_case_paths(paths)
    if not files:
        raise UsageError("no case file (*.age) found in the folders given")
    knowledge = load_kb_for(kb, kb_add)
    warn_if_changed(knowledge)
    key, files, failures = _key(files, identity, passphrase_file)
    items: list[Item] = []
    locked = 0
    withdrawals: list[tuple[str, Mapping[str, dt.date]]] = []
    if files:
        # A State the knowledge base lists is checked without loading CLDR (bench/followup).
        with known_countries(knowledge.states):
            items, failed, locked, withdrawals = _collect(
                files, case_names(paths, files), key, knowledge, day
            )
        _say_failures(failed)
        failures += failed
    for name, withdrawn in withdrawals:
        sys.stderr.write(
            withdrawal_warning(
                withdrawn, day, made="this list", then=LIST_AFTER_WITHDRAWAL, name=name
            )
        )
    if locked >= PASSPHRASE_NOTE_FROM:
        note = ngettext(
            "Note: {n} case file is locked with a passphrase, which takes about a second to "
            "open. For a caseload, encrypt the cases to a team key instead (age-keygen; case new "
            "--recipient age1...): the whole caseload then opens in seconds.",
            "Note: {n} case files are locked with a passphrase, which takes about a second each "
            "to open. For a caseload, encrypt the cases to a team key instead (age-keygen; case "
            "new --recipient age1...): the whole caseload then opens in seconds.",
            locked,
        )
        sys.stderr.write(note.format(n=locked) + "\n")
    # lazy: the list's words only when it is shown (bench/startup)
    from reprisal_cli.render.followup import what

    if chosen == "json":
        # lazy: orjson only for --format json, not loaded by --help (bench/startup)
        import orjson

        document = followup_document(items, day, what)
        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        sys.stdout.flush()
        sys.stdout.buffer.write(json_escape_bytes(orjson.dumps(document, option=option)))
    elif chosen == "csv":
        sys.stdout.write(_csv(ordered(items)))
    else:
        sys.stdout.write(_table(ordered(items), day, markdown=chosen == "md"))
    if failures:
        raise typer.Exit(max(f.exit_code for f in failures))


def _key(
    files: list[Path], identity: Path | None, passphrase_file: Path | None
) -> tuple[CaseKey, list[Path], list[CaseRead]]:
    """The key the caseload opens with, the files left to read with it, and those already
    said to be unreadable. Before a passphrase is asked on the terminal, a file no passphrase
    opens (not an age file, or not readable) is said at once, and alone it asks for none."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.followup import unopenable
    from reprisal_cli.case.store import CaseKey
    from reprisal_cli.crypto import read_identity_file

    if identity is not None:
        return CaseKey(identities=tuple(read_identity_file(identity))), files, []
    if passphrase_file is not None:
        return CaseKey(passphrase=passphrase_for(passphrase_file, confirm=False)), files, []
    failures = [read for read in map(unopenable, files) if read is not None]
    _say_failures(failures)
    unread = {read.path for read in failures}
    files = [path for path in files if str(path) not in unread]
    key = CaseKey(passphrase=passphrase_for(None, confirm=False) if files else None)
    return key, files, failures


def _say_failures(failures: list[CaseRead]) -> None:
    for failure in failures:
        sys.stderr.write(f"error: {failure.failure}\n")


def _collect(
    files: list[Path],
    names: Mapping[Path, str],
    key: CaseKey,
    knowledge: KnowledgeBase,
    day: dt.date,
) -> tuple[list[Item], list[CaseRead], int, list[tuple[str, Mapping[str, dt.date]]]]:
    """The due items of every file, each under its name in the list (`names`), the files that
    could not be read, how many were locked with a passphrase, and the files whose ledger
    shows a consent withdrawn after `day` (with `narrowed_after`). A large caseload is read in
    shares, one per core, by this process and children forked with the knowledge base and the
    key (`workers.Shares`); a progress bar on standard error for it on a terminal."""
    # lazy: case model and store (records, crypto, tarfile) only for case commands, not --help
    from reprisal_cli.case.followup import CaseloadReader
    from reprisal_cli.workers import can_fork, default_jobs

    reader = CaseloadReader(key, knowledge, day, names)
    jobs = min(default_jobs(), len(files) // PARALLEL_FROM) if can_fork() else 1
    with contextlib.ExitStack() as stack:
        reads: Iterable[CaseRead]
        if jobs > 1:
            # lazy: forked shares only for a large caseload
            from reprisal_cli.workers import Shares

            # The first file here, before the children are forked: they start with what
            # reading a case loads once (pydantic's validator, the country names) instead of
            # each loading it.
            first = reader(files[0])
            # Forked now, before the progress bar starts its thread; ended however this ends,
            # even before their first result is asked for (red46).
            shares = stack.enter_context(
                Shares(jobs, reader, files[1:], chunksize=CHUNKSIZE, lost="case files")
            )
            reads = itertools.chain([first], shares.run())
        else:
            reads = map(reader, files)
        return _gather(reads, len(files))


def _gather(
    reads: Iterable[CaseRead], count: int
) -> tuple[list[Item], list[CaseRead], int, list[tuple[str, Mapping[str, dt.date]]]]:
    """The due items of `reads` (`count` of them), those that failed, how many were locked
    with a passphrase, and the withdrawals; a progress bar on a terminal for a caseload."""
    items: list[Item] = []
    failures: list[CaseRead] = []
    locked = 0
    withdrawals: list[tuple[str, Mapping[str, dt.date]]] = []

    def add(read: CaseRead) -> None:
        nonlocal locked
        locked += read.locked
        if read.failure is not None:
            failures.append(read)
            return
        items.extend(read.items)
        if read.withdrawn:
            withdrawals.append((read.path, read.withdrawn))

    if count >= PROGRESS_FROM and sys.stderr.isatty():
        # lazy: rich only for a progress bar on a terminal (bench/startup)
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Reading case files", total=count)
            for read in reads:
                add(read)
                progress.advance(task)
    else:
        for read in reads:
            add(read)
    return items, failures, locked, withdrawals


def _table(items: list[Item], day: dt.date, *, markdown: bool) -> str:
    """The list as a table, in the reader's language: title, headings, kinds and each `what`
    (`render.followup`); dates ISO and body ids as they are in every language."""
    # lazy: the list's words only when it is shown (bench/startup)
    from reprisal_cli.render import followup as words

    if not items:
        return words.nothing_due(day.isoformat()) + "\n"
    rows = [
        (
            str(i.overdue_days),
            i.due.isoformat(),
            one_line(i.case),
            words.kind(i),
            one_line(i.to or ""),
            one_line(words.what(i)),
        )
        for i in items
    ]
    head = words.headings()
    title = words.title(day.isoformat())
    if markdown:
        # lazy: render.escape only for Markdown output, not loaded by --help (bench/startup)
        from reprisal_cli.render.escape import md_inline

        out = [f"# {md_inline(title)}", ""]
        out.append("| " + " | ".join(md_inline(h) for h in head) + " |")
        out.append("|" + "---|" * len(head))
        out += ["| " + " | ".join(md_inline(c) for c in row) + " |" for row in rows]
        return "\n".join(out) + "\n"
    # lazy: columns measured as a terminal shows them (CJK wide), only for a terminal table
    from reprisal_cli.render.labels import colon, width, wrap

    widths = [max(width(h), *(width(r[n]) for r in rows)) for n, h in enumerate(head[:5])]

    def pad(cells: tuple[str, ...]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=False))

    # `what` is wrapped in its own column, or, on a terminal too narrow for that, on indented
    # lines under its row: never one line of 300 columns that the terminal folds anywhere.
    columns = max(shutil.get_terminal_size((100, 24)).columns, 40)
    offset = sum(widths) + 2 * len(widths)
    beside = columns - offset >= WHAT_MIN_COLUMNS
    if beside:
        lines = [pad(head[:5]) + "  " + head[5]]
        for row in rows:
            lines += wrap(row[5], columns, pad(row[:5]) + "  ", " " * offset)
    else:  # each item on lines of its own, its cells named, `what` indented under them
        lines = []
        for row in rows:
            cells = [f"{head[0]}{colon()}{row[0]}", f"{head[1]}{colon()}{row[1]}", *row[2:5]]
            lines += wrap(" · ".join(c for c in cells if c), columns, "", "  ")
            lines += wrap(row[5], columns, "    ")
    return title + colon().rstrip() + "\n" + "\n".join(lines) + "\n"


def _csv(items: list[Item]) -> str:
    """The list as CSV: the header row and `kind` keep the machine keys (scripts read them);
    `what` is in the reader's language."""
    # lazy: csv only for --format csv, not loaded by --help (bench/startup)
    import csv

    # lazy: the list's words only when it is shown (bench/startup)
    from reprisal_cli.render.followup import what

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["case", "case_id", "kind", "what", "to", "due", "overdue_days"])
    for i in items:
        row = [i.case, i.case_id or "", i.kind, what(i), i.to or "", i.due.isoformat(),
               str(i.overdue_days)]  # fmt: skip
        writer.writerow([_no_formula(one_line(c)) for c in row])
    return buffer.getvalue()


def _no_formula(cell: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: such text gets a quote."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def register(app: typer.Typer) -> None:
    app.command("followup")(followup)
