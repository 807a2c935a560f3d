"""Take the README screenshot of the real window: the sample article with spans of every label.

Run under a real X server:  xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot.py
    [OUT.png] [--size 800x600] [--theme light|dark|system] [--guidelines] [--document-data]

--document-data adds document labels (set and shown in the bar above the text) and a comment for
the supervisor, with the comment dialog open (the screen is grabbed, so the dialog shows).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from grab import save_after_paint

from annotator.app import make_application, open_window
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace

SPANS = [
    ("Putin’s latest visit", "framing"),
    ("strategic messaging between Beijing and Moscow", "strategic messaging"),
    ("Beijing and Moscow", "leverage"),
    ("key energy and trade agreements fail to materialize", "economic outcome"),
    ("symbolic alignment", "strategic messaging"),
    ("concrete economic breakthroughs remain limited", "economic outcome"),
    ("publicly reaffirmed strategic trust", "framing"),
]


DOCUMENT_LABELS = [
    ("cooperation", "overall framing", False),
    ("rivalry", "overall framing", False),
    ("mixed", "overall framing", False),
    ("energy", "topic", True),
    ("trade", "topic", True),
    ("security", "topic", True),
]
COMMENT = "Does the headline count as part of the article, or only the body text?"


def add_document_data(workspace: Workspace, document_id: int, annotator_id: int) -> None:
    ids = {
        name: workspace.labels.create(name, kind="document", label_set=group, multiple=multiple).id
        for name, group, multiple in DOCUMENT_LABELS
    }
    chosen = frozenset(ids[n] for n in ("mixed", "energy", "trade"))
    workspace.document_data.set_labels(document_id, annotator_id, chosen)
    workspace.document_data.set_comment(document_id, annotator_id, COMMENT)


def main(out: Path, size: tuple[int, int], theme: str, guidelines: bool, document_data: bool) -> None:
    app = make_application()
    tmp = Path(tempfile.mkdtemp(prefix="annotator-shot-"))
    settings = Settings(tmp / "settings.json")
    settings.set("theme", theme)
    workspace = Workspace.open(str(tmp / "shot.db"))
    workspace.ensure_sample()
    me = workspace.annotators.sign_in("alice")
    doc = workspace.documents.list_for(me.id)[0]
    text = workspace.documents.get(doc.id).text
    labels = {x.name: x.id for x in workspace.labels.list()}
    for needle, label in SPANS:
        start = text.index(needle)
        span = workspace.annotations.add(doc.id, me.id, labels[label], start, start + len(needle))
    workspace.annotations.set_note(span.id, "contrast with 'concrete' outcomes below")
    workspace.labels.update(
        labels["framing"],
        description="How events are presented: word choice and narrative that steer reading.\n\n"
        "- *Example*: “a central stabilizing force”\n- *Not framing*: plain reports of who met whom",
    )
    if document_data:
        add_document_data(workspace, doc.id, me.id)
    window = open_window(workspace, me, settings)
    window.resize(*size)
    window.show()
    window.desk.select_span(span.id, scroll=False)
    window.span_table.select_span(span.id)
    if guidelines:
        window.toggle_guidelines()

    if document_data:
        window.edit_comment()
        dialog = window.comment_dialog
        dialog.move(
            window.geometry().right() - dialog.width() - 40, window.geometry().bottom() - dialog.height() - 60
        )
        save_after_paint(app, window, out, screen=True)
    else:
        save_after_paint(app, window, out)
    workspace.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshot.png")
    parser.add_argument("--size", default="1400x860")
    parser.add_argument("--theme", default="light", choices=["system", "light", "dark"])
    parser.add_argument("--guidelines", action="store_true", help="open the guidelines panel")
    parser.add_argument("--document-data", action="store_true", help="document labels and a comment")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    main(Path(args.out), (width, height), args.theme, args.guidelines, args.document_data)
