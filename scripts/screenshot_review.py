"""Screenshot of the review window on a three-annotator sample (README).

Run:  xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_review.py [OUT.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from grab import save_after_paint

from annotator.app import make_application
from annotator.services.workspace import Workspace
from annotator.ui.review_window import ReviewWindow

WORK = {
    "alice": [
        ("strategic messaging between Beijing and Moscow", "strategic messaging"),
        ("key energy and trade agreements fail to materialize", "economic outcome"),
        ("symbolic alignment", "framing"),
        ("concrete economic breakthroughs remain limited", "economic outcome"),
    ],
    "bob": [
        ("strategic messaging between Beijing and Moscow", "strategic messaging"),
        ("energy and trade agreements fail to materialize", "economic outcome"),
        ("symbolic alignment", "strategic messaging"),
        ("significant negotiating leverage", "leverage"),
    ],
    "carol": [
        ("strategic messaging between Beijing and Moscow", "strategic messaging"),
        ("key energy and trade agreements fail to materialize", "economic outcome"),
        ("symbolic alignment on a “multipolar world order”", "framing"),
        ("concrete economic breakthroughs remain limited", "economic outcome"),
        ("significant negotiating leverage", "leverage"),
    ],
}


def build(workspace: Workspace) -> None:
    workspace.ensure_sample()
    labels = {x.name: x.id for x in workspace.labels.list()}
    for name, spans in WORK.items():
        me = workspace.annotators.sign_in(name)
        doc = workspace.documents.list_for(me.id)[0]
        text = workspace.documents.get(doc.id).text
        for needle, label in spans:
            start = text.index(needle)
            workspace.annotations.add(doc.id, me.id, labels[label], start, start + len(needle))
        workspace.documents.set_status(doc.id, me.id, "done")


def main(out: Path) -> None:
    app = make_application()
    workspace = Workspace.open(str(Path(tempfile.mkdtemp(prefix="annotator-review-")) / "review.db"))
    build(workspace)
    supervisor = workspace.annotators.sign_in("sam", "supervisor")
    window = ReviewWindow(workspace, supervisor)
    window.show()
    window.passages.selectRow(1)
    window.show_passage(1)
    window.accept_from("alice")

    save_after_paint(app, window, out)
    workspace.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/review.png"))
