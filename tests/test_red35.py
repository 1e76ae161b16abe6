"""Red team red35 (2026-12-04) against main's c39ad8e: the handover (`import` of an ESF
document made by another tool), `batch` over folders mixing answers files and case files, and
`kb fingerprint`.

Each test names the harm in its docstring and failed on c39ad8e.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from red_support import BAHRAIN, HONDURAS, ROOT, case_run, day, module_keys, new_case, run


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def withdrawn_export(tmp_path: Path, keys: tuple[Path, str]) -> dict[str, object]:
    """The export of a case (Honduras example, 20 days old) whose communication to the Special
    Procedures went out 5 days ago under the UN consent, withdrawn today: its `left_out` says
    the body must be asked not to use the details."""
    key, _public = keys
    path = new_case(tmp_path, keys, HONDURAS, 20)
    sent = case_run(path, keys, "action", "sp_communications", "--type", "communication",
                    "--date", day(-5), "--purpose", "share_with_un")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    revoked = case_run(path, keys, "consent", "share_with_un", "--revoke")
    assert revoked.exit_code == 0, revoked.output
    exported = run("export", path, "--identity", key)
    assert exported.exit_code == 0, exported.output
    doc: dict[str, object] = json.loads(exported.stdout)
    return doc


def test_import_never_drops_a_left_out_written_as_one_string(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: an organisation hands a case over with an ESF document made by its own tool, which
    writes `left_out` as one string rather than a list of strings (the withdrawal instruction:
    "intervention of ...: went out under the consent to share_with_un, withdrawn or narrowed
    since; the body it went to must be asked not to use or pass on the details"). `import`
    saves the case (exit 0) and prints nothing: the new organisation never learns that a body
    holds details the person has withdrawn consent for, so nobody asks it to stop using them.
    `schema esf` says `left_out` is an array of strings, yet import neither refuses the
    document nor prints the text (cli/export.py reads left_out only when it is a list). The
    same document with the list prints it. Failed on c39ad8e."""
    _key, public = keys
    doc = withdrawn_export(tmp_path, keys)
    lines = doc["left_out"]
    assert isinstance(lines, list)
    withdrawal = next(line for line in lines if "asked not to use" in line)
    doc["left_out"] = withdrawal
    source = tmp_path / "from_their_tool.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    made = run("import", source, "-o", tmp_path / "imported.age", "--recipient", public)
    assert "Traceback" not in made.output
    if made.exit_code != 0:  # refusing a left_out that is not a list of strings is a fix too
        assert made.exit_code == 1
        assert "left_out" in made.output
        return
    assert "asked not to use" in made.output


