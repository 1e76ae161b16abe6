"""Putting one question through a `UI`: a line of text, one choice, several, or a country found
by name; every question offers "I don't know" and, after the first, "back"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reprisal_cli.contract import CONSENT_KEYS
from reprisal_cli.i18n import _, current_lang
from reprisal_cli.questionnaire.flow import (
    ABSENT,
    BACK_LABEL,
    DONT_KNOW_LABEL,
    Flow,
    Recorded,
    prompt_for,
    validate_text,
)
from reprisal_cli.questionnaire.ui import UI, Option, Special

if TYPE_CHECKING:
    from reprisal_cli.kb.questions import Question

TEXT_BACK = "<"


def ask(ui: UI, flow: Flow, question: Question) -> Recorded | Special:
    """Show one question; returns the answer, `ABSENT`, or `Special.BACK`."""
    respondent = flow.respondent()
    progress = flow.progress()
    intro = [_("Why we ask: {why}").format(why=question.why)]
    if question.help:
        intro.append(question.help)
    ui.show("\n".join(intro), title=str(progress))
    message = prompt_for(question, respondent, flow.location())
    default = flow.default(question)
    back = flow.can_go_back()
    if question.type == "text":
        hint = _("Press Enter on an empty line to skip.")
        if back:
            hint += " " + _("Type {back} to go back.").format(back=TEXT_BACK)
        ui.show(hint)

        def check(text: str) -> str | None:
            if back and text.strip() == TEXT_BACK:
                return None
            return validate_text(question, text)

        typed = ui.text(
            message, default=default if isinstance(default, str) else "", validate=check
        )
        if back and typed.strip() == TEXT_BACK:
            return Special.BACK
        return typed.strip() or ABSENT
    if question.type == "country":
        return ask_country(ui, message, default, back)
    options = [Option(c.label, c.value, c.help) for c in flow.choices(question)]
    options.append(Option(_(DONT_KNOW_LABEL), Special.DONT_KNOW))
    if back:
        options.append(Option(_(BACK_LABEL), Special.BACK))
    if question.type == "select":
        if question.key in CONSENT_KEYS.values() and default in (None, ABSENT):
            # Gate 10: no consent by default, and Enter alone gives none.
            chosen = ui.select(message, options, unanswered=Special.NO_ANSWER)
        else:
            chosen = ui.select(
                message,
                options,
                default=Special.DONT_KNOW if default is ABSENT else default,
            )
        if chosen in (Special.DONT_KNOW, Special.NO_ANSWER):
            return ABSENT
        if chosen is Special.BACK:
            return Special.BACK
        return chosen  # type: ignore[return-value]
    ticked = ui.checkbox(
        message,
        options,
        default=default if isinstance(default, tuple) else (),
    )
    if Special.BACK in ticked:
        return Special.BACK
    chosen = tuple(str(v) for v in ticked if not isinstance(v, Special))
    if Special.DONT_KNOW in ticked and not chosen:
        return ABSENT
    # What was ticked is known, even beside "I don't know"; nothing ticked is an answer
    # where the contract reads an empty list as one ("no one else"), else not known.
    return chosen


def ask_country(ui: UI, message: str, default: Recorded | None, back: bool) -> Recorded | Special:
    """A country, found by typing part of its name (in the interface language or English,
    or its code) and picked from the countries found; the answer is its ISO code."""
    # lazy: the country names are read only when a country is asked
    from reprisal_cli.countries import country_name, find_countries

    lang = current_lang()
    while True:
        options = []
        if isinstance(default, str):
            options.append(Option(country_name(default, lang), default))
        options.append(Option(_("Search for the country by name"), Special.SEARCH))
        options.append(Option(_(DONT_KNOW_LABEL), Special.DONT_KNOW))
        if back:
            options.append(Option(_(BACK_LABEL), Special.BACK))
        chosen = ui.select(
            message, options, default=Special.DONT_KNOW if default is ABSENT else default
        )
        if chosen is Special.DONT_KNOW:
            return ABSENT
        if chosen is Special.BACK:
            return Special.BACK
        if chosen is not Special.SEARCH:
            return chosen  # type: ignore[return-value]
        typed = ui.text(_("Type part of the country's name, or its two-letter code:"))
        found = find_countries(typed, lang)
        if not found:
            if typed.strip():
                ui.show(
                    _("No country found for '{text}'. Try fewer letters.").format(
                        text=typed.strip()
                    )
                )
            continue
        matches = [Option(country_name(code, lang), code) for code in found]
        matches.append(Option(_("Search again"), Special.SEARCH))
        matches.append(Option(_(DONT_KNOW_LABEL), Special.DONT_KNOW))
        picked = ui.select(_("Which country?"), matches, default=found[0])
        if picked is Special.DONT_KNOW:
            return ABSENT
        if picked is not Special.SEARCH:
            return picked  # type: ignore[return-value]
