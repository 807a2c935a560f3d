"""CoNLL BIO: one ``TOKEN<TAB>TAG`` line per token, a blank line between sentences and between documents.

Decisions:
- Each document starts with ``-DOCSTART- -X- O O`` and a blank line, the CoNLL-2003 marker exactly:
  spaCy's ``spacy convert --converter ner`` splits documents only on that string (a ``-DOCSTART-<TAB>O``
  line is read as a word of a sentence), and the CoNLL-2003 readers (Hugging Face ``conll2003``, flair,
  seqeval's examples) skip any line starting with ``-DOCSTART-``. A ``# id =`` comment would be read as
  a token by most of them. Documents follow in export order; warnings name the document uid.
- Tokens come from ``annotator.domain.tokenize``; they never contain whitespace, so a line never breaks
  inside a token. Text is split into sentences at line breaks (any character ``str.splitlines`` breaks
  on, CRLF and U+2028 included), except inside a span, so an ``I-`` tag never starts a sentence.
- Tags are ``B-label``/``I-label``/``O`` with labels made safe: whitespace runs become ``_`` and the ends are
  trimmed (``strategic messaging`` -> ``B-strategic_messaging``).
- BIO cannot hold overlapping spans. Kept first: the longest span (in characters), then the earliest, then
  by label; a span that shares a token with one already kept is dropped. Identical spans (same offsets and
  label, e.g. from two annotators) count once. Every drop is returned as a warning naming the document
  and the dropped spans.
- A span whose boundary falls inside a token tags the whole token (and is reported as misaligned); a span
  holding only whitespace tags nothing (reported, dropped).
"""

from __future__ import annotations

import itertools
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

from annotator.domain.records import DocumentRecord, SpanRecord
from annotator.domain.tokenize import align_bounds, token_arrays, token_bounds

DOCSTART = "-DOCSTART-"
DOCSTART_LINE = "-DOCSTART- -X- O O"
PIECE_LINES = 20_000  # lines made at a time
SPAN_PIECE = 20_000  # spans placed at a time
NUMPY_FROM_CHARS = 1000  # shorter texts are written without numpy (a one-document export need not load it)
_WHITESPACE = re.compile(r"\s+")
# Exactly the boundaries of str.splitlines().
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def safe_label(label: str) -> str:
    """A tag-safe label: no whitespace (runs become one underscore)."""
    return _WHITESPACE.sub("_", label.strip())


def _describe(record: DocumentRecord, span: SpanRecord) -> str:
    return f"[{span.start}, {span.end}) {span.label!r} {record.text[span.start : span.end]!r}"


def _misaligned(doc: str, record: DocumentRecord, span: SpanRecord, first_token: str, last_token: str) -> str:
    return (
        f"{doc}: span {_describe(record, span)} does not fall on token boundaries;"
        f" tagged whole tokens {first_token!r}..{last_token!r}"
    )


def _overlaps_dropped(doc: str, record: DocumentRecord, dropped: list[SpanRecord]) -> str:
    listed = "; ".join(_describe(record, s) for s in sorted(dropped, key=lambda s: (s.start, s.end)))
    return f"{doc}: {len(dropped)} overlapping span(s) dropped (BIO cannot overlap): {listed}"


def dump(record: DocumentRecord) -> tuple[str, list[str]]:
    """The CoNLL block for one document (ending in a blank line) and warnings about lost spans."""
    pieces, warnings = dump_pieces(record)
    return "".join(pieces), warnings


