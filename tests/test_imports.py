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


RECORD_HINTS = """
import dataclasses, importlib, sys, typing
names = ["reprisal_cli.kb.models", "reprisal_cli.kb.rules", "reprisal_cli.kb.questions",
         "reprisal_cli.kb.conditions", "reprisal_cli.kb.loader", "reprisal_cli.answers",
         "reprisal_cli.engine.plan", "reprisal_cli.case.model"]
count = 0
for name in names:
    module = importlib.import_module(name)
    for value in vars(module).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            typing.get_type_hints(value, include_extras=True)
            count += 1
print(count, "pydantic" in sys.modules)
"""


def test_record_annotations_resolve_from_their_own_imports_without_pydantic() -> None:
    """Every record's constraints are names its module imports: nothing is patched into a
    module at run time, and resolving them imports no pydantic (the snapshot path)."""
    result = subprocess.run(
        [sys.executable, "-c", RECORD_HINTS], capture_output=True, text=True, check=True, cwd=ROOT
    )
    count, pydantic_loaded = result.stdout.split()
    assert int(count) > 40
    assert pydantic_loaded == "False"
