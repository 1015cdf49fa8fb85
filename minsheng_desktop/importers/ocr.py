"""Scans and photos: page images → paragraphs and grids of cells, through RapidOCR (PP-OCR models inside the
rapidocr wheel, given by path and run by onnxruntime; nothing is downloaded at run time).

Per page: a photographed sheet is found on its background and warped flat (a scan is its sheet already); the
page is evened out (divided by its blurred paper, which takes shadows away) and read in each pixel's lightest
channel, lighter still by its colour (a red seal fades, black text under it stays); it is deskewed (the angle
at which the rows of ink line up best). Ruling lines are found by morphology and kept where they reach across
their perpendiculars; a table's grid is their positions, and grid positions with no line between them are one
merged cell — one ``Cell`` repeated at each position, as grid.read_docx does (where a seal hides a boundary,
the line is judged on what can be seen). Text lines are cut by the ink's row profile, inside each cell on its
own and in the rest of the page, and recognised in batches by the recognition model alone: detection is not
needed on a clean, deskewed page, and skipping it is most of the speed. A page that reads as if turned is read
again turned a quarter either way or upside down.

Lines outside tables become paragraphs (indents, short last lines and gaps; centred title lines kept
together; a paragraph running over a page break joined). In a cell, a line that wrapped by itself is joined
on, and a line the writer broke stays broken ("\n"), as the .docx has them. A table that continues on the next
page is joined to the one before: its column lines united (a page may split a column the other does not), the
header repeated at the top dropped, and a first row without 序号 appended to the row it continues.

Only what is about OCR itself is corrected here: half-width ，；：（） the recogniser emits next to Chinese text
become full-width, as official documents write them; spaces it puts around Chinese characters are dropped;
full-width digits and letters become ASCII; straight double quotes become “”. Interpreting the text is
reader.parse_source's job.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ImportFailure
from .grid import MAX_PAGES, Cell, SourceDocument, Table, merged_areas
from .progress import Progress
from .text import clean_text

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np

MAX_IMAGE_PIXELS = 60_000_000  # an image larger than this (by its header) is refused before it is decoded
MAX_PAGE_PIXELS = 60_000_000  # a PDF page that would render larger than this even at MIN_DPI is refused
MIN_DPI, MAX_DPI = 150, 220  # PDF pages render at their scan's own resolution, kept within these
PROCESS_WIDTH = (1240, 1800)  # a photo's page is warped to a width in this range (≈150–220 dpi on A4)
PREVIEW_MAX_WIDTH = 1400  # page images kept for the preview are at most this wide
TEXT_SCORE = 0.5  # a line outside tables read with less confidence than this is noise, not text
CHROMA_FLOOR = 48  # max − min channel below this is colour noise of a scan or photo, not coloured ink
LINE_THRESHOLD = 218  # ruling lines: paper is ≈255 after evening out, scanner noise stays above ≈230
CROP_MARGIN = 0.45  # paper above and below a line given to the recogniser, in line heights


# ---------------------------------------------------------------- the engine


_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def _model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def _make_engine() -> Any:
    """RapidOCR with the models that ship inside its wheel, given by path so no download can be attempted."""
    from rapidocr import RapidOCR

    models = _model_dir()
    det, rec = models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx"
    for m in (det, rec):
        if not m.is_file():
            raise ImportFailure(f"文字识别模型缺失（{m.name}）：请重新安装本程序后再导入扫描件或照片。")
    params = {
        "Global.use_cls": False,  # pages are deskewed; lines are never upside down on a page read upright
        "Global.log_level": "error",
        "Global.model_root_dir": str(models),
        "Det.model_path": str(det),
        "Rec.model_path": str(rec),
        "Rec.rec_batch_num": 64,  # _recognise makes the batches
        "EngineConfig.onnxruntime.intra_op_num_threads": _threads(),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
    }
    eng = RapidOCR(params=params)
    _lean_session(eng, rec)
    return eng


def _threads() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _lean_session(eng: Any, model: Path) -> None:
    """Recognise with a session that keeps no memory plan per input shape: every line has its own width, and
    the plans (with the allocator holding on to freed blocks) grew the process by hundreds of MB."""
    try:
        import onnxruntime as ort

        rec = eng._load_rec_model()
        holder = rec.session
        if not hasattr(holder, "session"):
            return
        so = ort.SessionOptions()
        so.log_severity_level = 4
        so.enable_mem_pattern = False
        so.enable_cpu_mem_arena = False
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.intra_op_num_threads = _threads()
        so.inter_op_num_threads = 1
        holder.session = ort.InferenceSession(str(model), sess_options=so, providers=["CPUExecutionProvider"])
    except Exception:  # another rapidocr layout: its own session works too, with more memory
        return


def engine() -> Any:
    """The process's one RapidOCR (loading the models takes time: made on first use, then kept)."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = _make_engine()
    return _ENGINE


REC_HEIGHT = 48  # the recognition model's input height
# A batch's lines are padded to its widest, at REC_HEIGHT: wide lines go alone (memory), narrow ones together
# (fewer runs).
BATCH_WIDTH = 1600
BATCH_MAX = 16


def _recognise(crops: list[np.ndarray], progress: Progress) -> list[tuple[str, float]]:
    """Text and score of each single-line crop, by the recognition model alone, in batches of like width."""
    if not crops:
        return []
    eng = engine()
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    widths = [REC_HEIGHT * c.shape[1] / max(1, c.shape[0]) for c in crops]
    order = sorted(range(len(crops)), key=lambda i: widths[i])
    batch: list[int] = []

    def run(idx: list[int]) -> None:
        progress.check()
        res = eng.recognize_txt([crops[i] for i in idx])
        for i, txt, score in zip(idx, res.txts, res.scores):
            out[i] = (txt or "", float(score or 0.0))

    for i in order:
        if batch and (len(batch) + 1) * max(widths[i], 320) > BATCH_WIDTH or len(batch) >= BATCH_MAX:
            run(batch)
            batch = []
        batch.append(i)
    if batch:
        run(batch)
    return out


# ---------------------------------------------------------------- OCR text clean-up


# Chinese characters and the punctuation written with them (full-width forms, “”‘’, —, …).
_CJK = (r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f"
        r"\uff1a-\uff20\u201c\u201d\u2018\u2019\u2014\u2026")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_HALF_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[,;:()!?]|[,;:()!?](?=[{_CJK}])")
_WIDE_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_PAGE_NUMBER = re.compile(r"^[-—–－一_\s]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4})?[-—–－一_\s]*$")


