"""Plans built by hand for the renderer tests, with room for hostile text."""

from __future__ import annotations

import re

from reprisal_cli.engine.plan import (
    KBInfo,
    Note,
    Plan,
    PlanConfirmation,
    PlanContact,
    PlanWarning,
    Precedent,
    Risk,
    Step,
    Why,
    Withheld,
)

# Every kind of text that must stay inert: terminal escapes (title change, cursor report, colour,
# hyperlink), rich markup, HTML, Markdown links and images, bidi overrides, NUL and C1 controls.
HOSTILE = (
    "\x1b]0;pwned\x07\x1b[6n\x1b[31mRED\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\"
    " [bold red]loud[/bold red] <script>alert(1)</script> <img src=x onerror=alert(1)>"
    " [x](http://evil.example) ![i](http://evil.example/i.png) <http://evil.example>"
    " \u202egnp.exe\u202c \u2066iso\u2069 nul\x00here \x9b6n c1 &amp; *em* _em_ `code`"
)
FORBIDDEN = ("\x1b", "\x00", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069")
LINK = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[^\s@]+@[^\s@]+\.\S+", re.IGNORECASE)


def too_wide(text: str, columns: int = 80) -> list[str]:
    """The lines of `text` wider than `columns`, but for a link kept whole on a line of its own
    (after at most a list mark): links are never broken, even when wider than a line."""
    from reprisal_cli.render.labels import width

    wide = []
    for line in text.splitlines():
        if width(line) <= columns:
            continue
        links = LINK.findall(line)
        if len(links) == 1 and width(line.replace(links[0], "").strip()) <= 6:
            continue
        wide.append(line)
    return wide


def contact(cid: str, status: str = "confirmed", text: str = "") -> PlanContact:
    """A confirmed contact was confirmed on the official page; a `check_current` one never was."""
    confirmed = status == "confirmed"
    return PlanContact(
        id=cid,
        name=f"Contact {cid}{text}",
        channel="email",
        value=f"{cid}@example.org{text}",
        status=status,  # type: ignore[arg-type]
        verified="2025-10-01",
        source=f"https://www.ohchr.org/{cid}{text}",
        source_date="2025-10-01",
        last_confirmed=PlanConfirmation(
            how="official_page" if confirmed else "not_confirmed",
            date="2025-10-01" if confirmed else None,
        ),
    )


def make_plan(
    text: str = "", *, lang_reviewed: bool = True, case_id: str | None = "case-7"
) -> Plan:
    """A plan touching every part of the outline; `text` is appended to every free text."""
    return Plan(
        case_id=None if case_id is None else case_id + text,
        lang="en",
        lang_reviewed=lang_reviewed,
        as_of="2026-11-25",
        kb=KBInfo(
            version="2026.11.25" + text,
            fingerprint="sha256:" + "0123456789abcdef" * 4,
            custom=True,
            modified=True,
        ),
        steps=(
            Step(
                id="emergency_help",
                kind="emergency",
                priority=1,
                title="Get help now if you are in danger" + text,
                detail="Call a 24-hour line.\n\nUse a device the aggressor cannot see." + text,
                public=False,
                shares_with_un=False,
                shares_with_regional=False,
                shares_with_states=False,
                shares_with_government=False,
                sends_information=True,
                contacts=(contact("hotline", "check_current", text), contact("backup")),
                checklist=("digital_basics",),
                why=(Why(rule="danger_now", matched={"immediate_danger": True}),),
            ),
            Step(
                id="notify_special_procedures",
                kind="notify_mechanism",
                priority=3,
                title="Tell the Special Procedures" + text,
                detail="Write to the mandate holders." + text,
                public=False,
                shares_with_un=True,
                shares_with_regional=False,
                shares_with_states=False,
                shares_with_government=False,
                sends_information=True,
                why=(
                    Why(
                        rule="notify_mechanism_sp" + text,
                        matched={"engagement": ["special_procedures"], "stage": "engaged" + text},
                    ),
                ),
            ),
            Step(
                id="look_after_yourself",
                kind="wellbeing",
                priority=9,
                title="Look after yourself" + text,
                detail="Rest." + text,
                public=False,
                shares_with_un=False,
                shares_with_regional=False,
                shares_with_states=False,
                shares_with_government=False,
                sends_information=False,
            ),
        ),
        withheld=(
            Withheld(
                id="press_statement",
                title="Public statement" + text,
                gate="consent_publicity",
                reason="The person has not agreed to make the case public." + text,
            ),
        ),
        warnings=(
            PlanWarning(
                id="no_physical_protection",
                text="UN mechanisms give no physical protection." + text,
            ),
            PlanWarning(
                id="un_may_raise", text="The body may raise the case with the State." + text
            ),
        ),
        precedents=(Precedent(id="case_a", title="A similar case in 2019" + text),),
        risk=Risk(
            level="high",
            threats=(Note(id="threats", text="Threats by phone" + text),),
            vulnerabilities=(Note(id="alone", text="Works alone" + text),),
            capacities=(Note(id="network", text="Has a support network" + text),),
            reassess_after_days=30,
        ),
    )
