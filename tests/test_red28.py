"""Red team red28 (2026-12-04) against main's 59d5997: translated guidance and notes, records
dated after today, wrapping.

Each test names the harm in its docstring and failed on 59d5997.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reprisal_cli.cli import app
from test_safety_support import age_keypair

ROOT = Path(__file__).resolve().parents[1]
BAHRAIN = ROOT / "examples" / "bahrain_2012.yaml"  # publicity and share_with_un: yes
runner = CliRunner()
WHO = ["--given-by", "person", "--how", "written", "--explained-in", "en"]
TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


def run(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture(scope="module")
def withdrawn_tomorrow(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The Bahrain case (UN consent given a month ago), the UN consent said no in a record
    dated tomorrow (a colleague a time zone ahead)."""
    folder = tmp_path_factory.mktemp("red28")
    key, public = age_keypair(folder)
    path = folder / "case.age"
    month_ago = (TODAY - dt.timedelta(days=30)).isoformat()
    made = run(
        "case", "new", path, "--recipient", public, "--as-of", month_ago, "--answers", BAHRAIN
    )
    assert made.exit_code == 0, made.output
    done = run(
        "case", "consent", path, "share_with_un", "no", *WHO, "--date", TOMORROW,
        "--as-of", TOMORROW, "--identity", key, "--recipient", public,
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return path, key


# What each language calls the UN consent (the knowledge base's purpose label, data/i18n).
UN_CONSENT = {
    "fr_FR.UTF-8": "transmettre des informations aux organes de l'ONU",
    "es_ES.UTF-8": "transmitir datos a órganos de la ONU",
    "ru_RU.UTF-8": "передача сведений органам ООН",
    "zh_CN.UTF-8": "将详情提供给联合国机构",
}


@pytest.mark.parametrize("locale", list(UN_CONSENT))
@pytest.mark.parametrize(
    "command",
    [["draft", "-f", "txt"], ["card", "-f", "txt"], ["followup", "-f", "md"]],
    ids=["draft", "card", "followup"],
)
def test_dated_ahead_note_lists_withdrawals_in_the_readers_language(
    withdrawn_tomorrow: tuple[Path, Path], locale: str, command: list[str]
) -> None:
    """The note on a consent withdrawn in a record dated after today (ahead_note) is translated,
    but the withdrawals it lists stay English and in the ledger's raw keys ("share_with_un on
    2026-12-05, share_with_regional on ..."), inside a French, Russian or Chinese sentence and
    in the draft's "Before you send" guidance. The one part of the note that says WHAT was
    withdrawn is the part a reader without English cannot read: they may send or publish what
    the person said no to."""
    path, key = withdrawn_tomorrow
    env = {"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    result = run(command[0], path, *command[1:], "--identity", key, env=env)
    assert result.exit_code == 0, result.output
    assert f"share_with_un on {TOMORROW}" not in result.output
    said = " ".join(result.output.split())  # a wrapped draft or table
    assert f"{UN_CONSENT[locale]} ({TOMORROW})" in said
