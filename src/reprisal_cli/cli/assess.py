"""`reprisal-cli assess`: the interactive questionnaire that ends in a plan.

questionary and prompt_toolkit are imported only when the command runs, so `--help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reprisal_cli.cli.boundary import Interrupted, handle_errors
from reprisal_cli.cli.case import case_key, require_age_name
from reprisal_cli.cli.knowledge import KbAddOption, KbOption, load_kb_for
from reprisal_cli.cli.options import AsOfOption, LangOption, language
from reprisal_cli.cli.passphrase import PassphraseFileOption, ask_passphrase
from reprisal_cli.cli.reading import (
    IdentityOption,
    answers_for_now,
    is_case_file,
    read_answers_or_case,
)
from reprisal_cli.cli.writing import RecipientOption, check_encrypt_options, output_target
from reprisal_cli.errors import Problem, ReprisalError, UsageError
from reprisal_cli.i18n import N_, _
from reprisal_cli.untrusted import one_line

if TYPE_CHECKING:
    import datetime as dt

    from reprisal_cli.questionnaire.casefile import CaseSaver
    from reprisal_cli.questionnaire.ui import UI

CLEAR_SCREEN = "\033[3J\033[H\033[2J"
LEAVE_LINE = N_("Stopped. Nothing was written.")
LEAVE_SAVED = N_("Stopped. Saved in this session, and still there:")


def plain_wanted(plain: bool) -> bool:
    """`--plain`, or NO_COLOR set (to anything), or TERM=dumb."""
    return plain or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def assess(
    answers_in: Annotated[
        Path | None,
        typer.Option(
            "--answers-in",
            help="Start from the answers in this file (resume); you can change any of them. A "
            "case file (FILE.age) gives its answers in force, consent from its ledger, and is not "
            "changed (to update it, use --case).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    answers_out: Annotated[
        Path | None,
        typer.Option(
            "--answers-out",
            help="Save the answers to this file (YAML) once you confirm them; "
            "`reprisal-cli plan FILE` then gives the same plan.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="No colour, no boxes; choices are numbered and answered by number (for screen "
            "readers). Also on with NO_COLOR or TERM=dumb.",
        ),
    ] = False,
    clear_on_exit: Annotated[
        bool,
        typer.Option("--clear-on-exit", help="Clear the screen and the scrollback when leaving."),
    ] = False,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Encrypt every file saved (answers, plan) with a passphrase (age); names get "
            ".age. The passphrase is asked at the first save, or read from --passphrase-file.",
        ),
    ] = False,
    passphrase_file: PassphraseFileOption = None,
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Leave free text (case id, notes) out of the files saved."),
    ] = False,
    case: Annotated[
        Path | None,
        typer.Option(
            "--case",
            metavar="FILE.age",
            help="Start this case file, or update it: the questions start from its answers, and "
            "the answers you confirm are saved to it, encrypted, with the consents in its "
            "ledger. Opened and locked with --passphrase-file, or --identity and --recipient.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    identity: IdentityOption = None,
    recipient: RecipientOption = None,
    as_of: AsOfOption = None,
    kb: KbOption = None,
    kb_add: KbAddOption = None,
    lang: LangOption = None,
) -> None:
    """Answer a few questions and get a do-no-harm plan. Nothing is saved unless you choose."""
    language(lang)
    # lazy: output (file writing, queue) is not loaded by --help (bench/startup)
    from reprisal_cli.output import written_files

    before = len(written_files())
    try:
        case_options = _CaseOptions.checked(
            case, passphrase_file, identity, recipient, answers_in, answers_out
        )
        opens = (passphrase_file, identity)  # what opens an encrypted --answers-in
        if (case_options is not None or _encrypted_in(answers_in)) and not encrypt:
            passphrase_file = None  # it opens the case; the files saved are not encrypted
        _run(
            answers_in,
            answers_out,
            plain_wanted(plain),
            as_of,
            kb,
            kb_add,
            lang,
            _Saving(encrypt, passphrase_file, redact),
            case_options,
            opens,
        )
    except (KeyboardInterrupt, EOFError):
        if clear_on_exit:
            _clear()
        # After clearing, so that what happened stays on screen.
        raise Interrupted("\n" + leave_message(written_files()[before:])) from None
    except ReprisalError:
        if clear_on_exit and sys.stdout.isatty():
            _clear()
        raise
    if clear_on_exit:
        _clear()


def leave_message(saved: tuple[Path, ...]) -> str:
    """What is on disk after leaving early: nothing, or each file saved, with its folder."""
    if not saved:
        return _(LEAVE_LINE) + "\n"
    return _(LEAVE_SAVED) + "\n" + "".join(f"  {one_line(str(p))}\n" for p in saved)


def _run(
    answers_in: Path | None,
    answers_out: Path | None,
    plain: bool,
    as_of: str | None,
    kb_dir: Path | None,
    kb_add: Path | None,
    lang: str | None,
    saving: _Saving | None = None,
    case: _CaseOptions | None = None,
    opens: tuple[Path | None, Path | None] = (None, None),
) -> None:
    saving = saving or _Saving()
    if not sys.stdin.isatty():
        raise UsageError(
            [Problem("assess asks questions and needs a terminal, but standard input is not one")],
            hint="To make a plan from a file or a pipe, write an answers file and run "
            "`reprisal-cli plan ANSWERS` (see `reprisal-cli plan --help`).",
        )
    if not sys.stdout.isatty():
        # `assess > plan.txt` put the questions in the file and left the screen blank, waiting
        # for a key; through a pipe (`| tee`) the question line itself was erased.
        raise UsageError(
            [
                Problem(
                    "assess shows its questions on the terminal, but standard output is not one "
                    "(it goes to a file or a pipe): the questions would not be seen"
                )
            ],
            hint="Run `reprisal-cli assess` without `>` or `|`: at the end, choose to save the "
            "plan to a file. From an answers file: `reprisal-cli plan ANSWERS -o FILE`.",
        )
    # lazy: each command loads what it needs, so --help stays fast (bench/startup)
    from reprisal_cli.answers import load_answers
    from reprisal_cli.questionnaire.session import Session
    from reprisal_cli.timeutil import recording_day, resolve_as_of

    # With --case the session records into the case: never for a day after today (red37).
    date = recording_day(as_of) if case is not None else resolve_as_of(as_of)

    lang_ = language(lang)
    passphrase = saving.passphrase_source(answers_out)
    prefill = None
    if _encrypted_in(answers_in):
        assert answers_in is not None
        passphrase_file, identity = opens
        prefill, opened = read_answers_or_case(
            answers_in, as_of=date, passphrase_file=passphrase_file, identity=identity
        )
        # Never prefilled with a consent withdrawn or narrowed since that day (red team).
        prefill = answers_for_now(prefill, opened, date, str(answers_in))[0]
    elif answers_in is not None:
        prefill = load_answers(answers_in)
    knowledge = load_kb_for(kb_dir, kb_add)
    if plain:
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.questionnaire.plain import PlainUI

        ui: object = PlainUI()
    else:
        # lazy: questionary only in the interactive questionnaire (bench/startup)
        from reprisal_cli.questionnaire.prompts import QuestionaryUI

        ui = QuestionaryUI()
    saver = case.saver(ui, date) if case is not None else None  # type: ignore[arg-type]
    if saver is not None:
        prefill = saver.prefill()
    Session(
        ui=ui,  # type: ignore[arg-type]
        kb=knowledge,
        as_of=date,
        lang=lang_,
        prefill=prefill,
        answers_out=answers_out,
        passphrase=passphrase,
        new_passphrase=saving.new_passphrase(),
        redact=saving.redact,
        on_confirm=saver,
        planner=None if saver is None else lambda a: saver.plan(a, knowledge, lang_),
        from_encrypted=_encrypted_in(answers_in),
    ).run()


@dataclass(frozen=True)
class _Saving:
    """How files saved from the session are written: encrypted, redacted."""

    encrypt: bool = False
    passphrase_file: Path | None = None
    redact: bool = False

    def passphrase_source(self, answers_out: Path | None) -> Callable[[], str] | None:
        """Checks the options now; the passphrase itself is asked at the first save."""
        # lazy: each command loads what it needs, so --help stays fast (bench/startup)
        from reprisal_cli.crypto import read_passphrase_file

        check_encrypt_options(self.encrypt, self.passphrase_file, answers_out, needs_output=False)
        if answers_out is not None:
            # Refuse a link, device or FIFO now; an existing file is asked about when saving.
            output_target(answers_out, encrypt=self.encrypt, force=True)
        if not self.encrypt:
            return None
        if self.passphrase_file is not None:
            known = read_passphrase_file(
                self.passphrase_file
            )  # a bad file fails before any question
            return lambda: known
        return ask_passphrase

    def new_passphrase(self) -> Callable[[], str] | None:
        """How to ask for a passphrase when the user chooses to encrypt a file in the menu
        (twice, with the strength check); None when every file is encrypted anyway."""
        if self.encrypt:
            return None
        return ask_passphrase


@dataclass(frozen=True)
class _CaseOptions:
    """`--case` and how to open and lock the case."""

    path: Path
    passphrase_file: Path | None
    identity: Path | None
    recipients: tuple[str, ...]

    @classmethod
    def checked(
        cls,
        case: Path | None,
        passphrase_file: Path | None,
        identity: Path | None,
        recipients: list[str] | None,
        answers_in: Path | None,
        answers_out: Path | None,
    ) -> _CaseOptions | None:
        """The options, checked before any question: `UsageError` (exit 2)."""
        if case is None:
            if recipients or (identity is not None and not _encrypted_in(answers_in)):
                raise UsageError(
                    "--identity and --recipient open and lock a case file: add --case FILE.age"
                )
            return None

        require_age_name(case)
        if answers_in is not None or answers_out is not None:
            raise UsageError(
                "--case keeps the answers in the case file: leave out --answers-in and "
                "--answers-out",
                hint="To start a case from an answers file: reprisal-cli case new FILE.age "
                "--answers ANSWERS, then reprisal-cli assess --case FILE.age.",
            )
        return cls(case, passphrase_file, identity, tuple(recipients or ()))

    def saver(self, ui: UI, day: dt.date) -> CaseSaver:
        """Open the case (a passphrase is asked now when no file gives it), or check that a new
        one can be written where it is named."""
        # lazy: the case saver (case store, crypto) only with --case, not --help
        from reprisal_cli.output import check_target
        from reprisal_cli.questionnaire.casefile import CaseSaver

        new = not (self.path.exists() or self.path.is_symlink())
        if new:
            check_target(self.path)
        key = case_key(
            self.passphrase_file,
            self.identity,
            list(self.recipients),
            new=new,
            opens=None if new else self.path,
        )
        return CaseSaver.start(ui, self.path, key, day)


def _encrypted_in(answers_in: Path | None) -> bool:
    """Whether --answers-in names an encrypted file (a case file, or answers saved encrypted)."""
    return answers_in is not None and is_case_file(answers_in)


def _clear() -> None:
    sys.stdout.write(CLEAR_SCREEN)
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add `assess` to the application."""
    app.command("assess")(handle_errors(assess))
