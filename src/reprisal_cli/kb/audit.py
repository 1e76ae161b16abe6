"""`kb audit`: every contact and dated fact of a knowledge base, how it was confirmed and how old
that is, and what to re-confirm first, for the people who keep the knowledge base.

Plain data and plain text: the command prints it; nothing here touches a terminal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass
from typing import Any

from reprisal_cli.kb.freshness import KIND_ORDER, contact_kind, release_gate
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.kb.models import CONFIRMED_HOW, Contact, Sourced
from reprisal_cli.kb.provenance import (
    confirmed_within,
    months_between,
    parse_source_date,
    source_date_text,
)
from reprisal_cli.render.escape import code_span, md_fragment, one_line

AUDIT_SCHEMA = "reprisal-cli/kb-audit/v1"
FORMATS = ("md", "csv", "json")


@dataclass(frozen=True)
class AuditRow:
    """One contact or dated fact. `age_months` counts from the last confirmation, or from the
    date the source shows when it was never confirmed (None: undated and never confirmed)."""

    record: str  # contact or fact
    id: str
    kind: str  # emergency_line, un_mailbox, mechanism, organisation, fact
    owner: str
    channel: str
    value: str
    status: str
    source: str
    source_date: str
    confirmed_how: str
    confirmed_on: str
    age_months: int | None
    stale: bool
    release_gate: bool


@dataclass(frozen=True)
class Audit:
    version: str
    fingerprint: str
    custom: bool
    as_of: str
    stale_after_months: int
    rows: tuple[AuditRow, ...]

    def contacts(self) -> list[AuditRow]:
        return [r for r in self.rows if r.record == "contact"]

    def facts(self) -> list[AuditRow]:
        return [r for r in self.rows if r.record == "fact"]

    def reconfirm_first(self) -> list[AuditRow]:
        """Stale contacts, most urgent first: emergency lines, UN mailboxes, other mechanism
        contacts, organisations; within each, never confirmed before confirmed long ago, then the
        oldest."""
        return sorted((r for r in self.contacts() if r.stale), key=_priority)

    def counts(self) -> dict[str, dict[str, int]]:
        """How many contacts and facts have each kind of confirmation, and how many are stale."""
        out: dict[str, dict[str, int]] = {}
        for name, rows in (("contacts", self.contacts()), ("facts", self.facts())):
            counted = {how: sum(r.confirmed_how == how for r in rows) for how in CONFIRMED_HOW}
            counted["stale"] = sum(r.stale for r in rows)
            counted["total"] = len(rows)
            out[name] = counted
        return out

    def failing(self) -> list[AuditRow]:
        """What `--fail-on-stale` fails on: every stale contact."""
        return self.reconfirm_first()


def _priority(row: AuditRow) -> tuple[int, int, int, str]:
    kind = KIND_ORDER.index(row.kind) if row.kind in KIND_ORDER else len(KIND_ORDER)
    never = 0 if row.confirmed_how == "not_confirmed" else 1
    age = -(row.age_months if row.age_months is not None else 10_000)
    return (kind, never, age, row.id)


def build_audit(kb: KnowledgeBase, as_of: dt.date) -> Audit:
    """The audit of `kb` on `as_of`: every contact, then every dated fact."""
    limit = kb.meta.stale_after_months
    rows: list[AuditRow] = []
    for contact_id in sorted(kb.contacts):
        contact = kb.contacts[contact_id]
        owner = kb.contact_owner[contact_id].name
        rows.append(_contact_row(contact, owner, kb, as_of, limit))
    for owner_id, owner_name, label, item in _facts(kb):
        rows.append(_fact_row(f"{owner_id}.{label}", owner_name, item, as_of, limit))
    return Audit(
        version=kb.meta.version,
        fingerprint=kb.fingerprint,
        custom=kb.custom,
        as_of=as_of.isoformat(),
        stale_after_months=limit,
        rows=tuple(rows),
    )


def _age(item: Contact | Sourced, as_of: dt.date) -> int | None:
    confirmation = item.last_confirmed
    if confirmation.how != "not_confirmed" and confirmation.date is not None:
        return months_between(confirmation.date, as_of)
    source = parse_source_date(item.source_date)
    return None if source is None else months_between(source.earliest, as_of)


def _contact_row(
    contact: Contact, owner: str, kb: KnowledgeBase, as_of: dt.date, limit: int
) -> AuditRow:
    confirmation = contact.last_confirmed
    return AuditRow(
        record="contact",
        id=contact.id,
        kind=contact_kind(contact, kb),
        owner=owner,
        channel=contact.channel,
        value=contact.value,
        status=contact.status,
        source=contact.source,
        source_date=source_date_text(contact.source_date),
        confirmed_how=confirmation.how,
        confirmed_on=confirmation.date.isoformat() if confirmation.date else "",
        age_months=_age(contact, as_of),
        stale=not confirmed_within(confirmation, as_of, limit),
        release_gate=release_gate(contact, kb),
    )


def _fact_row(ident: str, owner: str, fact: Sourced, as_of: dt.date, limit: int) -> AuditRow:
    confirmation = fact.last_confirmed
    return AuditRow(
        record="fact",
        id=ident,
        kind="fact",
        owner=owner,
        channel="",
        value=fact.text,
        status="",
        source=fact.source,
        source_date=source_date_text(fact.source_date),
        confirmed_how=confirmation.how,
        confirmed_on=confirmation.date.isoformat() if confirmation.date else "",
        age_months=_age(fact, as_of),
        stale=not confirmed_within(confirmation, as_of, limit),
        release_gate=False,
    )


def _facts(kb: KnowledgeBase) -> list[tuple[str, str, str, Sourced]]:
    out: list[tuple[str, str, str, Sourced]] = []
    entries: list[Any] = [*kb.mechanisms.values(), *kb.organisations.values()]
    for entry in entries:
        for field in ("conditions", "facts"):
            for i, item in enumerate(getattr(entry, field, ())):
                out.append((entry.id, entry.name, f"{field}[{i}]", item))
    return out


def render_audit(audit: Audit, fmt: str) -> str:
    """The audit as Markdown (for a person), CSV (for a spreadsheet) or JSON (for a program)."""
    if fmt == "json":
        return _json(audit)
    if fmt == "csv":
        return _csv(audit)
    return _markdown(audit)


def _json(audit: Audit) -> str:
    data = {
        "schema": AUDIT_SCHEMA,
        "kb": {"version": audit.version, "fingerprint": audit.fingerprint, "custom": audit.custom},
        "as_of": audit.as_of,
        "stale_after_months": audit.stale_after_months,
        "counts": audit.counts(),
        "reconfirm_first": [r.id for r in audit.reconfirm_first()],
        "records": [asdict(r) for r in audit.rows],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "priority",
    "record",
    "id",
    "kind",
    "owner",
    "channel",
    "value",
    "status",
    "source_date",
    "confirmed_how",
    "confirmed_on",
    "age_months",
    "stale",
    "release_gate",
    "source",
)


def _csv(audit: Audit) -> str:
    order = {r.id: n for n, r in enumerate(audit.reconfirm_first(), start=1)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in audit.rows:
        data = asdict(row)
        data["priority"] = order.get(row.id, "")
        data["age_months"] = "" if row.age_months is None else row.age_months
        data["stale"] = "yes" if row.stale else "no"
        data["release_gate"] = "yes" if row.release_gate else "no"
        writer.writerow([_cell(data[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    # A cell a spreadsheet would run as a formula is kept as text (CSV injection).
    text = one_line(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _phone(text) else text


def _phone(text: str) -> bool:
    return text.startswith("+") and all(c.isdigit() or c in " +()-" for c in text)


def _md(text: str) -> str:
    return md_fragment(one_line(text)).replace("|", "\\|")


def _code(text: str) -> str:
    return code_span(text).replace("|", "\\|")


def _age_words(row: AuditRow) -> str:
    if row.age_months is None:
        return "unknown (undated source)"
    return f"{row.age_months} months"


def _confirmation_words(row: AuditRow) -> str:
    if row.confirmed_how == "official_page":
        return f"confirmed on the official page on {row.confirmed_on}"
    if row.confirmed_how == "organisation_told_us":
        return f"confirmed by the organisation on {row.confirmed_on}"
    if row.source_date == "undated":
        return "undated source, not confirmed"
    return f"source dated {row.source_date}, not confirmed since"


def _markdown(audit: Audit) -> str:
    counts = audit.counts()
    lines = [
        f"# Knowledge base audit: {audit.version}",
        "",
        f"As of {audit.as_of}; a contact is stale when it was not confirmed on the official page "
        f"or by the organisation in the {audit.stale_after_months} months before. The date a "
        "copy of a page was read confirms nothing.",
        "",
        "| | official_page | organisation_told_us | not_confirmed | stale | total |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("contacts", "facts"):
        c = counts[name]
        lines.append(
            f"| {name} | {c['official_page']} | {c['organisation_told_us']} | "
            f"{c['not_confirmed']} | {c['stale']} | {c['total']} |"
        )
    first = audit.reconfirm_first()
    lines += ["", f"## Re-confirm first ({len(first)})", ""]
    if not first:
        lines.append("Every contact was confirmed within the limit.")
    for n, row in enumerate(first, start=1):
        gate = " **release gate**" if row.release_gate else ""
        lines.append(
            f"{n}. {_code(row.id)} ({row.kind.replace('_', ' ')}){gate}: {_md(row.owner)}, "
            f"{row.channel} {_code(row.value)}; {_confirmation_words(row)}; "
            f"age {_age_words(row)}."
        )
    lines += [
        "",
        "## Contacts",
        "",
        "| id | kind | channel | value | status | source date | confirmation | age | stale |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in audit.contacts():
        lines.append(
            f"| {_code(row.id)} | {row.kind} | {row.channel} | {_code(row.value)} | {row.status} | "
            f"{row.source_date} | {_confirmation_words(row)} | {_age_words(row)} | "
            f"{'yes' if row.stale else 'no'} |"
        )
    lines += [
        "",
        "## Dated facts",
        "",
        "| id | source date | confirmation | age | stale |",
        "|---|---|---|---|---|",
    ]
    for row in audit.facts():
        lines.append(
            f"| {_code(row.id)} | {row.source_date} | {_confirmation_words(row)} | "
            f"{_age_words(row)} | {'yes' if row.stale else 'no'} |"
        )
    return "\n".join(lines) + "\n"
