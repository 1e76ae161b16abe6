"""`workers.Workers`: results in input order, and with `here` the calling process does a share."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from reprisal_cli.workers import Workers, can_fork


def _tagged() -> Callable[[int], tuple[int, int]]:
    return lambda item: (item, os.getpid())


@pytest.mark.skipif(not can_fork(), reason="workers are forked")
@pytest.mark.parametrize("here", [False, True])
def test_results_come_back_in_input_order_from_every_hand(here: bool) -> None:
    pool: Workers[int, tuple[int, int]] = Workers(
        2, _tagged, (), chunksize=3, lost="numbers", here=here
    )
    results = list(pool.run(range(500)))
    assert [item for item, _ in results] == list(range(500))
    by = {pid for _, pid in results}
    # Two hands: two workers, or one worker and this process.
    assert len(by) == 2
    assert (os.getpid() in by) is here
