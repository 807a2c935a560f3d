"""Errors the store raises with a message a person can act on."""

from annotator.domain.errors import AnnotatorError


class StoreError(AnnotatorError):
    """The database cannot be used as asked; the message says why and what to do."""
