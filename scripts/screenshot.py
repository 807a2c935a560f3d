"""Take the README screenshot of the real window: the sample article with spans of every label.

Run under a real X server:  xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot.py
    [OUT.png] [--size 800x600] [--theme light|dark|system]
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


def main(out: Path, size: tuple[int, int], theme: str, guidelines: bool) -> None:
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
    window = open_window(workspace, me, settings)
    window.resize(*size)
    window.show()
    window.desk.select_span(span.id, scroll=False)
    window.span_table.select_span(span.id)
    if guidelines:
        window.toggle_guidelines()

    save_after_paint(app, window, out)
    workspace.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshot.png")
    parser.add_argument("--size", default="1400x860")
    parser.add_argument("--theme", default="light", choices=["system", "light", "dark"])
    parser.add_argument("--guidelines", action="store_true", help="open the guidelines panel")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    main(Path(args.out), (width, height), args.theme, args.guidelines)
