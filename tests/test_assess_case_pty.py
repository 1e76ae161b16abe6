"""`assess --case FILE.age` in a real pseudo-terminal (issue 26): a case resumed with the
questionary front end gets the consent given in the session; with the plain front end, a case
someone saved meanwhile is not overwritten (exit 4)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pexpect
import pytest

from reprisal_cli.case.model import CaseFile, HistoryEntry
from reprisal_cli.case.store import CaseKey, create_case, read_case, save_case
from test_assess_case import KNOWN, keypair
from test_safety_support import finish, spawn_cli

pytestmark = pytest.mark.slow

DOWN = "\x1b[B"
UP = "\x1b[A"
ENTER = "\r"


def case_in(folder: Path, **without: bool) -> tuple[Path, CaseKey]:
    """A case holding KNOWN (less the keys named), locked to a fresh key in `folder`/key.txt."""
    secret, public = keypair(folder)
    key = CaseKey(identities=(secret.read_text(encoding="utf-8"),), recipients=(public,))
    answers = {k: v for k, v in KNOWN.items() if k not in without}
    path = folder / "case.age"
    history = (HistoryEntry(date=dt.date(2026, 3, 1), answers=answers),)
    create_case(path, CaseFile(case_id="c-7", answers=answers, history=history), key)
    return path, key


def spawn(folder: Path, *args: str) -> pexpect.spawn:
    return spawn_cli(
        "assess", "--as-of", "2026-04-15", "--case", "case.age", "-i", "key.txt", *args, cwd=folder
    )


def answer(child: pexpect.spawn, prompt: str, keys: str) -> None:
    child.expect_exact(prompt)
    child.send(keys)


def test_a_case_resumed_in_a_terminal_records_the_consent_given(tmp_path: Path) -> None:
    path, key = case_in(tmp_path)
    child = spawn(tmp_path)
    # Resumed: only the consent questions, which the case does not answer, are asked.
    answer(child, "to UN bodies?", DOWN * 2 + ENTER)  # yes
    for prompt in ("regional human rights body?", "diplomats or other States be told",
                   "made public, with names?", "May the case appear in it?"):  # fmt: skip
        answer(child, prompt, ENTER)  # Enter alone: no answer
    answer(child, "Who gave these consents?", DOWN + ENTER)  # the person at risk
    answer(child, "On what day", ENTER)  # not given: today
    answer(child, "Check your answers.", ENTER)
    answer(child, "How were these consent answers given?", DOWN + ENTER)  # in writing
    child.expect_exact("Saved to the case case.age (encrypted, revision 2).")
    answer(child, "What next?", UP + ENTER)  # quit, the last entry
    out = child.before or ""
    assert finish(child) == 0, out
    case = read_case(path, key).case
    assert case.revision == 2 and len(case.history) == 2
    (given,) = case.consent
    assert (given.purpose, given.value, given.given_by, given.how, given.explained_in) == (
        "share_with_un", "yes", "person", "written", "en"
    )  # fmt: skip
    assert given.date == dt.date(2026, 4, 15)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.age", "key.txt"]


def test_a_case_saved_by_someone_else_during_the_session_is_refused(tmp_path: Path) -> None:
    path, key = case_in(tmp_path, travel_planned=True)
    child = spawn(tmp_path, "--plain")
    child.expect_exact("plan to travel")
    other = read_case(path, key)  # a colleague saves the case meanwhile
    save_case(other, replace(other.case, case_id="theirs"), key)
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("2\r")  # no travel: a change to save
    while child.expect([r"Check your answers\.", r"press Enter[^\r\n]*: "]) == 1:
        child.send("\r")  # Enter alone at each consent question: no answer
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("\r")
    child.expect(pexpect.EOF)
    out = " ".join((child.before or "").split())
    child.close()
    assert child.exitstatus == 4, out
    assert "changed since it was read (revision 1 was read, the file now holds revision 2)" in out
    assert "Traceback" not in out
    case = read_case(path, key).case
    assert case.case_id == "theirs" and "travel_planned" not in case.answers


def test_answers_in_a_case_file_resumes_from_its_consent_in_force_and_leaves_it(
    tmp_path: Path,
) -> None:
    from reprisal_cli.case.model import ConsentRecord
    from test_safety_support import drive_plain_assess, menu

    path, key = case_in(tmp_path)
    opened = read_case(path, key)
    withdrawn = ConsentRecord(
        purpose="share_with_un", value="yes", given_by="person", how="oral",
        date=dt.date(2026, 3, 1), revoked=dt.date(2026, 4, 1),
    )  # fmt: skip
    save_case(opened, replace(opened.case, consent=(withdrawn,)), key)
    before = path.read_bytes()
    child = spawn_cli(
        "assess", "--as-of", "2026-04-15", "--plain", "--answers-in", "case.age", "-i", "key.txt",
        cwd=tmp_path,
    )  # fmt: skip
    child.logfile_read = seen = io.StringIO()
    drive_plain_assess(child)
    menu(child, 6)
    assert finish(child) == 0
    text = " ".join(seen.getvalue().split())
    # The withdrawn consent reads as no: the review says so, and the plan holds back UN steps.
    assert "to UN bodies? -> No, not to UN bodies" in text
    assert "Tell the Special Rapporteurs" not in text
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.age", "key.txt"]


def test_a_passphrase_case_is_opened_and_saved_with_passphrase_file(tmp_path: Path) -> None:
    from reprisal_cli.case.store import uses_passphrase

    passphrase = "copper lantern river orbit"
    (tmp_path / "pw.txt").write_text(passphrase + "\n", encoding="utf-8")
    key = CaseKey(passphrase=passphrase)
    answers = {k: v for k, v in KNOWN.items() if k != "travel_planned"}
    history = (HistoryEntry(date=dt.date(2026, 3, 1), answers=answers),)
    path = tmp_path / "case.age"
    create_case(path, CaseFile(answers=answers, history=history), key)
    child = spawn_cli(
        "assess", "--as-of", "2026-04-15", "--plain", "--case", "case.age",
        "--passphrase-file", "pw.txt", cwd=tmp_path,
    )  # fmt: skip
    child.expect_exact("plan to travel")
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("1\r")  # yes
    while child.expect([r"Check your answers\.", r"press Enter[^\r\n]*: "]) == 1:
        child.send("\r")
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("\r")
    child.expect_exact("revision 2")
    child.expect_exact("What next?")
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("6\r")
    assert finish(child) == 0
    assert uses_passphrase(path.read_bytes())
    case = read_case(path, key).case
    assert case.revision == 2 and case.answers["travel_planned"] is True