def dump_pieces(record: DocumentRecord) -> tuple[Iterator[str], list[str]]:
    """``dump`` as pieces of a few thousand lines each, made as they are iterated (a 20 MB document
    is 3 million lines), and the warnings (known before the first piece)."""
    if len(record.text) < NUMPY_FROM_CHARS:
        return _small_dump_pieces(record)
    import numpy as np  # (imported by the exports that need it: not on start-up)

    text = record.text
    doc = f"document {record.uid!r}"
    starts, ends = token_arrays(text)
    count = len(starts)
    warnings: list[str] = []
    # Identical spans (offsets and label) count once: the first of each in offset order.
    ordered = sorted(record.spans, key=_offsets_label)
    unique = [
        s
        for s, before in zip(ordered, [None, *ordered], strict=False)
        if before is None or s[:3] != before[:3]
    ]
    n = len(unique)
    span_starts = np.fromiter((s.start for s in unique), np.int64, n)
    span_ends = np.fromiter((s.end for s in unique), np.int64, n)
    firsts = np.searchsorted(ends, span_starts, "right")  # the first token ending after start
    lasts = np.searchsorted(starts, span_ends, "left") - 1  # the last token starting before end
    covered = firsts <= lasts
    aligned = (
        (starts[np.minimum(firsts, count - 1)] == span_starts) & (ends[np.maximum(lasts, 0)] == span_ends)
        if count
        else covered
    )
    for i in np.flatnonzero(~covered).tolist():
        warnings.append(f"{doc}: span {_describe(record, unique[i])} covers no token; dropped")
    # Kept first: the longest span, then the earliest, then by label (keys unique after the above).
    rank = {label: r for r, label in enumerate(sorted({s.label for s in unique}))}
    labels = np.fromiter((rank[s.label] for s in unique), np.int64, n)
    kept = np.flatnonzero(covered)
    order = kept[np.lexsort((labels[kept], span_starts[kept], (span_starts - span_ends)[kept]))]

    line_ends = [_OUTSIDE]  # each line's end: TAB, the tag, the newline; B- codes odd, I- codes even
    code_of: dict[str, int] = {}
    tags = np.zeros(count, np.uint16 if 2 * len(rank) < 65535 else np.int32)  # codes into line_ends
    taken = bytearray(count)
    dropped: list[SpanRecord] = []
    for i, first, last, on_bounds in _in_pieces(order, firsts, lasts, aligned):
        span = unique[i]
        if taken.find(1, first, last + 1) != -1:
            dropped.append(span)
            continue
        taken[first : last + 1] = b"\x01" * (last - first + 1)
        code = code_of.get(span.label)
        if code is None:
            code = code_of[span.label] = len(line_ends)
            line_ends += _line_ends(span.label)
        tags[first] = code
        tags[first + 1 : last + 1] = code + 1
        if not on_bounds:
            warnings.append(
                _misaligned(
                    doc, record, span, text[starts[first] : ends[first]], text[starts[last] : ends[last]]
                )
            )
    if dropped:
        warnings.append(_overlaps_dropped(doc, record, dropped))

    # A sentence ends at a line break between two tokens (never before an I- tag): found per break,
    # not per token, as breaks are few.
    breaks = np.fromiter((brk.start() for brk in _LINE_BREAK.finditer(text)), np.int64)
    after = np.searchsorted(starts, breaks, "right")  # the first token after each break
    after = after[(after > 0) & (after < count)]
    inside = tags[after] % 2 == 0
    inside &= tags[after] > 0
    sentence_starts = sorted(set(after[~inside].tolist()))
    return _pieces(text, starts, ends, tags, line_ends, sentence_starts), warnings


_OUTSIDE = "\tO\n"


@cache
def _line_ends(label: str) -> tuple[str, str]:
    """The B- and I- line ends of a label."""
    safe = safe_label(label)
    return f"\tB-{safe}\n", f"\tI-{safe}\n"


def _in_pieces(
    order: npt.NDArray[np.intp],
    firsts: npt.NDArray[np.intp],
    lasts: npt.NDArray[np.intp],
    aligned: npt.NDArray[np.bool_],
) -> Iterator[tuple[int, int, int, bool]]:
    """(span, first token, last token, on token bounds) in ``order``, as Python values SPAN_PIECE at a
    time (a 20 MB document's 200,000 spans as four lists of ints took 30 MB)."""
    for lo in range(0, len(order), SPAN_PIECE):
        piece = order[lo : lo + SPAN_PIECE]
        yield from zip(
            piece.tolist(),
            firsts[piece].tolist(),
            lasts[piece].tolist(),
            aligned[piece].tolist(),
            strict=True,
        )


def _offsets_label(span: SpanRecord) -> tuple[int, int, str]:
    return span.start, span.end, span.label


def _block(count: int, sentence_starts: list[int], lines: Callable[[int, int], str]) -> Iterator[str]:
    """The block: the marker, then ``TOKEN<TAB>TAG`` lines (``lines(lo, hi)`` gives those of tokens
    lo..hi-1) with a blank line before each sentence start, and a blank line at the end."""
    yield DOCSTART_LINE + "\n\n"
    if not count:
        return
    bounds = [0, *sentence_starts, count]  # sentences, each cut into pieces of PIECE_LINES lines
    for sentence, (first, stop) in enumerate(itertools.pairwise(bounds)):
        lead = "\n" if sentence else ""
        for lo in range(first, stop, PIECE_LINES):
            yield lead + lines(lo, min(stop, lo + PIECE_LINES))
            lead = ""
    yield "\n"


