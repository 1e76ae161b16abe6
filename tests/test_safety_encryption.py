"""Encryption at rest (issue 8, point 3): `--encrypt` writes age files that the standard `age`
tool opens, `open` reads files `age` made, the passphrase is never echoed, and batch outputs can be
locked to age public keys in one archive."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from reprisal_cli import crypto
from reprisal_cli.errors import AnswersError, UsageError
from test_safety_support import (
    AS_OF,
    CASE_MARKER,
    PASSPHRASE,
    age_decrypt_with_passphrase,
    age_encrypt_with_passphrase,
    age_keypair,
    cli,
    drive_plain_assess,
    finish,
    menu,
    need_age,
    spawn_cli,
    terminal_env,
    write_answers,
)


@pytest.fixture
def passfile(tmp_path: Path) -> Path:
    path = tmp_path / "pass.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def plain_plan(answers: Path, fmt: str, tmp_path: Path) -> bytes:
    done = cli("plan", answers, "--format", fmt, "--as-of", AS_OF)
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- the library ----------------------------------------------------------------------------


# Three scrypt derivations, about 9 s of CPU: in the slow step with the other passphrase tests.
@pytest.mark.slow
def test_passphrase_round_trip_and_wrong_passphrase() -> None:
    locked = crypto.encrypt_passphrase("plan ✓", "pw one")
    assert crypto.is_encrypted(locked) and b"plan" not in locked
    assert crypto.decrypt(locked, passphrase="pw one") == "plan ✓".encode()
    with pytest.raises(AnswersError, match="wrong passphrase"):
        crypto.decrypt(locked, passphrase="pw two")
    with pytest.raises(AnswersError, match="not an age-encrypted file"):
        crypto.decrypt(b"schema: x", passphrase="pw one")
    with pytest.raises(UsageError):
        crypto.encrypt_passphrase(b"x", "")


def test_bad_recipient_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="not an age public key"):
        crypto.encrypt_recipients(b"x", ["age1notakey"])


def test_suffix() -> None:
    assert crypto.with_age_suffix(Path("d/plan.pdf")) == Path("d/plan.pdf.age")
    assert crypto.with_age_suffix(Path("plan.AGE")) == Path("plan.AGE")
    assert crypto.without_age_suffix(Path("plan.json.age")) == Path("plan.json")


# -- plan --encrypt, read back by the real age tool -------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "pdf"])
@pytest.mark.slow
def test_plan_encrypted_opens_with_age(tmp_path: Path, passfile: Path, fmt: str) -> None:
    answers = write_answers(tmp_path)
    done = cli(
        "plan", answers, "-o", tmp_path / f"p.{fmt}", "--encrypt", "--passphrase-file", passfile,
        "--as-of", AS_OF,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    locked = tmp_path / f"p.{fmt}.age"
    assert not (tmp_path / f"p.{fmt}").exists()
    assert locked.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert CASE_MARKER.encode() not in locked.read_bytes()
    out = tmp_path / "decrypted"
    age_decrypt_with_passphrase(locked, out)
    assert out.read_bytes() == plain_plan(answers, fmt, tmp_path)


@pytest.mark.slow
def test_age_encrypted_files_open(tmp_path: Path, passfile: Path) -> None:
    answers = write_answers(tmp_path)
    plan_json = tmp_path / "plan.json"
    plan_json.write_bytes(plain_plan(answers, "json", tmp_path))
    age_encrypt_with_passphrase(plan_json, tmp_path / "plan.json.age")
    age_encrypt_with_passphrase(answers, tmp_path / "answers.yaml.age")

    shown = cli("open", tmp_path / "answers.yaml.age", "--passphrase-file", passfile)
    assert shown.returncode == 0, shown.stderr
    assert f"case_id: {CASE_MARKER}" in shown.stdout.decode()

    # an encrypted answers file becomes a plan in any format
    as_md = cli("open", tmp_path / "answers.yaml.age", "--passphrase-file", passfile, "-f", "md",
                "--as-of", AS_OF)  # fmt: skip
    assert as_md.stdout == plain_plan(answers, "md", tmp_path)

    # an encrypted plan is re-rendered
    for fmt in ("md", "txt", "html"):
        again = cli("open", tmp_path / "plan.json.age", "--passphrase-file", passfile, "-f", fmt)
        assert again.returncode == 0, again.stderr
        assert again.stdout == plain_plan(answers, fmt, tmp_path)
    pdf = tmp_path / "out.pdf"
    made = cli("open", tmp_path / "plan.json.age", "--passphrase-file", passfile, "-o", pdf)
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes() == plain_plan(answers, "pdf", tmp_path)
    assert b"NOT encrypted" in made.stderr


@pytest.mark.slow
def test_wrong_passphrase_and_plain_file(tmp_path: Path, passfile: Path) -> None:
    answers = write_answers(tmp_path)
    locked = tmp_path / "a.age"
    locked.write_bytes(crypto.encrypt_passphrase(answers.read_bytes(), "another one"))
    done = cli("open", locked, "--passphrase-file", passfile)
    assert done.returncode == 1
    assert done.stderr.decode().strip().splitlines() == [
        f"error: {locked}: could not be decrypted: wrong passphrase or damaged file"
    ]
    plain = cli("open", answers, "--passphrase-file", passfile)
    assert plain.returncode == 1 and b"not an age-encrypted file" in plain.stderr
    assert b"Traceback" not in done.stderr + plain.stderr


@pytest.mark.slow
def test_encrypt_option_errors(tmp_path: Path, passfile: Path) -> None:
    answers = write_answers(tmp_path)
    no_file = cli("plan", answers, "--encrypt")
    assert no_file.returncode == 2 and b"needs a file" in no_file.stderr
    lonely = cli("plan", answers, "--passphrase-file", passfile, "-o", tmp_path / "x.md")
    assert lonely.returncode == 2 and b"goes with --encrypt" in lonely.stderr
    misleading = cli("plan", answers, "-o", tmp_path / "x.age")
    assert misleading.returncode == 2 and b"would not be encrypted" in misleading.stderr
    empty = tmp_path / "empty"
    empty.write_bytes(b"\n")
    nothing = cli("plan", answers, "--encrypt", "--passphrase-file", empty, "-o", tmp_path / "y")
    assert nothing.returncode == 2 and b"no passphrase" in nothing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "empty", "pass.txt"]


@pytest.mark.slow
def test_existing_output_refused_before_the_passphrase_is_asked(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    (tmp_path / "p.md.age").write_bytes(b"keep me")
    child = spawn_cli("plan", str(answers), "--encrypt", "-o", "p.md", cwd=tmp_path)
    child.expect_exact("already exists")
    assert "Passphrase" not in (child.before or "")
    assert finish(child) == 4
    assert (tmp_path / "p.md.age").read_bytes() == b"keep me"


# -- the passphrase on a terminal ------------------------------------------------------------


@pytest.mark.slow
def test_passphrase_asked_twice_without_echo(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    child = spawn_cli(
        "plan", str(answers), "--encrypt", "-o", "p.txt", "--as-of", AS_OF, cwd=tmp_path
    )
    child.expect_exact("Passphrase: ")
    child.sendline("a first attempt that differs")
    child.expect_exact("Passphrase again: ")
    child.sendline("not the same")
    child.expect_exact("The two passphrases differ")
    child.expect_exact("Passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect_exact("Passphrase again: ")
    child.sendline(PASSPHRASE)
    child.expect_exact("Plan written to p.txt.age (encrypted)")
    seen = (child.before or "") + child.read()
    assert finish(child) == 0
    for typed in ("a first attempt that differs", "not the same", PASSPHRASE):
        assert typed not in seen
    out = tmp_path / "p.txt"
    age_decrypt_with_passphrase(tmp_path / "p.txt.age", out)
    assert out.read_bytes() == plain_plan(answers, "txt", tmp_path)


@pytest.mark.slow
def test_no_terminal_no_passphrase_file_is_refused(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    done = subprocess.run(
        ["setsid", "-w", *cli_argv("plan", str(answers), "--encrypt", "-o", "p.md")],
        cwd=tmp_path,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert b"no terminal to ask the passphrase on" in done.stderr
    assert not list(tmp_path.glob("p.md*"))


def cli_argv(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "reprisal_cli", *args]


# -- assess --encrypt --------------------------------------------------------------------------


@pytest.mark.slow
def test_assess_saves_encrypted_answers_and_plan(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    child = spawn_cli(
        "assess", "--plain", "--encrypt", "--answers-in", str(answers), "--answers-out",
        "a.yaml", "--as-of", AS_OF, cwd=tmp_path, env=terminal_env(TERM="dumb"),
    )  # fmt: skip
    drive_plain_assess(child)
    child.expect_exact("Passphrase: ")
    child.sendline(PASSPHRASE)
    child.expect_exact("Passphrase again: ")
    child.sendline(PASSPHRASE)
    child.expect_exact("Saved the answers to a.yaml.age (encrypted)")
    menu(child, 1)  # save the plan
    child.expect(r"press Enter[^\r\n]*: ")
    child.send("1\r")  # json
    child.expect_exact("File name for the plan:")
    child.expect_exact("> ")
    child.send("\r")  # the offered name, which ends in .age; no second passphrase question
    child.expect_exact(f"Saved the plan to {CASE_MARKER}-plan.json.age (encrypted)")
    menu(child, 6)
    assert finish(child) == 0

    out = tmp_path / "a.yaml"
    age_decrypt_with_passphrase(tmp_path / "a.yaml.age", out)
    from reprisal_cli.answers import load_answers

    assert load_answers(out) == load_answers(answers)
    plan_out = tmp_path / "plan.json"
    age_decrypt_with_passphrase(tmp_path / f"{CASE_MARKER}-plan.json.age", plan_out)
    assert plan_out.read_bytes() == plain_plan(answers, "json", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".age") == [
        f"{CASE_MARKER}-plan.json.age",
        "a.yaml.age",
    ]


# -- recipients and the encrypted archive (batch) ---------------------------------------------


@pytest.mark.slow
def test_recipients_and_archive_open_with_age(tmp_path: Path) -> None:
    key, public = age_keypair(tmp_path)
    locked = crypto.encrypt_recipients(b"one plan", [public])
    (tmp_path / "one.age").write_bytes(locked)
    opened = subprocess.run(
        [need_age(), "-d", "-i", str(key), str(tmp_path / "one.age")],
        capture_output=True,
        check=True,
    )
    assert opened.stdout == b"one plan"

    files = {"case-1.json": b'{"a": 1}\n', "case-2.json": b'{"b": 2}\n'}
    written = crypto.write_encrypted_archive(files, tmp_path / "plans.tar", recipients=[public])
    assert written == tmp_path / "plans.tar.age"
    tar_bytes = subprocess.run(
        [need_age(), "-d", "-i", str(key), str(written)], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["case-1.json", "case-2.json"]
        assert {(m.mtime, m.uid, m.uname, m.mode) for m in members} == {(0, 0, "", 0o600)}
        first = tar.extractfile("case-1.json")
        assert first is not None and first.read() == b'{"a": 1}\n'
    with pytest.raises(Exception, match="already exists"):
        crypto.write_encrypted_archive(files, tmp_path / "plans.tar", recipients=[public])

    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "p.md").write_bytes(b"# plan\n")
    (folder / "link").symlink_to(key)  # never followed into the archive
    archive = crypto.write_encrypted_archive(folder, tmp_path / "f.tar.age", passphrase="pw")
    plain = crypto.decrypt(archive.read_bytes(), passphrase="pw")
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        assert tar.getnames() == ["p.md"]


@pytest.mark.slow
def test_open_with_identity(tmp_path: Path) -> None:
    key, public = age_keypair(tmp_path)
    answers = write_answers(tmp_path)
    plan = plain_plan(answers, "json", tmp_path)
    (tmp_path / "p.json.age").write_bytes(crypto.encrypt_recipients(plan, [public]))
    done = cli("open", tmp_path / "p.json.age", "-i", key, "-f", "json")
    assert done.returncode == 0, done.stderr
    assert done.stdout == plan


# -- what other commands wire in (skipped until they do) --------------------------------------


def _has_option(command: str, option: str) -> bool:
    done = cli(command, "--help")
    return done.returncode == 0 and option in done.stdout.decode()


@pytest.mark.slow
def test_draft_encrypt(tmp_path: Path, passfile: Path) -> None:
    answers = write_answers(tmp_path)
    done = cli("draft", answers, "-o", tmp_path / "d.md", "--encrypt", "--passphrase-file",
               passfile)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = tmp_path / "d.md"
    age_decrypt_with_passphrase(tmp_path / "d.md.age", out)
    assert out.read_bytes() == cli("draft", answers).stdout


@pytest.mark.slow
def test_batch_recipient_archive(tmp_path: Path) -> None:
    key, public = age_keypair(tmp_path)
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_answers(inputs)
    done = cli("batch", tmp_path / "in", "-o", tmp_path / "plans", "--recipient", public,
               "--as-of", AS_OF, "-q")  # fmt: skip
    assert done.returncode == 0, done.stderr
    archives = list(tmp_path.glob("plans*.age"))
    assert len(archives) == 1
    assert not (tmp_path / "plans").exists() or not any((tmp_path / "plans").iterdir())
    tar_bytes = subprocess.run(
        [need_age(), "-d", "-i", str(key), str(archives[0])], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        assert len(tar.getnames()) == 1


# -- a file that is not encrypted is said so before any passphrase is asked -------------------


def _without_terminal(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a new session with no controlling terminal: a passphrase asked for would be
    refused ("no terminal to ask the passphrase on", exit 2)."""
    return subprocess.run(
        ["setsid", "-w", *cli_argv(*map(str, args))],
        cwd=cwd,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("command", "name"),
    [("open", "case.yaml"), ("open", "notes.txt"), ("open", "fake.age"), ("plan", "fake.age"),
     ("draft", "fake.age"), ("case show", "fake.age"), ("case incident", "case.yaml")],
)  # fmt: skip
def test_a_file_not_encrypted_is_said_so_before_the_passphrase_is_asked(
    tmp_path: Path, command: str, name: str
) -> None:
    """`open answers.yaml` (or any file that is not an age file) asked for a passphrase first,
    and only said the file was not encrypted once one was typed (noticed 2026-12-05): a
    stressed reader types their passphrase for nothing, or thinks they forgot it. The file is
    looked at first: exit 1 (an unreadable input), no passphrase asked."""
    write_answers(tmp_path)
    (tmp_path / "notes.txt").write_text("some notes\n", encoding="utf-8")
    (tmp_path / "fake.age").write_text("schema: reprisal-cli/answers/v1\n", encoding="utf-8")
    extra = ["threats"] if command == "case incident" else []
    done = _without_terminal(*command.split(), name, *extra, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert b"is not an age-encrypted file" in done.stderr
    assert b"passphrase" not in done.stderr.lower()


@pytest.mark.slow
def test_open_asks_no_passphrase_on_a_terminal_for_a_file_not_encrypted(tmp_path: Path) -> None:
    """The same on a real terminal: the answer comes at once, with no "Passphrase:" prompt."""
    answers = write_answers(tmp_path)
    child = spawn_cli("open", str(answers), cwd=tmp_path)
    child.expect_exact("is not an age-encrypted file")
    assert "Passphrase" not in (child.before or "")
    assert finish(child) == 1


@pytest.mark.parametrize("given", ["fake.age", "folder", "missing.age"])
def test_followup_says_a_file_it_cannot_open_before_the_passphrase_is_asked(
    tmp_path: Path, given: str
) -> None:
    """`followup fake.age` (a YAML or text file renamed *.age), or a folder holding only such a
    file, asked for the passphrase first and only then said the file was not an age file. The
    file is looked at first: said at once, in the list's usual per-file error, no passphrase
    asked (exit 1, as for any caseload with an unreadable file)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for where in (tmp_path, folder):
        (where / "fake.age").write_text("schema: reprisal-cli/answers/v1\n", encoding="utf-8")
    done = _without_terminal("followup", given, "--as-of", AS_OF, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    said = b"does not exist" if given == "missing.age" else b"is not an age-encrypted file"
    assert said in done.stderr
    assert b"passphrase" not in done.stderr.lower()


def test_followup_says_a_file_not_encrypted_and_lists_the_rest_of_the_caseload(
    tmp_path: Path, passfile: Path
) -> None:
    """A folder mixing a renamed text file with real case files: the text file is said at once
    (before the passphrase the real cases need is asked), and the real cases are still read."""
    need_age()
    key, public = age_keypair(tmp_path)
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a-notes.age").write_text("some notes\n", encoding="utf-8")
    answers = write_answers(tmp_path)
    made = cli("case", "new", folder / "b-case.age", "--answers", answers, "--recipient", public,
               "--as-of", "2026-01-01")  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = cli("followup", folder, "-i", key, "--format", "csv", "--as-of", AS_OF)
    assert done.returncode == 1, done.stderr
    assert b"a-notes.age: is not an age-encrypted file" in done.stderr
    assert b"b-case.age" in done.stdout
    # Without a terminal, the real case's passphrase cannot be asked (exit 2), but the text file
    # was said before that.
    (folder / "b-case.age").unlink()
    made = cli("case", "new", folder / "b-case.age", "--answers", answers, "--passphrase-file",
               passfile, "--as-of", "2026-01-01")  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = _without_terminal("followup", folder, "--as-of", AS_OF, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert b"a-notes.age: is not an age-encrypted file" in done.stderr
    assert b"no terminal to ask the passphrase on" in done.stderr
