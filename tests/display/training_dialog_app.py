"""The training dialog alone in its own process on a real display (run by test_training_dialog_display.py).

    python -m tests.display.training_dialog_app DOCUMENTS OUT_FILE [--quit-while-training]

Trains the span classifier on DOCUMENTS generated documents and writes ``PID <child>``, ``ENDED <state>``
and ``TRAINED <class>`` lines to OUT_FILE as they happen; quits when the training has ended (or, with
``--quit-while-training``, as soon as the child reports progress, as when a person quits the app).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from annotator.ui.suggestions.training_dialog import TrainingDialog
from tests.services.suggestions.training_data import training_documents


def main() -> int:
    documents, out = int(sys.argv[1]), sys.argv[2]

    def note(line: str) -> None:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    quit_early = "--quit-while-training" in sys.argv
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the app's main window would still be there
    dialog = TrainingDialog("classifier", training_documents(documents, sentences=10))
    noted = []

    def progressed(value: int) -> None:
        if value > 0 and not noted:  # the first progress shown: the child is working
            noted.append(value)
            note(f"PID {dialog.pid}")
            if quit_early:
                app.quit()

    dialog.bar.valueChanged.connect(progressed)
    dialog.trained.connect(lambda model: note(f"TRAINED {type(model).__name__}"))

    def ended(state: str) -> None:
        note(f"ENDED {state}")
        dialog.wait_stopped()
        app.quit()

    dialog.ended.connect(ended)
    dialog.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
