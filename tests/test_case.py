"""The case file (issue 26, contract §7): always encrypted, the consent ledger decides, a writer
never overwrites a revision it did not read, a kill leaves the old file whole.

Most tests lock cases to an age key made by `age-keygen` (scrypt passphrases cost about a second
each); one goes through a passphrase, and one opens a case with the real `age` tool.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reprisal_cli.case.model import (
    CaseFile,
    ConsentRecord,
    HistoryEntry,
    Output,
    answers_on,
    consent_on,
    in_effect,
)
from reprisal_cli.case.plan import WITHDRAWAL_WARNING, evaluate_case
from reprisal_cli.case.store import CaseChangedError, CaseKey, create_case, read_case, save_case
from reprisal_cli.cli import app
from reprisal_cli.contract import CONSENT_PURPOSES
from reprisal_cli.engine.gates import CONSENT_GATES, GATE_REVOKED
from reprisal_cli.kb.loader import load_kb
from test_safety_support import PASSPHRASE, age_keypair, cli, need_age

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
AS_OF = "2026-04-15"
runner = CliRunner()
KB = load_kb(None)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return age_keypair(tmp_path_factory.mktemp("keys"))


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def new_case(folder: Path, keys: tuple[Path, str], answers: Path | None = None) -> Path:
    path = folder / "case.age"
    extra = ["--answers", answers] if answers else []
    code, out = run("case", "new", path, "--recipient", keys[1], "--as-of", "2026-03-01", *extra)
    assert code == 0, out
    return path


# -- the ledger ---------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 3, 1))


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[ConsentRecord, ...]:
    entries = []
    for _ in range(draw(st.integers(0, 8))):
        purpose = draw(st.sampled_from(CONSENT_PURPOSES))
        values = (
            ("named", "anonymous", "no", "undecided")
            if purpose == "sg_report"
            else ("yes", "no", "undecided")
        )
        given_on = draw(DAYS)
        revoked = draw(
            st.none() | st.integers(0, 40).map(lambda n, g=given_on: g + dt.timedelta(n))
        )
        entries.append(
            ConsentRecord(
                purpose=purpose,
                value=draw(st.sampled_from(values)),  # type: ignore[arg-type]
                date=given_on,
                revoked=revoked,
            )
        )
    return tuple(entries)


@given(ledgers(), DAYS)
def test_consent_in_force_is_the_latest_record_unless_revoked(
    ledger: tuple[ConsentRecord, ...], day: dt.date
) -> None:
    """§7: the latest record for a purpose dated on or before the day (the last written of a
    day), unless revoked on or before that day; nothing given after the day counts."""
    values, revoked = consent_on(ledger, day)
    for purpose in CONSENT_PURPOSES:
        earlier = [
            (e.date, n, e) for n, e in enumerate(ledger) if e.purpose == purpose and e.date <= day
        ]
        if not earlier:
            assert purpose not in values and purpose not in revoked
            continue
        deciding = max(earlier, key=lambda t: (t[0], t[1]))[2]
        if deciding.revoked is not None and deciding.revoked <= day:
            assert purpose in revoked and purpose not in values
        else:
            assert values[purpose] == deciding.value and purpose not in revoked


def _needs(shares: frozenset[str]) -> set[str]:
    return {g.purpose for g in CONSENT_GATES if g.name != GATE_REVOKED and g.reads(shares)}  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ledgers(),
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 5, 1)),
    st.sampled_from(EXAMPLES),
)
def test_no_step_needs_a_consent_not_in_force(
    ledger: tuple[ConsentRecord, ...], day: dt.date, example: Path
) -> None:
    """Whatever the ledger and the day, no step of the plan passes details for a purpose whose
    consent is withdrawn or refused then; a public step needs publicity `yes` in force; and what
    was sent for a consent no longer given is named."""
    from reprisal_cli.answers import load_answers
    from reprisal_cli.case.model import split_consent

    doc, _ = split_consent(load_answers(example), day)
    outputs = (
        Output(
            date=dt.date(2026, 1, 1),
            kind="draft",
            to="sp_communications",
            purposes=("share_with_un",),
        ),
    )
    case = CaseFile(answers=doc, consent=ledger, outputs=outputs)
    plan = evaluate_case(case, KB, as_of=day)
    values, revoked = consent_on(ledger, day)
    follows_un = {"share_with_regional", "share_with_states"}
    for step in plan.steps:
        shares = frozenset(
            f
            for f, on in (
                ("public", step.public),
                ("un", step.shares_with_un),
                ("regional", step.shares_with_regional),
                ("states", step.shares_with_states),
            )
            if on
        )
        for purpose in _needs(shares):
            assert purpose not in revoked, (step.id, purpose)
            assert values.get(purpose) != "no", (step.id, purpose)
            if purpose in follows_un and purpose not in values:
                assert "share_with_un" not in revoked and values.get("share_with_un") != "no"
        if step.public:
            assert values.get("publicity") == "yes", step.id
    # What went to the UN under its "yes" is named once the UN consent no longer lets it go:
    # withdrawn, or a "no" or "undecided" recorded over the "yes" (red team red29), in words,
    # never by its key; what went without a "yes" is not called withdrawn (red team red30).
    warned = any(w.id == WITHDRAWAL_WARNING for w in plan.warnings)
    sent_on = dt.date(2026, 1, 1)
    if (
        in_effect(ledger, sent_on)["share_with_un"] == "yes"
        and values.get("share_with_un") != "yes"
    ):
        assert warned
    if not any(c.purpose == "share_with_un" and c.value == "yes" and c.date <= sent_on
               for c in ledger):  # fmt: skip
        assert not warned
    if values.get("share_with_un") == "yes":
        assert not warned
    if warned:
        text = next(w.text for w in plan.warnings if w.id == WITHDRAWAL_WARNING)
        assert KB.safety.purpose_labels["share_with_un"] in text
        assert "share_with_un" not in text


# -- round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_answers_to_case_to_plan_is_the_plan_of_the_answers(
    tmp_path: Path, keys: tuple[Path, str], example: Path
) -> None:
    path = new_case(tmp_path, keys, example)
    code, from_case = run("plan", path, "--identity", keys[0], "--as-of", AS_OF, "-f", "json")
    assert code == 0, from_case
    code, direct = run("plan", example, "--as-of", AS_OF, "-f", "json")
    assert code == 0, direct
    assert from_case == direct


def test_a_case_file_is_age_and_never_plain(tmp_path: Path, keys: tuple[Path, str]) -> None:
    """The real `age` opens it with the key; nothing else is left in the folder."""
    path = new_case(tmp_path, keys, EXAMPLES[0])
    assert path.read_bytes().startswith(b"age-encryption.org/v1\n")
    plain = subprocess.run(
        [need_age(), "-d", "-i", str(keys[0]), str(path)], capture_output=True, check=True
    ).stdout
    doc = json.loads(plain)
    assert doc["schema"] == "reprisal-cli/case/v1" and doc["revision"] == 1
    assert list(doc) == [
        "schema",
        "case_id",
        "revision",
        "answers",
        "history",
        "consent",
        "incidents",
        "actions",
        "outputs",
    ]
    assert "consent" not in doc["answers"]  # consent lives in the ledger only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.age"]


@pytest.mark.slow  # slow: scrypt, several times (about 10 s); the slow step runs it
def test_a_passphrase_case_round_trips(tmp_path: Path) -> None:
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    path = tmp_path / "c.age"
    code, out = run("case", "new", path, "--answers", EXAMPLES[0], "--passphrase-file", pw)
    assert code == 0, out
    code, out = run("case", "show", path, "--passphrase-file", pw, "--as-of", AS_OF)
    assert code == 0 and "revision 1" in out
    bad = tmp_path / "bad"
    bad.write_text("wrong horse\n", encoding="utf-8")
    code, out = run("case", "show", path, "--passphrase-file", bad)
    assert code == 1 and "wrong passphrase" in out


# -- the commands -------------------------------------------------------------------------


def test_a_caseworkers_week(tmp_path: Path, keys: tuple[Path, str]) -> None:
    """new, consent, action, incident, followup, revoke, plan: each change one revision."""
    key, public = keys
    path = new_case(tmp_path, keys)
    k = ["--identity", key, "--recipient", public]
    steps = [
        [
            "case",
            "consent",
            path,
            "share_with_un",
            "yes",
            "--given-by",
            "person",
            "--how",
            "oral",
            "--explained-in",
            "ar",
            "--date",
            "2026-03-01",
            *k,
        ],
        [
            "case",
            "action",
            path,
            "sp_communications",
            "--type",
            "communication",
            "--date",
            "2026-03-02",
            "--next",
            "2026-04-01",
            "--reference",
            "UA-1",
            "--purpose",
            "share_with_un",
            *k,
        ],
        [
            "case",
            "incident",
            path,
            "threats",
            "--date",
            "2026-03-20",
            "--linked-to",
            "special_procedures",
            *k,
        ],
        [
            "case",
            "answer",
            path,
            "--set",
            "reprisals=threats,surveillance",
            "--set",
            "stage=reprisal_suffered",
            "--set",
            "engagement=special_procedures",
            "--as-of",
            "2026-03-21",
            *k,
        ],
    ]
    for args in steps:
        code, out = run(*args)
        assert code == 0, out
    code, out = run("followup", tmp_path, "--identity", key, "--as-of", AS_OF, "-f", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["schema"] == "reprisal-cli/followup/v1"
    kinds = [(i["kind"], i["due"]) for i in report["items"]]
    assert ("action", "2026-04-01") in kinds
    overdue = [i["overdue_days"] for i in report["items"]]
    assert overdue == sorted(overdue, reverse=True)

    code, out = run(
        "case", "consent", path, "share_with_un", "--revoke", "--date", "2026-04-10", *k
    )
    assert code == 0, out
    code, out = run("plan", path, "--identity", key, "--as-of", AS_OF, "-f", "json")
    plan = json.loads(out)
    assert plan["warnings"][0]["id"] == WITHDRAWAL_WARNING
    assert "Special procedures" in plan["warnings"][0]["text"]
    gates = {w["id"]: w["gate"] for w in plan["withheld"]}
    assert gates.get("notify_special_procedures") == "consent_revoked"
    assert not any(s["shares_with_un"] for s in plan["steps"])
    # Before the withdrawal, the same case gives the step, and says the consent was withdrawn.
    args = ["plan", str(path), "--identity", str(key), "--as-of", "2026-04-05", "-f", "json"]
    earlier = runner.invoke(app, args)
    assert "notify_special_procedures" in [s["id"] for s in json.loads(earlier.stdout)["steps"]]
    assert "share_with_un on 2026-04-10" in earlier.stderr

    opened = read_case(path, CaseKey(identities=(_secret(key),)))
    assert opened.case.revision == 6
    assert [h.date.isoformat() for h in opened.case.history] == ["2026-03-01", "2026-03-21"]


def test_answers_that_keep_a_no_leave_the_withdrawal_in_force(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`case answer --answers` with the "no" a withdrawn consent reads as adds nothing to the
    ledger: the plan still withholds under `consent_revoked` and lists what was sent before."""
    key, public = keys
    path = new_case(tmp_path, keys)
    k = ["--identity", key, "--recipient", public]
    WHO = ["--given-by", "person", "--how", "written", "--explained-in", "en"]  # noqa: N806
    for args in (
        ["consent", path, "share_with_un", "yes", "--date", "2026-03-01", *WHO],
        ["consent", path, "share_with_un", "--revoke", "--date", "2026-03-10"],
    ):
        code, out = run("case", *args, *k)
        assert code == 0, out
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\n"
        "engagement: [special_procedures]\nstage: reprisal_suffered\nreprisals: [threats]\n"
        'consent_share_with_un: "no"\n',
        encoding="utf-8",
    )
    code, out = run("case", "answer", path, "--answers", answers, "--as-of", "2026-03-20", *k)
    assert code == 0, out
    ledger = read_case(path, CaseKey(identities=(_secret(key),))).case.consent
    assert [(c.value, c.revoked) for c in ledger] == [("yes", dt.date(2026, 3, 10))]
    code, out = run("plan", path, "--identity", key, "--as-of", "2026-03-21", "-f", "json")
    plan = json.loads(out)
    assert {w["gate"] for w in plan["withheld"] if w["id"] == "notify_special_procedures"} == {
        "consent_revoked"
    }


