"""`reprisal-cli export` and `import` in the reader's language: the lines on standard error that
say what an export left out, and why.

The core (`case.export.LeftOut`) gives each part left out as data; the export's own `left_out`
keeps its English text (data for the other organisation's tool). Here it is said to the
caseworker: in the case's words (incidents, actions), the consent in words
(`render.labels.purpose_words`), dates ISO and body ids as they are in every language.
"""

from __future__ import annotations

from typing import Protocol

from reprisal_cli.i18n import N_, _
from reprisal_cli.render.escape import one_line
from reprisal_cli.render.labels import PURPOSE_WORDS, purpose_words


# What this module reads of `case.export.LeftOut`: the renderers sit below the case layer
# (pyproject.toml, import-linter's layers), so they name the fields, not the class.
class LeftOut(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def day(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def acts(self) -> int: ...
    @property
    def interventions(self) -> int: ...


LEFT_OUT = N_("Left out: {what}")
# The other organisation's own words after it (they stay as it wrote them).
LEFT_OUT_BY_THE_EXPORT = N_("Left out by the export: {what}")
# {day}: an ISO date; {body}: a knowledge-base id; {consent}: the purpose in words ("passing
# details to UN bodies"); {acts}, {actions}: numbers.
WHY = {
    "identity": N_("the case id and the notes: no consent to making the case public"),
    "later": N_(
        "what was recorded after {day} (incidents: {acts}; actions: {actions}): not in an "
        "export of the case as of that day"
    ),
    "act_notes": N_("the notes of the incidents: no consent to making the case public"),
    "unknown_body": N_(
        "the action of {day}: {body} is not in this knowledge base, so the consent it needs "
        "cannot be checked"
    ),
    "withdrawn": N_(
        "the action of {day} ({body}): it went out under the consent to {consent}, since "
        "withdrawn or narrowed; ask {body} not to use or pass on the details"
    ),
    "no_consent": N_("the action of {day} ({body}): no consent to {consent}"),
}


def left_out_said(item: LeftOut) -> str:
    """One line of what an export left out, and why, in the reader's language."""
    consent = purpose_words(item.purpose) if item.purpose in PURPOSE_WORDS else item.purpose
    what = _(WHY[item.kind]).format(
        day=item.day,
        body=one_line(item.body),
        consent=consent,
        acts=item.acts,
        actions=item.interventions,
    )
    return _(LEFT_OUT).format(what=what)


def left_out_by_the_export(what: str) -> str:
    """A line of an export's `left_out`, read by `import`: in the exporter's words."""
    return _(LEFT_OUT_BY_THE_EXPORT).format(what=what)
