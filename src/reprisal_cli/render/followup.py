"""`reprisal-cli followup` in the reader's language: the title, the headings, the kinds and each
item's `what` (issue 24: no English inside a translated list).

The core (`case.followup`) gives each item as data: codes, dates, ids. The words are made here, once
per item shown, with the interface catalog (`reprisal_cli.i18n`); the consent purposes are said
with `render.labels.purpose_words`, the risk level with `render.labels.risk_level`. Dates stay ISO
and body ids stay ids in every language.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from reprisal_cli.i18n import N_, _, ngettext


# What this module reads of `case.followup.Note` and `Item`: the renderers sit below the case
# layer (pyproject.toml, import-linter's layers), so they name the fields, not the classes.
class Note(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def purpose(self) -> str | None: ...
    @property
    def on(self) -> dt.date | None: ...
    @property
    def via_un(self) -> bool: ...
    @property
    def how(self) -> str | None: ...


class Item(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def to(self) -> str | None: ...
    @property
    def action_type(self) -> str | None: ...
    @property
    def sent(self) -> dt.date | None: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def note(self) -> Note | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def every(self) -> int | None: ...
    @property
    def last_change(self) -> dt.date | None: ...


TITLE = N_("Follow-up due on {date}")
NOTHING_DUE = N_("Nothing is due on {date}.")
# The table's headings, in the order of its columns.
HEADINGS = (N_("overdue days"), N_("due"), N_("case"), N_("kind"), N_("to"), N_("what"))
KINDS = {"action": N_("action"), "reassessment": N_("reassessment")}
# An action's type (`case.vocab.InterventionType`) inside "follow up: ... of <date>".
ACTION_TYPES = {
    "communication": N_("communication"),
    "request_for_protection": N_("request for protection"),
    "follow_up": N_("follow up"),
    "meeting": N_("meeting"),
    "legal_assistance": N_("legal assistance"),
    "financial_assistance": N_("financial assistance"),
    "relocation_assistance": N_("relocation assistance"),
    "medical_or_psychosocial_assistance": N_("medical or psychosocial assistance"),
    "other": N_("other"),
}
# An action's status (`case.vocab.Status`), as `case show` lists the actions.
STATUSES = {"open": N_("open"), "continuing": N_("continuing"), "closed": N_("closed")}


def action_words(action_type: str) -> str:
    """An action's type in the reader's language (a type this version does not know: as
    written)."""
    return _(ACTION_TYPES[action_type]) if action_type in ACTION_TYPES else action_type


def status_words(status: str) -> str:
    """An action's status in the reader's language (one this version does not know: as
    written)."""
    return _(STATUSES[status]) if status in STATUSES else status


FOLLOW_UP = N_("follow up: {action} of {date}")
FOLLOW_UP_REFERENCE = N_("follow up: {action} of {date} ({reference})")
# An action and the note on its consent.
WITH_NOTE = N_("{what} — {note}")
# The notes ({consent}: the purpose in words, `render.labels.PURPOSE_WORDS`).
NOTES = {
    "unknown_body": N_(
        "{body} is not in this knowledge base: check which consent sending the case's details "
        "to it needs, and that the person gave it"
    ),
    "withdrawn": N_(
        "consent to {consent} withdrawn: do not send the case's details; if the person agrees, "
        "write only to say consent is withdrawn and ask them not to use or pass on the details"
    ),
    "withdrawn_on": N_(
        "consent to {consent} withdrawn on {date}: do not send the case's details; if the person "
        "agrees, write only to say consent is withdrawn and ask them not to use or pass on the "
        "details"
    ),
    "withdrawn_via_un": N_(
        "consent to {consent} withdrawn with the UN consent (not asked on its own): do not send "
        "the case's details; if the person agrees, write only to say consent is withdrawn and ask "
        "them not to use or pass on the details"
    ),
    "withdrawn_on_via_un": N_(
        "consent to {consent} withdrawn on {date} with the UN consent (not asked on its own): do "
        "not send the case's details; if the person agrees, write only to say consent is "
        "withdrawn and ask them not to use or pass on the details"
    ),
    "refused": N_("consent to {consent} refused: do not send the case's details"),
    "refused_via_un": N_(
        "consent to {consent} refused with the UN consent (not asked on its own): do not send "
        "the case's details"
    ),
    "undecided": N_(
        "consent to {consent} not decided: ask the person before sending the case's details"
    ),
    "undecided_via_un": N_(
        "consent to {consent} not decided with the UN consent (not asked on its own): ask the "
        "person before sending the case's details"
    ),
    "not_recorded": N_(
        "no consent to {consent} recorded: ask the person before sending the case's details"
    ),
    "report_name_withdrawn": N_(
        "the person's name went to the report under a consent since withdrawn or narrowed: "
        "write to say the person must not be named in the report, and ask them not to use or "
        "pass on the name"
    ),
    "report_anonymous": N_("the person agreed to inclusion in the report without their name only"),
    # Named in the Secretary-General's report without a yes to publicity, by why not.
    "report_publicity_withdrawn": N_(
        "consent to publicity withdrawn: the report may not name the person; do not give their "
        "name in the follow-up"
    ),
    "report_publicity_refused": N_(
        "consent to publicity refused: the report may not name the person; do not give their "
        "name in the follow-up"
    ),
    "report_publicity_undecided": N_(
        "consent to publicity not decided: the report may not name the person; ask them before "
        "the follow-up whether they agree to be named in it"
    ),
    "report_publicity_not_recorded": N_(
        "consent to publicity not recorded: the report may not name the person; ask them before "
        "the follow-up whether they agree to be named in it"
    ),
}


def title(date: str) -> str:
    return _(TITLE).format(date=date)


def nothing_due(date: str) -> str:
    return _(NOTHING_DUE).format(date=date)


def headings() -> tuple[str, ...]:
    return tuple(_(h) for h in HEADINGS)


def kind(item: Item) -> str:
    return _(KINDS[item.kind])


def what(item: Item) -> str:
    """What is due, in the reader's language: the action followed up and its consent note, or
    the reassessment with its level, interval and the case's last change."""
    if item.kind == "reassessment":
        # lazy: the renderers' labels only when a list shows a reassessment (bench/followup)
        from reprisal_cli.render.labels import risk_level

        level = risk_level(item.level or "").lower()
        days = item.every or 0
        last = item.last_change.isoformat() if item.last_change else ""
        return ngettext(
            "reassess the risk ({level}, every {days} day; last change {date})",
            "reassess the risk ({level}, every {days} days; last change {date})",
            days,
        ).format(level=level, days=days, date=last)
    action_type = item.action_type or "other"
    action = action_words(action_type)
    date = item.sent.isoformat() if item.sent else ""
    if item.reference:
        said = _(FOLLOW_UP_REFERENCE).format(action=action, date=date, reference=item.reference)
    else:
        said = _(FOLLOW_UP).format(action=action, date=date)
    if item.note is None:
        return said
    return _(WITH_NOTE).format(what=said, note=note(item.note, item.to or ""))


def note(found: Note, body: str) -> str:
    """A follow-up's consent note (`case.followup.Note`) in the reader's language."""
    if found.code == "unknown_body":
        return _(NOTES["unknown_body"]).format(body=body)
    if found.code == "report_publicity":
        return _(NOTES[f"report_publicity_{found.how or 'not_recorded'}"])
    if found.code in ("report_name_withdrawn", "report_anonymous"):
        return _(NOTES[found.code])
    # lazy: the renderers' labels only when a list shows a consent note (bench/followup)
    from reprisal_cli.render.labels import PURPOSE_WORDS, purpose_words

    key: str = found.code
    if found.code == "withdrawn" and found.on is not None:
        key = "withdrawn_on"
    if found.via_un and found.code != "not_recorded":
        key += "_via_un"
    purpose = found.purpose or ""
    consent = purpose_words(purpose) if purpose in PURPOSE_WORDS else purpose
    date = found.on.isoformat() if found.on else ""
    return _(NOTES[key]).format(consent=consent, date=date)
