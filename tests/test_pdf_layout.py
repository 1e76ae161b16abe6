"""Headers and footers of every PDF fit in every language: no two words drawn over each other.

The French header drew "2026-12-0" under "Base de connaissances" on every page (issue 24). Each
PDF is read back with `pdftotext -bbox`, which gives the box of every word drawn; in the header
and footer bands no two boxes may overlap, and each text of the furniture comes out as whole
words (overlapping texts merge into one word, "2026-12-0Base").
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.cli import app
from reprisal_cli.i18n import INTERFACE_LANGS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "china_2017.yaml"
# Header and footer bands, in points from the top and bottom of the page (the body starts at
# 20 mm, 57 pt, and ends 20 mm above the bottom).
BAND = 50.0
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)

Box = tuple[float, float, float, float, str]

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def _pages(pdf: Path) -> list[tuple[float, list[Box]]]:
    """Each page's height and the boxes of the words drawn on it."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages: list[tuple[float, list[Box]]] = []
    for chunk in out.split("<page ")[1:]:
        size = _PAGE.search("<page " + chunk)
        assert size is not None
        words = [
            (float(a), float(b), float(c), float(d), text)
            for a, b, c, d, text in _WORD.findall(chunk)
        ]
        pages.append((float(size.group(2)), words))
    return pages


def _overlaps(words: list[Box]) -> list[tuple[str, str]]:
    found = []
    for i, (x0, y0, x1, y1, text) in enumerate(words):
        for u0, v0, u1, v1, other in words[i + 1 :]:
            # A quarter of a point of slack: neighbouring glyphs of one word may touch.
            if min(x1, u1) - max(x0, u0) > 0.25 and min(y1, v1) - max(y0, v0) > 0.25:
                found.append((text, other))
    return found


def _furniture(pdf: Path) -> list[list[Box]]:
    bands = []
    for height, words in _pages(pdf):
        bands.append([w for w in words if w[3] < BAND])
        bands.append([w for w in words if w[1] > height - BAND])
    return bands


def test_overlapping_words_are_found() -> None:
    # The French header as it was drawn: the date ran under the knowledge-base label.
    header = [
        (257.9, 26.2, 304.4, 35.5, "2026-12-02"),
        (297.2, 26.2, 316.7, 35.5, "Base"),
        (319.3, 26.2, 329.3, 35.5, "de"),
    ]
    assert _overlaps(header) == [("2026-12-02", "Base")]
    assert _overlaps(header[1:]) == []


@pytest.mark.parametrize("lang", INTERFACE_LANGS)
def test_plan_pdf_header_and_footer_fit_in_every_language(lang: str, tmp_path: Path) -> None:
    pdf = tmp_path / f"plan-{lang}.pdf"
    result = CliRunner().invoke(
        app,
        ["plan", str(EXAMPLE), "--lang", lang, "--as-of", "2026-12-02", "-o", str(pdf)],
    )
    assert result.exit_code == 0, result.output
    bands = _furniture(pdf)
    assert len(bands) >= 4  # more than one page: every page is checked
    for band in bands:
        assert band, "a header or footer is missing"
        assert _overlaps(band) == [], (lang, _overlaps(band))
    words = {w[4] for band in bands for w in band}
    # The date and the knowledge base's fingerprint stand as words of their own.
    assert "2026-12-02" in words, (lang, sorted(words))
    assert any(re.fullmatch(r"sha256:[0-9a-f]{12}", w) for w in words), (lang, sorted(words))


@pytest.mark.parametrize("lang", INTERFACE_LANGS)
def test_checklist_pdf_header_and_footer_fit_in_every_language(lang: str, tmp_path: Path) -> None:
    pdf = tmp_path / f"checklist-{lang}.pdf"
    result = CliRunner().invoke(
        app,
        [
            "checklist",
            "emergency_now",
            "--lang",
            lang,
            "--as-of",
            "2026-12-02",
            "-f",
            "pdf",
            "-o",
            str(pdf),
        ],
    )
    assert result.exit_code == 0, result.output
    for band in _furniture(pdf):
        assert _overlaps(band) == [], (lang, _overlaps(band))
