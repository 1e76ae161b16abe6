"""Model of `data/questions.yaml`: the questionnaire, checked against the answers contract."""

from __future__ import annotations

from typing import Annotated, Literal

from reprisal_cli.contract import ANSWER_KEYS, allowed_values
from reprisal_cli.kb.base import Id, Model, Text, record
from reprisal_cli.kb.conditions import Condition
from reprisal_cli.records import MinLen


@record
class Choice(Model):
    """One answer a question offers: the value written to the answers, its label and help, and
    when it is offered (`when`, on the answers so far: no one missing answers for themselves)."""

    value: str | bool
    label: Text
    help: Text | None = None
    when: Condition | None = None


@record
class Question(Model):
    """One question of the questionnaire: the answers key it writes, its prompt (for the
    person, and for someone answering for them), why it is asked, when, and its choices."""

    id: Id
    key: str
    # `country`: searched by name and answered with an ISO 3166-1 alpha-2 code (no choices).
    type: Literal["select", "checkbox", "text", "country"]
    prompt: Text
    # The same question when someone else answers for the person at risk.
    prompt_other: Text | None = None
    # A consent asked of someone else when the person at risk is detained or missing: their
    # family or a representative may decide for them (contract §1), which `prompt_other`
    # ("Does the person at risk agree") does not let them say.
    prompt_held: Text | None = None
    why: Text
    help: Text | None = None
    when: Condition | None = None
    choices: tuple[Choice, ...] = ()

    def worded(self, *, other: bool, held: bool = False) -> str:
        """The question as its reader is asked it: the person at risk; someone else (`other`);
        someone else while the person at risk is detained or missing (`held`), where the
        question has words for them. The questionnaire, the plan's reasons and `case show` all
        word a question this way."""
        if other and held and self.prompt_held:
            return self.prompt_held
        if other and self.prompt_other:
            return self.prompt_other
        return self.prompt

    def __post_init__(self) -> None:
        spec = ANSWER_KEYS.get(self.key)
        if spec is None or self.key == "schema":
            raise ValueError(f"unknown answer key {self.key!r}: one of {', '.join(ANSWER_KEYS)}")
        expected = {
            "list": "checkbox",
            "enum": "select",
            "bool": "select",
            "country": "country",
        }.get(spec.type, "text")
        if self.type != expected:
            raise ValueError(f"'{self.key}' is answered with type '{expected}'")
        if self.prompt_held is not None and self.prompt_other is None:
            raise ValueError("'prompt_held' needs 'prompt_other': both word it for someone else")
        if self.type in ("text", "country"):
            if self.choices:
                raise ValueError(f"a {self.type} question has no choices")
            return
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
        return


@record
class QuestionsFile(Model):
    """data/questions.yaml: the questionnaire, in the order it is asked."""

    questions: Annotated[tuple[Question, ...], MinLen(1)]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for q in self.questions:
            if q.key in seen:
                raise ValueError(f"two questions write '{q.key}'")
            seen.add(q.key)
