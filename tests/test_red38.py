"""Red team red38 (2026-12-04) against main's 936a6f6: a tampered installed draft template, and
what the last rounds' surfaces still let through.

Each test names the harm in its docstring and failed on 936a6f6.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from red_support import day, module_keys, run
from release_support import ROOT, env_for, install_wheel

HONDURAS = ROOT / "examples" / "honduras_2017.yaml"  # UN yes, publicity and sg_report not named


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.mark.slow
def test_a_tampered_installed_draft_template_is_flagged(wheel_site: Path, tmp_path: Path) -> None:
    """Harm: the draft's own texts (`reprisal_cli/render/drafts/en.yaml` in the installed
    package: the consent statement, the greeting, the subject "confidential") are not covered by
    the release manifest. Someone who can change the installed files (a seized or shared
    computer) edits `consent_confidential` from "They do NOT agree to be named in any public
    report: confidential transmission only" to "They agree to be named in the public report";
    `draft examples/honduras_2017.yaml` then prints that statement for a person who refused
    publicity, exit 0, with no "changed since release" line, `plan -f json` says
    `"modified": false` and `kb fingerprint` prints the published value. The message sent to
    OHCHR then asks for the person to be named in a public UN report (a tampered knowledge base
    accepted silently; shared without consent for that purpose). A contact changed in
    mechanisms.yaml is flagged on the same draft. Failed on 936a6f6."""
    site = tmp_path / "site"
    shutil.copytree(wheel_site, site)
    template = site / "reprisal_cli" / "render" / "drafts" / "en.yaml"
    text = template.read_text(encoding="utf-8")
    refusal = (
        "They do NOT agree to be named in any public report: confidential transmission only, "
        "not to be named in the public report."
    )
    assert refusal in text
    template.write_text(
        text.replace(refusal, "They agree to be named in the public report."), encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", "draft", str(HONDURAS), "--lang", "en",
         "--as-of", "2026-11-25"],
        env=env_for(site), capture_output=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    out = done.stdout.decode() + done.stderr.decode()
    assert "Traceback" not in out
    flat = " ".join(out.split()).lower()
    if done.returncode == 0 and "agree to be named in the public report" in flat:
        assert "changed since release" in flat or "modified" in flat, out


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def test_batch_over_case_files_says_its_plans_are_not_encrypted(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: `batch cases/ -o out -i key.txt -f md` over a folder of encrypted case files
    decrypts each one and writes its plan (case id, State, reprisals, the bodies to write to,
    the consents) as a plain file in out/, saying only "ok  cases/c.age  out/honduras-2017.md"
    and "2 cases: 2 ok" (exit 0). red37 made `plan`, `draft` and `card` from a case file with -o
    say "NOT encrypted"; batch, the command that does it for a whole caseload, says nothing.
    A caseworker who keeps cases encrypted is not told that readable copies of all of them are
    now on the disk (a plaintext copy of a case written to disk without a word). Saying "NOT
    encrypted" (or refusing without -r) is the fix. Failed on 936a6f6."""
    key, public = keys
    cases = tmp_path / "cases"
    cases.mkdir()
    made = run("case", "new", cases / "c.age", "--recipient", public, "--answers", HONDURAS,
               "--as-of", day(-30))  # fmt: skip
    assert made.exit_code == 0, made.output
    out = tmp_path / "out"
    done = run("batch", cases, "-o", out, "-i", key, "-f", "md")
    assert "Traceback" not in done.output
    assert done.exit_code in (0, 2), done.output
    if done.exit_code == 0 and any(out.glob("*.md")):
        assert "NOT encrypted" in done.output, done.output


