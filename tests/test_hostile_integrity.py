"""Threat: someone who can change the installed files (a seized or shared computer) replaces an
emergency number and hides it (issue 19; review H1, H2, H3, M11).

What must hold: everything the tool reads from its data folder, the knowledge-base snapshot
included, is covered by the fingerprint and the release manifest; a changed, added or missing
file, or a missing manifest, makes every output say so (plans, the emergency card, the draft,
`kb show`, `kb validate`, `--version`); the README's `sha256sum` one-liner gives the tool's
fingerprint; the snapshot cannot run code when it is read. The tampering tests run a real wheel,
unpacked with pip.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from release_support import ROOT, env_for, install_wheel, release_fingerprint
from reprisal_cli.cli import app
from reprisal_cli.kb import snapshot
from reprisal_cli.kb.loader import load_kb

EXAMPLE = ROOT / "examples" / "immediate_danger_hacked.yaml"
DRAFT_EXAMPLE = ROOT / "examples" / "honduras_2017.yaml"
AS_OF = "2026-11-25"
EMERGENCY = "+353 1 210 0489"  # Front Line Defenders' 24-hour line, in the shipped data
FALSE = "+999 9 999 9999"
CHANGED = "changed since release"

runner = CliRunner()


def readme_one_liner() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^    (cd DATA_FOLDER && sha256sum .*)$", readme, re.MULTILINE)
    assert found is not None, "the README's independent check is gone"
    return found.group(1)


def one_liner_fingerprint(data: Path) -> str:
    """The README's check, run by the shell on `data`: 'sha256:' and the hex it prints."""
    command = readme_one_liner().replace("DATA_FOLDER", "'" + str(data) + "'")
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, check=False, cwd=ROOT
    )
    digest = done.stdout.split()[0]
    assert re.fullmatch(r"[0-9a-f]{64}", digest), done.stdout + done.stderr
    return "sha256:" + digest


def test_readme_one_liner_gives_the_tools_fingerprint_with_a_snapshot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / snapshot.SNAPSHOT).write_bytes(snapshot.build(load_kb(ROOT / "data")))
    tool = runner.invoke(app, ["kb", "fingerprint", str(data)])
    assert tool.exit_code == 0, tool.output
    assert tool.stdout.strip() == one_liner_fingerprint(data) == release_fingerprint()
    # The snapshot and the translations are inside it: changing either changes it.
    for name in (snapshot.SNAPSHOT, "i18n/fr.yaml"):
        before = one_liner_fingerprint(data)
        with (data / name).open("ab") as handle:
            handle.write(b"\n")
        after = runner.invoke(app, ["kb", "fingerprint", str(data)]).stdout.strip()
        assert after == one_liner_fingerprint(data) != before, name


def test_readme_one_liner_gives_the_checkouts_fingerprint() -> None:
    tool = runner.invoke(app, ["kb", "fingerprint"])
    assert tool.exit_code == 0
    assert tool.stdout.strip() == one_liner_fingerprint(ROOT / "data")


class _Marker:
    """Unpickling this makes a folder: the proof that loading the snapshot ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.path),))


def test_a_pickle_in_the_snapshot_never_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    built = snapshot.build(load_kb(ROOT / "data"))
    header = b"\n".join(built.split(b"\n")[:2]) + b"\n"  # the magic and the YAML's fingerprint
    marker = tmp_path / "ran"
    (data / snapshot.SNAPSHOT).write_bytes(header + pickle.dumps((_Marker(marker), {})))
    assert snapshot.read(data) is None
    assert not marker.exists()


def test_snapshot_carries_only_plain_data() -> None:
    built = snapshot.build(load_kb(ROOT / "data"))
    assert b"\x80" not in built.split(b"\n", 2)[2][:2]  # no pickle opcode at the start
    for line in built.split(b"\n")[2:-1]:
        json.loads(line)


# Custom knowledge bases: the card and the draft say so --------------------------------------

OVERLAY_CONTACT = """\
contacts:
  - owner: front_line_defenders
    contact:
      id: front_line_defenders_local_line
      label: 24-hour emergency line
      channel: phone
      value: "+1 555 0199"
      status: confirmed
      source: Our own directory, checked by phone
      source_date: 2026-11-20
      last_confirmed: {how: organisation_told_us, date: 2026-11-20}
