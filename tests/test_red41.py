"""Red team red41 (2026-12-04) against main's bfe163c: the consent ledger's `case consent`
with a date before a later record of the same purpose, and an overlay
that replaces a built-in organisation.

Each test names the harm in its docstring and failed on bfe163c.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from red_support import BAHRAIN, WHO, case_run, day, module_keys, new_case, run


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return module_keys(tmp_path_factory)


def un_in_force(path: Path, keys: tuple[Path, str]) -> list[str]:
    """The ids of the plan's steps that pass the case's details to the UN, today."""
    key, _public = keys
    plan = run("plan", path, "--identity", key, "-f", "json")
    assert plan.exit_code == 0, plan.output
    return [s["id"] for s in json.loads(plan.stdout)["steps"] if s["shares_with_un"]]


@pytest.mark.parametrize("said", [["no", *WHO], ["undecided", *WHO], ["--revoke"]])
def test_a_refusal_dated_before_a_later_yes_is_never_saved_as_if_in_force(
    tmp_path: Path, keys: tuple[Path, str], said: list[str]
) -> None:
    """Harm: the Bahrain case (the UN: yes, given 30 days ago); a colleague confirmed that yes
    three days ago (`case consent CASE share_with_un yes --date <3 days ago>`). The person had
    phoned ten days ago to say no; the caseworker records it with the day of the call (or with
    a mistyped month): `case consent CASE share_with_un no --date <10 days ago>` (or
    `--revoke --date <10 days ago>`). The tool answers "Case saved", exit 0, and the ledger's
    rule (the latest record decides) keeps the yes of three days ago in force: the plan still
    sends the case to the UN, the draft is still addressed there, the export still carries the
    interventions. The caseworker believes the refusal recorded; nothing tells them that it
    is not in force (shared without consent for that purpose). The opposite case, a yes dated
    before a withdrawal, is refused (red team 2026-12-03). Failed on bfe163c."""
    path = new_case(tmp_path, keys, BAHRAIN, 30)
    confirmed = case_run(path, keys, "consent", "share_with_un", "yes", *WHO, "--date", day(-3))
    assert confirmed.exit_code == 0, confirmed.output
    shared = un_in_force(path, keys)
    assert shared

    refused = case_run(path, keys, "consent", "share_with_un", *said, "--date", day(-10))

    # Either the record is refused, naming the later record and the day to give, or it is in
    # force: never saved in silence while the yes still decides.
    if refused.exit_code == 0:
        assert un_in_force(path, keys) != shared, refused.output
    else:
        assert refused.exit_code == 2, refused.output
        assert day(-3) in refused.output, refused.output
        assert un_in_force(path, keys) == shared  # nothing written


OUR_RORY_PECK = """\
organisations:
  - id: rory_peck_trust
    name: "Rory Peck Trust"
    summary: "Help for freelance journalists."
    services: [legal_advice]
    serves: {profiles: [journalist], individuals: true, organisations: false}
    contacts:
      - id: rpt_our_line
        channel: phone
        value: "+44 203 219 7860"
        label: "London (confirmed by our office)"
        status: confirmed
        source: "Our call to the London office"
        source_date: 2026-11-01
        last_confirmed: {how: organisation_told_us, date: 2026-11-01}
    sources: ["Our network"]
