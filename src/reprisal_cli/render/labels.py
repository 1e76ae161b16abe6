"""Words for the plan's codes (flags, channels, gates, risk levels), shared by every renderer so
the terminal, Markdown and plain text say the same thing."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from reprisal_cli.contract import ANSWER_KEYS, CONSENT_KEYS, LOCATIONS_CANNOT_ACT, Audience
from reprisal_cli.i18n import N_, _, interface_reviewed, ngettext
from reprisal_cli.render.escape import one_line
from reprisal_cli.untrusted import SPACES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reprisal_cli.engine.plan import Plan, PlanContact, Step, Why
    from reprisal_cli.kb.knowledge import KnowledgeBase

TITLE = N_("Action plan: protection from reprisals")
NOT_A_GUARANTEE = N_("This plan is not a security guarantee.")
CHECK_CURRENT = N_("check this contact on the official page before use")
UNREVIEWED = N_(
    "Parts of this plan are machine translations, checked for meaning but not yet reviewed by a "
    "native speaker."
)
# Warnings shown at the top of the plan, before anything else, in this order.
# Shown at the top of every view, short or full: no physical protection; a knowledge base
# changed since release or not the built-in one (its contacts may not be the reviewed ones); and,
# for a case whose consent was withdrawn, what was sent before (the caseworker must write to each),
# and what went to the Secretary-General's report with a name the person now withholds;
# for a plan made for a day before a consent was withdrawn, that its sharing steps may not be
# acted on.
TOP_WARNINGS = (
    "no_physical_protection",
    "consent_withdrawn_after_as_of",
    "modified_kb",
    "custom_kb",
    "consent_revoked_outputs",
    "report_anonymous_outputs",
    "sent_without_consent",
)

FLAGS_LEAD = N_("Be aware: ")
FLAG_WORDS: tuple[tuple[str, str], ...] = (
    ("public", N_("Makes the case public")),
    ("shares_with_un", N_("Shares details with the UN")),
    ("shares_with_regional", N_("Shares details with a regional body")),
    (
        "shares_with_states",
        N_("Tells governments: other States, their diplomats or the government concerned"),
    ),
    ("shares_with_government", N_("Tells the government concerned: its own body is asked")),
    ("sends_information", N_("Sends information outside")),
)
CHANNELS: dict[str, str] = {
    "email": N_("Email"),
    "phone": N_("Phone"),
    "web": N_("Web"),
    "fax": N_("Fax"),
    "post": N_("Post"),
    "signal": N_("Signal"),
    "in_person": N_("In person"),
}
GATES: dict[str, str] = {
    "consent_publicity": N_("held back until the person agrees to make the case public"),
    "consent_share_with_un": N_("held back until the person agrees to share details with the UN"),
    "consent_share_with_regional": N_(
        "held back until the person agrees to share details with regional bodies"
    ),
    "consent_share_with_states": N_(
        "held back until the person agrees that diplomats or other States are told"
    ),
    "consent_share_with_government": N_(
        "held back until the person agrees that the government's own bodies are asked"
    ),
    "consent_sg_report": N_(
        "held back: the person has not agreed to this form of inclusion in the report"
    ),
    "person_cannot_act": N_(
        "left out: only the person at risk can take it, and they are detained or missing"
    ),
    "consent_revoked": N_("held back: the consent it needs was withdrawn"),
}
# The same, for the person at risk reading their own plan (audience `person`).
GATES_PERSON: dict[str, str] = {
    "consent_publicity": N_("held back until you agree to make the case public"),
    "consent_share_with_un": N_("held back until you agree to share details with the UN"),
    "consent_share_with_regional": N_(
        "held back until you agree to share details with regional bodies"
    ),
    "consent_share_with_states": N_(
        "held back until you agree that diplomats or other States are told"
    ),
    "consent_share_with_government": N_(
        "held back until you agree that the government's own bodies are asked"
    ),
    "consent_sg_report": N_(
        "held back: you have not agreed to this form of inclusion in the report"
    ),
    "consent_revoked": N_("held back: you withdrew the consent it needs"),
}
RISK_LEVELS: dict[str, str] = {
    "low": N_("LOW"),
    "moderate": N_("MODERATE"),
    "high": N_("HIGH"),
    "critical": N_("CRITICAL"),
}


def flags(step: Step) -> list[str]:
    """The step's flags in words, in a fixed order."""
    return [_(words) for name, words in FLAG_WORDS if getattr(step, name)]


