"""The interface's language: which one to use, and its gettext catalog.

One function decides the language (`resolve_lang`: `--lang`, else the locale from `LC_ALL`,
`LC_MESSAGES`, `LANG`, else English); the plan's texts follow it (`evaluate(..., lang=...)`) and
so do the interface strings (`_`, `ngettext`). Catalogs are stdlib `gettext` `.mo` files in
`reprisal_cli/locale/<lang>/LC_MESSAGES/reprisal_cli.mo`, made by Babel from the `.po` files beside
them: loading one is a file read, nothing more.

Strings are marked `_("Risk level: {level}")` and formatted *after* translation with named
placeholders, so a translator can move them. `N_` marks a string for extraction without
translating it yet (module-level constants); translate it where it is shown with `_(CONSTANT)`.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import json
import os
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from reprisal_cli.errors import UsageError

DOMAIN = "reprisal_cli"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANG = "en"
# The interface languages: the six official languages of the UN.
INTERFACE_LANGS: tuple[str, ...] = ("en", "fr", "es", "ar", "ru", "zh")
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("reprisal_cli_lang", default="en")


def lang_from_locale(environ: Mapping[str, str] | None = None) -> str | None:
    """The language of the first locale variable set (`fr_FR.UTF-8` -> `fr`), or None when it
    names no interface language (`C`, `POSIX`, `de_DE`)."""
    env = os.environ if environ is None else environ
    for name in LOCALE_VARS:
        value = env.get(name, "")
        if not value:
            continue
        # The first variable set decides, as in POSIX: LC_ALL=C means C, even with LANG=fr.
        code = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
        return code if code in INTERFACE_LANGS else None
    return None


def resolve_lang(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: `option` (`--lang`) if given, else the locale's, else English.

    `UsageError` (exit 2) for a `--lang` that is not one of `INTERFACE_LANGS`.
    """
    if option is not None:
        code = option.strip().lower()
        if code not in INTERFACE_LANGS:
            # Said in the locale's language: the one the user reads, as far as we know.
            with use_lang(lang_from_locale(environ) or DEFAULT_LANG):
                raise UsageError(
                    _("--lang: unknown language {lang!r}").format(lang=option),
                    hint=_("Use one of: {langs}.").format(langs=", ".join(INTERFACE_LANGS)),
                )
        return code
    return lang_from_locale(environ) or DEFAULT_LANG


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The interface catalog of `lang` (the strings as written for English or a missing one)."""
    if lang == DEFAULT_LANG or lang not in INTERFACE_LANGS:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


@cache
def _reviews() -> dict[str, bool]:
    path = LOCALE_DIR / "reviewed.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {lang: bool(entry.get("reviewed")) for lang, entry in data.items()}


def interface_reviewed(lang: str) -> bool:
    """Whether a native speaker has reviewed the interface catalog of `lang` (English: yes)."""
    return lang == DEFAULT_LANG or _reviews().get(lang, False)


def current_lang() -> str:
    """The interface language in effect (set by the command line, or by `use_lang`)."""
    return _current.get()


def set_lang(lang: str) -> None:
    """Make `lang` the interface language from now on (the command line does, once)."""
    _current.set(lang if lang in INTERFACE_LANGS else DEFAULT_LANG)


@contextlib.contextmanager
def use_lang(lang: str) -> Iterator[None]:
    """The interface language is `lang` inside the block (a renderer, for one document)."""
    token = _current.set(lang if lang in INTERFACE_LANGS else DEFAULT_LANG)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """`message` in the current interface language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current interface language."""
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark `message` for extraction; it is translated where shown, with `_(message)`."""
    return message
