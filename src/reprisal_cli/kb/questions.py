"""Model of `data/questions.yaml`: the questionnaire, checked against the answers contract."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from reprisal_cli.contract import ANSWER_KEYS, allowed_values
from reprisal_cli.kb.base import Id, Model, Text
from reprisal_cli.kb.conditions import Condition


class Choice(Model):
    value: str | bool
    label: Text
    help: Text | None = None


class Question(Model):
    id: Id
    key: str
    type: Literal["select", "checkbox", "text"]
    prompt: Text
    # The same question when someone else answers for the person at risk.
    prompt_other: Text | None = None
    why: Text
    help: Text | None = None
    when: Condition | None = None
    choices: tuple[Choice, ...] = ()

    @model_validator(mode="after")
    def _matches_contract(self) -> Question:
        spec = ANSWER_KEYS.get(self.key)
        if spec is None or self.key == "schema":
            raise ValueError(f"unknown answer key {self.key!r}: one of {', '.join(ANSWER_KEYS)}")
        expected = {"list": "checkbox", "enum": "select", "bool": "select"}.get(spec.type, "text")
        if self.type != expected:
            raise ValueError(f"'{self.key}' is answered with type '{expected}'")
        if self.type == "text":
            if self.choices:
                raise ValueError("a text question has no choices")
            return self
        if not self.choices:
            raise ValueError(f"a {self.type} question needs choices")
        allowed = allowed_values(self.key)
        seen: set[str] = set()
        for choice in self.choices:
            value = choice.value
            if spec.type == "bool":
                if not isinstance(value, bool):
                    raise ValueError(f"'{self.key}' takes true or false, not {value!r}")
                value = str(value).lower()
            elif not isinstance(value, str) or value not in allowed:
                raise ValueError(
                    f"{value!r} is not a value of '{self.key}': one of {', '.join(allowed)}"
                )
            if value in seen:
                raise ValueError(f"choice {value!r} appears twice")
            seen.add(value)
        return self


class QuestionsFile(Model):
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_question_per_key(self) -> QuestionsFile:
        seen: set[str] = set()
        for q in self.questions:
            if q.key in seen:
                raise ValueError(f"two questions write '{q.key}'")
            seen.add(q.key)
        return self
