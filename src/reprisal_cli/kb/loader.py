"""Loading the knowledge base: files in a fixed order, validated, cross-checked, fingerprinted."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reprisal_cli.documents import Document, PathPart, load
from reprisal_cli.errors import KnowledgeBaseError, Problem
from reprisal_cli.kb import snapshot
from reprisal_cli.kb.assemble import assemble
from reprisal_cli.kb.base import Id, Model, record
from reprisal_cli.kb.files import (
    KB_FILES,
    OPTIONAL_FILES,
    SNAPSHOT,
    DataFileError,
    builtin_dir,
    check_builtin,
    file_hashes,
    fingerprint_from,
    fingerprint_of,
    short_name,
)
from reprisal_cli.kb.i18n import check_translations, without_replaced
from reprisal_cli.kb.knowledge import ContactOwner, KnowledgeBase
from reprisal_cli.kb.models import (
    CasesFile,
    ChecklistsFile,
    Contact,
    KBMeta,
    MechanismsFile,
    OrganisationsFile,
    ProtectionFile,
    RisksFile,
    TranslationFile,
)
from reprisal_cli.kb.questions import QuestionsFile
from reprisal_cli.kb.rules import RulesFile, SafetyFile
from reprisal_cli.kb.states import StatesFile
from reprisal_cli.records import validate, validation_error, written_name

if TYPE_CHECKING:
    from pydantic_core import ValidationError

MAX_FILE_BYTES = 2 * 1024 * 1024

M = TypeVar("M", bound=Model)


def load_kb(directory: Path | None = None, *, overlay: Path | None = None) -> KnowledgeBase:
    """Load and check the knowledge base in `directory` (default: the built-in one).

    `overlay` lays local organisations and contacts over it. Raises `KnowledgeBaseError` listing
    every problem found, each with file, line, column and path.
    """
    builtin = directory is None
    root = builtin_dir() if directory is None else directory
    modified = False
    hashes: dict[str, str] = {}
    if builtin:
        hashes, modified = _release_state(root)
        if overlay is None and not modified and SNAPSHOT in hashes:
            cached = snapshot.read(root, hashes)
            if cached is not None:
                return cached
    if not root.is_dir():
        raise KnowledgeBaseError([Problem("is not a folder", file=str(root))])
    problems: list[Problem] = []
    docs: dict[str, Document] = {}
    models: dict[str, Model] = {}
    for name in KB_FILES:
        if name in OPTIONAL_FILES and not (root / name).exists():
            continue  # a language without translations falls back to English; no States
        doc, model = _load_file(root, name, _FILE_MODELS.get(name, TranslationFile), problems)
        if doc is not None and model is not None:
            docs[name], models[name] = doc, model
    if problems:
        raise KnowledgeBaseError(problems)

    overlay_orgs: OrganisationsFile | None = None
    overlay_contacts: list[tuple[str, Contact]] = []
    if overlay is not None:
        overlay_orgs, overlay_contacts = _load_overlay(overlay, docs, problems)
        if problems:
            raise KnowledgeBaseError(problems)

    kb = assemble(
        docs,
        models,
        overlay_orgs=overlay_orgs,
        overlay_contacts=overlay_contacts,
        # The built-in files as checked above (a checkout's snapshot only if vouched for).
        fingerprint=fingerprint_from(hashes) if builtin else _fingerprint(root),
        source=str(root),
        custom=not builtin or overlay is not None,
        modified=modified,
    )
    translations = {
        name.removeprefix("i18n/").removesuffix(".yaml"): model
        for name, model in models.items()
        if isinstance(model, TranslationFile)
    }

    if overlay_orgs is not None:
        ours = models["organisations.yaml"]
        assert isinstance(ours, OrganisationsFile)
        replaced = {org.id for org in overlay_orgs.organisations} & {
            org.id for org in ours.organisations
        }
        translations = without_replaced(translations, kb, replaced)
    problems = check_translations(kb, translations, docs)
    if problems:
        raise KnowledgeBaseError(problems)
    return dataclasses.replace(kb, translations=translations)


def _release_state(root: Path) -> tuple[dict[str, str], bool]:
    """The sha256 of the built-in files, and whether they changed since release."""
    try:
        return check_builtin(root)
    except DataFileError as exc:
        raise KnowledgeBaseError([Problem(exc.reason, file=_label(exc.path))]) from None


def _fingerprint(root: Path) -> str:
    try:
        return fingerprint_of(root)
    except DataFileError as exc:
        raise KnowledgeBaseError([Problem(exc.reason, file=_label(exc.path))]) from None


def _load_file(
    root: Path, name: str, model: type[M], problems: list[Problem]
) -> tuple[Document | None, M | None]:
    path = root / name
    label = _label(path)
    if root != builtin_dir() and _linked(root, name):
        # A knowledge base from elsewhere could point at any file this user can read, and its
        # lines would come back in the error messages.
        problems.append(
            Problem("is a symbolic link: not followed in a custom knowledge base", file=label)
        )
        return None, None
    try:
        doc = load(path, max_bytes=MAX_FILE_BYTES, error=KnowledgeBaseError, name=label)
    except KnowledgeBaseError as exc:
        problems.extend(exc.problems)
        return None, None
    if doc.data is None:
        problems.append(Problem("is empty", file=label))
        return doc, None
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "must be a mapping at the top"))
        return doc, None
    try:
        return doc, validate(model, doc.data)
    except validation_error() as exc:
        problems.extend(validation_problems(exc, doc, model))
        return doc, None


def _linked(root: Path, name: str) -> bool:
    """Whether `name` (`i18n/fr.yaml`, say), or a folder on its way, is a symbolic link."""
    path = root
    for part in Path(name).parts:
        path = path / part
        if path.is_symlink():
            return True
    return False


def _label(path: Path) -> str:
    """A short file name for messages: relative to the working folder when inside it."""
    return short_name(path)


def _load_overlay(
    overlay: Path, docs: dict[str, Document], problems: list[Problem]
) -> tuple[OrganisationsFile | None, list[tuple[str, Contact]]]:
    if not overlay.is_dir():
        problems.append(Problem("is not a folder", file=str(overlay)))
        return None, []
    orgs: OrganisationsFile | None = None
    found = False
    if (overlay / "organisations.yaml").exists():
        found = True
        doc, orgs = _load_file(overlay, "organisations.yaml", OrganisationsFile, problems)
        if doc is not None:
            docs["overlay:organisations.yaml"] = doc
    contacts: list[tuple[str, Contact]] = []
    if (overlay / "contacts.yaml").exists():
        found = True
        doc, extra = _load_file(overlay, "contacts.yaml", ContactsOverlayFile, problems)
        if doc is not None:
            docs["overlay:contacts.yaml"] = doc
        if extra is not None:
            contacts = [(item.owner, item.contact) for item in extra.contacts]
            if doc is not None:
                problems += _dated_ahead(doc, contacts)
    if not found:
        problems.append(
            Problem("holds neither organisations.yaml nor contacts.yaml", file=str(overlay))
        )
    return orgs, contacts


def _dated_ahead(doc: Document, contacts: list[tuple[str, Contact]]) -> list[Problem]:
    """An overlay's contact whose source or confirmation is dated after today (a day ahead
    aside, `timeutil.latest_day`) is refused: shown as the contact's freshness, a confirmation
    that has not happened yet overstated it, on an emergency line (red team red38)."""
    # lazy: dates only for an overlay's contacts (bench/startup)
    from reprisal_cli.kb.provenance import parse_source_date
    from reprisal_cli.timeutil import latest_day

    latest = latest_day()
    problems: list[Problem] = []
    for n, (_owner, contact) in enumerate(contacts):
        source = parse_source_date(contact.source_date)
        confirmed = contact.last_confirmed.date
        for key, ahead in (
            ("source_date", source is not None and source.earliest > latest),
            ("last_confirmed", confirmed is not None and confirmed > latest),
        ):
            if ahead:
                problems.append(
                    doc.problem(
                        ["contacts", n, "contact", key],
                        "is after today: a source or a confirmation cannot be in the future",
                    )
                )
    return problems


def validation_problems(exc: ValidationError, doc: Document, model: type[Model]) -> list[Problem]:
    """pydantic errors as `file:line:col path: message`, with the allowed keys or values."""
    errors = [(err, data_path(doc.data, err["loc"])) for err in exc.errors(include_url=False)]
    return [
        doc.problem(path, explain(err, path, doc.data, model))
        for err, path in errors
        if not _follows(err, path, [p for other, p in errors if other is not err])
    ]


def _follows(err: Any, path: list[PathPart], paths: list[list[PathPart]]) -> bool:
    """Whether an error only follows from another one about the same value (`paths`: those of
    the other errors), and says nothing more: a mapping tried as the text of a text-or-record
    union (`mitigations`: a text or `{text, steps}`) when its record form has an error, or a
    list left too short by an item that failed."""
    within = any(other[: len(path)] == path for other in paths)
    text_branch = err["type"] == "string_type" and isinstance(err.get("input"), dict)
    return within and (text_branch or err["type"] == "too_short")


def data_path(data: Any, loc: tuple[Any, ...]) -> list[PathPart]:
    """The part of a pydantic location that exists in the data (drops union tags and the like)."""
    path: list[PathPart] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
    return path


def explain(err: Any, path: list[PathPart], data: Any, model: type[Model]) -> str:
    """One error in words a knowledge-base editor can act on."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"{value!r} is not one of {expected}"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = _allowed_keys(model, err["loc"][:-1])
        suffix = f"; allowed: {', '.join(allowed)}" if allowed else ""
        return f"unknown key {err['loc'][-1]!r}{suffix}"
    if kind in ("missing", "missing_keyword_only_argument"):
        return f"required key {err['loc'][-1]!r} is missing"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("string_type", "int_type", "bool_type", "tuple_type", "dict_type", "model_type"):
        wanted = {
            "string_type": "text",
            "int_type": "a whole number",
            "bool_type": "true or false",
            "tuple_type": "a list",
            "dict_type": "a mapping",
            "model_type": "a mapping",
        }[kind]
        return f"must be {wanted}, not {type(value).__name__} {_short(value)}"
    return f"{err['msg']} (got {_short(value)})"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[Model], loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = _fields(current)
        if fields is None or part not in fields:
            return []
        current = _inner_record(fields[part])
    fields = _fields(current)
    return list(fields) if fields is not None else []


