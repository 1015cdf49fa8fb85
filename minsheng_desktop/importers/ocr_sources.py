"""The pages of a scan to read: image files (each frame a page) and the pages of a PDF, each checked by its
header or page size before any is decoded, and decoded to BGR pixels only when its turn comes.

Pillow, NumPy and pypdfium2 are imported inside the functions: only reading a scan loads them.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ImportFailure
from .grid import MAX_PAGES
from .ocr_image import PROCESS_WIDTH

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np  # deferred: see the module's docstring

MAX_IMAGE_PIXELS = 60_000_000  # an image larger than this (by its header) is refused before it is decoded
MAX_PAGE_PIXELS = 60_000_000  # a PDF page that would render larger than this even at MIN_DPI is refused
MIN_DPI, MAX_DPI = 150, 220  # PDF pages render at their scan's own resolution, kept within these


# ---------------------------------------------------------------- reading images and PDF pages


@dataclass
class PageSource:
    """One page to read and how to get its pixels (BGR), decoded only when its turn comes."""

    path: Path
    label: str
    load: Callable[[], np.ndarray]


def open_images(paths: list[Path]) -> list[PageSource]:
    """Check every image's header (format, pixel count, frames) before decoding any of them."""
    from PIL import Image, UnidentifiedImageError  # deferred: see the module's docstring

    pages: list[PageSource] = []
    for path in paths:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused below, by our limit
                im = Image.open(path)
            with im:
                w, h = im.size
                frames = getattr(im, "n_frames", 1) or 1
        except FileNotFoundError:
            raise ImportFailure(f"找不到文件“{path}”：请检查路径是否正确。", path=str(path)) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise ImportFailure(f"“{path.name}”不是可以读取的图片，或文件已损坏：请重新拍照或扫描后再导入。",
                                path=str(path)) from exc
        except Image.DecompressionBombError:
            raise _too_big(path, None) from None
        if w * h > MAX_IMAGE_PIXELS or w <= 0 or h <= 0:
            raise _too_big(path, (w, h))
        if w < 200 or h < 200:
            raise ImportFailure(f"“{path.name}”只有 {w}×{h} 像素，太小，无法识别文字：请用更高的分辨率重新拍照或扫描。",
                                path=str(path))
        frames = max(1, min(frames, MAX_PAGES + 1))
        for k in range(frames):
            label = path.name if frames == 1 else f"{path.name} 第 {k + 1} 页"
            pages.append(PageSource(path, label, _image_loader(path, k)))
    limit = MAX_PAGES
    if len(pages) > limit:
        raise ImportFailure(f"所选图片共有 {len(pages)} 页，超出 {limit} 页的上限：请只选择通知和目标任务表的各页。",
                            path=str(paths[0]))
    return pages


def _too_big(path: Path, size: tuple[int, int] | None) -> ImportFailure:
    what = f"（{size[0]}×{size[1]} 像素）" if size else ""
    return ImportFailure(
        f"“{path.name}”的图片尺寸过大{what}，超出 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素的上限，已拒绝读取："
        "请缩小图片或重新拍照后再导入。", path=str(path))


def _image_loader(path: Path, frame: int) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        import numpy as np  # deferred: see the module's docstring
        from PIL import Image, ImageOps  # deferred: see the module's docstring

        try:
            with Image.open(path) as im:
                if frame:
                    im.seek(frame)
                if im.format == "JPEG":
                    # Decoded at a reduced scale when much larger than OCR needs (JPEG's DCT scaling).
                    im.draft("RGB", (PROCESS_WIDTH[1] * 2, PROCESS_WIDTH[1] * 2))
                im.load()
                im = ImageOps.exif_transpose(im)
                if im.mode not in ("RGB", "L"):
                    im = im.convert("RGBA") if "A" in im.mode or im.mode == "P" else im.convert("RGB")
                    if im.mode == "RGBA":  # transparent areas are paper
                        bg = Image.new("RGB", im.size, (255, 255, 255))
                        bg.paste(im, mask=im.getchannel("A"))
                        im = bg
                arr = np.asarray(im)
        except Image.DecompressionBombError:
            raise _too_big(path, None) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ImportFailure(f"“{path.name}”已损坏或不完整（图片无法完整解码）：请重新拍照、扫描或复制该图片后再导入。",
                                path=str(path)) from exc
        if arr.ndim == 2:
            return np.repeat(arr[:, :, None], 3, axis=2)
        return np.ascontiguousarray(arr[:, :, ::-1])  # RGB → BGR

    return load


