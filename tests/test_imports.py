"""Heavy modules load only where they are needed (issue 9): checked by what a real process
imported, not by timing."""

from __future__ import annotations

import ast
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
sys.stderr.write("\\nIMPORTED " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def imported(*args: str) -> set[str]:
    """The top-level packages a run of `reprisal-cli ARGS` imported."""
    return {name.split(".")[0] for name in modules_of(*args)}


def modules_of(*args: str) -> set[str]:
    """Every module a run of `reprisal-cli ARGS` imported."""
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


def test_version_builds_no_command() -> None:
    # `--version` is answered before any command is looked at: building all fourteen took
    # about a third of its time (0.26 -> 0.17 s, 2026-12-03).
    commands = {m for m in modules_of("--version") if m.startswith("reprisal_cli.cli.")}
    assert commands <= {"reprisal_cli.cli.boundary", "reprisal_cli.cli.knowledge"}, commands


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


SOURCE = ROOT / "src" / "reprisal_cli"
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
IMPORTS = (ast.Import, ast.ImportFrom)


def _has_reason(lines: list[str], lineno: int) -> bool:
    """`# lazy:` on the import's line or in the comment lines right above it."""
    if "# lazy:" in lines[lineno - 1]:
        return True
    index = lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        if lines[index].lstrip().startswith("# lazy:"):
            return True
        index -= 1
    return False


def _unexplained(body: list[ast.stmt], lines: list[str], in_function: bool) -> list[int]:
    found: list[int] = []
    first: ast.stmt | None = None
    for statement in body:
        if isinstance(statement, IMPORTS):
            first = first or statement
            explained = _has_reason(lines, statement.lineno) or _has_reason(lines, first.lineno)
            if in_function and not explained:
                found.append(statement.lineno)
        else:
            first = None
        inner = in_function or isinstance(statement, FUNCTIONS)
        for field in ("body", "orelse", "finalbody"):
            block = getattr(statement, field, None)
            if isinstance(block, list) and block:
                found += _unexplained(block, lines, inner)
        for clause in [*getattr(statement, "handlers", []), *getattr(statement, "cases", [])]:
            found += _unexplained(clause.body, lines, inner)
    return found


def unexplained_function_imports(path: Path) -> list[int]:
    text = path.read_text(encoding="utf-8")
    return _unexplained(ast.parse(text).body, text.splitlines(), in_function=False)


def test_every_function_level_import_says_why_it_is_lazy() -> None:
    """Issue 20: an import inside a function only where it serves start-up, with a one-line
    `# lazy: <reason>` on its line, above it, or above the first import of its block."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        for line in unexplained_function_imports(path)
    ]
    assert offenders == []


def test_the_lazy_import_check_sees_nested_blocks_and_skips_module_level() -> None:
    sample = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import os\n"
        "def f() -> None:\n"
        "    # lazy: a reason\n"
        "    import json\n"
        "    import csv\n"
        "    x = 1\n"
        "    import io\n"
        "    try:\n"
        "        import zlib\n"
        "    except ImportError:\n"
        "        import gzip  # lazy: another reason\n"
        "class C:\n"
        "    def m(self) -> None:\n"
        "        if True:\n"
        "            import re\n"
    )
    assert _unexplained(ast.parse(sample).body, sample.splitlines(), in_function=False) == [
        9,
        11,
        17,
    ]
