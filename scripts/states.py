"""Write data/states.yaml from the UN Treaty Collection figures and the sourced tables.

    .venv/bin/python scripts/states.py [--check]

Inputs, both in scripts/states/: `ratification/hr_status_*.csv` (UN Treaty Collection, as of
mid-2022; see its SOURCE.md) and `tables.yaml` (regions, regional systems, fixes, and the sources
they come from). Country names are not written here: they come from Babel's CLDR data at run
time (`reprisal_cli.kb.states.state_name`), and each code must have one in the six languages. The
output is deterministic: run it again after changing an input and commit both. `--check` writes
nothing and fails when data/states.yaml is not what the inputs give.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "scripts" / "states"
OUTPUT = ROOT / "data" / "states.yaml"
LANGS = ("en", "fr", "es", "ar", "ru", "zh")
RATIFICATION_SOURCE = "untc_2022"

# Fact key -> ratification file (hr_status_<name>.csv).
TREATIES = {
    "iccpr": "iccpr",
    "icescr": "icescr",
    "cat": "cat",
    "cerd": "icerd",
    "cedaw": "cedaw",
    "crc": "crc",
    "crpd": "crpd",
    "ced": "cped",
    "cmw": "icmw",
    "op1_iccpr": "iccpr_op1",
    "op_cedaw": "op_cedaw",
    "op_crpd": "op_crpd",
    "op_icescr": "icescr_op",
    "op3_crc": "op_crc_ic",
    "opcat": "opcat",
}
# Declarations accepting individual complaints -> the treaty they are made under.
DECLARATIONS = {"cat_art22": "cat", "cerd_art14": "cerd", "ced_art31": "ced", "cmw_art77": "cmw"}
REGIONAL = (
    "african_charter",
    "oas_member",
    "american_convention",
    "inter_american_court",
    "coe_member",
    "echr",
    "escazu",
    "aarhus",
    "osce",
    "ohchr_office",
    "country_mandate",
)
# The ratification files' codes that are not ISO 3166-1 alpha-2.
CODE_FIXES = {"TP": "TL", "S": "SS"}
NOT_MEMBERS = {"MS"}
# Text written without quotes: ids and codes, never a word YAML 1.1 reads as something else.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YAML_WORDS = {
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "null",
}  # a row for Montserrat in hr_status_op_crc_ic.csv


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the output is out of date")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run scripts/states.py")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


def read_ratification(name: str, fixed: Collection[str]) -> dict[str, tuple[bool, int | None]]:
    """Code -> (party, year) from one hr_status file. A row whose `state party` flag and
    `status` disagree (KZ's first Optional Protocol: flag 0, status "state party", 2009) is
    refused unless it is among `fixed` (settled in tables.yaml, `ratification_fixes`)."""
    out: dict[str, tuple[bool, int | None]] = {}
    path = INPUTS / "ratification" / f"hr_status_{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = CODE_FIXES.get(row["iso2"], row["iso2"])
            if code in NOT_MEMBERS:
                continue
            if code in out:
                raise SystemExit(f"{path.name}: {code} twice")
            party = row["state party"].strip() == "1"
            if party != (row["status"].strip() == "state party") and code not in fixed:
                raise SystemExit(
                    f"{path.name}: {code}: 'state party' {row['state party']!r} but status "
                    f"{row['status']!r}: settle it in tables.yaml (ratification_fixes)"
                )
            year = row["year ratification or accession"].strip()
            out[code] = (party, int(year) if party and year else None)
    return out


def build() -> dict[str, Any]:
    tables = yaml.load((INPUTS / "tables.yaml").read_text(encoding="utf-8"), _UniqueKeyLoader)
    dates = {source["id"]: source["date"] for source in tables["sources"]}
    fixes = tables["ratification_fixes"]
    ratified = {key: read_ratification(name, fixes.get(name, {})) for key, name in TREATIES.items()}
    members = set(ratified["iccpr"])
    for key, rows in ratified.items():
        missing = members - set(rows) - {"GA"} if key == "op3_crc" else members - set(rows)
        if missing:
            raise SystemExit(f"{TREATIES[key]}: no row for {sorted(missing)}")
    if len(members) != 193:
        raise SystemExit(f"expected the 193 UN member States, found {len(members)}")
    codes = sorted(members | set(tables["observers"]))
    _check_codes(tables, set(codes))
    regions = _regions(tables["regions"], codes)
    states = []
    for code in codes:
        facts: dict[str, dict[str, Any]] = {}
        for key in TREATIES:
            facts[key] = _treaty_fact(code, key, ratified, tables)
        for key, treaty in DECLARATIONS.items():
            facts[key] = _declaration_fact(facts[treaty])
            found = tables["declarations"].get(key, {}).get(code)
            if found is not None:
                if facts[treaty]["value"] is not True:
                    raise SystemExit(f"declarations: {code} {key} but not a party to {treaty}")
                facts[key] = _declared(code, key, found, dates)
        facts.update(_regional_facts(code, tables))
        facts["country_mandate"] = _country_mandate(code, tables["country_mandate"])
        states.append({"code": code, "region": regions[code], "facts": facts})
    for code in codes:
        if not all(Locale.parse(lang).territories.get(code) for lang in LANGS):
            raise SystemExit(f"CLDR has no name for {code} in one of {', '.join(LANGS)}")
    return {"sources": tables["sources"], "states": states}


def _check_codes(node: Any, codes: set[str], where: str = "tables.yaml") -> None:
    """Every code a table names is a State of the file: a typo must not drop a fact silently."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, bool):  # a bare NO (Norway) or ON, read by YAML 1.1 as a boolean
                raise SystemExit(f"{where}: key {key!r} is a boolean: quote the State code")
            if isinstance(key, str) and key.isupper() and key not in codes:
                raise SystemExit(f"{where}: unknown State {key!r}")
            if key != "sources":
                _check_codes(value, codes, f"{where}.{key}")
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, bool):
                raise SystemExit(f"{where}: item {item!r} is a boolean: quote the State code")
            if isinstance(item, str) and len(item) == 2 and item.isupper() and item not in codes:
                raise SystemExit(f"{where}: unknown State {item!r}")
            _check_codes(item, codes, where)