"""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages
    ).replace("\n", " ")


@pytest.mark.parametrize("fmt", ["txt", "html", "pdf"])
def test_card_from_a_custom_knowledge_base_says_custom(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "contacts.yaml").write_text(OVERLAY_CONTACT, encoding="utf-8")
    done = runner.invoke(
        app, ["card", "--format", fmt, "--kb-add", str(tmp_path), "--as-of", AS_OF]
    )
    assert done.exit_code == 0, done.output
    text = _pdf_text(done.stdout_bytes) if fmt == "pdf" else done.stdout
    assert "not the built-in one" in " ".join(text.split())


def test_draft_from_a_custom_knowledge_base_says_custom(tmp_path: Path) -> None:
    (tmp_path / "contacts.yaml").write_text(OVERLAY_CONTACT, encoding="utf-8")
    for fmt in ("md", "txt"):
        done = runner.invoke(
            app, ["draft", str(DRAFT_EXAMPLE), "--format", fmt, "--kb-add", str(tmp_path)]
        )
        assert done.exit_code == 0, done.output
        assert "not the built-in one" in " ".join(done.stdout.split()), fmt


# A real install, tampered with -----------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture
def site(wheel_site: Path, tmp_path: Path) -> Path:
    """A copy of the install of its own, to tamper with."""
    copy = tmp_path / "site"
    shutil.copytree(wheel_site, copy)
    return copy


def data_of(site: Path) -> Path:
    return site / "reprisal_cli" / "data"


def run(site: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", *args],
        env=env_for(site),
        capture_output=True,
        check=False,
        cwd=site.parent,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    return done


def outputs(site: Path) -> dict[str, str]:
    """Every kind of output, as flat text."""
    texts = {}
    for fmt in ("json", "md", "txt", "html", "pdf"):
        out = run(site, "plan", str(EXAMPLE), "--format", fmt, "--as-of", AS_OF).stdout
        texts[f"plan {fmt}"] = _pdf_text(out) if fmt == "pdf" else out.decode()
    for fmt in ("txt", "html", "pdf"):
        out = run(site, "card", "--format", fmt, "--as-of", AS_OF).stdout
        texts[f"card {fmt}"] = _pdf_text(out) if fmt == "pdf" else out.decode()
    for fmt in ("md", "txt"):
        out = run(site, "draft", str(DRAFT_EXAMPLE), "--format", fmt).stdout
        texts[f"draft {fmt}"] = out.decode()
    for fmt in ("md", "txt", "html"):
        # red35: a checklist in md or txt said nothing of the change
        out = run(site, "checklist", "emergency_now", "--format", fmt).stdout
        texts[f"checklist {fmt}"] = out.decode()
    texts["kb show"] = run(site, "kb", "show", "front_line_defenders").stdout.decode()
    texts["kb validate"] = run(site, "kb", "validate").stdout.decode()
    texts["--version"] = run(site, "--version").stdout.decode()
    texts["kb fingerprint"] = run(site, "kb", "fingerprint").stdout.decode()
    return {name: " ".join(text.split()) for name, text in texts.items()}


def assert_all_say_modified(site: Path) -> dict[str, str]:
    texts = outputs(site)
    for name, text in texts.items():
        assert re.search("changed since release|modified", text, re.IGNORECASE), name
    assert json.loads(texts["plan json"])["kb"]["modified"] is True
    return texts


def manifest_fingerprint(site: Path) -> str:
    manifest = json.loads((data_of(site) / "MANIFEST.json").read_text(encoding="utf-8"))
    fingerprint: str = manifest["fingerprint"]
    return fingerprint


@pytest.mark.slow
def test_pristine_install_says_nothing_and_every_fingerprint_agrees(wheel_site: Path) -> None:
    texts = outputs(wheel_site)
    for name, text in texts.items():
        assert CHANGED not in text.lower(), name
        assert "modified" not in text.lower().replace('"modified": false', ""), name
    published = manifest_fingerprint(wheel_site)
    assert published == release_fingerprint()  # the build is reproducible
    assert published == one_liner_fingerprint(data_of(wheel_site))
    assert texts["kb fingerprint"] == published
    assert published in texts["--version"]
    assert json.loads(texts["plan json"])["kb"]["fingerprint"] == published


@pytest.mark.slow
def test_edited_snapshot_is_not_used_and_every_output_says_so(site: Path) -> None:
    """H1: the emergency number replaced inside the snapshot."""
    path = data_of(site) / snapshot.SNAPSHOT
    raw = path.read_bytes()
    assert EMERGENCY.encode() in raw
    path.write_bytes(raw.replace(EMERGENCY.encode(), FALSE.encode()))
    texts = assert_all_say_modified(site)
    for name, text in texts.items():
        assert FALSE not in text, name  # the YAML is read instead
    assert EMERGENCY in texts["card txt"]
    published = manifest_fingerprint(site)
    assert published not in texts["kb fingerprint"]
    assert one_liner_fingerprint(data_of(site)) in texts["kb fingerprint"]


@pytest.mark.slow
def test_missing_manifest_is_a_change(site: Path) -> None:
    """H2: a changed data file, and the manifest that would show it deleted."""
    organisations = data_of(site) / "organisations.yaml"
    organisations.write_text(
        organisations.read_text(encoding="utf-8").replace(EMERGENCY, FALSE), encoding="utf-8"
    )
    (data_of(site) / "MANIFEST.json").unlink()
    texts = assert_all_say_modified(site)
    assert FALSE in texts["card txt"]  # shown, but under the warning


@pytest.mark.slow
def test_changed_yaml_is_flagged_on_the_card_and_the_draft(site: Path) -> None:
    """H3: the card and the draft carry the warning too."""
    mechanisms = data_of(site) / "mechanisms.yaml"
    mechanisms.write_text(
        mechanisms.read_text(encoding="utf-8").replace(
            "reprisals@ohchr.org", "reprisals@ohchr-helpdesk.example"
        ),
        encoding="utf-8",
    )
    texts = assert_all_say_modified(site)
    assert "reprisals@ohchr-helpdesk.example" in texts["draft md"]
    assert CHANGED in texts["draft md"].lower()


@pytest.mark.slow
@pytest.mark.parametrize("change", ["added", "missing"])
def test_added_or_missing_file_is_a_change(site: Path, change: str) -> None:
    data = data_of(site)
    if change == "added":
        (data / "i18n" / "de.yaml").write_text("lang: de\n", encoding="utf-8")
    else:
        (data / "rules_test.yaml").unlink()
    assert_all_say_modified(site)
