"""Screenshot of the Team view on a small team's week of work (README).

Run:  xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_team.py [OUT.png] [--dark]

Five annotators, 60 short documents assigned by rule (10% agreement sample to everyone, the rest
to one each), spans and finished documents spread over the last six days (their times set in SQL,
as a week of real work would have left them). One annotator never uses "leverage".
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grab import save_after_paint
from sqlalchemy import text

from annotator.app import make_application
from annotator.services.workspace import Workspace
from annotator.ui.desk.theme import theme_manager
from annotator.ui.team.team_view import TeamView

PEOPLE = ("alice", "bob", "carol", "dmitri", "erin")
SENTENCES = (
    "Putin's visit to Beijing produced warm words and few signed deals.",
    "The pipeline talks stalled again over the price of gas.",
    "Analysts framed the summit as a show of a multipolar world order.",
    "Trade between the two countries rose by a quarter last year.",
    "Beijing holds the leverage: Moscow needs buyers for its oil.",
)


def build(ws: Workspace, folder: Path, rng: random.Random) -> None:
    for i in range(60):
        body = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 12)))
        (folder / f"article-{i:02d}.txt").write_text(f"Article {i}. {body}\n", encoding="utf-8")
    assert ws.importer.import_paths(sorted(folder.glob("*.txt"))).ok
    ws.annotators.sign_in("sam")
    ids = {name: ws.annotators.sign_in(name).id for name in PEOPLE}
    ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=10, seed=13)
    labels = {x.name: x.id for x in ws.labels.list()}
    now = datetime.now(UTC)
    for k, name in enumerate(PEOPLE):
        queue = ws.assignments.queue(ids[name])
        finished = int(len(queue) * (0.35 + 0.12 * k))
        for position, doc in enumerate(queue[: finished + 2]):
            content = ws.documents.get(doc).text
            for sentence, label in (
                ("warm words", "strategic messaging"),
                ("few signed deals", "economic outcome"),
                ("rose by a quarter", "economic outcome"),
                ("holds the leverage", "leverage" if name != "dmitri" else "framing"),
                ("multipolar world order", "framing" if rng.random() < 0.8 else "strategic messaging"),
            ):
                start = content.find(sentence)
                if start >= 0:
                    ws.annotations.add(doc, ids[name], labels[label], start, start + len(sentence))
            if position < finished:
                ws.documents.set_status(doc, ids[name], "done")
    with ws.db.engine.begin() as conn:  # a week of work: times spread over the last six days
        for table, column in (("span", "created_at"), ("document_status", "updated_at")):
            rows = conn.execute(text(f"SELECT rowid FROM {table}")).scalars().all()
            for rowid in rows:
                hours = rng.choice(range(0, 6 * 24))
                if (now - timedelta(hours=hours)).hour >= 20 or (now - timedelta(hours=hours)).hour < 7:
                    hours += 10  # people sleep
                when = (now - timedelta(hours=hours, minutes=rng.randrange(60))).replace(tzinfo=None)
                conn.execute(
                    text(f"UPDATE {table} SET {column} = :w WHERE rowid = :r"), {"w": str(when), "r": rowid}
                )


def main(out: Path, dark: bool) -> None:
    app = make_application()
    theme_manager("dark" if dark else "light")
    folder = Path(tempfile.mkdtemp(prefix="annotator-team-"))
    workspace = Workspace.open(str(folder / "team.db"))
    build(workspace, folder, random.Random(7))
    view = TeamView(workspace, workspace.annotators.find("sam"), compute_agreement_now=True)
    view.resize(1320, 860)
    view.show()
    save_after_paint(app, view, out)
    workspace.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(args[0]) if args else Path("docs/team-view.png"), "--dark" in sys.argv)
