"""Safe display of untrusted text (file content, names, paths, URLs) inside messages.

A message that quotes a file goes to a terminal or a dialog. Raw control characters there are
commands (``ESC ] 0 ; title BEL`` retitles a terminal, ``ESC [ 2 J`` clears it, U+202E reverses what
follows), and a quoted value can be megabytes long. So every character that ``str.isprintable`` rejects
(C0 and C1 controls, DEL, line and paragraph separators, bidi and other format characters,
unassigned code points) is written as a Python escape (``\\x1b``, ``\\u202e``), and long text keeps its
head and tail with the count of what was left out between them.
"""

from __future__ import annotations

import reprlib

MESSAGE_LIMIT = 1_000
VALUE_LIMIT = 120
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

_repr = reprlib.Repr()
_repr.maxstring = VALUE_LIMIT
_repr.maxother = VALUE_LIMIT
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 8
_repr.maxlevel = 3


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_controls(text: str) -> str:
    """``text`` with every non-printable character written as an escape; printable text unchanged."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape_char(ch) for ch in text)


def safe_text(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Untrusted text made fit for a message: controls escaped, at most about ``limit`` characters
    (head and tail kept). Only what can be shown is escaped, so a 100 MB value costs no more than a
    short one."""
    if len(text) <= limit:
        escaped = escape_controls(text)
        if len(escaped) <= limit:
            return escaped
    tail_n = max(limit // 4, 1)
    head_n = max(limit - tail_n, 1)
    head = escape_controls(text[:head_n])[:head_n]
    tail = escape_controls(text[-tail_n:])[-tail_n:]
    return f"{head}…[{len(text)} characters in all]…{tail}"


def shown(value: object, limit: int = VALUE_LIMIT) -> str:
    """A value from a file as a message quotes it: its repr (strings in quotes), bounded in size
    and depth (``[0] * 10**6`` is shown as ``[0, 0, 0, 0, 0, 0, 0, 0, ...]``), controls escaped."""
    try:
        text = _repr.repr(value)
    except ValueError:  # an int too long to print (Python refuses over 4,300 digits)
        text = f"<a number of {value.bit_length() if isinstance(value, int) else '?'} bits>"
    return safe_text(text, limit)
