"""What a new user trips on (issue 25), through the CLI: the format follows the file name, the
help says what each option does, answers are recorded as chosen, and no contact is broken across
lines. The same in a real terminal: `test_first_use_pty.py`."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from pypdf import PdfReader
from typer.core import TyperGroup
from typer.testing import CliRunner

from render_fixtures import LINK, too_wide
from reprisal_cli.cli import app
from reprisal_cli.kb.knowledge import KnowledgeBase

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "bahrain_2012.yaml")
AS_OF = ["--as-of", "2026-11-25"]
PDF_MAGIC = b"%PDF-"


def _kind(data: bytes) -> str:
    """What a file holds, read back: pdf, html or text (Markdown or plain)."""
    if data.startswith(PDF_MAGIC):
        PdfReader(io.BytesIO(data))  # a real PDF, not just its first bytes
        return "pdf"
    text = data.decode("utf-8")
    return "html" if text.lstrip().lower().startswith("<!doctype html") else "text"


@pytest.mark.parametrize(
    ("args", "name", "kind"),
    [
        (["form"], "f.pdf", "pdf"),
        (["form"], "f.html", "html"),
        (["form"], "f.txt", "text"),
        (["checklist", "emergency_now"], "x.pdf", "pdf"),
        (["checklist", "emergency_now"], "x.md", "text"),
        (["card"], "c.txt", "text"),
        (["card"], "c.html", "html"),
        (["card"], "c.pdf", "pdf"),
        (["plan", EXAMPLE], "p.pdf", "pdf"),
    ],
)
def test_the_file_name_decides_the_format(
    tmp_path: Path, args: list[str], name: str, kind: str
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, [*args, "-o", str(out), *AS_OF])
    assert result.exit_code == 0, result.output
    assert _kind(out.read_bytes()) == kind


def test_a_text_card_file_is_the_text_card(tmp_path: Path) -> None:
    out = tmp_path / "c.txt"
    assert runner.invoke(app, ["card", "-o", str(out), *AS_OF]).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "+353 1 210 0489" in text and "%PDF" not in text


@pytest.mark.parametrize(
    ("args", "fmt", "name"),
    [
        (["form"], "md", "f.pdf"),
        (["checklist", "emergency_now"], "pdf", "x.txt"),
        (["card"], "pdf", "c.txt"),
        (["plan", EXAMPLE], "md", "p.pdf"),
        (["plan", EXAMPLE], "json", "p.txt"),
    ],
)
def test_a_suffix_that_contradicts_the_format_is_a_usage_error(
    tmp_path: Path, args: list[str], fmt: str, name: str
) -> None:
    out = tmp_path / name
    result = runner.invoke(app, [*args, "-f", fmt, "-o", str(out), *AS_OF])
    assert result.exit_code == 2, result.output
    suffix = name.rsplit(".", 1)[1]
    assert f"says .{suffix}, but --format says {fmt}" in result.output
    assert not out.exists()


def test_a_suffix_the_command_cannot_write_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    result = runner.invoke(app, ["form", "-o", str(out), *AS_OF])
    assert result.exit_code == 2
    assert "does not write .json files" in result.output
    assert "md, txt, html, pdf" in result.output
    assert not out.exists()


def test_a_name_that_names_no_format_keeps_the_default(tmp_path: Path) -> None:
    out = tmp_path / "card.out"
    assert runner.invoke(app, ["card", "-o", str(out), *AS_OF]).exit_code == 0
    assert _kind(out.read_bytes()) == "pdf"
    out = tmp_path / "form.out"
    assert runner.invoke(app, ["form", "-f", "txt", "-o", str(out), *AS_OF]).exit_code == 0
    assert _kind(out.read_bytes()) == "text"


# -- the help is true ------------------------------------------------------------------------


def _command(*path: str) -> Any:
    """The command as typer builds it for `--help`."""
    command: Any = typer.main.get_command(app)
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.commands[name]
    return command


def _option_help(path: tuple[str, ...], option: str) -> str:
    for param in _command(*path).params:
        if option in getattr(param, "opts", ()):
            return str(getattr(param, "help", "") or "")
    raise AssertionError(f"{' '.join(path)} has no {option}")


def _accepted_formats() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each command's formats, from the lists the code checks `--format` against."""
    from reprisal_cli.cli.batch import batch_formats
    from reprisal_cli.cli.checklist import available_formats
    from reprisal_cli.cli.open import _formats as open_formats
    from reprisal_cli.cli.plan import plan_formats
    from reprisal_cli.render.card import CARD_FORMATS
    from reprisal_cli.render.draft import DRAFT_FORMATS
    from reprisal_cli.render.form import FORM_FORMATS

    return {
        ("plan",): plan_formats(),
        ("form",): FORM_FORMATS,
        ("checklist",): available_formats(),
        ("card",): CARD_FORMATS,
        ("draft",): DRAFT_FORMATS,
        ("batch",): batch_formats(),
        ("open",): open_formats(),
    }


