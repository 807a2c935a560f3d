"""The app as people install it: a wheel built from this tree, installed into a fresh virtual
environment with no source tree beside it (pip install ., pipx and packagers all start from a
wheel, so a file that is not package data is simply absent). Slow: builds and installs (~1 min)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.display.scenario import everyday_session, stored_counts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RAW_SAMPLE = ROOT / "tests" / "data" / "sample-article-raw.txt"


class Installed:
    def __init__(self, venv: Path, home: Path) -> None:
        self.python = venv / "bin" / "python"
        self.annotator = venv / "bin" / "annotator"
        self.home = home

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "ANNOTATOR_DB"}}
        env.update(HOME=str(self.home), ANNOTATOR_DATA_DIR=str(self.home / "data"))
        return subprocess.run(
            [str(self.annotator), *args],
            capture_output=True,
            text=True,
            cwd=self.home,
            env=env,
            timeout=timeout,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        cwd=base,
        timeout=600,
    )
    [wheel] = wheels.glob("annotator-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        cwd=base,
        timeout=900,
    )
    home = base / "home"
    home.mkdir()
    yield Installed(venv, home)


def test_the_package_comes_from_the_wheel_not_the_source_tree(installed: Installed) -> None:
    done = subprocess.run(
        [str(installed.python), "-c", "import annotator, annotator.paths as p; print(annotator.__file__); "
         "print(p.resource_path('sample-article.txt'))"],
        capture_output=True, text=True, cwd=installed.home, env={"PATH": os.environ["PATH"]}, check=True,
    )  # fmt: skip
    package_file, sample = done.stdout.split()
    assert str(ROOT) not in package_file and "site-packages" in package_file
    assert Path(sample).read_text(encoding="utf-8").startswith("Putin’s latest visit")


def test_version_and_self_test_from_the_install(installed: Installed) -> None:
    version = installed.run("--version")
    assert version.returncode == 0 and version.stdout.startswith("annotator "), version.stderr
    self_test = installed.run("--self-test")
    assert self_test.returncode == 0, self_test.stderr
    assert "self-test passed" in self_test.stdout


def test_import_export_round_trip_from_the_install(installed: Installed) -> None:
    db = installed.home / "round-trip.db"
    imported = installed.run("--db", str(db), "import", str(RAW_SAMPLE))
    assert imported.returncode == 0, imported.stderr
    out = installed.home / "out.jsonl"
    exported = installed.run("--db", str(db), "export", "--format", "jsonl", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    [record] = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    # The raw seed (LF line ends, no BOM) comes back byte for byte: its repeats and trailing blank
    # lines are content, not something to tidy away.
    assert record["text"] == RAW_SAMPLE.read_text(encoding="utf-8")
    again = installed.run("--db", str(db), "import", str(RAW_SAMPLE))
    assert again.returncode == 0 and "0 new document" in again.stdout, again.stdout


def test_everyday_gui_session_from_the_install(installed: Installed, x_session, tmp_path: Path) -> None:
    home = tmp_path / "home"
    outcome = everyday_session(x_session, home, imports=3, exports=1, python=str(installed.python))
    assert not outcome.problems and outcome.returncode == 0, f"{outcome.problems}\n{outcome.stderr[-3000:]}"
    assert stored_counts(home / "work.db")["documents"] == 4
