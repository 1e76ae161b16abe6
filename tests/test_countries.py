"""A `country` answer vouched for by the knowledge base is checked without loading CLDR, and
every such check gives the answer CLDR gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.countries import country_codes, is_country_code, known_countries
from reprisal_cli.errors import ExitCode
from reprisal_cli.kb.loader import load_kb


def test_every_state_of_the_knowledge_base_is_a_country_code() -> None:
    """What makes vouching sound: the States the plan vouches for are all codes CLDR names."""
    states = set(load_kb().states)
    assert len(states) > 190
    assert states <= country_codes()


@pytest.mark.parametrize("vouched", [(), ("CN", "HK", "XK", "EU", "ZZ", "cn", "C", "CHN")])
def test_vouching_never_changes_the_answer(vouched: tuple[str, ...]) -> None:
    codes = ["CN", "BH", "HK", "NO", "XK", "EU", "UN", "ZZ", "QM", "AA", "cn", "C", "CHN", ""]
    with known_countries(vouched):
        answers = [is_country_code(code) for code in codes]
    assert answers == [code in country_codes() for code in codes]


def test_vouching_ends_with_its_block() -> None:
    with known_countries({"CN"}):
        assert is_country_code("CN")
    assert is_country_code("CN") and not is_country_code("XK")


@pytest.mark.parametrize(
    ("state", "message"),
    [("XK", "'XK' is not an ISO 3166-1"), ("cn", "write it in capitals, 'CN'")],
)
def test_plan_still_refuses_a_code_that_is_no_country(
    tmp_path: Path, state: str, message: str
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(f"schema: reprisal-cli/answers/v1.1\nstate: {state}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["plan", str(answers), "--format", "json"])
    assert result.exit_code == ExitCode.ANSWERS, result.output
    assert message in result.output