def gate(gate_id: str, audience: Audience) -> str:
    """Why a step is held back, in words for the plan's reader."""
    if audience == "person" and gate_id in GATES_PERSON:
        return _(GATES_PERSON[gate_id])
    if gate_id in GATES:
        return _(GATES[gate_id])
    return _("held back by the do-no-harm gate '{gate}'").format(gate=one_line(gate_id))


def gate_heading(gate_id: str, audience: Audience) -> str:
    """`gate`'s words as the line over the steps it holds back ("Held back until you agree to
    make the case public")."""
    words = gate(gate_id, audience)
    return words[:1].upper() + words[1:]


def withheld_heading(audience: Audience) -> str:
    """The heading of the steps the plan does not give. Someone acting for the person at risk
    reads neither "your safety" (it is the person's) nor only "held back": their plan may also
    leave out steps only the person can take (gate `person_cannot_act`)."""
    if audience == "other":
        return _("Steps held back or left out")
    return _("Steps held back for your safety")


def withheld_count(n: int, audience: Audience) -> str:
    """How many steps the plan does not give, for the short view's last line."""
    if audience == "other":
        return ngettext(
            "{n} step held back or left out", "{n} steps held back or left out", n
        ).format(n=n)
    return ngettext(
        "{n} step held back for your safety", "{n} steps held back for your safety", n
    ).format(n=n)


def channel(name: str) -> str:
    return _(CHANNELS[name]) if name in CHANNELS else one_line(name)


def risk_level(level: str) -> str:
    """The risk level in words (upper case where the language has it)."""
    return _(RISK_LEVELS[level]) if level in RISK_LEVELS else one_line(level)


def text(message: str) -> str:
    """A constant of this module (marked with `N_`) in the interface language."""
    return _(message)


