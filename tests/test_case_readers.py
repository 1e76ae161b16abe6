"""Every command that reads answers reads a case file (issue 26, point 3), with the consent in
force on --as-of taken from the ledger: `open`, `card --passphrase-file`, `batch` (case files
given or found in a folder, opened with --identity or --passphrase-file). `plan`, `draft` and
`export` are in tests/test_case.py; `assess --answers-in` in tests/test_assess_case_pty.py."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.case.model import CaseFile, ConsentRecord, HistoryEntry, Output, answers_on
from reprisal_cli.case.plan import WITHDRAWAL_WARNING
from reprisal_cli.case.store import CaseKey, create_case
from reprisal_cli.cli import app
from reprisal_cli.engine.gates import GATE_REVOKED
from test_assess_case import KNOWN, keypair

AS_OF = "2026-04-15"
runner = CliRunner()
PASSPHRASE = "copper lantern river orbit"


def revoked_case(path: Path, key: CaseKey) -> Path:
    """A case whose consent to the UN was given, used for a letter, then withdrawn."""
    given, sent, withdrawn = dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 4, 1)
    answers = {k: v for k, v in KNOWN.items() if k != "case_id"}
    case = CaseFile(
        case_id="c-9",
        answers=answers,
        history=(HistoryEntry(date=given, answers=answers),),
        consent=(
            ConsentRecord(
                purpose="share_with_un",
                value="yes",
                given_by="person",
                how="oral",
                date=given,
                revoked=withdrawn,
            ),
        ),
        outputs=(
            Output(date=sent, kind="draft", to="special_procedures", purposes=("share_with_un",)),
        ),
    )
    create_case(path, case, key)
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CaseKey]:
    secret, public = keypair(tmp_path_factory.mktemp("keys"))
    return secret, CaseKey(identities=(secret.read_text(encoding="utf-8"),), recipients=(public,))


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_open_shows_a_case_as_its_answers_in_force_or_as_its_plan(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    path = revoked_case(tmp_path / "case.age", keys[1])
    code, shown = run("open", path, "-i", keys[0], "--as-of", AS_OF)
    assert code == 0, shown
    assert "share_with_un: 'no'" in shown  # withdrawn: read as no, whatever the answers said
    # Before the withdrawal, its answers are not written out with the consent of that day.
    code, before = run("open", path, "-i", keys[0], "--as-of", "2026-03-15")
    assert code == 2 and "share_with_un: 'yes'" not in before
    code, out = run("open", path, "-i", keys[0], "--format", "json", "--as-of", AS_OF)
    assert code == 0, out
    plan = json.loads(out)
    assert plan["case_id"] == "c-9"
    assert WITHDRAWAL_WARNING in [w["id"] for w in plan["warnings"]]
    assert GATE_REVOKED in {w["gate"] for w in plan["withheld"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.age"]


@pytest.mark.slow  # slow: scrypt (about 5 s); the slow step runs it
def test_card_opens_a_passphrase_case_with_passphrase_file(tmp_path: Path) -> None:
    (tmp_path / "pass.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    path = revoked_case(tmp_path / "case.age", CaseKey(passphrase=PASSPHRASE))
    code, card = run(
        "card", path, "--passphrase-file", tmp_path / "pass.txt", "-f", "txt", "--as-of", AS_OF
    )
    assert code == 0, card
    assert "EMERGENCY CARD" in card and "c-9" not in card


def test_batch_reads_case_files_with_the_consent_of_their_ledger(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    folder = tmp_path / "caseload"
    folder.mkdir()
    revoked_case(folder / "one.age", keys[1])
    (folder / "two.yaml").write_text(json.dumps(KNOWN), encoding="utf-8")
    code, out = run("batch", folder, "-o", tmp_path / "plans", "-i", keys[0], "--as-of", AS_OF)
    assert code == 0, out
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["c-7.json", "c-9.json"]
    plan = json.loads((tmp_path / "plans" / "c-9.json").read_text(encoding="utf-8"))
    assert WITHDRAWAL_WARNING in [w["id"] for w in plan["warnings"]]
    assert GATE_REVOKED in {w["gate"] for w in plan["withheld"]}
    # The same case through `plan` gives the same plan.
    code, alone = run("plan", folder / "one.age", "-i", keys[0], "-f", "json", "--as-of", AS_OF)
    assert code == 0 and json.loads(alone) == plan


def test_batch_without_a_key_leaves_case_files_in_folders_and_names_a_case_file_given(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    folder = tmp_path / "caseload"
    folder.mkdir()
    case = revoked_case(folder / "one.age", keys[1])
    (folder / "two.yaml").write_text(json.dumps(KNOWN), encoding="utf-8")
    code, out = run("batch", folder, "-o", tmp_path / "plans", "--as-of", AS_OF)
    assert code == 0 and "1 case: 1 ok, 0 failed" in out
    assert "one.age" in out and "Not read: 1 case file (*.age)" in out  # red35
    code, out = run("batch", case, "-o", tmp_path / "more", "--as-of", AS_OF)
    assert code == 1
    assert "is encrypted: nothing given to open it" in out
    code, out = run(
        "batch", case, "-o", tmp_path / "x", "-i", keys[0], "--passphrase-file", keys[0]
    )
    assert code == 2 and "not both" in out


BEFORE_WITHDRAWAL = "2026-03-15"  # revoked_case: share_with_un given 2026-03-01, withdrawn 04-01
WITHDRAWN_LINE = (
    "consent was withdrawn or narrowed after 2026-03-15, the day {made} is made for: "
    "share_with_un on "
    "2026-04-01, share_with_regional on 2026-04-01, share_with_states on 2026-04-01. It follows "
    "the consent as it was on that day"
)


def test_batch_warns_of_a_consent_withdrawn_after_as_of_and_keeps_the_stream_json(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    """`plan --as-of` warns on standard error when the day is before a withdrawal; a batch
    that reads the case file says the same, for that case, even with --quiet (loose24). With
    twenty answers files besides, the case runs in a worker process (-j 2)."""
    folder = tmp_path / "caseload"
    folder.mkdir()
    revoked_case(folder / "one.age", keys[1])
    for n in range(20):
        (folder / f"a{n:02}.yaml").write_text(json.dumps(KNOWN), encoding="utf-8")
    args = ["batch", str(folder), "-i", str(keys[0]), "-f", "jsonl", "-o", "-", "-j", "2", "-q"]
    result = runner.invoke(app, [*args, "--as-of", BEFORE_WITHDRAWAL])
    assert result.exit_code == 0, result.output
    plans = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(plans) == 21 and all(p["schema"].startswith("reprisal-cli/plan/") for p in plans)
    named = [p for p in plans if p["case_id"] == "c-9"]
    assert "notify_special_procedures" in [s["id"] for s in named[0]["steps"]]
    expected = f"{folder / 'one.age'}: " + WITHDRAWN_LINE.format(made="its plan")
    assert expected in result.stderr
    assert "do not act on its steps that share or publish" in result.stderr
    assert result.stderr.count("consent was withdrawn") == 1  # the answers files have no ledger
    # On or after the withdrawal, the plan follows it: nothing to warn of.
    after = runner.invoke(app, [*args, "--as-of", AS_OF])
    assert after.exit_code == 0 and "consent was withdrawn" not in after.stderr
    # Written to a folder, the same warning comes before the summary.
    out = tmp_path / "plans"
    report = tmp_path / "report.json"
    written = runner.invoke(
        app, ["batch", str(folder / "one.age"), "-i", str(keys[0]), "-o", str(out),
              "--as-of", BEFORE_WITHDRAWAL, "--report", str(report)],
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    assert written.stderr.index("consent was withdrawn") < written.stderr.index("1 case: 1 ok")
    # ... and the JSON report, read later without the terminal's words, says it too.
    (case,) = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert case["status"] == "ok"
    assert case["consent_withdrawn_after_as_of"].startswith("share_with_un on 2026-04-01")


def test_followup_warns_of_a_consent_withdrawn_after_as_of_and_keeps_the_json(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    """`followup --as-of` on a day before a withdrawal lists the case as it was then: it says
    which consent was withdrawn and when, on standard error; the JSON stays parseable."""
    folder = tmp_path / "caseload"
    folder.mkdir()
    revoked_case(folder / "one.age", keys[1])
    args = ["followup", str(folder), "-i", str(keys[0]), "-f", "json"]
    result = runner.invoke(app, [*args, "--as-of", BEFORE_WITHDRAWAL])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema"] == "reprisal-cli/followup/v1"
    expected = f"{folder / 'one.age'}: " + WITHDRAWN_LINE.format(made="this list")
    assert expected in result.stderr
    assert "check the consent in force today" in result.stderr
    after = runner.invoke(app, [*args, "--as-of", AS_OF])
    assert after.exit_code == 0 and "consent was withdrawn" not in after.stderr


def no_over_yes_case(path: Path, key: CaseKey) -> Path:
    """A case whose consent to the UN was given, then changed to "no" by a new record (not a
    revocation): the natural way to record that the person changed their mind."""
    given, changed = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    answers = {k: v for k, v in KNOWN.items() if k != "case_id"}
    record = {"given_by": "person", "how": "oral"}
    case = CaseFile(
        case_id="c-10",
        answers=answers,
        history=(HistoryEntry(date=given, answers=answers),),
        consent=(
            ConsentRecord(purpose="share_with_un", value="yes", date=given, **record),  # type: ignore[arg-type]
            ConsentRecord(purpose="publicity", value="yes", date=given, **record),  # type: ignore[arg-type]
            ConsentRecord(purpose="share_with_un", value="no", date=changed, **record),  # type: ignore[arg-type]
        ),
    )
    create_case(path, case, key)
    return path


def test_a_no_recorded_over_a_yes_counts_as_withdrawn_for_every_reader(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    """Red team 2026-12-03: only `revoked` dates were seen, so an output for a day before a "no"
    recorded over a "yes" followed the "yes" silently: export named the case, draft went to
    OHCHR, open wrote a plain answers file with `share_with_un: yes`."""
    secret, key = keys
    path = no_over_yes_case(tmp_path / "c.age", key)
    before = "2026-03-15"
    code, out = run("export", path, "-i", secret, "--as-of", before)
    assert code == 2 and "share_with_un on 2026-04-01" in out
    code, out = run("draft", path, "-i", secret, "--as-of", before, "--to", "ohchr")
    assert code == 0 and "follows the consent in force now" in out
    assert "reprisals@ohchr.org" not in out and "(anonymous)" in out
    code, out = run("open", path, "-i", secret, "--as-of", before, "-f", "yaml")
    assert code == 2 and "share_with_un on 2026-04-01" in out and "share_with_un: yes" not in out
    code, out = run("open", path, "-i", secret, "--as-of", before, "-f", "json")
    assert code == 0 and "consent was withdrawn or narrowed after 2026-03-15" in out
    code, out = run("plan", path, "-i", secret, "--as-of", before, "-f", "json")
    assert code == 0 and "share_with_un on 2026-04-01" in out
    code, out = run("case", "show", path, "-i", secret, "--as-of", before)
    said = "Withdrawn or narrowed since 2026-03-15: passing details to UN bodies [share_with_un]"
    assert code == 0 and f"{said} on 2026-04-01" in " ".join(out.split())
    code, out = run("card", path, "-i", secret, "--as-of", before, "--with-un", "-f", "txt")
    assert code == 0 and "The card follows the consent in force now" in out
    # After the change, and for a consent opened later (no, then yes), nothing to say.
    assert run("export", path, "-i", secret, "--as-of", "2026-04-02")[0] == 0


@pytest.mark.parametrize(
    ("then", "later", "narrowed"),
    [("yes", "no", True), ("yes", "undecided", True), ("no", "yes", False),
     ("undecided", "no", True), ("yes", "yes", False)],
)  # fmt: skip
def test_narrowed_after_sees_a_narrower_record_and_the_purposes_that_follow(
    then: str, later: str, narrowed: bool
) -> None:
    from reprisal_cli.case.model import narrowed_after

    record = {"given_by": "person", "how": "oral"}
    case = CaseFile(
        answers={},
        consent=(
            ConsentRecord(purpose="share_with_un", value=then, date=dt.date(2026, 1, 1), **record),  # type: ignore[arg-type]
            ConsentRecord(purpose="share_with_un", value=later, date=dt.date(2026, 2, 1), **record),  # type: ignore[arg-type]
        ),
    )
    found = narrowed_after(case, dt.date(2026, 1, 15))
    assert (found.get("share_with_un") == dt.date(2026, 2, 1)) is narrowed
    # Regional bodies and States, not asked, follow the UN consent (contract §1).
    assert (found.get("share_with_states") == dt.date(2026, 2, 1)) is narrowed
    assert narrowed_after(case, dt.date(2026, 2, 1)) == {}


def _ledger(*entries: tuple[str, str, str, str | None]) -> CaseFile:
    """A case whose ledger is (purpose, value, date, revoked) records."""
    return CaseFile(
        answers={"schema": "reprisal-cli/answers/v1.1"},
        consent=tuple(
            ConsentRecord(
                purpose=p,  # type: ignore[arg-type]
                value=v,
                given_by="person",
                how="oral",
                date=dt.date.fromisoformat(d),
                revoked=dt.date.fromisoformat(r) if r else None,
            )
            for p, v, d, r in entries
        ),
    )


def test_narrowed_after_reads_the_report_consent_that_publicity_implies_and_no_false_alarm() -> (
    None
):
    """Second red team 2026-12-03: `sg_report` absent reads `named` with publicity yes (contract
    §1), so a later `sg_report: no` narrows it; a consent given again since is not narrower."""
    from reprisal_cli.case.model import narrowed_after

    day = dt.date(2026, 2, 15)
    implied = _ledger(("share_with_un", "yes", "2026-01-02", None),
                      ("publicity", "yes", "2026-01-02", None),
                      ("sg_report", "no", "2026-03-01", None))  # fmt: skip
    assert narrowed_after(implied, day) == {"sg_report": dt.date(2026, 3, 1)}
    again = _ledger(("share_with_un", "yes", "2026-01-02", None),
                    ("share_with_un", "no", "2026-03-01", None),
                    ("share_with_un", "yes", "2026-04-01", None))  # fmt: skip
    assert narrowed_after(again, day) == {}
    assert narrowed_after(again, dt.date(2026, 3, 15)) == {}  # "no" then, wider now
    still = _ledger(("share_with_un", "yes", "2026-01-02", None),
                    ("share_with_un", "no", "2026-03-01", None),
                    ("share_with_un", "undecided", "2026-04-01", None))  # fmt: skip
    assert next(iter(narrowed_after(still, day).items())) == ("share_with_un", dt.date(2026, 3, 1))


def test_an_answers_file_for_an_earlier_day_cannot_open_what_was_withdrawn_since() -> None:
    """Second red team 2026-12-03: with --as-of before a UN withdrawal, an answers file gave the
    regional bodies and States (which followed the UN "yes" that day) their own "yes", dated
    before the withdrawal, which then survived it."""
    from reprisal_cli.answers import answers_from_data
    from reprisal_cli.case.model import new_consents
    from reprisal_cli.errors import AnswersError

    case = _ledger(("share_with_un", "yes", "2026-01-02", "2026-03-01"))
    answers = answers_from_data(
        {"schema": "reprisal-cli/answers/v1.1",
         "consent": {"share_with_regional": "yes", "share_with_states": "yes"}}, "t"
    )  # fmt: skip
    with pytest.raises(AnswersError, match="withdrawn for it on its last record"):
        new_consents(case, answers, dt.date(2026, 2, 15))


def test_answers_for_now_takes_the_ledger_as_it_stands_when_narrowed_since(
    tmp_path: Path, keys: tuple[Path, CaseKey]
) -> None:
    """The one place `draft`, `card` and `assess --answers-in` read the consent to act on now."""
    from reprisal_cli.case.model import answers_on
    from reprisal_cli.cli.reading import answers_for_now

    case = _ledger(("share_with_un", "yes", "2026-01-02", None),
                   ("share_with_un", "no", "2026-03-01", None))  # fmt: skip
    then = answers_on(case, dt.date(2026, 2, 15))
    now, withdrawn = answers_for_now(then, case, dt.date(2026, 2, 15), "c.age")
    assert then.consent_share_with_un == "yes" and now.consent_share_with_un == "no"
    assert next(iter(withdrawn.items())) == ("share_with_un", dt.date(2026, 3, 1))
    assert answers_for_now(then, None, dt.date(2026, 2, 15), "a.yaml") == (then, {})


def test_what_went_out_the_day_a_consent_was_withdrawn_is_named() -> None:
    """A day has no hours in the ledger: a communication sent under the morning's "yes", the
    "yes" withdrawn (or a "no" recorded) that evening, is named all the same; what went out
    while the person was still deciding is not called withdrawn (red team red30)."""
    from reprisal_cli.case.model import Action, consented_during
    from reprisal_cli.case.plan import outputs_to_withdraw
    from reprisal_cli.kb.loader import load_kb

    kb = load_kb()
    day = dt.date(2026, 3, 1)
    logged = (Action(date=day, to="sp_communications", type="communication"),)
    for ledger in (
        _ledger(("share_with_un", "yes", "2026-03-01", "2026-03-01")),
        _ledger(
            ("share_with_un", "yes", "2026-03-01", None),
            ("share_with_un", "no", "2026-03-01", None),
        ),
    ):
        case = replace(ledger, actions=logged)
        assert consented_during(case.consent, day, "share_with_un")
        sent = outputs_to_withdraw(case, answers_on(case, day), day, kb, dt.date.today())
        assert [o.to for o in sent.withdrawn] == ["sp_communications"]
        assert sent.purposes == ["share_with_un"] and not sent.unconsented
    deciding = replace(_ledger(("share_with_un", "undecided", "2026-02-01", None)), actions=logged)
    assert not consented_during(deciding.consent, day, "share_with_un")
    sent = outputs_to_withdraw(deciding, answers_on(deciding, day), day, kb, dt.date.today())
    assert sent.withdrawn == [] and [o.to for o in sent.unconsented] == ["sp_communications"]


@pytest.mark.parametrize("lang", ["fr", "es", "ar", "ru", "zh"])
def test_export_says_what_it_left_out_in_the_readers_language(
    tmp_path: Path, keys: tuple[Path, CaseKey], lang: str
) -> None:
    """`export --lang fr` said "Left out: intervention of 2026-03-02: went out under the consent
    to share_with_un, withdrawn or narrowed since; ..." in English (noticed 2026-12-05): the
    one instruction a caseworker must act on (ask the body not to use the details), in a
    language they may not read. Each line is in the reader's language now, the consent in
    words; the export's own `left_out` (data for the other organisation's tool) stays as it
    was."""
    from reprisal_cli.case.model import Action, Incident
    from reprisal_cli.case.store import read_case

    case = read_case(revoked_case(tmp_path / "case.age", keys[1]), keys[1]).case
    case = replace(
        case,
        incidents=(
            Incident(date=dt.date(2026, 3, 5), type="threats", note="a call at night"),
            Incident(date=dt.date(2026, 5, 1), type="threats"),  # after the export's day
        ),
        actions=(
            Action(date=dt.date(2026, 3, 2), to="sp_communications", type="communication"),
            Action(date=dt.date(2026, 3, 3), to="sr_unknown_here", type="communication"),
        ),
    )
    create_case(tmp_path / "more.age", case, keys[1])
    done = runner.invoke(
        app,
        [
            "export",
            str(tmp_path / "more.age"),
            "-i",
            str(keys[0]),
            "--as-of",
            AS_OF,
            "--lang",
            lang,
        ],
    )
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert len(doc["left_out"]) == 5, doc["left_out"]
    assert any("withdrawn or narrowed since" in what for what in doc["left_out"])  # unchanged
    lines = done.stderr.splitlines()
    assert len(lines) >= 5, done.stderr
    for english in ("Left out", "intervention of", "no consent", "knowledge base", "must be asked",
                    "share_with_un", "dated after"):  # fmt: skip
        assert english not in done.stderr, done.stderr
    for kept in ("2026-03-02", "sp_communications", "2026-03-03", "sr_unknown_here", AS_OF):
        assert kept in done.stderr, done.stderr


NARROWED_WORDS = {"en": "withdrawn or narrowed", "fr": "retirés ou restreints",
                  "es": "retiraron o restringieron", "ar": "ضُيّق نطاقها",
                  "ru": "отозвано или ограничено", "zh": "撤回或缩小"}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ar", "ru", "zh"])
@pytest.mark.parametrize("command", ["plan", "card", "batch", "followup"])
def test_a_warning_for_a_day_before_a_narrowing_says_withdrawn_or_narrowed(
    tmp_path: Path, keys: tuple[Path, CaseKey], command: str, lang: str
) -> None:
    """The UN consent went from "yes" to "not decided": nobody withdrew it. `plan --as-of` a
    day before warned "consent was withdrawn after 2026-03-15" (noticed 2026-12-05), and a
    caseworker who reads "withdrawn" tells others so; `export`, `draft` and `case show` already
    said "withdrawn or narrowed". The warning of plan, card, batch and followup says it too, in
    every language."""
    from reprisal_cli.case.store import read_case

    case = read_case(revoked_case(tmp_path / "was.age", keys[1]), keys[1]).case
    (given,) = case.consent
    later = replace(given, value="undecided", date=dt.date(2026, 4, 1), revoked=None)
    path = tmp_path / "case.age"
    create_case(path, replace(case, consent=(replace(given, revoked=None), later)), keys[1])
    args = [command, str(path), "-i", str(keys[0]), "--lang", lang, "--as-of", BEFORE_WITHDRAWAL]
    if command == "batch":
        args += ["-f", "jsonl", "-o", "-"]
    elif command == "card":
        args += ["-o", str(tmp_path / "card.txt")]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    said = " ".join(done.stderr.split())
    assert NARROWED_WORDS[lang] in said, said
    assert "2026-04-01" in said, said
