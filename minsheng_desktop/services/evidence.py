"""佐证材料: photos and PDFs attached to a monthly report, stored once by sha256 inside the database.

No Qt. Images are turned upright, downscaled to at most 1600 px on the long side and stored as JPEG
(quality 85) with a 200-px thumbnail; PDFs are stored as they are (up to 20 MB) with a drawn thumbnail.
Keeping the bytes in the database means every backup carries them.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..fileio import atomic_write_bytes
from ..storage import evidence as evidence_rows
from ..storage.db import Database, now_iso

MAX_SIDE, THUMB_SIDE, JPEG_QUALITY = 1600, 200, 85
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 60 * 1024 * 1024
MAX_PIXELS = 120_000_000
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".heic")
ACCEPTED_SUFFIXES = (*IMAGE_SUFFIXES, ".pdf")
FILE_FILTER = "图片或 PDF (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.webp *.pdf)"


class EvidenceError(Exception):
    """A file that cannot be attached: one Chinese line naming it."""


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    project_id: str
    month: str
    sha256: str
    filename: str
    caption: str | None
    mime: str
    width: int | None
    height: int | None
    size: int

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def is_accepted(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in ACCEPTED_SUFFIXES


def _pdf_thumb(name: str) -> bytes:
    from PIL import Image, ImageDraw  # deferred: Pillow loads only when a file is attached

    img = Image.new("RGB", (150, THUMB_SIDE), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 149, THUMB_SIDE - 1], outline=(150, 150, 150), width=2)
    d.rectangle([20, 70, 130, 120], fill=(192, 57, 43))
    d.text((56, 88), "PDF", fill="white")
    for k in range(4):
        d.line([20, 140 + 12 * k, 130, 140 + 12 * k], fill=(200, 200, 200), width=3)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def prepare(path: str | os.PathLike[str]) -> tuple[bytes, str, int | None, int | None, bytes]:
    """(stored bytes, mime, width, height, thumbnail JPEG) for a photo or a PDF; EvidenceError otherwise."""
    p = Path(path)
    if not p.is_file():
        raise EvidenceError(f"找不到文件“{p}”。")
    size = p.stat().st_size
    with open(p, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF-"):
        if size > MAX_PDF_BYTES:
            raise EvidenceError(f"“{p.name}”有 {size / 1048576:.1f} MB，超过 20 MB：请压缩后再添加。")
        return p.read_bytes(), "application/pdf", None, None, _pdf_thumb(p.name)
    if size > MAX_IMAGE_BYTES:
        raise EvidenceError(f"“{p.name}”太大（{size / 1048576:.0f} MB），不像是照片：请确认文件。")
    # deferred: Pillow loads only when a file is attached
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(p) as im:
            im.load()
            img = ImageOps.exif_transpose(im)
            if img.mode not in ("RGB", "L"):
                rgba = img.convert("RGBA")
                img = Image.new("RGB", rgba.size, "white")
                img.paste(rgba, mask=rgba.split()[3])
            elif img.mode == "L":
                img = img.convert("RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise EvidenceError(f"“{p.name}”不是可识别的图片或 PDF：佐证材料请用照片（JPG/PNG）或 PDF。") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise EvidenceError(f"“{p.name}”无法读取（{type(exc).__name__}），可能已损坏。") from None
    img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    thumb = img.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    tbuf = io.BytesIO()
    thumb.save(tbuf, "JPEG", quality=80)
    return buf.getvalue(), "image/jpeg", img.width, img.height, tbuf.getvalue()


def add_evidence(db: Database, project_id: str, month: str, path: str | os.PathLike[str],
                 caption: str | None = None) -> EvidenceItem:
    """Attach a file to a project's month; the same content attached twice to one report is kept once."""
    data, mime, w, h, thumb = prepare(path)
    sha = hashlib.sha256(data).hexdigest()
    eid = evidence_rows.attach(db, project_id, month, sha256=sha, mime=mime, data=data, width=w, height=h,
                               thumb=thumb, filename=Path(path).name, caption=_clean(caption), added_at=now_iso())
    return get_evidence(db, eid)  # type: ignore[return-value]


def _clean(caption: str | None) -> str | None:
    return (caption or "").strip() or None


def get_evidence(db: Database, evidence_id: int) -> EvidenceItem | None:
    row = evidence_rows.item_row(db, evidence_id)
    return EvidenceItem(*row) if row else None


def list_evidence(db: Database, project_id: str, month: str | None = None) -> list[EvidenceItem]:
    """A project's evidence (of one month, or all months, newest month first), in the order added."""
    return [EvidenceItem(*row) for row in evidence_rows.project_rows(db, project_id, month)]


def month_evidence(db: Database, list_id: int, month: str, unit: str | None = None) -> list[EvidenceItem]:
    """Every item of a list's month in table order (for the appendix), optionally one lead unit's."""
    items = [EvidenceItem(*row) for row in evidence_rows.month_rows(db, list_id, month)]
    if unit:
        led = evidence_rows.projects_led_by(db, unit)
        items = [i for i in items if i.project_id in led]
    return items


def set_caption(db: Database, evidence_id: int, caption: str | None) -> None:
    evidence_rows.set_caption(db, evidence_id, _clean(caption))


def remove_evidence(db: Database, evidence_id: int) -> None:
    """Take an item off its report (kept as deleted; the file stays for other reports and older backups)."""
    evidence_rows.mark_deleted(db, evidence_id)


def file_data(db: Database, sha256: str) -> bytes:
    return evidence_rows.file_data(db, sha256)


def thumbnail(db: Database, sha256: str) -> bytes:
    return evidence_rows.thumbnail(db, sha256)


def save_copy(db: Database, item: EvidenceItem, folder: str | os.PathLike[str]) -> Path:
    """Write the stored file out (to open it in a viewer); the name keeps the original's."""
    stem = Path(item.filename).stem or "佐证材料"
    out = Path(folder) / (f"{stem}.pdf" if item.mime == "application/pdf" else f"{stem}.jpg")
    atomic_write_bytes(out, file_data(db, item.sha256))
    return out


@dataclass(frozen=True)
class Photo:
    """What the .docx appendix prints for one item."""

    number: str
    project: str
    month: str
    caption: str | None
    filename: str
    mime: str
    data: bytes
    width: int | None
    height: int | None


def photos_for_month(db: Database, list_id: int, month: str, unit: str | None = None) -> list[Photo]:
    names = evidence_rows.project_names(db, list_id)
    out = []
    for it in month_evidence(db, list_id, month, unit):
        number, name = names[it.project_id]
        out.append(Photo(number, name, it.month, it.caption, it.filename, it.mime,
                         file_data(db, it.sha256) if it.is_image else b"", it.width, it.height))
    return out
