"""The one base class for refusals a person should read (no traceback)."""

from annotator.domain.display import safe_text


class AnnotatorError(Exception):
    """Something the user asked for cannot be done; the message says what and where.

    Messages often quote a file, a name or a database's own error text, and are shown on a terminal
    and in dialogs: the message is made safe here (control characters escaped, length bounded)."""

    def __init__(self, message: object = "", *args: object) -> None:
        super().__init__(safe_text(str(message).strip()), *args)
