"""`data/states.yaml`: each State's region, the treaties it is party to, the complaint procedures
it accepts and its regional systems, every fact with its source (written by scripts/states.py).

A fact is `true`, `false` or `null`: null means no source was found, never "no". The engine then
words a step "if the State responsible accepted ..." instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Literal

from reprisal_cli.contract import Region, TreatyBody
from reprisal_cli.documents import Document, PathPart
from reprisal_cli.errors import Problem
from reprisal_cli.kb.base import Id, Model, Text, record
from reprisal_cli.kb.provenance import SourceDateValue, parse_source_date

StateFactKey = Literal[
    # Core treaties.
    "iccpr",
    "icescr",
    "cat",
    "cerd",
    "cedaw",
    "crc",
    "crpd",
    "ced",
    "cmw",
    # Complaint procedures: optional protocols, and declarations under the treaties.
    "op1_iccpr",
    "op_cedaw",
    "op_crpd",
    "op_icescr",
    "op3_crc",
    "cat_art22",
    "cerd_art14",
    "ced_art31",
    "cmw_art77",
    # Visits by the Subcommittee on Prevention of Torture.
    "opcat",
    # Regional systems.
    "african_charter",
    "oas_member",
    "american_convention",
    "inter_american_court",
    "coe_member",
    "echr",
    # Other treaties and presences that route a step.
    "escazu",
    "aarhus",
    "osce",
    "ohchr_office",
    # A special procedures country mandate (a Special Rapporteur or Independent Expert of the
    # Human Rights Council on the State).
    "country_mandate",
]
STATE_FACT_KEYS: tuple[str, ...] = StateFactKey.__args__  # type: ignore[attr-defined]
# Each committee's individual-complaint procedure -> the fact saying a State accepted it: an
# optional protocol, or a declaration under the treaty. The SPT takes no complaints.
COMPLAINT_PROCEDURE: dict[TreatyBody, StateFactKey] = {
    "ccpr": "op1_iccpr",
    "cescr": "op_icescr",
    "cedaw": "op_cedaw",
    "crc": "op3_crc",
    "crpd": "op_crpd",
    "cat": "cat_art22",
    "cerd": "cerd_art14",
    "ced": "ced_art31",
    "cmw": "cmw_art77",
}
CODE = re.compile(r"[A-Z]{2}")


@record
class StateSource(Model):
    """Where facts about States come from, declared once and referred to by `id`."""

    id: Id
    title: Text
    url: Text
    # The date the source itself shows (YYYY-MM-DD, YYYY-MM, YYYY or `undated`).
    date: SourceDateValue
    note: Text | None = None

    def __post_init__(self) -> None:
        try:
            parse_source_date(self.date)
        except ValueError as exc:
            raise ValueError(f"date: {exc}") from None


@record
class StateFact(Model):
    """One fact: true, false, or null (unknown), with its source when known."""

    value: bool | None
    source: Id | None = None
    since: int | None = None  # year of ratification or accession
    until: dt.date | None = None  # the day a membership or party status ended
    note: Text | None = None

    def __post_init__(self) -> None:
        if self.value is not None and self.source is None:
            raise ValueError("a known fact (true or false) needs its 'source'")


@record
class StateRegion(Model):
    """The State's region among the contract's five, after OHCHR's grouping."""

    value: Region
    source: Id
    note: Text | None = None


@record
class State(Model):
    """One State, keyed by its ISO 3166-1 alpha-2 code."""

    code: Text
    region: StateRegion
    facts: dict[StateFactKey, StateFact]

    def fact(self, key: StateFactKey) -> bool | None:
        """True or false when a source says so; None when unknown."""
        found = self.facts.get(key)
        return None if found is None else found.value

    def name(self, lang: str) -> str:
        """The State's name in `lang`, from CLDR (see `state_name`)."""
        return state_name(self.code, lang)


@record
class StatesFile(Model):
    """data/states.yaml: each State's treaties, complaint procedures and regional systems, and
    the sources of those facts."""

    sources: tuple[StateSource, ...]
    states: tuple[State, ...]


def check_states(model: StatesFile, doc: Document, problems: list[Problem]) -> None:
    """Codes are two upper-case letters (and CLDR territories where Babel is installed), none
    twice; each State gives every fact; every source referred to exists."""
    file = "states.yaml"
    sources: dict[str, int] = {}
    for i, source in enumerate(model.sources):
        if source.id in sources:
            problems.append(doc.problem(["sources", i, "id"], f"duplicate source {source.id!r}"))
        sources.setdefault(source.id, i)
    territories = cldr_territories()
    seen: dict[str, int] = {}
    for i, state in enumerate(model.states):
        at = functools.partial(_problem_at, doc, problems, ["states", i])

        if not CODE.fullmatch(state.code):
            at(
                ["code"],
                f"{state.code!r} is not an ISO 3166-1 alpha-2 code (two upper-case letters)",
            )
        elif territories is not None and state.code not in territories:
            at(["code"], f"{state.code!r} is not a territory CLDR knows")
        if state.code in seen:
            first = doc.locate(["states", seen[state.code], "code"])
            where = f"{file}:{first[0]}" if first else file
            at(["code"], f"duplicate State {state.code!r} (first at {where})")
        seen.setdefault(state.code, i)
        if state.region.source not in sources:
            at(["region", "source"], f"unknown source {state.region.source!r}")
        for key in STATE_FACT_KEYS:
            fact = state.facts.get(key)  # type: ignore[call-overload]
            if fact is None:
                at(["facts"], f"no fact {key!r}: write it with 'value: null' when unknown")
            elif fact.source is not None and fact.source not in sources:
                at(["facts", key, "source"], f"unknown source {fact.source!r}")


def _problem_at(
    doc: Document, problems: list[Problem], base: list[PathPart], path: list[PathPart], message: str
) -> None:
    problems.append(doc.problem([*base, *path], message))


def cldr_territories() -> frozenset[str] | None:
    """The two-letter territory codes CLDR knows (Babel's data), or None without Babel: the
    names in states.yaml were taken from it when the file was written, so a run without it
    still checks the form of each code."""
    try:
        # lazy: Babel is optional here (not in the wheel build); CLDR only when asked
        from babel import Locale
    except ImportError:  # pragma: no cover - Babel is installed with the test extra
        return None
    names: Mapping[str, str] = Locale.parse("en").territories
    return frozenset(code for code in names if CODE.fullmatch(code))


def state_name(code: str, lang: str) -> str:
    """The name of the State `code` in `lang` (one of the six interface languages), as CLDR
    writes it (Babel's data): never a name of our own. English where CLDR has none in `lang`;
    the code itself without Babel (the build of the wheel) or for a code CLDR does not know."""
    try:
        # lazy: Babel is optional here (not in the wheel build); CLDR only when asked
        from babel import Locale
    except ImportError:  # pragma: no cover - Babel is installed with the package's test extra
        return code
    names: Mapping[str, str] = Locale.parse(lang).territories
    english: Mapping[str, str] = Locale.parse("en").territories
    return str(names.get(code) or english.get(code) or code)