@pytest.mark.slow
def test_assess_answers_out_from_a_case_file_says_it_is_not_encrypted(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: `assess --answers-in case.age -i key.txt --answers-out answers.yaml --plain`
    decrypts the case, and when the answers are confirmed writes them (case id, profile, State,
    reprisals, every consent) as a plain YAML file, saying only "Saved the answers to
    answers.yaml." The same session's menu asks before saving the plan ("Encrypted with a
    passphrase (recommended)" / "Not encrypted: anyone with this computer can read it"), and
    red37 made plan/draft/card -o from a case file say "NOT encrypted"; this copy of the case
    gets no word (a plaintext copy of a case written to disk without a word). Saying "NOT
    encrypted", asking, or encrypting are all fixes. Failed on 936a6f6."""
    from test_safety_support import finish, menu, spawn_cli

    key, public = keys
    case = tmp_path / "case.age"
    made = run("case", "new", case, "--recipient", public, "--answers", HONDURAS,
               "--as-of", day(-30))  # fmt: skip
    assert made.exit_code == 0, made.output
    shutil.copy(key, tmp_path / "key.txt")
    child = spawn_cli("assess", "--plain", "--answers-in", "case.age", "-i", "key.txt",
                      "--answers-out", "answers.yaml", cwd=tmp_path)  # fmt: skip
    child.logfile_read = seen = io.StringIO()
    while True:  # Enter keeps each answer; a question the case leaves open: "don't know"
        index = child.expect([r"Check your answers\.", r"Type a number and press Enter: ",
                              r"press Enter[^\r\n]*: ", r"\r\n> "])  # fmt: skip
        if index == 0:
            child.expect(r"press Enter[^\r\n]*: ")
            child.send("\r")
            break
        child.send("3\r" if index == 1 else "\r")
    menu(child, 6)
    assert finish(child) == 0
    text = " ".join(seen.getvalue().split())
    assert "Traceback" not in text
    out = tmp_path / "answers.yaml"
    if out.exists() and out.read_bytes().startswith(b"schema:"):
        assert "NOT encrypted" in text or "Not encrypted" in text, text[-600:]


@pytest.mark.parametrize("command", ["plan", "card"])
def test_an_overlay_confirmation_dated_after_today_is_never_shown_as_a_confirmation(
    tmp_path: Path, command: str
) -> None:
    """Harm: `--kb-add ours/` whose contacts.yaml (the README's own example: Front Line
    Defenders' 24-hour line "confirmed by our office") carries `last_confirmed` and
    `source_date` some months after today (a typo, a clock ahead, or an overlay made to look
    fresh). `kb validate --kb-add ours` warns "has a date after <today>: a source or a
    confirmation cannot be in the future", but `plan ANSWERS --kb-add ours -f md` (exit 0)
    prints the emergency line as "not confirmed since <that year>" and, in its sources,
    "Confirmed by the organisation on <that day>"; `card --kb-add ours -f txt` prints
    "!! not confirmed since <that year>" under the 24-hour line. A confirmation that has not
    happened yet is shown to a person in danger as the contact's freshness (a date that
    overstates freshness). Refusing the overlay (exit 3), or saying the date is after today
    and reading it as unconfirmed, are fixes. Failed on 936a6f6."""
    later = day(200)
    overlay = tmp_path / "ours"
    overlay.mkdir()
    (overlay / "contacts.yaml").write_text(
        "contacts:\n"
        "  - owner: front_line_defenders\n"
        "    contact:\n"
        "      id: our_fld_emergency_line\n"
        "      channel: phone\n"
        '      value: "+353 1 210 0489"\n'
        '      label: "24-hour emergency line (confirmed by our office)"\n'
        '      hours: "24 hours a day, every day"\n'
        "      status: confirmed\n"
        '      source: "Front Line Defenders, phone call to the Dublin office"\n'
        f"      source_date: {later}\n"
        f'      last_confirmed: {{how: organisation_told_us, date: {later}, note: "by phone"}}\n',
        encoding="utf-8",
    )
    args = ["-f", "md"] if command == "plan" else ["-f", "txt"]
    example = [str(ROOT / "examples" / "immediate_danger_hacked.yaml")] if command == "plan" else []
    done = run(command, *example, "--kb-add", overlay, *args)
    assert "Traceback" not in done.output
    if done.exit_code == 3:
        return
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert f"on {later}" not in flat, flat
    assert f"since {later[:4]}" not in flat, flat
    assert f"checked {later[:7]}" not in flat, flat
