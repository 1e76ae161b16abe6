"""The public contract (answers v1.1, plan v1.1) as data: keys, allowed values, enums.

Everything that checks answers, rules or questions against the contract reads these tables,
so a value added here is accepted everywhere at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, get_args

ANSWERS_SCHEMA = "reprisal-cli/answers/v1.1"
# v1 files read unchanged: every v1.1 addition is optional (contract §6).
ANSWERS_SCHEMAS_ACCEPTED = ("reprisal-cli/answers/v1", ANSWERS_SCHEMA)
PLAN_SCHEMA = "reprisal-cli/plan/v1.1"
ERROR_SCHEMA = "reprisal-cli/error/v1"

CASE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
DAY_PATTERN = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
INCIDENT_DATE_PATTERN = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
NOTES_MAX_CHARS = 4000
# Reprisals for cooperating with the UN cannot come before the UN (founded in 1945).
EARLIEST_INCIDENT_YEAR = 1945


def incident_date_problem(value: str) -> str | None:
    """Why an `incident_date` of the right form (`INCIDENT_DATE_PATTERN`) cannot be an
    incident's: it does not exist, is before 1945 or is after today; None if it can be."""
    parts = [int(p) for p in value.split("-")]
    if parts[0] < EARLIEST_INCIDENT_YEAR:
        return f"is before {EARLIEST_INCIDENT_YEAR}, when the UN was founded: check the year"
    try:
        first_day = dt.date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        return "is not a date that exists: check the day and the month"
    if first_day > dt.date.today():
        return IN_THE_FUTURE
    return None


IN_THE_FUTURE = "is in the future: give the date of an incident that has happened"


Respondent = Literal["self", "family", "colleague", "lawyer", "organisation"]
RESPONDENTS: tuple[str, ...] = get_args(Respondent)
Profile = Literal[
    "journalist",
    "lawyer",
    "woman_defender",
    "lgbtiq_defender",
    "environmental_defender",
    "indigenous_defender",
    "trade_unionist",
    "student",
    "ngo_staff",
    "national_institution_staff",
    "child",
    "victim_or_witness",
    "relative_of_victim",
    "un_expert",
    "other",
]
PROFILES: tuple[str, ...] = get_args(Profile)
Region = Literal[
    "africa", "americas", "asia_pacific", "europe_central_asia", "middle_east_north_africa"
]
REGIONS: tuple[str, ...] = get_args(Region)
Engagement = Literal[
    "human_rights_council",
    "special_procedures",
    "treaty_bodies",
    "universal_periodic_review",
    "african_commission",
    "inter_american_commission",
    "european_court",
    "security_council",
    "ohchr",
    "investigative_body",
    "indigenous_forums",
    "ilo",
    "other",
]
ENGAGEMENTS: tuple[str, ...] = get_args(Engagement)
TreatyBody = Literal["cat", "ccpr", "cescr", "cedaw", "cerd", "crc", "cmw", "crpd", "ced", "spt"]
TREATY_BODIES: tuple[str, ...] = get_args(TreatyBody)
Stage = Literal["planning", "engaged", "reprisal_feared", "reprisal_suffered"]
STAGES: tuple[str, ...] = get_args(Stage)
Reprisal = Literal[
    "travel_ban",
    "held_at_border",
    "surveillance",
    "stalking",
    "threats",
    "threats_to_family",
    "physical_attack",
    "ill_treatment",
    "sexual_violence",
    "enforced_disappearance",
    "property_damage",
    "detention",
    "criminal_charges",
    "conviction",
    "professional_sanction",
    "organisation_restrictions",
    "hacking",
    "smear_campaign",
    "transnational_repression",
    "family_detained",
    "family_harmed",
    "terrorism_label",
    "denied_entry",
    "nationality_revoked",
    "online_harassment",
    "other",
]
REPRISALS: tuple[str, ...] = get_args(Reprisal)
Location = Literal["home_country", "abroad", "in_detention", "whereabouts_unknown"]
LOCATIONS: tuple[str, ...] = get_args(Location)
# (v1.1) Bodies whose protection measures already cover the person (`measures_in_force`).
MeasuresBody = Literal[
    "inter_american_commission",
    "inter_american_court",
    "african_commission",
    "european_court",
    "treaty_bodies",
    "other",
]
MEASURES_BODIES: tuple[str, ...] = get_args(MeasuresBody)
Consent = Literal["yes", "no", "undecided"]
CONSENT_VALUES: tuple[str, ...] = get_args(Consent)
SgReport = Literal["named", "anonymous", "no", "undecided"]
SG_REPORT_VALUES: tuple[str, ...] = get_args(SgReport)
GivenBy = Literal["person", "family", "representative"]
GIVEN_BY_VALUES: tuple[str, ...] = get_args(GivenBy)
# Consent given for the person at risk, who could not give it (held, missing, a child).
GIVEN_FOR_THE_PERSON: frozenset[str] = frozenset({"family", "representative"})
OtherAtRisk = Literal["family", "colleagues", "organisation", "sources"]
OTHERS_AT_RISK: tuple[str, ...] = get_args(OtherAtRisk)