"""


def test_an_overlay_that_replaces_an_organisation_is_usable_in_every_language(
    tmp_path: Path,
) -> None:
    """Harm: a journalists' network lays its own entry for the Rory Peck Trust over the
    built-in one (`--kb-add ours/`, organisations.yaml: "a local entry replaces the built-in
    one"), with the line its office confirmed. Every command with `--kb-add ours/` (the plan,
    the card, `kb validate`) then ends in exit 3 with some twenty lines, each naming a file of
    the installation (`.../data/i18n/ar.yaml:2336:3 texts.organisations/rory_peck_trust/...:
    unknown text key`), none naming the overlay or saying what to change in it: an error the
    user cannot act on, in the middle of a crisis, and no plan. Failed on bfe163c.

    The built-in translations of texts the local entry no longer has are left out: they
    translated the built-in entry. A text it kept keeps its translation; one it changed shows in
    English, marked as not translated."""
    from reprisal_cli.kb.i18n import lookup, source_texts
    from reprisal_cli.kb.loader import load_kb

    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "organisations.yaml").write_text(OUR_RORY_PECK, encoding="utf-8")
    for lang in ("en", "fr", "ar"):
        plan = run("plan", BAHRAIN, "--kb-add", ours, "-f", "json", "--lang", lang)
        assert plan.exit_code == 0, plan.output
    assert run("kb", "validate", "--kb-add", ours).exit_code == 0
    kb = load_kb(overlay=ours)
    french = kb.translations["fr"]
    summary = "organisations/rory_peck_trust/summary"
    assert lookup(french, summary, "Help for freelance journalists.")[1] is False
    prefix = "organisations/rory_peck_trust/"
    builtin = {k for k in load_kb().translations["fr"].texts if k.startswith(prefix)}
    now = {k for k in french.texts if k.startswith(prefix)}
    assert f"{prefix}serves/note" in builtin - now  # the local entry has no such note
    assert now == {k for k in builtin if k in source_texts(kb)}


def test_an_overlay_that_replaces_a_paused_organisation_keeps_it_paused(tmp_path: Path) -> None:
    """Harm (red41, left doubtful): a network lays its own copy of the Rory Peck Trust's entry
    (paused in the knowledge base: its assistance programme closed) to add the line its office
    confirmed, and leaves out `paused`: the programme counted as open again, routable
    automatically. A local copy never reopens a programme the knowledge base records as stopped,
    and the built-in warning goes with it. Failed on 2d7272c."""
    from reprisal_cli.kb.loader import load_kb

    builtin = load_kb().organisations["rory_peck_trust"]
    assert builtin.paused and builtin.availability_warning
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "organisations.yaml").write_text(OUR_RORY_PECK, encoding="utf-8")
    assert "paused" not in OUR_RORY_PECK
    local = load_kb(overlay=ours).organisations["rory_peck_trust"]
    assert local.paused
    assert local.availability_warning == builtin.availability_warning
    assert [c.id for c in local.contacts] == ["rpt_our_line"]


@pytest.mark.parametrize("said", [["no", *WHO], ["--revoke"]])
def test_a_past_refusal_is_recorded_as_history_and_the_later_yes_stays_in_force(
    tmp_path: Path, keys: tuple[Path, str], said: list[str]
) -> None:
    """After red41's fix a caseworker typing old paper forms in date order, after a later
    record, could not record the history (a refusal on a day before a yes given since): with
    `--history` it is kept, said to be history, and changes nothing in force."""
    path = new_case(tmp_path, keys, BAHRAIN, 30)
    assert (
        case_run(path, keys, "consent", "share_with_un", "yes", *WHO, "--date", day(-3)).exit_code
        == 0
    )
    shared = un_in_force(path, keys)

    typed = case_run(path, keys, "consent", "share_with_un", *said, "--date", day(-10), "--history")

    assert typed.exit_code == 0, typed.output
    assert f"the record of share_with_un dated {day(-3)} stays in force" in typed.output
    assert un_in_force(path, keys) == shared
    show = run("case", "show", path, "--identity", keys[0], "-f", "json")
    assert show.exit_code == 0, show.output
    field = "revoked" if said == ["--revoke"] else "date"  # a withdrawal ends the record then
    kept = [c for c in json.loads(show.stdout)["consent"] if c.get(field) == day(-10)]
    assert len(kept) == 1 and kept[0]["purpose"] == "share_with_un"


@pytest.mark.parametrize("said", ["yes", "no"])
def test_a_past_record_before_a_withdrawal_is_history_withdrawn_with_it(
    tmp_path: Path, keys: tuple[Path, str], said: str
) -> None:
    """A yes typed in late with `--history`, dated between the consent and its withdrawal, is
    withdrawn with it: the withdrawal stays in force (it would have undone it, as in the second
    red team of 2026-12-03); a "no" there would have taken the withdrawal's place, and the plan
    would have stopped holding steps back as withdrawn (`consent_revoked`, which lists what was
    sent before, for a withdrawal note)."""
    path = new_case(tmp_path, keys, BAHRAIN, 30)
    assert (
        case_run(path, keys, "consent", "share_with_un", "--revoke", "--date", day(-10)).exit_code
        == 0
    )
    withheld = un_in_force(path, keys)
    assert not withheld

    gates = withheld_gates(path, keys)
    assert "consent_revoked" in gates

    typed = case_run(
        path, keys, "consent", "share_with_un", said, *WHO, "--date", day(-20), "--history"
    )

    assert typed.exit_code == 0, typed.output
    assert un_in_force(path, keys) == withheld
    assert withheld_gates(path, keys) == gates


def withheld_gates(path: Path, keys: tuple[Path, str]) -> set[str]:
    plan = run("plan", path, "--identity", keys[0], "-f", "json")
    assert plan.exit_code == 0, plan.output
    return {w["gate"] for w in json.loads(plan.stdout)["withheld"]}


def test_history_with_no_later_record_is_refused(tmp_path: Path, keys: tuple[Path, str]) -> None:
    """`--history` where nothing later holds would be a record in force called history."""
    path = new_case(tmp_path, keys, BAHRAIN, 30)
    typed = case_run(path, keys, "consent", "publicity", "no", *WHO, "--date", day(-5), "--history")
    assert typed.exit_code == 2
    assert "no record of publicity is dated after" in typed.output
