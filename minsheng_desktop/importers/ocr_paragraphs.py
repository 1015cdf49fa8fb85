"""Lines outside tables → paragraphs: a new one where a line is indented, where the line before ended short,
or after a wider gap; centred title lines kept together; a paragraph running over a page break joined; page
numbers recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ocr_lines import Line
from .ocr_page import PageRead
from .ocr_text import quotes
from .text import clean_text

_PAGE_NUMBER = re.compile(r"^[-—–－一_\s]*(?:第\s*)?\d{1,4}\s*(?:页|/\s*\d{1,4})?[-—–－一_\s]*$")


# ---------------------------------------------------------------- paragraphs


@dataclass
class Para:
    lines: list[Line]
    page: int
    full: bool = False  # its last line runs to the right margin (it may go on at the top of the next page)


def is_page_number(line: Line, page: PageRead) -> bool:
    y = (line.box[1] + line.box[3]) / 2
    return bool(_PAGE_NUMBER.match(line.text)) and (y < page.height * 0.12 or y > page.height * 0.88)


def paragraphs(lines: list[Line], page: PageRead, page_no: int, prev: Para | None) -> list[Para]:
    """Group a run of text lines into paragraphs: a new one where a line is indented, where the line before
    ended short, or after a wider gap; centred lines of a title stay together."""
    import numpy as np  # deferred: NumPy loads only when a scan is read

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

    def centred(ln: Line) -> bool:
        return ln.box[0] > left + lh * 1.5 and abs((ln.box[0] + ln.box[2]) / 2 - mid) < lh * 1.5

    out: list[Para] = []
    cur: Para | None = None
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
            cur = Para([ln], page_no)
            out.append(cur)
        else:
            cur.lines.append(ln)
    for p in out:
        p.full = p.lines[-1].box[2] >= right - lh * 1.5
    return out


def _ends_sentence(text: str) -> bool:
    return text.endswith(("。", "：", ":", "！", "？", "；"))


def para_text(p: Para) -> str:
    return quotes(clean_text("\n".join(ln.text for ln in p.lines if ln.text)) or "")
