"""A long string serialized as orjson writes it, a piece at a time (a 20 MB text is not held twice)."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

TEXT_PIECE = 1 << 20  # characters serialized at a time


def json_string_pieces(text: str) -> Iterator[bytes]:
    """``orjson.dumps(text)`` in pieces: JSON escapes one character at a time, so slices of the text
    serialized alone and joined inside one pair of quotes give the same bytes."""
    if len(text) <= TEXT_PIECE:
        yield orjson.dumps(text)
        return
    yield b'"'
    for lo in range(0, len(text), TEXT_PIECE):
        yield orjson.dumps(text[lo : lo + TEXT_PIECE])[1:-1]
    yield b'"'
