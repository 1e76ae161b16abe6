"""Saving what the user chose in the menu: the plan or the answers, to a file they name, asked
before replacing one, encrypted with the session's passphrase when chosen. Nothing is written
that the user did not choose."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reprisal_cli.answers import Answers, dump_answers
from reprisal_cli.errors import OutputError, UsageError
from reprisal_cli.i18n import N_, _, current_lang
from reprisal_cli.questionnaire.ui import UI, Option

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase


@dataclass
class Saver:
    """How the files a session saves are named and written."""

    ui: UI
    kb: KnowledgeBase
    folder: Path = Path()
    # Files saved are encrypted (age) with the passphrase this gives, asked once at the first save.
    passphrase: Callable[[], str] | None = None
    # Without `passphrase`: how to ask for one (twice, with the strength check) when the user
    # chooses to encrypt a file in the menu. None: encryption is not offered.
    new_passphrase: Callable[[], str] | None = None
    # Files saved leave out free text (case id, notes).
    redact: bool = False
    _passphrase: str | None = field(default=None, init=False, repr=False)

    def choose_encryption(self) -> bool:
        """Whether the file about to be saved is encrypted: always with --encrypt; else the
        user chooses, encrypted first."""
        if self.passphrase is not None:
            return True
        if self.new_passphrase is None:
            return False
        options = [
            Option(_("Encrypted with a passphrase (recommended)"), True, _(ENCRYPTED_HELP)),
            Option(_("Not encrypted: anyone with this computer can read it"), False),
        ]
        return self.ui.select(_("How should the file be saved?"), options, default=True) is True

    def file_name(
        self, answers: Answers, kind: str = "answers", ext: str = "yaml", *, encrypted: bool
    ) -> str:
        stem = f"{answers.case_id}-{kind}" if answers.case_id and not self.redact else kind
        name = f"{stem}.{ext}"
        return f"{name}.age" if encrypted else name

    def answers_file(self, answers: Answers) -> str:
        return dump_answers(answers.redacted() if self.redact else answers)

    def save_answers(self, answers: Answers, encrypted: bool) -> None:
        """Save the answers to a file the user names (the name suggested from the case id)."""
        name = self.ui.file_name(
            _("File name for the answers:"), self.file_name(answers, encrypted=encrypted)
        )
        if name.strip():
            self.write(Path(name.strip()), self.answers_file(answers), "answers", encrypted)

    def save_plan(self, plan: Plan, encrypted: bool) -> None:
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.render import PLAN_FORMATS, RenderOptions, render, suffix_format

        options = [
            Option(_(_FORMAT_NAMES[f]) if f in _FORMAT_NAMES else f, f) for f in PLAN_FORMATS
        ]
        fmt = self.ui.select(_("Which format?"), options, default=PLAN_FORMATS[0])
        assert isinstance(fmt, str)
        stem = f"{plan.case_id}-plan" if plan.case_id and not self.redact else "plan"
        default = f"{stem}.{fmt}" + (".age" if encrypted else "")
        name = self.ui.file_name(_("File name for the plan:"), default)
        named = suffix_format(Path(name.strip()))
        if named not in (None, fmt):  # a PDF must never land in a .txt (as in `plan -o`)
            wrong = _(
                "Nothing written: the file name {file} says .{suffix}, but the format is {format}."
            )
            self.ui.show(wrong.format(file=name.strip(), suffix=named, format=fmt))
            return
        if name.strip():

            def data() -> str | bytes:
                options = RenderOptions(redact=self.redact, lang=current_lang())
                return render(plan, fmt, self.kb, options)

            self.write(Path(name.strip()), data, "plan", encrypted)

    def show_checklist(self, plan: Plan) -> None:
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.render.text import checklist_text

        ids: list[str] = []
        for step in plan.steps:
            ids += [c for c in step.checklist if c in self.kb.checklists and c not in ids]
        if not ids:
            self.ui.show(_("This plan names no checklist."))
            return
        options = [Option(self.kb.checklists[i].title, i) for i in ids]
        chosen = self.ui.select(_("Which checklist?"), options, default=ids[0])
        assert isinstance(chosen, str)
        self.ui.show(checklist_text(self.kb.checklists[chosen], current_lang()))

    def write(
        self,
        path: Path,
        data: str | bytes | Callable[[], str | bytes],
        what: str,
        encrypted: bool,
    ) -> bool:
        """Write a file the user chose, asking before replacing one; False if not written.

        `encrypted`: the file is encrypted with the session's passphrase (asked at the first
        encrypted save, before `data` is made when it is a function, so that the prompt comes
        at once) and its name ends in `.age`."""
        # lazy: loaded only when the questionnaire needs it (bench/startup)
        from reprisal_cli.output import write_atomic

        if encrypted:
            # lazy: loaded only when the questionnaire needs it (bench/startup)
            from reprisal_cli.crypto import with_age_suffix

            path = with_age_suffix(path)
        failed = _("Could not save the plan: {error}")
        if what == "answers":
            failed = _("Could not save the answers: {error}")
        if not encrypted and path.name.lower().endswith(".age"):  # only encrypted files end so
            problem = _("{file} ends in .age but would not be encrypted").format(file=path)
            self.ui.show(failed.format(error=problem))
            return False
        target = path if path.is_absolute() else self.folder / path
        force = False
        if target.exists() or target.is_symlink():
            replace = self.ui.select(
                _("{file} already exists. Replace it?").format(file=path),
                [Option(_("No, keep it"), False), Option(_("Yes, replace it"), True)],
                default=False,
            )
            if replace is not True:
                self.ui.show(_("Nothing written: {file} is unchanged.").format(file=path))
                return False
            force = True
        try:
            passphrase = None
            if encrypted:
                # lazy: loaded only when the questionnaire needs it (bench/startup)
                from reprisal_cli.output import check_target

                check_target(target, force=force)
                passphrase = self.session_passphrase()
            payload = data() if callable(data) else data
            if passphrase is not None:
                # lazy: loaded only when the questionnaire needs it (bench/startup)
                from reprisal_cli.crypto import encrypt_passphrase

                self.ui.show(_("Encrypting: this can take a few seconds."))
                payload = encrypt_passphrase(payload, passphrase)
            write_atomic(target, payload, force=force)
        except (OutputError, UsageError) as exc:
            self.ui.show(failed.format(error=exc.render()))
            return False
        self.ui.show(_saved(what, encrypted).format(file=path))
        return True

    def session_passphrase(self) -> str:
        """The session's passphrase, asked for at the first encrypted save."""
        source = self.passphrase or self.new_passphrase
        assert source is not None
        if self._passphrase is None:
            self._passphrase = source()
        return self._passphrase


ENCRYPTED_HELP = N_("Only someone with the passphrase can open it.")

_FORMAT_NAMES = {
    "txt": N_("Plain text (.txt)"),
    "md": N_("Markdown (.md)"),
    "json": N_("JSON, for other tools (.json)"),
    "html": N_("Web page (.html)"),
    "pdf": N_("PDF, for printing (.pdf)"),
}


def _saved(what: str, encrypted: bool) -> str:
    if what == "answers":
        if encrypted:
            return _("Saved the answers to {file} (encrypted).")
        return _("Saved the answers to {file}.")
    if encrypted:
        return _("Saved the plan to {file} (encrypted).")
    return _("Saved the plan to {file}.")
