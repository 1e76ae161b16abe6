"""`reprisal-cli open FILE.age`: decrypt a file written with --encrypt, show it or re-render it.

What the file holds decides what happens: a plan (JSON) is shown as on a terminal, or rendered in
`--format`; an answers file is shown as YAML, or turned into a plan with `--format` (or `-o` with a
plan suffix); a case file likewise, with its answers in force on `--as-of` (consent from its
ledger) and its plan as `plan FILE.age` makes it; anything else (a Markdown, text, HTML or PDF
plan) is shown as text when it is text, or written out with `-o`. The decrypted content is never
written unless `-o` is given.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for
from reprisal_cli.cli.options import AsOfOption, LangOption, language
from reprisal_cli.cli.options import choose_format as check_format
from reprisal_cli.cli.passphrase import PassphraseFileOption, passphrase_for
from reprisal_cli.cli.plan import TERMINAL, choose_format, plan_formats
from reprisal_cli.cli.writing import NOT_ENCRYPTED, ForceOption, refuse_age_name
from reprisal_cli.errors import AnswersError, Problem, UsageError
from reprisal_cli.i18n import current_lang, ngettext
from reprisal_cli.untrusted import clean, one_line

if TYPE_CHECKING:
    import datetime as dt

    from reprisal_cli.answers import Answers
    from reprisal_cli.case.model import CaseFile
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase

ANSWERS_FORMAT = "yaml"


def _formats() -> tuple[str, ...]:
    return (*plan_formats(), ANSWERS_FORMAT)


def _as_plan(data: bytes, name: str) -> Plan | None:
    """The plan in `data` if it is a plan JSON; None if it is something else."""
    # lazy: the plan model (engine, KB models) only when a file is opened, not --help
    from reprisal_cli.contract import CASE_ID_PATTERN, PLAN_SCHEMA
    from reprisal_cli.documents import json_int
    from reprisal_cli.engine.plan import Plan

    if not data.lstrip().startswith(b"{"):
        return None
    try:
        doc = json.loads(data.decode("utf-8"), parse_int=json_int)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("schema") != PLAN_SCHEMA:
        return None
    # lazy: records only when data is validated, not on the snapshot path (bench/startup)
    from reprisal_cli.records import validate, validation_error

    try:
        plan = validate(Plan, doc)
    except validation_error() as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AnswersError(
            [Problem(f"holds a plan that is not valid: {where}: {first['msg']}", file=name)]
        ) from None
    if plan.case_id is not None and not CASE_ID_PATTERN.fullmatch(plan.case_id):
        raise AnswersError([Problem("holds a plan whose case id is not valid", file=name)])
    return plan


def _as_answers(data: bytes, name: str) -> Answers | None:
    """The answers in `data` if it is an answers file; None if it is not one at all."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.answers import parse_answers
    from reprisal_cli.contract import ANSWERS_SCHEMAS_ACCEPTED

    try:
        return parse_answers(data, name)
    except AnswersError:
        head = data[:4096]
        if any(s.encode() in head for s in ANSWERS_SCHEMAS_ACCEPTED):
            raise  # it says it is an answers file: say what is wrong with it
        return None


def _as_case(data: bytes, name: str, *, redact: bool) -> CaseFile | None:
    """The case in `data` if it is a case file (its schema comes first); None if not one."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.case.store import decode_case, is_case_data

    if not is_case_data(data):
        return None
    case = decode_case(data, name)
    return case.redacted() if redact else case


def _content(
    data: bytes, name: str, inner: str, as_of: str | None, *, redact: bool
) -> tuple[Plan | None, CaseFile | None, Answers | None]:
    """What the decrypted file holds: a plan, a case (and its answers in force on `as_of`,
    consent from its ledger), answers, or none of them."""
    plan = _as_plan(data, inner)
    if plan is not None:
        return plan, None, None
    case = _as_case(data, name, redact=redact)
    if case is None:
        return None, None, _as_answers(data, inner)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.case.model import answers_now
    from reprisal_cli.timeutil import resolve_as_of

    return None, case, answers_now(case, resolve_as_of(as_of), name)


def _check_withdrawn(case: CaseFile | None, as_of: str | None, *, answers_out: bool) -> None:
    """A case opened for a day before a consent was withdrawn or narrowed (`--as-of`,
    `SOURCE_DATE_EPOCH`): its answers are never written out with the wider consent of that day
    (a plain answers file would carry it on, as `export` is refused); its plan says so first, as
    `plan` does (red team 2026-12-03)."""
    if case is None:
        return
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.cli.reading import (
        PLAN_AFTER_WITHDRAWAL,
        refuse_after_withdrawal,
        withdrawal_warning,
        withdrawn_since,
    )
    from reprisal_cli.timeutil import resolve_as_of

    day = resolve_as_of(as_of)
    withdrawn = withdrawn_since(case, day)
    if not withdrawn:
        return
    if answers_out:
        refuse_after_withdrawal(withdrawn, day, made="the answers written")
        return
    sys.stderr.write(
        withdrawal_warning(withdrawn, day, made="this plan", then=PLAN_AFTER_WITHDRAWAL)
    )


def _plan_of(
    source: CaseFile | Answers, knowledge: KnowledgeBase, day: dt.date, lang: str, name: str
) -> Plan:
    """The plan of a case (as `plan FILE.age` makes it) or of answers."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.case.model import CaseFile
    from reprisal_cli.case.plan import evaluate_case
    from reprisal_cli.engine.evaluate import evaluate

    if isinstance(source, CaseFile):
        return evaluate_case(source, knowledge, as_of=day, lang=lang, name=name)
    return evaluate(source, knowledge, as_of=day, lang=lang)