# (v1.1) When to do a step: at most `MAX_NOW` steps of a plan are `now`.
Urgency = Literal["now", "this_week", "later"]
URGENCIES: tuple[str, ...] = get_args(Urgency)
MAX_NOW = 3

StepKind = Literal[
    "emergency",
    "digital_security",
    "notify_mechanism",
    "un_reprisals_official",
    "diplomatic",
    "states_raise_case",
    "organisation_support",
    "legal_support",
    "documentation",
    "preventive",
    "publicity",
    "wellbeing",
]
STEP_KINDS: tuple[str, ...] = get_args(StepKind)
Channel = Literal["email", "phone", "web", "fax", "post", "signal", "in_person"]
CHANNELS: tuple[str, ...] = get_args(Channel)
ContactStatus = Literal["confirmed", "check_current"]
CONTACT_STATUSES: tuple[str, ...] = get_args(ContactStatus)
RiskLevel = Literal["low", "moderate", "high", "critical"]
# (v1.1) Whom the plan speaks to: the person at risk, or someone acting for them.
Audience = Literal["person", "other"]
AUDIENCES: tuple[str, ...] = get_args(Audience)
# Where the person at risk cannot act themselves (contract §1, v1.1): the plan speaks to others.
LOCATIONS_CANNOT_ACT = ("in_detention", "whereabouts_unknown")
# The reprisals that target the person's relatives (threatened, detained, harmed).
RELATIVES_TARGETED = frozenset({"threats_to_family", "family_detained", "family_harmed"})
# The reprisals that hurt someone in body (data/risks.yaml: those whose first advice is care and
# a 24-hour line, checklist `emergency_now`), but a disappearance, which the plan meets with the
# person missing (`LOCATIONS_CANNOT_ACT`). After one of them, with danger not ruled out, the
# 24-hour line is the plan's first step, before the device step (gate 4 lets it: it carries the
# device advice; caseworker review 6, B6). Threats are not in it: the danger answer says whether
# a threat is about to be carried out.
HARM_TO_BODY = frozenset({"physical_attack", "ill_treatment", "sexual_violence", "family_harmed"})


def reader_of(respondent: str | None, location: str | None) -> Audience:
    """Whom a plan or a draft speaks to (contract §2, v1.1: `person` when the person at risk
    answered, `other` otherwise): someone else when someone else answers or nobody said who
    answers (the words for another reader never let them decide for the person), or when the
    person at risk is detained or missing and cannot act."""
    if respondent != "self" or location in LOCATIONS_CANNOT_ACT:
        return "other"
    return "person"


RISK_LEVELS: tuple[str, ...] = get_args(RiskLevel)
Lang = Literal["en", "fr", "es", "ar", "ru", "zh"]
LANGS: tuple[str, ...] = get_args(Lang)


ValueType = Literal["enum", "list", "bool", "text", "case_id", "date", "day", "mapping", "country"]
COUNTRY_EXAMPLES = "CN, BH"


