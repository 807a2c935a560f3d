"""Agreement units and the closed forms of alpha and kappa for binary values (DESIGN.md section 6).

A unit is a code point of a counted document for which ``str.isspace()`` is false. Everything here
works in *unit* coordinates: a prefix count of non-space code points maps a code point offset to the
index of the first unit at or after it, so a span ``[start, end)`` covers units ``[u(start), u(end))``
and per-unit values come from a difference array and a cumulative sum, never a loop over characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

_TABLE_SIZE = 0x10000  # str.isspace of every code point of the Basic Multilingual Plane, asked once
_space_table: np.ndarray | None = None


def _is_space(text: str) -> np.ndarray:
    """Boolean per code point of ``text``: ``str.isspace()``, exactly, for every Unicode version
    (the table is asked of str.isspace itself; the few code points above it one by one)."""
    global _space_table
    if _space_table is None:
        _space_table = np.fromiter(
            (chr(c).isspace() for c in range(_TABLE_SIZE)), dtype=bool, count=_TABLE_SIZE
        )
        _space_table = np.append(_space_table, False)  # where every code point above the table looks
    if text.isascii():
        return _space_table[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    is_space = np.take(_space_table, codes, mode="clip")  # above the table: its last entry, False
    if int(codes.max()) >= _TABLE_SIZE:
        spaces = [c for c in np.unique(codes[codes >= _TABLE_SIZE]).tolist() if chr(c).isspace()]
        if spaces:
            is_space |= np.isin(codes, np.asarray(spaces, dtype=codes.dtype))
    return is_space


def unit_prefix(text: str) -> np.ndarray:
    """``prefix[p]`` = number of units (non-space code points) in ``text[:p]``; length ``len(text) + 1``."""
    prefix = np.zeros(len(text) + 1, dtype=np.int64)
    if text:
        np.cumsum(~_is_space(text), out=prefix[1:])
    return prefix


def space_positions(text: str) -> np.ndarray:
    """The offsets of the code points of ``text`` that are not units, ascending: the number of units
    in ``text[:p]`` is ``p - searchsorted(space_positions(text), p)``, with no array per code point kept."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(_is_space(text))


def coverage(prefix: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Boolean per unit: covered by at least one of the code point ranges ``[starts[i], ends[i])``."""
    n_units = int(prefix[-1])
    unit_starts = prefix[starts]
    unit_ends = prefix[ends]
    diff = np.bincount(unit_starts, minlength=n_units + 1) - np.bincount(unit_ends, minlength=n_units + 1)
    return np.cumsum(diff[:n_units]) > 0


@dataclass(slots=True)
class AlphaCounts:
    """Sufficient statistics of nominal alpha for one binary variable over pairable units.

    ``n1``/``n0``: number of 1 and 0 values in units with two or more values. ``disagreement[m]``:
    sum over units with ``m`` values of ``k * (m - k)`` where ``k`` is the number of 1 values; each such
    unit adds ``k (m - k) / (m - 1)`` to the 0-1 cell of the coincidence matrix.
    """

    n1: int = 0
    n0: int = 0
    disagreement: dict[int, int] = field(default_factory=dict)

    def add(self, ones_per_unit: np.ndarray | None, n_values: int, n_units: int) -> None:
        """Add units that each carry ``n_values`` values; ``ones_per_unit`` None means all zero."""
        if n_values < 2 or n_units == 0:
            return  # a unit with a single value makes no pair: Krippendorff drops it
        if ones_per_unit is None:
            self.n0 += n_values * n_units
            return
        ones = int(ones_per_unit.sum())
        self.n1 += ones
        self.n0 += n_values * n_units - ones
        pairs = int(np.dot(ones_per_unit, n_values - ones_per_unit))
        self.disagreement[n_values] = self.disagreement.get(n_values, 0) + pairs

    def merge(self, other: AlphaCounts) -> None:
        self.n1 += other.n1
        self.n0 += other.n0
        for m, value in other.disagreement.items():
            self.disagreement[m] = self.disagreement.get(m, 0) + value

    def alpha(self) -> tuple[float | None, str | None]:
        """Krippendorff's alpha, nominal: ``1 - (n - 1) * o_01 / (n_0 * n_1)``; or None and why."""
        n = self.n0 + self.n1
        if n == 0:
            return None, "no unit has values from two or more annotators (no document finished by two)"
        if self.n1 == 0:
            return None, "no variation: no annotator marked any unit with this label"
        if self.n0 == 0:
            return None, "no variation: every annotator marked every unit with this label"
        observed = sum(value / (m - 1) for m, value in self.disagreement.items())
        return 1.0 - (n - 1) * observed / (self.n0 * self.n1), None


@dataclass(slots=True)
class KappaCounts:
    """Confusion counts of two annotators' binary values on shared units."""

    units: int = 0
    a_ones: int = 0
    b_ones: int = 0
    both_ones: int = 0

    def add(self, a: np.ndarray | None, b: np.ndarray | None, n_units: int) -> None:
        """Add ``n_units`` shared units; None stands for an all-zero coverage."""
        self.units += n_units
        if a is not None:
            self.a_ones += int(np.count_nonzero(a))
        if b is not None:
            self.b_ones += int(np.count_nonzero(b))
        if a is not None and b is not None:
            self.both_ones += int(np.count_nonzero(a & b))

    def kappa(self) -> tuple[float | None, str | None]:
        """Cohen's kappa in scikit-learn's form ``1 - sum(w * observed) / sum(w * expected)``."""
        n = self.units
        if n == 0:
            return None, "the documents both finished have no units (only whitespace)"
        a0, b0 = n - self.a_ones, n - self.b_ones
        observed = (self.a_ones - self.both_ones) + (self.b_ones - self.both_ones)
        expected = (self.a_ones * b0 + a0 * self.b_ones) / n
        if expected == 0:
            return None, "no variation: both annotators gave every unit the same value"
        return 1.0 - observed / expected, None


def f1(matched: int, a_spans: int, b_spans: int) -> float | None:
    """Span F1 ``2M / (|A| + |B|)``; None when neither side has a span."""
    total = a_spans + b_spans
    return None if total == 0 else 2 * matched / total


def mean_defined(values: Sequence[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
