"""Rasterise resources/icons/minsheng.svg into the .png sizes and the multi-size .ico the packages need.

Run after editing the SVG:  QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
Uses only PySide6 (already a dependency): QSvgRenderer draws, and the .ico is written by hand because
Qt's ico writer stores a single image. 16 and 32 px come from minsheng-small.svg, drawn for small sizes.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL_UP_TO = 32  # sizes at or below this use the simplified drawing


def render(size: int) -> QImage:
    svg = ICONS / ("minsheng-small.svg" if size <= SMALL_UP_TO else "minsheng.svg")
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(p)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(ba.data())


def dib_bytes(img: QImage) -> bytes:
    """A 32-bit BGRA DIB as .ico stores it: bottom-up rows, doubled height, then a 1-bit AND mask."""
    img = img.convertToFormat(QImage.Format.Format_ARGB32)  # little-endian memory order is B, G, R, A
    w, h = img.width(), img.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = [bytes(img.constScanLine(y))[: w * 4] for y in range(h)]
    mask_row = ((w + 31) // 32) * 4
    mask = bytearray()
    for y in reversed(range(h)):
        bits = bytearray(mask_row)
        row = rows[y]
        for x in range(w):
            if row[x * 4 + 3] == 0:  # fully transparent pixel
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + b"".join(reversed(rows)) + bytes(mask)


def write_ico(path: Path, sizes: tuple[int, ...]) -> None:
    # Classic DIB entries below 256 px (understood by every tool, Inno Setup included); PNG for 256 px.
    blobs = [(s, png_bytes(render(s)) if s >= 256 else dib_bytes(render(s))) for s in sizes]
    out = bytearray(struct.pack("<HHH", 0, 1, len(blobs)))
    offset = 6 + 16 * len(blobs)
    for s, data in blobs:
        dim = 0 if s >= 256 else s
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _, data in blobs:
        out += data
    path.write_bytes(bytes(out))


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - needed for painting
    for s in PNG_SIZES:
        target = ICONS / f"minsheng-{s}.png"
        if not render(s).save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        print(target.relative_to(ICONS.parent.parent))
    write_ico(ICONS / "minsheng.ico", ICO_SIZES)
    print((ICONS / "minsheng.ico").relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
