"""Several processes writing to one database at once lose nothing and see no errors."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from annotator.services.workspace import Workspace
from tests.services.conftest import write_jsonl

ANNOTATE = """
import sys
from annotator.services.workspace import Workspace
ws = Workspace.open(sys.argv[1])
me = ws.annotators.sign_in(sys.argv[2])
docs = [d.id for d in ws.documents.list_for(me.id) if d.uid.startswith("shared-")]
label = ws.labels.list()[0].id
count = int(sys.argv[3])
for i in range(count):
    doc = docs[i % len(docs)]
    ws.annotations.add(doc, me.id, label, i, i + 3)
    if i % 10 == 0:
        ws.documents.set_status(doc, me.id, "in_progress")
ws.close()
print("ok", count)
"""

IMPORT = """
import sys
from annotator.services.workspace import Workspace
ws = Workspace.open(sys.argv[1])
for path in sys.argv[2:]:
    result = ws.importer.import_paths([path])
    assert result.ok, result.files[0].error
ws.close()
print("ok")
"""

SPANS_PER_ANNOTATOR = 150
IMPORTERS = 2
FILE_DOCS = 40


def test_concurrent_annotators_and_importers(database_factory: Callable[[str], str], tmp_path: Path) -> None:
    target = database_factory("shared.db")
    ws = Workspace.open(target)
    text_body = "x" * 400
    write_jsonl(tmp_path / "shared.jsonl", [{"id": f"shared-{i}", "text": text_body} for i in range(5)])
    assert ws.importer.import_paths([tmp_path / "shared.jsonl"]).ok
    ws.close()
    files = []
    for n in range(IMPORTERS):
        # Each importer's file overlaps the other's by half: the union must come out exactly.
        records = [
            {
                "id": f"imported-{i}",
                "text": f"Imported document {i}. " * 20,
                "spans": [{"start": 0, "end": 8, "label": "framing", "annotator": "importer"}],
                "status": {"importer": "done"},
            }
            for i in range(n * FILE_DOCS // 2, n * FILE_DOCS // 2 + FILE_DOCS)
        ]
        files.append(write_jsonl(tmp_path / f"import-{n}.jsonl", records))
    annotators = ["ann_a", "ann_b", "ann_c"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ANNOTATE, target, name, str(SPANS_PER_ANNOTATOR)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in annotators
    ]
    procs += [
        subprocess.Popen(
            [sys.executable, "-c", IMPORT, target, str(path), str(path)],  # twice: merging is idempotent
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        assert out.startswith("ok"), (out, err)
    ws = Workspace.open(target)
    try:
        with ws.db.engine.connect() as conn:
            per_annotator = dict(
                conn.execute(
                    text(
                        "SELECT a.name, count(*) FROM span s JOIN annotator a ON a.id = s.annotator_id GROUP BY a.name"
                    )
                ).all()
            )
            documents = conn.execute(text("SELECT count(*) FROM document")).scalar_one()
        union = FILE_DOCS // 2 * (IMPORTERS + 1)
        assert per_annotator == {**{name: SPANS_PER_ANNOTATOR for name in annotators}, "importer": union}
        assert documents == 5 + union
    finally:
        ws.close()