WITHDRAWN = [["share_with_un", "yes", "--date", "2026-03-01"],
             ["share_with_un", "--revoke", "--date", "2026-03-10"]]  # fmt: skip


@pytest.mark.parametrize(
    ("ledger", "consent", "says"),
    [
        # the file gives again a consent withdrawn since (red team 2026-12-03: re-importing an
        # old answers file after `case consent --revoke` made the next draft fully named)
        (WITHDRAWN, 'consent:\n  share_with_un: "yes"\n  date: 2026-02-20\n', "holds withdrawn"),
        (WITHDRAWN, 'consent_share_with_un: "undecided"\n', "holds withdrawn"),
        # ... or a purpose that follows the withdrawn UN consent (second red team)
        (WITHDRAWN, 'consent:\n  share_with_regional: "yes"\n  share_with_states: "yes"\n',
         "holds withdrawn"),
        # an old file, dated or not, over a refusal the ledger records since
        ([["publicity", "no", "--date", "2026-03-05"]],
         'consent:\n  publicity: "yes"\n  date: 2026-03-01\n', "holds 'no'"),
        ([["share_with_un", "no", "--date", "2026-03-05"]], 'consent_share_with_un: "yes"\n',
         "holds 'no'"),
        ([["share_with_un", "undecided", "--date", "2026-03-05"]],
         'consent_share_with_un: "yes"\n', "holds 'undecided'"),
        # a date after today: a typo must not keep a refusal out of force (nor bring a consent
        # into force by itself on a day nobody asked the person: red team red36)
        ([], 'consent:\n  share_with_un: "no"\n  date: 2027-03-01\n', "is after today"),
    ],
)  # fmt: skip
def test_an_answers_file_cannot_undo_a_withdrawal_or_a_later_refusal(
    tmp_path: Path, keys: tuple[Path, str], ledger: list[list[str]], consent: str, says: str
) -> None:
    key, public = keys
    path = new_case(tmp_path, keys)
    k = ["--identity", key, "--recipient", public]
    who = ["--given-by", "person", "--how", "written", "--explained-in", "en"]
    for args in ledger:
        extra = who if "--revoke" not in args else []
        code, out = run("case", "consent", path, *args, *extra, *k)
        assert code == 0, out
    before = read_case(path, CaseKey(identities=(_secret(key),))).case
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nengagement: [special_procedures]\n"
        "stage: reprisal_suffered\nreprisals: [threats, detention]\n" + consent,
        encoding="utf-8",
    )
    code, out = run("case", "answer", path, "--answers", answers, "--as-of", "2026-03-20", *k)
    assert code == 1 and says in out, out
    if says != "is after today":  # the file's consent is refused for the ledger's sake
        assert "case consent" in out, out
    after = read_case(path, CaseKey(identities=(_secret(key),))).case
    assert after == before  # nothing written