FORMAT_WORDS = ("terminal", "json", "jsonl", "md", "txt", "html", "pdf", "yaml", "csv")


@pytest.mark.parametrize("path", list(_accepted_formats()))
def test_format_help_lists_exactly_the_formats_the_command_accepts(path: tuple[str, ...]) -> None:
    text = _option_help(path, "--format")
    # What the default is ("txt on a terminal") names formats without listing them.
    listed = re.sub(r"\(default:[^)]*\)|Default:.*$", "", text)
    named = {w for w in re.findall(r"[a-z]+", listed) if w in FORMAT_WORDS}
    assert named == set(_accepted_formats()[path]), text


def test_every_format_in_the_code_works_with_its_command(tmp_path: Path) -> None:
    # The lists compared above are the ones the commands check against: each format runs.
    for fmt in _accepted_formats()[("form",)]:
        result = runner.invoke(app, ["form", "-f", fmt, "-o", str(tmp_path / f"f-{fmt}")])
        assert result.exit_code == 0, (fmt, result.output)


def _as_of_commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    root = _command()
    assert isinstance(root, TyperGroup)
    for name, command in root.commands.items():
        subs = command.commands.items() if isinstance(command, TyperGroup) else [(None, command)]
        for sub, leaf in subs:
            if any("--as-of" in getattr(p, "opts", ()) for p in leaf.params):
                found.append((name,) if sub is None else (name, sub))
    return found


def test_as_of_is_explained_in_plain_words_and_true_for_each_command() -> None:
    commands = _as_of_commands()
    assert {("plan",), ("form",), ("checklist",), ("card",), ("kb", "validate")} <= set(commands)
    for path in commands:
        text = _option_help(path, "--as-of")
        assert "YYYY-MM-DD" in text, path
        assert text.startswith(("Act as if today were this day", "Not used")), (path, text)
        if text.startswith("Act"):
            assert "environment variable" in text, path  # SOURCE_DATE_EPOCH, said what it is
        if path[0] in ("form", "checklist", "kb", "draft"):
            assert "plan" not in text, (path, text)  # these make no plan


def test_help_of_every_command_shows_the_as_of_words() -> None:
    for path in _as_of_commands():
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0
        assert "--as-of" in result.output


# -- links, addresses and numbers are never broken across lines ------------------------------

FRERE = """\
schema: reprisal-cli/answers/v1
case_id: frere-2026
respondent: family
profile: [ngo_staff]
region: middle_east_north_africa
engagement: [special_procedures]
stage: reprisal_suffered
reprisals: [threats_to_family, detention]
incident_date: 2026-11
location: home_country
consent_publicity: 'no'
consent_share_with_un: 'yes'
devices_compromised: true
others_at_risk: [family]
travel_planned: false
"""