def _regions(table: dict[str, Any], codes: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for region in ("africa", "americas", "asia_pacific", "europe_central_asia",
                   "middle_east_north_africa"):  # fmt: skip
        for code in table[region]:
            if code in out:
                raise SystemExit(f"regions: {code} in two regions")
            out[code] = {"value": region, "source": table["source"]}
            out[code].update(table["notes"].get(code, {}))
    if sorted(out) != codes:
        raise SystemExit(f"regions: differ from the States {sorted(set(out) ^ set(codes))}")
    return out


def _treaty_fact(
    code: str, key: str, ratified: dict[str, dict[str, tuple[bool, int | None]]], tables: Any
) -> dict[str, Any]:
    fix = tables["ratification_fixes"].get(TREATIES[key], {}).get(code)
    if fix is not None:
        if fix["value"] is None:
            return {"value": None, "note": fix["note"]}
        fact = {"value": fix["value"]}
        fact.update({k: fix[k] for k in ("since", "until") if k in fix})
        return {**fact, "source": fix.get("source", RATIFICATION_SOURCE), "note": fix["note"]}
    if code not in ratified[key]:  # an observer State: not in the files
        return {"value": None, "note": "not in the UN Treaty Collection figures used here"}
    party, year = ratified[key][code]
    fact: dict[str, Any] = {"value": party}
    if year is not None:
        fact["since"] = year
    fact["source"] = RATIFICATION_SOURCE
    return fact


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping: PyYAML would keep the
    last silently, so a State listed twice under a declaration (a `true` from one source, a
    `false` from another) would lose one of them without a word."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
        if key in seen:
            raise SystemExit(f"tables.yaml line {key_node.start_mark.line + 1}: {key!r} twice")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def _declared(code: str, key: str, found: dict[str, Any], dates: dict[str, Any]) -> dict[str, Any]:
    """A declaration fact from `tables.yaml` (`declarations`): made (`value` true, the default,
    with `since` where the source gives the year), or not made as of the source's date (`value:
    false`, from a source that lists the procedures the State had and had not accepted: the
    UPR compilations, a committee's concluding observations). The date is the source's own,
    written into the note; a State may have made the declaration since. One entry per State
    and declaration: a `true` and a `false` from two sources cannot both be given (the loader
    refuses a State twice), so a contradiction is settled by hand, never silently."""
    value = found.get("value", True)
    if value is True:
        return {"value": True, **{k: v for k, v in found.items() if k != "value"}}
    if value is not False or "since" in found or "until" in found:
        raise SystemExit(f"declarations: {code} {key}: value true, or false without since/until")
    source = found["source"]
    if source not in dates:
        raise SystemExit(f"declarations: {code} {key}: unknown source {source!r}")
    if str(dates[source]) == "undated":
        raise SystemExit(f"declarations: {code} {key}: 'not made' needs a dated source")
    note = f"not made as of {dates[source]} (the source's date)"
    if found.get("note"):
        note = f"{note}; {found['note']}"
    return {"value": False, "source": source, "note": note}


def _declaration_fact(treaty: dict[str, Any]) -> dict[str, Any]:
    if treaty["value"] is False:
        return {
            "value": False,
            "source": treaty["source"],
            "note": "not a party to the treaty",
        }
    return {
        "value": None,
        "note": "no citable list of the declarations found (searched 2026-12-02 and "
        "2026-12-03; see scripts/states/README.md)",
    }


def _member(key: str, listed: str, code: str, t: dict[str, Any]) -> dict[str, Any]:
    """A membership fact from a table that lists every member (all others: not members)."""
    table = t[key]
    return {"value": code in table[listed], "source": table["source"]}


def _regional_facts(code: str, t: dict[str, Any]) -> dict[str, dict[str, Any]]:
    facts: dict[str, dict[str, Any]] = {}
    africa = t["african_charter"]
    if code in africa["not_party"]:
        facts["african_charter"] = {"value": False, "source": africa["source"]}
    else:
        facts["african_charter"] = {
            "value": code in africa["au_members"],
            "source": africa["au_source"],
        }
    oas = t["oas"]
    if code in oas["unknown"]:
        facts["oas_member"] = {"value": None, "note": oas["unknown"][code]}
    else:
        facts["oas_member"] = {"value": code in oas["members"], "source": oas["source"]}
    for key, table, listed in (
        ("american_convention", t["american_convention"], "parties"),
        ("inter_american_court", t["inter_american_court"], "accepted"),
    ):
        left = table["denounced"].get(code)
        if left is not None:
            facts[key] = {
                "value": False,
                "until": left["until"],
                "source": left.get("source", table["source"]),
                "note": left["note"],
            }
        else:
            facts[key] = {"value": code in table[listed], "source": table["source"]}
    coe = t["council_of_europe"]
    left = coe["left"].get(code)
    if left is not None:
        facts["coe_member"] = {"value": False, "until": left["coe_until"],
                               "source": left["source"], "note": left["coe_note"]}  # fmt: skip
        facts["echr"] = {"value": False, "until": left["echr_until"],
                         "source": left["source"], "note": left["echr_note"].strip()}  # fmt: skip
    else:
        member = code in coe["members"]
        facts["coe_member"] = {"value": member, "source": coe["source"]}
        facts["echr"] = {"value": member, "source": coe["source"]}
    escazu = t["escazu"]
    party = escazu["parties"].get(code)
    if party is not None:
        facts["escazu"] = {"value": True, "since": party["since"],
                           "source": party.get("source", escazu["source"])}  # fmt: skip
    else:
        facts["escazu"] = {"value": False, "source": escazu["source"]}
    aarhus = t["aarhus"]
    left = aarhus["left"].get(code)
    party = aarhus["parties"].get(code)
    if left is not None:
        facts["aarhus"] = {"value": False, "until": left["until"],
                           "source": left["source"], "note": left["note"]}  # fmt: skip
    elif party is not None:
        facts["aarhus"] = {"value": True, **party}
        facts["aarhus"].setdefault("source", aarhus["source"])
    else:
        facts["aarhus"] = {"value": False, "source": aarhus["latest"]}
    facts["osce"] = _member("osce", "participating", code, t)
    office = t["ohchr_office"]
    closed = office["closed"].get(code)
    if closed is not None:
        facts["ohchr_office"] = {"value": False, "until": closed["until"],
                                 "source": closed["source"], "note": closed["note"]}  # fmt: skip
    else:
        facts["ohchr_office"] = {"value": code in office["offices"], "source": office["source"]}
        if code in office["notes"]:
            facts["ohchr_office"]["note"] = office["notes"][code]
    return facts


def _country_mandate(code: str, table: dict[str, Any]) -> dict[str, Any]:
    """A special procedures country mandate on the State, as of its source's date; unknown
    (null) for every other State, with the reason where one is given: no dated list of all the
    country mandates was found, so none is `false`."""
    found = table["mandates"].get(code)
    if found is not None:
        if code in table["unknown"]:
            raise SystemExit(f"country_mandate: {code} both known and unknown")
        fact: dict[str, Any] = {"value": True, "source": found["source"]}
        if "note" in found:
            fact["note"] = found["note"]
        return fact
    if code in table["unknown"]:
        return {"value": None, "note": " ".join(table["unknown"][code].split())}
    return {"value": None}


def render(data: dict[str, Any]) -> str:
    """The YAML text: one line per fact, so a change of status is a one-line diff."""
    out = [
        "# Generated by scripts/states.py from scripts/states/ (UN Treaty Collection figures",
        "# and sourced tables). Do not edit: edit the inputs, run it again. Country names come",
        "# from CLDR (Babel) at run time: reprisal_cli.kb.states.state_name.",
        "# Each fact: `value` true, false, or null (unknown: no source found, never a guess);",
        "# `source` (an id of `sources`), `since` (year of ratification or accession), `until`",
        "# (the day a membership or party status ended) and `note` where there is more to say.",
        "sources:",
    ]
    for source in data["sources"]:
        out.append(f"  - id: {source['id']}")
        for key in ("title", "url", "date", "note"):
            if key in source:
                out.append(f"    {key}: {_scalar(source[key])}")
    out.append("states:")
    for state in data["states"]:
        out.append(f"  - code: {_scalar(state['code'])}")
        out.append(f"    region: {_flow(state['region'])}")
        out.append("    facts:")
        for key, fact in state["facts"].items():
            out.append(f"      {key}: {_flow(fact)}")
    return "\n".join(out) + "\n"


def _flow(mapping: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in mapping.items()) + "}"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | dt.date):
        return str(value)
    text = " ".join(str(value).split())
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style='"').strip()


if __name__ == "__main__":
    sys.exit(main())
