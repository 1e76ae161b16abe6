"""The wheel carries the knowledge base: built, installed in a fresh venv, validated there."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

from release_support import build_wheel, release_fingerprint

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_validates(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Run from an empty folder, so the checkout's data/ cannot be what is found.
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(bin_dir / "reprisal-cli"), "kb", "validate"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site-packages/reprisal_cli/data" in result.stdout
    version = subprocess.run(
        [str(bin_dir / "python"), "-m", "reprisal_cli", "--version"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert release_fingerprint() in version.stdout


# What `pip install .` (the README's first command) gives the build hook: an isolated environment
# holding only `[build-system] requires`. The hook validates the knowledge base with the package's
# own code, so every distribution that code imports while building must be listed there (a rule on
# `state` once made it import Babel, and `pip install .` failed on a fresh machine while the
# editable install and `build --no-isolation` passed).
_HOOK_IMPORTS = """
import importlib.metadata, json, sys
sys.path.insert(0, sys.argv[1])
import hatch_build
from pathlib import Path
before = set(sys.modules)
hatch_build._snapshot(Path(sys.argv[1]), Path(sys.argv[1]) / "data")
tops = {m.partition(".")[0] for m in set(sys.modules) - before}
owners = importlib.metadata.packages_distributions()
print(json.dumps(sorted({d for t in tops if t in owners for d in owners[t]})))
"""


def _requirement_name(requirement: str) -> str:
    import re

    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]


def test_the_build_hook_needs_only_the_build_requirements() -> None:
    import importlib.metadata
    import json
    import sys
    import tomllib

    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # The requirements and what they require in turn (pydantic brings pydantic-core).
    declared: set[str] = set()
    todo = [_requirement_name(r) for r in project["build-system"]["requires"]]
    while todo:
        name = canonicalize_name(todo.pop())
        if name not in declared:
            declared.add(name)
            try:
                requires = importlib.metadata.requires(name) or []
            except importlib.metadata.PackageNotFoundError:
                continue  # not installed here (a marker excludes it): nothing of it imported
            todo += [_requirement_name(r) for r in requires if "extra ==" not in r]
    out = subprocess.run(
        [sys.executable, "-c", _HOOK_IMPORTS, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    imported = {canonicalize_name(d) for d in json.loads(out)} - {"reprisal-cli"}
    assert imported, "the hook imported nothing: the measure is broken"
    assert imported <= declared, (
        f"imported while building, not in build requires: {imported - declared}"
    )