def test_import_never_drops_an_unknown_top_level_key_silently(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: the same handover, with the withdrawal instruction under a misspelt key
    (`leftout`, or `left-out` as a tool that writes CSV headers spells it). `import` accepts
    unknown keys at the top of the document without a word (exit 0), so the instruction to ask
    the Special Procedures not to use the details is lost without anyone seeing it. The
    contract's rule for the answers file ("rejects unknown keys: a typo must never silently
    drop a fact") is not kept for the document that carries the consent ledger. Failed on
    c39ad8e."""
    _key, public = keys
    doc = withdrawn_export(tmp_path, keys)
    doc["leftout"] = doc.pop("left_out")
    source = tmp_path / "typo.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    made = run("import", source, "-o", tmp_path / "imported.age", "--recipient", public)
    assert "Traceback" not in made.output
    if made.exit_code != 0:  # refusing the unknown key is the fix
        assert made.exit_code == 1
        assert "leftout" in made.output
        return
    assert "leftout" in made.output or "asked not to use" in made.output


def test_batch_over_a_mixed_folder_says_it_skipped_its_case_files(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: a caseworker's nightly `batch cases/ -o plans` over a folder holding answers files
    and case files, without --identity (forgotten, or a script that lost it). The case files,
    among them the one whose consent to share with the UN was withdrawn, are skipped without a
    word: "1 cases: 1 ok, 0 failed", exit 0. The caseworker believes every case has a fresh
    plan; the skipped case keeps its old plan, made before the withdrawal, which still says to
    send to the UN. `followup` over a folder without case files refuses (exit 2); batch names
    a case file given by name as FAILED ("nothing given to open it"), but not one found in a
    folder. Failed on c39ad8e."""
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(BAHRAIN, folder / "bahrain.yaml")
    path = new_case(tmp_path, keys, HONDURAS, 20)
    assert case_run(path, keys, "consent", "share_with_un", "--revoke").exit_code == 0
    path.rename(folder / "honduras.age")
    out = tmp_path / "plans"
    done = run("batch", folder, "-o", out)
    assert "Traceback" not in done.output
    assert done.exit_code != 0 or "honduras.age" in done.output, done.output


def test_kb_fingerprint_refuses_a_folder_that_is_not_a_knowledge_base(tmp_path: Path) -> None:
    """Harm: `kb fingerprint FOLDER` is how a defender checks a knowledge base against the
    fingerprint published elsewhere. Given an empty folder (a wrong path, a stick whose copy
    failed, or a folder whose every file was removed) it prints a fingerprint, the sha256 of
    nothing, and exits 0, where `kb validate` and `plan --kb` on the same folder exit 3
    ("kb.yaml: does not exist"). A script that records the fingerprint of what it checked
    records a knowledge base that does not exist as checked. Failed on c39ad8e."""
    empty = tmp_path / "kb"
    empty.mkdir()
    printed = run("kb", "fingerprint", empty)
    assert "Traceback" not in printed.output
    assert printed.exit_code == 3, printed.output


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_a_checklist_from_another_knowledge_base_says_so(tmp_path: Path, fmt: str) -> None:
    """Harm: someone who could change the knowledge base (a seized laptop, a stick on its way,
    a hostile `--kb` folder) changes the emergency checklist's line "Call a 24-hour emergency
    line for defenders (for example Front Line Defenders)" to give their own number.
    `checklist emergency_now --kb FOLDER` prints it in md (the default format) and txt with no
    sign that the text does not come from the built-in knowledge base: no "custom", no
    version, no fingerprint, where the same checklist in HTML and PDF, the form, the card and
    the draft all say "custom". render_checklist passes the knowledge base to the HTML and PDF
    renderers only. A person in danger calls the number the aggressor wrote. Failed on
    c39ad8e."""
    folder = tmp_path / "kb"
    shutil.copytree(
        ROOT / "data", folder, ignore=shutil.ignore_patterns("kb.snapshot", "MANIFEST.json")
    )
    checklists = folder / "checklists.yaml"
    text = checklists.read_text(encoding="utf-8")
    assert "(for example Front Line Defenders)" in text
    checklists.write_text(
        text.replace("(for example Front Line Defenders)", "(for example +1 555 0199)"),
        encoding="utf-8",
    )
    shown = run("checklist", "emergency_now", "--kb", folder, "-f", fmt)
    assert shown.exit_code == 0, shown.output
    assert "+1 555 0199" in shown.stdout
    said = " ".join(shown.stdout.split())
    assert "custom" in said or "not the built-in one" in said, said[:400]


@pytest.mark.parametrize(
    "locale", ["fr_FR.UTF-8", "es_ES.UTF-8", "ar_EG.UTF-8", "ru_RU.UTF-8", "zh_CN.UTF-8"]
)
def test_a_case_drafts_guidance_on_the_report_says_no_raw_consent_key(
    tmp_path: Path, keys: tuple[Path, str], locale: str
) -> None:
    """Harm: the Honduras case (publicity no, the Secretary-General's report without names).
    `draft CASE.age` (to OHCHR, the default) in French, Spanish, Arabic, Russian or Chinese
    says before the message "(consentement publicity: yes, sg_report: named)" and "(sg_report:
    anonymous)": answers-file keys with English values inside the translated sentence, the
    only place that says which consent is missing, and for a case file keys that `case answer`
    refuses (consent is in the ledger: `case consent`). Red team red29 removed such keys from
    the draft's refusal; this note of every draft to OHCHR kept them. Failed on c39ad8e."""
    key, _public = keys
    path = new_case(tmp_path, keys, HONDURAS, 10)
    env = {"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    made = run("draft", path, "--identity", key, "-f", "txt", env=env)
    assert made.exit_code == 0, made.output
    guidance = " ".join(made.stdout.split("\n" + "-" * 40 + "\n")[0].split())
    assert "sg_report:" not in guidance, guidance
    assert "publicity: yes" not in guidance, guidance


def test_the_esf_schema_describes_exactly_the_keys_import_reads() -> None:
    """One list of keys (case.export) for import and `schema esf`: a key the schema allows
    but import refuses, or the reverse, would make a valid document fail or a typo pass."""
    from reprisal_cli.case.export import ACT_KEYS, ESF_KEYS, EVENT_KEYS, INTERVENTION_KEYS

    printed = run("schema", "esf")
    assert printed.exit_code == 0, printed.output
    schema = json.loads(printed.stdout)
    event = schema["properties"]["event"]
    pairs = (
        (schema, ESF_KEYS),
        (event, EVENT_KEYS),
        (event["properties"]["acts"]["items"], ACT_KEYS),
        (event["properties"]["interventions"]["items"], INTERVENTION_KEYS),
    )
    for part, keys in pairs:
        assert tuple(part["properties"]) == keys
        assert part["additionalProperties"] is False


@pytest.mark.parametrize(
    ("where", "key"),
    [("event", "titel"), ("acts", "linked-to"), ("interventions", "nxt")],
)
def test_import_refuses_a_misspelt_key_inside_the_event(
    tmp_path: Path, keys: tuple[Path, str], where: str, key: str
) -> None:
    """A misspelt `next` dropped the intervention's follow-up date without a word (the case
    then never came up in `followup`); a misspelt act or event key dropped its fact."""
    _key, public = keys
    path = new_case(tmp_path, keys, HONDURAS, 20)
    assert case_run(path, keys, "incident", "threats", "--date", day(-3)).exit_code == 0
    sent = case_run(path, keys, "action", "front_line_defenders", "--type", "communication",
                    "--date", day(-2), "--next", "30")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    exported = run("export", path, "--identity", _key)
    doc = json.loads(exported.stdout)
    target = doc["event"] if where == "event" else doc["event"][where][0]
    target[key] = "2030-01-01"
    source = tmp_path / "typo.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    made = run("import", source, "-o", tmp_path / "imported.age", "--recipient", public)
    assert made.exit_code == 1, made.output
    assert f"unknown key '{key}'" in made.output
    assert not (tmp_path / "imported.age").exists()
