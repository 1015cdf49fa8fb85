"""A page's pixels made ready to read: a photographed sheet found on its background and warped flat, the page
scaled to a width OCR reads well, evened out (divided by its blurred paper, which takes shadows away) and read
in each pixel's lightest channel, lighter still by its colour (a red seal fades, black text under it stays);
its binary ink; and the angle that deskews it.

NumPy and OpenCV are imported inside the functions: only reading a scan loads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np

PROCESS_WIDTH = (1240, 1800)  # a photo's page is warped to a width in this range (≈150–220 dpi on A4)
CHROMA_FLOOR = 48  # max − min channel below this is colour noise of a scan or photo, not coloured ink


# ---------------------------------------------------------------- page geometry: flatten, even out, deskew


def _find_page_quad(bgr: np.ndarray) -> np.ndarray | None:
    """The corners (tl, tr, br, bl) of a sheet of paper photographed on a darker background, or None."""
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

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
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

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


def flatten_photo(bgr: np.ndarray) -> np.ndarray:
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

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


def fit_size(bgr: np.ndarray) -> np.ndarray:
    """Scale a page to a width OCR reads well (≈150–220 dpi on A4)."""
    import cv2  # deferred: see the module's docstring

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


def even_out(bgr: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A gray page with paper ≈ 255: each pixel's lightest channel, lighter still by its saturation (a red or
    blue seal fades away, black text stays), divided by the blurred paper (shadows and uneven light go); and
    where the page has coloured ink (None if nowhere), as a thin gray line under a seal may be lost with
    it."""
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

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
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

    h, w = gray.shape
    f = 8
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(bg, 1), scale=255)


def binary_ink(gray: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Binary ink (255) of an evened-out page, speckles removed. Without ``threshold``, text's (Otsu's, kept
    within bounds); ruling lines are thin and light after scanning and are looked for with LINE_THRESHOLD."""
    import cv2  # deferred: see the module's docstring

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


def edges_cleared(ink: np.ndarray) -> np.ndarray:
    """Ink without a thin frame along the image's edges: the edge of the sheet, a scanner's lid, a rotated
    page's corners — never part of the text, and a long straight edge would pass for a ruling line."""
    h, w = ink.shape
    m = max(3, int(min(h, w) * 0.008))
    ink[:m] = 0
    ink[h - m:] = 0
    ink[:, :m] = 0
    ink[:, w - m:] = 0
    return ink


def skew_angle(ink: np.ndarray) -> float:
    """Degrees to rotate by so the rows of ink (text lines, ruling lines) are level."""
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

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


def rotate(gray: np.ndarray, angle: float, fill: int = 255) -> np.ndarray:
    import cv2  # deferred: see the module's docstring

    if not angle:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC if fill == 255 else cv2.INTER_NEAREST,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
