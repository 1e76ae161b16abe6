"""Red team red37 (2026-12-04) against main's 2e54c74: consent records dated after today that
still reach a case ledger by the routes red36's fix left open (`--as-of`, `SOURCE_DATE_EPOCH`,
`import`), and plaintext copies of an encrypted case written without a word.

Each test names the harm in its docstring and failed on 2e54c74.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from red_support import BAHRAIN, WHO, case_run, day, esf_document, module_keys, run


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def ledger_dates(path: Path, keys: tuple[Path, str]) -> list[str]:
    """The dates of the consent records in the case file (decrypted with the module's key)."""
    import pyrage

    key, _public = keys
    secret = [x for x in key.read_text(encoding="utf-8").splitlines() if x.startswith("AGE-")]
    identity = pyrage.x25519.Identity.from_str(secret[0])
    doc = json.loads(pyrage.decrypt(path.read_bytes(), [identity]))
    return [str(record["date"]) for record in doc["consent"]]


def test_case_new_with_as_of_after_today_never_dates_a_consent_after_today(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: `case new case.age --recipient KEY --answers examples/bahrain_2012.yaml --as-of
    <today+16>` (or SOURCE_DATE_EPOCH set to that day: a clock or a script a day off) writes the
    answers' consent to publicity and to the UN as ledger records dated 16 days after today,
    exit 0, with no word at all. red36 made `case new --answers` refuse a consent dated after
    today ("a consent or a withdrawal is recorded when it is given"), and `case consent --date`
    refuses one; by --as-of the same record still gets in. On that day the consent to publicity
    and to the UN comes into force by itself, and the ledger says the person gave it on a day
    nobody asked them (a date that overstates freshness). Refusing (exit 1 or 2, naming the
    consent and the date), or dating the records today, are both fixes. Failed on 2e54c74."""
    _key, public = keys
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--answers", BAHRAIN,
               "--as-of", day(16))  # fmt: skip
    assert "Traceback" not in made.output
    if made.exit_code in (1, 2):
        assert "consent" in made.output
        assert not path.exists()
        return
    assert made.exit_code == 0, made.output
    later = [d for d in ledger_dates(path, keys) if d > day(0)]
    assert later == [], later


def test_case_consent_with_as_of_after_today_never_records_a_yes_dated_after_today(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: `case consent case.age publicity yes --given-by person --how oral --explained-in en
    --as-of <today+16>` saves a "yes" to publicity dated 16 days after today (exit 0, only a
    note that it is "followed only where it narrows the consent" until then), while the same
    command with `--date <today+16>` is refused (exit 2: "a consent or a withdrawal is recorded
    when it is given"). The record comes into force by itself on that day: publicity the
    person was never asked about on that day (a statement, protective publicity, a named
    Secretary-General's report) is then in every plan. Failed on 2e54c74."""
    _key, public = keys
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--answers", BAHRAIN,
               "--as-of", day(-30))  # fmt: skip
    assert made.exit_code == 0, made.output
    before = ledger_dates(path, keys)
    said = case_run(path, keys, "consent", "publicity", "yes", *WHO, "--as-of", day(16))
    assert "Traceback" not in said.output
    if said.exit_code in (1, 2):  # refused, as --date refuses it
        assert ledger_dates(path, keys) == before
        return
    assert said.exit_code == 0, said.output
    later = [d for d in ledger_dates(path, keys) if d > day(0)]
    assert later == [], later


def test_import_never_takes_a_consent_dated_after_today(
    tmp_path: Path, keys: tuple[Path, str]
) -> None:
    """Harm: `import esf.json -o case.age --recipient KEY` of an export (made by hand, or by a
    tool whose clock is ahead) whose `as_of` and consent records are dated 16 days after today:
    exit 0, "Case case.age saved", no word of the dates. The ledger then holds a "yes" to
    publicity and to the UN that come into force by themselves on that day, on a day nobody
    asked the person (red36's harm, by import; `case consent --date` and `case new --answers`
    refuse the same records). Import already refuses acts and interventions dated after the
    document; a consent (or a document) dated after today must be refused too (exit 1, naming
    the consent). Failed on 2e54c74."""
    _key, public = keys
    later = day(16)
    doc = esf_document(
        later,
        [
            {"purpose": "publicity", "value": "yes", "given_by": "person", "how": "oral",
             "date": later},
            {"purpose": "share_with_un", "value": "yes", "given_by": "person", "how": "oral",
             "date": later},
        ],
    )  # fmt: skip
    source = tmp_path / "esf.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    path = tmp_path / "imported.age"
    made = run("import", source, "-o", path, "--recipient", public)
    assert "Traceback" not in made.output
    assert made.exit_code == 1, made.output
    assert "consent" in made.output or later in made.output
    assert not path.exists()


@pytest.mark.parametrize("command", ["plan", "draft"])
def test_a_plain_file_written_from_a_case_file_says_it_is_not_encrypted(
    tmp_path: Path, keys: tuple[Path, str], command: str
) -> None:
    """Harm: `plan case.age -i key.txt -o plan.md` (and `draft case.age -i key.txt -o
    draft.md`) decrypt the case and write its plan (case id, State, reprisals, the bodies to
    write to) or its draft as a plain file, saying only "Plan written to plan.md" (exit 0).
    `open case.age -o x` and `export` say "NOT encrypted: delete it when you no longer need it"
    for the same kind of copy (`export --help`: "NOT encrypted: -o writes a plain file"). A
    caseworker who keeps cases encrypted is not told that a readable copy
    of one is now on the disk (a plaintext copy of a case written to disk without a word).
    Writing it encrypted, refusing without --encrypt, or saying "NOT encrypted" are all fixes.
    Failed on 2e54c74."""
    key, public = keys
    path = tmp_path / "case.age"
    made = run("case", "new", path, "--recipient", public, "--answers", BAHRAIN,
               "--as-of", day(-30))  # fmt: skip
    assert made.exit_code == 0, made.output
    out = tmp_path / f"{command}.md"
    wrote = run(command, path, "--identity", key, "-o", out)
    assert "Traceback" not in wrote.output
    assert wrote.exit_code in (0, 2), wrote.output
    if wrote.exit_code == 0 and out.exists():
        assert "NOT encrypted" in wrote.output, wrote.output
