"""Merge translated entries into data/i18n/<lang>.yaml.

    python scripts/i18n_merge.py fr part1.yaml [part2.yaml ...]

Each part is a YAML mapping `texts: {key: {en: ..., text: ...}}` (as i18n_template.py prints it).
Entries whose text is empty or still "TODO" are skipped. The result keeps `lang` and `reviewed`
(false for a new file) and orders the keys as the knowledge base does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from reprisal_cli.kb.files import builtin_dir
from reprisal_cli.kb.i18n import source_texts
from reprisal_cli.kb.loader import load_kb


def main() -> None:
    lang, parts = sys.argv[1], sys.argv[2:]
    target = builtin_dir() / "i18n" / f"{lang}.yaml"
    current = (
        yaml.safe_load(target.read_text(encoding="utf-8"))
        if target.exists()
        else {"lang": lang, "reviewed": False, "texts": {}}
    )
    texts = dict(current.get("texts") or {})
    for part in parts:
        data = yaml.safe_load(Path(part).read_text(encoding="utf-8")) or {}
        for key, entry in (data.get("texts") or {}).items():
            text = str(entry.get("text", "")).strip()
            if text and text != "TODO":
                texts[key] = {"en": entry["en"], "text": text}
    order = list(source_texts(load_kb()))
    ranked = sorted(texts, key=lambda k: order.index(k) if k in order else len(order))
    out = {
        "lang": lang,
        "reviewed": bool(current.get("reviewed", False)),
        "texts": {k: texts[k] for k in ranked},
    }
    target.write_text(
        yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    print(f"{target}: {len(texts)} entries")


if __name__ == "__main__":
    main()
