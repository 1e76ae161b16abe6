"""data/states.yaml: every State, its region and CLDR names, its memberships as the sources give
them; the loader refuses bad codes, unknown sources and duplicates; region follows state."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from babel import Locale
from typer.testing import CliRunner

from kb_support import copy_builtin_kb
from reprisal_cli.answers import Answers
from reprisal_cli.cli import app
from reprisal_cli.contract import LANGS, REGIONS
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.states import region_of, with_region
from reprisal_cli.errors import AnswersError, ExitCode, KnowledgeBaseError
from reprisal_cli.kb.freshness import source_is_stale, stale_state_facts
from reprisal_cli.kb.loader import KnowledgeBase, builtin_dir, load_kb
from reprisal_cli.kb.states import STATE_FACT_KEYS, StateSource, state_name

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "scripts" / "states"
AS_OF = dt.date(2026, 12, 2)
# Fact -> the ratification file it is read from (UN Treaty Collection, mid-2022).
CSV_FILES = {
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
DECLARED_UNDER = {"cat_art22": "cat", "cerd_art14": "cerd", "ced_art31": "ced", "cmw_art77": "cmw"}
# A protocol is open only to the parties of its treaty.
PROTOCOL_OF = {
    "op1_iccpr": "iccpr",
    "op_cedaw": "cedaw",
    "op_crpd": "crpd",
    "op_icescr": "icescr",
    "op3_crc": "crc",
    "opcat": "cat",
}
runner = CliRunner()


def csv_rows(name: str) -> dict[str, tuple[bool, int | None]]:
    """Code -> (party, year), read the plain way (the file's own codes, fixed only where the
    ratification SOURCE.md says they are not ISO 3166-1)."""
    rows = {}
    path = INPUTS / "ratification" / f"hr_status_{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = {"TP": "TL", "S": "SS"}.get(row["iso2"], row["iso2"])
            party = row["state party"] == "1"
            year = row["year ratification or accession"]
            rows[code] = (party, int(year) if party and year else None)
    return rows


def test_every_un_member_and_the_observer_states() -> None:
    kb = load_kb()
    members = set(csv_rows("iccpr"))
    assert len(members) == 193
    assert set(kb.states) == members | {"PS", "VA"}
    assert all(state.code == code for code, state in kb.states.items())


def test_every_state_has_a_region_and_a_cldr_name_in_six_languages() -> None:
    kb = load_kb()
    for code, state in kb.states.items():
        assert state.region.value in REGIONS
        assert state.region.source in kb.state_sources
        for lang in LANGS:
            cldr = Locale.parse(lang).territories[code]
            assert state_name(code, lang) == state.name(lang) == cldr
    assert state_name("CN", "zh") == "中国"
    assert state_name("RU", "fr") == "Russie"


def test_membership_facts_agree_with_the_ratification_files_for_every_state() -> None:
    kb = load_kb()
    fixes = yaml.safe_load((INPUTS / "tables.yaml").read_text(encoding="utf-8"))
    fixed = fixes["ratification_fixes"]
    wrong = []
    for key, name in CSV_FILES.items():
        rows = csv_rows(name)
        for code, state in kb.states.items():
            fact = state.facts[key]  # type: ignore[index]
            if code in fixed.get(name, {}):
                expected = (fixed[name][code]["value"], fixed[name][code].get("since"))
            elif code not in rows:  # an observer State
                expected = (None, None)
            else:
                expected = rows[code]
            if (fact.value, fact.since) != expected:
                wrong.append(f"{code} {key}: {fact.value, fact.since} != {expected}")
            source = fixed.get(name, {}).get(code, {}).get("source", "untc_2022")
            if fact.value is not None and fact.source != source:
                wrong.append(f"{code} {key}: source {fact.source}")
    assert wrong == []
    assert kb.states["JM"].fact("op1_iccpr") is False  # denounced: the file still says party
    assert kb.states["GA"].fact("op3_crc") is None  # no row for Gabon in that file
    assert kb.states["SS"].fact("cat") is True  # coded 'SS' in one file, 'S' in another


def test_membership_logic_holds_for_every_state() -> None:
    kb = load_kb()
    for code, state in kb.states.items():
        assert set(state.facts) == set(STATE_FACT_KEYS), code
        fact = state.fact
        for declaration, treaty in DECLARED_UNDER.items():
            # No if the State is not a party; yes, or no "as of" a date, only with a source of
            # its own (a declaration found one by one); unknown otherwise: never guessed.
            value = fact(declaration)  # type: ignore[arg-type]
            found = state.facts[declaration]  # type: ignore[index]
            if fact(treaty) is False:  # type: ignore[arg-type]
                assert value is False, (code, declaration)
            elif value is not None:
                assert found.source not in (None, "untc_2022"), (code, declaration)
                if value is False:
                    assert found.note and found.note.startswith("not made as of "), code
            else:
                assert value is None, (code, declaration)
        for protocol, treaty in PROTOCOL_OF.items():
            if fact(protocol) and (code, protocol) != ("SB", "op_crpd"):  # type: ignore[arg-type]
                assert fact(treaty), (code, protocol)  # type: ignore[arg-type]
        if fact("echr"):
            assert fact("coe_member"), code
        if fact("inter_american_court"):
            # Nicaragua: under the Court's jurisdiction, its OAS membership unknown.
            assert fact("american_convention") and fact("oas_member") is not False, code
        if fact("african_charter"):
            assert state.region.value in ("africa", "middle_east_north_africa"), code
        for known in state.facts.values():
            assert known.value is None or known.source in kb.state_sources, code
    parties = {code for code, s in kb.states.items() if s.fact("echr")}
    assert len(parties) == 46 and "RU" not in parties and "BY" not in parties
    assert kb.states["MA"].fact("african_charter") is False
    assert sum(bool(s.fact("african_charter")) for s in kb.states.values()) == 53
    assert kb.states["VE"].fact("oas_member") is None  # not sourced: unknown, not false
    # The one protocol before its treaty in the UN's records: Solomon Islands acceded to the
    # Optional Protocol to the CRPD in 2009, and was not a party to the CRPD in mid-2022.
    assert kb.states["SB"].facts["op_crpd"].since == 2009
    assert kb.states["SB"].fact("crpd") is False


def test_russia_left_the_council_of_europe_and_the_convention() -> None:
    kb = load_kb()
    russia = kb.states["RU"]
    assert russia.fact("coe_member") is False
    assert russia.facts["coe_member"].until == dt.date(2022, 3, 16)
    assert russia.fact("echr") is False
    assert russia.facts["echr"].until == dt.date(2022, 9, 16)
    source = kb.state_sources[str(russia.facts["echr"].source)]
    assert source.date == dt.date(2022, 3, 23) and "coe.int" in source.url


def test_the_file_is_what_the_script_writes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "states.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_stale_sources_are_reported() -> None:
    kb = load_kb()
    stale = {source.id: count for source, count in stale_state_facts(kb, AS_OF)}
    assert stale["untc_2022"] > 3000
    assert "coe_russia_2022" in stale and "coe_members" in stale  # 2022; undated
    recent = StateSource(id="x", title="t", url="u", date=dt.date(2025, 1, 1))
    assert not source_is_stale(recent, AS_OF)
    assert source_is_stale(recent, dt.date(2027, 1, 2))
    result = runner.invoke(app, ["kb", "validate", str(builtin_dir())])
    assert result.exit_code == 0, result.output
    assert "195 States" in result.output
    assert "untc_2022 (2022-06-13)" in result.output


# --- The loader refuses a broken states.yaml --------------------------------------------------

SOURCE = "sources:\n  - {id: s1, title: A source, url: https://example.org, date: 2025-01-01}\n"


def state_lines(code: str, source: str = "s1", *, leave_out: str = "") -> str:
    facts = "".join(
        f"      {key}: {{value: false, source: {source}}}\n"
        for key in STATE_FACT_KEYS
        if key != leave_out
    )
    return (
        f"  - code: {code}\n    region: {{value: asia_pacific, source: {source}}}\n"
        f"    facts:\n{facts}"
    )


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return copy_builtin_kb(tmp_path / "kb")


def refused(kb_dir: Path, text: str) -> str:
    (kb_dir / "states.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(kb_dir)
    return "\n".join(str(p) for p in caught.value.problems)


def test_a_small_states_file_loads(kb_dir: Path) -> None:
    (kb_dir / "states.yaml").write_text(SOURCE + "states:\n" + state_lines("CN"), encoding="utf-8")
    assert set(load_kb(kb_dir).states) == {"CN"}


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("cn", "'cn' is not an ISO 3166-1 alpha-2 code"),
        ("CHN", "'CHN' is not an ISO 3166-1 alpha-2 code"),
        ("QQ", "'QQ' is not a territory CLDR knows"),
    ],
)
def test_a_bad_code_is_refused(kb_dir: Path, code: str, message: str) -> None:
    problems = refused(kb_dir, SOURCE + "states:\n" + state_lines(code))
    assert "states.yaml:4:" in problems and "states[0].code" in problems
    assert message in problems


def test_a_missing_source_is_refused(kb_dir: Path) -> None:
    problems = refused(kb_dir, SOURCE + "states:\n" + state_lines("CN", source="s2"))
    assert "states[0].region.source: unknown source 's2'" in problems
    assert "states[0].facts.iccpr.source: unknown source 's2'" in problems


def test_a_duplicate_state_is_refused(kb_dir: Path) -> None:
    problems = refused(kb_dir, SOURCE + "states:\n" + state_lines("CN") + state_lines("CN"))
    assert "states[1].code: duplicate State 'CN' (first at " in problems


def test_a_missing_fact_and_a_known_fact_without_source_are_refused(kb_dir: Path) -> None:
    problems = refused(kb_dir, SOURCE + "states:\n" + state_lines("CN", leave_out="ced"))
    assert "no fact 'ced': write it with 'value: null' when unknown" in problems
    text = (
        SOURCE
        + "states:\n"
        + state_lines("CN").replace("iccpr: {value: false, source: s1}", "iccpr: {value: true}")
    )
    assert "a known fact (true or false) needs its 'source'" in refused(kb_dir, text)


def test_a_knowledge_base_without_states_loads(kb_dir: Path) -> None:
    (kb_dir / "states.yaml").unlink()
    assert load_kb(kb_dir).states == {}


# --- region follows state (contract §1) -------------------------------------------------------


def test_region_is_derived_from_state_for_every_state(kb: KnowledgeBase) -> None:
    for code, state in kb.states.items():
        derived = region_of(kb, Answers(state=code))
        assert derived == state.region.value
        assert region_of(kb, Answers(state=code, region=derived)) == derived
        for other in REGIONS:
            if other != derived:
                with pytest.raises(AnswersError):
                    region_of(kb, Answers(state=code, region=other))  # type: ignore[arg-type]
    assert region_of(kb, Answers()) is None
    assert region_of(kb, Answers(region="africa")) == "africa"


def test_a_region_contradicting_the_state_is_an_answers_error(kb: KnowledgeBase) -> None:
    answers = Answers(state="CN", region="europe_central_asia")
    with pytest.raises(AnswersError) as caught:
        with_region(kb, answers, name="case.yaml")
    assert caught.value.exit_code == ExitCode.ANSWERS == 1
    problem = caught.value.problems[0]
    assert (problem.file, problem.key) == ("case.yaml", "region")
    assert str(problem) == (
        "case.yaml region: region 'europe_central_asia' contradicts state 'CN' (China), "
        "which is in 'asia_pacific'"
    )
    with pytest.raises(AnswersError):
        evaluate(answers, kb, as_of=AS_OF)


def test_a_plan_with_only_the_state_is_the_plan_with_its_region(kb: KnowledgeBase) -> None:
    case = {"stage": "reprisal_suffered", "reprisals": ("detention",)}
    derived = evaluate(Answers(state="KE", **case), kb, as_of=AS_OF)  # type: ignore[arg-type]
    given = evaluate(Answers(state="KE", region="africa", **case), kb, as_of=AS_OF)  # type: ignore[arg-type]
    assert derived == given
    # The African Commission's step needs the region: it comes from the state alone.
    without = evaluate(Answers(**case), kb, as_of=AS_OF)  # type: ignore[arg-type]
    african = {s.id for s in derived.steps} - {s.id for s in without.steps}
    assert any("achpr" in step for step in african), african


def test_an_exile_lives_in_the_region_of_residence_not_of_the_state(kb: KnowledgeBase) -> None:
    """A Hong Kong exile in the United Kingdom lives in Europe: the region follows `residence`;
    abroad with no residence given, nothing is guessed and any region is taken as given."""
    exile = Answers(state="CN", residence="GB", location="abroad")
    assert region_of(kb, exile) == "europe_central_asia"
    assert region_of(kb, replace(exile, region="europe_central_asia")) == ("europe_central_asia")
    with pytest.raises(AnswersError, match="contradicts residence 'GB'"):
        region_of(kb, replace(exile, region="asia_pacific"))
    abroad = Answers(state="CN", location="abroad")
    assert region_of(kb, abroad) is None
    assert region_of(kb, replace(abroad, region="americas")) == "americas"
