"""brat export while another program writes a lot: how long the export waits for the disk at its end.

Run: python benchmarks/bench_brat_sync.py [DOCUMENTS] [MEGABYTES]   (default 10,000 documents, 2,048 MB)
A `dd` writes MEGABYTES into the export's folder's filesystem while the export runs. The export syncs
only its own files (fdatasync by a pool of threads while the next files are made, then the folder
once: services/atomic_folder.py); a syncfs() of the whole filesystem, as before issue 16, also waited
for dd's data (188 s once). Prints the export's wall time and the time spent in the final wait, alone
and beside dd, medians of 3.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_export_formats import make_corpus  # noqa: E402

CHILD = """
import sys, time
from pathlib import Path
from annotator.services import atomic_folder
from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace

waited = [0.0]
finish = atomic_folder.NewFolder.finish
def timed(self):
    t = time.perf_counter()
    try:
        finish(self)
    finally:
        waited[0] += time.perf_counter() - t
atomic_folder.NewFolder.finish = timed
ws = Workspace.open(sys.argv[1])
t = time.perf_counter()
ws.exporter.export("brat", ExportFilter(), path=Path(sys.argv[2]))
print(time.perf_counter() - t, waited[0])
"""


def run(db: Path, out: Path, writer_mb: int) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    dd = None
    if writer_mb:
        dd = subprocess.Popen(
            ["dd", "if=/dev/zero", f"of={out.parent / 'dd.bin'}", "bs=1M", f"count={writer_mb}"],
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), str(out)], check=True, capture_output=True)
    if dd is not None:
        dd.wait()
        os.unlink(out.parent / "dd.bin")
    total, waited = map(float, done.stdout.split())
    return total, waited


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    writer_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 2048
    tmp = Path(tempfile.mkdtemp(prefix="annotator-brat-sync-"))
    try:
        corpus, db = tmp / "corpus.jsonl", tmp / "project.db"
        make_corpus(corpus, documents)
        subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(db), "import", "--create-labels", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"brat export of {documents:,} documents; medians of 3; load {os.getloadavg()[0]:.1f}")
        for label, mb in (("alone", 0), (f"beside dd of {writer_mb} MB", writer_mb)):
            runs = [run(db, tmp / "brat", mb) for _ in range(3)]
            total = statistics.median(t for t, _ in runs)
            waited = statistics.median(w for _, w in runs)
            print(f"{label:<24} export {total:6.2f} s   waiting for the disk at the end {waited:6.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
