"""Steps while the plan is being built: a rule's template plus the trace, the tier the gates put
it in, and text the gates add to its detail."""

from __future__ import annotations

from dataclasses import dataclass, field

from reprisal_cli.contract import Urgency
from reprisal_cli.engine.plan import Why
from reprisal_cli.kb.models import Share, with_kind_shares
from reprisal_cli.kb.rules import StepTemplate

# Tiers order steps before their priority does (contract §3, gates 3 and 4).
TIER_DANGER = 0  # emergency steps when the person is in danger now
TIER_DEVICES = 1  # digital security before anything is sent, when devices may be watched
TIER_NORMAL = 2
TIER_LATER = 3  # building capacities, when the threat is imminent


@dataclass
class Draft:
    template: StepTemplate
    why: list[Why] = field(default_factory=list)
    tier: int = TIER_NORMAL
    extra: list[str] = field(default_factory=list)
    urgency: Urgency = "later"  # set by `engine.urgency` once the steps are ordered
    # Mechanisms rules name in this step, one line each (`then.bodies`), in order.
    bodies: list[str] = field(default_factory=list)
    # The title shown instead of the template's ("If you agree: ..."), set by the gates.
    heading: str | None = None

    @property
    def id(self) -> str:
        return self.template.id

    @property
    def kind(self) -> str:
        return self.template.kind

    # What `shares` last worked out, and for which template (the gates may swap it).
    _shares: tuple[StepTemplate, frozenset[Share]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    # Effective flags: what the step declares plus what its kind implies. The loader refuses a
    # step that declares less than its kind implies; the engine does not rely on that. The
    # gates read them some 70 times per plan, so they are worked out once per template.
    @property
    def shares(self) -> frozenset[Share]:
        known = self._shares
        if known is None or known[0] is not self.template:
            known = self._shares = (
                self.template,
                with_kind_shares(self.template.kind, self.template.shares),
            )
        return known[1]

    @property
    def public(self) -> bool:
        return "public" in self.shares

    def add_why(self, why: Why) -> None:
        if why not in self.why:
            self.why.append(why)

    def add_extra(self, text: str) -> None:
        if text not in self.extra:
            self.extra.append(text)

    def add_bodies(self, ids: tuple[str, ...]) -> None:
        self.bodies += [i for i in ids if i not in self.bodies]

    def sort_key(self) -> tuple[int, int, str]:
        return (self.tier, self.template.priority, self.template.id)
