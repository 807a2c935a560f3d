"""The one base class for refusals a person should read (no traceback)."""


class AnnotatorError(Exception):
    """Something the user asked for cannot be done; the message says what and where."""