def normalize_line(text: str) -> str:
    """What the recogniser gets wrong about Chinese typography, nothing about the words."""
    t = _WIDE_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text.strip())
    t = _SPACE_NEAR_CJK.sub("", t)
    t = _HALF_NEAR_CJK.sub(lambda m: _FULL[m.group(0)], t)
    # A bracket pair is written one way: "（二期)" → "（二期）" when one side is full-width.
    t = _pair_brackets(t)
    return t


def _pair_brackets(t: str) -> str:
    if "(" not in t and ")" not in t:
        return t
    chars = list(t)
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            j = stack.pop()
            if (chars[j] == "（") != (ch == "）"):
                chars[j], chars[i] = "（", "）"
    return "".join(chars)


def _quotes(t: str) -> str:
    """Straight double quotes in Chinese text, as “…” in turn."""
    if '"' not in t or not re.search(rf"[{_CJK}]", t):
        return t
    out, opened = [], False
    for ch in t:
        if ch == '"':
            ch = "”" if opened else "“"
            opened = not opened
        elif ch == "“":
            opened = True
        elif ch == "”":
            opened = False
        out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- reading images and PDF pages


@dataclass
class _PageSource:
    """One page to read and how to get its pixels (BGR), decoded only when its turn comes."""

    path: Path
    label: str
    load: Callable[[], np.ndarray]


def _open_images(paths: list[Path]) -> list[_PageSource]:
    """Check every image's header (format, pixel count, frames) before decoding any of them."""
    from PIL import Image, UnidentifiedImageError

    pages: list[_PageSource] = []
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
            pages.append(_PageSource(path, label, _image_loader(path, k)))
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
        import numpy as np
        from PIL import Image, ImageOps

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


def _open_pdf_pages(path: Path) -> tuple[Any, list[_PageSource]]:
    import pypdfium2 as pdfium

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
    pages = [_PageSource(path, f"第 {i + 1} 页", _pdf_loader(pdf, path, i)) for i in range(n)]
    return pdf, pages


def _pdf_scale(page: Any) -> float:
    """Render at the scan's own resolution (its largest image's pixels per point), within MIN_DPI..MAX_DPI."""
    import pypdfium2.raw as pdfium_c

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
        import numpy as np

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


# ---------------------------------------------------------------- page geometry: flatten, even out, deskew