def _checked_contacts(plan: Plan, knowledge: KnowledgeBase, name: str) -> Plan:
    """A plan read from a file, marked as not the built-in knowledge base's (and said on
    standard error) when its contacts are not this knowledge base's (`foreign_contacts`)."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.engine.evaluate import foreign_contacts, not_builtin

    foreign = foreign_contacts(plan, knowledge)
    if not foreign:
        return plan
    listed = ", ".join(f"{c.id} ({c.value})" for c in foreign)
    sys.stderr.write(
        ngettext(
            "Warning: {file}: {n} contact in this plan is not as the knowledge base gives it: "
            "{contacts}. The file is old or was changed: check it on the official page before "
            "use, or make the plan again from the answers it was made from.",
            "Warning: {file}: {n} contacts in this plan are not as the knowledge base gives "
            "them: {contacts}. The file is old or was changed: check them on the official page "
            "before use, or make the plan again from the answers it was made from.",
            len(foreign),
        ).format(file=name, n=len(foreign), contacts=one_line(listed))
        + "\n"
    )
    return not_builtin(plan, knowledge)


def _identities(path: Path | None) -> list[str]:
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import read_identity_file

    return [] if path is None else read_identity_file(path)


def _emit(data: str | bytes, output: Path | None, force: bool) -> None:
    if output is not None:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.output import write_atomic

        write_atomic(output, data, force=force)
        sys.stderr.write(f"Written to {one_line(str(output))}{NOT_ENCRYPTED}.\n")
        return
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:
            # A PDF may go down a pipe as it is; other binary, or anything on a terminal, not.
            if data.startswith(b"%PDF-") and not sys.stdout.isatty():
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
                return
            raise UsageError(
                "the decrypted file is binary (a PDF, say) and is not shown",
                hint="Write it out with -o FILE.",
            )
        data = text
    # Whatever the file says, nothing in it may drive a terminal, now or when the output is read.
    sys.stdout.write(clean(data))
    sys.stdout.flush()


@handle_errors
def open_(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A file written with --encrypt (or by `age`), or a case file.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    passphrase_file: PassphraseFileOption = None,
    identity: Annotated[
        Path | None,
        typer.Option(
            "--identity",
            "-i",
            help="Decrypt with the age secret key in this file (for files encrypted to a "
            "--recipient) instead of a passphrase.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="For a plan or an answers file: terminal, json, md, txt, html, pdf (a plan), or "
            "yaml (the answers). Default: shown as it is.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the result to this file, NOT encrypted (never replaces a file unless "
            "--force).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Leave out free text (case id, notes)."),
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show why each step is there (plans).")
    ] = False,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Decrypt a file written with --encrypt, and show it or render it in another format."""
    language(lang)
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.crypto import check_encrypted, decrypt, read_encrypted, without_age_suffix

    if passphrase_file is not None and identity is not None:
        raise UsageError("give --passphrase-file or --identity, not both")
    if fmt is not None:  # known, and not contradicted by the suffix of -o (as everywhere)
        check_format(fmt, output, _formats(), default=fmt)
    if output is not None:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.output import check_target

        refuse_age_name(output)  # what open writes is never encrypted
        check_target(output, force=force)
    name = str(file)
    raw = read_encrypted(file)
    check_encrypted(raw, name)  # before a passphrase is asked for a file it cannot open
    keys = _identities(identity)
    passphrase = None if keys else passphrase_for(passphrase_file, confirm=False)
    data = decrypt(raw, passphrase=passphrase, identities=keys, name=name)
    inner = str(without_age_suffix(file))

    plan, case, answers = _content(data, name, inner, as_of, redact=redact)
    if plan is None and answers is None:
        if fmt is not None or redact:
            raise UsageError(
                "the decrypted file is neither a plan (JSON) nor an answers file: "
                "--format and --redact do not apply",
                hint="Leave them out to see it as it is, or write it out with -o FILE.",
            )
        _emit(data, output, force)
        return

    if answers is not None:
        if redact:
            answers = answers.redacted()
        wants_yaml = fmt == ANSWERS_FORMAT or (
            fmt is None and (output is None or output.suffix.lower().lstrip(".") in ("yaml", "yml"))
        )
        _check_withdrawn(case, as_of, answers_out=wants_yaml)
        if wants_yaml:
            # lazy: each command loads what it needs, so --help stays fast (bench/startup)
            from reprisal_cli.answers import dump_answers

            _emit(dump_answers(answers), output, force)
            return
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.timeutil import resolve_as_of

        knowledge = load_kb_for(kb, kb_add)
        plan = _plan_of(case or answers, knowledge, resolve_as_of(as_of), language(lang), name)
    else:
        if fmt == ANSWERS_FORMAT:
            raise UsageError(
                "the decrypted file is a plan, not answers: --format yaml is for answers"
            )
        knowledge = load_kb_for(kb, kb_add)
        assert plan is not None
        plan = _checked_contacts(plan, knowledge, name)
    assert plan is not None
    if redact:
        plan = replace(plan, case_id=None)
    chosen = choose_format(fmt, output, tty=sys.stdout.isatty())
    if chosen == TERMINAL:
        # lazy: rich only when drawing on a terminal (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        print_plan(plan, kb=knowledge, explain=explain, lang=current_lang())
        return
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import RenderOptions, render

    _emit(
        render(
            plan,
            chosen,
            knowledge,
            RenderOptions(redact=redact, explain=explain, lang=current_lang()),
        ),
        output,
        force,
    )


def register(app: typer.Typer) -> None:
    """Add `open` to the application."""
    app.command("open")(open_)