def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes a `country` key accepts, from CLDR (through Babel)."""
    # lazy: contract stays constants; countries loads only when a country is checked
    from reprisal_cli.countries import country_codes as codes

    return codes()


def is_country_code(code: str) -> bool:
    """Whether a `country` key accepts `code` (`country_codes`, without loading CLDR for a code
    the caller vouched for: `countries.known_countries`)."""
    # lazy: contract stays constants; countries loads only when a country is checked
    from reprisal_cli.countries import is_country_code as known

    return known(code)


@dataclass(frozen=True)
class KeySpec:
    """What one answers key holds: its type and, for enums and lists, the allowed values."""

    name: str
    type: ValueType
    values: tuple[str, ...] = ()

    @property
    def is_multi(self) -> bool:
        return self.type == "list"

    def describe(self) -> str:
        """Allowed values in words, for error messages."""
        if self.type == "country":
            return (
                "an ISO 3166-1 alpha-2 country code in capital letters "
                f"(for example {COUNTRY_EXAMPLES})"
            )
        if self.values:
            return "one of " + ", ".join(self.values)
        return {
            "bool": "true or false",
            "text": f"text of at most {NOTES_MAX_CHARS} characters",
            "case_id": "letters, digits, '.', '_' or '-', starting with a letter or digit, "
            "at most 64 characters",
            "date": "a date as YYYY, YYYY-MM or YYYY-MM-DD",
            "day": "a date as YYYY-MM-DD",
            "mapping": "a mapping with the keys " + ", ".join(CONSENT_KEYS),
        }.get(self.type, self.type)


ANSWER_KEYS: dict[str, KeySpec] = {
    spec.name: spec
    for spec in (
        KeySpec("case_id", "case_id"),
        KeySpec("respondent", "enum", RESPONDENTS),
        KeySpec("profile", "list", PROFILES),
        KeySpec("region", "enum", REGIONS),
        KeySpec("engagement", "list", ENGAGEMENTS),
        KeySpec("treaty_body", "list", TREATY_BODIES),
        KeySpec("individual_complaint", "list", TREATY_BODIES),
        KeySpec("measures_in_force", "list", MEASURES_BODIES),
        KeySpec("stage", "enum", STAGES),
        KeySpec("reprisals", "list", REPRISALS),
        KeySpec("incident_date", "date"),
        KeySpec("immediate_danger", "bool"),
        KeySpec("location", "enum", LOCATIONS),
        KeySpec("state", "country"),
        KeySpec("residence", "country"),
        KeySpec("consent_publicity", "enum", CONSENT_VALUES),
        KeySpec("consent_share_with_un", "enum", CONSENT_VALUES),
        # (v1.1) Written in files only inside the `consent` mapping (see CONSENT_KEYS).
        KeySpec("consent_share_with_regional", "enum", CONSENT_VALUES),
        KeySpec("consent_share_with_states", "enum", CONSENT_VALUES),
        KeySpec("consent_share_with_government", "enum", CONSENT_VALUES),
        KeySpec("consent_sg_report", "enum", SG_REPORT_VALUES),
        KeySpec("consent_given_by", "enum", GIVEN_BY_VALUES),
        KeySpec("consent_date", "day"),
        KeySpec("devices_compromised", "bool"),
        KeySpec("others_at_risk", "list", OTHERS_AT_RISK),
        KeySpec("travel_planned", "bool"),
        KeySpec("notes", "text"),
    )
}

# Consent by purpose (v1.1): the keys of the `consent` mapping and the answers key each one fills.
# Inside the program every purpose is one flat key, so questions, conditions and labels treat
# consents like any other answer; only files nest them.
CONSENT_KEYS: dict[str, str] = {
    "publicity": "consent_publicity",
    "share_with_un": "consent_share_with_un",
    "share_with_regional": "consent_share_with_regional",
    "share_with_states": "consent_share_with_states",
    "share_with_government": "consent_share_with_government",
    "sg_report": "consent_sg_report",
    "given_by": "consent_given_by",
    "date": "consent_date",
}
# The purposes a consent is given for (the mapping's other keys say who gave it, and when).
ConsentPurpose = Literal[
    "publicity",
    "share_with_un",
    "share_with_regional",
    "share_with_states",
    "share_with_government",
    "sg_report",
]
CONSENT_PURPOSES: tuple[str, ...] = get_args(ConsentPurpose)
# The v1 keys a file may still write at the top level, for the purpose of the same name.
V1_CONSENT_KEYS: dict[str, str] = {
    "consent_publicity": "publicity",
    "consent_share_with_un": "share_with_un",
}
# The top-level keys of an answers file: the answers keys less the consent keys that exist only
# inside the mapping, plus the mapping itself.
FILE_KEYS: dict[str, KeySpec] = {
    **{
        k: s
        for k, s in ANSWER_KEYS.items()
        if k in V1_CONSENT_KEYS or k not in CONSENT_KEYS.values()
    },
    "consent": KeySpec("consent", "mapping"),
}

# List keys where an empty list is an answer, not "not known" (§1: only an absent key is unknown):
# `others_at_risk: []` says no one else is at risk ("choose nothing if no one else is at risk").
EMPTY_LIST_ANSWERS = frozenset({"others_at_risk"})

# Keys a rule may test: free text, labels and dates never drive advice.
RULE_KEYS = tuple(
    k for k, s in ANSWER_KEYS.items() if s.type not in ("text", "case_id", "date", "day")
)
BOOL_VALUES = ("true", "false")


def allowed_values(key: str) -> tuple[str, ...]:
    """The values a condition may compare `key` with (booleans as 'true'/'false')."""
    spec = ANSWER_KEYS[key]
    if spec.type == "country":
        return tuple(sorted(country_codes()))
    return BOOL_VALUES if spec.type == "bool" else spec.values


def accepts(key: str, value: str) -> bool:
    """Whether a condition may compare `key` with `value`. A country code is asked of
    `is_country_code`, so a code the caller vouched for (the knowledge base's States, when a
    snapshot is read) does not load CLDR: a tenth of every command's start-up (bench/RESULTS.md)."""
    if ANSWER_KEYS[key].type == "country":
        return is_country_code(value)
    return value in allowed_values(key)


def allowed_words(key: str) -> str:
    """The values `key` takes, for an error message."""
    if ANSWER_KEYS[key].type == "country":
        return f"an ISO 3166-1 alpha-2 country code such as {COUNTRY_EXAMPLES}"
    return "one of " + ", ".join(allowed_values(key))