def reassess(days: int, as_of: str) -> str:
    """When to reassess the risk: after `days` days, on the date when `as_of` is one."""
    try:
        due = (dt.date.fromisoformat(as_of) + dt.timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return ngettext(
            "Reassess the risk after {days} day.", "Reassess the risk after {days} days.", days
        ).format(days=days)
    return ngettext(
        "Reassess the risk after {days} day (on {date}).",
        "Reassess the risk after {days} days (on {date}).",
        days,
    ).format(days=days, date=due)


def unreviewed(plan: Plan, lang: str) -> bool:
    """Whether the plan shows text no native speaker has reviewed: the knowledge base's
    translation (`plan.lang_reviewed`) or the interface catalog of `lang`."""
    return not plan.lang_reviewed or not interface_reviewed(lang)


def short_fingerprint(fingerprint: str) -> str:
    """`sha256:` and the first 12 hex digits: enough to compare by eye."""
    algo, _, digest = fingerprint.partition(":")
    return f"{algo}:{digest[:12]}" if digest else fingerprint[:19]


def kb_line(plan: Plan) -> str:
    return kb_words(
        plan.kb.version, short_fingerprint(plan.kb.fingerprint), plan.kb.custom, plan.kb.modified
    )


def kb_words(version: str, fingerprint: str, custom: bool, modified: bool) -> str:
    """`Knowledge base 1.0 (sha256:...) - custom, modified`, in the interface language."""
    line = _("Knowledge base {version} ({fingerprint})").format(
        version=version, fingerprint=fingerprint
    )
    marks = [m for m, on in ((_("custom"), custom), (_("modified"), modified)) if on]
    if marks:
        line += " - " + ", ".join(marks)
    return one_line(line)


def checklist_titles(
    step: Step, kb: KnowledgeBase | None, audience: Audience = "person"
) -> list[str]:
    """Titles of the step's checklists from the knowledge base, or their ids without one; for
    a reader who is not the person at risk, the title worded for them where there is one."""
    titles = []
    for cid in step.checklist:
        found = kb.checklists.get(cid) if kb is not None else None
        if found is None:
            titles.append(one_line(cid))
            continue
        other = found.title_other if audience == "other" else None
        titles.append(one_line(other or found.title))
    return titles


def value_words(value: Any) -> str:
    """An answer value as words: `special_procedures` -> `special procedures`."""
    if value is None:
        return _("not answered")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(value_words(v) for v in value)
    return one_line(str(value)).replace("_", " ")


def _pair(key: str, value: Any) -> str:
    return f"{one_line(key).replace('_', ' ')}: {value_words(value)}"


def matched_words(why: Why) -> list[str]:
    return [_pair(k, v) for k, v in why.matched.items()]


def reason(step: Step, kb: KnowledgeBase | None = None, *, audience: Audience = "person") -> str:
    """One line on why the step is in the plan, in the words of the questions as the plan's
    reader was asked them (`audience` "other": the wording for someone else, where a question
    has one), with the knowledge base at hand: never a key or a contract value. Keys that are
    not answers, or answers no question words, are left out."""
    said: list[str] = []
    unanswered: list[str] = []
    unanswered_why = ""
    brought = False
    for why in step.why:
        for key, value in why.matched.items():
            if value is None:  # an unanswered key of an `any` did not bring the step
                question = _question(kb, key) if kb is not None and key in ANSWER_KEYS else None
                if why.rule in UNANSWERED_BRINGS and question is not None:
                    unanswered_why = unanswered_why or UNANSWERED_BRINGS[why.rule]
                    prompt = one_line(question.worded(other=audience == "other"))
                    if prompt not in unanswered:
                        unanswered.append(prompt)
                continue
            brought = True
            words = answer_words(key, value, kb, other=audience == "other")
            if words and words not in said:
                said.append(words)
    if not said and unanswered and not brought:
        # The device and emergency steps are in the plan because the question was not answered
        # (contract §3, gates 3, 4 and 7), not in every plan (caseworker reviews 7 and 8).
        return _(unanswered_why).format(questions=clauses(unanswered))
    if not said:
        return _("Why: part of every plan.") if step.why and not brought else ""
    return _("Why: you answered {answers}.").format(answers=clauses(said))


# The gates whose step an unanswered question brings, with the words that say so: the device
# step, the question read in the way that exposes no one (contract §3, gates 4 and 7); the
# emergency step, kept at its normal place "if you are in danger now" (gate 3).
UNANSWERED_BRINGS = {
    "gate:compromised_devices": N_(
        "Why: not answered ({questions}): the plan reads it as the riskiest answer."
    ),
    "gate:danger_first": N_(
        "Why: not answered ({questions}): the plan keeps this step in case it is needed."
    ),
}


def answer_words(
    key: str, value: Any, kb: KnowledgeBase | None, *, other: bool = False
) -> str | None:
    """An answer as the questionnaire put it: the labels of the chosen options (a yes or no, or
    a consent, with its question: "Not decided yet" alone says nothing); None when no question
    of `kb` words it."""
    if kb is None or key not in ANSWER_KEYS or not getattr(kb, "questions", ()):
        return None
    question = _question(kb, key)
    if question is None or not question.choices:
        return None
    values = value if isinstance(value, list | tuple) else [value]
    found = []
    for item in values:
        choice = next((c for c in question.choices if _same(c.value, item)), None)
        if choice is None:
            return None
        label = one_line(choice.label)
        prompt = question.worded(other=other)
        with_prompt = isinstance(item, bool) or key in CONSENT_KEYS.values()
        found.append(f"{one_line(prompt)} {label}" if with_prompt else label)
    return ", ".join(found)


def answers_said(answers: dict[str, Any], kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Each answer of an answers mapping (a case's, as stored) as (question, answer) in the
    reader's language: the question as the questionnaire asks it of whoever answered (the
    person, or someone for them), the answer as the labels of its choices (`clauses`: a label
    may hold a comma), a country by its name; a value no choice words is said as it is, made
    safe. `schema`, `case_id` and the notes are left out (the notes are free text)."""
    # lazy: the country names only where an answer names a country (bench/startup)
    from reprisal_cli.countries import country_name
    from reprisal_cli.i18n import current_lang

    other = answers.get("respondent") != "self"
    held = answers.get("location") in LOCATIONS_CANNOT_ACT
    said = []
    for key, value in answers.items():
        if key in ("schema", "case_id", "notes") or value is None:
            continue
        question = _question(kb, key)
        if question is None:
            said.append((one_line(key).replace("_", " "), value_words(value)))
            continue
        prompt = question.worded(other=other, held=held)
        values = value if isinstance(value, list | tuple) else [value]
        words = []
        for item in values:
            choice = next((c for c in question.choices if _same(c.value, item)), None)
            if choice is not None:
                words.append(one_line(choice.label))
            elif question.type == "country" and isinstance(item, str):
                words.append(one_line(country_name(item, current_lang())))
            else:
                words.append(value_words(item))
        said.append((one_line(prompt), clauses(words)))
    return said


def _same(choice: str | bool, value: Any) -> bool:
    if isinstance(choice, bool) or isinstance(value, bool):
        return choice is value
    return choice == str(value)


def _question(kb: KnowledgeBase, key: str) -> Any:
    """The question of an answer key, in the interface language where the knowledge base has a
    translation."""
    # lazy: a format loads its own modules only when asked for (bench/startup)
    from reprisal_cli.i18n import current_lang
    from reprisal_cli.kb.i18n import translate_question

    question = next((q for q in kb.questions if q.key == key), None)
    lang = current_lang()
    if question is None or kb.lang != "en" or lang == "en":
        return question
    return translate_question(question, kb.translations.get(lang))


def marker(contact: PlanContact) -> str:
    """How far a contact can be trusted, in a few words: "checked 2026-11", or "not confirmed
    since 2019 — check before use" (the year of its last confirmation, else of its source)."""
    confirmation = contact.last_confirmed
    if contact.status == "confirmed" and confirmation.date:
        return _("checked {date}").format(date=one_line(confirmation.date[:7]))
    year = ""
    if confirmation.how != "not_confirmed" and confirmation.date:
        year = confirmation.date[:4]
    elif contact.source_date != "undated":
        year = contact.source_date[:4]
    if year:
        return _("not confirmed since {year} — check before use").format(year=one_line(year))
    return _("not confirmed — check before use")


def why_trace(why: Why) -> str:
    """One rule of the trace: its id and the answers it matched."""
    items = matched_words(why)
    if items:
        return _("rule {rule} - matched {answers}").format(
            rule=one_line(why.rule), answers=clauses(items)
        )
    return _("rule {rule}").format(rule=one_line(why.rule))


def contact_parts(contact: PlanContact) -> tuple[str, str, str]:
    """Name, channel in words, value: each on one line, cleaned."""
    return one_line(contact.name), channel(contact.channel), one_line(contact.value)


def contact_lines(
    contacts: tuple[PlanContact, ...], kb: KnowledgeBase | None
) -> list[tuple[tuple[str, str, str], list[str]]]:
    """Each contact's parts and the notes under it (check first, the fallback, the release
    gate, where it comes from and how far it was confirmed)."""
    check_text = _(CHECK_CURRENT)
    out = []
    for index, contact in enumerate(contacts):
        notes = []
        if contact.status == "check_current":
            notes.append(check_text[0].upper() + check_text[1:] + ".")
        if contact.note:
            # What the knowledge base says to know before using it (a mailbox given for
            # another purpose; post is slow): in words, not only in the JSON.
            notes.append(one_line(contact.note))
        if contact.status == "check_current":
            fallback = _fallback(contacts, index, kb)
            if fallback is not None:
                other = " - ".join(
                    (one_line(fallback.name), channel(fallback.channel), one_line(fallback.value))
                )
                notes.append(_("If you cannot check it, try: {contact}.").format(contact=other))
        if contact.unconfirmed_at_release:
            notes.append(_(RELEASE_GATE))
        notes.append(provenance(contact))
        out.append((contact_parts(contact), notes))
    return out


RELEASE_GATE = N_(
    "Not confirmed in the year before this knowledge base was released: check it before you "
    "rely on it."
)


# Items of a list that may hold commas themselves, inside a sentence ("{a}；{b}" in Chinese).
CLAUSES = N_("{a}; {b}")


def clauses(items: Iterable[str]) -> str:
    """`items` joined as clauses of one sentence, in the reader's language (`CLAUSES`)."""
    pattern = _(CLAUSES)
    a, b = pattern.find("{a}"), pattern.find("{b}")
    separator = pattern[a + len("{a}") : b] if 0 <= a < b else "; "
    return separator.join(items)


# Each consent purpose as the interface says it: the knowledge base's `purpose_labels` (which
# the plan uses) in the interface's catalog, for what is read in the interface's language (a
# draft's guidance, standard error, the questionnaire), which may not be the knowledge base's.
PURPOSE_WORDS = {
    "publicity": N_("making the case public"),
    "share_with_un": N_("passing details to UN bodies"),
    "share_with_regional": N_("passing details to regional human rights bodies"),
    "share_with_states": N_("telling diplomats or other States"),
    "share_with_government": N_("asking the government's own bodies for protection or a search"),
    "sg_report": N_("including the case in the Secretary-General's annual report on reprisals"),
}


def purpose_words(purpose: str) -> str:
    """A consent purpose (`publicity`, `share_with_un`...) in the reader's language."""
    return _(PURPOSE_WORDS[purpose])


# A consent's value in the reader's language (no English "no" inside a translated sentence:
# red team red29); "named" and "anonymous" are the Secretary-General's report's.
CONSENT_VALUES = {
    "yes": N_("yes"),
    "no": N_("no"),
    "undecided": N_("not decided"),
    "named": N_("yes, with names"),
    "anonymous": N_("yes, without names"),
}
# A consent the ledger holds no record of.
NOT_RECORDED = N_("not recorded")


def consent_value(value: str | None) -> str:
    """A consent's value (`yes`, `undecided`, `named`...) in the reader's language; a value
    this version does not know is shown as written."""
    if value is None:
        return _(NOT_RECORDED)
    return _(CONSENT_VALUES[value]) if value in CONSENT_VALUES else value


# Between a label and its value ("Phone: +41 ..."): " : " in French, "：" in Chinese.
LABEL_VALUE = N_("{label}: {value}")


def colon() -> str:
    """What stands between a label and its value in the reader's language (`LABEL_VALUE`)."""
    pattern = _(LABEL_VALUE)
    a, b = pattern.find("{label}"), pattern.find("{value}")
    return pattern[a + len("{label}") : b] if 0 <= a < b else ": "


# The date notes that close a citation of the knowledge base ("OHCHR, <title>, <URL>
# (undated)", "<repository>, <path> (commit 2019-02-25)"): said in the reader's language. Titles,
# addresses and a researcher's longer notes ("(undated; copy at <URL>)") stay as written.
_UNDATED = re.compile(r"\(undated\)")
_COMMIT = re.compile(r"\(commit (\d{4}-\d{2}-\d{2})\)")


def citation(text: str) -> str:
    """A source as the knowledge base cites it, with its date notes in the reader's language."""
    if "(undated)" in text:
        text = _UNDATED.sub(lambda _m: "(" + _("undated") + ")", text)
    if "(commit " in text:
        text = _COMMIT.sub(lambda m: _("(commit {date})").format(date=m.group(1)), text)
    return text


def provenance(contact: PlanContact, kb: KnowledgeBase | None = None) -> str:
    """Where a contact comes from and how far it was confirmed, in words: never more than its
    record says."""
    source = one_line(citation(contact.source))
    confirmation = contact.last_confirmed
    day = one_line(confirmation.date or "")
    if confirmation.how == "official_page" and day:
        return _("Confirmed on the official page on {date}; source: {source}").format(
            date=day, source=source
        )
    if confirmation.how == "organisation_told_us" and day:
        return _("Confirmed by the organisation on {date}; source: {source}").format(
            date=day, source=source
        )
    if contact.source_date == "undated":
        return _("Seen in an undated source, not confirmed: {source}").format(source=source)
    return _("Seen in a source dated {date}, not confirmed since: {source}").format(
        date=one_line(contact.source_date), source=source
    )


def _fallback(
    contacts: tuple[PlanContact, ...], index: int, kb: KnowledgeBase | None
) -> PlanContact | None:
    # The engine places the fallback right after a `check_current` contact; with the knowledge
    # base at hand the exact fallback id is preferred.
    wanted = None
    if kb is not None and contacts[index].id in kb.contacts:
        wanted = kb.contacts[contacts[index].id].fallback
    if wanted is not None:
        for other in contacts:
            if other.id == wanted:
                return other
    for other in contacts[index + 1 :]:
        if other.status == "confirmed":
            return other
    return None


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide (CJK) characters count two, combining marks none."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


# What a reader copies or has read out: a URL, an e-mail address, a phone number (with its
# spaces). `wrap` never breaks one across lines: a broken link cannot be pasted, and a screen
# reader reads the halves as two things.
_LINK = re.compile(r"[a-z][a-z0-9+.-]*://|www\.|[^\s@]@[^\s@]+\.[^\s@]", re.IGNORECASE)
_PHONE = re.compile(r"\+\d+(?:[ .-]?(?:\(\d+\)|\d+))*")
# Words are split at white space, but not at a no-break space (U+00A0, U+2007, U+202F).
_WORD = re.compile(r"(?:\S|[\u00a0\u2007\u202f])+")
Span = tuple[int, int]  # a word's start and end in the text wrapped


def wrap(
    text: str,
    columns: int,
    indent: str = "",
    hanging: str | None = None,
    *,
    fold_links: bool = False,
) -> list[str]:
    """Greedy wrap by display width, words joined by one space (see `wrap_spans`). Never longer
    than `columns`, but for a link or phone number wider than a line, kept whole on its own
    (with `fold_links`, a link is folded instead: see `wrap_spans`)."""
    first, rest = indent, indent if hanging is None else hanging
    lines = []
    spans_of = wrap_spans(text, columns, width(first), width(rest), fold_links=fold_links)
    for number, spans in enumerate(spans_of):
        words = "".join(
            (" " if n and start != spans[n - 1][1] else "") + SPACES.sub(" ", text[start:end])
            for n, (start, end) in enumerate(spans)
        )
        lines.append(((first if number == 0 else rest) + words).rstrip())
    return lines


def wrap_lines(text: str, columns: int) -> list[str]:
    """`text` wrapped line by line, each line keeping its indent ("- " items hang under their
    text): for paragraphs already laid out in lines, as `assess` shows them."""
    rows: list[str] = []
    for line in text.split("\n"):
        words = line.lstrip(" ")
        indent = " " * (len(line) - len(words))
        rows += wrap(words, columns, indent, indent + ("  " if words.startswith("- ") else ""))
    return rows


def wrap_spans(
    text: str, columns: int, first: int = 0, rest: int = 0, *, fold_links: bool = False
) -> list[list[Span]]:
    """Where greedy wrapping breaks `text`: each line's words as (start, end) in `text`. The
    lines start `first` (then `rest`) columns in. A word wider than a line is cut, except a URL,
    an e-mail address or a phone number, which goes whole on a line of its own. With
    `fold_links` a link wider than a line is cut too, after a "/" where it can be: a printed card
    has no room for it (a link of 99 characters drew its box out of shape), and a reader copying
    it by hand sees where it goes on. The one wrapping of the terminal, `--plain` and text views
    (`wrap` gives the lines as text)."""
    lines: list[list[Span]] = [[]]
    used = first
    room = max(columns - max(first, rest), 8)
    for start, end in _word_spans(text):
        for piece_start, piece_end in _pieces(text, start, end, room, fold_links):
            size = width(text[piece_start:piece_end])
            # Pieces of one word (`_pieces`) sit side by side, words one space apart.
            gap = 1 if lines[-1] and lines[-1][-1][1] != piece_start else 0
            if lines[-1] and used + gap + size > columns:
                lines.append([])
                used, gap = rest, 0
            used += size + gap
            lines[-1].append((piece_start, piece_end))
    return lines


def _word_spans(text: str) -> list[Span]:
    """The words of `text`, split at white space (not at a no-break space) except inside a
    phone number and before or after punctuation that may not start or end a line."""
    spans = [m.span() for m in _WORD.finditer(text)]
    phones = [m.span() for m in _PHONE.finditer(text)] if "+" in text else []
    joined: list[Span] = []
    for start, end in spans:
        # Punctuation set off by a space (French « : », « ? », the guillemets; Chinese text with
        # a space before ，) stays with the word it belongs to, as inside a word (`_pieces`).
        glued = joined and (
            text[start] in _NO_LINE_START
            or all(c in _NO_LINE_END for c in text[joined[-1][0] : joined[-1][1]])
        )
        if joined and (glued or any(p0 < joined[-1][1] and start < p1 for p0, p1 in phones)):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


# Chinese (and Japanese) line breaking: a line never starts with closing punctuation nor ends
# with an opening bracket; the character before goes to the next line with it. French sets its
# high punctuation and guillemets off with a space: the same rule keeps them with their word.
_NO_LINE_START = frozenset("。，、；：！？）」』】〕〉》〗”’…‥・ー々〻%,.;:!?)]}»")
_NO_LINE_END = frozenset("（「『【〔〈《〖“‘([{«")


def _pieces(text: str, start: int, end: int, room: int, fold_links: bool = False) -> list[Span]:
    word = text[start:end]
    link = _LINK.search(word)
    if link is not None and width(word) > room:
        # A link is never broken (unless `fold_links`), but the text glued to it is (Chinese
        # has no space before a URL: a line 123 columns wide, red team red30).
        a, b = _ascii_run(word, link.start())
        if a > 0 or b < len(word):
            return [
                *(_pieces(text, start, start + a, room) if a > 0 else []),
                *(
                    _pieces(text, start + a, start + b, room, fold_links)
                    if fold_links
                    else [(start + a, start + b)]
                ),
                *(_pieces(text, start + b, end, room) if b < len(word) else []),
            ]
    whole_link = link is not None and not fold_links
    if width(word) <= room or whole_link or ("+" in word and _PHONE.search(word)):
        return [(start, end)]  # fits, or must not be broken (a phone number holds spaces)
    pieces: list[Span] = []
    piece_start, used = start, 0
    for index in range(start, end):
        size = width(text[index])
        if index > piece_start and used + size > room:
            after_slash = text.rfind("/", piece_start + 1, index) + 1 if link else 0
            cut = (
                after_slash
                or _cut(text, piece_start, index, runs=True)
                or _cut(text, piece_start, index)
            )
            pieces.append((piece_start, cut))
            piece_start, used = cut, width(text[cut:index])
        used += size
    pieces.append((piece_start, end))
    # A word glued to its punctuation (`_word_spans`) may hold a space: no piece starts or
    # ends with one.
    return [(a + _lead(text, a, b), b - _trail(text, a, b)) for a, b in pieces if text[a:b].strip()]


def _ascii_run(word: str, index: int) -> tuple[int, int]:
    """The run of printable ASCII around `index` in `word` (a link, with what it is written
    with), as its start and end, with the punctuation that may not end or start a line."""
    a = b = index
    while a > 0 and (
        (word[a - 1].isascii() and word[a - 1].isprintable()) or word[a - 1] in _NO_LINE_END
    ):
        a -= 1
    while b < len(word) and (
        (word[b].isascii() and word[b].isprintable()) or word[b] in _NO_LINE_START
    ):
        b += 1
    return a, b


def _cut(text: str, start: int, index: int, *, runs: bool = False) -> int:
    """Where to cut a word wider than a line, at `index` or before: never before closing
    punctuation nor after an opening bracket, and with `runs` never inside a run of Latin
    letters and digits (a date, a number, a reference inside Chinese prose: red team red30
    printed "2026-11-14" as "20" and "26-11-14"). 0 when `runs` finds no such place (the run
    fills the line from `start`)."""
    cut = index
    while cut - 1 > start and (
        text[cut] in _NO_LINE_START
        or text[cut - 1] in _NO_LINE_END
        or (runs and _in_run(text[cut - 1]) and _in_run(text[cut]))
    ):
        cut -= 1
    if runs and _in_run(text[cut - 1]) and _in_run(text[cut]):
        return 0
    return cut


def _in_run(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-./_@+%#")


def _lead(text: str, start: int, end: int) -> int:
    return len(text[start:end]) - len(text[start:end].lstrip())


def _trail(text: str, start: int, end: int) -> int:
    return len(text[start:end]) - len(text[start:end].rstrip())
