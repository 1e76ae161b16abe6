"""`reprisal-cli draft ANSWERS --to ohchr|mechanism`: the skeleton of the message about a
reprisal, with marked blanks for what only the sender knows.

Without a yes for the purpose of its recipients (`consent_share_with_un` for OHCHR; with `--to
mechanism`, the consent each body's purpose needs) no named draft is made: the command explains
why on standard error and writes the anonymous version (exit 0). There is deliberately no
option to override it: consent is an answer, and changing it means changing the answers file.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from reprisal_cli.cli.boundary import handle_errors
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, in_language, load_kb_for
from reprisal_cli.cli.options import DraftAsOfOption, check_choice
from reprisal_cli.cli.passphrase import PassphraseFileOption
from reprisal_cli.cli.reading import (
    IdentityOption,
    ahead_note,
    answers_for_now,
    dated_ahead,
    is_case_file,
    read_answers_or_case,
    withdrawal_words,
)
from reprisal_cli.cli.writing import (
    EncryptOption,
    ForceOption,
    OutputOption,
    check_encrypt_options,
    emit,
    write_output,
)
from reprisal_cli.i18n import _, current_lang, lang_from_locale, set_lang
from reprisal_cli.untrusted import one_line


def draft(
    answers_file: Annotated[
        Path,
        typer.Argument(
            metavar="ANSWERS",
            help="Answers file (YAML or JSON), - for standard input, or a case file (FILE.age).",
            dir_okay=False,
            allow_dash=True,
            show_default=False,
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="ohchr: the OHCHR reprisals route; mechanism: the bodies of 'engagement'.",
        ),
    ] = "ohchr",
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: md or txt.")] = "md",
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Language of the message: en, fr or es. The guidance before it is in the "
            "locale's language (LANG), else in this one.",
        ),
    ] = "en",
    output: OutputOption = None,
    force: ForceOption = False,
    encrypt: EncryptOption = False,
    passphrase_file: PassphraseFileOption = None,
    identity: IdentityOption = None,
    redact: Annotated[
        bool, typer.Option("--redact", help="Leave the notes out of the draft.")
    ] = False,
    as_of: DraftAsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
) -> None:
    """Draft the message about a reprisal, with blanks to fill in; never named without consent."""
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.render.draft import (
        DRAFT_FORMATS,
        DRAFT_LANGS,
        TARGETS,
        WITHDRAWN_SINCE,
        build_draft,
        render_draft,
    )
    from reprisal_cli.timeutil import resolve_as_of

    case_input = is_case_file(answers_file)  # --passphrase-file then opens it
    check_encrypt_options(encrypt, None if case_input else passphrase_file, output)
    check_choice("--to", to, TARGETS)
    check_choice("--format", fmt, DRAFT_FORMATS)
    check_choice("--lang", lang, DRAFT_LANGS)
    # The guidance is read by whoever runs the command: in the locale's language, else in the
    # message's (a French draft asked for on a machine set to C reads its guidance in French).
    set_lang(lang_from_locale() or lang)
    day = resolve_as_of(as_of)  # the draft itself carries no date; a case's consent does
    answers, case = read_answers_or_case(
        answers_file, as_of=day, passphrase_file=passphrase_file, identity=identity
    )
    # A message is sent now: the consent in force now, never a wider one of an earlier day.
    answers, withdrawn = answers_for_now(answers, case, day, str(answers_file))
    if (
        case is not None
        and answers.consent_share_with_un != "yes"
        and any(
            c.purpose == "share_with_un" and c.value == "yes" and c.date <= day
            for c in case.consent
        )
    ):
        # A "no" or "undecided" recorded over a "yes" is a withdrawal too: "you have not said
        # yes" would deny that the details already went (red team red32).
        answers = replace(
            answers, revoked=tuple(dict.fromkeys((*answers.revoked, "share_with_un")))
        )
    source = load_kb_for(kb, kb_add, translate=False)
    # The guidance in the interface's language; what the message says of the bodies (their
    # names, roles and pages) in the message's.
    result = build_draft(
        answers,
        in_language(source, current_lang()),
        to="mechanism" if to == "mechanism" else "ohchr",
        lang=lang,
        redact=redact,
        words=in_language(source, lang),
    )
    if withdrawn:
        warning = (
            ahead_note(withdrawn, day, "this draft")
            if dated_ahead(day)
            else _(WITHDRAWN_SINCE).format(
                day=day.isoformat(), withdrawn=withdrawal_words(withdrawn)
            )
        )
        sys.stderr.write(warning + "\n")
        result = replace(result, guidance=(warning, *result.guidance))
    if result.refusal is not None:
        sys.stderr.write(result.refusal + "\n")
    data = render_draft(result, fmt)
    if encrypt and output is not None:
        written = write_output(
            output, data, force=force, encrypt=True, passphrase_file=passphrase_file
        )
        sys.stderr.write(f"Draft written, encrypted, to {one_line(str(written))}\n")
        return
    emit(data, output, force=force, fmt=fmt, what="Draft", from_encrypted=case_input)


def register(app: typer.Typer) -> None:
    """Add the `draft` command to the app."""
    app.command("draft")(handle_errors(draft))
