"""The offline bundle: built once from PyPI, installed with no network at all (`unshare -n`).

scripts/build-bundle makes the folder a defender receives on a USB stick; install.sh must work
from it inside a network namespace with no interface but loopback, with venv and, where Python has
no ensurepip (Debian and Ubuntu without python3-venv), with virtualenv from the bundle's own wheels.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from release_support import release_fingerprint

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "china_2017.yaml"
NOT_RUNTIME = {"test", "tests", "dev", "docs", "lint"}

pytestmark = pytest.mark.slow


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"} and not k.startswith("PIP_")
    }
    env.update(extra)
    return env


def _unshare_prefix() -> list[str]:
    """`unshare -n` (root), else `unshare -rn` (unprivileged user namespaces); skip if neither."""
    if shutil.which("unshare") is None:
        pytest.skip(
            "unshare is not installed: the offline install cannot be tested without network"
        )
    reasons = []
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return prefix
        reasons.append(f"{' '.join(prefix)}: {probe.stderr.strip()}")
    pytest.skip(
        "unshare -n is not permitted here (needs root or user namespaces): " + "; ".join(reasons)
    )


@dataclass(frozen=True)
class Bundle:
    path: Path
    offline: list[str]

    def install(
        self, target: Path, *, python: str = sys.executable, bundle: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        script = (bundle or self.path) / "install.sh"
        return subprocess.run(
            [*self.offline, "sh", str(script), str(target)],
            env=_clean_env(PYTHON=python),
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.offline, *args],
            cwd=cwd,
            env=_clean_env(),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundle]:
    offline = _unshare_prefix()
    no_net = subprocess.run(
        [
            *offline,
            sys.executable,
            "-c",
            "import socket; socket.create_connection(('1.1.1.1', 443), timeout=3)",
        ],
        capture_output=True,
        check=False,
    )
    assert no_net.returncode != 0, "the network namespace still reaches the network"
    out = tmp_path_factory.mktemp("bundle") / "reprisal-cli-bundle"
    built = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-bundle"), str(out)],
        env=_clean_env(PYTHON=sys.executable, **_pip_index_env()),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    yield Bundle(out, offline)


def _pip_index_env() -> dict[str, str]:
    """Building (not installing) may use the caller's index settings, e.g. a PyPI mirror."""
    return {k: v for k, v in os.environ.items() if k.startswith("PIP_")}


def _sums(folder: Path) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return _normalise(match.group(0))


