"""The questionnaire as a pure state machine: answers so far -> the next question.

No terminal here. A front end asks `next_question()`, shows it, and calls `answer()`, `dont_know()`
or `back()`; at the end `review()` lists the answers, `change()` edits one, and `answers()` builds
the contract's `Answers`. "I don't know / prefer not to say" is recorded as not known, so the
engine reads it cautiously (contract §3, gate 7).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reprisal_cli.answers import FUTURE, Answers, AnswerValueError, check_answer
from reprisal_cli.contract import (
    ANSWER_KEYS,
    CONSENT_KEYS,
    EMPTY_LIST_ANSWERS,
    LOCATIONS_CANNOT_ACT,
    NOTES_MAX_CHARS,
    RESPONDENTS,
)
from reprisal_cli.countries import country_name
from reprisal_cli.engine.conditions import holds
from reprisal_cli.i18n import N_, _, current_lang, ngettext
from reprisal_cli.kb.questions import Choice, Question
from reprisal_cli.questionnaire.ui import same_value

DONT_KNOW_LABEL = N_("I don't know / prefer not to say")
BACK_LABEL = N_("← Back")


class Absent(enum.Enum):
    """The answer "I don't know / prefer not to say": asked, and left unknown."""

    ABSENT = "absent"


ABSENT = Absent.ABSENT

Value = str | bool | tuple[str, ...]
Recorded = Value | Absent


@dataclass(frozen=True)
class Progress:
    """Where the user is: question `number` of about `total`."""

    number: int
    total: int

    def __str__(self) -> str:
        return _("Question {number} of about {total}").format(number=self.number, total=self.total)


@dataclass(frozen=True)
class ReviewItem:
    """One line of the review screen: a question and its answer in words."""

    question: Question
    value: Recorded | None  # None: not answered (skipped or not asked)
    shown: str


class Flow:
    """The state of one questionnaire run. Mutable, pure, and cheap to copy in tests."""

    def __init__(self, questions: Sequence[Question], prefill: Answers | None = None) -> None:
        self.questions: tuple[Question, ...] = tuple(questions)
        self._by_id = {q.id: q for q in self.questions}
        self._values: dict[str, Recorded] = {}
        # Question ids in the order they were answered in this run, for `back()`.
        self._history: list[str] = []
        # A previous answer shown as the default when a question is asked again.
        self._defaults: dict[str, Recorded] = {}
        # Each consent answered in this run, with the words it was asked in (`_reword`).
        self._asked_as: dict[str, str] = {}
        if prefill is not None:
            present = prefill.present()
            for q in self.questions:
                if q.key in present:
                    value = present[q.key]
                    self._values[q.id] = tuple(value) if isinstance(value, tuple) else value
            self._prune()

    # -- asking ----------------------------------------------------------------------------

    def next_question(self) -> Question | None:
        """The first question not answered yet whose `when` holds; None when all are done."""
        for q in self.questions:
            if q.id not in self._values and self.applies(q):
                return q
        return None

    def applies(self, question: Question) -> bool:
        """Whether the question's `when` holds for the answers so far."""
        return question.when is None or holds(question.when, self._current())

    def choices(self, question: Question) -> tuple[Choice, ...]:
        """The choices offered for the answers so far (each choice's `when`), with the one
        already recorded or brought in, whatever its `when` says: it is never taken away."""
        current = self._current()
        kept = self._values.get(question.id, self._defaults.get(question.id))
        return tuple(
            c
            for c in question.choices
            if c.when is None or holds(c.when, current) or _is_value(c.value, kept)
        )

    def answer(self, question: Question, value: Recorded) -> None:
        """Record an answer (or `ABSENT`), checked against the contract."""
        self._values[question.id] = check_value(question, value)
        self._history = [i for i in self._history if i != question.id]
        self._history.append(question.id)
        self._defaults.pop(question.id, None)
        if question.key in CONSENT_KEYS.values():
            self._asked_as[question.id] = prompt_for(question, self.respondent(), self.location())
        self._prune()
        self._reword()

    def _reword(self) -> None:
        """Ask again each consent answered in this run in other words than it is asked now
        (who answers, or where the person at risk is, changed since), its answer preselected:
        a family's yes for someone detained ("the person at risk, or their family ... for
        them") read, once the location was corrected, as the person's own, and a relative's
        report of what the person wants as the person's answer (red team red42)."""
        respondent, location = self.respondent(), self.location()
        reworded = [
            qid
            for qid, words in self._asked_as.items()
            if qid in self._values and prompt_for(self._by_id[qid], respondent, location) != words
        ]
        for qid in reworded:
            self._defaults[qid] = self._values.pop(qid)
            self._history = [i for i in self._history if i != qid]
        self._asked_as = {q: w for q, w in self._asked_as.items() if q in self._values}
        if reworded:
            self._prune()  # who gave the consents, and when, go with them

    def dont_know(self, question: Question) -> None:
        """ "I don't know / prefer not to say": recorded as not known."""
        self.answer(question, ABSENT)

    def can_go_back(self) -> bool:
        """Whether a question was answered in this run (so "Back" has somewhere to go)."""
        return bool(self._history)

    def back(self) -> Question | None:
        """Undo the last answer of this run; its question comes next, with it as default."""
        if not self._history:
            return None
        last = self._history.pop()
        value = self._values.pop(last, None)
        if value is not None:
            self._defaults[last] = value
        self._prune()
        return self._by_id[last]

    def respondent(self) -> str | None:
        """Who answers, for the questions' wording (`prompt_for`): the answer; "unknown" once
        the question was left unanswered, so that the questions then speak of the person at
        risk as the plan will (contract.reader_of: `person` only when they answered), and a
        relative is never asked about "your case" and "your" consent; None before it is asked."""
        for q in self.questions:
            if q.key == "respondent" and q.id in self._values:
                value = self._values[q.id]
                return value if isinstance(value, str) and value in RESPONDENTS else "unknown"
        return None

    def location(self) -> str | None:
        """Where the person at risk is, as answered so far (for the consents' wording: a
        family deciding for someone detained or missing); None when not answered."""
        for q in self.questions:
            if q.key == "location":
                value = self._values.get(q.id)
                return value if isinstance(value, str) else None
        return None

    def default(self, question: Question) -> Recorded | None:
        """The answer to preselect: the one undone by `back()`, else the current one."""
        return self._defaults.get(question.id, self._values.get(question.id))

    def progress(self) -> Progress:
        """Question number of about total: counts questions whose `when` holds, or cannot be
        decided yet because it reads answers still to come."""
        done = sum(1 for q in self.questions if q.id in self._values and self.applies(q))
        # Answers still to come: those of unanswered questions from the next one on. One passed
        # over earlier (it did not apply) is not coming, so it leaves nothing undecided.
        upcoming = self.next_question()
        start = self.questions.index(upcoming) if upcoming is not None else len(self.questions)
        pending = {q.key for q in self.questions[start:] if q.id not in self._values}
        ahead = 0
        for q in self.questions:
            if q.id in self._values:
                continue
            undecided = q.when is not None and bool(q.when.keys() & (pending - {q.key}))
            if undecided or self.applies(q):
                ahead += 1
        current = 1 if self.next_question() is not None else 0
        return Progress(done + current, done + ahead)

    # -- review ------------------------------------------------------------------------------

    def review(self) -> list[ReviewItem]:
        """Every question that applies, with its answer in words."""
        items = []
        for q in self.questions:
            if not self.applies(q):
                continue
            value = self._values.get(q.id)
            items.append(ReviewItem(q, value, describe(q, value)))
        return items

    def change(self, question: Question, value: Recorded) -> None:
        """Change one answer; answers to questions that no longer apply are dropped.

        Questions that now apply and have no answer are returned by `next_question()`.
        """
        self.answer(question, value)

    # -- result ------------------------------------------------------------------------------

    def answers(self) -> Answers:
        """The contract's answers: every known answer to a question that applies."""
        return self._current()

    def _current(self) -> Answers:
        data: dict[str, Any] = {}
        for q in self.questions:
            value = self._values.get(q.id)
            if value is None or value is ABSENT:
                continue
            data[q.key] = value
        return Answers(**data)  # each value checked as it was given (`check_value`)

    def _prune(self) -> None:
        """Drop answers to questions whose `when` no longer holds, until nothing changes."""
        changed = True
        while changed:
            changed = False
            for q in self.questions:
                if q.id in self._values and not self.applies(q):
                    del self._values[q.id]
                    self._history = [i for i in self._history if i != q.id]
                    changed = True


