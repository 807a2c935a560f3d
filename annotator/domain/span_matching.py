"""Maximum one-to-one matchings between two annotators' spans on one document (DESIGN.md section 6).

Spans are ``(start, end)`` code point ranges, end-exclusive. Two spans *overlap* when their ranges
intersect (``a.start < b.end and b.start < a.end``). The overlap matching is an exact maximum bipartite
matching (Hopcroft-Karp), run separately on each connected cluster of intersecting spans so that the
usual case (a handful of spans per cluster) stays cheap on documents with tens of thousands of spans.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence

import numpy as np

Range = tuple[int, int]

# Clusters with more spans than this build their adjacency with numpy instead of a Python double loop.
_NUMPY_ADJACENCY_FROM = 64


def max_exact_matching(a_spans: Iterable[Range], b_spans: Iterable[Range]) -> int:
    """Size of a maximum matching where a pair matches only on the same start and end.

    Each range occurs at most once per side, so every range in both sets is one matched pair.
    """
    return len(set(a_spans) & set(b_spans))


def max_overlap_matching(a_spans: Iterable[Range], b_spans: Iterable[Range]) -> int:
    """Size of a maximum one-to-one matching of A's ranges to B's where matched ranges intersect."""
    a = sorted(set(a_spans))
    b = sorted(set(b_spans))
    if not a or not b:
        return 0
    total = 0
    for a_cluster, b_cluster in _clusters(a, b):
        if len(a_cluster) == 1 or len(b_cluster) == 1:
            # A lone span always has an edge: taken by start, either it comes first and the next
            # span (from the other side) starts before it ends, or it starts before the reach of
            # the spans before it, all from the other side, and so inside one of them.
            total += 1
        else:
            total += _hopcroft_karp(_adjacency(a_cluster, b_cluster), len(b_cluster))
    return total


def _clusters(a: list[Range], b: list[Range]) -> list[tuple[list[Range], list[Range]]]:
    """Split both sides into groups whose union of ranges is disjoint from every other group's.

    No edge can join two groups, so the matching decomposes. Groups with one side empty are dropped.
    """
    tagged = sorted([(s, e, 0) for s, e in a] + [(s, e, 1) for s, e in b])
    clusters: list[tuple[list[Range], list[Range]]] = []
    current: tuple[list[Range], list[Range]] = ([], [])
    reach = -1
    for start, end, side in tagged:
        if start >= reach and (current[0] or current[1]):
            if current[0] and current[1]:
                clusters.append(current)
            current = ([], [])
        current[side].append((start, end))
        reach = max(reach, end)
    if current[0] and current[1]:
        clusters.append(current)
    return clusters


def _adjacency(a: Sequence[Range], b: Sequence[Range]) -> list[list[int]]:
    """For each A range, the indices of the B ranges it intersects (B is sorted by start)."""
    if len(a) * len(b) <= _NUMPY_ADJACENCY_FROM * _NUMPY_ADJACENCY_FROM:
        return [[j for j, (sb, eb) in enumerate(b) if sa < eb and sb < ea] for sa, ea in a]
    b_start = np.fromiter((s for s, _ in b), dtype=np.int64, count=len(b))
    b_end = np.fromiter((e for _, e in b), dtype=np.int64, count=len(b))
    adjacency: list[list[int]] = []
    for sa, ea in a:
        # Only B ranges starting before A ends can intersect; of those, the ones ending after A starts.
        upto = int(np.searchsorted(b_start, ea, side="left"))
        adjacency.append(np.flatnonzero(b_end[:upto] > sa).tolist())
    return adjacency


def _hopcroft_karp(adjacency: list[list[int]], n_right: int) -> int:
    """Maximum bipartite matching size; left vertices are ``range(len(adjacency))``. Iterative DFS."""
    n_left = len(adjacency)
    match_left = [-1] * n_left
    match_right = [-1] * n_right
    # A greedy start leaves Hopcroft-Karp only a few phases to do.
    matched = 0
    for u, neighbours in enumerate(adjacency):
        for v in neighbours:
            if match_right[v] == -1:
                match_left[u] = v
                match_right[v] = u
                matched += 1
                break
    infinity = n_left + n_right + 1
    while True:
        # BFS from the free left vertices builds the layer graph of shortest augmenting paths.
        dist = [infinity] * n_left
        queue: deque[int] = deque()
        for u in range(n_left):
            if match_left[u] == -1:
                dist[u] = 0
                queue.append(u)
        found = False
        while queue:
            u = queue.popleft()
            for v in adjacency[u]:
                w = match_right[v]
                if w == -1:
                    found = True
                elif dist[w] == infinity:
                    dist[w] = dist[u] + 1
                    queue.append(w)
        if not found:
            return matched
        # DFS along the layers for a maximal set of vertex-disjoint shortest augmenting paths.
        next_edge = [0] * n_left
        for root in range(n_left):
            if match_left[root] != -1:
                continue
            stack = [root]
            while stack:
                u = stack[-1]
                neighbours = adjacency[u]
                advanced = False
                while next_edge[u] < len(neighbours):
                    v = neighbours[next_edge[u]]
                    next_edge[u] += 1
                    w = match_right[v]
                    if w == -1:
                        # Augment along the stack: each left vertex takes the edge it last tried.
                        for x in reversed(stack):
                            y = adjacency[x][next_edge[x] - 1]
                            previous = match_left[x]
                            match_left[x] = y
                            match_right[y] = x
                            if previous == -1:
                                break
                        matched += 1
                        stack.clear()
                        advanced = True
                        break
                    if dist[w] == dist[u] + 1:
                        stack.append(w)
                        advanced = True
                        break
                if not advanced:
                    dist[u] = infinity  # dead end in this phase
                    stack.pop()


def exact_matching_total(a_keys: np.ndarray, b_keys: np.ndarray) -> int:
    """:func:`max_exact_matching` summed over many documents at once: ``a_keys`` and ``b_keys`` are
    each side's distinct ranges, one integer per (document, start, end), the same integer for the
    same range on both sides."""
    if not len(a_keys) or not len(b_keys):
        return 0
    return int(np.intersect1d(a_keys, b_keys, assume_unique=True).size)


def overlap_matching_total(
    a_start: np.ndarray, a_end: np.ndarray, b_start: np.ndarray, b_end: np.ndarray
) -> int:
    """:func:`max_overlap_matching` summed over many documents at once.

    Ranges are in one coordinate space where documents are laid end to end (no range crosses its
    document), distinct per side. The clusters of :func:`_clusters` come from the running maximum of
    ends over all ranges sorted by start; clusters with a lone range on either side add 1 each, and
    only the others (two or more ranges on both sides) go through Hopcroft-Karp in Python.
    """
    if not len(a_start) or not len(b_start):
        return 0
    starts = np.concatenate((a_start, b_start))
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    ends = np.concatenate((a_end, b_end))[order]
    side_b = (order >= len(a_start)).astype(np.int64)
    new = np.ones(len(starts), dtype=bool)
    new[1:] = starts[1:] >= np.maximum.accumulate(ends)[:-1]
    cluster = np.cumsum(new) - 1
    n_clusters = int(cluster[-1]) + 1
    n_b = np.bincount(cluster, weights=side_b, minlength=n_clusters).astype(np.int64)
    n_a = np.bincount(cluster, minlength=n_clusters) - n_b
    both = (n_a > 0) & (n_b > 0)
    lone = both & ((n_a == 1) | (n_b == 1))
    total = int(np.count_nonzero(lone))
    crowded = both & ~lone
    if not crowded.any():
        return total
    # A crowded cluster where every A range meets every B range (the latest start of each side
    # before the earliest end of the other) is complete bipartite: min(|A|, |B|) pairs.
    first = np.flatnonzero(new)
    is_a = side_b == 0
    big = np.iinfo(np.int64).max
    a_last_start = np.maximum.reduceat(np.where(is_a, starts, -1), first)
    b_last_start = np.maximum.reduceat(np.where(is_a, -1, starts), first)
    a_first_end = np.minimum.reduceat(np.where(is_a, ends, big), first)
    b_first_end = np.minimum.reduceat(np.where(is_a, big, ends), first)
    complete = crowded & (a_last_start < b_first_end) & (b_last_start < a_first_end)
    total += int(np.minimum(n_a, n_b)[complete].sum())
    rest = np.flatnonzero(crowded & ~complete)
    if len(rest):
        bounds = np.append(first, len(starts))
        for c in rest.tolist():
            lo, hi = int(bounds[c]), int(bounds[c + 1])
            members = list(
                zip(starts[lo:hi].tolist(), ends[lo:hi].tolist(), side_b[lo:hi].tolist(), strict=True)
            )
            a = [(s, e) for s, e, side in members if side == 0]
            b = sorted((s, e) for s, e, side in members if side == 1)
            total += _hopcroft_karp(_adjacency(a, b), len(b))
    return total