def test_a_consent_given_again_in_an_answers_file_is_said(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A consent an answers file changes (no withdrawal, no later record) is recorded and said
    on standard error, never changed unnoticed."""
    key, public = keys
    path = new_case(tmp_path, keys)
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nengagement: [special_procedures]\n"
        'reprisals: [threats]\nconsent_share_with_un: "yes"\n',
        encoding="utf-8",
    )
    k = ["--identity", key, "--recipient", public, "--as-of", "2026-03-20"]
    result = runner.invoke(
        app, [str(a) for a in ("case", "answer", path, "--answers", answers, *k)]
    )
    assert result.exit_code == 0, result.output
    assert "Consent recorded from the answers file: share_with_un yes (2026-03-20)" in result.stderr


def _secret(key: Path) -> str:
    return next(line for line in key.read_text().splitlines() if line.startswith("AGE-SECRET"))


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["action", "nobody_by_that_id", "--type", "communication"], 2, "not a mechanism"),
        (["action", "sp_communications", "--type", "telegram"], 2, "--type"),
        (["consent", "share_with_un", "yes", "--given-by", "person"], 2, "--how"),
        (["consent", "publicity", "--revoke"], 2, "nothing to withdraw"),
        (["incident", "alien_abduction"], 2, "TYPE"),
        (["answer", "--set", "consent_publicity=yes"], 2, "consent ledger"),
        (["answer", "--set", "stage=sleeping"], 1, "stage"),
        (
            ["action", "sp_communications", "--type", "communication", "--purpose", "publicity"],
            2,
            "no consent in force",
        ),
    ],
)
def test_errors_a_user_can_act_on(
    tmp_path: Path, keys: tuple[Path, str], args: list[str], code: int, says: str
) -> None:
    path = new_case(tmp_path, keys)
    before = path.read_bytes()
    result, out = run("case", args[0], path, *args[1:], "--identity", keys[0])
    assert result == code, out
    assert says in out and "Traceback" not in out
    assert path.read_bytes() == before


def test_new_never_replaces_and_needs_an_age_name(tmp_path: Path, keys: tuple[Path, str]) -> None:
    path = new_case(tmp_path, keys)
    code, out = run("case", "new", path, "--recipient", keys[1])
    assert code == 4 and "already exists" in out
    code, out = run("case", "new", tmp_path / "case.json", "--recipient", keys[1])
    assert code == 2 and ".age" in out


def test_a_team_member_is_never_silently_dropped(tmp_path: Path, keys: tuple[Path, str]) -> None:
    other_key, other = age_keypair(
        tmp_path / "other" if (tmp_path / "other").mkdir() is None else tmp_path
    )
    path = tmp_path / "team.age"
    code, out = run("case", "new", path, "--recipient", keys[1], "--recipient", other)
    assert code == 0, out
    code, out = run("case", "incident", path, "threats", "--identity", keys[0])
    assert code == 2 and "2 keys" in out
    code, out = run(
        "case",
        "incident",
        path,
        "threats",
        "--identity",
        keys[0],
        "--recipient",
        keys[1],
        "--recipient",
        other,
    )
    assert code == 0, out
    code, out = run("case", "show", path, "--identity", other_key)
    assert code == 0 and "revision 2" in out


# -- concurrency and kills ----------------------------------------------------------------


def test_a_writer_that_read_an_older_revision_is_refused(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    key = CaseKey(identities=(_secret(keys[0]),))
    path = tmp_path / "c.age"
    create_case(
        path,
        CaseFile(answers={}, history=(HistoryEntry(date=dt.date(2026, 1, 1), answers={}),)),
        key,
    )
    first, second = read_case(path, key), read_case(path, key)
    save_case(first, replace(first.case, case_id="first"), key)
    with pytest.raises(CaseChangedError) as raised:
        save_case(second, replace(second.case, case_id="second"), key)
    assert raised.value.exit_code == 4
    assert "revision 1 was read, the file now holds revision 2" in raised.value.render()
    assert read_case(path, key).case.case_id == "first"


def _stalled(delay_us: int) -> list[str]:
    import shutil

    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (apt-get install strace)")
    return [
        strace,
        "-f",
        "-qq",
        "-o",
        os.devnull,
        "-e",
        "trace=fsync",
        "-e",
        f"inject=fsync:delay_enter={delay_us}",
    ]


def _tool(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "reprisal_cli", *map(str, args)]


def _writing(tracer: int, folder: Path) -> int:
    """The traced command's pid once it holds a file open inside `folder` (its new case file,
    staged without a name, stalled in fsync)."""
    deadline = time.monotonic() + 120
    inside = str(folder) + "/"
    while time.monotonic() < deadline:
        for child in Path(f"/proc/{tracer}/task/{tracer}/children").read_text().split():
            try:
                fds = [str(fd.readlink()) for fd in Path(f"/proc/{child}/fd").iterdir()]
            except OSError:
                continue
            if any(fd.startswith(inside) for fd in fds):
                return int(child)
        time.sleep(0.02)
    pytest.fail("the command never opened its output")


@pytest.mark.slow
def test_two_processes_write_at_once_and_one_is_refused(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A reads revision 1 and stalls while writing; B reads revision 1 too, then waits for A:
    B must be refused (exit 4), and A's change kept."""
    path = new_case(tmp_path, keys)
    k = ["--identity", keys[0]]
    slow = subprocess.Popen(
        [*_stalled(4_000_000), *_tool("case", "incident", path, "threats", *k)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _writing(slow.pid, tmp_path)
    second = cli("case", "incident", path, "detention", *k, timeout=120)
    assert slow.wait(timeout=120) == 0
    assert second.returncode == 4, second.stderr
    assert b"changed since it was read" in second.stderr
    case = read_case(path, CaseKey(identities=(_secret(keys[0]),))).case
    assert case.revision == 2 and [i.type for i in case.incidents] == ["threats"]


@pytest.mark.slow
def test_kill_9_while_saving_keeps_the_old_case(tmp_path: Path, keys: tuple[Path, str]) -> None:
    path = new_case(tmp_path, keys)
    before = path.read_bytes()
    tracer = subprocess.Popen(
        [*_stalled(2_000_000), *_tool("case", "incident", path, "threats", "-i", keys[0])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.kill(_writing(tracer.pid, tmp_path), signal.SIGKILL)
    tracer.wait(timeout=60)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.age"]
    assert read_case(path, CaseKey(identities=(_secret(keys[0]),))).case.revision == 1


# -- followup -----------------------------------------------------------------------------


def test_followup_orders_most_overdue_first_and_writes_nothing(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    folder = tmp_path / "caseload"
    folder.mkdir()
    for name, nxt in (("a.age", "2026-04-10"), ("b.age", "2026-03-20"), ("c.age", "2026-05-01")):
        path = folder / name
        assert run("case", "new", path, "--recipient", keys[1], "--as-of", "2026-04-14")[0] == 0
        code, out = run(
            "case",
            "action",
            path,
            "ohchr_reprisals_senior_official",
            "--type",
            "communication",
            "--date",
            "2026-03-01",
            "--next",
            nxt,
            "-i",
            keys[0],
        )
        assert code == 0, out
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out = run("followup", folder, "-i", keys[0], "--as-of", AS_OF, "-f", "json")
    assert code == 0, out
    items = json.loads(out)["items"]
    assert [(i["case"], i["overdue_days"]) for i in items if i["kind"] == "action"] == [
        ("b.age", 26),
        ("a.age", 5),
    ]
    code, csv_out = run("followup", folder, "-i", keys[0], "--as-of", AS_OF, "-f", "csv")
    assert csv_out.splitlines()[0] == "case,case_id,kind,what,to,due,overdue_days"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    # A closed action is no longer due; a case changed recently is not due for reassessment.
    assert all(i["kind"] == "action" for i in items)


_forks: list[int] = []
os.register_at_fork(before=lambda: _forks.append(1))


def test_followup_reads_a_large_caseload_in_workers_with_the_same_list(
    tmp_path: Path, keys: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From `PARALLEL_FROM` files per core, worker processes read the caseload (the batch's
    pool): the list, the errors, the withdrawal warnings and the exit code are those of the
    reading in one process, in the same order."""
    from reprisal_cli.case.model import Action
    from reprisal_cli.cli import followup as command
    from reprisal_cli.workers import default_jobs

    folder = tmp_path / "caseload"
    folder.mkdir()
    key = CaseKey(recipients=(keys[1],))
    given = ConsentRecord(purpose="share_with_un", value="yes", date=dt.date(2026, 1, 1))
    files = 2 * command.PARALLEL_FROM + 7
    for n in range(files):
        ledger = (given,) if n % 3 else (replace(given, revoked=dt.date(2026, 4, 20)),)
        actions = tuple(
            Action(date=dt.date(2026, 1, 1 + k), to="sp_communications", type="communication",
                   reference=f"UA {n}/{k}", next=dt.date(2026, 2, 1 + (n * 7 + k) % 27))
            for k in range(n % 4)
        )  # fmt: skip
        case = CaseFile(answers={"schema": "reprisal-cli/answers/v1.1"}, consent=ledger,
                        actions=actions)  # fmt: skip
        create_case(folder / f"c{n:04}.age", case, key)
    (folder / "c0100-junk.age").write_bytes(b"not age at all")
    args = ["followup", str(folder), "-i", str(keys[0]), "--as-of", AS_OF, "-f", "json"]
    _forks.clear()
    parallel = runner.invoke(app, args)
    if default_jobs() > 1:
        assert 0 < len(_forks) <= default_jobs()
    monkeypatch.setattr(command, "PARALLEL_FROM", 10**9)
    _forks.clear()
    serial = runner.invoke(app, args)
    assert _forks == []
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr
    assert "c0100-junk.age" in serial.stderr and "not an age-encrypted file" in serial.stderr
    assert serial.stderr.count("consent was withdrawn") == len(range(0, files, 3))
    assert len(json.loads(serial.stdout)["items"]) > files


def test_followup_reports_a_case_it_cannot_open_and_goes_on(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    new_case(tmp_path, keys)
    (tmp_path / "junk.age").write_bytes(b"not age at all")
    code, out = run("followup", tmp_path, "-i", keys[0], "--as-of", AS_OF, "-f", "json")
    assert code == 1
    assert "junk.age" in out and "not an age-encrypted file" in out


def test_followup_today_says_not_to_share_where_consent_is_withdrawn_or_missing(
    tmp_path: Path, keys: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`followup` (today) on a case whose UN consent was withdrawn: a follow-up to a UN body, and
    to an embassy (States follow the UN consent when not asked), says the consent is withdrawn and
    not to send the case's details; a regional body the person said yes to on its own, and an
    organisation (no consent purpose), get no note; a case with no consent recorded says so."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    today = dt.date.today()

    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    key, public = keys
    k = ["-i", key, "--recipient", public]
    path = tmp_path / "case.age"
    assert run("case", "new", path, "--recipient", public, "--as-of", day(60))[0] == 0
    for purpose in ("share_with_un", "share_with_regional"):
        code, out = run("case", "consent", path, purpose, "yes", "--given-by", "person", "--how",
                        "oral", "--explained-in", "fr", "--date", day(60), *k)  # fmt: skip
        assert code == 0, out
    for to in ("ohchr_reprisals_senior_official", "diplomatic_missions",
               "achpr_sr_hrd_reprisals", "front_line_defenders"):  # fmt: skip
        code, out = run("case", "action", path, to, "--type", "communication", "--date", day(50),
                        "--next", day(20), *k)  # fmt: skip
        assert code == 0, out
    code, out = run("case", "consent", path, "share_with_un", "--revoke", "--date", day(10), *k)
    assert code == 0, out

    code, out = run("followup", tmp_path, "-i", key, "-f", "json")
    assert code == 0, out
    what = {i["to"]: i["what"] for i in json.loads(out)["items"] if i["kind"] == "action"}
    plain = f"follow up: communication of {day(50)}"
    withdrawn = f"consent to passing details to UN bodies withdrawn on {day(10)}: do not send"
    assert what["ohchr_reprisals_senior_official"].startswith(plain + " — " + withdrawn)
    assert what["diplomatic_missions"].startswith(
        f"{plain} — consent to telling diplomats or other States withdrawn on {day(10)} with the "
        "UN consent"
    )
    assert "write only to say consent is withdrawn" in what["diplomatic_missions"]
    assert what["achpr_sr_hrd_reprisals"] == plain
    assert what["front_line_defenders"] == plain
    # Before the withdrawal, the consent was in force: no note.
    args = ["followup", str(tmp_path), "-i", str(key), "--as-of", day(15), "-f", "json"]
    earlier = runner.invoke(app, args)
    assert earlier.exit_code == 0, earlier.output
    assert all(" — " not in i["what"] for i in json.loads(earlier.stdout)["items"])

    # No consent recorded at all: ask first.
    other = tmp_path / "other"
    other.mkdir()
    path = other / "case.age"
    assert run("case", "new", path, "--recipient", public, "--as-of", day(60))[0] == 0
    code, out = run("case", "action", path, "sp_communications", "--type", "communication",
                    "--date", day(50), "--next", day(20), *k)  # fmt: skip
    assert code == 0, out
    code, out = run("followup", other, "-i", key, "-f", "csv")
    assert (
        "no consent to passing details to UN bodies recorded: ask the person before sending" in out
    )


def test_show_says_regional_and_states_consent_follow_a_withdrawn_un_consent(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`case show`: regional bodies and States not asked on their own follow the UN consent
    (contract §1), so once it is withdrawn they are withdrawn too, as `answers_on` reads them,
    never "not recorded"; one asked on its own keeps its own answer."""
    key, public = keys
    path = new_case(tmp_path, keys)
    k = ["-i", key, "--recipient", public]
    for purpose in ("share_with_un", "share_with_states"):
        code, out = run("case", "consent", path, purpose, "yes", "--given-by", "person", "--how",
                        "oral", "--explained-in", "ar", "--date", "2026-03-01", *k)  # fmt: skip
        assert code == 0, out
    code, out = run(
        "case", "consent", path, "share_with_un", "--revoke", "--date", "2026-04-10", *k
    )
    assert code == 0, out

    code, out = run("case", "show", path, "-i", key, "--as-of", "2026-04-05")
    assert (
        "[share_with_regional]: not asked on its own: follows passing details to UN bodies "
        "[share_with_un] (yes)\n"
    ) in out
    code, out = run("case", "show", path, "-i", key, "--as-of", AS_OF)
    assert code == 0, out
    assert "[share_with_un]: withdrawn on 2026-04-10\n" in out
    assert (
        "[share_with_regional]: withdrawn with passing details to UN bodies [share_with_un] (not "
        "asked on its own): withdrawn on 2026-04-10\n"
    ) in out
    assert "[share_with_states]: yes\n" in out
    case = read_case(path, CaseKey(identities=(_secret(key),))).case
    read = answers_on(case, dt.date.fromisoformat(AS_OF))
    assert read.revoked == ("share_with_un", "share_with_regional")


def test_answers_on_reads_no_consent_from_old_answers() -> None:
    """A case whose answers still said yes, with a ledger that says nothing: no consent."""
    case = CaseFile(answers={"schema": "reprisal-cli/answers/v1.1"}, consent=())
    answers = answers_on(case, dt.date(2026, 4, 1))
    assert answers.consent_publicity is None and answers.consent_share_with_un is None


def test_draft_and_card_read_a_case_with_the_consent_in_force(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    path = new_case(tmp_path, keys, EXAMPLES[0])
    for purpose in ("share_with_un", "publicity"):
        code, out = run(
            "case",
            "consent",
            path,
            purpose,
            "yes",
            "--given-by",
            "person",
            "--how",
            "written",
            "--explained-in",
            "en",
            "--date",
            "2026-03-01",
            "-i",
            keys[0],
        )
        assert code == 0, out
    code, named = run("draft", path, "-i", keys[0], "--to", "mechanism", "--as-of", AS_OF)
    assert code == 0 and "Draft message (anonymous)" not in named
    code, out = run(
        "case", "consent", path, "share_with_un", "--revoke", "-i", keys[0], "--date", "2026-04-01"
    )
    assert code == 0, out
    code, after = run("draft", path, "-i", keys[0], "--to", "mechanism", "--as-of", AS_OF)
    assert code == 0 and "Draft message (anonymous)" in after
    code, card = run("card", path, "-i", keys[0], "--format", "txt", "--as-of", AS_OF)
    assert code == 0 and "EMERGENCY CARD" in card


def test_followup_recommends_a_team_key_for_many_passphrase_files(tmp_path: Path) -> None:
    """The note is decided from the files' headers (scrypt stanzas), before any is opened:
    headers alone are enough to show it, without ten seconds of scrypt in a test."""
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    for n in range(10):
        (tmp_path / f"c{n}.age").write_bytes(
            b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 2\nAAAA\n--- AAAA\n"
        )
    result = cli("followup", tmp_path, "--passphrase-file", pw, "--as-of", AS_OF)
    assert result.returncode == 1  # none of them opens: each is reported
    assert b"10 case files are locked with a passphrase" in result.stderr
    assert b"team key" in result.stderr
    assert b"Traceback" not in result.stderr


def test_incidents_that_escalate_raise_the_risk_and_say_why(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Two incidents linked to the Special Procedures within a month, one graver than anything
    in the answers: the level goes up a step (never to critical), reassessment comes sooner,
    and the threats say why; the same answers without incidents do not."""
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "schema: reprisal-cli/answers/v1.1\nstage: reprisal_suffered\nreprisals: [smear_campaign]\n"
        "location: abroad\nimmediate_danger: false\n",
        encoding="utf-8",
    )
    path = new_case(tmp_path, keys, answers)
    code, out = run("plan", path, "-i", keys[0], "--as-of", AS_OF, "-f", "json")
    calm = json.loads(out)["risk"]
    for day, kind in (("2026-03-20", "threats"), ("2026-04-02", "physical_attack")):
        code, out = run(
            "case",
            "incident",
            path,
            kind,
            "--date",
            day,
            "--linked-to",
            "special_procedures",
            "-i",
            keys[0],
        )
        assert code == 0, out
    code, out = run("plan", path, "-i", keys[0], "--as-of", AS_OF, "-f", "json")
    risk = json.loads(out)["risk"]
    order = ["low", "moderate", "high", "critical"]
    assert order.index(risk["level"]) == min(order.index(calm["level"]) + 1, 2)
    assert risk["reassess_after_days"] < calm["reassess_after_days"]
    why = next(t["text"] for t in risk["threats"] if t["id"] == "escalation")
    assert why == (
        "The incidents logged in the case show escalation: incidents logged in the last 90 days: "
        "2; graver than anything in the answers: Physical attack, Threats; incidents close "
        "together, linked to the same body: UN Special Rapporteurs or Working Groups."
    )
    # In the plan's language, every part of it (no English reason inside a French sentence).
    code, out = run("plan", path, "-i", keys[0], "--as-of", AS_OF, "-f", "json", "--lang", "fr")
    risk_fr = json.loads(out)["risk"]
    why_fr = next(t["text"] for t in risk_fr["threats"] if t["id"] == "escalation")
    assert why_fr.startswith("Les incidents consignés dans le dossier montrent une escalade : ")
    assert "derniers jours : 2 ; plus graves que tout ce qui figure" in why_fr, why_fr
    assert "Rapporteurs spéciaux" in why_fr or "rapporteurs spéciaux" in why_fr, why_fr
    code, out = run("followup", path, "-i", keys[0], "--as-of", AS_OF, "-f", "json")
    item = next(i for i in json.loads(out)["items"] if i["kind"] == "reassessment")
    assert f"every {risk['reassess_after_days']} days" in item["what"]


@pytest.mark.parametrize("which", ["case", "followup", "esf"])
def test_schema_prints_the_case_and_followup_formats(which: str) -> None:
    code, out = run("schema", which)
    assert code == 0, out
    schema = json.loads(out)
    assert schema["$id"] == f"reprisal-cli/{which}/v1"
    assert schema["properties"]["schema"]["const"] == f"reprisal-cli/{which}/v1"
    if which == "case":
        fields = [
            "schema",
            "case_id",
            "revision",
            "answers",
            "history",
            "consent",
            "incidents",
            "actions",
            "outputs",
        ]
        assert list(schema["properties"]) == fields
        assert "HURIDOCS" in schema["$defs"]["Action"]["description"]


def test_plan_reads_an_encrypted_answers_file_too(tmp_path: Path, keys: tuple[Path, str]) -> None:
    """An answers file encrypted with the real `age` to a key: plan gives the same plan."""
    locked = tmp_path / "answers.yaml.age"
    subprocess.run([need_age(), "-r", keys[1], "-o", str(locked), str(EXAMPLES[0])], check=True)
    code, out = run("plan", locked, "-i", keys[0], "--as-of", AS_OF, "-f", "json")
    assert code == 0, out
    assert out == run("plan", EXAMPLES[0], "--as-of", AS_OF, "-f", "json")[1]


@pytest.mark.slow
def test_rekey_moves_a_passphrase_case_to_the_team_key(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    path = tmp_path / "c.age"
    assert run("case", "new", path, "--passphrase-file", pw)[0] == 0
    code, out = run("case", "rekey", path, "--passphrase-file", pw, "--recipient", keys[1])
    assert code == 0, out
    code, out = run("case", "show", path, "-i", keys[0])
    assert code == 0 and "revision 2" in out
    assert b"scrypt" not in path.read_bytes()[:200]


# -- export and import ----------------------------------------------------------------------


def letter_and_meeting(to: str, reference: str, **more: Any) -> tuple[Any, ...]:
    """A letter to `to` (a knowledge-base id, or not) and a meeting with an organisation."""
    from reprisal_cli.case.model import Action

    return (
        Action(date=dt.date(2026, 1, 3), to=to, type="communication", reference=reference, **more),
        Action(date=dt.date(2026, 1, 4), to="front_line_defenders", type="meeting"),
    )


@settings(max_examples=60, deadline=None)
@given(ledgers(), st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 5, 1)))
def test_an_export_holds_nothing_whose_purpose_lacks_live_consent(
    ledger: tuple[ConsentRecord, ...], day: dt.date
) -> None:
    from reprisal_cli.case.export import export_esf, import_esf
    from reprisal_cli.case.model import Action, Incident

    case = CaseFile(
        case_id="Zq7-secret-id",
        answers={
            "schema": "reprisal-cli/answers/v1.1",
            "notes": "Zq7 secret notes",
            "stage": "reprisal_suffered",
        },
        consent=ledger,
        incidents=(Incident(date=dt.date(2026, 1, 2), type="threats", note="Zq7 note"),),
        actions=(
            *letter_and_meeting("sp_communications", "Zq7-ref"),
            Action(date=dt.date(2026, 1, 5), to="diplomatic_missions", type="meeting"),
            Action(date=dt.date(2026, 1, 6), to="sg_reprisals_report", type="communication"),
        ),
    )
    doc = export_esf(case, KB, day)
    text = json.dumps(doc)
    values, revoked = consent_on(ledger, day)
    if values.get("publicity") != "yes":
        assert "Zq7" not in text
    sent_to = [i["intervening_with"] for i in doc["event"]["interventions"]]
    # The case as of `day`: nothing recorded after it (said in left_out), so import takes it.
    assert all(i["date"] <= day.isoformat() for i in doc["event"]["interventions"])
    assert all(a["date"] <= day.isoformat() for a in doc["event"]["acts"])
    if day >= dt.date(2026, 1, 4):  # the meeting with an organisation: no consent needed
        assert "front_line_defenders" in sent_to
    else:
        assert any("dated after" in line for line in doc["left_out"])
    if "sp_communications" in sent_to:
        assert values.get("share_with_un") == "yes" and "share_with_un" not in revoked
    if "diplomatic_missions" in sent_to:  # an embassy: consent to share with States
        assert "share_with_states" not in revoked
        if "share_with_states" in values:  # asked on its own
            assert values["share_with_states"] == "yes"
        else:  # not asked: it follows the UN consent (contract §1)
            assert values.get("share_with_un") == "yes" and "share_with_un" not in revoked
    if "sg_reprisals_report" in sent_to:  # the report: the UN consent and sg_report (gate 8)
        assert values.get("share_with_un") == "yes" and "share_with_un" not in revoked
        assert "sg_report" not in revoked
        if "sg_report" in values:
            assert values["sg_report"] in ("named", "anonymous")
        else:  # not asked: named with a yes to publicity, else undecided (contract §1)
            assert values.get("publicity") == "yes" and "publicity" not in revoked
    again = export_esf(import_esf(json.loads(text), "x"), KB, day)
    assert {**again, "left_out": []} == {**doc, "left_out": []}


def test_export_then_import_through_the_commands(tmp_path: Path, keys: tuple[Path, str]) -> None:
    path = new_case(tmp_path, keys, EXAMPLES[0])
    out_json = tmp_path / "esf.json"
    code, out = run("export", path, "-i", keys[0], "--as-of", AS_OF, "-o", out_json)
    assert code == 0, out
    code, out = run("export", path, "-i", keys[0], "-o", tmp_path / "esf.json.age")
    assert code == 2 and ".age" in out
    copy = tmp_path / "copy.age"
    code, out = run("import", out_json, "-o", copy, "--recipient", keys[1])
    assert code == 0, out
    code, again = run("export", copy, "-i", keys[0], "--as-of", AS_OF)
    first = json.loads(out_json.read_text(encoding="utf-8"))
    assert {**json.loads(again), "left_out": []} == {**first, "left_out": []}
    code, csv_out = run("export", path, "-i", keys[0], "-f", "uwazi-csv", "--as-of", AS_OF)
    assert code == 0 and csv_out.startswith("title,kind,date,type,with,status")
    (tmp_path / "bad.json").write_text('{"schema": "something else"}', encoding="utf-8")
    code, out = run("import", tmp_path / "bad.json", "-o", tmp_path / "x.age", "-r", keys[1])
    assert code == 1 and "reprisal-cli/esf/v1" in out


def test_the_readme_week_runs_as_written(tmp_path: Path) -> None:
    """README 'A caseworker's week with a case file': its commands, verbatim, in order."""
    import re
    import shutil

    need_age()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A caseworker's week with a case file", 1)[1].split("\n## ", 1)[0]
    script = "\n".join(re.findall(r"^    (.*)$", section, flags=re.M))
    assert "case new" in script and "--revoke" in script and "followup" in script
    (tmp_path / "cases").mkdir()
    shutil.copy(EXAMPLES[0], tmp_path / "answers.yaml")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "saved (revision 6)" in done.stderr
    assert "consent is withdrawn" in done.stdout


def given_then_withdrawn(
    tmp_path: Path, keys: tuple[Path, str], given: str, withdrawn: str
) -> Path:
    """A new case whose UN consent was given on `given`, then withdrawn on `withdrawn`."""
    key, public = keys
    path = new_case(tmp_path, keys)
    k = ["--identity", key, "--recipient", public]
    who = ["--given-by", "person", "--how", "written", "--explained-in", "en"]
    for args in (
        ["share_with_un", "yes", "--date", given, *who],
        ["share_with_un", "--revoke", "--date", withdrawn],
    ):
        code, out = run("case", "consent", path, *args, *k)
        assert code == 0, out
    return path


def test_a_draft_made_for_a_day_before_a_withdrawal_says_not_to_send_it(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A draft carries no date and is sent now: made from a case for a day before a withdrawal
    in its ledger, it says so first and follows the consent in force now (red teams
    2026-12-03): not named, and to no UN address."""
    key, _public = keys
    path = given_then_withdrawn(tmp_path, keys, "2026-03-01", "2026-03-10")
    result = runner.invoke(
        app, ["draft", str(path), "--identity", str(key), "--as-of", "2026-03-05", "-f", "txt"]
    )
    assert result.exit_code == 0, result.output
    assert "withdrawn or narrowed after the day asked for (2026-03-05)" in result.stderr
    assert "passing details to UN bodies (2026-03-10)" in " ".join(result.stdout.split())
    assert "follows the consent in force now" in " ".join(result.stdout.split())
    assert "No named draft" in result.stderr and "@ohchr.org" not in result.stdout
    today = runner.invoke(
        app, ["draft", str(path), "--identity", str(key), "--as-of", "2026-03-20", "-f", "txt"]
    )
    assert "withdrawn or narrowed after" not in today.stderr and "No named draft" in today.stderr
    # ... and says the consent was withdrawn, and how a new one is recorded (not "say yes")
    assert "was withdrawn" in today.stderr and "case consent" in today.stderr


def test_a_consent_or_a_withdrawal_cannot_be_dated_after_the_day(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A mistyped year would keep a refusal or a withdrawal out of force until then (red team
    2026-12-03): refused, nothing written."""
    key, public = keys
    path = new_case(tmp_path, keys)
    k = ["--identity", key, "--recipient", public, "--as-of", "2026-03-20"]
    who = ["--given-by", "person", "--how", "oral", "--explained-in", "en"]
    code, out = run(
        "case", "consent", path, "share_with_un", "no", "--date", "2027-03-01", *who, *k
    )
    assert code == 2 and "after 2026-03-20" in out, out
    code, out = run(
        "case", "consent", path, "share_with_un", "yes", "--date", "2026-03-01", *who, *k
    )
    assert code == 0, out
    code, out = run(
        "case", "consent", path, "share_with_un", "--revoke", "--date", "2027-01-01", *k
    )
    assert code == 2 and "after 2026-03-20" in out, out


def test_a_plan_or_export_for_a_day_before_a_withdrawal_warns_or_refuses(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """`--as-of` (or SOURCE_DATE_EPOCH) before a withdrawal: the plan says not to act on it;
    the export, which leaves the encrypted case as plain text, is refused (second red team
    2026-12-03: an export for an earlier day wrote notes the person had withdrawn)."""
    key, public = keys
    path = new_case(tmp_path, keys, EXAMPLES[0])
    k = ["--identity", key, "--recipient", public]
    code, out = run("case", "consent", path, "publicity", "--revoke", "--date", "2026-03-10", *k)
    assert code == 0, out
    ident = ["--identity", str(key)]
    before = runner.invoke(app, ["plan", str(path), *ident, "--as-of", "2026-03-05", "-f", "json"])
    assert before.exit_code == 0 and "withdrawn or narrowed after 2026-03-05" in before.stderr
    after = runner.invoke(app, ["plan", str(path), *ident, "--as-of", "2026-03-20", "-f", "json"])
    assert after.exit_code == 0 and "withdrawn or narrowed after" not in after.stderr
    # The plan itself says so, not only standard error: a plan saved now is read later (noted
    # 2026-12-03). A plan for a day after the withdrawal has no such warning.
    warned = json.loads(before.stdout)["warnings"][0]
    assert warned["id"] == "consent_withdrawn_after_as_of"
    assert warned["text"].startswith(
        "After 2026-03-05, the day this plan is made for, consent was withdrawn or narrowed: "
    )
    assert "making the case public (2026-03-10)" in warned["text"]
    ids = [w["id"] for w in json.loads(after.stdout)["warnings"]]
    assert "consent_withdrawn_after_as_of" not in ids
    saved = tmp_path / "plan.md"
    written = runner.invoke(
        app,
        ["plan", str(path), *ident, "--as-of", "2026-03-05", "--lang", "fr", "-o", str(saved)],
    )
    assert written.exit_code == 0, written.output
    assert "Après le 2026-03-05, jour pour lequel ce plan est établi, le consentement" in (
        saved.read_text("utf-8")
    )
    out_file = tmp_path / "esf.json"
    refused = runner.invoke(
        app, ["export", str(path), *ident, "--as-of", "2026-03-05", "-o", str(out_file)]
    )
    assert refused.exit_code == 2 and "publicity on 2026-03-10" in refused.output
    assert not out_file.exists()


def test_an_intervention_with_a_body_the_knowledge_base_lacks_is_never_taken_as_consented() -> None:
    """Red team 2026-12-03: an id the knowledge base does not have (an imported case, another
    release) read as "an organisation, no consent needed": exported with its reference, and
    followed up with no word about consent."""
    from reprisal_cli.case.export import export_esf
    from reprisal_cli.case.followup import due_items
    from reprisal_cli.render.followup import what

    case = CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered"},
        consent=(
            ConsentRecord(
                purpose="share_with_un",
                value="no",
                given_by="person",
                how="oral",
                date=dt.date(2026, 1, 1),
            ),
        ),
        actions=letter_and_meeting("sr_defenders", "UA 1/2026", next=dt.date(2026, 2, 1)),
    )
    doc = export_esf(case, KB, dt.date(2026, 3, 1))
    assert [i["intervening_with"] for i in doc["event"]["interventions"]] == [
        "front_line_defenders"
    ]
    assert any("sr_defenders is not in this knowledge base" in w for w in doc["left_out"])
    (item,) = due_items(case, "c.age", KB, dt.date(2026, 3, 1))[:1]
    assert "sr_defenders is not in this knowledge base: check which consent" in what(item)


@pytest.mark.parametrize(
    ("sg_report", "said"),
    [
        (
            "no",
            "consent to including the case in the Secretary-General's annual report on reprisals "
            "refused",
        ),
        (
            "undecided",
            "consent to including the case in the Secretary-General's annual report on reprisals "
            "not decided",
        ),
        ("anonymous", "inclusion in the report without their name only"),
        # Named is public: without a yes to publicity, not even recorded, the report may not
        # name the person (gates 1, 7 and 8); with it, nothing to say.
        ("named", "consent to publicity not recorded: the report may not name the person"),
        ("named+publicity", None),
    ],
)
def test_a_follow_up_to_the_secretary_generals_report_needs_the_report_consent(
    sg_report: str, said: str | None
) -> None:
    """Noted 2026-12-03: an action to the Secretary-General's report was followed up and exported
    on the UN consent alone, though the person said no to being in the report (gate 8)."""
    from reprisal_cli.case.export import export_esf
    from reprisal_cli.case.followup import due_items
    from reprisal_cli.render.followup import what

    given = [("share_with_un", "yes"), ("sg_report", sg_report.partition("+")[0])]
    if sg_report.endswith("+publicity"):
        given.append(("publicity", "yes"))
    ledger = tuple(
        ConsentRecord(purpose=p, value=v, given_by="person", how="oral", date=dt.date(2026, 1, 1))  # type: ignore[arg-type]
        for p, v in given
    )
    case = CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered"},
        consent=ledger,
        actions=letter_and_meeting("sg_reprisals_report", "R1", next=dt.date(2026, 2, 1)),
    )
    day = dt.date(2026, 3, 1)
    (item,) = due_items(case, "c.age", KB, day)[:1]
    sent = [i["intervening_with"] for i in export_esf(case, KB, day)["event"]["interventions"]]
    if said is None:
        assert what(item) == "follow up: communication of 2026-01-03 (R1)"
    else:
        assert said in what(item)
    assert ("sg_reprisals_report" in sent) is (sg_report not in {"no", "undecided"})


def test_a_consent_dated_before_a_withdrawal_is_refused(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Second red team 2026-12-03: a "yes" typed in late, dated between the consent and its
    withdrawal, became the record in force and undid the withdrawal."""
    key, public = keys
    path = given_then_withdrawn(tmp_path, keys, "2026-01-02", "2026-03-01")
    k = ["--identity", key, "--recipient", public]
    who = ["--given-by", "person", "--how", "written", "--explained-in", "en"]
    code, out = run("case", "consent", path, "share_with_un", "yes", "--date", "2026-01-15", *who,
                    *k)  # fmt: skip
    assert code == 2 and "withdrawn on 2026-03-01" in out and "on or after 2026-03-01" in out
    code, out = run("case", "consent", path, "share_with_un", "yes", "--date", "2026-03-02", *who,
                    *k)  # fmt: skip
    assert code == 0, out  # given again, after the withdrawal: recorded


@pytest.mark.parametrize(
    ("publicity", "said"), [("yes", None), ("no", "refused"), ("gone", "withdrawn")]
)
def test_a_follow_up_to_the_report_says_when_publicity_was_withdrawn_or_refused(
    publicity: str, said: str | None
) -> None:
    """Red team red25: with `sg_report: named` and the consent to publicity withdrawn (or
    refused), a follow-up to the Secretary-General's report said nothing, though being named in
    the report is public (contract §3 gates 1 and 8)."""
    from reprisal_cli.case.followup import due_items
    from reprisal_cli.render.followup import what

    day = dt.date(2026, 3, 1)
    ledger = [
        ConsentRecord(purpose=p, value=v, given_by="person", how="oral", date=dt.date(2026, 1, 1))  # type: ignore[arg-type]
        for p, v in (("share_with_un", "yes"), ("sg_report", "named"))
    ]
    ledger.append(
        ConsentRecord(
            purpose="publicity",
            value="no" if publicity == "no" else "yes",
            given_by="person",
            how="oral",
            date=dt.date(2026, 1, 1),
            revoked=dt.date(2026, 2, 10) if publicity == "gone" else None,
        )
    )
    case = CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered"},
        consent=tuple(ledger),
        actions=letter_and_meeting("sg_reprisals_report", "R1", next=dt.date(2026, 2, 1)),
    )
    (item,) = due_items(case, "c.age", KB, day)[:1]
    if said is None:
        assert what(item) == "follow up: communication of 2026-01-03 (R1)"
    else:
        assert f"consent to publicity {said}" in what(item)
        assert "may not name the person" in what(item)


def test_an_action_is_followed_up_by_a_later_one_to_the_same_body_in_one_pass() -> None:
    """Red team red25: each action searched the rest of the list, so a case file of 20,000
    actions took 36 s to list (one of 32 MiB, hours) and held up the whole caseload. The one
    pass gives what the search gave."""
    import random

    from reprisal_cli.case.followup import _followed_up
    from reprisal_cli.case.model import Action

    rng = random.Random(25)
    for _ in range(300):
        actions = tuple(
            Action(date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(6)),
                   to=rng.choice(("sp_communications", "wgad", "x")), type="communication")
            for _ in range(rng.randrange(8))
        )  # fmt: skip
        case = CaseFile(answers={"schema": "reprisal-cli/answers/v1.1"}, actions=actions)
        searched = [
            any(a.to == b.to and a.date > b.date for a in actions[n + 1 :])
            for n, b in enumerate(actions)
        ]
        assert _followed_up(case) == searched


def test_followup_on_the_calendars_last_days_is_no_traceback() -> None:
    """Red team red25: `--as-of 9999-12-31` over a case last changed in its last days raised
    OverflowError (a traceback, and in worker processes the whole caseload's run)."""
    from reprisal_cli.case.followup import due_items

    case = CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "reprisals": ["threats"]},
        history=(HistoryEntry(date=dt.date(9999, 12, 30), answers={}),),
    )
    assert due_items(case, "c.age", KB, dt.date(9999, 12, 31)) == []
    case = replace(case, history=(HistoryEntry(date=dt.date(9999, 1, 1), answers={}),))
    (item,) = due_items(case, "c.age", KB, dt.date(9999, 12, 31))
    assert item.kind == "reassessment"


def test_a_case_with_an_endless_consent_ledger_is_refused_with_a_reason() -> None:
    """Red team red25: which consent was withdrawn after a day is worked out in time that grows
    with the square of the ledger; a hostile case of 5,000 records took 8 s in followup, one of
    32 MiB would have held up a caseload for hours. A ledger is at most 1,000 records, and a
    longer one is an answers error that names the field."""
    from reprisal_cli.case.model import MAX_CONSENT_RECORDS, load_case_data
    from reprisal_cli.errors import AnswersError

    record = {"purpose": "share_with_un", "value": "yes", "date": "2026-01-01"}
    data = {"schema": "reprisal-cli/case/v1", "answers": {"schema": "reprisal-cli/answers/v1.1"}}
    full = load_case_data({**data, "consent": [record] * MAX_CONSENT_RECORDS}, "c.age")
    assert len(full.consent) == MAX_CONSENT_RECORDS
    with pytest.raises(AnswersError) as caught:
        load_case_data({**data, "consent": [record] * (MAX_CONSENT_RECORDS + 1)}, "c.age")
    assert "consent" in str(caught.value) and "1000" in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(ledgers(), DAYS, st.integers(0, 60))
def test_from_today_on_a_record_dated_later_narrows_and_never_opens(
    ledger: tuple[ConsentRecord, ...], day: dt.date, ahead: int
) -> None:
    """Red team 2026-12-04: a "no" a colleague a time zone ahead dated tomorrow left the "yes"
    in force today. For a day that is today or later, each purpose reads the narrower of the
    consent in force then and the ledger's last word, never more open than either; for a past
    day, the ledger as it was (contract §7). For a day after today, never more open than today
    either (red team red27: a "yes" dated between today and `--as-of` opened a draft made now).
    """
    from reprisal_cli.case.model import OPENNESS, effect_now, in_effect, ledger_end

    def rank(value: str | None) -> int:
        return OPENNESS[value or "no"]

    then = in_effect(ledger, day)
    end = ledger_end(ledger)
    last = in_effect(ledger, end) if end is not None else then
    today = day - dt.timedelta(days=ahead)
    present = in_effect(ledger, today)
    now = effect_now(ledger, day, today=today)
    assert effect_now(ledger, day, today=day + dt.timedelta(days=1)) == then
    for purpose in CONSENT_PURPOSES:
        assert rank(now[purpose]) <= rank(then[purpose]), purpose
        assert rank(now[purpose]) <= rank(present[purpose]), purpose
        if end is not None and end > day:
            assert rank(now[purpose]) <= rank(last[purpose]), purpose
        assert now[purpose] in (then[purpose], last[purpose], present[purpose]), purpose


def test_answers_for_now_follow_a_withdrawal_dated_tomorrow() -> None:
    """The case's answers an output made now reads (a draft, a card, a prefill): a withdrawal a
    colleague a time zone ahead dated tomorrow is followed today (red team 2026-12-04)."""
    from reprisal_cli.cli.reading import answers_for_now

    today = dt.date.today()
    who: dict[str, Any] = {"given_by": "person", "how": "oral"}
    ago, ahead = today - dt.timedelta(30), today + dt.timedelta(1)
    case = CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered"},
        consent=(
            ConsentRecord(purpose="share_with_un", value="yes", date=ago, **who),
            ConsentRecord(purpose="publicity", value="yes", date=ago, **who),
            ConsentRecord(purpose="share_with_un", value="no", date=ahead, **who),
        ),
    )  # fmt: skip
    answers, withdrawn = answers_for_now(None, case, today, "c.age")
    assert next(iter(withdrawn.items())) == ("share_with_un", today + dt.timedelta(1))
    assert answers.consent_share_with_un == "no" and answers.consent_publicity == "yes"
    # Never opened early: a "yes" dated tomorrow over today's "no" waits for its day.
    reopened = replace(
        case,
        consent=(
            ConsentRecord(purpose="share_with_un", value="no", date=today, **who),
            ConsentRecord(purpose="share_with_un", value="yes", date=ahead, **who),
        ),
    )  # fmt: skip
    plan = evaluate_case(reopened, KB, as_of=today)
    assert not any(s.shares_with_un for s in plan.steps)


def test_a_withdrawal_dated_tomorrow_is_followed_by_every_output_made_now(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A colleague a time zone ahead records the person's "no" on their today, tomorrow here
    (`--as-of` stands in for their clock). Made now, without `--as-of`: the draft is not named
    and goes to no UN address; the plan shares nothing with the UN and says so in itself, with
    "check the dates", not "make the plan again for today"; the export follows it with a
    warning, not a refusal that no day could lift; `case show` says it (red team 2026-12-04)."""
    key, public = keys
    today = dt.date.today()
    path = new_case(tmp_path, keys, EXAMPLES[0])
    k = ["--identity", key, "--recipient", public]
    who = ["--given-by", "person", "--how", "written", "--explained-in", "en"]
    month_ago = (today - dt.timedelta(days=30)).isoformat()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    for args in (
        ["share_with_un", "yes", "--date", month_ago, *who],
        ["publicity", "yes", "--date", month_ago, *who],
        ["share_with_un", "no", "--date", tomorrow, "--as-of", tomorrow, *who],
    ):
        code, out = run("case", "consent", path, *args, *k)
        assert code == 0, out
        # Dated after this computer's date: said when it is written (red team red27).
        assert ("after this computer's date" in out) == (tomorrow in args), out
    ident = ["--identity", str(key)]
    draft = runner.invoke(app, ["draft", str(path), *ident, "--to", "mechanism", "-f", "txt"])
    assert draft.exit_code == 0, draft.output
    assert "No named draft" in draft.stderr and "@ohchr.org" not in draft.stdout
    assert "dated in the future" in " ".join(draft.stderr.split())
    plan = runner.invoke(app, ["plan", str(path), *ident, "-f", "json"])
    assert plan.exit_code == 0, plan.output
    data = json.loads(plan.stdout)
    assert not any(s.get("shares_with_un") for s in data["steps"])
    warned = data["warnings"][0]
    assert warned["id"] == "consent_withdrawn_after_as_of"
    assert warned["text"].startswith(f"The case records consent withdrawn or narrowed on a day "
                                     f"after {today.isoformat()}")  # fmt: skip
    assert "make the plan again" not in warned["text"] and "check this computer" in warned["text"]
    assert "make the plan again" not in plan.stderr and "dated in the future" in plan.stderr
    export = runner.invoke(app, ["export", str(path), *ident])
    assert export.exit_code == 0, export.output
    assert "Export follows" not in export.stderr and "The export follows" in export.stderr
    code, shown = run("case", "show", path, "--identity", key)
    assert code == 0 and f"in a record dated after {today.isoformat()}" in shown, shown
    # Every command that reads the ledger says it, in its own words, and none fails (followup
    # and batch met an unknown output name: a traceback, 2026-12-04).
    for command, made in (("followup", "This list"), ("batch", "Its plan")):
        extra = ["-o", str(tmp_path / "out")] if command == "batch" else []
        result = runner.invoke(app, [command, str(path), *ident, *extra])
        assert result.exit_code == 0, (command, result.output)
        assert f"{made} follows the narrower consent" in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "2026-02-01: sent to "),
        ("fr", "2026-02-01 : envoyé à "),
        ("zh", "2026-02-01：已发送给"),
    ],
)
def test_what_was_sent_before_a_withdrawal_is_listed_in_the_plans_language(
    lang: str, says: str
) -> None:
    """The outputs to write to after a withdrawal: in the plan's language, the body by its name
    (an English " to " inside a French sentence was left, 2026-12-04)."""
    from reprisal_cli.kb.i18n import translate_kb

    kb = KB if lang == "en" else translate_kb(KB, KB.translations[lang])
    case = CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered"},
        consent=(
            ConsentRecord(purpose="share_with_un", value="yes", date=dt.date(2026, 1, 1),
                          revoked=dt.date(2026, 3, 1)),
        ),
        outputs=(
            Output(date=dt.date(2026, 2, 1), kind="action", to="sp_communications",
                   purposes=("share_with_un",)),
            Output(date=dt.date(2026, 2, 2), kind="draft", purposes=("share_with_un",)),
        ),
    )  # fmt: skip
    plan = evaluate_case(case, kb, as_of=dt.date(2026, 4, 1), lang=lang)
    text = next(w.text for w in plan.warnings if w.id == WITHDRAWAL_WARNING)
    name = kb.mechanisms["sp_communications"].name
    assert says + name in text, text
    assert "2026-02-02" in text
    if lang != "en":
        assert " to " not in text.replace(name, ""), text


def test_case_show_says_a_consent_recorded_for_a_later_day_is_not_followed_yet(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """A "yes" dated tomorrow (a colleague a time zone ahead) is not followed before its day:
    `case show` says so, so that a plan holding back is not taken for a mistake (red team
    red27)."""
    key, public = keys
    today, tomorrow = dt.date.today().isoformat(), (dt.date.today() + dt.timedelta(1)).isoformat()
    path = new_case(tmp_path, keys)
    k = ["--identity", key, "--recipient", public]
    who = ["--given-by", "person", "--how", "oral", "--explained-in", "en"]
    for args in (
        ["share_with_un", "no", "--date", today, *who],
        ["share_with_un", "yes", "--date", tomorrow, "--as-of", tomorrow, *who],
    ):
        code, out = run("case", "consent", path, *args, *k)
        assert code == 0, out
    code, shown = run("case", "show", path, "--identity", key)
    assert code == 0, shown
    flat = " ".join(shown.split())
    assert (
        f"not followed before it: passing details to UN bodies [share_with_un] yes on {tomorrow}"
        in flat
    )
    code, later = run("case", "show", path, "--identity", key, "--as-of", tomorrow)
    assert code == 0 and "not followed before it" not in later, later
    # That day reads "yes", but an output made now never follows more than today's "no": said
    # (red27 leftover: the day's consent alone read as what may be shared now).
    said = " ".join(later.split())
    assert "[share_with_un]: yes" in said
    assert "outputs made now follow the consent in force now where it is narrower: " in said
    assert "[share_with_un]: no" in said.split("where it is narrower:")[1]
    # The plan holds back, and says why at its end, in its language.
    ident = ["--identity", str(key)]
    plan = runner.invoke(app, ["plan", str(path), *ident, "-f", "json"])
    data = json.loads(plan.stdout)
    assert not any(s.get("shares_with_un") for s in data["steps"])
    note = next(w["text"] for w in data["warnings"] if w["id"] == "consent_given_after_as_of")
    assert f"passing details to UN bodies ({tomorrow})" in note, note
    french = runner.invoke(app, ["plan", str(path), *ident, "-f", "json", "--lang", "fr"])
    texts = [w["text"] for w in json.loads(french.stdout)["warnings"]]
    opening = "Le registre des consentements du dossier contient un ou plusieurs consentements"
    assert any(t.startswith(opening) for t in texts), texts
    nothing = runner.invoke(app, ["plan", str(path), *ident, "-f", "json", "--as-of", tomorrow])
    ids = [w["id"] for w in json.loads(nothing.stdout)["warnings"]]
    assert "consent_given_after_as_of" not in ids


def test_import_refuses_dates_the_case_commands_refuse() -> None:
    """An act or an intervention dated after the document's day (9999-12-31 was taken), or a
    follow-up before its intervention: refused as `case incident` and `case action` refuse
    them, each with its place in the document (red teams red29, red30)."""
    from reprisal_cli.case.export import import_esf
    from reprisal_cli.errors import AnswersError

    doc: dict[str, Any] = {
        "schema": "reprisal-cli/esf/v1",
        "as_of": "2026-03-01",
        "event": {
            "victim": {"schema": "reprisal-cli/answers/v1.1", "reprisals": ["threats"]},
            "acts": [{"date": "9999-12-31", "type": "threats"}],
            "interventions": [{"date": "2026-02-01", "intervening_with": "sp_communications",
                               "type": "communication", "next": "2026-01-01"}],
        },
        "consent": [],
    }  # fmt: skip
    with pytest.raises(AnswersError) as caught:
        import_esf(doc, "esf.json")
    paths = [p.path for p in caught.value.problems]
    assert paths == ["event.acts[0].date", "event.interventions[0].next"], paths


@pytest.mark.parametrize("locale", ["C.UTF-8", "fr_FR.UTF-8", "ar_EG.UTF-8", "zh_CN.UTF-8"])
def test_case_show_says_the_answers_in_the_readers_words(
    tmp_path: Path, keys: tuple[Path, str], locale: str
) -> None:
    """`case show` printed the answers as a Python dict, "Answers: {'respondent': 'self',
    'engagement': ['human_rights_council', ...], 'travel_planned': True}", whatever the
    language (noticed 2026-12-05): keys and codes a caseworker reading French cannot act on.
    They are said as the questionnaire asks them, in the reader's language; `--format json`
    keeps the keys and codes."""
    from reprisal_cli.cli.knowledge import in_language
    from reprisal_cli.i18n import translations

    key, _public = keys
    path = new_case(tmp_path, keys, ROOT / "examples" / "honduras_2017.yaml")
    env = {"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    shown = runner.invoke(app, ["case", "show", str(path), "--identity", str(key)], env=env)
    assert shown.exit_code == 0, shown.output
    assert "{'" not in shown.stdout and "human_rights_council" not in shown.stdout, shown.stdout
    lang = locale[:2] if locale[0] != "C" else "en"
    words = in_language(KB, lang)
    question = next(q for q in words.questions if q.key == "engagement")
    label = next(c.label for c in question.choices if c.value == "special_procedures")
    assert str(label) in shown.stdout, shown.stdout
    assert translations(lang).gettext("Answers:") in shown.stdout
    raw = runner.invoke(app, ["case", "show", str(path), "--identity", str(key), "-f", "json"],
                        env=env)  # fmt: skip
    assert json.loads(raw.stdout)["answers"]["engagement"] == [
        "human_rights_council", "special_procedures"
    ]  # fmt: skip


@pytest.mark.parametrize("locale", ["C.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8", "zh_CN.UTF-8"])
def test_export_refused_after_a_narrowing_says_narrowed_in_the_readers_language(
    tmp_path: Path, keys: tuple[Path, str], locale: str
) -> None:
    """`export --as-of` a day before the UN consent went from yes to "not decided" was refused
    with "consent was withdrawn after ...: share_with_un on ...", in English whatever the
    language (noticed 2026-12-05): nobody withdrew anything, and a caseworker who reads
    "withdrawn" tells the person's organisation so. The refusal says withdrawn or narrowed, in
    the reader's language, the consents in words."""
    from reprisal_cli.i18n import translations
    from reprisal_cli.render.labels import PURPOSE_WORDS

    key, _public = keys
    path = new_case(tmp_path, keys, ROOT / "examples" / "bahrain_2012.yaml")
    code, out = run("case", "consent", path, "share_with_un", "undecided", "--given-by",
                    "person", "--how", "oral", "--explained-in", "en", "--as-of", "2026-03-20",
                    "--identity", key, "--recipient", keys[1])  # fmt: skip
    assert code == 0, out
    env = {"LANG": locale, "LC_ALL": "", "LC_MESSAGES": ""}
    done = runner.invoke(
        app, ["export", str(path), "--identity", str(key), "--as-of", "2026-03-10"], env=env
    )
    assert done.exit_code == 2, done.output
    said = " ".join(done.stderr.split())
    lang = locale[:2] if locale[0] != "C" else "en"
    tr = translations(lang)
    assert "withdrawn or narrowed" in said if lang == "en" else "withdrawn" not in said, said
    if lang != "en":
        assert tr.gettext(PURPOSE_WORDS["share_with_un"]) in said, said
        assert "share_with_un" not in said and "--as-of" in said, said


@pytest.mark.parametrize("lang", ["fr", "es", "ar", "ru", "zh"])
def test_case_show_says_the_ledger_in_the_readers_words(
    tmp_path: Path, keys: tuple[Path, str], lang: str
) -> None:
    """After the answers (above), the rest of `case show` was still English in every language:
    "share_with_un: yes", "not asked on its own: follows share_with_un (yes)", "threats",
    "communication to sp_communications, open, next 2026-12-01". Each consent is now said in
    the reader's words and its value too ("yes, without names" for the report), incidents,
    action types and statuses as well; the codes a caseworker types (`case consent
    share_with_un`, `case incident FILE threats`) stay visible in brackets."""
    from reprisal_cli.i18n import translations
    from reprisal_cli.render.labels import PURPOSE_WORDS

    key, public = keys
    path = new_case(tmp_path, keys, ROOT / "examples" / "honduras_2017.yaml")
    k = ["-i", str(key), "--recipient", public]
    for args in (["incident", path, "threats", "--date", "2026-03-05"],
                 ["action", path, "sp_communications", "--date", "2026-03-06", "--type",
                  "communication", "--next", "2026-04-06"]):  # fmt: skip
        code, out = run("case", *args, *k)
        assert code == 0, out
    code, out = run("case", "show", path, "-i", key, "--lang", lang)
    assert code == 0, out
    said = translations(lang).gettext
    ledger = out[: out.index(said("Answers:"))]
    for purpose, words in PURPOSE_WORDS.items():
        assert f"{said(words)} [{purpose}]" in ledger, ledger
    assert said("yes, without names") in ledger  # the report, anonymous
    for english in ("share_with_un:", "not asked on its own", "not recorded", "undecided"):
        assert english not in out, out
    logged = out[out.index(said("Incidents:")) :]
    assert "[threats]" in logged and said("open") + " [open]" in logged, logged
    for english in (" to sp_", ", open", ", next "):
        assert english not in logged, logged
