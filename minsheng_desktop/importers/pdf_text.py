"""The text of a PDF page: characters (as pdf_pages reads them from pdfminer's layout) grouped into lines read
left to right, and a cell's lines joined into its text: where the break was only wrapping (the next line's
first word would not have fitted — line-breaking rules as office suites apply them) the lines are joined, else
the break is kept as "\\n". No space is put between two CJK characters; one between Latin words or numbers is
kept.
"""

from __future__ import annotations

import re
from typing import Any

_CJK_RE = re.compile(r"[\u2e80-\uffff\u2010-\u2027\u00b7]")
NO_START = set("，。、；：？！）》」』】〕〉”’…·%‰,.;:?!)]}>℃ー～—-ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
_OPENING = set("（《「『【〔〈“‘([{<")
SPACES = re.compile(r"\s+")

Char = tuple  # (x0, x1, top, bottom, size, text)


def _wide(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def latin_joins(left: str, right: str) -> bool:
    """A soft line break between a Latin word and the next (clean_text's rule)."""
    return bool(left) and bool(right) and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() \
        and right[0].isalnum()


class Line:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "head", "page")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float, head: float,
                 page: int) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.size, self.head, self.page = size, head, page

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.text!r} {self.x0:.1f}-{self.x1:.1f} @{self.top:.1f} {self.size:g}pt>"


_QUOTES = set("“”‘’\"'")


def _no_break(x: str, y: str, gap: float, size: float) -> bool:
    """May a line not break between characters ``x`` and ``y`` (line-breaking rules as office suites apply
    them: no closing mark at a line's start, no opening mark at its end, quotation marks bind to both sides,
    a Latin word or number stays whole)?"""
    if y[0] in NO_START or x[-1] in _OPENING or x[-1] in _QUOTES or y[0] in _QUOTES:
        return True
    a, b = x[-1], y[0]
    if a.isascii() and b.isascii() and not a.isspace() and not b.isspace() and gap < 0.25 * size:
        return b not in "([{<" and a not in ")]}>"  # one Latin word, number, e-mail address
    # 。2023 / ，HPV: a Latin word right after closing punctuation travels with it (as LibreOffice breaks).
    return a in NO_START and b.isascii() and b.isalnum() and gap < 0.1 * size


def _head_width(chs: list[Char]) -> float:
    """Width of the line's first unbreakable unit: what would have had to fit at the end of the line
    before."""
    n = len(chs)
    i = 0
    while i + 1 < n and _no_break(chs[i][5], chs[i + 1][5], chs[i + 1][0] - chs[i][1], chs[i + 1][4]):
        i += 1
    return chs[i][1] - chs[0][0]


def need(a: Line, b: Line) -> float:
    """Room ``b``'s first word needs at the end of ``a``: its width, and the quarter-em an office suite puts
    between CJK and Latin text (自动调整中文与西文的间距) when the two meet there."""
    x, y = a.text[-1], b.text[0]
    if (_wide(x) and y.isascii() and y.isalnum()) or (x.isascii() and x.isalnum() and _wide(y)):
        return b.head + 0.2 * b.size
    return b.head


def make_lines(chars: list[Char], page: int) -> list[Line]:
    """Group characters into lines (by vertical overlap), each read left to right."""
    if not chars:
        return []
    chars.sort(key=lambda c: c[2])
    groups: list[list[Any]] = []  # [top, bottom, chars]
    for ch in chars:
        top, bottom = ch[2], ch[3]
        h = max(bottom - top, 0.1)
        for g in reversed(groups[-4:]):
            ov = min(g[1], bottom) - max(g[0], top)
            if ov >= 0.5 * min(h, max(g[1] - g[0], 0.1)):
                g[2].append(ch)
                if top < g[0]:
                    g[0] = top
                if bottom > g[1]:
                    g[1] = bottom
                break
        else:
            groups.append([top, bottom, [ch]])
    lines: list[Line] = []
    for top, bottom, chs in groups:
        chs.sort(key=lambda c: c[0])
        kept: list[Char] = []
        parts: list[str] = []
        space = False
        for ch in chs:
            t = ch[5]
            if t.isspace():
                space = bool(kept)
                continue
            if kept:
                prev = kept[-1]
                if t == prev[5] and abs(ch[0] - prev[0]) < 0.3 * ch[4]:
                    continue  # the same glyph printed again a hair to the side (fake bold)
                if (space or ch[0] - prev[1] > 0.2 * ch[4]) and not _wide(prev[5][-1]) and not _wide(t[0]):
                    parts.append(" ")
            parts.append(t)
            kept.append(ch)
            space = False
        if not kept:
            continue
        sizes = sorted(c[4] for c in kept)
        lines.append(Line("".join(parts), kept[0][0], max(c[1] for c in kept), top, bottom,
                           sizes[len(sizes) // 2], _head_width(kept), page))
    lines.sort(key=lambda ln: ln.top)
    return lines


def compose(lines: list[Line], avail: float) -> str:
    """A cell's text: lines joined where the break was only wrapping, "\\n" where it was a break of its
    own."""
    if not lines:
        return ""
    parts = [lines[0].text]
    for a, b in zip(lines, lines[1:]):
        if a.width + need(a, b) > avail + 0.1:
            parts.append(" " if latin_joins(a.text, b.text) else "")
        else:
            parts.append("\n")
        parts.append(b.text)
    text = "".join(parts).replace("\u3000", " ").strip()
    return text
