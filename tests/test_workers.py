"""`workers.Workers` (the batch's pool) and `workers.Shares` (`followup`'s forked shares):
results in input order from every hand; a lost child, an error in a child and an early stop."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from process_support import live_children
from reprisal_cli.workers import Shares, WorkerLostError, Workers, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")


def _tagged() -> Callable[[int], tuple[int, int]]:
    return lambda item: (item, os.getpid())


def test_the_pool_gives_results_in_input_order_from_both_workers() -> None:
    pool: Workers[int, tuple[int, int]] = Workers(2, _tagged, (), chunksize=3, lost="numbers")
    results = list(pool.run(range(500)))
    assert [item for item, _ in results] == list(range(500))
    by = {pid for _, pid in results}
    assert len(by) == 2 and os.getpid() not in by


def _slower_here(parent: int, there: Callable[[int], int]) -> Callable[[int], int]:
    """`there` in a child; in this process (`parent`) the item, a little later: so the children
    surely claim chunks (this process would otherwise read a small list alone)."""

    def work(item: int) -> int:
        if os.getpid() == parent:
            time.sleep(0.002)
            return item
        return there(item)

    return work


@pytest.mark.parametrize(("jobs", "items", "chunksize"), [(2, 500, 3), (3, 100, 7), (2, 5, 32)])
def test_shares_give_results_in_input_order_from_this_process_and_the_children(
    jobs: int, items: int, chunksize: int
) -> None:
    def tagged(item: int) -> tuple[int, int]:
        time.sleep(0.001)
        return item, os.getpid()

    shares = Shares(jobs, tagged, list(range(items)), chunksize=chunksize, lost="numbers")
    results = list(shares.run())
    assert [item for item, _ in results] == list(range(items))
    by = [pid for _, pid in results]
    hands = min(jobs, -(-items // chunksize))
    assert len(set(by)) == hands and os.getpid() in by
    # Each chunk is read whole by one process.
    for start in range(0, items, chunksize):
        assert len(set(by[start : start + chunksize])) == 1


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_child_killed_is_a_lost_worker_and_the_others_are_ended() -> None:
    """A child gone without its results (the out-of-memory killer, kill -9) ends the work with
    exit 4's error, not a hang or a short list; no child is left behind."""
    before = live_children()

    def killed(item: int) -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return item

    shares = Shares(3, _slower_here(os.getpid(), killed), list(range(300)), chunksize=10,
                    lost="case files")  # fmt: skip
    got = []
    with pytest.raises(WorkerLostError) as raised:
        got.extend(shares.run())
    assert "stopped before it finished its case files" in raised.value.render()
    # In order, and none from the chunk a child took with it, nor after it.
    assert got == list(range(len(got))) and len(got) < 300
    assert live_children() == before


def test_an_error_in_a_child_is_raised_here_as_it_was_raised_there() -> None:
    def fails(item: int) -> int:
        raise ValueError(f"item {item}")

    shares = Shares(2, _slower_here(os.getpid(), fails), list(range(100)), chunksize=10,
                    lost="numbers")  # fmt: skip
    with pytest.raises(ValueError, match="item"):
        list(shares.run())


def test_an_error_that_cannot_be_pickled_still_says_what_it_was() -> None:
    class LocalError(Exception):
        pass

    def fails(item: int) -> int:
        raise LocalError("made in a function")

    shares = Shares(2, _slower_here(os.getpid(), fails), list(range(20)), chunksize=5,
                    lost="numbers")  # fmt: skip
    with pytest.raises(RuntimeError, match="LocalError: made in a function"):
        list(shares.run())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_stopping_early_ends_the_children_at_once() -> None:
    """Ctrl-C (or an error, or a reader that stops) while children are busy: they are ended,
    not waited for (red team red25's minute-long Ctrl-C, for the pool)."""
    before = live_children()

    def slow(item: int) -> int:
        time.sleep(0.5)
        return item

    shares = Shares(2, slow, list(range(200)), chunksize=16, lost="items")
    results = shares.run()
    assert next(results) == 0
    began = time.monotonic()
    results.close()
    assert time.monotonic() - began < 4  # a child's share of 16 items a chunk: 8 s and more
    assert live_children() == before


def test_one_chunk_forks_no_child() -> None:
    forks: list[int] = []
    os.register_at_fork(before=lambda: forks.append(1))
    shares = Shares(2, _tagged(), list(range(10)), chunksize=32, lost="numbers")
    assert {pid for _, pid in shares.run()} == {os.getpid()}
    assert forks == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_shares_closed_before_their_first_result_leave_no_child() -> None:
    """red46: a caller stopped between making the shares and asking for a result (Ctrl-C while
    the progress bar is set up) left the children running in a process that goes on."""
    before = live_children()

    def slow(item: int) -> int:
        time.sleep(0.5)
        return item

    with Shares(2, slow, list(range(200)), chunksize=16, lost="items"):
        assert live_children() != before
    assert live_children() == before


def test_closing_shares_twice_closes_no_other_file(tmp_path: Path) -> None:
    """The pipe the chunks are claimed from is closed once: its number, closed again after
    `run` ended, may by then be another file's."""
    shares = Shares(2, _tagged(), list(range(100)), chunksize=10, lost="numbers")
    assert len(list(shares.run())) == 100
    with (tmp_path / "other").open("w", encoding="utf-8") as other:
        shares.close()
        other.write("still open")
    assert (tmp_path / "other").read_text(encoding="utf-8") == "still open"
