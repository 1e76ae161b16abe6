"""Translations of the knowledge base's texts (`data/i18n/<lang>.yaml`).

Every translatable text of the knowledge base has a stable key built from ids, e.g.
`mechanisms/sr_hrd/summary`, `steps/notify_special_procedures/title`,
`checklists/document_incident/sections/0/items/2`, `questions/stage/choices/engaged/label`.
A translation file maps keys to the English text it was made from and the translation:

    lang: fr
    reviewed: false          # true once a native speaker has reviewed the whole file
    texts:
      mechanisms/sr_hrd/summary:
        en: "The UN independent expert who ..."
        text: "L'expert indépendant de l'ONU qui ..."

A translation whose `en` no longer matches the English text is stale and is not used: the English
text is shown with a visible marker instead, as for any text not translated yet. Contacts (values,
sources), ids and the names of organisations are never translated.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from reprisal_cli.documents import Document
from reprisal_cli.errors import Problem
from reprisal_cli.kb.models import TranslationFile

if TYPE_CHECKING:
    from reprisal_cli.kb.knowledge import KnowledgeBase
    from reprisal_cli.kb.questions import Question

UNTRANSLATED_MARKER = "[en] "
# Fields of "*" records that hold ids, not text.
NEVER_TRANSLATED = frozenset({"emergency_contacts"})

# Translatable fields of each record type, by class name. Everything else (ids, values, sources,
# URLs, enum values) stays as it is.
TRANSLATABLE: dict[str, tuple[str, ...] | str] = {
    "KBMeta": ("title", "description"),
    "Sourced": ("text",),
    "Contact": ("label", "hours", "note"),
    "ContactRole": ("role", "find_at"),
    "Mechanism": ("name", "short_name", "summary", "party_note"),
    "Serves": ("note",),
    "Organisation": ("summary", "availability_warning", "find_at"),
    "Caution": ("text",),
    "ProtectionSource": ("name", "summary", "how"),
    "Risk": ("name", "description", "warning_signs", "mitigations"),
    "RiskFactor": ("text", "text_other"),
    "ChecklistSection": ("title", "items"),
    "Checklist": ("title", "title_other", "purpose"),
    "Case": ("title", "country", "summary", "responses", "lessons"),
    "StepTemplate": ("title", "detail"),
    "Warning": ("text", "text_other"),
    "WarningWithout": ("text", "text_other"),
    "SafetyTexts": "*",  # every text field but the ids below
    "ReaderTexts": "*",
    "Wording": ("title", "detail"),
    "Variant": ("title", "detail"),
    "Joining": ("text", "text_other"),
    "Question": ("prompt", "prompt_other", "prompt_held", "why", "help"),
    "Choice": ("label", "help"),
}
# Records that stand for one text of a list of texts (the field named here): their text keeps the
# key a plain text of that list has (`risks/<id>/mitigations/2`), so giving a text its record
# form never loses its translation.
INLINE: dict[str, str] = {"Mitigation": "text"}
# Other texts of such a record, under the item's key (`risks/<id>/mitigations/2/text_other`).
INLINE_MORE: dict[str, tuple[str, ...]] = {"Mitigation": ("text_other",)}


def _inline_more(item: Any) -> Iterator[tuple[str, str]]:
    """(field, text) of the other texts of an `INLINE` record that has them."""
    for name in INLINE_MORE.get(type(item).__name__, ()):
        text = getattr(item, name, None)
        if isinstance(text, str):
            yield name, text


def _inline_text(item: Any) -> str | None:
    field = INLINE.get(type(item).__name__)
    if field is None or not dataclasses.is_dataclass(item):
        return None
    text = getattr(item, field)
    return text if isinstance(text, str) else None


def _is_text_list(value: Any) -> bool:
    return isinstance(value, tuple) and all(
        isinstance(v, str) or _inline_text(v) is not None for v in value
    )


def _fields_of(obj: Any) -> tuple[str, ...]:
    spec = TRANSLATABLE.get(type(obj).__name__, ())
    if isinstance(spec, str):
        return tuple(f.name for f in dataclasses.fields(obj) if f.name not in NEVER_TRANSLATED)
    return spec


def _segment(item: Any, index: int) -> str:
    for attr in ("id", "value"):
        value = getattr(item, attr, None)
        if isinstance(value, (str, bool)):
            return str(value).lower() if isinstance(value, bool) else value
    return str(index)


def _walk(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    """(key, English text) for every translatable text inside `obj`."""
    if not dataclasses.is_dataclass(obj):
        return
    wanted = _fields_of(obj)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{path}/{f.name}"
        if f.name in wanted:
            if isinstance(value, str):
                yield key, value
            elif _is_text_list(value):
                for i, item in enumerate(value):
                    yield f"{key}/{i}", item if isinstance(item, str) else _inline_text(item) or ""
                    for name, text in _inline_more(item):
                        yield f"{key}/{i}/{name}", text
                continue
            elif isinstance(value, dict):
                for k, item in sorted(value.items()):
                    if isinstance(item, str):
                        yield f"{key}/{k}", item
        if dataclasses.is_dataclass(value):
            yield from _walk(value, key)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    yield from _walk(item, f"{key}/{_segment(item, i)}")


def _roots(kb: KnowledgeBase) -> Iterator[tuple[str, Any]]:
    yield "kb", kb.meta
    for table in ("mechanisms", "organisations", "protection", "risks", "checklists", "cases"):
        for ident, entry in sorted(getattr(kb, table).items()):
            yield f"{table}/{ident}", entry
    for group in ("vulnerabilities", "capacities"):
        for factor in getattr(kb, group):
            yield f"{group}/{factor.id}", factor
    for rule in kb.rules:
        for step in rule.then.steps:
            yield f"steps/{step.id}", step
        for warning in rule.then.warnings:
            yield f"warnings/{warning.id}", warning
    yield "safety", kb.safety
    for question in kb.questions:
        yield f"questions/{question.id}", question


def source_texts(kb: KnowledgeBase) -> dict[str, str]:
    """Every translatable English text of the knowledge base, by key, in a stable order."""
    out: dict[str, str] = {}
    for path, root in _roots(kb):
        for key, text in _walk(root, path):
            # A step or warning given by several rules is one text.
            out.setdefault(key, text)
    return {_normal(k): v for k, v in out.items()}


def _normal(key: str) -> str:
    # Step templates sit at `steps/<id>` (root) and `safety/emergency_step` (inside safety):
    # both keep the path they were walked with; only strip the leading field name of roots.
    return key.replace("//", "/")


@dataclasses.dataclass(frozen=True)
class Coverage:
    lang: str
    translated: int
    stale: int
    total: int
    reviewed: bool

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def coverage(kb: KnowledgeBase, translation: TranslationFile) -> Coverage:
    """How much of the knowledge base a translation covers (stale entries do not count)."""
    sources = source_texts(kb)
    translated = stale = 0
    for key, english in sources.items():
        entry = translation.texts.get(key)
        if entry is None:
            continue
        if entry.en.strip() == english.strip():
            translated += 1
        else:
            stale += 1
    return Coverage(translation.lang, translated, stale, len(sources), translation.reviewed)


def lookup(
    translation: TranslationFile | None, key: str, english: str, *, mark: bool = True
) -> tuple[str, bool]:
    """The text to show for `key`, and whether it is a real (current) translation."""
    if translation is None:
        return english, True
    entry = translation.texts.get(key)
    if entry is not None and entry.en.strip() == english.strip():
        return entry.text, True
    return (UNTRANSLATED_MARKER + english if mark else english), False


def translate_kb(kb: KnowledgeBase, translation: TranslationFile | None) -> KnowledgeBase:
    """The knowledge base with every translatable text in the translation's language (English,
    marked, where no current translation exists). `None` gives the knowledge base unchanged."""
    if translation is None or kb.lang == translation.lang:
        return kb
    if kb.lang != "en":
        raise ValueError(f"the knowledge base is already in {kb.lang!r}")
    rebuilt: dict[str, Any] = {
        "lang": translation.lang,
        "meta": _translate(kb.meta, "kb", translation),
    }
    for table in ("mechanisms", "organisations", "protection", "risks", "checklists", "cases"):
        entries = getattr(kb, table)
        rebuilt[table] = {
            ident: _translate(entry, f"{table}/{ident}", translation)
            for ident, entry in entries.items()
        }
    for group in ("vulnerabilities", "capacities"):
        rebuilt[group] = tuple(
            _translate(f, f"{group}/{f.id}", translation) for f in getattr(kb, group)
        )
    rebuilt["rules"] = tuple(
        dataclasses.replace(
            rule,
            then=dataclasses.replace(
                rule.then,
                steps=tuple(_translate(s, f"steps/{s.id}", translation) for s in rule.then.steps),
                warnings=tuple(
                    _translate(w, f"warnings/{w.id}", translation) for w in rule.then.warnings
                ),
            ),
        )
        for rule in kb.rules
    )
    contacts = dict(kb.contacts)
    owners = dict(kb.contact_owner)
    for table in ("mechanisms", "organisations"):
        for ident, entry in rebuilt[table].items():
            for contact in entry.contacts:
                contacts[contact.id] = contact
                owner = owners.get(contact.id)
                if owner is not None and owner.id == ident:
                    owners[contact.id] = dataclasses.replace(owner, name=entry.name)
    rebuilt["contacts"] = contacts
    rebuilt["contact_owner"] = owners
    rebuilt["safety"] = _translate(kb.safety, "safety", translation)
    rebuilt["questions"] = tuple(
        _translate(q, f"questions/{q.id}", translation) for q in kb.questions
    )
    return dataclasses.replace(kb, **rebuilt)


def translate_question(question: Question, translation: TranslationFile | None) -> Question:
    """One question of an English knowledge base in the translation's language, as
    `translate_kb` would give it (unchanged without a translation)."""
    if translation is None:
        return question
    translated: Question = _translate(question, f"questions/{question.id}", translation)
    return translated


def _translate(obj: Any, path: str, translation: TranslationFile) -> Any:
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    wanted = _fields_of(obj)
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{path}/{f.name}"
        new = value
        if f.name in wanted and isinstance(value, str):
            new = lookup(translation, key, value)[0]
        elif f.name in wanted and _is_text_list(value):
            new = tuple(_translate_item(translation, f"{key}/{i}", v) for i, v in enumerate(value))
        elif f.name in wanted and isinstance(value, dict):
            new = {
                k: lookup(translation, f"{key}/{k}", v)[0] if isinstance(v, str) else v
                for k, v in value.items()
            }
        elif dataclasses.is_dataclass(value):
            new = _translate(value, key, translation)
        elif isinstance(value, tuple) and any(dataclasses.is_dataclass(v) for v in value):
            new = tuple(
                _translate(v, f"{key}/{_segment(v, i)}", translation) for i, v in enumerate(value)
            )
        if new is not value:
            changes[f.name] = new
    return dataclasses.replace(obj, **changes) if changes else obj


def _translate_item(translation: TranslationFile, key: str, item: Any) -> Any:
    """One item of a list of texts: a text, or a record standing for one (`INLINE`)."""
    if isinstance(item, str):
        return lookup(translation, key, item)[0]
    field = INLINE[type(item).__name__]
    changes = {field: lookup(translation, key, getattr(item, field))[0]}
    for name, text in _inline_more(item):
        changes[name] = lookup(translation, f"{key}/{name}", text)[0]
    return dataclasses.replace(item, **changes)


PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MARKUP = re.compile(r"</?[A-Za-z][^>]*>|\[/?[a-z ]+\]|`|\*\*")


def without_replaced(
    translations: dict[str, TranslationFile], kb: KnowledgeBase, replaced: set[str]
) -> dict[str, TranslationFile]:
    """The translations, less those of texts an overlay's organisation no longer has (`replaced`:
    the ids of built-in organisations an overlay replaced). They translated the built-in entry,
    not the overlay's; a text the overlay kept keeps its translation, and one it changed shows in
    English, marked (`lookup`)."""
    prefixes = tuple(f"organisations/{ident}/" for ident in sorted(replaced))
    if not prefixes:
        return translations
    sources = source_texts(kb)
    out: dict[str, TranslationFile] = {}
    for lang, translation in translations.items():
        texts = {
            key: entry
            for key, entry in translation.texts.items()
            if key in sources or not key.startswith(prefixes)
        }
        kept = len(texts) == len(translation.texts)
        out[lang] = translation if kept else dataclasses.replace(translation, texts=texts)
    return out


def check_translations(
    kb: KnowledgeBase, translations: dict[str, TranslationFile], docs: dict[str, Document]
) -> list[Problem]:
    """Each file is for the language its name says; every key exists; placeholders (`{step}`)
    and markup survive translation unchanged."""
    sources = source_texts(kb)
    problems: list[Problem] = []
    for lang, translation in sorted(translations.items()):
        name = f"i18n/{lang}.yaml"
        doc = docs[name]
        if translation.lang != lang:
            problems.append(doc.problem(["lang"], f"{translation.lang!r} in a file for {lang!r}"))
        for key, entry in translation.texts.items():
            if key not in sources:
                problems.append(doc.problem(["texts", key], f"unknown text key {key!r}"))
                continue
            want = sorted(PLACEHOLDER.findall(entry.en))
            got = sorted(PLACEHOLDER.findall(entry.text))
            if want != got:
                problems.append(
                    doc.problem(
                        ["texts", key, "text"],
                        f"placeholders {', '.join(got) or 'none'} differ from the English "
                        f"{', '.join(want) or 'none'}",
                    )
                )
            if sorted(MARKUP.findall(entry.en)) != sorted(MARKUP.findall(entry.text)):
                problems.append(
                    doc.problem(["texts", key, "text"], "markup differs from the English text")
                )
    return problems
