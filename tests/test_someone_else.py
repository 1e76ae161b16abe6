"""Questions and answer labels read right when someone else answers for the person at risk.

A question asked about "the person at risk" must not offer answers in the first person ("I plan
to work with the UN"): the French review found exactly that (issue 24). Every question that speaks
to "you" has a third-person wording, in every language, and the answer labels are neutral.
"""

from __future__ import annotations

import re

import pytest

from reprisal_cli.contract import CONSENT_PURPOSES
from reprisal_cli.kb.i18n import translate_kb
from reprisal_cli.kb.loader import load_kb
from reprisal_cli.questionnaire.flow import prompt_for

LANGS = ("fr", "es", "ar", "ru", "zh")
# First-person words of each language (subject and object pronouns, possessives, and the verb
# forms the machine translation used). Labels speak of the situation, not of the one answering.
FIRST_PERSON = {
    "en": r"\b(I|I'm|my|me|we|our)\b",
    "fr": r"\b(je|j'|mon|ma|mes|me|moi|nous|notre|nos)\b",
    "es": r"\b(yo|mi|mis|me|estoy|tengo|planeo|nosotros|nuestr[oa]s?)\b",
    "ar": r"(^|\s)(أنا|أخطط|أعمل|لم أبدأ|نحن|لدي)(\s|$|،)",
    "ru": r"(?<![а-яё])(я|мой|моя|мои|моё|меня|мне|мы|наш[а-яё]*|планирую|работаю)(?![а-яё])",
    "zh": r"我",
}
# Labels that are about the one answering, whoever it is: who answers, and how sure they are.
ABOUT_THE_ANSWERER = {("respondent", "self"), ("devices_compromised", False)}


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return load_kb()


def test_every_question_to_you_has_a_wording_for_someone_else(kb) -> None:  # type: ignore[no-untyped-def]
    for question in kb.questions:
        if question.id == "respondent":
            continue
        if re.search(r"\byou(r|rs|rself)?\b", question.prompt, re.IGNORECASE):
            assert question.prompt_other, question.id
            assert not re.search(r"\byou(r|rs)?\b", question.prompt_other.replace("you want", ""))


@pytest.mark.parametrize("lang", ("en", *LANGS))
def test_questions_and_labels_for_someone_else_in_every_language(kb, lang: str) -> None:  # type: ignore[no-untyped-def]
    translated = kb if lang == "en" else translate_kb(kb, kb.translations[lang])
    first_person = re.compile(FIRST_PERSON[lang], re.IGNORECASE)
    for question, english in zip(translated.questions, kb.questions, strict=True):
        if english.prompt_other:
            # The third-person wording is the one asked when a relative or an organisation answers.
            assert prompt_for(question, "family") == question.prompt_other
            assert prompt_for(question, "self") == question.prompt
        for choice in question.choices:
            if (question.id, choice.value) in ABOUT_THE_ANSWERER:
                continue
            assert not first_person.search(choice.label), (lang, question.id, choice.label)


@pytest.mark.parametrize("lang", ("en", *LANGS))
@pytest.mark.parametrize("location", ["in_detention", "whereabouts_unknown"])
def test_consents_for_someone_held_are_the_familys_to_give(kb, lang: str, location: str) -> None:  # type: ignore[no-untyped-def]
    """A family answering for someone detained or missing was asked "Does the person at risk
    agree ...?", which they cannot know (seen in assess, session 31): a consent is then asked
    as the person's, or their family's or representative's for them (contract §1), in every
    language; elsewhere, and to the person themselves, as before."""
    translated = kb if lang == "en" else translate_kb(kb, kb.translations[lang])
    purposes = {f"consent_{p}" for p in CONSENT_PURPOSES}
    held = [q for q in translated.questions if q.key in purposes]
    assert len(held) == len(purposes)
    for question in held:
        english = next(q for q in kb.questions if q.key == question.key)
        assert english.prompt_held and "family or a representative" in english.prompt_held
        if lang != "en":  # translated, not the English left in place
            assert question.prompt_held not in (question.prompt_other, english.prompt_held)
        assert prompt_for(question, "family", location) == question.prompt_held
        assert prompt_for(question, "unknown", location) == question.prompt_held
        assert prompt_for(question, "self", location) == question.prompt
        assert prompt_for(question, "family", "home_country") == question.prompt_other
        assert prompt_for(question, "family", None) == question.prompt_other
    # Only consents: other questions are asked alike whether or not the person is held.
    assert all(q.prompt_held is None for q in kb.questions if q.key not in purposes)