def open_pdf_pages(path: Path) -> tuple[Any, list[PageSource]]:
    import pypdfium2 as pdfium  # deferred: see the module's docstring

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # PdfiumError: broken, encrypted
        msg = str(exc)
        if "password" in msg.lower():
            raise ImportFailure(f"“{path.name}”设置了打开密码，无法读取：请取消密码后再导入。", path=str(path)) from None
        raise ImportFailure(f"“{path.name}”已损坏或不完整，无法打开：请重新下载或重新扫描后再导入。", path=str(path)) from None
    n = len(pdf)
    limit = MAX_PAGES
    if n > limit:
        pdf.close()
        raise ImportFailure(f"“{path.name}”共有 {n} 页，超出 {limit} 页的上限：请只导入通知和目标任务表所在的页。",
                            path=str(path))
    if n == 0:
        pdf.close()
        raise ImportFailure(f"“{path.name}”没有任何页面：请确认文件是否正确。", path=str(path))
    for i in range(n):  # every page's size before any is rendered
        w_pt, h_pt = pdf.get_page_size(i)
        if w_pt <= 0 or h_pt <= 0 or w_pt * h_pt * (MIN_DPI / 72) ** 2 > MAX_PAGE_PIXELS:
            pdf.close()
            raise ImportFailure(
                f"“{path.name}”第 {i + 1} 页的页面尺寸异常（{w_pt / 72 * 2.54:.0f}×{h_pt / 72 * 2.54:.0f} 厘米），"
                "渲染后过大，已拒绝读取：请确认文件是否正确。", path=str(path))
    pages = [PageSource(path, f"第 {i + 1} 页", _pdf_loader(pdf, path, i)) for i in range(n)]
    return pdf, pages


def _pdf_scale(page: Any) -> float:
    """Render at the scan's own resolution (its largest image's pixels per point), within MIN_DPI..MAX_DPI."""
    import pypdfium2.raw as pdfium_c  # deferred: see the module's docstring

    dpi = 0.0
    try:
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
            if right - left > 1 and top - bottom > 1:
                dpi = max(dpi, min(px_w / (right - left), px_h / (top - bottom)) * 72)
    except Exception:
        dpi = 0.0
    if dpi <= 0:
        dpi = 200
    return max(MIN_DPI, min(MAX_DPI, dpi)) / 72


def _pdf_loader(pdf: Any, path: Path, index: int) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        import numpy as np  # deferred: see the module's docstring

        page = pdf[index]
        try:
            w_pt, h_pt = page.get_size()
            scale = min(_pdf_scale(page), (MAX_PAGE_PIXELS / max(1.0, w_pt * h_pt)) ** 0.5)
            bitmap = page.render(scale=scale, grayscale=False, fill_color=(255, 255, 255, 255),
                                 rev_byteorder=False, may_draw_forms=True)
            try:
                arr = bitmap.to_numpy()
                # pdfium gives BGR(x) by default — what OpenCV uses.
                if arr.ndim == 3:
                    arr = np.ascontiguousarray(arr[:, :, :3])
                else:
                    arr = np.repeat(arr[:, :, None], 3, 2)
            finally:
                bitmap.close()
        except ImportFailure:
            raise
        except Exception as exc:
            raise ImportFailure(f"“{path.name}”第 {index + 1} 页无法渲染（文件可能已损坏）：请重新扫描或重新下载后再导入。",
                                path=str(path)) from exc
        finally:
            page.close()
        return arr

    return load
