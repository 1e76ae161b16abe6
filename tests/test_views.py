"""The short plan a person under stress reads first (issue 22): the first screen and the line
budget in a real terminal, the printed page budget read back, no key or contract value in any
view in any language, and snapshots of the short and full views (UPDATE_SNAPSHOTS=1
regenerates them; review every diff)."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from reprisal_cli.answers import load_answers
from reprisal_cli.cli import app
from reprisal_cli.contract import ANSWER_KEYS
from reprisal_cli.engine.evaluate import evaluate
from reprisal_cli.engine.plan import Plan
from reprisal_cli.kb.knowledge import KnowledgeBase
from reprisal_cli.render import labels
from reprisal_cli.render.labels import width
from test_safety_support import finish, spawn_cli, terminal_env

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
# The cases of the caseworker reviews (2026-12-03 and 2026-12-05), each with its story.
CASEWORKER_CASES = sorted((ROOT / "tests" / "data" / "caseworker").glob("*.yaml"))
CHINA = ROOT / "examples" / "china_2017.yaml"
SNAPSHOTS = Path(__file__).parent / "snapshots" / "views"
AS_OF = "2026-12-02"
LANGS = ("en", "fr", "es", "ar", "ru", "zh")
FIRST_SCREEN = 24  # lines: the first screen of the smallest common terminal
CHINA_LINES = 120  # the whole default view of the longest example, at 100 columns
CHINA_PAGES = 6

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
# An id or a contract value: lower-case words joined by underscores. URLs and e-mail addresses
# (which may hold underscores) are taken out first.
SNAKE = re.compile(r"(?<![\w/.@\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
# An answer key put in words, as the "Why:" lines once said it ("devices compromised: yes").
KEY_WORDS = tuple(k.replace("_", " ") + ":" for k in ANSWER_KEYS if "_" in k)


def cli(*args: str, env: dict[str, str] | None = None) -> bytes:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def example_plan(path: Path, kb: KnowledgeBase) -> Plan:
    return evaluate(load_answers(path), kb, as_of=dt.date.fromisoformat(AS_OF))


def flat(text: str) -> str:
    return " ".join(text.split())


# -- a real terminal ------------------------------------------------------------------------


def terminal_lines(example: Path, rows: int, columns: int, *extra: str) -> list[str]:
    """`reprisal-cli plan` on a pseudo-terminal of this size: the lines as they scroll by."""
    env = terminal_env(COLUMNS=str(columns), LINES=str(rows))
    child = spawn_cli(
        "plan", str(example), "--as-of", AS_OF, *extra, cwd=ROOT, env=env, size=(rows, columns)
    )
    out = child.read()
    assert finish(child) == 0, out[-2000:]
    lines = ANSI.sub("", out).replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


@pytest.mark.slow
@pytest.mark.parametrize(("rows", "columns"), [(40, 100), (24, 80)], ids=["100x40", "80x24"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_first_screen_holds_the_first_now_step_and_its_number(
    example: Path, rows: int, columns: int, kb: KnowledgeBase
) -> None:
    plan = example_plan(example, kb)
    first = next(s for s in plan.steps if s.urgency == "now")
    lines = terminal_lines(example, rows, columns)
    # Every line fits, but for a link or number longer than a line: it stands whole, alone on
    # its line (issue 25), and the terminal folds it without breaking it.
    assert all(width(line) <= columns or len(line.split()) == 1 for line in lines)
    top = flat(" ".join(lines[:FIRST_SCREEN]))
    assert flat(first.title) in top
    if first.contacts:
        assert flat(first.contacts[0].value) in top
    # The plan ends on what to do now, not on a reference section.
    assert flat(first.title) in flat(" ".join(lines[-rows:]))


@pytest.mark.slow
def test_china_default_view_fits_the_budget_and_full_gives_everything(kb: KnowledgeBase) -> None:
    short = terminal_lines(CHINA, 40, 100)
    assert len(short) <= CHINA_LINES
    # Long addresses wrap on screen: compared without spaces.
    full = "".join("".join(terminal_lines(CHINA, 40, 100, "--full")).split())
    plan = example_plan(CHINA, kb)
    for step in plan.steps:
        for contact in step.contacts:
            assert "".join(contact.value.split()) in full, contact.id
    for note in plan.warnings:
        assert "".join(note.text.split())[:60] in full, note.id


# -- print ----------------------------------------------------------------------------------


def test_china_pdf_page_budget_and_first_page(kb: KnowledgeBase) -> None:
    plan = example_plan(CHINA, kb)
    reader = PdfReader(io.BytesIO(cli("plan", str(CHINA), "--as-of", AS_OF, "-f", "pdf")))
    assert len(reader.pages) <= CHINA_PAGES
    first = flat(reader.pages[0].extract_text())
    emergency = next(s for s in plan.steps if s.kind == "emergency")
    assert "Action plan" in first and "Do now" in first
    assert flat(emergency.title) in first
    assert emergency.contacts[0].channel == "phone"
    assert flat(emergency.contacts[0].value) in first
    # The sources appendix closes the plan (it may start on an earlier page than the last).
    rest = " ".join(flat(page.extract_text()) for page in reader.pages[1:])
    assert "Sources" in rest and rest.rindex("Sources") > rest.rfind("Later")


def test_html_has_the_same_structure_as_the_pdf() -> None:
    page = cli("plan", str(CHINA), "--as-of", AS_OF, "-f", "html").decode()
    text = flat(html.unescape(re.sub(r"<[^>]+>", " ", page.split("</style>", 1)[1])))
    order = [text.index(h) for h in ("Action plan", "Do now", "This week", "Later", "Sources")]
    assert order == sorted(order)
    assert "Steps, most urgent first" not in text


# -- words, not keys ------------------------------------------------------------------------


def view_text(example: Path, lang: str, fmt: str, *extra: str) -> str:
    args = ["plan", str(example), "--lang", lang, "--as-of", AS_OF, "-f", fmt, *extra]
    if fmt == "terminal":
        return cli(*args, env={"NO_COLOR": "1", "COLUMNS": "100"}).decode()
    out = cli(*args)
    if fmt == "pdf":
        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out)).pages)
    text = out.decode()
    if fmt == "md":
        text = text.replace("\\_", "_")
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text.split("</style>", 1)[1]))
    return text


def keys_in(text: str) -> list[str]:
    words = ADDRESS.sub(" ", text)
    found = SNAKE.findall(words)
    found += [k for k in KEY_WORDS if k in flat(words).lower()]
    return found


# English words once left inside translated views: citations' date notes and the stale contacts'
# dates (2026-12-04). A researcher's longer note in a citation ("(undated; copy at <URL>)") is
# part of the citation, like its title, and stays as written.
ENGLISH_BITS = ("(undated)", "(checked ", "(never checked)", "(commit 2")


def assert_no_keys(lang: str, fmt: str) -> None:
    leaks = {}
    for example in EXAMPLES:
        for extra in ((), ("--full",)):
            text = view_text(example, lang, fmt, *extra)
            found = keys_in(text)
            if lang != "en":
                found += [bit for bit in ENGLISH_BITS if bit in text]
            if found:
                leaks[(example.stem, extra)] = sorted(set(found))
    assert not leaks, leaks


@pytest.mark.parametrize("fmt", ["terminal", "md", "txt", "html"])
@pytest.mark.parametrize("lang", LANGS)
def test_no_key_or_contract_value_in_any_text_view(lang: str, fmt: str) -> None:
    assert_no_keys(lang, fmt)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_key_or_contract_value_in_the_pdf_read_back(lang: str) -> None:
    assert_no_keys(lang, "pdf")


def test_the_key_check_catches_a_key() -> None:
    assert keys_in("Why: you answered devices compromised: yes") == ["devices compromised:"]
    assert keys_in("see immediate_danger, https://x.org/a_b and a_b@x.org") == ["immediate_danger"]


# -- snapshots ------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["short", "full"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_view_snapshot(example: Path, view: str) -> None:
    extra = ("--full",) if view == "full" else ()
    out = cli("plan", str(example), "--as-of", AS_OF, "-f", "txt", *extra).decode()
    snapshot = SNAPSHOTS / f"{example.stem}.{view}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") or not snapshot.exists():
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(out, "utf-8")
    assert out == snapshot.read_text("utf-8")


def test_the_short_view_shows_a_steps_own_contact_rather_than_a_pointer(kb: KnowledgeBase) -> None:
    """Caseworker review 2026-12-03 (W5): with a complaint pending before the Committee against
    Torture, the committee's step showed only "Contact: see step 3" (the reprisals mailbox of an
    earlier step), and the Petitions Team it needs was in --full alone: the step leads with it."""
    from reprisal_cli.answers import parse_answers
    from reprisal_cli.render.outline import summary

    text = (
        "schema: reprisal-cli/answers/v1.1\nrespondent: self\nstate: KE\n"
        "engagement: [treaty_bodies]\ntreaty_body: [cat]\nindividual_complaint: [cat]\n"
        "stage: reprisal_suffered\nreprisals: [threats]\n"
        'consent:\n  share_with_un: "yes"\n  publicity: "no"\n'
    )
    plan = evaluate(parse_answers(text, "t"), kb, as_of=dt.date.fromisoformat(AS_OF))
    view = summary(plan, kb)
    items = {i.number: i for _, group in view.groups for i in group}
    (committee,) = [n for n, s in enumerate(plan.steps, 1) if s.id == "notify_treaty_body"]
    shown = items[committee].contact
    assert shown is not None and shown.value == "petitions@ohchr.org" and shown.seen_in is None


@pytest.mark.parametrize("example", [*EXAMPLES, *CASEWORKER_CASES], ids=lambda p: p.stem)
def test_the_short_view_shows_each_steps_first_contact(example: Path, kb: KnowledgeBase) -> None:
    """The short view shows a step's first contact, the one to use when only one can be tried
    (contract §2), or a pointer to the step that showed it. Caseworker review 2026-12-05 (B1):
    a step whose first contact an earlier step showed showed its next new one instead, in 25
    steps of 17 plans: the UN experts' step in (f) the special procedures' mailbox of 2011 (their
    form was shown in an earlier step), family steps a lawyers' organisation's page."""
    from reprisal_cli.render.outline import summary

    plan = evaluate(load_answers(example), kb, as_of=dt.date.fromisoformat(AS_OF))
    view = summary(plan, kb)
    items = {i.number: i for _, group in view.groups for i in group}
    first_shown: dict[str, int] = {}
    for number, step in enumerate(plan.steps, 1):
        contact = items[number].contact
        if not step.contacts:
            assert contact is None
            continue
        first = step.contacts[0]
        assert contact is not None and contact.value == labels.contact_parts(first)[2]
        assert contact.seen_in == first_shown.get(first.id)
        first_shown.setdefault(first.id, number)


def test_a_step_with_no_contact_shows_where_to_find_one(kb: KnowledgeBase) -> None:
    """fix59 item 5: the step to the Council of Europe Commissioner and ODIHR (no contact for
    defenders is confirmed for either) showed no way in at all in the short plan; the pages to
    find one on were in --full only. The plan JSON names them (`find_at`, an extension)."""
    from reprisal_cli.render.outline import summary

    case = ROOT / "tests" / "data" / "caseworker" / "c_az_lawyer_cat_echr.yaml"
    plan = evaluate(load_answers(case), kb, as_of=dt.date.fromisoformat(AS_OF))
    items = {i.number: i for _, group in summary(plan, kb).groups for i in group}
    (number,) = [n for n, s in enumerate(plan.steps, 1) if s.id == "notify_european_bodies"]
    step = plan.steps[number - 1]
    assert not step.contacts and step.find_at
    shown = " ".join(items[number].detail)
    assert "http://www.coe.int/en/web/commissioner/human-rights-defenders" in shown
    assert "https://www.osce.org/odihr" in shown
    out = cli("plan", str(case), "--as-of", AS_OF, "-f", "txt").decode()
    assert "coe.int/en/web/commissioner/human-rights-defenders" in "".join(out.split())
