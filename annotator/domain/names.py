"""Names people type (labels, annotators): whitespace collapsed, never empty, never too long."""

from __future__ import annotations

import re

from annotator.domain.errors import AnnotatorError

NAME_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_character(name: str) -> str | None:
    """The first control character (C0, DEL, C1) in ``name``, escaped, or None. Names are shown on
    terminals and in every view: a name must not carry terminal commands (``ESC ] 0 ; ... BEL``)."""
    found = _CONTROL.search(name)
    return None if found is None else f"\\x{ord(found.group()):02x}"


def clean_display_name(name: str, what: str, error: type[AnnotatorError] = AnnotatorError) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise error(f"a {what} needs a name")
    if bad := control_character(cleaned):
        raise error(f"a {what} name cannot contain control characters ({bad})")
    if len(cleaned) > NAME_MAX:
        raise error(f"the {what} name is too long ({len(cleaned)} characters; at most {NAME_MAX})")
    return cleaned


# The reserved annotator that holds the adjudicated gold layer (DESIGN.md section 3).
GOLD_NAME = "gold"
