"""`reprisal-cli plan ANSWERS`: the do-no-harm action plan for one answers file.

Format: `--format` if given; else, with `-o FILE`, from the file's suffix (.json, .md, .txt, .html,
.pdf; any other suffix gives Markdown); else the terminal view when standard output is a terminal,
and Markdown when it is a pipe or a file (readable as plain text, and stable bytes for scripts).
A suffix that names another format than `--format` is a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for
from reprisal_cli.cli.options import AsOfOption, LangOption, language
from reprisal_cli.cli.options import choose_format as shared_choice
from reprisal_cli.cli.passphrase import PassphraseFileOption
from reprisal_cli.cli.reading import (
    PLAN_AFTER_WITHDRAWAL,
    IdentityOption,
    is_case_file,
    read_answers_or_case,
    withdrawal_warning,
    withdrawn_since,
)
from reprisal_cli.cli.writing import (
    EncryptOption,
    ForceOption,
    check_encrypt_options,
    output_target,
    write_output,
)
from reprisal_cli.errors import UsageError
from reprisal_cli.i18n import _
from reprisal_cli.untrusted import one_line

TERMINAL = "terminal"
PIPE_FORMAT = "md"


def plan_formats() -> tuple[str, ...]:
    """`terminal` and every file format the renderers offer."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import PLAN_FORMATS

    return (TERMINAL, *PLAN_FORMATS)


def choose_format(fmt: str | None, output: Path | None, *, tty: bool) -> str:
    """The format to use (see the module docstring); `UsageError` (exit 2) when unusable."""

    if fmt == TERMINAL and output is not None:
        # lazy: the renderers are not loaded by --help (bench/startup)
        from reprisal_cli.render import PLAN_FORMATS

        raise UsageError(
            _("--format terminal cannot be written to a file"),
            hint=_("Use one of: {formats}.").format(formats=", ".join(PLAN_FORMATS)),
        )
    default = TERMINAL if tty and output is None else PIPE_FORMAT
    return shared_choice(fmt, output, plan_formats(), default=default)


@handle_errors
def plan(
    answers_file: Annotated[
        Path,
        typer.Argument(
            metavar="ANSWERS",
            help="Answers file (reprisal-cli/answers/v1, YAML or JSON), - for standard input, "
            "or a case file (FILE.age: the consent in force on --as-of decides).",
            dir_okay=False,
            allow_dash=True,
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="terminal, md, txt, json, html or pdf (default: terminal on a terminal, md "
            "otherwise; with -o, from the file name).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the plan to this file (atomically; never replaces a file unless --force).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Leave out free text (case id, notes) from the plan."),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show why each step is there (rules and answers) and the steps held back.",
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Show the whole plan: every contact with its source, every warning, the risk "
            "in full and the steps held back (default: the short plan).",
        ),
    ] = False,
    encrypt: EncryptOption = False,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Make the do-no-harm action plan for one answers file."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.countries import known_countries
    from reprisal_cli.engine.evaluate import evaluate
    from reprisal_cli.engine.states import with_region
    from reprisal_cli.timeutil import resolve_as_of

    language_ = language(lang)
    case_input = is_case_file(answers_file)  # --passphrase-file then opens it
    check_encrypt_options(encrypt, None if case_input else passphrase_file, output)
    chosen = choose_format(fmt, output, tty=sys.stdout.isatty())
    if output is not None:
        output_target(output, encrypt=encrypt, force=force)  # fail before any work or question
    date = resolve_as_of(as_of)
    knowledge = load_kb_for(kb, kb_add)
    # The knowledge base's States are country codes CLDR names: a `state` among them is
    # checked without loading CLDR (a fifth of the start-up, bench/startup).
    with known_countries(knowledge.states):
        answers, case = read_answers_or_case(
            answers_file, as_of=date, passphrase_file=passphrase_file, identity=identity
        )
    if case is not None:
        # lazy: the case model only when the plan is made from a case file (bench/startup)
        from reprisal_cli.case.plan import evaluate_case

        withdrawn = withdrawn_since(case, date)
        if withdrawn:
            sys.stderr.write(
                withdrawal_warning(withdrawn, date, made="this plan", then=PLAN_AFTER_WITHDRAWAL)
            )

        if redact:
            case = case.redacted()
        result = evaluate_case(case, knowledge, as_of=date, lang=language_, name=str(answers_file))
    else:
        answers = with_region(knowledge, answers, name=str(answers_file))
        if redact:
            answers = answers.redacted()
        result = evaluate(answers, knowledge, as_of=date, lang=language_)

    if chosen == TERMINAL:
        # lazy: rich only when drawing on a terminal (bench/startup)
        from reprisal_cli.render.terminal import print_plan

        print_plan(result, kb=knowledge, explain=explain, lang=language_, full=full)
        return

    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render import RenderOptions, render

    options = RenderOptions(redact=redact, explain=explain, lang=language_, full=full)
    data = render(result, chosen, knowledge, options)
    if output is not None:
        written = write_output(
            output, data, force=force, encrypt=encrypt, passphrase_file=passphrase_file
        )
        if encrypt:
            message = _("Plan written to {file} (encrypted)")
        elif case_input:  # a readable copy of what the encrypted file holds (red team red37)
            message = _(
                "Plan written to {file}, NOT encrypted: delete it when you no longer need it"
            )
        else:
            message = _("Plan written to {file}")
        sys.stderr.write(message.format(file=one_line(str(written))) + "\n")
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.write(data)
        sys.stdout.flush()


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