def check_value(question: Question, value: Recorded) -> Recorded:
    """The value, or ValueError when it is not an answer the contract accepts for this key
    (`answers.check_answer`, the check every reader of answers uses) or not one of the
    question's choices."""
    if value is ABSENT:
        return ABSENT
    allowed = {c.value for c in question.choices}
    if question.type == "select":
        if isinstance(value, tuple) or value not in allowed:
            raise ValueError(f"{value!r} is not a choice of '{question.id}'")
        chosen: str | bool = check_answer(question.key, value)
        return chosen
    if question.type == "checkbox":
        if not isinstance(value, tuple) or not all(v in allowed for v in value):
            raise ValueError(f"{value!r} is not a list of choices of '{question.id}'")
        if not value:  # nothing ticked: "none of these" where the contract says so, else unknown
            return () if question.key in EMPTY_LIST_ANSWERS else ABSENT
        order = [c.value for c in question.choices]
        return tuple(sorted(check_answer(question.key, value), key=order.index))
    if question.type == "country":
        try:
            code: str = check_answer(question.key, value)
        except AnswerValueError:
            raise ValueError(f"{value!r} is not a country code for '{question.id}'") from None
        return code
    if not isinstance(value, str):
        raise ValueError(f"'{question.id}' takes text")
    text = value.strip()
    if not text:
        return ABSENT
    problem = text_problem(question.key, text)
    if problem:
        raise ValueError(problem)
    return text


