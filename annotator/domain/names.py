"""Names people type (labels, annotators): whitespace collapsed, never empty, never too long."""

from __future__ import annotations

from annotator.domain.errors import AnnotatorError

NAME_MAX = 200


def clean_display_name(name: str, what: str, error: type[AnnotatorError] = AnnotatorError) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise error(f"a {what} needs a name")
    if len(cleaned) > NAME_MAX:
        raise error(f"the {what} name is too long ({len(cleaned)} characters; at most {NAME_MAX})")
    return cleaned