def _find_page_quad(bgr: np.ndarray) -> np.ndarray | None:
    """The corners (tl, tr, br, bl) of a sheet of paper photographed on a darker background, or None."""
    import cv2
    import numpy as np

    h, w = bgr.shape[:2]
    s = 600 / max(h, w)
    small = cv2.resize(bgr, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    gray = cv2.GaussianBlur(gray, (7, 7), 0)
    sh, sw = gray.shape
    # The background is what the image's edges show (the darkest edge: the sheet may touch the others); the
    # paper, the middle. A shadow on the paper is still much lighter than the table it lies on, so the cut is
    # nearer the background than Otsu's.
    edges = [gray[:4].ravel(), gray[-4:].ravel(), gray[:, :4].ravel(), gray[:, -4:].ravel()]
    background = min(float(np.median(e)) for e in edges)
    paper = float(np.percentile(gray[sh // 4:sh * 3 // 4, sw // 4:sw * 3 // 4], 75))
    if paper - background < 40:
        return None
    _, mask = cv2.threshold(gray, background + (paper - background) * 0.35, 255, cv2.THRESH_BINARY)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    total = small.shape[0] * small.shape[1]
    if area < 0.2 * total or area > 0.97 * total:
        return None  # no sheet, or the sheet is the whole image (a scan): nothing to flatten
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    if cv2.contourArea(quad) < 0.8 * area:
        return None
    ssum, diff = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    ordered = np.array([quad[np.argmin(ssum)], quad[np.argmin(diff)], quad[np.argmax(ssum)],
                        quad[np.argmax(diff)]], dtype=np.float32)
    if len({tuple(p) for p in ordered.tolist()}) < 4:
        return None
    return _refine_corners(ordered, c.reshape(-1, 2).astype(np.float32), sw, sh) / s


def _refine_corners(quad: np.ndarray, contour: np.ndarray, w: int, h: int) -> np.ndarray:
    """Corners as the crossings of straight lines fitted to the sheet's four edges (a polygon's vertices are
    pulled off by a corner that is cut by the image's edge or rounded by blur)."""
    import cv2
    import numpy as np

    cx, cy = contour[:, 0], contour[:, 1]
    on_border = (cx <= 1) | (cy <= 1) | (cx >= w - 2) | (cy >= h - 2)
    pts = contour[~on_border]
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        d = b - a
        length = float(np.hypot(*d))
        if length < 10 or len(pts) < 10:
            return quad
        n = np.array([-d[1], d[0]]) / length
        rel = pts - a
        t = rel @ d / (length * length)
        dist = np.abs(rel @ n)
        sel = pts[(t > 0.1) & (t < 0.9) & (dist < max(4.0, length * 0.03))]
        if len(sel) < 5:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(sel, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = []
    for i in range(4):
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        m = np.array([d1, -d2]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return quad
        t1, _ = np.linalg.solve(m, p2 - p1)
        out.append(p1 + t1 * d1)
    refined = np.array(out, dtype=np.float32)
    if np.abs(refined - quad).max() > max(w, h) * 0.08:
        return quad  # the fit went astray: keep the polygon's corners
    return refined


def _flatten_photo(bgr: np.ndarray) -> np.ndarray:
    import cv2
    import numpy as np

    quad = _find_page_quad(bgr)
    if quad is None:
        return bgr
    # A little inside the sheet's edge, so no strip of the table it lies on is left along the borders.
    center = quad.mean(axis=0)
    quad = center + (quad - center) * 0.985
    tl, tr, br, bl = quad
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    if width < 100 or height < 100:
        return bgr
    target_w = min(max(width, PROCESS_WIDTH[0]), PROCESS_WIDTH[1])
    k = target_w / width
    out_w, out_h = int(round(width * k)), int(round(height * k))
    dst = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(bgr, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def _fit_size(bgr: np.ndarray) -> np.ndarray:
    """Scale a page to a width OCR reads well (≈150–220 dpi on A4)."""
    import cv2

    h, w = bgr.shape[:2]
    long_side, short_side = max(h, w), min(h, w)
    # A4 short side at 150..220 dpi is 1240..1800 px; judge by the short side so landscape pages fit too.
    if short_side > PROCESS_WIDTH[1]:
        k = PROCESS_WIDTH[1] / short_side
    elif short_side < PROCESS_WIDTH[0] * 0.8:
        k = min(PROCESS_WIDTH[0] / short_side, 3.0)
    else:
        return bgr
    if long_side * k > 6000:
        k = 6000 / long_side
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC
    return cv2.resize(bgr, (max(1, int(w * k)), max(1, int(h * k))), interpolation=interp)


def _even_out(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A gray page with paper ≈ 255: each pixel's lightest channel, lighter still by its saturation (a red or
    blue seal fades away, black text stays), divided by the blurred paper (shadows and uneven light go); and
    where the page has coloured ink (None if nowhere), as a thin gray line under a seal may be lost with
    it."""
    import cv2
    import numpy as np

    if bgr.ndim == 2:
        return _divide_paper(bgr), None
    hi = bgr.max(axis=2)
    # Colour noise of a scan or photo stays below the floor; a seal's red is far above it. Only light colour
    # goes: a black stroke under a seal is dark red and must stay ink (weighted by lightness⁴: the seal's own
    # red is light in its lightest channel, the stroke under it is not).
    chroma = cv2.blur(cv2.subtract(hi, bgr.min(axis=2)), (3, 3))
    light = np.square(np.square(hi.astype(np.float32) / 255))
    extra = cv2.multiply(cv2.subtract(chroma, CHROMA_FLOOR).astype(np.float32), light, scale=2)
    del light
    text = cv2.add(hi, np.minimum(extra, 255).astype(np.uint8))
    del extra, hi
    _, coloured = cv2.threshold(chroma, CHROMA_FLOOR * 2, 255, cv2.THRESH_BINARY)
    del chroma
    if cv2.countNonZero(coloured) < coloured.size * 0.0005:
        return _divide_paper(text), None
    coloured = cv2.dilate(coloured, np.ones((5, 5), np.uint8))
    return _divide_paper(text), coloured


def _divide_paper(gray: np.ndarray) -> np.ndarray:
    import cv2
    import numpy as np

    h, w = gray.shape
    f = 8
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(bg, 1), scale=255)


def _ink(gray: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Binary ink (255) of an evened-out page, speckles removed. Without ``threshold``, text's (Otsu's, kept
    within bounds); ruling lines are thin and light after scanning and are looked for with LINE_THRESHOLD."""
    import cv2

    if threshold is None:
        otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        threshold = float(min(max(otsu, 150), 215))
    _, ink = cv2.threshold(gray, threshold, 255, cv2.THRESH_BINARY_INV)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n > 1:
        min_area = max(3, int(gray.shape[1] / 1240 * 3) ** 2 // 2)
        small = stats[:, cv2.CC_STAT_AREA] < min_area
        small[0] = False
        if small.any():
            ink[small[labels]] = 0
    return ink


def _edges_cleared(ink: np.ndarray) -> np.ndarray:
    """Ink without a thin frame along the image's edges: the edge of the sheet, a scanner's lid, a rotated
    page's corners — never part of the text, and a long straight edge would pass for a ruling line."""
    h, w = ink.shape
    m = max(3, int(min(h, w) * 0.008))
    ink[:m] = 0
    ink[h - m:] = 0
    ink[:, :m] = 0
    ink[:, w - m:] = 0
    return ink


def _skew_angle(ink: np.ndarray) -> float:
    """Degrees to rotate by so the rows of ink (text lines, ruling lines) are level."""
    import cv2
    import numpy as np

    h, w = ink.shape
    s = 700 / max(h, w)
    small = cv2.resize(ink, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
    if cv2.countNonZero(small) < 50:
        return 0.0
    center = (small.shape[1] / 2, small.shape[0] / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(center, angle, 1.0)
        rot = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST,
                             borderValue=0)
        prof = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(prof)).sum())

    best = max((a * 0.5 for a in range(-12, 13)), key=score)
    best = max((best + a * 0.1 for a in range(-5, 6)), key=score)
    best = max((best + a * 0.025 for a in range(-4, 5)), key=score)
    return best if abs(best) >= 0.03 else 0.0


def _rotate(gray: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    import cv2

    if not angle:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC if fill == 255 else cv2.INTER_NEAREST,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


# ---------------------------------------------------------------- ruling lines and the grid


@dataclass
class _Grid:
    ys: list[int]  # horizontal line positions, top to bottom (rows = len(ys) - 1)
    xs: list[int]  # vertical line positions, left to right
    groups: list[tuple[int, int, int, int]]  # merged cells: (row0, col0, row1, col1) inclusive
    box: tuple[int, int, int, int]


def _segments(mask: np.ndarray, horizontal: bool, max_thick: int) -> list[tuple[float, int, int]]:
    """(position, start, end) of each line piece in a mask of ruling lines."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        # Thin on average (a line slightly slanted in a photo has a wider box, not a thicker stroke).
        if horizontal:
            if area / max(1, w) <= max_thick and h <= max_thick + w * 0.03:
                out.append((y + h / 2, int(x), int(x + w)))
        elif area / max(1, h) <= max_thick and w <= max_thick + h * 0.03:
            out.append((x + w / 2, int(y), int(y + h)))
    return out


def _chain(pieces: list[tuple[float, int, int]], tol: float, gap: float) -> list[tuple[float, int, int]]:
    """Pieces of one drawn line (broken by a faint scan, or by a slight slant in a photo), joined end to
    end."""
    chains: list[list[float]] = []  # [position at the end, start, end, Σ position × length, Σ length]
    for pos, a, b in sorted(pieces, key=lambda p: p[1]):
        best = None
        for ch in chains:
            off = abs(pos - ch[0])
            # A longer gap only in line (where a seal or a blot broke the line).
            if -tol <= a - ch[2] <= (gap if off > tol / 2 else gap * 3) and off <= tol and (
                    best is None or off < abs(pos - best[0])):
                best = ch
        length = max(1, b - a)
        if best is None:
            chains.append([pos, a, b, pos * length, length])
        else:
            best[3] += pos * length
            best[4] += length
            best[0], best[2] = pos, max(best[2], b)
    return [(ch[3] / ch[4], int(ch[1]), int(ch[2])) for ch in chains]


def _cluster(values: list[tuple[float, int, int]], tol: float) -> list[tuple[float, list[tuple[int, int]]]]:
    out: list[tuple[float, list[tuple[int, int]]]] = []
    for pos, a, b in sorted(values):
        if out and pos - out[-1][0] <= tol:
            p, spans = out[-1]
            spans.append((a, b))
            out[-1] = ((p * (len(spans) - 1) + pos) / len(spans), spans)
        else:
            out.append((pos, [(a, b)]))
    return out


def _crosses(seg: tuple[float, int, int], positions: list[float], tol: float) -> bool:
    """Does a line piece reach at least two of the perpendicular lines?"""
    _, a, b = seg
    return sum(1 for p in positions if a - tol <= p <= b + tol) >= 2


def _find_grids(ink: np.ndarray, unit: int,
                coloured: np.ndarray | None = None) -> tuple[list[_Grid], np.ndarray]:
    """Tables drawn with ruling lines, and the mask of those lines (to keep them out of the text)."""
    import cv2
    import numpy as np

    h, w = ink.shape
    hk = max(20, w // 25)
    vk = max(15, int(unit * 1.6))
    thick_h = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    hor = cv2.morphologyEx(thick_h, cv2.MORPH_OPEN, np.ones((1, hk), np.uint8))
    hor = cv2.morphologyEx(hor, cv2.MORPH_CLOSE, np.ones((1, max(3, unit)), np.uint8))
    thick_v = cv2.dilate(ink, np.ones((1, 3), np.uint8))
    ver = cv2.morphologyEx(thick_v, cv2.MORPH_OPEN, np.ones((vk, 1), np.uint8))
    ver = cv2.morphologyEx(ver, cv2.MORPH_CLOSE, np.ones((max(3, unit), 1), np.uint8))
    max_thick = max(6, unit // 2)
    tol = max(4.0, unit * 0.4)
    hsegs = _chain(_segments(hor, True, max_thick), tol, unit * 1.5)
    vsegs = _chain(_segments(ver, False, max_thick), tol, unit * 1.5)
    lines_mask = cv2.bitwise_or(hor, ver)
    nothing = np.zeros_like(ink)
    if len(hsegs) < 2 or len(vsegs) < 2:
        return [], nothing
    # Keep vertical pieces that reach across at least one horizontal line to another, and horizontal pieces
    # that reach across two vertical lines (a character's stroke stays inside its cell); twice, as each filter
    # feeds the other. A line broken short of the border (a seal, a blot) still counts.
    for _ in range(2):
        hpos = [p for p, _ in _cluster(hsegs, tol)]
        vsegs = [s for s in vsegs if _crosses(s, hpos, tol * 1.5) and s[2] - s[1] >= unit * 0.8]
        vpos = [p for p, _ in _cluster(vsegs, tol)]
        hsegs = [s for s in hsegs if _crosses(s, vpos, tol * 1.5)]
    if len(hsegs) < 2 or len(vsegs) < 2:
        return [], nothing
    # Separate tables: connected groups of the kept pieces.
    frame = np.zeros_like(ink)
    for pos, a, b in hsegs:
        cv2.line(frame, (a, int(round(pos))), (b, int(round(pos))), 255, 3)
    for pos, a, b in vsegs:
        cv2.line(frame, (int(round(pos)), a), (int(round(pos)), b), 255, 3)
    # What is erased from the text: the line ink along the kept pieces only (a title's long strokes stay).
    lines_mask = cv2.bitwise_and(lines_mask, cv2.dilate(frame, np.ones((2 * max_thick + 1,) * 2, np.uint8)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    grids: list[_Grid] = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * 0.15 or bh < unit * 1.5:
            continue
        inside_h = [s for s in hsegs
                    if x - tol <= s[1] and s[2] <= x + bw + tol and y - tol <= s[0] <= y + bh + tol]
        inside_v = [s for s in vsegs
                    if y - tol <= s[1] and s[2] <= y + bh + tol and x - tol <= s[0] <= x + bw + tol]
        hcl = _cluster(inside_h, tol)
        vcl = _cluster(inside_v, tol)
        ys = [int(round(p)) for p, _ in hcl]
        xs = [int(round(p)) for p, _ in vcl]
        # Lines closer than a small row/column are one drawn line (a double border).
        ys = _dedupe(ys, unit * 0.6)
        xs = _dedupe(xs, unit * 0.6)
        if len(ys) < 2 or len(xs) < 3:
            continue  # a box drawn around text is not a table: a table has two columns at least
        groups = _merge_cells(ys, xs, hor, ver, tol, coloured)
        # The table is where its lines are (a stroke of a title just above may have joined a line's piece).
        grids.append(_Grid(ys, xs, groups, (xs[0], ys[0], xs[-1], ys[-1])))
    grids.sort(key=lambda g: g.box[1])
    return grids, lines_mask


def _dedupe(pos: list[int], gap: float) -> list[int]:
    out: list[int] = []
    for p in sorted(pos):
        if out and p - out[-1] < gap:
            out[-1] = (out[-1] + p) // 2
        else:
            out.append(p)
    return out


# Share of a boundary between two grid positions that must show a ruling line for them to be two cells. Low:
# thin lines of a 150-dpi JPEG scan come out broken, and nothing else draws long straight runs along a
# boundary.
WALL_COVER = 0.3


def _merge_cells(ys: list[int], xs: list[int], hor: np.ndarray, ver: np.ndarray, tol: float,
                 coloured: np.ndarray | None = None) -> list[tuple[int, int, int, int]]:
    """Grid positions with no line between them are one cell: the merged areas, each a rectangle. Where a
    seal covers the boundary, the line cannot be seen there: judged on the rest, and a boundary hidden almost
    whole is taken as a line (most boundaries are)."""
    rows, cols = len(ys) - 1, len(xs) - 1
    t = int(max(2, round(tol)))

    def wall(mask: np.ndarray, rs: slice, cs: slice, axis: int) -> bool:
        band = mask[rs, cs]
        if band.size == 0:
            return True
        line = band.max(axis=axis) > 0
        if coloured is not None:
            hidden = coloured[rs, cs].max(axis=axis) > 0
            seen = ~hidden
            if seen.mean() < 0.25:
                return True
            return float((line & seen).sum() / seen.sum()) >= WALL_COVER
        return float(line.mean()) >= WALL_COVER

    def joined_right(r: int, c: int) -> bool:
        x = xs[c + 1]
        y0, y1 = ys[r] + t, ys[r + 1] - t
        return not wall(ver, slice(max(0, y0), max(0, y1)), slice(max(0, x - t), x + t + 1), 1)

    def joined_below(r: int, c: int) -> bool:
        y = ys[r + 1]
        x0, x1 = xs[c] + t, xs[c + 1] - t
        return not wall(hor, slice(max(0, y - t), y + t + 1), slice(max(0, x0), max(0, x1)), 0)

    areas = merged_areas(rows, cols, joined_right, joined_below)
    return list({id(a): a for row in areas for a in row}.values())


# ---------------------------------------------------------------- text lines


@dataclass(eq=False)
class _Line:
    box: tuple[int, int, int, int]  # on the page
    crop: np.ndarray
    text: str = ""
    score: float = 0.0


def _bands(ink: np.ndarray, unit: int) -> list[tuple[int, int]]:
    """Rows of text in a region of ink: runs of ink rows, fragments of a line joined, touching lines split."""
    import numpy as np

    prof = (ink > 0).sum(axis=1)
    rows = prof > 0
    bands: list[list[int]] = []
    start = None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append([start, y])
            start = None
    if start is not None:
        bands.append([start, len(rows)])
    if not bands:
        return []
    # Fragments (a line of 二/三/一, a stray mark above or below) join the nearer neighbour when together they
    # are no taller than a line.
    tall = [b[1] - b[0] for b in bands if b[1] - b[0] >= unit * 0.5] or [unit]
    line_h = max(unit * 0.6, float(np.median(tall)))
    changed = True
    while changed and len(bands) > 1:
        changed = False
        for i, (a, b) in enumerate(bands):
            if b - a >= line_h * 0.6:
                continue
            cands = []
            if i > 0:
                cands.append((a - bands[i - 1][1], i - 1))
            if i + 1 < len(bands):
                cands.append((bands[i + 1][0] - b, i + 1))
            for gap, j in sorted(cands):
                lo, hi = min(a, bands[j][0]), max(b, bands[j][1])
                if hi - lo <= line_h * 1.3 and gap <= line_h * 0.6:
                    bands[min(i, j)] = [lo, hi]
                    del bands[max(i, j)]
                    changed = True
                    break
            if changed:
                break
    out: list[tuple[int, int]] = []
    for a, b in bands:
        out.extend(_split_tall(prof, a, b, line_h))
    # Drop what is too small to be text (noise that survived, a dot).
    return [(a, b) for a, b in out if b - a >= max(3, line_h * 0.25)]


def _split_tall(prof: np.ndarray, a: int, b: int, line_h: float) -> list[tuple[int, int]]:
    import numpy as np

    h = b - a
    if h < line_h * 1.7:
        return [(a, b)]
    n = int(round(h / (line_h * 1.15)))
    if n < 2:
        return [(a, b)]
    cuts = [a]
    for k in range(1, n):
        center = a + h * k / n
        lo, hi = int(center - line_h * 0.35), int(center + line_h * 0.35)
        seg = prof[max(a, lo):min(b, hi)]
        cut = int(np.argmin(seg)) + max(a, lo) if seg.size else int(center)
        cuts.append(cut)
    cuts.append(b)
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] - cuts[i] > 2]


def _line_pieces(ink: np.ndarray, a: int, b: int, split_gap: float | None) -> list[tuple[int, int]]:
    """Horizontal extents of the ink in rows a..b, split where the gap is wider than ``split_gap``."""
    import numpy as np

    cols = np.flatnonzero((ink[a:b] > 0).any(axis=0))
    if cols.size == 0:
        return []
    if split_gap is None:
        return [(int(cols[0]), int(cols[-1]) + 1)]
    gaps = np.flatnonzero(np.diff(cols) > split_gap)
    starts = [cols[0]] + [cols[g + 1] for g in gaps]
    ends = [cols[g] for g in gaps] + [cols[-1]]
    return [(int(s), int(e) + 1) for s, e in zip(starts, ends)]


def _crop(gray: np.ndarray, x0: int, y0: int, x1: int, y1: int,
          limit: tuple[int, int, int, int]) -> np.ndarray:
    """A line's image for the recogniser: the page a little beyond the ink (not into the next line), then
    paper to CROP_MARGIN above and below. The model scales every line to one height, so the margin also sets
    how wide — how much work — a line is: ample margins read as well and cost less."""
    import cv2
    import numpy as np

    h = y1 - y0
    reach_y, pad_y, pad_x = max(1, int(h * 0.12)), max(2, int(h * CROP_MARGIN)), max(3, int(h * 0.3))
    lx0, ly0, lx1, ly1 = limit
    wx0, wy0, wx1, wy1 = x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y
    cx0, cy0 = max(lx0, wx0), max(ly0, y0 - reach_y)
    cx1, cy1 = min(lx1, wx1), min(ly1, y1 + reach_y)
    crop = gray[cy0:cy1, cx0:cx1]
    # Paper to the full margin (beyond the reach, or where the cell's border cut the crop) and to a minimum
    # width: a lone digit in a narrow crop is read badly.
    top, bottom, left, right = cy0 - wy0, wy1 - cy1, cx0 - wx0, wx1 - cx1
    min_w = int(h * 1.6)
    extra = max(0, min_w - (crop.shape[1] + left + right))
    left += extra // 2
    right += extra - extra // 2
    if top or bottom or left or right:
        crop = cv2.copyMakeBorder(crop, max(0, top), max(0, bottom), max(0, left), max(0, right),
                                  cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_GRAY2BGR)


# ---------------------------------------------------------------- one page


@dataclass
class _CellRead:
    r0: int
    c0: int
    r1: int
    c1: int
    box: tuple[int, int, int, int]
    lines: list[_Line] = field(default_factory=list)


@dataclass
class _Fragment:
    """A table's grid as found on one page."""

    rows: int
    cols: int
    xs: list[int]
    box: tuple[int, int, int, int]
    cells: list[_CellRead]


@dataclass
class _PageRead:
    png: bytes  # the page as read (flattened, evened out, deskewed) for the preview, ≤ PREVIEW_MAX_WIDTH
    scale: float  # preview pixels per pixel read
    width: int
    height: int
    blocks: list[tuple[int, str, Any]]  # (top y, "line" | "table", _Line | _Fragment), in reading order
    lines: list[_Line]  # every line read, in the tables and out

    @property
    def evidence(self) -> float:
        """How much text was read, weighted by how sure the recogniser was of it."""
        return sum(ln.score * len(ln.text) for ln in self.lines)

    def turned(self) -> str | None:
        """Read as if turned? "sideways": a character or two per line (the rows of ink are the columns of a
        page turned a quarter); "upside down": the recogniser is unsure of what it reads; None: upright."""
        import numpy as np

        texts = [ln.text for ln in self.lines if ln.text]
        chars = sum(len(t) for t in texts)
        if len(texts) < 5 or chars < 20:
            return None
        if float(np.median([len(t) for t in texts])) < 3:
            return "sideways"
        return "upside down" if self.evidence / chars < 0.75 else None


def _read_page(bgr: np.ndarray, progress: Progress) -> _PageRead:
    """A page as it comes, or — if it reads as if turned (a landscape table scanned sideways, a photo without
    its orientation tag) — turned a quarter either way or upside down, whichever reads best."""
    import numpy as np

    page = _read_upright(bgr, progress)
    how = page.turned()
    if how is None:
        return page
    first = page
    # np.rot90's k: quarter turns anticlockwise.
    for k in (1, 3, 2) if how == "sideways" else (2, 1, 3):
        other = _read_upright(np.ascontiguousarray(np.rot90(bgr, k)), progress)
        if other.evidence > page.evidence:
            page = other
        if page.turned() is None and page.evidence > first.evidence * 1.5:
            break
    return page


def _read_upright(bgr: np.ndarray, progress: Progress) -> _PageRead:
    import cv2
    import numpy as np

    bgr = _fit_size(_flatten_photo(bgr))  # a photo's sheet warped flat; a scan is its sheet already
    gray, coloured = _even_out(bgr)
    del bgr
    ink = _edges_cleared(_ink(gray))
    angle = _skew_angle(ink)
    if angle:
        gray = _rotate(gray, angle)
        if coloured is not None:
            coloured = _rotate(coloured, angle, fill=0)
        ink = _edges_cleared(_ink(gray))
    progress.check()
    h, w = gray.shape
    unit = max(10, int(round(min(h, w) / 1240 * 20)))  # ≈ a table character's height at this resolution
    grids, lines_mask = _find_grids(_edges_cleared(_ink(gray, LINE_THRESHOLD)), unit, coloured)
    del coloured
    text_ink = ink.copy()
    text_ink[cv2.dilate(lines_mask, np.ones((3, 3), np.uint8)) > 0] = 0
    pending: list[_Line] = []
    blocks: list[tuple[int, str, Any]] = []
    covered = np.zeros((h, w), np.uint8)
    for g in grids:
        x0, y0, x1, y1 = g.box
        covered[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = 1
        cells: list[_CellRead] = []
        for r0, c0, r1, c1 in g.groups:
            bx0, by0, bx1, by1 = g.xs[c0], g.ys[r0], g.xs[c1 + 1], g.ys[r1 + 1]
            cell = _CellRead(r0, c0, r1, c1, (bx0, by0, bx1, by1))
            m = max(2, unit // 6)
            ix0, iy0, ix1, iy1 = bx0 + m, by0 + m, bx1 - m, by1 - m
            if ix1 - ix0 > 2 and iy1 - iy0 > 2:
                region = text_ink[iy0:iy1, ix0:ix1]
                for a, b in _bands(region, unit):
                    for px0, px1 in _line_pieces(region, a, b, None):
                        box = (ix0 + px0, iy0 + a, ix0 + px1, iy0 + b)
                        line = _Line(box, _crop(gray, *box, limit=(ix0, iy0, ix1, iy1)))
                        cell.lines.append(line)
                        pending.append(line)
            cells.append(cell)
        frag = _Fragment(len(g.ys) - 1, len(g.xs) - 1, g.xs, g.box, cells)
        blocks.append((y0, "table", frag))
    # Text outside the tables.
    outside = text_ink.copy()
    outside[covered > 0] = 0
    for a, b in _bands(outside, unit):
        for px0, px1 in _line_pieces(outside, a, b, (b - a) * 3.0):
            box = (px0, a, px1, b)
            line = _Line(box, _crop(gray, *box, limit=(0, 0, w, h)))
            pending.append(line)
            blocks.append((a, "line", line))
    blocks.sort(key=lambda t: (t[0], t[1] != "line"))
    progress.check()
    for line, (text, score) in zip(pending, _recognise([ln.crop for ln in pending], progress)):
        line.text, line.score = normalize_line(text), score
        line.crop = None  # type: ignore[assignment]  # free the pixels
    png, scale = _preview(gray)
    return _PageRead(png, scale, w, h, blocks, pending)


def _preview(gray: np.ndarray) -> tuple[bytes, float]:
    """The page image kept for the preview: at most PREVIEW_MAX_WIDTH wide, the paper's grain whitened and
    16 grays (a fifth of the bytes of the page as read, and quicker to write)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    k = min(1.0, PREVIEW_MAX_WIDTH / w)
    img = gray
    if k < 1:
        img = cv2.resize(gray, (max(1, int(w * k)), max(1, int(h * k))), interpolation=cv2.INTER_AREA)
    img = np.where(img > 232, 255, img // 16 * 17).astype(np.uint8)
    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    return (buf.tobytes() if ok else b""), k


# ---------------------------------------------------------------- assembling the document


@dataclass
class _Para:
    lines: list[_Line]
    page: int
    full: bool = False  # its last line runs to the right margin (it may go on at the top of the next page)


def _is_page_number(line: _Line, page: _PageRead) -> bool:
    y = (line.box[1] + line.box[3]) / 2
    return bool(_PAGE_NUMBER.match(line.text)) and (y < page.height * 0.12 or y > page.height * 0.88)


def _paragraphs(lines: list[_Line], page: _PageRead, page_no: int, prev: _Para | None) -> list[_Para]:
    """Group a run of text lines into paragraphs: a new one where a line is indented, where the line before
    ended short, or after a wider gap; centred lines of a title stay together."""
    import numpy as np

    if not lines:
        return []
    heights = [ln.box[3] - ln.box[1] for ln in lines]
    lh = float(np.median(heights))
    starts, ends = [ln.box[0] for ln in lines], [ln.box[2] for ln in lines]
    left = float(np.percentile(starts, 20)) if len(lines) >= 3 else min(starts)
    right = float(np.percentile(ends, 80)) if len(lines) >= 3 else max(ends)
    mid = (left + right) / 2
    gaps = [lines[i + 1].box[1] - lines[i].box[3] for i in range(len(lines) - 1)]
    gap_med = float(np.median(gaps)) if gaps else lh

    def centred(ln: _Line) -> bool:
        return ln.box[0] > left + lh * 1.5 and abs((ln.box[0] + ln.box[2]) / 2 - mid) < lh * 1.5

    out: list[_Para] = []
    cur: _Para | None = None
    for i, ln in enumerate(lines):
        new = True
        if cur is not None:
            before = cur.lines[-1]
            gap = ln.box[1] - before.box[3]
            h = ln.box[3] - ln.box[1]
            hb = before.box[3] - before.box[1]
            similar = abs(h - hb) <= max(hb, h) * 0.25
            if centred(ln) and centred(before):
                new = not (similar and gap <= max(gap_med, lh * 0.5) * 1.6)
            else:
                new = (ln.box[0] > left + lh * 1.2 or before.box[2] < right - lh * 1.5
                       or gap > max(gap_med * 1.8, lh * 1.2) or not similar)
        elif prev is not None and i == 0:
            # The first line of a page continuing the last paragraph of the page before.
            last = prev.lines[-1]
            new = not (ln.box[0] <= left + lh * 0.6 and not centred(ln) and not _ends_sentence(last.text)
                       and prev.page == page_no - 1 and prev.full)
            if not new:
                cur = prev
                cur.lines.append(ln)
                cur.page = page_no
                out.append(cur)
                continue
        if new:
            cur = _Para([ln], page_no)
            out.append(cur)
        else:
            cur.lines.append(ln)
    for p in out:
        p.full = p.lines[-1].box[2] >= right - lh * 1.5
    return out


def _ends_sentence(text: str) -> bool:
    return text.endswith(("。", "：", ":", "！", "？", "；"))


def _para_text(p: _Para) -> str:
    return _quotes(clean_text("\n".join(ln.text for ln in p.lines if ln.text)) or "")


def _scale_box(box: tuple[int, int, int, int], k: float) -> tuple[int, int, int, int]:
    return tuple(int(round(v * k)) for v in box)  # type: ignore[return-value]


@dataclass
class _Wrap:
    """How a cell's text ended on its page: to join a row split by a page break as its lines wrap."""

    last_width: float
    avail: float
    em: float


def _fragment_cells(frag: _Fragment, page_no: int, k: float,
                    wraps: dict[int, _Wrap]) -> list[list[Cell]]:
    grid: list[list[Cell | None]] = [[None] * frag.cols for _ in range(frag.rows)]
    em, pad = _text_metrics([ln for cr in frag.cells for ln in cr.lines if ln.text],
                            [cr.box for cr in frag.cells for ln in cr.lines if ln.text])
    for cr in frag.cells:
        lines = [ln for ln in cr.lines if ln.text]
        avail = cr.box[2] - cr.box[0] - 2 * pad
        text = _quotes(_cell_text(lines, avail, em))
        conf = round(min((ln.score for ln in lines), default=1.0), 3) if lines else (
            1.0 if not cr.lines else round(min(ln.score for ln in cr.lines), 3))
        cell = Cell(text, cr.r0, cr.c0, confidence=conf, page=page_no, box=_scale_box(cr.box, k))
        if lines:
            wraps[id(cell)] = _Wrap(lines[-1].box[2] - lines[-1].box[0], avail, em)
        for r in range(cr.r0, cr.r1 + 1):
            for c in range(cr.c0, cr.c1 + 1):
                grid[r][c] = cell
    return [[c if c is not None else Cell("", r, j, 1.0, page_no) for j, c in enumerate(row)]
            for r, row in enumerate(grid)]


_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"[A-Za-z0-9]")
_LEADING_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%‰/-]*")
_CLOSING = set("）)]】〕》」』”’，。、；：！？…%")
_HALF_CLOSING = set(")]%")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _text_metrics(lines: list[_Line], boxes: list[tuple[int, int, int, int]]) -> tuple[float, float]:
    """The em (a Chinese character's advance) and a cell's inner margin, measured on a table's lines."""
    import numpy as np

    ems = [(ln.box[2] - ln.box[0]) / len(ln.text) for ln in lines
           if len(ln.text) >= 3 and len(_CJK_RE.findall(ln.text)) >= len(ln.text) * 0.7]
    heights = [ln.box[3] - ln.box[1] for ln in lines]
    em = float(np.median(ems)) if ems else float(np.median(heights)) * 1.05 if heights else 20.0
    gaps = [ln.box[0] - b[0] for ln, b in zip(lines, boxes)]
    pad = float(np.percentile(gaps, 10)) if gaps else em * 0.3
    return em, max(0.0, min(pad, em * 1.5))


def _cell_text(lines: list[_Line], avail: float, em: float) -> str:
    """A cell's lines top to bottom. Where the first character of a line (a Latin word, a character that
    takes the closing mark after it along) would not have fitted at the end of the line before, the line
    wrapped by itself and is joined on, as the document has no break there; otherwise the writer broke the
    line ("\n", as a line break in a Word cell reads)."""
    out = ""
    for i, ln in enumerate(lines):
        if i == 0:
            out = ln.text
            continue
        prev = lines[i - 1]
        out = _join_wrapped(out, ln.text, _wrapped(prev.box[2] - prev.box[0], ln.text, avail, em))
    return out


def _wrapped(width: float, next_text: str, avail: float, em: float) -> bool:
    """Would the start of ``next_text`` have overflowed a line ``width`` wide (so the line wrapped there)?"""
    need = em
    word = _LEADING_WORD.match(next_text)
    if word:
        need = max(em * 0.5, len(word.group(0)) * em * 0.55)
    if len(next_text) > 1 and next_text[1] in _CLOSING:
        need += em * (0.5 if next_text[1] in _HALF_CLOSING else 1.0)
    return width + need > avail - em * 0.3


def _join_wrapped(text: str, more: str, wrapped: bool) -> str:
    if not text:
        return more
    if not wrapped:
        return f"{text}\n{more}"
    sep = " " if _LATIN_END.search(text) and _LATIN_START.match(more) else ""
    return text + sep + more


def _compact(t: str) -> str:
    return re.sub(r"\s+", "", t)


def _similar(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    a, b = _compact(a), _compact(b)
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _same_row(a: list[Cell], b: list[Cell]) -> bool:
    """Is ``b`` the header row ``a`` repeated (allowing for a character or two read differently)?"""
    if len(a) != len(b):
        return False
    ta = [c.text for c in _distinct(a)]
    tb = [c.text for c in _distinct(b)]
    if len(ta) != len(tb) or not any(ta):
        return False
    return sum(_similar(x, y) for x, y in zip(ta, tb)) / len(ta) >= 0.8


def _distinct(row: list[Cell]) -> list[Cell]:
    return list({id(c): c for c in row}.values())


def _bounds(frag: _Fragment) -> list[float]:
    """A fragment's column lines, 0 at its left border and 1 at its right."""
    w = max(1, frag.xs[-1] - frag.xs[0])
    return [(x - frag.xs[0]) / w for x in frag.xs]


COLUMN_TOL = 0.02  # column lines this close (share of the table's width) are the same line on two pages


def _union_bounds(a: list[float], b: list[float]) -> list[float] | None:
    """The column lines of a table continued on another page, where a page may draw lines the other does not
    (a column split only where sub-projects are listed); None if neither page's lines are all in the
    other's."""
    def inside(small: list[float], big: list[float]) -> bool:
        return all(any(abs(x - y) <= COLUMN_TOL for y in big) for x in small)

    if not (inside(a, b) or inside(b, a)):
        return None
    out: list[float] = []
    for x in sorted(a + b):
        if out and x - out[-1] <= COLUMN_TOL:
            continue
        out.append(x)
    return out


def _spread(rows: list[list[Cell]], own: list[float], union: list[float]) -> list[list[Cell]]:
    """Rows laid on finer columns: a cell covers every union column inside its own (the same Cell object)."""
    if len(own) == len(union):
        return rows
    mids = [(union[u] + union[u + 1]) / 2 for u in range(len(union) - 1)]
    cols = []
    for m in mids:
        j = 0
        while j + 1 < len(own) - 1 and own[j + 1] <= m:
            j += 1
        cols.append(j)
    return [[row[j] if j < len(row) else Cell("", 0, 0, 1.0) for j in cols] for row in rows]


def _append_continuation(table_rows: list[list[Cell]], row: list[Cell], wraps: dict[int, _Wrap]) -> bool:
    """A first row whose 序号 is empty, continuing the last row of the page before: add its texts there (joined
    as a wrapped line when the cell's last line on the page before was full)."""
    if not table_rows or not row or row[0].text:
        return False
    last = table_rows[-1]
    if len(last) != len(row) or not any(c.text for c in row[1:]):
        return False
    done: set[int] = set()
    for dst, src in zip(last, row):
        if id(src) in done or not src.text:
            continue
        done.add(id(src))
        info = wraps.get(id(dst))
        wrapped = info is not None and _wrapped(info.last_width, src.text, info.avail, info.em)
        dst.text = _join_wrapped(dst.text, src.text, wrapped)
        if src.confidence is not None:
            dst.confidence = min(dst.confidence if dst.confidence is not None else 1.0, src.confidence)
    return True


def _assemble(pages: list[_PageRead]) -> SourceDocument:
    """The pages' lines and table fragments in reading order → paragraphs, and tables joined over pages."""
    doc = SourceDocument(kind="scan", paragraphs=[], tables=[])
    before: list[str] = []
    prev_para: _Para | None = None
    # The table being built, and whether it was the last thing on its page (it may continue on the next).
    open_table: Table | None = None
    open_frag: tuple[_Fragment, int] | None = None
    open_at_end = False
    open_bounds: list[float] = []
    header_len = 0
    wraps: dict[int, _Wrap] = {}
    for page_no, page in enumerate(pages):
        k = page.scale
        doc.pages.append(page.png)
        blocks = [b for b in page.blocks if not (b[1] == "line" and (not b[2].text or b[2].score < TEXT_SCORE
                                                                     or _is_page_number(b[2], page)))]
        i = 0
        first_block = True
        while i < len(blocks):
            if blocks[i][1] == "line":
                run = []
                while i < len(blocks) and blocks[i][1] == "line":
                    run.append(blocks[i][2])
                    i += 1
                paras = _paragraphs(run, page, page_no, prev_para if first_block else None)
                prev_para = None
                for p in paras:
                    text = _para_text(p)
                    if doc.paragraphs and p.lines[0] not in run:
                        # The paragraph the page before ended with, going on here: its text again, whole.
                        doc.paragraphs[-1] = text
                        if before:
                            before[-1] = text
                        prev_para = p
                    elif text:
                        doc.paragraphs.append(text)
                        before.append(text)
                        prev_para = p
                if paras:
                    open_at_end = False
                first_block = False
                continue
            frag: _Fragment = blocks[i][2]
            rows = _fragment_cells(frag, page_no, k, wraps)
            bounds = _bounds(frag)
            union = None
            if open_table is not None and open_at_end and first_block and open_frag is not None:
                before_w = (open_frag[0].xs[-1] - open_frag[0].xs[0]) / open_frag[1]
                if abs(before_w - (frag.xs[-1] - frag.xs[0]) / page.width) < 0.03:  # as wide on both pages
                    union = _union_bounds(open_bounds, bounds)
            if union is not None and open_table is not None:
                # The same table continuing: drop the header repeated at the top, join a split row.
                open_table.rows[:] = _spread(open_table.rows, open_bounds, union)
                rows = _spread(rows, bounds, union)
                open_bounds = union
                start = 0
                for hr in range(min(header_len, len(rows))):
                    if _same_row(open_table.rows[hr], rows[hr]):
                        start = hr + 1
                    else:
                        break
                rows = rows[start:]
                if rows and _append_continuation(open_table.rows, rows[0], wraps):
                    rows = rows[1:]
                open_table.rows.extend(rows)
                _renumber(open_table.rows, 0)
            else:
                _renumber(rows, 0)
                open_table = Table(rows=rows, paragraphs_before=list(before))
                open_bounds = bounds
                doc.tables.append(open_table)
                before = []
                header_len = _header_len(rows)
            open_frag = (frag, page.width)
            open_at_end = True
            prev_para = None
            first_block = False
            i += 1
    doc.paragraphs_after = before
    return doc


def _header_len(rows: list[list[Cell]]) -> int:
    """Rows at the top whose cells are all header words (a repeated header on the next page is that long)."""
    from .table import match_field

    n = 0
    for row in rows[:3]:
        texts = [c.text for c in _distinct(row) if c.text]
        if texts and sum(1 for t in texts if match_field(t)) >= max(1, len(texts) - 1):
            n += 1
        else:
            break
    return max(n, 1)


def _renumber(rows: list[list[Cell]], offset: int) -> None:
    seen: set[int] = set()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            cell.row, cell.col = r + offset, c


# ---------------------------------------------------------------- entry points


def _read_pages(sources: list[_PageSource], progress: Progress, name: str, path: Path) -> SourceDocument:
    n = len(sources)
    pages: list[_PageRead] = []
    for i, src in enumerate(sources, start=1):
        progress.step(i, n, f"正在识别第 {i}/{n} 页")
        bgr = src.load()
        try:
            pages.append(_read_page(bgr, progress))
        except MemoryError:
            raise ImportFailure(f"“{name}”{src.label}太大，内存不足，无法识别：请降低扫描分辨率后再导入。",
                                path=str(path)) from None
        del bgr
    doc = _assemble(pages)
    if not doc.paragraphs and not any(c.text for t in doc.tables for row in t.rows for c in row):
        raise ImportFailure(f"“{name}”中没有识别到文字：请确认选择的是通知或目标任务表的扫描件或照片，"
                            "且页面清晰、光线均匀。", path=str(path))
    return doc


def read_images(paths: list[Path], progress: Progress) -> SourceDocument:
    """Page images (one file, several, or a folder's photos in file-name order) → paragraphs and tables."""
    paths = [Path(p) for p in paths]
    sources = _open_images(paths)
    name = paths[0].name if len(paths) == 1 else f"{paths[0].parent.name or paths[0].name}（{len(paths)} 张图片）"
    return _read_pages(sources, progress, name, paths[0])


def read_scanned_pdf(path: Path, progress: Progress) -> SourceDocument:
    """A PDF of page images (no text layer): each page rendered at its scan's resolution, then as images."""
    path = Path(path)
    pdf, sources = _open_pdf_pages(path)
    try:
        return _read_pages(sources, progress, path.name, path)
    finally:
        pdf.close()

