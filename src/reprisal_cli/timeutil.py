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
