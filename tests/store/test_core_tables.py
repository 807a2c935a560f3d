"""The light Core tables that export reads name real columns, and export runs without the ORM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.store import core_tables
from annotator.store.tables import SQLModel


def test_every_core_column_is_a_column_of_the_model_table() -> None:
    light = [
        core_tables.document_t,
        core_tables.span_t,
        core_tables.status_t,
        core_tables.label_t,
        core_tables.annotator_t,
    ]
    for table in light:
        model = SQLModel.metadata.tables[table.name]
        for col in table.columns:
            assert col.name in model.columns, f"{table.name}.{col.name}"
            assert col.type._type_affinity is model.columns[col.name].type._type_affinity, (
                f"{table.name}.{col.name}"
            )


def test_a_command_line_export_imports_neither_the_orm_nor_pydantic(tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text(
        '{"id": "d1", "text": "Alice met Bob.", "spans": [{"start": 0, "end": 5, "label": "PER", "annotator": "ann"}]}\n'
    )
    db = tmp_path / "a.db"
    subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", "--create-labels", str(source)],
        check=True,
        capture_output=True,
    )
    script = (
        "import sys\n"
        "from annotator.cli import main\n"
        f"code = main(['--db', {str(db)!r}, 'export', '--format', 'conll', '-o', {str(tmp_path / 'o.conll')!r}])\n"
        "loaded = sorted(m for m in ('sqlmodel', 'pydantic', 'sqlalchemy.orm', 'alembic', 'numpy') if m in sys.modules)\n"
        "print(code, loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "0 []"
    assert "Alice\tB-PER" in (tmp_path / "o.conll").read_text("utf-8")


def test_a_command_line_import_imports_neither_the_orm_nor_pydantic(tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text(
        '{"id": "d1", "text": "Alice met Bob.", "spans": [{"start": 0, "end": 5, "label": "PER", "annotator": "ann"}], "status": {"ann": "done"}}\n'
    )
    db = tmp_path / "a.db"
    script = (
        "import sys\n"
        "from annotator.cli import main\n"
        f"code = main(['--db', {str(db)!r}, 'import', '--create-labels', {str(source)!r}])\n"
        f"code += main(['--db', {str(db)!r}, 'import', {str(source)!r}])\n"
        "loaded = sorted(m for m in ('sqlmodel', 'pydantic', 'sqlalchemy.orm', 'alembic', 'numpy') if m in sys.modules)\n"
        "print(code, loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "0 []"
    assert "1 new documents" in out and "1 already present" in out