def text_problem(key: str, text: str) -> str | None:
    """Why `text` is not a valid answer for this key, in words a person typing it can follow
    (translated); None when it is. The rule is `answers.check_answer`'s."""
    try:
        check_answer(key, text)
    except AnswerValueError as exc:
        future = exc.code == FUTURE
    else:
        return None
    key_type = ANSWER_KEYS[key].type
    if future and key_type == "day":
        return _("This day is after today: give the day the consent was given or last confirmed.")
    if future:
        return _("This date is in the future: give the date of an incident that has happened.")
    if key_type == "date":
        return _("Write a year (2025), a month (2025-03) or a day (2025-03-14).")
    if key_type == "day":
        return _("Write a day as YYYY-MM-DD, for example 2026-03-14.")
    if key_type == "case_id":
        return _(
            "Use up to 64 characters: letters a-z or A-Z, digits, '.', '_' or '-', starting with "
            "a letter or digit (for example case-07)."
        )
    return ngettext(
        "Use at most {limit} character ({count} now).",
        "Use at most {limit} characters ({count} now).",
        NOTES_MAX_CHARS,
    ).format(limit=NOTES_MAX_CHARS, count=len(text))


def validate_text(question: Question, text: str) -> str | None:
    """Why typed text is not accepted for this question (None: accepted; empty means skip)."""
    text = text.strip()
    if not text:
        return None
    return text_problem(question.key, text)


def describe(question: Question, value: Recorded | None) -> str:
    """An answer in the words of its choices."""
    if value is None:
        return "(not asked)"
    if value is ABSENT:
        if question.key in CONSENT_KEYS.values():
            return _("not answered")  # Enter alone, or "I don't know": no consent either way
        if question.type == "text":
            return _("not answered")  # Enter on an empty line: a note or label is not "unknown"
        return _(DONT_KNOW_LABEL)
    if question.type == "country" and isinstance(value, str):
        return country_name(value, current_lang())
    labels = {c.value: c.label for c in question.choices}
    if value == ():
        return _("No one")  # an empty list is an answer only for others at risk
    if isinstance(value, tuple):
        return ", ".join(labels.get(v, v) for v in value)
    if isinstance(value, bool) or question.type == "select":
        return labels.get(value, str(value))
    return value


def prompt_for(question: Question, respondent: str | None, location: str | None = None) -> str:
    """The question as worded for whoever answers: third person unless the person at risk does,
    and a consent as the family's or a representative's to give when someone else answers for a
    person detained or missing (`location`)."""
    return question.worded(
        other=respondent not in (None, "self"), held=location in LOCATIONS_CANNOT_ACT
    )


def _is_value(value: object, kept: object) -> bool:
    """Whether a choice's value is the answer kept (one of them, for a list)."""
    kept_values = kept if isinstance(kept, tuple) else (kept,)
    return any(same_value(value, k) for k in kept_values)