def _resealed_copy(bundle: Bundle, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(bundle.path, copy)
    return copy


def _reseal(folder: Path) -> None:
    """Recompute SHA256SUMS, as someone altering the bundle would."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n"
            for p in files
        ),
        encoding="utf-8",
    )


def test_bundle_is_complete_and_sealed(bundle: Bundle) -> None:
    folder = bundle.path
    for name in ("install.sh", "install.ps1", "check_bundle.py", "requirements.txt"):
        assert (folder / name).is_file(), name
    # Every file but SHA256SUMS is listed, and sha256sum -c accepts them.
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(_sums(folder)) == files - {"SHA256SUMS"}
    check = subprocess.run(
        ["sha256sum", "-c", "--strict", "SHA256SUMS"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr

    version = subprocess.run(
        [sys.executable, "-m", "reprisal_cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fingerprint = (folder / "FINGERPRINT").read_text(encoding="utf-8")
    # The release's fingerprint covers the snapshot the wheel build makes; this checkout has none,
    # so only the version line is shared with `--version` here (the install tests below compare
    # the installed copy's fingerprint with FINGERPRINT).
    expected = f"{version.splitlines()[0]}\nknowledge base fingerprint {release_fingerprint()}"
    assert fingerprint.strip() == expected

    platform = (folder / "PLATFORM").read_text(encoding="utf-8")
    assert f"python={sys.version_info.major}.{sys.version_info.minor}\n" in platform
    assert "pydantic_core-" in platform  # named among the compiled wheels

    # Every dependency and every runtime extra of pyproject.toml has its wheels in the bundle.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = sorted(set(project.get("optional-dependencies", {})) - NOT_RUNTIME)
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    wheels = {_normalise(p.name.split("-")[0]) for p in (folder / "wheels").glob("*.whl")}
    missing = {_requirement_name(r) for r in wanted} - wheels
    assert not missing, f"no wheel for {sorted(missing)}"
    requirement = (folder / "requirements.txt").read_text(encoding="utf-8")
    for extra in extras:
        assert extra in requirement
    assert {"virtualenv", "platformdirs", "distlib", "filelock"} <= {
        _normalise(p.name.split("-")[0]) for p in (folder / "virtualenv").glob("*.whl")
    }


def _check_installed(bundle: Bundle, target: Path, work: Path) -> None:
    exe = str(target / "bin" / "reprisal-cli")
    version = bundle.run(exe, "--version", cwd=work)
    assert version.returncode == 0, version.stderr
    assert release_fingerprint() in version.stdout

    plan = bundle.run(exe, "plan", str(EXAMPLE), "--format", "txt", cwd=work)
    assert plan.returncode == 0, plan.stderr
    assert "Risk level" in plan.stdout

    listing = bundle.run(exe, "checklist", cwd=work)
    assert listing.returncode == 0, listing.stderr
    checklist_id = listing.stdout.split()[0]
    pdf = work / "out.pdf"
    made = bundle.run(exe, "checklist", checklist_id, "--format", "pdf", "-o", str(pdf), cwd=work)
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")

    # Every wheel of the bundle is installed (the optional parts too), and pip finds them whole.
    installed = bundle.run(
        str(target / "bin" / "python"),
        "-c",
        "import importlib.metadata as m\nfor d in m.distributions(): print(d.metadata['Name'])",
        cwd=work,
    )
    names = {_normalise(n) for n in installed.stdout.split()}
    wheels = {_normalise(p.name.split("-")[0]) for p in (bundle.path / "wheels").glob("*.whl")}
    assert wheels <= names, f"not installed: {sorted(wheels - names)}"
    pip_check = bundle.run(str(target / "bin" / "python"), "-m", "pip", "check", cwd=work)
    assert pip_check.returncode == 0, pip_check.stdout + pip_check.stderr


def test_installs_offline_with_venv(bundle: Bundle, tmp_path: Path) -> None:
    target = tmp_path / "reprisal-cli"
    result = bundle.install(target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "python -m venv" in result.stdout
    assert "Compare the fingerprint" in result.stdout
    _check_installed(bundle, target, tmp_path)


def test_installs_offline_with_virtualenv_where_python_has_no_ensurepip(
    bundle: Bundle, tmp_path: Path
) -> None:
    # A Python without ensurepip, as Debian's python3 without python3-venv: the real interpreter,
    # with an ensurepip that cannot be imported first on its path.
    hide = tmp_path / "no-ensurepip"
    (hide / "ensurepip").mkdir(parents=True)
    (hide / "ensurepip" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'ensurepip'\")\n", encoding="utf-8"
    )
    python = tmp_path / "python3"
    python.write_text(
        f'#!/bin/sh\nPYTHONPATH={hide}${{PYTHONPATH:+:$PYTHONPATH}} exec {sys.executable} "$@"\n',
        encoding="utf-8",
    )
    python.chmod(0o755)
    target = tmp_path / "reprisal-cli"
    result = bundle.install(target, python=str(python))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "with virtualenv from this folder" in result.stdout
    assert "virtualenv = " in (target / "pyvenv.cfg").read_text(encoding="utf-8")
    _check_installed(bundle, target, tmp_path)


def test_refuses_a_python_it_was_not_built_for(bundle: Bundle, tmp_path: Path) -> None:
    copy = _resealed_copy(bundle, tmp_path)
    platform = copy / "PLATFORM"
    platform.write_text(
        re.sub(r"^python=.*$", "python=3.99", platform.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    _reseal(copy)
    target = tmp_path / "target"
    result = bundle.install(target, bundle=copy)
    assert result.returncode == 1
    assert "built for cpython 3.99" in result.stderr
    assert "pydantic_core" in result.stderr
    assert not target.exists()


def test_refuses_a_damaged_or_padded_bundle(bundle: Bundle, tmp_path: Path) -> None:
    copy = _resealed_copy(bundle, tmp_path)
    wheel = next((copy / "wheels").glob("reprisal_cli-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    target = tmp_path / "target"
    damaged = bundle.install(target, bundle=copy)
    assert damaged.returncode == 1
    assert f"wheels/{wheel.name} does not match SHA256SUMS" in damaged.stderr
    assert not target.exists()

    shutil.copy2(next((bundle.path / "wheels").glob("reprisal_cli-*.whl")), wheel)
    (copy / "wheels" / "reprisal_cli-9.9.9-py3-none-any.whl").write_bytes(b"not ours")
    padded = bundle.install(target, bundle=copy)
    assert padded.returncode == 1
    assert "unexpected file wheels/reprisal_cli-9.9.9" in padded.stderr
    assert not target.exists()


def _other_python() -> tuple[str, str]:
    """Another CPython (3.11+) on this machine, for the cross-built bundle; else this one."""
    for minor in range(11, 16):
        if minor == sys.version_info.minor:
            continue
        candidates = [shutil.which(f"python3.{minor}")] + [
            str(p) for p in Path.home().glob(f".pyenv/versions/3.{minor}.*/bin/python3.{minor}")
        ]
        for found in filter(None, candidates):
            probe = subprocess.run(
                [found, "-c", "import sys, venv, ensurepip; print(sys.version_info[1])"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0 and probe.stdout.strip() == str(minor):
                return found, f"3.{minor}"
    return sys.executable, f"3.{sys.version_info.minor}"


def test_cross_built_bundle_installs_offline(bundle: Bundle, tmp_path: Path) -> None:
    # --for fetches another platform's published wheels: here manylinux for another Python where
    # one is installed (the real interpreter then installs it offline), else for this one.
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        pytest.skip("the cross-build check installs a manylinux bundle: needs glibc Linux")
    python, version = _other_python()
    out = tmp_path / "cross"
    built = subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "build-bundle"),
            "--for",
            f"manylinux_2_17_{platform.machine()}",
            version,
            str(out),
        ],
        env=_clean_env(PYTHON=sys.executable, **_pip_index_env()),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"python={version}\n" in (out / "PLATFORM").read_text(encoding="utf-8")
    target = tmp_path / "reprisal-cli"
    result = bundle.install(target, python=python, bundle=out)
    assert result.returncode == 0, result.stdout + result.stderr
    made = bundle.run(str(target / "bin" / "reprisal-cli"), "--version", cwd=tmp_path)
    assert release_fingerprint() in made.stdout, made.stderr
