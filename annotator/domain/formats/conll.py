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
from collections.abc import Iterator

from annotator.domain.records import DocumentRecord, SpanRecord
from annotator.domain.tokenize import align_bounds, token_bounds

DOCSTART = "-DOCSTART-"
DOCSTART_LINE = "-DOCSTART- -X- O O"
PIECE_LINES = 20_000  # lines made at a time
_WHITESPACE = re.compile(r"\s+")
# Exactly the boundaries of str.splitlines().
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def safe_label(label: str) -> str:
    """A tag-safe label: no whitespace (runs become one underscore)."""
    return _WHITESPACE.sub("_", label.strip())


def _describe(record: DocumentRecord, span: SpanRecord) -> str:
    return f"[{span.start}, {span.end}) {span.label!r} {record.text[span.start : span.end]!r}"


def dump(record: DocumentRecord) -> tuple[str, list[str]]:
    """The CoNLL block for one document (ending in a blank line) and warnings about lost spans."""
    pieces, warnings = dump_pieces(record)
    return "".join(pieces), warnings


def dump_pieces(record: DocumentRecord) -> tuple[Iterator[str], list[str]]:
    """``dump`` as pieces of a few thousand lines each, made as they are iterated (a 20 MB document
    is 3 million lines), and the warnings (known before the first piece)."""
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
                f"{doc}: span {_describe(record, span)} does not fall on token boundaries;"
                f" tagged whole tokens {text[starts[first] : ends[first]]!r}..{text[starts[last] : ends[last]]!r}"
            )
    if dropped:
        listed = "; ".join(_describe(record, s) for s in sorted(dropped, key=lambda s: (s.start, s.end)))
        warnings.append(f"{doc}: {len(dropped)} overlapping span(s) dropped (BIO cannot overlap): {listed}")

    # A sentence ends at a line break between two tokens (never before an I- tag): found per break,
    # not per token, as breaks are few.
    sentence_starts = set()
    for brk in _LINE_BREAK.finditer(text):
        i = bisect_right(starts, brk.start())  # the first token after the break
        if 0 < i < count and tags[i][0] != "I":
            sentence_starts.add(i)
    return _pieces(text, starts, ends, tags, sorted(sentence_starts)), warnings


def _pieces(
    text: str, starts: array[int], ends: array[int], tags: list[str], sentence_starts: list[int]
) -> Iterator[str]:
    """The block: the marker, then ``TOKEN<TAB>TAG`` lines with a blank line before each sentence start,
    and a blank line at the end."""
    yield DOCSTART_LINE + "\n\n"
    count = len(tags)
    if not count:
        return
    bounds = [0, *sentence_starts, count]  # sentences, each cut into pieces of PIECE_LINES lines
    for sentence, (first, stop) in enumerate(itertools.pairwise(bounds)):
        lead = "\n" if sentence else ""
        for lo in range(first, stop, PIECE_LINES):
            hi = min(stop, lo + PIECE_LINES)
            yield lead + "".join(
                [
                    f"{text[s:e]}\t{tag}\n"
                    for s, e, tag in zip(
                        starts[lo:hi].tolist(), ends[lo:hi].tolist(), tags[lo:hi], strict=True
                    )
                ]
            )
            lead = ""
    yield "\n"


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
