"""The plan's `as_of` date: `--as-of`, else SOURCE_DATE_EPOCH, else today (contract §2)."""

from __future__ import annotations

import datetime as dt
import os

from reprisal_cli.errors import Problem, UsageError


def resolve_as_of(value: str | None) -> dt.date:
    """The date every output is stamped with."""
    if value is not None:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise UsageError([Problem(f"--as-of {value!r} is not a date as YYYY-MM-DD")]) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                [Problem(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds")]
            ) from None
    return dt.date.today()


# How far after this computer's date a record may be dated: a colleague a time zone ahead is
# at most a day ahead (UTC+14 against UTC-12), and their today is a day the ledger takes, to be
# followed from that day on (`case.model.effect_now`). Further ahead is a mistake: a "yes"
# dated next week came into force by itself that week, as if the person had given it then
# (red teams red36, red37).
AHEAD = dt.timedelta(days=1)


def latest_day() -> dt.date:
    """The latest day a consent, an incident or an action may be dated (`AHEAD`)."""
    return dt.date.today() + AHEAD


def recording_day(value: str | None) -> dt.date:
    """The day a command that records into a case file dates what it records (`resolve_as_of`),
    refused when it is after `latest_day`: a consent, an incident or an action is recorded when
    it is given or happens."""
    day = resolve_as_of(value)
    if day > latest_day():
        given = "--as-of" if value is not None else "SOURCE_DATE_EPOCH"
        today = dt.date.today().isoformat()
        raise UsageError(
            [Problem(f"{given} ({day.isoformat()}) is after today ({today}): a consent, an "
                     "incident or an action is recorded on the day it is given or happens")],
            hint="Leave out --as-of (and SOURCE_DATE_EPOCH), or give today or an earlier day.",
        )  # fmt: skip
    return day
