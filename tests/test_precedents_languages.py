"""Issue 12: a plan for each of the five precedents renders in Arabic, Russian and Chinese in
every format; each PDF is read back and rasterised, and is not blank."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from reprisal_cli.answers import load_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.i18n import use_lang
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.render import PLAN_FORMATS, RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
PRECEDENTS = ["china_2017", "burundi_2016", "bahrain_2012", "honduras_2017", "cuba_2018"]
AS_OF = dt.date(2026, 11, 25)


def _plain(text: str) -> str:
    # Shaped Arabic extracts as presentation forms; CJK with NULs between characters.
    return "".join(unicodedata.normalize("NFKC", text).replace("\x00", "").split())


def _png_not_blank(pdf: bytes, folder: Path) -> None:
    tool = shutil.which("pdftoppm")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing on CI: .ci/system-deps installs it")
        pytest.skip("pdftoppm is not installed")
    source = folder / "plan.pdf"
    source.write_bytes(pdf)
    subprocess.run([tool, "-r", "30", "-png", "-f", "1", "-l", "1", str(source),
                    str(folder / "page")], check=True)  # fmt: skip
    png = next(folder.glob("page*.png"))
    # A blank A4 page at 30 dpi compresses to well under 2 KB; a page of text does not.
    assert png.stat().st_size > 4000, png.stat().st_size


@pytest.mark.parametrize("lang", ["ar", "ru", "zh"])
@pytest.mark.parametrize("example", PRECEDENTS)
def test_precedent_renders_in_every_format(
    kb: KnowledgeBase, lang: str, example: str, tmp_path: Path
) -> None:
    plan = evaluate(load_answers(ROOT / "examples" / f"{example}.yaml"), kb, as_of=AS_OF,
                    lang=lang)  # fmt: skip
    assert plan.lang == lang
    title = plan.steps[0].title
    with use_lang(lang):
        for fmt in PLAN_FORMATS:
            out = render(plan, fmt, kb, RenderOptions(lang=lang))
            if fmt == "json":
                assert json.loads(out)["lang"] == lang
            elif fmt == "pdf":
                assert isinstance(out, bytes)
                text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out)).pages)
                words = [w for w in title.split() if len(w) > 2][:2] or [title[:3]]
                squashed = _plain(text)
                assert any(_plain(w) in squashed or _plain(w)[::-1] in squashed for w in words)
                _png_not_blank(out, tmp_path)
            else:
                assert isinstance(out, str)
                assert title.split()[0] in out or fmt == "html"
