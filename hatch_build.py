"""Build hook: write the knowledge-base snapshot and the release manifest (sha256 of each file of
the data folder, the snapshot included) into the wheel.

At run time a built-in knowledge base that no longer matches this manifest is reported as modified
on every output ("knowledge base changed since release: check contacts before use").
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ManifestHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location(
            "_kb_files", root / "src" / "reprisal_cli" / "kb" / "files.py"
        )
        assert spec is not None and spec.loader is not None
        files = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(files)
        data = root / "data"
        out_dir = Path(tempfile.mkdtemp())
        snapshot = out_dir / files.SNAPSHOT
        snapshot.write_bytes(_snapshot(root, data))
        build_data["force_include"][str(snapshot)] = f"reprisal_cli/data/{files.SNAPSHOT}"
        # Every file the wheel puts in reprisal_cli/data, the snapshot included: at run time a
        # changed, added or missing one is reported as a change.
        hashes = files.file_hashes(data)
        hashes[files.SNAPSHOT] = files.file_sha256(snapshot)
        out = out_dir / files.MANIFEST
        # And the package's files of words outside the data folder (the draft's texts, the
        # HTML templates, the catalogs): a changed consent statement is a change too.
        package = files.package_hashes(root / "src" / "reprisal_cli")
        out.write_text(files.manifest_for(hashes, package), encoding="utf-8")
        build_data["force_include"][str(out)] = f"reprisal_cli/data/{files.MANIFEST}"


def _snapshot(root: Path, data: Path) -> bytes:
    """The validated knowledge base, written by the package's own code from `src/`."""
    src = str(root / "src")
    sys.path.insert(0, src)
    try:
        for name in [
            m for m in sys.modules if m == "reprisal_cli" or m.startswith("reprisal_cli.")
        ]:
            del sys.modules[name]
        from reprisal_cli.kb import snapshot
        from reprisal_cli.kb.loader import load_kb

        return snapshot.build(load_kb(data))
    finally:
        sys.path.remove(src)
