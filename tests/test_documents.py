"""The YAML reader every answers and knowledge-base file goes through (`documents.parse`): the
same data as PyYAML's safe loader for any document it accepts, positions of every value, and
the refusals that loader does not make (repeated containers, duplicate keys, deep nesting)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reprisal_cli.documents import MAX_DEPTH, parse, read_bytes
from reprisal_cli.errors import AnswersError

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["yes", "no", "on", "~", "0o17", "0x1f", "1_000", ".inf", "2017-01-02"]),
)
KEYS = st.one_of(st.text(max_size=10), st.integers(), st.booleans())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=15,
)


def read(text: str) -> object:
    return parse(text.encode(), "doc.yaml", error=AnswersError).data


@given(VALUES, st.booleans())
def test_same_data_as_the_safe_loader(value: object, flow: bool) -> None:
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow)
    if text.lstrip().startswith("{"):
        return  # read as JSON: another reader
    assert read(text) == yaml.safe_load(text)


def test_yaml_scalars() -> None:
    text = """\
base: {a: 1, b: x}
flags: [yes, no, ~, 0x1f, 1.5, !!str 12, !!binary aGk=]
day: 2017-01-02
"""
    assert read(text) == {
        "base": {"a": 1, "b": "x"},
        "flags": [True, False, None, 31, 1.5, "12", b"hi"],
        "day": dt.date(2017, 1, 2),
    }


def test_merge_keys_are_refused() -> None:
    # Expanded by PyYAML before any other check: see tests/test_hostile_yaml.py.
    with pytest.raises(AnswersError, match=r"merge keys \(<<\) are not allowed"):
        read("base: &base {a: 1}\nother:\n  <<: *base\n  c: 2\n")


def test_positions_of_nested_values() -> None:
    doc = parse(b"a:\n  b:\n    - x\n    - y: 1\n", "doc.yaml", error=AnswersError)
    assert doc.locate(["a"]) == (1, 1)
    assert doc.locate(["a", "b"]) == (2, 3)
    assert doc.locate(["a", "b", 1]) == (4, 7)
    assert doc.locate(["a", "b", 1, "y"]) == (4, 7)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "key 'a' appears twice", 3),
        ("a: &x [1]\nb: *x\n", "repeat a list or mapping", 1),
        ("a: &x {k: 1}\nb: [*x]\n", "repeat a list or mapping", 1),
        ("? [1, 2]\n: v\n", "a mapping key must be a plain value", 1),
        ("a: !!python/object:os.system x\n", "could not determine a constructor", 1),
        ("a: &x [*x]\n", "repeat a list or mapping", 1),
    ],
)
def test_refusals_name_the_line(text: str, message: str, line: int) -> None:
    with pytest.raises(AnswersError, match=message) as caught:
        read(text)
    assert caught.value.problems[0].line == line


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(AnswersError, match=f"nested more than {MAX_DEPTH} levels"):
        read("a: " + "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2) + "\n")


def test_scalar_aliases_are_allowed() -> None:
    assert read("a: &x hello\nb: *x\n") == {"a": "hello", "b": "hello"}


def test_sets_and_ordered_maps_go_through_the_safe_constructor() -> None:
    assert read("s: !!set {a, b}\n") == {"s": {"a", "b"}}
    assert read("o: !!omap [{a: 1}, {b: 2}]\n") == {"o": [("a", 1), ("b", 2)]}


@pytest.mark.parametrize("follow", [True, False])
@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 5000])
def test_read_bytes_reads_the_whole_file_up_to_its_limit(
    tmp_path: Path, size: int, follow: bool
) -> None:
    path = tmp_path / "f.age"
    path.write_bytes(bytes(range(256)) * (size // 256) + bytes(size % 256))
    if size > 100:
        with pytest.raises(AnswersError, match="larger than the limit"):
            read_bytes(path, max_bytes=100, error=AnswersError, follow_symlinks=follow)
    else:
        got = read_bytes(path, max_bytes=100, error=AnswersError, follow_symlinks=follow)
        assert got == path.read_bytes()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc")
def test_a_file_longer_than_its_stated_length_is_read_on() -> None:
    # /proc files say they are empty (st_size 0) and are not: as a file that grew after its
    # length was taken, the read goes on to the limit, and past it is refused.
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    got = read_bytes(status, max_bytes=1 << 20, error=AnswersError)
    assert got.startswith(b"Name:") and b"\nPid:" in got
    with pytest.raises(AnswersError, match="larger than the limit"):
        read_bytes(status, max_bytes=10, error=AnswersError)