def _fields(cls: Any) -> dict[str, Any] | None:
    """A record's keys as written in files, each with its type."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return None
    hints = typing.get_type_hints(cls, include_extras=True)
    return {written_name(f.name): hints[f.name] for f in dataclasses.fields(cls)}


def _inner_record(annotation: Any) -> Any:
    """The record inside `tuple[X, ...]`, `X | None`, `Annotated[X, ...]` and the like."""
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            return item
        stack.extend(getattr(item, "__args__", ()))
        origin = getattr(item, "__origin__", None)
        if origin is not None and origin is not tuple:
            stack.append(origin)
    return None


@record
class ContactsOverlayEntry(Model):
    """A contact added by a local overlay (`--kb-add`), and the mechanism or organisation it
    reaches."""

    owner: Id
    contact: Contact


@record
class ContactsOverlayFile(Model):
    """A local overlay file of contacts (`--kb-add`)."""

    contacts: tuple[ContactsOverlayEntry, ...]


_FILE_MODELS: dict[str, type[Model]] = {
    "kb.yaml": KBMeta,
    "mechanisms.yaml": MechanismsFile,
    "organisations.yaml": OrganisationsFile,
    "protection.yaml": ProtectionFile,
    "risks.yaml": RisksFile,
    "checklists.yaml": ChecklistsFile,
    "cases.yaml": CasesFile,
    "rules.yaml": RulesFile,
    "safety.yaml": SafetyFile,
    "questions.yaml": QuestionsFile,
    "states.yaml": StatesFile,
}

__all__ = [
    "KB_FILES",
    "ContactOwner",
    "KnowledgeBase",
    "builtin_dir",
    "file_hashes",
    "fingerprint_of",
    "load_kb",
    "validation_problems",
]
