"""`followup` in the reader's language (issue 24): the title, the headings, the kinds, every
`what` (the action followed up, its consent note, the reassessment) and the notes on standard
error follow `--lang` (else the locale) in every format, with no English word of the English
list left inside; dates stay ISO and body ids stay ids. The JSON keys and `kind` codes, and the
CSV header row and `kind` column, stay the machine's."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.case.model import Action, CaseFile, ConsentRecord, HistoryEntry
from reprisal_cli.case.store import CaseKey, create_case
from reprisal_cli.cli import app
from test_safety_support import PASSPHRASE, age_keypair
from test_views import keys_in

LANGS = ("fr", "es", "ar", "ru", "zh")
FORMATS = ("terminal", "md", "csv", "json")
DAY = "2026-12-04"
BEFORE = "2026-11-19"  # before the withdrawal: the list follows the consent of that day
BODIES = (
    "ohchr_reprisals_senior_official",
    "achpr_sr_hrd_reprisals",
    "sr_nowhere",  # not in the knowledge base
    "front_line_defenders",
    "diplomatic_missions",
    "sg_reprisals_report",
    "sp_communications",
)
# What stays as it is in every language: commands and options inside a note, references.
KEPT = re.compile(r"case show|case new|age-keygen|--\S+|SOURCE_DATE_EPOCH|age1\.\.\.|REF 12/2026")
WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A caseload with every kind of note: a withdrawn UN consent (and the States' that follows
    it), an undecided regional consent, a body the knowledge base lacks, an organisation (no
    note), the Secretary-General's report, a refused consent, and reassessments due."""
    folder = tmp_path_factory.mktemp("caseload")
    key, public = age_keypair(tmp_path_factory.mktemp("keys"))
    d = dt.date

    def given(purpose: str, value: str, **extra: object) -> ConsentRecord:
        return ConsentRecord(purpose=purpose, value=value, given_by="person", how="oral",  # type: ignore[arg-type]
                             date=d(2026, 9, 1), **extra)  # type: ignore[arg-type]  # fmt: skip

    answers = {"schema": "reprisal-cli/answers/v1.1", "stage": "reprisal_suffered",
               "reprisals": ["threats"], "state": "KE"}  # fmt: skip
    types = ("communication", "communication", "request_for_protection",
             "financial_assistance", "meeting", "communication")  # fmt: skip
    actions = tuple(
        Action(date=d(2026, 10, 2 + n), to=to, type=kind, next=d(2026, 11, 2 + 3 * n),  # type: ignore[arg-type]
               reference="REF 12/2026" if n == 0 else None)
        for n, (to, kind) in enumerate(zip(BODIES[:6], types, strict=True))
    )  # fmt: skip
    ledger = (given("share_with_un", "yes", revoked=d(2026, 11, 20)),
              given("publicity", "undecided"), given("share_with_regional", "undecided"),
              given("sg_report", "named"))  # fmt: skip
    case = CaseFile(answers=answers, consent=ledger, actions=actions,
                    history=(HistoryEntry(date=d(2026, 9, 1), answers={}),))  # fmt: skip
    box = CaseKey(recipients=(public,))
    create_case(folder / "a.age", case, box)
    refused = CaseFile(answers=answers, consent=(given("share_with_un", "no"),),
                       actions=(Action(date=d(2026, 10, 2), to=BODIES[6], type="follow_up",
                                       next=d(2026, 12, 1)),))  # fmt: skip
    create_case(folder / "b.age", refused, box)
    return folder, key


