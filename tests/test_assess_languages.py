"""`reprisal-cli assess --lang X` end to end in a real pseudo-terminal, in every language, to a
PDF (issues 10 and 12): the session resumes from an answers file, asks what is missing, shows
the review, and saves the plan as a PDF that is read back."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pytest
from pypdf import PdfReader

from reprisal_cli.answers import load_answers
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.kb.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
# The China example, with the person free at home (the example itself answers that they are
# missing, as they were): the questionnaire then asks the questions this walk answers.
EXAMPLE_TEXT = (ROOT / "examples" / "china_2017.yaml").read_text(encoding="utf-8")
FREE = EXAMPLE_TEXT.replace("location: whereabouts_unknown", "location: home_country")
# A prompt is a line of its own: "> ", or a hint that ends in ": " and starts with neither a
# space (an answer shown in the review, "   -> ...") nor a number (a question, "20. ... : ").
PROMPT = r"(?:^|\n)(?:> |(?![ \d])[^\n]*: )$"


def _numbers(text: str) -> list[tuple[int, str]]:
    return [(int(n), line) for n, line in re.findall(r"(?m)^\s+(\d+)\. (.*)$", text)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "es", "ar", "ru", "zh"])
def test_assess_in_each_language_saves_a_pdf(kb: KnowledgeBase, lang: str, tmp_path: Path) -> None:
    assert FREE != EXAMPLE_TEXT
    example = tmp_path / "china_2017_free.yaml"
    example.write_text(FREE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env |= {"TERM": "xterm-256color", "NO_COLOR": "1"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "reprisal_cli", "assess", "--plain", "--lang", lang, "--answers-in", str(example),
         "--as-of", "2026-11-25"],
        cwd=str(tmp_path), env=env, encoding="utf-8", timeout=30, dimensions=(50, 200),
    )  # fmt: skip
    screen: list[str] = []

    def step(choose: Callable[[str], str]) -> str:
        # A long screen (the review, in Chinese) comes in several reads: a piece that happens to
        # end like a prompt is not one while more output follows it.
        chunk, deadline = "", time.monotonic() + 30
        while True:
            try:
                child.expect(r"[\s\S]+", timeout=0.5)
                chunk += child.after
            except pexpect.TIMEOUT:
                if re.search(PROMPT, chunk):
                    break
                assert time.monotonic() < deadline, "no prompt after:\n" + chunk[-2000:]
        screen.append(chunk)
        child.sendline(choose(chunk))
        return chunk

    def last(chunk: str) -> str:
        return str(max(n for n, _ in _numbers(chunk)))

    def pdf_line(chunk: str) -> str:
        return str(next(n for n, line in _numbers(chunk) if ".pdf" in line))

    # The example names no State: "I don't know" comes after "Search for the country by name".
    step(lambda _: "2")
    # It leaves travel open: "I don't know" comes last but for "Back".
    step(lambda chunk: str(int(last(chunk)) - 1))
    # ... and the consents to States and to the report, who gave them and when: Enter alone
    # records no answer (gate 10)
    for _question in range(4):
        step(lambda _: "")
    step(lambda _: "")  # ... and the notes: none
    review = step(lambda _: "1")  # "these answers are right: show the plan"
    assert len(_numbers(review)) >= 15
    step(lambda _: "1")  # what next? save the plan
    step(lambda _: "2")  # how? not encrypted (encrypted is offered first)
    step(pdf_line)  # which format? PDF
    step(lambda _: "plan.pdf")  # file name
    step(last)  # what next? quit
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, "".join(screen)[-2000:]

    pdf = tmp_path / "plan.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    plan = evaluate(load_answers(example), kb, as_of=dt.date(2026, 11, 25), lang=lang)
    assert plan.lang == lang
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\x00", "")
    words = [w for w in re.split(r"\W+", plan.steps[0].title) if len(w) > 3][:3] or [
        plan.steps[0].title[:4]
    ]
    squashed = re.sub(r"\s+", "", text)
    assert any(re.sub(r"\s+", "", w) in squashed for w in words), (lang, words)
