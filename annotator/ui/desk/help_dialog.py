"""F1: how the work goes (annotate, mark done, review) and every key, in one window."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

WORKFLOW = """
<h3>How the work goes</h3>
<ol>
<li><b>Pick a document</b> in the list on the left (Go &gt; Next unfinished document finds the
next one to do). The list shows how many you have done.</li>
<li><b>Annotate</b>: select text with the mouse or Shift+arrows and press a label's key (or click
the label). Selections snap to whole words and drop surrounding spaces (View menu). Click a span
to select it; press another label's key to relabel it, Delete to remove it, F2 to write a note.
Every change is saved at once; Ctrl+Z undoes it.</li>
<li><b>Read the guidelines</b> when unsure (Ctrl+G): each label's definition and examples,
the label you point at first.</li>
<li><b>Mark the document done</b> (Ctrl+D) when every passage is labelled. Only finished
documents count for agreement and review. Changing a finished document puts it back to
<i>in progress</i>; mark it done again when you are finished.</li>
<li><b>Review</b> (supervisors, File &gt; Review): compare the annotators' finished work,
read agreement, accept the right spans into the gold layer and mark each document reviewed.</li>
<li><b>Export</b> the training data (File &gt; Export, or <code>annotator export</code>).</li>
</ol>
"""


def help_html(rows: Sequence[tuple[str, str]]) -> str:
    keys = "".join(
        f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(k)}</b></td></tr>" for name, k in rows
    )
    return f"{WORKFLOW}<h3>Keys</h3><table cellpadding=3>{keys}</table>"


class HelpDialog(QDialog):
    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotator help")
        self.browser = QTextBrowser()
        self.browser.setHtml(help_html(rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(620, 640)