def _pieces(
    text: str,
    starts: npt.NDArray[np.signedinteger],
    ends: npt.NDArray[np.signedinteger],
    tags: npt.NDArray[np.integer],
    line_ends: list[str],
    sentence_starts: list[int],
) -> Iterator[str]:
    """``_block`` of tokens in arrays, each tag a code into ``line_ends`` (its ``<TAB>TAG`` line end)."""

    def lines(lo: int, hi: int) -> str:
        parts = [""] * (2 * (hi - lo))  # each token, then its line's end
        parts[0::2] = [text[s:e] for s, e in zip(starts[lo:hi].tolist(), ends[lo:hi].tolist(), strict=True)]
        parts[1::2] = list(map(line_ends.__getitem__, tags[lo:hi].tolist()))
        return "".join(parts)

    return _block(len(tags), sentence_starts, lines)


def _small_dump_pieces(record: DocumentRecord) -> tuple[Iterator[str], list[str]]:
    """``dump_pieces`` of a short text, in plain Python: importing numpy (0.1 s) would cost a
    one-document export more than the array operations save. Same bytes (tests/domain)."""
    text = record.text
    doc = f"document {record.uid!r}"
    starts, ends = token_bounds(text)
    warnings: list[str] = []
    candidates: list[tuple[SpanRecord, int, int]] = []
    seen: set[tuple[int, int, str]] = set()
    for span in sorted(record.spans, key=lambda s: (s.start, s.end, s.label)):
        key = (span.start, span.end, span.label)
        if key in seen:
            continue
        seen.add(key)
        where = align_bounds(starts, ends, span.start, span.end)
        if where is None:
            warnings.append(f"{doc}: span {_describe(record, span)} covers no token; dropped")
            continue
        candidates.append((span, *where))

    count = len(starts)
    tags = ["O"] * count
    taken = bytearray(count)
    dropped: list[SpanRecord] = []
    for span, first, last in sorted(
        candidates, key=lambda c: (c[0].start - c[0].end, c[0].start, c[0].label)
    ):
        if taken.find(1, first, last + 1) != -1:
            dropped.append(span)
            continue
        taken[first : last + 1] = b"\x01" * (last - first + 1)
        label = safe_label(span.label)
        tags[first] = "B-" + label
        tags[first + 1 : last + 1] = ["I-" + label] * (last - first)
        if starts[first] != span.start or ends[last] != span.end:
            warnings.append(
                _misaligned(
                    doc, record, span, text[starts[first] : ends[first]], text[starts[last] : ends[last]]
                )
            )
    if dropped:
        warnings.append(_overlaps_dropped(doc, record, dropped))

    # A sentence ends at a line break between two tokens (never before an I- tag): found per break,
    # not per token, as breaks are few.
    sentence_starts = set()
    for brk in _LINE_BREAK.finditer(text):
        i = bisect_right(starts, brk.start())  # the first token after the break
        if 0 < i < count and tags[i][0] != "I":
            sentence_starts.add(i)
    return _small_pieces(text, starts, ends, tags, sorted(sentence_starts)), warnings


def _small_pieces(
    text: str, starts: array[int], ends: array[int], tags: list[str], sentence_starts: list[int]
) -> Iterator[str]:
    """``_block`` of tokens in Python arrays, each tag a string."""

    def lines(lo: int, hi: int) -> str:
        return "".join(
            [
                f"{text[s:e]}\t{tag}\n"
                for s, e, tag in zip(starts[lo:hi], ends[lo:hi], tags[lo:hi], strict=True)
            ]
        )

    return _block(len(tags), sentence_starts, lines)


def read_conll(text: str) -> list[list[tuple[str, str]]]:
    """Sentences of (token, tag) pairs, skipping ``-DOCSTART-`` lines (as CoNLL-2003 readers do)."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in text.split("\n"):
        if not line or line.startswith(DOCSTART):
            if current:
                sentences.append(current)
                current = []
            continue
        token, tag = line.rsplit("\t", 1)
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences
