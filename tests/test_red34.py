"""Red team red34 (2026-12-04) against main's a470dc6: the consent to publicity that an
organisation's help needs (`makes_public`, Amnesty's Urgent Action, red team red33), attacked
through the local overlay (`--kb-add`) a caseworker lays over the knowledge base.

Each test names the harm in its docstring and failed on a470dc6.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from red_support import HONDURAS, ROOT, case_run, day, module_keys, new_case, run, warnings_of


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


UA = "amnesty_urgent_action"


def local_urgent_action(tmp_path: Path) -> Path:
    """An overlay whose local entry replaces Amnesty's Urgent Action with the built-in entry
    itself, as a caseworker writes one to keep a local section's contact, without the
    `makes_public` flag (a field the overlay's author has no reason to know about)."""
    data = yaml.safe_load((ROOT / "data" / "organisations.yaml").read_text(encoding="utf-8"))
    entry = dict(next(o for o in data["organisations"] if o["id"] == UA))
    entry.pop("makes_public")
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "organisations.yaml").write_text(
        yaml.safe_dump({"organisations": [entry]}, allow_unicode=True), encoding="utf-8"
    )
    return folder


def test_a_local_entry_for_the_urgent_action_keeps_its_need_for_consent_to_publicity(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: the person said "no" to publicity (Honduras example); the case log shows the case
    sent to Amnesty's Urgent Action network (whose appeals make it public). With the built-in
    knowledge base the plan warns sent_without_consent and the export leaves the intervention
    out. Add a local overlay (`--kb-add`) whose entry replaces the Urgent Action's (same id,
    e.g. to keep a local section's contact) and the same case file gives no warning at all:
    `case action` logs a new request silently, the plan says nothing, and the handover export
    carries the intervention to another organisation as consented. A local entry silently
    drops `makes_public` (it defaults to false). Failed on a470dc6."""
    local = local_urgent_action(tmp_path)
    path = new_case(tmp_path, keys, HONDURAS, 20)
    logged = case_run(path, keys, "action", UA, "--type", "communication", "--date", day(-3),
                      "--kb-add", str(local))  # fmt: skip
    if logged.exit_code != 0:  # refusing a local entry that drops the flag is a fix too
        assert "public" in logged.output
        return
    assert "publicity" in logged.output  # the warning `case action` gives without the overlay
    warned = {w["id"]: w["text"] for w in warnings_of(path, keys, "--kb-add", str(local))}
    assert "Urgent Action" in warned.get("sent_without_consent", "")
    key, _public = keys
    export = run("export", path, "--identity", key, "--kb-add", local)
    assert export.exit_code == 0, export.output
    handed = json.loads(export.stdout)
    assert handed["event"]["interventions"] == []
    assert any("publicity" in line and day(-3) in line for line in handed["left_out"])


# A hyperlink (OSC 8) that shows an OHCHR address and opens another site, then erases the line.
HOSTILE_BODY = "\x1b]8;;https://evil.example/\x07OHCHR urgent-action@ohchr.org\x1b]8;;\x07\x1b[2K"


def test_export_never_writes_an_imported_body_id_s_terminal_escapes(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: an ESF file from another organisation (import: "what another tool or
    organisation sends") names as the body of an intervention a terminal escape sequence: a
    hyperlink that shows "OHCHR urgent-action@ohchr.org" and opens https://evil.example/.
    `import` takes it silently; `export` of the new case then writes it raw to the terminal
    ("Left out: intervention of ...: <escape> is not in this knowledge base"), so the
    caseworker sees an OHCHR address that leads elsewhere (a wrong route), and the line can
    be erased or rewritten. `import` strips such bytes from the export's left_out, not from a
    body's id. Failed on a470dc6."""
    key, public = keys
    path = new_case(tmp_path, keys, HONDURAS, 20)
    case_run(path, keys, "action", "sp_communications", "--type", "communication",
             "--date", day(-2), "--purpose", "share_with_un")  # fmt: skip
    exported = run("export", path, "--identity", key)
    assert exported.exit_code == 0, exported.output
    esf = json.loads(exported.stdout)
    esf["event"]["interventions"][0]["intervening_with"] = HOSTILE_BODY
    hostile = tmp_path / "from_elsewhere.json"
    hostile.write_text(json.dumps(esf), encoding="utf-8")
    imported = tmp_path / "imported.age"
    made = run("import", hostile, "-o", imported, "-r", public)
    assert "Traceback" not in made.output
    assert "\x1b" not in made.output
    if made.exit_code != 0:  # refusing a body id that is not an id is a fix too
        assert made.exit_code == 1
        return
    again = run("export", imported, "--identity", key)
    assert again.exit_code == 0, again.output
    assert "\x1b" not in again.output
    assert "\x07" not in again.output
