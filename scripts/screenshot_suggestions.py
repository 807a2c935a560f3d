"""Take the README's suggestions screenshot: the sample article with a few spans and a model's
suggestions (outlined, fainter as the score drops), one selected, the threshold toolbar shown.

Run under a real X server:
    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_suggestions.py [OUT.png]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from grab import save_after_paint

from annotator.app import make_application, open_window
from annotator.domain.suggestions.model import Suggestion
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace

SPANS = [
    ("Putin’s latest visit", "framing"),
    ("strategic messaging between Beijing and Moscow", "strategic messaging"),
    ("key energy and trade agreements fail to materialize", "economic outcome"),
]
SUGGESTIONS = [
    ("symbolic alignment", "strategic messaging", 0.92),
    ("concrete economic breakthroughs remain limited", "economic outcome", 0.81),
    ("publicly reaffirmed strategic trust", "framing", 0.64),
    ("global power should not be concentrated in a single bloc", "strategic messaging", 0.47),
    ("Beijing’s strengthened position", "leverage", 0.88),
    ("a central stabilizing force", "framing", 0.35),
]


def main(out: Path, size: tuple[int, int]) -> None:
    app = make_application()
    tmp = Path(tempfile.mkdtemp(prefix="annotator-shot-"))
    settings = Settings(tmp / "settings.json")
    settings.set("theme", "light")
    settings.set("suggestion_threshold", 0.3)
    workspace = Workspace.open(str(tmp / "shot.db"))
    workspace.ensure_sample()
    me = workspace.annotators.sign_in("alice")
    doc = workspace.documents.list_for(me.id)[0]
    text = workspace.documents.get(doc.id).text
    labels = {x.name: x.id for x in workspace.labels.list()}
    for needle, label in SPANS:
        start = text.index(needle)
        workspace.annotations.add(doc.id, me.id, labels[label], start, start + len(needle))
    found = []
    for needle, label, score in SUGGESTIONS:
        start = text.index(needle)
        found.append(Suggestion(start, start + len(needle), label, score, "ner", "2024-06"))
    workspace.suggestions.store(doc.id, "ner", found)
    window = open_window(workspace, me, settings)
    window.resize(*size)
    window.show()
    window.suggestions.step(True)  # the first suggestion, selected, with its status-bar line
    window.view.verticalScrollBar().setValue(0)
    save_after_paint(app, window, out)
    workspace.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshot-suggestions.png")
    parser.add_argument("--size", default="1400x860")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    main(Path(args.out), (width, height))
