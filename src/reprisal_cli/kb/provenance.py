"""Where a contact or fact comes from and when it was last confirmed: the dates a source shows
(as precise as it shows them), whether a confirmation is recent enough, and which contacts matter
most to re-confirm.

A date read off a source is never rounded up: a source that shows only "2020" or "Oct 2020" keeps
that precision, and its age is counted from the first day it can mean. Staleness is measured from
`last_confirmed` alone; the date an archived copy was read is not a confirmation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Protocol


class Confirmed(Protocol):
    """What `last_confirmed` holds (`kb.models.Confirmation`)."""

    @property
    def how(self) -> str: ...

    @property
    def date(self) -> dt.date | None: ...


# A date as a source shows it: `2019-02-25` (a date), `2020-10` (text), `2019` (a number), or
# the word `undated`.
SourceDateValue = dt.date | int | str

UNDATED = "undated"
EARLIEST_YEAR = 1900  # before this, a date in the knowledge base is a typo (year 1, year 0)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_VERSION_DATE = re.compile(r"^(\d{4})[.-](\d{2})[.-](\d{2})$")  # 2026.11.25
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class SourceDate:
    """A date as precise as its source gives it: a year, a month, or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def earliest(self) -> dt.date:
        """The first day it can mean: ages are counted from here, so they are never too young."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def check_year(year: int, written: str) -> None:
    """Refuse a year no source or confirmation can have (year 1, a typo for 2019...)."""
    if year < EARLIEST_YEAR:
        raise ValueError(
            f"{written!r} is not a possible date (year {year}): write the date the source shows"
        )


def parse_source_date(value: Any) -> SourceDate | None:
    """`source_date` as a `SourceDate`, or None for `undated`. Raises ValueError with the forms
    allowed when the value is none of them."""
    allowed = "a date YYYY-MM-DD, YYYY-MM, YYYY, or 'undated'"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        check_year(value.year, value.isoformat())
        return SourceDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError(f"source_date {value!r} is not {allowed}")
    if isinstance(value, int):
        check_year(value, str(value))
        return SourceDate(value)
    text = str(value).strip()
    if text == UNDATED:
        return None
    found = _MONTH.match(text) or _YEAR.match(text)
    if found is None:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"source_date {text!r} is not {allowed}") from None
        return parse_source_date(day)
    year = int(found.group(1))
    check_year(year, text)
    month = int(found.group(2)) if found.re is _MONTH else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"source_date {text!r} has no month {month}")
    return SourceDate(year, month)


def source_date_text(value: Any) -> str:
    """`source_date` as written in outputs: `2019-02-25`, `2020-10`, `2019` or `undated`."""
    parsed = parse_source_date(value)
    return UNDATED if parsed is None else parsed.iso()


def kb_date(version: str) -> dt.date | None:
    """The date of a knowledge base whose version is a date (`2026.11.25`), else None."""
    found = _VERSION_DATE.match(version.strip())
    if found is None:
        return None
    try:
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month (and to the last or
    first day Python knows: a contact confirmed on 9999-12-31 is not stale)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later`."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def confirmed_within(confirmation: Confirmed, as_of: dt.date, months: int) -> bool:
    """Whether the contact was confirmed (on the official page or by the organisation) at most
    `months` months before `as_of`, and not after it."""
    day = confirmation.date
    if confirmation.how == "not_confirmed" or day is None:
        return False
    return day <= as_of <= add_months(day, months)
