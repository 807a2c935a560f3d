"""Render resources/icons/annotator.svg into the PNG, ICO and ICNS files the bundles and desktops use.

    python packaging/make_icons.py            # (re)write resources/icons/*
    python packaging/make_icons.py --check    # exit 1 if a generated file is missing or out of date

PNGs are rendered with Qt (QSvgRenderer from PySide6.QtSvg, part of PySide6-Essentials). The ICO and
ICNS containers are written here with `struct`: both formats accept embedded PNG images (ICO since
Windows Vista, ICNS since macOS 10.7), so no Pillow or iconutil is needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "annotator.svg"
NAME = "annotator"

# hicolor sizes written as annotator-<size>.png
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
# Windows shows 16..256; 256 is the largest an ICO entry can describe
ICO_SIZES = (16, 32, 48, 64, 128, 256)
# ICNS element types that hold a PNG, with the pixel size each one holds
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG rendered at size x size, antialiased, on a transparent background, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"make_icons: could not encode a {size}px PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container (ICONDIR + ICONDIRENTRYs) whose images are PNG streams."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256
        # width, height, palette colours, reserved, colour planes, bits per pixel, bytes, offset
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(elements: list[tuple[bytes, bytes]]) -> bytes:
    """An ICNS container: 'icns' + total length, then (type, length incl. 8-byte header, data)."""
    body = b"".join(kind + struct.pack(">I", len(data) + 8) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def generated_files(svg: Path = SVG) -> dict[str, bytes]:
    """File name -> content for every generated icon file."""
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(svg, size) for size in sizes}
    files = {f"{NAME}-{size}.png": pngs[size] for size in PNG_SIZES}
    files[f"{NAME}.ico"] = ico_bytes({size: pngs[size] for size in ICO_SIZES})
    files[f"{NAME}.icns"] = icns_bytes([(kind, pngs[size]) for kind, size in ICNS_TYPES])
    return files


def _ensure_gui() -> None:
    """QImage/QPainter need a Gui application for some platforms; offscreen needs no display."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _ensure_gui.app = QGuiApplication(sys.argv[:1])  # kept alive for the run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the files are present and current")
    args = parser.parse_args(argv)
    _ensure_gui()
    files = generated_files()
    stale = []
    for name, content in files.items():
        target = ICON_DIR / name
        current = target.read_bytes() if target.exists() else None
        if current == content:
            continue
        if args.check:
            stale.append(name)
        else:
            target.write_bytes(content)
            print(f"wrote {target.relative_to(ICON_DIR.parent.parent)} ({len(content):,} bytes)")
    if stale:
        print(f"make_icons: out of date: {', '.join(stale)} (run python packaging/make_icons.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
