"""The OCR clean-up of one recognised line: only what the recogniser gets wrong about Chinese typography.

Half-width ，；：（） the recogniser emits next to Chinese text become full-width, as official documents write
them; spaces it puts around Chinese characters are dropped; full-width digits and letters become ASCII; a
bracket pair is written one way; straight double quotes become “” (``quotes``, on a paragraph or cell).
Interpreting the text is reader.parse_source's job.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- OCR text clean-up


# Chinese characters and the punctuation written with them (full-width forms, “”‘’, —, …).
_CJK = (r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f"
        r"\uff1a-\uff20\u201c\u201d\u2018\u2019\u2014\u2026")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_HALF_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[,;:()!?]|[,;:()!?](?=[{_CJK}])")
_WIDE_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


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


def quotes(t: str) -> str:
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
