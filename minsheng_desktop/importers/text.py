"""Text clean-up shared by the importers: soft line breaks, numbers in cells, unit lists."""

from __future__ import annotations

import re

_WS_IN_CJK = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")
_NUM = re.compile(r"^[约近]?\s*([-+]?\d[\d,，]*(?:\.\d+)?)\s*(亿|万)?\s*(?:万元|元)?\s*(?:左右)?$")
_ANY_SPACE = re.compile(r"[\s\u00a0\u3000]")
_UNIT_SEPARATORS = set("，、,；;\n")
_OPEN = "（([【〔《"
_CLOSE = "）)]】〕》"
_LATIN_START = re.compile(r"[A-Za-z0-9]")
_LATIN_END = re.compile(r"[A-Za-z]$")
_SPACES = re.compile(r"\s+")
_TRAILING_ETC = re.compile(r"等(?:有关|相关)?(?:单位|部门)?$")


def clean_text(text: str | None) -> str | None:
    """Join soft line breaks inside a cell and trim; None for an empty cell."""
    if text is None:
        return None
    t = text.strip()
    if not _ANY_SPACE.search(t):  # the common cell: nothing inside to join or drop
        return t or None
    t = t.replace("\r", "\n").replace("\u00a0", " ").replace("\u3000", " ")
    lines = [ln.strip() for ln in t.split("\n")]
    out = ""
    for ln in lines:
        if not ln:
            continue
        # Keep a space only where two Latin words/numbers would otherwise run together.
        if out and _LATIN_START.match(ln[0]) and _LATIN_END.search(out):
            out += " "
        out += ln
    out = _WS_IN_CJK.sub("", out).strip()
    return out or None


def parse_number(text: str | None) -> float | None:
    """A number from an investment cell: "2000", "1,122", "约2000", "2亿" (→ 20000 万元); None if not one."""
    if text is None:
        return None
    t = _SPACES.sub("", text).replace("，", ",")
    if not t:
        return None
    m = _NUM.match(t)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    if m.group(2) == "亿":
        value *= 10000
    return value


def split_units(text: str | None) -> list[str]:
    """Split a unit cell on ， 、 , ； ; and line breaks, but never inside brackets (区城市发展（集团）公司)."""
    if not text:
        return []
    parts: list[str] = []
    depth = 0
    buf = ""
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in _UNIT_SEPARATORS and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    out: list[str] = []
    for p in parts:
        c = clean_text(p)
        if c:
            c = c.strip("。. ")
            # "…、区大数据发展局等" / "…等单位": 等 ("and others") is not part of the unit's name.
            trimmed = _TRAILING_ETC.sub("", c)
            if len(trimmed) >= 2:
                c = trimmed
            if c and c not in ("等", "无", "/", "-", "—"):
                out.append(c)
    return out
