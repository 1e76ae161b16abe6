"""Heavy modules load only where they are needed (issue 9): checked by what a real process
imported, not by timing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("questionary", "prompt_toolkit", "jinja2", "fpdf", "pyrage")

PROBE = """
import json, sys
sys.argv = ["reprisal-cli", *json.loads(sys.argv[1])]
from reprisal_cli.cli import main
try:
    main()
except SystemExit:
    pass
roots = sorted({name.split(".")[0] for name in sys.modules})
sys.stderr.write("\\nIMPORTED " + json.dumps(roots) + "\\n")
"""


def imported(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    line = result.stderr.rsplit("IMPORTED ", 1)[1]
    return set(json.loads(line))


def test_version_imports_no_heavy_module_nor_rich_nor_pydantic() -> None:
    modules = imported("--version")
    assert not modules & {*HEAVY, "rich", "pydantic", "yaml"}


def test_plan_json_imports_no_prompt_template_or_pdf_library() -> None:
    modules = imported(
        "plan", "examples/china_2017.yaml", "--format", "json", "--as-of", "2026-11-25"
    )
    assert "reprisal_cli" in modules
    assert not modules & {*HEAVY, "rich"}


def test_checklist_markdown_imports_no_prompt_template_or_pdf_library() -> None:
    modules = imported("checklist", "document_incident", "--format", "md")
    assert not modules & {*HEAVY, "rich"}