def followup(
    caseload: tuple[Path, Path], lang: str, fmt: str, day: str = DAY, columns: int = 80
) -> tuple[str, str]:
    folder, key = caseload
    args = ["followup", str(folder), "-i", str(key), "--as-of", day, "-f", fmt, "--lang", lang]
    result = CliRunner().invoke(app, args, env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def shown(text: str, fmt: str) -> str:
    """The text a reader reads in `fmt`: for JSON each `what`; for CSV the rows, without the
    header row and the `kind` codes (the machine's, as in JSON)."""
    if fmt == "json":
        return "\n".join(i["what"] for i in json.loads(text)["items"])
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        return "\n".join(" ".join(v for k, v in row.items() if k != "kind") for row in rows)
    return text.replace("\\_", "_")


def plain(text: str, folder: Path) -> str:
    """`text` without what stays as it is in every language: body ids, file names, paths."""
    text = text.replace(str(folder), " ")
    for kept in (*BODIES, "a.age", "b.age"):
        text = text.replace(kept, " ")
    return KEPT.sub(" ", text)


# Words spelled the same in English and in a translation ("communication", "base de
# connaissances", "demande de protection"): not English left behind.
COGNATES = {"fr": {"base", "communication", "protection"}, "es": {"base"}}


@pytest.mark.parametrize("lang", LANGS)
def test_followup_shows_no_english_and_no_key_in_any_language(
    caseload: tuple[Path, Path], lang: str
) -> None:
    folder = caseload[0]
    english_err = followup(caseload, "en", "md", BEFORE)[1]
    err = followup(caseload, lang, "md", BEFORE)[1]
    assert "2026-11-20" in err and "this list" in english_err
    for fmt in FORMATS:
        english_out = followup(caseload, "en", fmt)[0]
        english = set(WORD.findall(plain(shown(english_out, fmt) + english_err, folder)))
        # The English list says all it has to: the notes this caseload is built for.
        for said in ("withdrawn", "decided", "knowledge", "reassess", "refused"):
            assert said in english, (fmt, said)
        out = followup(caseload, lang, fmt)[0]
        text = plain(shown(out, fmt) + "\n" + err, folder)
        left = sorted(set(WORD.findall(text)) & english - COGNATES.get(lang, set()))
        assert not left, (lang, fmt, left)
        assert not keys_in(text), (lang, fmt, keys_in(text))
        # Dates stay ISO, body ids stay ids.
        assert "2026-11-20" in out and "2026-10-02" in out
        if fmt != "json":
            assert "sr_nowhere" in out.replace("\\_", "_")


def test_french_followup_over_every_kind_of_note(caseload: tuple[Path, Path]) -> None:
    """A French list over a case with a withdrawal, an undecided consent, an unknown body and a
    due reassessment: French words for each, and the same items in the same order as in
    English (the JSON keys and kinds unchanged)."""
    out, _ = followup(caseload, "fr", "terminal")
    assert out.startswith("Suivis à faire au 2026-12-04 :\n")
    for said in ("consentement retiré le 2026-11-20", "n'envoyez pas",
                 "consentement pas encore décidé", "ne figure pas dans cette base",
                 "réévaluer le risque (élevé", "réévaluation", "démarche"):  # fmt: skip
        assert said in " ".join(out.split()), said  # wrapped to the terminal's width
    fr = json.loads(followup(caseload, "fr", "json")[0])["items"]
    en = json.loads(followup(caseload, "en", "json")[0])["items"]
    assert [{k: v for k, v in i.items() if k != "what"} for i in fr] == [
        {k: v for k, v in i.items() if k != "what"} for i in en
    ]
    assert {i["kind"] for i in fr} == {"action", "reassessment"}
    header = followup(caseload, "fr", "csv")[0].splitlines()[0]
    assert header == "case,case_id,kind,what,to,due,overdue_days"


def test_the_locale_chooses_the_language_without_lang(caseload: tuple[Path, Path]) -> None:
    folder, key = caseload
    args = ["followup", str(folder), "-i", str(key), "--as-of", DAY, "-f", "md"]
    result = CliRunner().invoke(app, args, env={"LANG": "fr_FR.UTF-8", "LC_ALL": None})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Suivis à faire au 2026-12-04")
    result = CliRunner().invoke(app, [*args[:-2], "-f", "md"], env={"LANG": "C", "LC_ALL": None})
    assert result.stdout.startswith("# Follow-up due on 2026-12-04")


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_due_and_the_passphrase_note_follow_the_language(tmp_path: Path, lang: str) -> None:
    """The note on many passphrase-locked files (decided from their headers, as in test_case),
    and "Nothing is due", in the reader's language (a plural form for the count)."""
    pw = tmp_path / "pw"
    pw.write_text(PASSPHRASE + "\n", encoding="utf-8")
    for n in range(12):
        (tmp_path / f"c{n}.age").write_bytes(
            b"age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 2\nAAAA\n--- AAAA\n"
        )
    args = ["followup", str(tmp_path), "--passphrase-file", str(pw), "--as-of", DAY]
    result = CliRunner().invoke(app, [*args, "--lang", lang])
    assert result.exit_code == 1
    note = next(line for line in result.stderr.splitlines() if "12" in line and "age1" in line)
    english = CliRunner().invoke(app, [*args, "--lang", "en"]).stderr
    assert "12 case files are locked with a passphrase" in english
    words = set(WORD.findall(KEPT.sub(" ", note)))
    assert not words & {"Note", "case", "files", "locked", "passphrase", "caseload", "team"}


@pytest.mark.parametrize("lang", ["en", "fr", "zh", "ar"])
@pytest.mark.parametrize("columns", [60, 80, 160])
def test_the_terminal_list_fits_the_terminal(
    caseload: tuple[Path, Path], lang: str, columns: int
) -> None:
    """Each `what` (a consent note runs to 300 columns) is wrapped in its column, or on indented
    lines under its row when the terminal is too narrow for a column: no line wider than the
    terminal, and every word of the list still there, in order."""
    from reprisal_cli.render.labels import width

    out, _ = followup(caseload, lang, "terminal", columns=columns)
    assert max(width(line) for line in out.splitlines()) <= columns, out
    listed = "".join(out.split())
    items = json.loads(followup(caseload, lang, "json")[0])["items"]
    assert len(items) >= 5
    for item in items:
        for said in (item["what"], item["due"], item["to"] or "", str(item["overdue_days"])):
            assert "".join(said.split()) in listed, said
