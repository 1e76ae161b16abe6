"""`assess --case FILE.age`: the questionnaire starts a case file, or resumes one and updates it.

The session starts from the answers the case reads on the day (its consent from the ledger), and
each time the user confirms the answers they are saved to the case, encrypted, one revision later:
the answers in its dated history, and each consent that changed in its ledger, with who gave it,
how (asked once per save) and the session's language as the one the risks were explained in. A
case someone else saved meanwhile is not overwritten (`CaseChangedError`, exit 4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reprisal_cli.answers import Answers
from reprisal_cli.case.model import (
    FOLLOW_UN,
    answers_now,
    held_back,
    new_consents,
    split_consent,
    with_answers,
)
from reprisal_cli.case.plan import evaluate_case
from reprisal_cli.case.store import create_opened, read_case, save_opened
from reprisal_cli.contract import CONSENT_KEYS
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.i18n import N_, _, current_lang
from reprisal_cli.questionnaire.ui import UI, Option
from reprisal_cli.render.labels import purpose_words

if TYPE_CHECKING:
    from reprisal_cli.case.model import ConsentRecord, How
    from reprisal_cli.case.store import CaseKey, OpenedCase
    from reprisal_cli.engine.plan import Plan
    from reprisal_cli.kb.knowledge import KnowledgeBase

# A consent said in the interview that a record dated after today holds back (`held_back`).
HELD_BACK = N_(
    "Not followed now: {purpose}. The consent ledger holds a record dated {date}, after this "
    "computer's date, with a narrower consent: every output made now follows that record, not "
    "what was said now. Check this computer's date and the dates in the consent ledger; if the "
    "person gives this consent, record it again on {date} (reprisal-cli case consent)."
)
HOW_LABELS: dict[How, str] = {
    "oral": N_("Orally"),
    "written": N_("In writing"),
    "witnessed": N_("Before a witness"),
}


@dataclass
class CaseSaver:
    """Where a session's confirmed answers go: the case file at `path` (created at the first save
    when `opened` is None)."""

    ui: UI
    path: Path
    key: CaseKey
    as_of: dt.date
    opened: OpenedCase | None = None
    saved: int = field(default=0, init=False)

    @classmethod
    def start(cls, ui: UI, path: Path, key: CaseKey, as_of: dt.date) -> CaseSaver:
        """Open the case at `path` if there is one (`AnswersError` if it cannot be read)."""
        opened = read_case(path, key) if path.exists() or path.is_symlink() else None
        return cls(ui=ui, path=path, key=key, as_of=as_of, opened=opened)

    def prefill(self) -> Answers | None:
        """The answers to resume from: the case's on the day, consent from its ledger. The day
        consent was given is left out, so that a consent changed now is dated now."""
        if self.opened is None:
            return None

        case = self.opened.case
        read = answers_now(case, self.as_of, str(self.path))
        fields = {k: getattr(read, k) for k in Answers.__dataclass_fields__}
        # A purpose not asked on its own follows the UN answer (contract §1), the session's too:
        # prefilled with the "no" it reads from a withdrawn UN consent, it was saved as the
        # person's own answer, which they never gave (red team red31).
        own = {c.purpose for c in case.consent}
        followers = {CONSENT_KEYS[p]: None for p in FOLLOW_UN if p not in own}
        return Answers(**(fields | followers | {"consent_date": None}))

    def __call__(self, answers: Answers) -> None:
        """Save confirmed answers to the case (nothing when nothing changed)."""
        case = self.opened.case if self.opened is not None else None
        consents = new_consents(case, answers, self.as_of, interview=True)
        if consents:
            how = self.ask_how()
            lang = current_lang()
            consents = [replace(c, how=how, explained_in=lang) for c in consents]
        updated = with_answers(case, answers, consents, self.as_of)
        if updated is None:
            self.ui.show(_("The case {file} is unchanged: nothing written.").format(file=self.path))
        else:
            self.opened = (
                create_opened(self.path, updated, self.key)
                if self.opened is None
                else save_opened(self.opened, updated, self.key)
            )
            self.saved += 1
            message = _("Saved to the case {file} (encrypted, revision {revision}).")
            self.ui.show(message.format(file=self.path, revision=self.opened.case.revision))
            if consents:
                self.ui.show(consent_summary(consents))
        if self.opened is not None:
            _doc, said = split_consent(answers, self.as_of)
            held = held_back(self.opened.case.consent, said, self.as_of)
            for purpose, later in held.items():
                words = purpose_words(purpose)
                self.ui.show(_(HELD_BACK).format(purpose=words, date=later.isoformat()))

    def plan(self, answers: Answers, kb: KnowledgeBase, lang: str) -> Plan:
        """The case's plan as `plan FILE.age` makes it (incidents, withdrawn consents), once
        the answers are saved; the engine's plan of `answers` before."""
        if self.opened is None:
            return evaluate(answers, kb, as_of=self.as_of, lang=lang)
        return evaluate_case(self.opened.case, kb, as_of=self.as_of, lang=lang, name=str(self.path))

    def ask_how(self) -> How:
        """How the consents were given: oral, written or witnessed."""
        options = [Option(_(label), value) for value, label in HOW_LABELS.items()]
        chosen = self.ui.select(
            _("How were these consent answers given? (recorded in the case's consent ledger)"),
            options,
            default="oral",
        )
        return next(how for how in HOW_LABELS if how == chosen)


def consent_summary(consents: list[ConsentRecord]) -> str:
    """The ledger records just added, one a line."""
    lines = [_("Added to the consent ledger:")]
    for c in consents:
        how = _(HOW_LABELS[c.how]) if c.how is not None else ""
        lines.append(f"- {c.purpose}: {c.value} ({c.date.isoformat()}, {how}, {c.explained_in})")
    return "\n".join(lines)
