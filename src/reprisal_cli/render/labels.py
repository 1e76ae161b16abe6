"""Words for the plan's codes (flags, channels, gates, risk levels), shared by every renderer so
the terminal, Markdown and plain text say the same thing."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from reprisal_cli.contract import ANSWER_KEYS
from reprisal_cli.render.escape import one_line

if TYPE_CHECKING:
    from reprisal_cli.engine.plan import Plan, PlanContact, Step, Why
    from reprisal_cli.kb.knowledge import KnowledgeBase

TITLE = "Action plan: protection from reprisals"
NOT_A_GUARANTEE = "This plan is not a security guarantee."
CHECK_CURRENT = "check this contact on the official page before use"
UNREVIEWED = "Parts of this plan are machine translations not yet reviewed."
# Warnings shown at the top of the plan, before anything else, in this order.
TOP_WARNINGS = ("no_physical_protection",)

FLAGS_LEAD = "Be aware: "
FLAG_WORDS: tuple[tuple[str, str], ...] = (
    ("public", "Makes the case public"),
    ("shares_with_un", "Shares details with the UN"),
    ("sends_information", "Sends information outside"),
)
CHANNELS: dict[str, str] = {
    "email": "Email",
    "phone": "Phone",
    "web": "Web",
    "fax": "Fax",
    "post": "Post",
    "signal": "Signal",
    "in_person": "In person",
}
GATES: dict[str, str] = {
    "consent_publicity": "held back until the person agrees to make the case public",
    "consent_share_with_un": "held back until the person agrees to share details with the UN",
}
RISK_LEVELS: dict[str, str] = {
    "low": "LOW",
    "moderate": "MODERATE",
    "high": "HIGH",
    "critical": "CRITICAL",
}


def flags(step: Step) -> list[str]:
    """The step's flags in words, in a fixed order."""
    return [words for name, words in FLAG_WORDS if getattr(step, name)]


def gate(gate_id: str) -> str:
    return GATES.get(gate_id, f"held back by the do-no-harm gate '{one_line(gate_id)}'")


def channel(name: str) -> str:
    return CHANNELS.get(name, one_line(name))


def short_fingerprint(fingerprint: str) -> str:
    """`sha256:` and the first 12 hex digits: enough to compare by eye."""
    algo, _, digest = fingerprint.partition(":")
    return f"{algo}:{digest[:12]}" if digest else fingerprint[:19]


def kb_line(plan: Plan) -> str:
    line = f"Knowledge base {plan.kb.version} ({short_fingerprint(plan.kb.fingerprint)})"
    marks = [m for m, on in (("custom", plan.kb.custom), ("modified", plan.kb.modified)) if on]
    if marks:
        line += " - " + ", ".join(marks)
    return one_line(line)


def checklist_titles(step: Step, kb: KnowledgeBase | None) -> list[str]:
    """Titles of the step's checklists from the knowledge base, or their ids without one."""
    titles = []
    for cid in step.checklist:
        found = kb.checklists.get(cid) if kb is not None else None
        titles.append(one_line(found.title if found is not None else cid))
    return titles


def value_words(value: Any) -> str:
    """An answer value as words: `special_procedures` -> `special procedures`."""
    if value is None:
        return "not answered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(value_words(v) for v in value)
    return one_line(str(value)).replace("_", " ")


def _pair(key: str, value: Any) -> str:
    return f"{one_line(key).replace('_', ' ')}: {value_words(value)}"


def matched_words(why: Why) -> list[str]:
    return [_pair(k, v) for k, v in why.matched.items()]


def reason(step: Step) -> str:
    """One line on why the step is in the plan, from the answers its rules matched. Keys that are
    not answers (the engine may note, say, the step a confidential one replaces) follow apart."""
    answers: list[str] = []
    other: list[str] = []
    for why in step.why:
        for key, value in why.matched.items():
            if value is None:  # an unanswered key of an `any` did not bring the step
                continue
            bucket = answers if key in ANSWER_KEYS else other
            item = _pair(key, value)
            if item not in bucket:
                bucket.append(item)
    if not answers and not other:
        return "Why: part of every plan." if step.why else ""
    line = "Why: you answered " + "; ".join(answers) + "." if answers else "Why:"
    for item in other:
        line += " " + item[0].upper() + item[1:] + "."
    return line


def why_trace(why: Why) -> str:
    """One rule of the trace: its id and the answers it matched."""
    items = matched_words(why)
    return f"rule {one_line(why.rule)}" + (" - matched " + "; ".join(items) if items else "")


def contact_parts(contact: PlanContact) -> tuple[str, str, str]:
    """Name, channel in words, value: each on one line, cleaned."""
    return one_line(contact.name), channel(contact.channel), one_line(contact.value)


def contact_lines(
    contacts: tuple[PlanContact, ...], kb: KnowledgeBase | None
) -> list[tuple[tuple[str, str, str], list[str]]]:
    """Each contact's parts and the notes under it (check first, the fallback, the source)."""
    check_text = CHECK_CURRENT
    out = []
    for index, contact in enumerate(contacts):
        notes = []
        if contact.status == "check_current":
            notes.append(check_text[0].upper() + check_text[1:] + ".")
            fallback = _fallback(contacts, index, kb)
            if fallback is not None:
                notes.append(
                    "If you cannot check it, use the confirmed contact: "
                    + " - ".join(
                        (
                            one_line(fallback.name),
                            channel(fallback.channel),
                            one_line(fallback.value),
                        )
                    )
                    + "."
                )
        notes.append(provenance(contact, kb))
        out.append((contact_parts(contact), notes))
    return out


def provenance(contact: PlanContact, kb: KnowledgeBase | None) -> str:
    """Where a contact comes from and the date its source shows (or that the source is undated
    and when it was read)."""
    known = kb.contacts.get(contact.id) if kb is not None else None
    if known is not None and not known.source_dated:
        return f"Source (undated, read {one_line(contact.verified)}): {one_line(contact.source)}"
    return f"Verified {one_line(contact.verified)}; source: {one_line(contact.source)}"


def _fallback(
    contacts: tuple[PlanContact, ...], index: int, kb: KnowledgeBase | None
) -> PlanContact | None:
    # The engine places the confirmed fallback right after a `check_current` contact; with the
    # knowledge base at hand the exact fallback id is preferred.
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


def wrap(text: str, columns: int, indent: str = "", hanging: str | None = None) -> list[str]:
    """Greedy wrap by display width; words wider than a line are cut. Never longer than
    `columns`."""
    first, rest = indent, indent if hanging is None else hanging
    lines: list[str] = []
    current, prefix = "", first
    for word in text.split():
        for piece in _pieces(word, columns - max(width(first), width(rest))):
            candidate = f"{current} {piece}" if current else piece
            if width(prefix + candidate) <= columns:
                current = candidate
                continue
            lines.append(prefix + current)
            current, prefix = piece, rest
    if current or not lines:
        lines.append((prefix + current).rstrip())
    return lines


def _pieces(word: str, room: int) -> list[str]:
    room = max(room, 8)
    if width(word) <= room:
        return [word]
    pieces, current = [], ""
    for char in word:
        if width(current + char) > room:
            pieces.append(current)
            current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces
