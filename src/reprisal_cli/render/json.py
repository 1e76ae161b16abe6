"""The plan as contract JSON (§2): stable key order, UTF-8, one trailing newline; control, bidi
and invisible characters written as `\\u` escapes."""

from __future__ import annotations

import json

from reprisal_cli.engine.plan import Plan
from reprisal_cli.untrusted import json_escape


def plan_json(plan: Plan, *, redact: bool = False) -> str:
    """`--format json`. With `redact`, the case id (free text) is dropped."""
    data = plan.to_json_dict()
    if redact:
        data["case_id"] = None
    return json_escape(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
