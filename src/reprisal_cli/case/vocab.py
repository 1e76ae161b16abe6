"""The words an action is recorded with: its type, the response it got and its status.

They follow the intervention fields of HURIDOCS' Events Standard Formats (ESF, 2001), whose
Micro-thesauri give an intervention a type ("Intervention on behalf of an individual victim or
group of victims"), the response of the party intervened with ("Responded to request, with
favourable results", "Provided assistance") and a status ("Significant action taken and
continuing"). Source of those terms: the Micro-thesauri as OpenEvSys loads them,
github.com/huridocs/OpenEvSys, schema/mysql-dbpopulate-mt.sql (lists 20, 27 and 45; commit
17810336, read 2026-12-02); the list itself is at
https://huridocs.org/resource-library/monitoring-and-documenting-human-rights-violations/microthesauri
(read 2026-12-02).

The full ESF lists are long and written for a documentation centre. What follows is OUR OWN SHORT
LIST, modelled on those three fields and labelled so in `schema case`: only the terms a caseworker
following a reprisal case needs, as stable ids. An export to an ESF database maps them by hand.
"""

from __future__ import annotations

from typing import Literal, get_args

VOCABULARY_NOTE = (
    "A short list modelled on the intervention fields (type, response, status) of HURIDOCS' "
    "Events Standard Formats; not the full ESF Micro-thesauri."
)

InterventionType = Literal[
    "communication",  # a letter, urgent appeal or allegation sent to a mechanism
    "request_for_protection",  # interim or protection measures asked for
    "follow_up",  # a reminder or new information on an earlier communication
    "meeting",  # a meeting or call with the body or its staff
    "legal_assistance",
    "financial_assistance",
    "relocation_assistance",
    "medical_or_psychosocial_assistance",
    "other",
]
Response = Literal[
    "none_yet",
    "acknowledged",  # received, registered, no action yet
    "information_requested",  # the body asked for more
    "action_taken",  # e.g. the communication was sent to the State
    "favourable",  # responded, with favourable results
    "unfavourable",  # responded, without favourable results
    "declined",  # outside its mandate, or refused
]
Status = Literal[
    "open",  # waiting for a response or our next step
    "continuing",  # significant action taken and continuing
    "closed",  # nothing more to follow
]
INTERVENTION_TYPES: tuple[str, ...] = get_args(InterventionType)
RESPONSES: tuple[str, ...] = get_args(Response)
STATUSES: tuple[str, ...] = get_args(Status)
