"""The wheel's knowledge-base snapshot: read back, it is the knowledge base the YAML gives, in
every language; it is refused once a data file beside it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reprisal_cli.kb import snapshot
from reprisal_cli.kb.loader import load_kb

ROOT = Path(__file__).resolve().parents[1]


def _copy_with_snapshot(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / snapshot.SNAPSHOT).write_bytes(snapshot.build(load_kb(ROOT / "data")))
    return data


def test_snapshot_reads_back_as_the_yaml_knowledge_base_in_every_language(tmp_path: Path) -> None:
    data = _copy_with_snapshot(tmp_path)
    from_yaml = load_kb(data)
    read = snapshot.read(data)
    assert read is not None
    assert read.source == str(data)
    assert read.rules == from_yaml.rules
    assert read.contacts == from_yaml.contacts
    assert read.fingerprint == from_yaml.fingerprint
    assert sorted(read.translations) == sorted(from_yaml.translations) != []
    for lang, translation in from_yaml.translations.items():
        assert read.translations.get(lang) == translation
        assert read.translations[lang] is read.translations[lang]  # decoded once
    assert read.translations.get("xx") is None


def test_snapshot_is_refused_once_a_data_file_changes(tmp_path: Path) -> None:
    data = _copy_with_snapshot(tmp_path)
    assert snapshot.read(data) is not None
    with (data / "organisations.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert snapshot.read(data) is None


def test_snapshot_states_read_back_one_by_one_as_the_yaml_gives_them(tmp_path: Path) -> None:
    data = _copy_with_snapshot(tmp_path)
    from_yaml = load_kb(data)
    read = snapshot.read(data)
    assert read is not None
    assert list(read.states) == list(from_yaml.states)  # same codes, same order
    assert len(read.states) == len(from_yaml.states) > 190
    assert "CN" in read.states and "XK" not in read.states
    assert read.states.get("XK") is None
    assert read.states["CN"] is read.states["CN"]  # decoded once
    assert dict(read.states) == dict(from_yaml.states)


def test_a_checkouts_snapshot_counts_only_when_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing vouches for a snapshot in a checkout (gitignored, no manifest): a changed one
    would have been read silently (red team 2026-12-03). It is read, and fingerprinted, only
    when `CHECKOUT_SNAPSHOT_ENV` names its sha256, as the test session that wrote it does."""
    import hashlib

    from reprisal_cli.kb.files import CHECKOUT_SNAPSHOT_ENV, check_builtin

    data = _copy_with_snapshot(tmp_path)
    digest = hashlib.sha256((data / snapshot.SNAPSHOT).read_bytes()).hexdigest()
    monkeypatch.delenv(CHECKOUT_SNAPSHOT_ENV, raising=False)
    assert snapshot.SNAPSHOT not in check_builtin(data)[0]
    monkeypatch.setenv(CHECKOUT_SNAPSHOT_ENV, "0" * 64)
    assert snapshot.SNAPSHOT not in check_builtin(data)[0]
    monkeypatch.setenv(CHECKOUT_SNAPSHOT_ENV, digest)
    assert check_builtin(data)[0][snapshot.SNAPSHOT] == digest


def test_reading_the_snapshot_does_not_load_cldr(tmp_path: Path) -> None:
    """The rules' country codes (the OSCE step's `state: RU`) are the States' own: a snapshot is
    read without Babel's CLDR data, which took a tenth of every command's start-up."""
    import subprocess
    import sys

    data = _copy_with_snapshot(tmp_path)
    probe = (
        "import sys; from pathlib import Path; from reprisal_cli.kb import snapshot; "
        "kb = snapshot.read(Path(sys.argv[1])); assert kb is not None; "
        "print(sorted(m for m in sys.modules if m.partition('.')[0] == 'babel'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(data)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
    assert "key: state" in (data / "rules.yaml").read_text(encoding="utf-8")
