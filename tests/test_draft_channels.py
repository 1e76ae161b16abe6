"""A draft's recipients follow the plan (caseworker review 8, B3 and C1): bodies reached by one
channel (the special procedures' form, one mailbox) are one recipient naming each of them, in
the order of the plan's steps; the entry the treaty bodies share is no recipient of its own."""

from __future__ import annotations

from pathlib import Path

from reprisal_cli.answers import parse_answers
from reprisal_cli.kb.loader import KnowledgeBase
from reprisal_cli.render.draft import Draft, build_draft, render_draft

ROOT = Path(__file__).resolve().parents[1]
FORM = "https://spsubmission.ohchr.org/"


def _draft(kb: KnowledgeBase, text: str, lang: str = "en") -> Draft:
    return build_draft(parse_answers(text, "t"), kb, to="mechanism", lang=lang)


def _example(name: str) -> str:
    return (ROOT / "examples" / f"{name}.yaml").read_text("utf-8")


def _reached_by(draft: Draft, value: str) -> list[str]:
    """The recipients whose contact lines give `value`."""
    return [a.name for a in draft.to if any(line.endswith(f": {value}") for line, _ in a.lines)]


def test_a_disappearance_goes_to_the_wgeid_form_first_then_one_submission_for_the_others(
    kb: KnowledgeBase,
) -> None:
    """china_2017: the plan's urgent appeal says the Working Group's own form first, then one
    submission on the special procedures' form for the other experts; the draft had five "To:"
    blocks, the form three times, the Working Group fourth."""
    draft = _draft(kb, _example("china_2017"))
    names = [a.name for a in draft.to]
    assert len(names) == 2, names
    assert names[0] == "UN Working Group on Enforced or Involuntary Disappearances"
    assert _reached_by(draft, FORM) == [names[1]]
    form = draft.to[1]
    chosen = " ".join(form.asks)
    for body in (
        "UN Special Rapporteur on the situation of human rights defenders",
        "UN Working Group on Arbitrary Detention",
        "UN Special Rapporteur on the independence of judges and lawyers",
    ):
        assert body in chosen, chosen
    # The mailbox last seen around 2011 stays, after the form.
    values = [line for line, _ in form.lines]
    assert values.index(f"Web: {FORM}") < values.index("Email: urgent-action@ohchr.org")
    out = render_draft(draft, "txt")
    assert out.count("To: ") == 2
    assert out.count(f"Web: {FORM}") == 1
    assert "Copy (Cc): UN senior official on reprisals" in out


def test_a_detention_goes_to_the_wgad_at_its_address_first(kb: KnowledgeBase) -> None:
    """Held at a known place, the plan sends the detention to the Working Group on Arbitrary
    Detention at its address, and the appeal to the other experts through the form."""
    held = _example("china_2017").replace("whereabouts_unknown", "in_detention")
    held = held.replace("enforced_disappearance, ", "")
    draft = _draft(kb, held)
    assert draft.to[0].name == "UN Working Group on Arbitrary Detention"
    assert draft.to[0].lines[0][0] == "Email: hrc-wg-ad@un.org"
    assert len(_reached_by(draft, FORM)) == 1
    assert "UN Working Group on Arbitrary Detention" not in " ".join(draft.to[1].asks)


def test_the_form_is_one_recipient_in_every_example_and_language(kb: KnowledgeBase) -> None:
    """honduras_2017 gave the form under two "To:" blocks; bahrain's one mailbox stays one."""
    for name in ("honduras_2017", "china_2017", "bahrain_2012", "burundi_2016", "cuba_2018"):
        for lang in ("en", "fr", "es"):
            draft = _draft(kb, _example(name), lang)
            assert len(_reached_by(draft, FORM)) <= 1, (name, lang, draft.to)
            assert len(_reached_by(draft, "ohchr-hrcngo@un.org")) <= 1, (name, lang)
            assert len({a.name for a in draft.to}) == len(draft.to), (name, lang)
    honduras = _draft(kb, _example("honduras_2017"))
    asks = " ".join(a for r in honduras.to for a in r.asks)
    assert "UN Special Rapporteur on violence against women and girls" in asks
    bahrain = _draft(kb, _example("bahrain_2012"))
    assert [a.name for a in bahrain.to] == [
        "President and Bureau of the Human Rights Council; Universal Periodic Review (UPR)"
    ]


def test_a_treaty_body_draft_has_no_empty_recipient(kb: KnowledgeBase) -> None:
    """burundi_2016 opened with "To: UN treaty bodies: reprisals rapporteurs and focal points"
    and no address, before the committee's block: the committee's block asks for its
    rapporteur instead, and a complaint's Petitions Team is given once."""
    # Also the anonymous version (consent undecided: caseworker case e, CEDAW).
    undecided = _example("burundi_2016").replace(
        'share_with_un: "yes"', 'share_with_un: "undecided"'
    )
    assert undecided != _example("burundi_2016")
    for text, extra in (
        (_example("burundi_2016"), ""),
        (_example("burundi_2016"), "individual_complaint: [cat]\n"),
        (undecided, ""),
    ):
        draft = _draft(kb, text + extra)
        names = [a.name for a in draft.to]
        assert names == ["Committee against Torture (CAT)"], names
        assert any("rapporteur or focal point on reprisals" in a for a in draft.to[0].asks)
        out = render_draft(draft, "txt")
        assert "San José Guidelines" not in out
        assert out.count("petitions@ohchr.org") == (1 if extra else 0)
    french = " ".join(render_draft(_draft(kb, _example("burundi_2016"), "fr"), "txt").split())
    # Reading 53: "chargé des représailles" could read as the one who carries them out.
    assert "point focal du comité chargé de la question des représailles" in french
    assert "chargé des représailles" not in french
