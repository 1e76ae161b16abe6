"""Bad knowledge bases give one clear message naming the place, and exit code 3 (contract §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb_support import copy_builtin_kb
from reprisal_cli.cli import app
from reprisal_cli.errors import KnowledgeBaseError
from reprisal_cli.kb.files import OPTIONAL_FILES
from reprisal_cli.kb.loader import KB_FILES, MAX_FILE_BYTES, builtin_dir, load_kb

runner = CliRunner()


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return copy_builtin_kb(tmp_path / "kb")


def validate(directory: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["kb", "validate", str(directory)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return its 1-based line."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text[:index].count("\n") + 1


def test_shipped_knowledge_base_is_valid() -> None:
    code, out = validate(builtin_dir())
    assert code == 0, out
    assert "valid" in out


def test_invalid_yaml_names_file_and_line(kb_dir: Path) -> None:
    (kb_dir / "cases.yaml").write_text("cases:\n  - id: x\n    title: [unclosed\n")
    code, out = validate(kb_dir)
    assert code == 3
    assert "cases.yaml:" in out and "invalid YAML" in out


def test_wrong_channel_lists_allowed_values(kb_dir: Path) -> None:
    line = replace(kb_dir / "organisations.yaml", "channel: email", "channel: telex")
    code, out = validate(kb_dir)
    assert code == 3
    assert f"organisations.yaml:{line}:" in out
    assert "contacts[" in out and ".channel: 'telex' is not one of email, phone, web" in out


def test_wrong_type(kb_dir: Path) -> None:
    replace(kb_dir / "kb.yaml", "stale_after_months: 12", "stale_after_months: [12]")
    code, out = validate(kb_dir)
    assert code == 3
    assert "kb.yaml:" in out and "stale_after_months" in out and "whole number" in out


def test_unknown_key_lists_allowed_keys(kb_dir: Path) -> None:
    line = replace(kb_dir / "cases.yaml", "    title:", "    titel: typo\n    title:")
    code, out = validate(kb_dir)
    assert code == 3
    assert f"cases.yaml:{line}:" in out
    assert "unknown key 'titel'; allowed: id, title" in out


def test_dangling_reference(kb_dir: Path) -> None:
    line = replace(kb_dir / "cases.yaml", "mechanisms: [", "mechanisms: [no_such_body, ")
    code, out = validate(kb_dir)
    assert code == 3
    assert f"cases.yaml:{line}:" in out and "unknown mechanism 'no_such_body'" in out


def test_duplicate_id(kb_dir: Path) -> None:
    text = (kb_dir / "checklists.yaml").read_text()
    ids = [line for line in text.splitlines() if line.startswith("  - id: ")]
    replace(kb_dir / "checklists.yaml", ids[1], ids[0])
    code, out = validate(kb_dir)
    assert code == 3
    assert "duplicate id" in out and "first defined at" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"cases:\n  - id: \xff\xfe\n", "not valid UTF-8"),
        (
            b"a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n",
            "anchors and aliases",
        ),
        (b"cases: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "nest"),
        (b"cases:\n" + b"  - id: x\n" * 3 + b"x: " + b"-" * (MAX_FILE_BYTES + 1), "larger than"),
    ],
    ids=["empty", "binary", "invalid-utf8", "alias-bomb", "deep-nesting", "too-large"],
)
def test_hostile_files(kb_dir: Path, content: bytes, expected: str) -> None:
    (kb_dir / "cases.yaml").write_bytes(content)
    code, out = validate(kb_dir)
    assert code == 3
    assert "cases.yaml" in out and expected in out


def test_missing_file(kb_dir: Path) -> None:
    (kb_dir / "risks.yaml").unlink()
    code, out = validate(kb_dir)
    assert code == 3
    assert "risks.yaml: does not exist" in out


@pytest.mark.parametrize("name", [n for n in KB_FILES if n not in OPTIONAL_FILES] + ["all"])
def test_fingerprint_refuses_what_validate_refuses_as_missing(kb_dir: Path, name: str) -> None:
    """red35: `kb fingerprint` of a folder lacking a file every knowledge base has (or every
    file: an empty folder) exits 3 with `kb validate`'s message for each missing file, instead
    of printing the fingerprint of what is left (the sha256 of nothing for an empty folder)."""
    gone = [n for n in KB_FILES if n not in OPTIONAL_FILES] if name == "all" else [name]
    for each in gone:
        (kb_dir / each).unlink()
    code, out = validate(kb_dir)
    printed = runner.invoke(app, ["kb", "fingerprint", str(kb_dir)])
    assert "Traceback" not in printed.output
    assert (code, printed.exit_code) == (3, 3), printed.output
    for each in gone:
        assert f"{each}: does not exist" in out
        assert f"{each}: does not exist" in printed.output
    assert "sha256:" not in printed.stdout


@pytest.mark.parametrize("name", OPTIONAL_FILES)
def test_fingerprint_of_a_knowledge_base_without_an_optional_file(kb_dir: Path, name: str) -> None:
    """A knowledge base may leave out States and translations: `kb validate` accepts it, and
    its fingerprint is still printed."""
    (kb_dir / name).unlink(missing_ok=True)
    printed = runner.invoke(app, ["kb", "fingerprint", str(kb_dir)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("sha256:")


def test_all_problems_reported_at_once(kb_dir: Path) -> None:
    replace(kb_dir / "organisations.yaml", "channel: email", "channel: telex")
    (kb_dir / "cases.yaml").write_text("")
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(kb_dir)
    assert len(info.value.problems) >= 2


def test_check_current_contact_needs_fallback(kb_dir: Path) -> None:
    text = (kb_dir / "organisations.yaml").read_text()
    start = text.index("status: check_current")
    end = text.index("fallback:", start)
    line_start = text.rindex("\n", 0, end) + 1
    line_end = text.index("\n", end)
    (kb_dir / "organisations.yaml").write_text(text[:line_start] + text[line_end + 1 :])
    code, out = validate(kb_dir)
    assert code == 3
    assert "needs a 'fallback'" in out


# A rule that forgets what a step shares is a load error, never a silent leak (issue 18).
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # `shares` is required of every step.
        ("          shares: [states]\n          contacts: [diplomatic_missions]\n",
         "          contacts: [diplomatic_missions]\n", "shares"),
        # An embassy step that claims to share with no State.
        ("          shares: [states]\n          contacts: [diplomatic_missions]\n",
         "          shares: [others]\n          contacts: [diplomatic_missions]\n",
         "shares with states"),
        # A regional body named by a step that says it shares with the UN only.
        ("          shares: [regional]\n          contacts: [iachr_precautionary_measures]\n",
         "          shares: [un]\n          contacts: [iachr_precautionary_measures]\n",
         "shares with 'regional'"),
        # An embassy step disguised as another kind still names the embassies (red team).
        ("          kind: diplomatic\n          priority: 50\n",
         "          kind: preventive\n          priority: 50\n", "shares with 'states'"),
        # Naming in the report without saying it is public.
        ("          shares: [public, un, sg_report_named]\n",
         "          shares: [un, sg_report_named]\n", "public"),
        # A safe route that exposes more than the step it replaces.
        ("          instead: [ask_states_raise_privately]\n",
         "          instead: [protective_publicity]\n", "not a safer route"),
    ],
    ids=["missing", "kind", "disguised", "contact", "sg_report", "instead"],
)  # fmt: skip
def test_a_step_that_forgets_what_it_shares_is_refused(
    kb_dir: Path, old: str, new: str, expected: str
) -> None:
    replace(kb_dir / "rules.yaml", old, new)
    if "preventive" in new:  # and it says it shares nothing
        replace(
            kb_dir / "rules.yaml",
            "          shares: [states]\n          contacts: [diplomatic_missions]\n",
            "          shares: []\n          contacts: [diplomatic_missions]\n",
        )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "rules.yaml:" in out
    assert expected in out


# A step that joins another (`joins`) says its words in that step: the other step must share all
# it shares, else its consents would not cover them; a safe route may not join, since the plan may
# leave it out; the step it names must exist.
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("document_incident", "does not share ['un']"),
        ("no_such_step", "unknown step 'no_such_step'"),
        ("notify_special_procedures", "cannot join itself"),
    ],
    ids=["shares_less", "unknown", "itself"],
)
def test_a_step_that_joins_a_step_sharing_less_is_refused(
    kb_dir: Path, target: str, expected: str
) -> None:
    replace(
        kb_dir / "rules.yaml",
        "            step: urgent_appeal_special_procedures\n",
        f"            step: {target}\n",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "rules.yaml:" in out
    assert expected in out


def test_a_safe_route_that_joins_another_step_is_refused(kb_dir: Path) -> None:
    replace(
        kb_dir / "rules.yaml",
        "          instead: [ask_states_raise_privately]\n",
        "          instead: [notify_special_procedures]\n",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "is a safe route ('instead') and may be left out" in out


def test_a_step_that_only_carries_bodies_no_rule_names_is_refused(kb_dir: Path) -> None:
    """A step that only carries named bodies (`carries_bodies`) is left out of every plan unless
    a rule names bodies under it: a step no rule names bodies under, or a safe route the plan
    may leave out, is refused."""
    rules = kb_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace(", write_to_un_experts]", ", report_to_un_reprisals_official]"),
        encoding="utf-8",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "no rule names bodies under step 'write_to_un_experts'" in out
    rules.write_text(
        text.replace(
            "          instead: [ask_states_raise_privately]\n",
            "          instead: [write_to_un_experts]\n",
        ),
        encoding="utf-8",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "step 'write_to_un_experts' is a safe route ('instead') and may be left out" in out


def test_a_body_named_in_a_step_that_does_not_share_what_it_needs_is_refused(
    kb_dir: Path,
) -> None:
    """A UN mandate named under a step that does not share with the UN would escape the UN
    consent gate; an unknown step or mechanism is a dangling reference."""
    rules = kb_dir / "rules.yaml"
    replace(
        rules,
        "        - under: [urgent_appeal_special_procedures, notify_special_procedures, "
        "write_to_un_experts]\n          mechanisms: [sr_judges_lawyers]",
        "        - under: [legal_support, no_such_step]\n"
        "          mechanisms: [sr_judges_lawyers, nobody]",
    )
    code, out = validate(kb_dir)
    assert code == 3
    assert "step 'legal_support' does not share with 'un', as 'sr_judges_lawyers' needs" in out
    assert "unknown step 'no_such_step'" in out
    assert "unknown mechanism 'nobody'" in out


def test_a_step_to_a_mechanism_that_names_no_body_is_refused(kb_dir: Path) -> None:
    """A step that tells a mechanism gives its contacts, so that the checks above compare its
    `shares` with whom it tells. Caseworker review 8, A1: the step for measures in force gave
    none, said "send the new facts to ... the UN committee" and was marked as sharing with
    regional bodies only, so a no to the UN never held it back. The same step, written so, is
    refused."""
    replace(
        kb_dir / "rules.yaml",
        "          shares: [un]\n"
        "          contacts: [tb_ced_urgent_actions_email, tb_ced_urgent_actions_web]\n"
        "          checklist: [ohchr_reprisals_message]\n",
        "          shares: [regional]\n          checklist: [ohchr_reprisals_message]\n",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "rules.yaml:" in out
    assert "a step that tells a mechanism names it" in out


def test_a_mitigation_at_an_unknown_step_is_refused(kb_dir: Path) -> None:
    """A mitigation's `at` names steps by id: a misspelt one would never be given."""
    replace(
        kb_dir / "risks.yaml",
        "        at: [participate_remotely, prepare_travel]\n",
        "        at: [participate_remotly]\n",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "risks.yaml:" in out and "unknown step 'participate_remotly'" in out


def test_a_warning_worded_without_an_unknown_step_is_refused(kb_dir: Path) -> None:
    """A warning's `without` words it for a plan that holds none of its steps (caseworker review
    6, B7): a misspelt id would always choose those words."""
    replace(
        kb_dir / "rules.yaml",
        "            steps: [legal_support_urgent, legal_support, legal_support_held, "
        "stop_removal_lawyer]\n",
        "            steps: [legal_support_urgent, legal_suport]\n",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "rules.yaml:" in out and "unknown step 'legal_suport'" in out


def test_a_step_that_joins_a_step_that_only_carries_bodies_is_refused(kb_dir: Path) -> None:
    """Issue 21 (fix59): a step joined to another (`joins`) is left out and its words go to that
    step; a step that only carries bodies (`carries_bodies`) is dropped after that when it names
    none, and the joined step's words and trace would be lost with it. Refused."""
    replace(
        kb_dir / "rules.yaml",
        "            step: urgent_appeal_special_procedures\n",
        "            step: write_to_un_experts\n",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "rules.yaml:" in out
    assert (
        "step 'notify_special_procedures' joins step 'write_to_un_experts', which only carries "
        "bodies and may be left out" in out
    )


def test_a_form_a_body_is_chosen_in_must_be_a_known_contact(kb_dir: Path) -> None:
    """`chosen_in` (the special procedures' form a mandate is chosen in, which a draft makes one
    recipient of): a dangling reference is refused with its place."""
    replace(
        kb_dir / "mechanisms.yaml",
        "chosen_in: sp_communications_web",
        "chosen_in: no_such_form",
    )
    code, out = validate(kb_dir)
    assert code == 3, out
    assert "unknown contact 'no_such_form'" in out and "chosen_in" in out
