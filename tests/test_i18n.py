"""The interface's translations: language choice, catalogs complete and compiled, and plans
rendered in French and Spanish in every format, Arabic and Chinese PDFs read back and drawn."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reprisal_cli.i18n import INTERFACE_LANGS, LOCALE_DIR, lang_from_locale, resolve_lang
from reprisal_cli.kb.knowledge import KnowledgeBase

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import read_mo, write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bahrain_2012.yaml"
PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rs])?\}")


def _extracted() -> set[str]:
    src = ROOT / "src" / "reprisal_cli"
    method_map = [("**.py", "python"), ("**/templates/**.j2", "jinja2")]
    ids: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        src, method_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "reprisal_cli.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def test_every_interface_string_is_in_the_template_and_translated_in_six_catalogs() -> None:
    with (LOCALE_DIR / "reprisal_cli.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert _extracted() == template, "run pybabel extract (see locale/babel.cfg)"
    assert set(INTERFACE_LANGS) == {"en", "fr", "es", "ar", "ru", "zh"}
    for lang in INTERFACE_LANGS:
        catalog = _catalog(lang)
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        assert template <= ids, (lang, template - ids)
        for message in catalog:
            if not message.id:
                continue
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(forms), (lang, message.id)
            assert "fuzzy" not in message.flags, (lang, message.id)
            source = message.id if isinstance(message.id, str) else message.id[1]
            wanted = sorted(set(PLACEHOLDER.findall(source)))
            for form in forms:
                assert sorted(set(PLACEHOLDER.findall(form))) == wanted, (lang, source, form)
                form.format(**{p.strip("{}").split("!")[0]: "x" for p in wanted})


def _messages(catalog) -> dict[object, object]:  # type: ignore[no-untyped-def]
    # Babel stamps its own version into the header it writes ("Generated-By"), so the header is
    # compared without it: a newer Babel on the test machine must not fail an unchanged catalog.
    header = [line for line in catalog.mime_headers if line[0].lower() != "generated-by"]

    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    messages: dict[object, object] = {plain(m.id): plain(m.string) for m in catalog if m.id}
    messages["<header>"] = header
    return messages


def test_compiled_catalogs_are_up_to_date() -> None:
    for lang in INTERFACE_LANGS:
        compiled = LOCALE_DIR / lang / "LC_MESSAGES" / "reprisal_cli.mo"
        with compiled.open("rb") as handle:
            committed = read_mo(handle)
        buffer = io.BytesIO()
        write_mo(buffer, _catalog(lang))
        buffer.seek(0)
        fresh = read_mo(buffer)
        assert _messages(fresh) == _messages(committed), f"{lang}: run pybabel compile"


def test_each_catalog_records_whether_it_was_reviewed() -> None:
    from reprisal_cli.i18n import interface_reviewed

    assert interface_reviewed("en")
    for lang in ("fr", "es", "ar", "ru", "zh"):
        assert not interface_reviewed(lang)
        header = (LOCALE_DIR / lang / "LC_MESSAGES" / "reprisal_cli.po").read_text("utf-8")
        assert "# reviewed: false" in header


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "es_ES.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, "ru"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "fr_FR"}, "zh"),
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, None),
        ({}, None),
    ],
)
def test_locale_detection(env: dict[str, str], lang: str | None) -> None:
    assert lang_from_locale(env) == lang
    assert resolve_lang(None, env) == (lang or "en")
    assert resolve_lang("es", env) == "es"


def _cli(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    from reprisal_cli.cli import app

    base = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "SOURCE_DATE_EPOCH": "1767225600"}
    result = CliRunner().invoke(app, args, env={**base, **(env or {})})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["plan", str(EXAMPLE)],
        ["checklist"],
        ["form"],
        ["schema", "answers"],
        ["kb", "validate"],
        ["kb", "fingerprint"],
    ],
)
def test_unknown_lang_is_a_usage_error_on_every_command(args: list[str]) -> None:
    code, _out, err = _cli([*args, "--lang", "xx"])
    assert code == 2
    assert "--lang" in err and "'xx'" in err


def test_plan_follows_the_locale_and_lang_overrides_it() -> None:
    code, out, _ = _cli(["plan", str(EXAMPLE), "-f", "md"], {"LANG": "fr_FR.UTF-8"})
    assert code == 0 and "# Plan d'action" in out
    code, out, _ = _cli(["plan", str(EXAMPLE), "-f", "md", "--lang", "es"], {"LANG": "fr_FR"})
    assert code == 0 and "# Plan de acción" in out
    code, out, _ = _cli(["plan", str(EXAMPLE), "-f", "md"])
    assert code == 0 and "# Action plan" in out
    code, _out, err = _cli(["plan", str(EXAMPLE), "--lang", "xx"], {"LANG": "fr_FR"})
    assert "langue inconnue" in err


HEADINGS = {
    "fr": ("Plan d'action", "Niveau de risque", "À faire maintenant", "Cette semaine"),
    "es": ("Plan de acción", "Nivel de riesgo", "Hacer ahora", "Esta semana"),
}


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("fmt", ["json", "md", "txt", "html", "pdf", "terminal"])
def test_french_and_spanish_plans_render_in_every_format(
    lang: str, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / f"plan.{fmt}"
    args = ["plan", str(EXAMPLE), "--lang", lang, "-f", fmt]
    if fmt == "terminal":
        code, text, err = _cli([*args], {"NO_COLOR": "1", "COLUMNS": "100"})
    else:
        code, _text, err = _cli([*args, "-o", str(out)])
    assert code == 0, err
    if fmt == "json":
        assert f'"lang": "{lang}"' in out.read_text("utf-8") or lang not in _kb_langs()
        return
    if fmt == "pdf":
        from pypdf import PdfReader

        text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    elif fmt != "terminal":
        text = out.read_text("utf-8")
    flat = " ".join(text.split())
    for heading in HEADINGS[lang]:
        assert heading in flat.replace("&#39;", "'"), (fmt, heading)
    # The interface catalog is not reviewed yet: every format says so.
    footer = {"fr": "pas encore relues", "es": "aún no revisadas"}[lang]
    assert footer in flat


def _kb_langs() -> set[str]:
    from reprisal_cli.kb.loader import load_kb

    return set(load_kb(None).translations)


def test_arabic_html_is_right_to_left() -> None:
    code, out, _ = _cli(["plan", str(EXAMPLE), "--lang", "ar", "-f", "html"])
    assert code == 0
    assert '<html lang="ar" dir="rtl">' in out
    assert "خطة عمل: الحماية من الأعمال الانتقامية" in out


def _pdf_and_png(lang: str, tmp_path: Path) -> tuple[str, Path]:
    from pypdf import PdfReader

    pdf = tmp_path / f"{lang}.pdf"
    code, _out, err = _cli(["plan", str(EXAMPLE), "--lang", lang, "-f", "pdf", "-o", str(pdf)])
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing on CI: .ci/system-deps installs it")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    png = tmp_path / lang
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(png)], check=True
    )
    page = next(tmp_path.glob(f"{lang}-*1.png"))
    return text, page


def _ink(png: Path) -> float:
    """Share of the page's pixels that are not white (pdftoppm writes 8-bit RGB PNGs)."""
    import zlib

    data = png.read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    chunks, pos = b"", 8
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        if data[pos + 4 : pos + 8] == b"IDAT":
            chunks += data[pos + 8 : pos + 8 + size]
        pos += 12 + size
    raw = zlib.decompress(chunks)
    stride = width * 3 + 1
    dark = sum(
        1
        for y in range(0, height, 2)
        for x in range(1, width * 3 + 1, 6)
        if raw[y * stride + x] < 200
    )
    return dark / ((height // 2) * (width // 2))


def test_arabic_pdf_is_shaped_and_not_blank(tmp_path: Path) -> None:
    text, png = _pdf_and_png("ar", tmp_path)
    # Shaped glyphs extract as presentation forms or base letters, depending on the reader:
    # compare without them.
    import unicodedata

    plain = unicodedata.normalize("NFKC", text)
    assert "الخطر" in plain or "الخطر"[::-1] in plain
    assert _ink(png) > 0.01


def test_chinese_pdf_embeds_the_glyphs_and_is_not_blank(tmp_path: Path) -> None:
    text, png = _pdf_and_png("zh", tmp_path)
    # pypdf reads fpdf2's two-byte codes of the CFF font with a NUL before each character.
    text = text.replace("\x00", "")
    assert "行动计划" in text
    assert "风险等级" in text
    assert _ink(png) > 0.01


def test_the_cjk_font_covers_the_chinese_texts() -> None:
    from fontTools.ttLib import TTFont

    font = ROOT / "src" / "reprisal_cli" / "render" / "fonts" / "NotoSansSC-Subset.otf"
    cmap = TTFont(font).getBestCmap()
    texts = (LOCALE_DIR / "zh" / "LC_MESSAGES" / "reprisal_cli.po").read_text("utf-8")
    zh_kb = ROOT / "data" / "i18n" / "zh.yaml"
    if zh_kb.exists():
        texts += zh_kb.read_text("utf-8")
    missing = {c for c in texts if ord(c) >= 0x2E80 and ord(c) not in cmap and not c.isspace()}
    assert not missing, "regenerate the CJK subset: " + "".join(sorted(missing))


def test_arabic_plural_forms_follow_cldr() -> None:
    # CLDR's Arabic rule: 0 zero, 1 one, 2 two, 3-10 few, 11-99 many, else other (100, 101...).
    from reprisal_cli.i18n import ngettext, use_lang

    with use_lang("ar"):
        for n, word in [(3, "أيام"), (10, "أيام"), (11, "يومًا"), (99, "يومًا"), (103, "أيام")]:
            text = ngettext(
                "Reassess the risk after {days} day.", "Reassess the risk after {days} days.", n
            )
            assert text.format(days=n).endswith(f"{{days}} {word}.".format(days=n)), (n, text)
        text = ngettext(
            "Reassess the risk after {days} day.", "Reassess the risk after {days} days.", 100
        )
        assert text.format(days=100).endswith("100 يوم."), text


@pytest.mark.parametrize(
    ("lang", "n", "word"),
    [("ru", 21, "знака"), ("ru", 2000, "знаков"), ("ar", 2000, "حرف"), ("ar", 50, "حرفًا")],
)
def test_character_limit_message_takes_the_plural_of_the_count(
    lang: str, n: int, word: str
) -> None:
    from reprisal_cli.i18n import ngettext, use_lang

    with use_lang(lang):
        text = ngettext(
            "Use at most {limit} character ({count} now).",
            "Use at most {limit} characters ({count} now).",
            n,
        ).format(limit=n, count=n + 1)
    assert f"{n} {word} " in text, text


@pytest.mark.parametrize("lang", INTERFACE_LANGS)
def test_the_interface_names_each_consent_purpose_as_the_knowledge_base_does(
    lang: str, kb: KnowledgeBase
) -> None:
    """A draft's guidance or the questionnaire (interface catalog) and the plan (knowledge
    base) name a consent the same way in each language: two names for one consent would make
    a reader wonder whether they are the same (red team red28 moved them into the catalog)."""
    from reprisal_cli.cli.knowledge import in_language
    from reprisal_cli.i18n import translations
    from reprisal_cli.render.labels import PURPOSE_WORDS

    english = kb.safety.purpose_labels
    assert {p: english[p] for p in PURPOSE_WORDS} == PURPOSE_WORDS
    assert set(PURPOSE_WORDS) == set(english)
    words = in_language(kb, lang).safety.purpose_labels
    catalog = translations(lang)
    assert {p: catalog.gettext(t) for p, t in PURPOSE_WORDS.items()} == dict(words)
