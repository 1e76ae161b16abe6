"""Build hook: write the release manifest (sha256 of each knowledge-base file) into the wheel.

At run time a built-in knowledge base that no longer matches this manifest is reported as modified
on every output ("knowledge base changed since release: check contacts before use").
"""

from __future__ import annotations

import importlib.util
import json
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
        manifest = {
            "fingerprint": files.fingerprint_of(data),
            "files": files.file_hashes(data),
        }
        out = Path(tempfile.mkdtemp()) / files.MANIFEST
        out.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        build_data["force_include"][str(out)] = f"reprisal_cli/data/{files.MANIFEST}"
