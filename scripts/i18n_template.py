"""Print the knowledge-base texts a translation still lacks, as YAML to fill in.

    python scripts/i18n_template.py fr [--all] [--start N --count M] > todo.yaml

Each entry carries the English text (`en`) and a `text` to translate. Entries already translated
(and not stale) are left out unless --all. Merge finished entries into data/i18n/<lang>.yaml under
`texts:` (scripts/i18n_merge.py does it and keeps the file sorted).
"""

from __future__ import annotations

import argparse
import sys

import yaml

from reprisal_cli.kb.i18n import source_texts
from reprisal_cli.kb.loader import load_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    kb = load_kb()
    existing = kb.translations.get(args.lang)
    todo = {}
    for key, english in source_texts(kb).items():
        entry = existing.texts.get(key) if existing else None
        if entry is not None and entry.en.strip() == english.strip() and not args.all:
            continue
        todo[key] = {"en": english, "text": entry.text if entry else "TODO"}
    chosen = dict(list(todo.items())[args.start : args.start + args.count])
    sys.stdout.write(
        yaml.safe_dump({"texts": chosen}, allow_unicode=True, sort_keys=False, width=100)
    )


if __name__ == "__main__":
    main()