def _copyable(kb: KnowledgeBase) -> set[str]:
    """Every URL, e-mail address and phone number of the knowledge base's contacts, and every
    URL its sources quote."""
    values = {c.value for c in kb.contacts.values() if c.channel in ("web", "email", "phone")}
    for contact in kb.contacts.values():
        values.update(LINK.findall(contact.source))
    return {v.rstrip(".,;)") for v in values}


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["-f", "txt"], {}),
        (["-f", "terminal"], {"COLUMNS": "60"}),
        (["-f", "terminal"], {"COLUMNS": "60", "NO_COLOR": "1"}),  # the --plain view
        (["-f", "terminal", "--explain"], {"COLUMNS": "100", "NO_COLOR": "1"}),
    ],
)
def test_links_addresses_and_numbers_are_never_broken(
    kb: KnowledgeBase, tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    answers = tmp_path / "frere.yaml"
    answers.write_text(FRERE, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(answers), *args, *AS_OF], env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # Found with every space and line break taken out, so that a broken one is found too.
    squashed = "".join(result.stdout.split())
    shown = [v for v in _copyable(kb) if "".join(v.split()) in squashed]
    assert any(v.startswith("+") for v in shown) and any("@" in v for v in shown)
    assert sum("://" in v for v in shown) >= 5
    for value in shown:
        assert any(value in line for line in lines), value


def test_text_card_keeps_numbers_whole(kb: KnowledgeBase, tmp_path: Path) -> None:
    out = tmp_path / "c.txt"
    assert runner.invoke(app, ["card", "-o", str(out), *AS_OF]).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert any("+353 1 210 0489" in line for line in lines)
    assert too_wide("\n".join(lines)) == []


# -- answers recorded as chosen ------------------------------------------------------------------

PUBLIC = """\
schema: reprisal-cli/answers/v1
engagement: [special_procedures]
stage: reprisal_suffered
reprisals: [threats]
immediate_danger: false
location: abroad
consent_publicity: 'yes'
consent_share_with_un: 'yes'
devices_compromised: false
"""


def _plan_json(tmp_path: Path, text: str) -> dict[str, Any]:
    import json

    answers = tmp_path / "a.yaml"
    answers.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(answers), "-f", "json", *AS_OF])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _warnings(plan: dict[str, Any]) -> dict[str, str]:
    return {w["id"]: w["text"] for w in plan["warnings"]}


def test_no_one_else_at_risk_is_an_answer_not_an_unknown(tmp_path: Path) -> None:
    unknown = _warnings(_plan_json(tmp_path, PUBLIC))
    # Nobody said who answers: the plan speaks to another reader (contract §2).
    assert (
        "Who else, close to the person at risk, could be harmed?"
        in unknown["unknown_answers_cautious"]
    )
    assert "publicity_exposes_others" in unknown  # not known: every group is named
    no_one = _warnings(_plan_json(tmp_path, PUBLIC + "others_at_risk: []\n"))
    assert "others_at_risk" not in no_one.get("unknown_answers_cautious", "")
    assert "publicity_exposes_others" not in no_one
    family = _warnings(_plan_json(tmp_path, PUBLIC + "others_at_risk: [family]\n"))
    assert "publicity_exposes_others" in family


def test_an_empty_others_list_survives_a_round_trip(tmp_path: Path) -> None:
    from reprisal_cli.answers import dump_answers, load_answers

    answers = tmp_path / "a.yaml"
    answers.write_text(PUBLIC + "others_at_risk: []\n", encoding="utf-8")
    loaded = load_answers(answers)
    assert loaded.others_at_risk == () and loaded.get("others_at_risk") == ()
    assert "others_at_risk: []" in dump_answers(loaded)
    # Other lists keep the contract's reading: empty is not known.
    answers.write_text(PUBLIC + "profile: []\n", encoding="utf-8")
    assert load_answers(answers).get("profile") is None


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_unknown_danger_keeps_the_emergency_step_in_sight(example: Path, tmp_path: Path) -> None:
    # Contract §3, gate 3: danger not known still gives the emergency step at its own priority,
    # which puts it among the first steps a reader sees.
    text = example.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "immediate_danger" not in line)
    steps = _plan_json(tmp_path, text + "\n")["steps"]
    assert "emergency" in [step["kind"] for step in steps[:3]]


@pytest.mark.slow  # slow: scrypt, and a PDF rendered (about 7 s); the slow step runs it
def test_open_refuses_a_suffix_that_contradicts_the_format(tmp_path: Path) -> None:
    from reprisal_cli.crypto import encrypt_passphrase

    locked = tmp_path / "a.yaml.age"
    locked.write_bytes(encrypt_passphrase(PUBLIC, "copper lantern river orbit"))
    secret = tmp_path / "pass"
    secret.write_text("copper lantern river orbit\n", encoding="utf-8")
    base = ["open", str(locked), "--passphrase-file", str(secret), *AS_OF]
    out = tmp_path / "o.pdf"
    result = runner.invoke(app, [*base, "-f", "yaml", "-o", str(out)])
    assert result.exit_code == 2 and "says .pdf, but --format says yaml" in result.output
    assert not out.exists()
    result = runner.invoke(app, [*base, "-o", str(out)])  # the suffix chooses: a PDF plan
    assert result.exit_code == 0, result.output
    assert _kind(out.read_bytes()) == "pdf"
