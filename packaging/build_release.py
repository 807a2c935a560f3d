"""Build the PyInstaller bundle, check it, and pack it as build/annotator-<version>-<os>-<arch>.tar.gz.

    python packaging/build_release.py            # build, self-test, archive
    python packaging/build_release.py --no-build # archive an existing build/dist/annotator

The archive holds one folder, annotator-<version>/, with the `annotator` executable at its top, so
`tar xzf ...` then `annotator-<version>/annotator` runs it (touch portable.txt beside it for portable
mode). Entries are sorted and carry a fixed owner and the last commit's time, so rebuilding from the
same bundle gives the same archive.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import platform
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = BUILD / "dist"
BUNDLE = DIST / "annotator"


def project_version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def build_bundle() -> None:
    cmd = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
        "--distpath", str(DIST), "--workpath", str(BUILD / "work"),
        str(ROOT / "packaging" / "annotator.spec"),
    ]  # fmt: skip
    subprocess.run(cmd, check=True, cwd=ROOT)


def executable() -> Path:
    return BUNDLE / ("annotator.exe" if sys.platform == "win32" else "annotator")


def check_bundle() -> float:
    """Run the frozen self-test (offscreen); return its wall time in seconds."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.perf_counter()
    proc = subprocess.run([str(executable()), "--self-test"], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or "self-test passed" not in proc.stdout:
        sys.exit(f"build_release: the frozen self-test failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def source_date() -> int:
    """SOURCE_DATE_EPOCH, else the last commit's time, else now."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, cwd=ROOT, check=True
        )
        return int(out.stdout.strip())
    except (OSError, subprocess.CalledProcessError, ValueError):
        return int(time.time())


def make_archive(version: str) -> Path:
    system = {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, sys.platform)
    arch = platform.machine().lower().replace("amd64", "x86_64").replace("arm64", "aarch64")
    target = BUILD / f"annotator-{version}-{system}-{arch}.tar.gz"
    top = f"annotator-{version}"
    mtime = source_date()

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = mtime
        return info

    paths = sorted(BUNDLE.rglob("*"))
    with (
        open(target, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=mtime, filename="") as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        tar.add(BUNDLE, arcname=top, recursive=False, filter=normalise)
        for path in paths:
            tar.add(
                path,
                arcname=f"{top}/{path.relative_to(BUNDLE).as_posix()}",
                recursive=False,
                filter=normalise,
            )
    return target


def tree_megabytes(path: Path) -> float:
    """Size in MiB as `du -sm` counts it: regular files once, symlinks (PyInstaller makes many) not."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="archive the existing build/dist/annotator")
    parser.add_argument("--no-check", action="store_true", help="skip the frozen --self-test")
    args = parser.parse_args(argv)
    version = project_version()
    if not args.no_build:
        build_bundle()
    if not executable().exists():
        sys.exit(f"build_release: no bundle at {BUNDLE}; run without --no-build")
    if not args.no_check:
        print(f"frozen self-test passed in {check_bundle():.2f} s")
    archive = make_archive(version)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    print(f"bundle  {BUNDLE}  {tree_megabytes(BUNDLE):.1f} MiB")
    print(f"archive {archive}  {archive.stat().st_size / 2**20:.1f} MiB  sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
