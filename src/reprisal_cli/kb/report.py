"""Text reports about a knowledge base, for `kb validate`, `kb list`, `kb show` and `kb search`.

Plain text only: the command prints it; nothing here touches a terminal. A custom knowledge base
can say anything, so every text taken from it (and the folder's name) goes through `one_line`:
no control, bidi or invisible character, no line break of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from reprisal_cli.errors import KnowledgeBaseError, Problem
from reprisal_cli.kb.checks import coverage_gaps
from reprisal_cli.kb.files import TRANSLATION_LANGS
from reprisal_cli.kb.freshness import (
    STATE_FACTS_STALE_AFTER_MONTHS,
    release_gate,
    stale_state_facts,
)
from reprisal_cli.kb.i18n import coverage, source_texts
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.kb.models import Contact, TranslationFile
from reprisal_cli.kb.provenance import parse_source_date, source_date_text
from reprisal_cli.kb.staleness import stale_contacts
from reprisal_cli.records import Record, to_data
from reprisal_cli.untrusted import one_line

TABLES = ("mechanisms", "organisations", "protection", "risks", "checklists", "cases")


def validation_report(kb: KnowledgeBase, as_of: dt.date) -> str:
    """Summary of a knowledge base that loaded: counts, contacts to check, stale contacts."""
    lines = [
        f"Knowledge base {one_line(kb.meta.version)} at {one_line(str(kb.source))}: valid.",
        f"  fingerprint {kb.fingerprint}" + ("  (custom)" if kb.custom else ""),
    ]
    if kb.modified:
        lines.append("  WARNING: changed since release: check contacts before use.")
    counts = [f"{len(getattr(kb, t))} {t}" for t in TABLES]
    counts += [
        f"{len(kb.rules)} rules",
        f"{len(kb.questions)} questions",
        f"{len(kb.contacts)} contacts",
        f"{len(kb.states)} States",
    ]
    lines.append("  " + ", ".join(counts))
    to_check = sorted(c for c, contact in kb.contacts.items() if contact.status == "check_current")
    lines.append(
        f"  {len(to_check)} contacts marked check_current (shown with a warning and a fallback)"
    )
    lines.extend(_translation_lines(kb))
    for gap in coverage_gaps(kb):
        lines.append(f"  WARNING: {one_line(gap)}")
    stale = list(stale_contacts(kb, as_of))
    if stale:
        never = sum(s.months is None for s in stale)
        lines.append(
            f"  {len(stale)} contacts not confirmed in the {kb.meta.stale_after_months} months "
            f"before {as_of.isoformat()} ({never} never confirmed): see reprisal-cli kb audit"
        )
    future = [c for c in sorted(kb.contacts) if _after(kb.contacts[c], as_of)]
    lines.extend(
        f"  WARNING: {c} ({kb.contact_owner[c].name}) has a date after {as_of.isoformat()}: "
        "a source or a confirmation cannot be in the future"
        for c in future
    )
    old = stale_state_facts(kb, as_of)
    if old:
        lines.append(
            f"  WARNING: facts about States resting on sources older than "
            f"{STATE_FACTS_STALE_AFTER_MONTHS // 12} years before {as_of.isoformat()} "
            "(plans must say to check the current status):"
        )
        lines.extend(
            f"    {one_line(source.id)} ({source_date_text(source.date)}): {count} fact"
            + ("" if count == 1 else "s")
            for source, count in old
        )
    gated = [c for c in sorted(kb.contacts) if release_gate(kb.contacts[c], kb)]
    if gated:
        lines.append(
            f"  WARNING: {len(gated)} emergency lines and UN mailboxes not confirmed in the "
            f"{kb.meta.stale_after_months} months before the knowledge base's version date "
            f"{kb.meta.version} (plans say so on each):"
        )
        lines.extend(
            f"    {c} ({one_line(kb.contact_owner[c].name)}): {_confirmation(kb.contacts[c])}"
            for c in gated
        )
    return "\n".join(lines)


def _after(contact: Contact, as_of: dt.date) -> bool:
    source = parse_source_date(contact.source_date)
    day = contact.last_confirmed.date
    return (source is not None and source.earliest > as_of) or (day is not None and day > as_of)


def _confirmation(contact: Contact) -> str:
    confirmation = contact.last_confirmed
    if confirmation.how != "not_confirmed" and confirmation.date is not None:
        return f"last confirmed ({confirmation.how}) {confirmation.date.isoformat()}"
    return f"source {source_date_text(contact.source_date)}, not confirmed"


def list_entries(kb: KnowledgeBase, table: str) -> list[str]:
    """`id  name` lines of one table, sorted by id."""
    entries: dict[str, Any] = getattr(kb, table)
    width = max((len(i) for i in entries), default=0)
    return [f"{ident:<{width}}  {_title(entry)}" for ident, entry in sorted(entries.items())]


def _title(entry: Any) -> str:
    return one_line(str(getattr(entry, "name", None) or getattr(entry, "title", "")))


def find(kb: KnowledgeBase, ident: str) -> tuple[str, Record]:
    """The entry or contact with this id, and the table it is in."""
    for table in TABLES:
        entries = getattr(kb, table)
        if ident in entries:
            return table, entries[ident]
    if ident in kb.contacts:
        return "contacts", kb.contacts[ident]
    for rule in kb.rules:
        if rule.id == ident:
            return "rules", rule
    raise KnowledgeBaseError(
        [Problem(f"no entry or contact has the id {ident!r}")],
        hint="List ids with: reprisal-cli kb list mechanisms (or "
        "organisations, protection, risks, checklists, cases)",
    )


def show_entry(kb: KnowledgeBase, ident: str) -> str:
    """One entry as indented YAML-like text."""
    table, entry = find(kb, ident)
    data = to_data(entry, exclude_none=True, exclude_defaults=True)
    lines = [f"{table}: {one_line(ident)}"]
    if kb.modified:
        lines.insert(0, "WARNING: knowledge base changed since release: check contacts before use.")
    if kb.custom:
        lines.insert(0, "Custom knowledge base: not reviewed by the project.")
    if table == "contacts":
        lines.append(f"  reaches: {one_line(kb.contact_owner[ident].name)}")
    lines.extend(_lines(data, 1))
    return "\n".join(lines)


def _lines(value: Any, depth: int) -> Iterable[str]:
    pad = "  " * depth
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                yield f"{pad}{one_line(str(key))}:"
                yield from _lines(item, depth + 1)
            else:
                yield f"{pad}{one_line(str(key))}: {one_line(str(item))}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                inner = list(_lines(item, depth + 1))
                if inner:
                    yield pad + "- " + inner[0].lstrip()
                    yield from inner[1:]
            else:
                yield f"{pad}- {one_line(str(item))}"
    else:
        yield f"{pad}{one_line(str(value))}"


def search_entries(kb: KnowledgeBase, text: str) -> list[str]:
    """Entries whose text holds every word of `text` (case-insensitive)."""
    words = text.casefold().split()
    hits = []
    for table in (*TABLES, "contacts"):
        entries = kb.contacts if table == "contacts" else getattr(kb, table)
        for ident, entry in sorted(entries.items()):
            blob = json.dumps(to_data(entry), ensure_ascii=False).casefold()
            if all(w in blob for w in words):
                hits.append(
                    f"{table[:-1] if table.endswith('s') else table:<12} {ident}  {_title(entry)}"
                )
    return hits


def _translation_lines(kb: KnowledgeBase) -> list[str]:
    """Translation coverage of the knowledge base's texts, per language."""
    total = len(source_texts(kb))
    lines = [f"  translations of the {total} texts:"]
    for lang in TRANSLATION_LANGS:
        translation = kb.translations.get(lang) or TranslationFile(lang=lang)  # type: ignore[arg-type]
        cov = coverage(kb, translation)
        state = "reviewed" if cov.reviewed else "not reviewed by a native speaker"
        stale = f", {cov.stale} out of date" if cov.stale else ""
        lines.append(
            f"    {lang}: {cov.translated}/{cov.total} ({cov.percent:.0f}%){stale}, {state}"
        )
    return lines
